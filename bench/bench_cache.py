"""The sharded embedding cache against the per-sentence one (issue 15, item 5).

Corpus (research copy in ../shared/benchmarks, never in the repo): ``--n``
(default 300) BBC News articles, the seeded sample of bench/bench_overlap.py,
cut into sentences at sentence-final punctuation (the kit's spaCy sentences
are not needed to time a cache).

Measured in one run, each cache in a fresh temporary folder:

- model: encoding every sentence without a disk cache (``cache_dir=False``);
- before: the cache as it was up to this change, one ``.npy`` file per sentence
  (``<cache>/<2 hex>/<key>.npy``, temp file + rename; :func:`write_per_sentence`
  is that write path) and reading them back, one ``np.load`` per sentence;
- after: :class:`analysis.overlap.embeddings.Encoder` with its shard store:
  a cold run (encode + write), a warm rerun (a new encoder: index + read,
  sentences encoded counted), and a run stopped after half its shards then
  resumed (sentences encoded by the resumed run counted);

printed: files, bytes, seconds, sentences encoded, and whether the vectors are
byte-identical to the model's without a cache.

Run: ``python -m bench.bench_cache [--n N] [--data DIR]``.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.bench_overlap import benchmarks_dir, load_bbc

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def sentences_of(docs: pd.DataFrame) -> list[str]:
    """Sentences of every paragraph of every document, in corpus order."""
    out = []
    for body in docs["body"]:
        for paragraph in body.split("\n\n"):
            out += [s for s in _SENTENCE_END.split(paragraph) if s.strip()]
    return out


def write_per_sentence(folder: Path, keys: list[str], vectors: np.ndarray) -> None:
    """The per-sentence cache's write path: one .npy per key, temp file + os.replace."""
    for key, vector in zip(keys, vectors):
        path = folder / key[:2] / f"{key}.npy"
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            np.save(handle, vector, allow_pickle=False)
        os.replace(tmp, path)


def read_per_sentence(folder: Path, keys: list[str]) -> np.ndarray:
    return np.stack([np.load(folder / key[:2] / f"{key}.npy", allow_pickle=False) for key in keys])


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


class Stop(Exception):
    """Raised by the stopping encoder: the run is killed."""


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--data", type=Path, default=benchmarks_dir())
    args = parser.parse_args(argv)
    if not (args.data / "bbc").is_dir():
        print(f"BBC News not found under {args.data}; skipped.")
        return {}
    from analysis.overlap import encoder_backends
    from analysis.overlap.embedding_store import SHARD_TEXTS
    from analysis.overlap.embeddings import Encoder

    texts = list(dict.fromkeys(sentences_of(load_bbc(args.data / "bbc", args.n))))
    print(f"BBC News, {args.n} articles: {len(texts):,} distinct sentences; {SHARD_TEXTS} per shard", flush=True)
    real = encoder_backends.encode_numpy
    counted: list[int] = []

    def counting(batch, batch_size):
        counted.append(len(batch))
        return real(batch, batch_size)

    encoder_backends.encode_numpy = counting
    rows = []

    def row(run, seconds, folder=None, encoded=None, vectors=None):
        files, size = folder_size(folder) if folder is not None else (0, 0)
        rows.append({"run": run, "seconds": round(seconds, 2), "files": files, "MB": round(size / 1e6, 1),
                     "encoded": encoded, "identical": None if vectors is None else vectors.tobytes() == model.tobytes()})

    try:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            start = time.perf_counter()
            model = Encoder(cache_dir=False).encode(texts)
            row("model, no disk cache", time.perf_counter() - start, encoded=sum(counted), vectors=model)

            keyer = Encoder(cache_dir=False)
            keys = [keyer.key(t) for t in texts]
            start = time.perf_counter()
            write_per_sentence(tmp / "before", keys, model)
            row("before: write one file per sentence", time.perf_counter() - start, tmp / "before")
            start = time.perf_counter()
            again = read_per_sentence(tmp / "before", keys)
            row("before: read them back", time.perf_counter() - start, tmp / "before", vectors=again)

            counted.clear()
            start = time.perf_counter()
            cold = Encoder(cache_dir=tmp / "after").encode(texts)
            row("after: cold run (encode + write shards)", time.perf_counter() - start, tmp / "after",
                sum(counted), cold)
            counted.clear()
            start = time.perf_counter()
            warm = Encoder(cache_dir=tmp / "after").encode(texts)
            row("after: warm rerun (index + read)", time.perf_counter() - start, tmp / "after", sum(counted), warm)

            half = max(1, len(texts) // SHARD_TEXTS // 2)

            def stopping(batch, batch_size):
                if len(counted) >= half:
                    raise Stop
                return counting(batch, batch_size)

            counted.clear()
            encoder_backends.encode_numpy = stopping
            try:
                Encoder(cache_dir=tmp / "stopped").encode(texts)
            except Stop:
                pass
            stopped = sum(counted)
            encoder_backends.encode_numpy = counting
            counted.clear()
            start = time.perf_counter()
            resumed = Encoder(cache_dir=tmp / "stopped").encode(texts)
            row(f"after: resumed after a stop ({stopped:,} kept)", time.perf_counter() - start, tmp / "stopped",
                sum(counted), resumed)
    finally:
        encoder_backends.encode_numpy = real
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(index=False))
    before, after = rows[1], rows[3]
    line = (f"embedding cache, BBC {args.n} ({len(texts):,} sentences): {before['files']:,} files -> {after['files']} "
            f"shards; warm rerun {rows[4]['seconds']} s, {rows[4]['encoded']} encoded (per-sentence read "
            f"{rows[2]['seconds']} s)")
    print(line)
    return {"table": table, "last_line": line}


if __name__ == "__main__":
    main()
