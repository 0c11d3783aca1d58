"""Tests for analysis.overlap.candidates (synthetic corpora, seeded)."""

import random

import pandas as pd
import pytest

from analysis.overlap.candidates import candidate_pairs


def random_corpus(n_docs, words_per_doc=120, seed=7):
    rng = random.Random(seed)
    vocabulary = [f"w{k}" for k in range(5000)]
    bodies = [" ".join(rng.choice(vocabulary) for _ in range(words_per_doc)) for _ in range(n_docs)]
    return pd.DataFrame({"doc_id": [f"doc{k:03d}" for k in range(n_docs)], "body": bodies})


def test_small_corpus_returns_every_pair_in_corpus_order():
    docs = random_corpus(5)
    pairs = candidate_pairs(docs)
    assert len(pairs) == 10
    assert list(pairs.columns) == ["doc_a", "doc_b", "estimated_jaccard"]
    assert (pairs["doc_a"] < pairs["doc_b"]).all()


def test_lsh_finds_near_duplicates_and_contained_text_not_unrelated_pairs():
    docs = random_corpus(80)
    # doc079 = doc003 with two words changed; doc078 = doc010 inside a 3x longer text.
    words = docs.loc[3, "body"].split()
    words[20], words[70] = "changed", "edited"
    docs.loc[79, "body"] = " ".join(words)
    docs.loc[78, "body"] = docs.loc[11, "body"] + " " + docs.loc[10, "body"] + " " + docs.loc[12, "body"]
    pairs = candidate_pairs(docs, all_pairs_max_docs=10)
    found = set(zip(pairs["doc_a"], pairs["doc_b"]))
    assert ("doc003", "doc079") in found
    assert ("doc010", "doc078") in found
    assert len(found) <= 10  # of 3,160 pairs; random texts share nothing
    estimate = pairs.set_index(["doc_a", "doc_b"]).loc[("doc003", "doc079"), "estimated_jaccard"]
    assert estimate > 0.8


def test_candidates_are_deterministic():
    docs = random_corpus(60)
    docs.loc[59, "body"] = docs.loc[0, "body"]
    first = candidate_pairs(docs, all_pairs_max_docs=10)
    assert first.to_csv(index=False) == candidate_pairs(docs, all_pairs_max_docs=10).to_csv(index=False)


def test_bad_parameters_raise():
    with pytest.raises(ValueError, match="threshold"):
        candidate_pairs(random_corpus(3), threshold=1.5)
    with pytest.raises(ValueError, match="missing column"):
        candidate_pairs(pd.DataFrame({"doc_id": ["a"]}))


def test_bodies_without_words_are_not_near_duplicates_of_each_other():
    docs = random_corpus(40)
    docs.loc[[5, 6, 7], "body"] = ["", "", " — "]
    pairs = candidate_pairs(docs, all_pairs_max_docs=10)
    assert not {"doc005", "doc006", "doc007"} & (set(pairs["doc_a"]) | set(pairs["doc_b"]))
    small = candidate_pairs(docs.iloc[[5, 6, 8]])
    assert small["estimated_jaccard"].tolist() == [0.0, 0.0, 0.0]


def test_banded_pairs_are_what_datasketch_lsh_returns():
    import numpy as np
    from datasketch import MinHashLSH

    from analysis.overlap.candidates import banded_pairs, minhash_signatures

    docs = random_corpus(60, words_per_doc=30)
    for k in range(1, 20):  # near copies: a few words changed, so some bands agree and some do not
        words = docs.loc[k - 1, "body"].split()
        words[k % 30] = "changed"
        docs.loc[k + 20, "body"] = " ".join(words)
    signatures = minhash_signatures(docs)
    members = np.array([k for k in range(60) if k != 5])
    lsh = MinHashLSH(threshold=0.1, num_perm=128)
    for k in members.tolist():
        lsh.insert(k, signatures[k])
    expected = sorted({(min(k, j), max(k, j)) for k in members.tolist() for j in lsh.query(signatures[k]) if j != k})
    first, second = banded_pairs(np.vstack([s.hashvalues for s in signatures]), lsh.b, lsh.r, members)
    assert list(zip(first.tolist(), second.tolist())) == expected
    assert len(expected) >= 18  # every near copy but that of the left-out document 5
