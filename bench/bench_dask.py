"""``parallax analyze`` on ~200 BBC articles: locally vs on a two-worker Dask cluster, in one run.

Corpus: every 11th article of BBC News (research use; ``shared/benchmarks/bbc``),
written to a temporary corpus folder (title line, blank line, paragraphs) and
deleted afterwards. The local run is the baseline; then a ``distributed``
LocalCluster (2 worker processes, 1 thread each, no dashboard) on this machine
runs the same analysis twice (cold: each worker loads spaCy and the encoder
first; warm: loaded). Every table is written as CSV and compared byte for
byte with the local run's.

Run: ``python -m bench.bench_dask [--every N] [--limit N]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.bench_entities import _benchmarks_dir


def write_corpus(folder: Path, every: int, limit: int) -> int:
    """Every ``every``-th BBC article (sorted by path), at most ``limit``, as ``.txt`` files in ``folder``."""
    files = sorted((_benchmarks_dir() / "bbc").glob("*/*.txt"))[::every][:limit]
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        title, _, rest = text.partition("\n")
        paragraphs = [p.strip() for p in rest.split("\n") if p.strip()]
        (folder / f"{path.parent.name}_{path.stem}.txt").write_text(
            title.strip() + "\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return len(files)


def run(corpus: Path, out: Path, scheduler: str = "") -> tuple[float, float, dict[str, bytes]]:
    """Seconds for the whole analysis (as ``analyze``), seconds of its per-document stage, and every table's CSV bytes."""
    from analysis.report import pipeline
    from analysis.tables import write_table

    start = time.perf_counter()
    analysis = pipeline.open_corpus(corpus, scheduler=scheduler)
    documents_start = time.perf_counter()
    analysis.document_batches  # the per-document stage: parse, sentences, readability, numbers, dates, quotes
    documents_s = time.perf_counter() - documents_start
    tables = {}
    try:
        for section in pipeline.SECTIONS.values():
            tables.update(section(analysis))
    finally:
        analysis.close_executor()
    seconds = time.perf_counter() - start
    out.mkdir(parents=True, exist_ok=True)
    return seconds, documents_s, {name: write_table(t, out / f"{name}.csv").read_bytes() for name, t in tables.items()}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--every", type=int, default=11, help="take every N-th BBC article (default 11)")
    parser.add_argument("--limit", type=int, default=200, help="at most N articles (default 200)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)

    from distributed import LocalCluster

    with tempfile.TemporaryDirectory(prefix="parallax-bench-dask-") as tmp:
        tmp = Path(tmp)
        corpus = tmp / "bbc-sample"
        corpus.mkdir()
        n = write_corpus(corpus, args.every, args.limit)
        local_s, local_docs_s, local = run(corpus, tmp / "local")
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            cold_s, _, cold = run(corpus, tmp / "cold", cluster.scheduler_address)
            warm_s, warm_docs_s, warm = run(corpus, tmp / "warm", cluster.scheduler_address)
    differing = sorted(name for name in local if cold.get(name) != local[name] or warm.get(name) != local[name])
    result = {"articles": n, "tables": len(local), "local_s": round(local_s, 1),
              "local_document_stage_s": round(local_docs_s, 1), "cluster_warm_document_stage_s": round(warm_docs_s, 1),
              "cluster_cold_s": round(cold_s, 1), "cluster_warm_s": round(warm_s, 1),
              "warm_speedup": round(local_s / warm_s, 2), "tables_differing": differing}
    print(f"parallax analyze, {n} BBC articles ({len(local)} tables)")
    print(f"  local (one process):                       {local_s:7.1f} s "
          f"(per-document stage {local_docs_s:.1f} s)")
    print(f"  Dask, {args.workers} workers x 1 thread, cold:         {cold_s:7.1f} s")
    print(f"  Dask, {args.workers} workers x 1 thread, warm:         {warm_s:7.1f} s "
          f"({result['warm_speedup']:.2f}x the local run's speed; per-document stage {warm_docs_s:.1f} s)")
    print(f"  tables byte-identical to the local run's: {'all' if not differing else 'NOT ' + ', '.join(differing)}")
    result["last_line"] = (f"Dask {args.workers} workers vs local on {n} BBC articles: {warm_s:.1f} s vs "
                           f"{local_s:.1f} s, tables {'identical' if not differing else 'DIFFER'}")
    return result


if __name__ == "__main__":
    main()
