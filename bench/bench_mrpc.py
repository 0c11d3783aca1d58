"""Paraphrase classifier on MRPC, plus the speed of the numpy sentence encoder.

MRPC (Microsoft Research Paraphrase Corpus, research copy in
../shared/benchmarks/mrpc, never in the repo): 4,076 train and 1,725 test
sentence pairs from news, labelled "semantically equivalent" or not.

``--fit``: fit the logistic model of :mod:`analysis.paraphrase` on *train
only*: choose the L2 penalty and the decision threshold from 5-fold
cross-validated probabilities on train (highest accuracy), refit on all of
train, evaluate once on test and rewrite ``analysis/data/paraphrase_model.json``.

Without ``--fit``: evaluate the stored model on test and print accuracy / F1
next to the baselines measured in the same run (embedding cosine alone, word
Jaccard alone; each threshold chosen on train). Both modes then print the
paraphrase share of MRPC train pairs by lexical similarity (the evidence for
the copy / near_copy thresholds of :mod:`analysis.alignment`) and time the numpy
encoder on 300 MRPC test sentences with the cache off (best of 3; target well
under 2 s), against sentence-transformers when that optional library is
installed (ratio numpy / sentence-transformers).

Run: ``python -m bench.bench_mrpc [--fit] [--data DIR]``. The first run embeds
~11,000 sentences (a few minutes on 2 cores); the embedding cache makes later
runs fast.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paraphrase
from analysis.embeddings import Encoder, model_info
from analysis.paraphrase import FEATURES, accuracy_f1, best_threshold, fit_logistic, pair_features

TARGET = {"accuracy": 0.77, "f1": 0.84}
L2_GRID = (0.1, 1.0, 10.0, 100.0)
FOLDS = 5
SEED = 13
SPEED_SENTENCES = 300


def benchmarks_dir() -> Path:
    """../shared/benchmarks beside the repository (CI layout), else relative to cwd."""
    beside = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
    return beside if beside.is_dir() else Path("../shared/benchmarks")


def load_split(folder: Path, split: str) -> pd.DataFrame:
    """One MRPC split as ``label``, ``text_a``, ``text_b`` (plus ``sha256`` in attrs)."""
    path = folder / f"msr_paraphrase_{split}.txt"
    raw = path.read_bytes()
    rows = []
    for line in raw.decode("utf-8-sig").splitlines()[1:]:
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 5:
            raise ValueError(f"{path.name}: expected 5 tab-separated fields, got {len(cells)}")
        rows.append((int(cells[0]), cells[3], cells[4]))
    table = pd.DataFrame(rows, columns=["label", "text_a", "text_b"])
    table.attrs["sha256"] = hashlib.sha256(raw).hexdigest()
    return table


def featurise(table: pd.DataFrame, encoder: Encoder) -> pd.DataFrame:
    """:func:`analysis.paraphrase.pair_features` of a split (embeds both sides)."""
    a = encoder.encode(table["text_a"].tolist())
    b = encoder.encode(table["text_b"].tolist())
    return pair_features(table["text_a"], table["text_b"], np.sum(a * b, axis=1))


def _folds(n: int) -> np.ndarray:
    return np.random.default_rng(SEED).permutation(n) % FOLDS


def cross_validated_probabilities(x: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """Out-of-fold probabilities (5 folds, fixed seed)."""
    fold = _folds(len(y))
    out = np.empty(len(y))
    for k in range(FOLDS):
        mean, scale, w, b = fit_logistic(x[fold != k], y[fold != k], l2)
        out[fold == k] = 1 / (1 + np.exp(-(((x[fold == k] - mean) / scale) @ w + b)))
    return out


def single_feature_baseline(train: np.ndarray, y_train, test: np.ndarray, y_test) -> dict[str, float]:
    """Threshold one score on train (best accuracy), apply to test."""
    threshold = best_threshold(train, y_train)
    return {"threshold": threshold, **accuracy_f1(test >= threshold, y_test)}


def fit(train_x: pd.DataFrame, y: np.ndarray) -> dict:
    """Choose l2 and threshold by cross-validation on train, refit on all of train."""
    x = train_x[list(FEATURES)].to_numpy()
    scores = {}
    for l2 in L2_GRID:
        p = cross_validated_probabilities(x, y, l2)
        t = best_threshold(p, y)
        scores[l2] = (accuracy_f1(p >= t, y)["accuracy"], t)
    l2 = max(L2_GRID, key=lambda value: (scores[value][0], value))
    cv_accuracy, threshold = scores[l2]
    mean, scale, w, b = fit_logistic(x, y, l2)
    p = cross_validated_probabilities(x, y, l2)
    return {
        "features": list(FEATURES),
        "mean": [round(float(v), 8) for v in mean],
        "scale": [round(float(v), 8) for v in scale],
        "weights": [round(float(v), 8) for v in w],
        "bias": round(b, 8),
        "threshold": threshold,
        "l2": l2,
        "cross_validation": {"folds": FOLDS, "seed": SEED, "accuracy": round(cv_accuracy, 4),
                             "f1": round(accuracy_f1(p >= threshold, y)["f1"], 4),
                             "threshold_rule": "highest accuracy of out-of-fold probabilities"},
    }


def lexical_bins(table: pd.DataFrame) -> pd.DataFrame:
    """Share of paraphrases by word-level lexical similarity (pairs without conflicting numbers).

    The evidence for :data:`analysis.alignment.NEAR_COPY_MIN` and ``COPY_MIN``.
    """
    from analysis.alignment import lexical_similarity
    from analysis.paraphrase import numbers_conflict

    keep = [not numbers_conflict(a, b) for a, b in zip(table["text_a"], table["text_b"])]
    sub = table[keep]
    lexical = np.array([lexical_similarity(a, b) for a, b in zip(sub["text_a"], sub["text_b"])])
    rows = []
    for low in np.round(np.arange(0.5, 1.0, 0.05), 2):
        in_bin = (lexical >= low) & (lexical < low + 0.05)
        above = lexical >= low
        rows.append({"lexical_from": low, "bin_pairs": int(in_bin.sum()),
                     "bin_paraphrase_share": float(sub["label"].to_numpy()[in_bin].mean()) if in_bin.any() else np.nan,
                     "pairs_at_or_above": int(above.sum()),
                     "paraphrase_share_at_or_above": float(sub["label"].to_numpy()[above].mean())})
    return pd.DataFrame(rows)


def _best_of(runs: int, func) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def speed(texts: list[str], runs: int = 3) -> dict[str, float]:
    """Seconds to embed ``texts`` with the cache off (weights already loaded), best of ``runs``.

    Returns ``numpy_seconds`` and, if sentence-transformers is installed,
    ``sentence_transformers_seconds`` (same texts, CPU, batch size 64).
    """
    result = {}
    encoder = Encoder(cache_dir=False)
    encoder.encode(["warm-up: load the weights once"])
    result["numpy_seconds"] = _best_of(runs, lambda: Encoder(cache_dir=False).encode(texts))
    try:
        import sentence_transformers  # noqa: F401
    except ImportError:
        return result
    st = Encoder(backend="sentence-transformers", cache_dir=False)
    st.encode(["warm-up"])
    result["sentence_transformers_seconds"] = _best_of(
        runs, lambda: Encoder(backend="sentence-transformers", cache_dir=False).encode(texts))
    return result


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fit", action="store_true", help="refit and rewrite the model JSON")
    parser.add_argument("--data", type=Path, default=None, help="benchmarks folder (has mrpc/)")
    parser.add_argument("--no-speed", action="store_true", help="skip the encoder timing")
    args = parser.parse_args(argv)
    folder = (args.data or benchmarks_dir()) / "mrpc"
    if not folder.is_dir():
        raise SystemExit(f"MRPC not found at {folder}")

    train, test = load_split(folder, "train"), load_split(folder, "test")
    encoder = Encoder()
    started = time.perf_counter()
    train_x, test_x = featurise(train, encoder), featurise(test, encoder)
    y_train, y_test = train["label"].to_numpy(), test["label"].to_numpy()
    print(f"MRPC train {len(train)} / test {len(test)} pairs; features in {time.perf_counter() - started:.1f} s")

    if args.fit:
        model = fit(train_x, y_train)
        model["training"] = {"data": "MRPC msr_paraphrase_train.txt (Dolan & Brockett 2005)",
                             "pairs": int(len(train)), "sha256": train.attrs["sha256"],
                             "embedding": model_info()}
    else:
        model = paraphrase.load_model()
    probabilities = paraphrase.predict_proba(test_x, model)
    metrics = accuracy_f1(probabilities >= model["threshold"], y_test)
    if args.fit:
        model["test_metrics"] = {"data": "MRPC msr_paraphrase_test.txt", "pairs": int(len(test)),
                                 "sha256": test.attrs["sha256"],
                                 "accuracy": round(metrics["accuracy"], 4), "f1": round(metrics["f1"], 4)}
        path = Path(__file__).resolve().parents[1] / "analysis" / "data" / "paraphrase_model.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path} (l2={model['l2']}, threshold={model['threshold']}, "
              f"cv accuracy {model['cross_validation']['accuracy']:.3f})")

    cosine = single_feature_baseline(train_x["semantic"].to_numpy(), y_train, test_x["semantic"].to_numpy(), y_test)
    jaccard = single_feature_baseline(train_x["word_jaccard"].to_numpy(), y_train,
                                      test_x["word_jaccard"].to_numpy(), y_test)
    print(f"{'MRPC test':<28}{'accuracy':>9}{'F1':>8}")
    print(f"{'classifier (' + str(len(FEATURES)) + ' features)':<28}{metrics['accuracy']:>9.3f}{metrics['f1']:>8.3f}")
    print(f"{'cosine alone':<28}{cosine['accuracy']:>9.3f}{cosine['f1']:>8.3f}   (threshold {cosine['threshold']})")
    print(f"{'word Jaccard alone':<28}{jaccard['accuracy']:>9.3f}{jaccard['f1']:>8.3f}   (threshold {jaccard['threshold']})")
    print(f"{'target':<28}{TARGET['accuracy']:>9.3f}{TARGET['f1']:>8.3f}   "
          f"-> {'met' if metrics['accuracy'] >= TARGET['accuracy'] and metrics['f1'] >= TARGET['f1'] else 'NOT met'}")
    result = {"accuracy": metrics["accuracy"], "f1": metrics["f1"],
              "cosine_accuracy": cosine["accuracy"], "cosine_f1": cosine["f1"],
              "jaccard_accuracy": jaccard["accuracy"], "jaccard_f1": jaccard["f1"],
              "accuracy_gain_over_cosine": metrics["accuracy"] - cosine["accuracy"]}

    bins = lexical_bins(train)
    print("MRPC train, paraphrase share by lexical similarity (no conflicting numbers):")
    print(bins.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    result["near_copy_share_at_0.80"] = float(bins.loc[bins.lexical_from == 0.8, "paraphrase_share_at_or_above"].iloc[0])

    if not args.no_speed:
        texts = test["text_a"].tolist()[:SPEED_SENTENCES]
        timing = speed(texts)
        seconds = timing["numpy_seconds"]
        line = (f"encoder: {len(texts)} news sentences in {seconds:.2f} s (numpy backend, cache off, best of 3; "
                f"target < 2 s)")
        if "sentence_transformers_seconds" in timing:
            st_seconds = timing["sentence_transformers_seconds"]
            line += f"; sentence-transformers {st_seconds:.2f} s, ratio numpy/st {seconds / st_seconds:.2f}"
            result["numpy_over_sentence_transformers"] = seconds / st_seconds
        else:
            line += "; sentence-transformers not installed: no library baseline"
        print(line)
        result["encode_300_seconds"] = seconds
    return result


if __name__ == "__main__":
    main()
