"""Tests for bench.counter_protocol and bench.counter_features (synthetic data; never COUNTER itself)."""

import numpy as np
import pandas as pd
import pytest

from analysis.overlap import relation_model
from bench import counter_protocol as protocol
from bench.counter_features import ALL_FEATURES, candidate_features, sentences


def test_candidate_features_of_a_copy_and_of_unrelated_text():
    text = "The minister said on Monday that the new dam would open in May. Work began in 2019."
    copy = candidate_features(text, text)
    assert set(copy) == set(ALL_FEATURES)
    for name in ("char_containment", "word1", "word3", "tile2", "lcs_a", "lcs_b", "sent_aligned_share",
                 "sent_copy_share", "src_used_share"):
        assert copy[name] == pytest.approx(1.0), name
    assert copy["log_len_ratio"] == 0.0
    other = candidate_features(text, "Heavy rain flooded villages along the river overnight.")
    assert other["word3"] == 0.0 and other["sent_aligned_share"] == 0.0
    assert other["char_containment"] < copy["char_containment"]


def test_candidate_features_agree_with_the_kit_on_its_own_features():
    a = "وزیر اعظم نے کہا کہ ڈیم مئی میں کھلے گا۔ کام 2019 میں شروع ہوا۔"
    b = "وزیر اعظم نے پیر کو کہا کہ نیا ڈیم مئی میں کھلے گا۔"
    mine, kit = candidate_features(a, b), relation_model.relation_features(a, b)
    for name in relation_model.FEATURES:
        assert mine[name] == pytest.approx(kit[name])


def test_sentences_split_at_urdu_full_stop_and_drop_short_ones():
    assert len(sentences("ایک دو تین چار۔ پانچ چھ سات آٹھ؟ نو")) == 2


def test_pair_groups_join_near_duplicate_sources_only():
    base = "the council approved the budget for the new hospital after a long debate on monday"
    sources = [base, base + " evening", "a storm closed the airport and cancelled forty flights today"]
    deriveds = ["one story here about things", "another story there about stuff", "third text unlike others"]
    groups = protocol.pair_groups(sources, deriveds)
    assert groups[0] == groups[1] != groups[2]


def test_grouped_folds_never_split_a_group_and_balance_labels():
    rng = np.random.default_rng(0)
    labels = rng.choice(np.array(protocol.LABELS), size=200)
    groups = rng.integers(0, 150, size=200)
    folds = protocol.grouped_folds(labels, groups, 5, seed=3)
    for g in np.unique(groups):
        assert len(set(folds[groups == g])) == 1
    sizes = np.bincount(folds, minlength=5)
    assert sizes.min() > 0 and sizes.max() - sizes.min() <= 12


def test_best_thresholds_matches_a_plain_loop():
    rng = np.random.default_rng(1)
    labels = rng.choice(np.array(protocol.LABELS), size=120)
    signal = (labels == "WD") * 0.4 + (labels == "PD") * 0.2
    derived = np.clip(signal + rng.uniform(0, 0.6, 120), 0, 1)
    wholly = np.clip(signal * 1.5 + rng.uniform(0, 0.4, 120) - 0.2, 0, 1)
    floor = rng.uniform(size=120) < 0.05
    chosen, value = protocol.best_thresholds(derived, wholly, floor, labels)
    best = None
    for t_d in protocol.GRID:
        for t_w in protocol.GRID:
            s = protocol.scores(protocol.label(derived, wholly, floor, {"derived": t_d, "wholly": t_w}), labels)
            v = round(s["macro_f1"] + s["derived_f1"], 9)
            if best is None or v > best[0]:
                best = (v, float(t_d), float(t_w))
    assert value == pytest.approx(best[0])
    assert chosen == {"derived": best[1], "wholly": best[2]}


def test_ordinal_model_shares_weights_and_orders_its_cut_points():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(300, 2))
    score = 2 * x[:, 0] + rng.logistic(size=300)
    labels = np.where(score > 1.5, "WD", np.where(score > -0.5, "PD", "ND"))
    features = pd.DataFrame({"char_containment": x[:, 0], "log_words_a": x[:, 1]})
    model = protocol.fit_config(features, labels, ("char_containment", "log_words_a"), "ordinal", 1.0)
    assert model["derived"]["weights"] == model["wholly"]["weights"]
    assert model["wholly"]["bias"] < model["derived"]["bias"]
    assert model["derived"]["weights"][0] > 1.0 > abs(model["derived"]["weights"][1])
    derived, wholly = protocol.probabilities(model, features)
    assert (wholly <= derived + 1e-9).all()
