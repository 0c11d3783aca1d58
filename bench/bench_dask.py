"""``parallax analyze`` on ~200 BBC articles: locally, and on Dask clusters of 1 and 2 workers, in one run.

Corpus: every 11th article of BBC News (research use; ``shared/benchmarks/bbc``),
written to a temporary corpus folder (title line, blank line, paragraphs) and
deleted afterwards. The local run (a pool of one process per core, as a user's
run of this size) is the baseline. Then, for each worker count of
``--workers`` (default 1 and 2), a ``distributed`` LocalCluster (worker
processes of 1 thread each, no dashboard) started for that run alone runs the
same analysis cold (each worker loads spaCy and the encoder). Every run starts
with an empty sentence-vector cache of its own (``PARALLAX_CACHE``, which the
workers inherit), so no run reads vectors another one encoded. Every table is
written as CSV and compared byte for byte with the local run's.

What it shows on a machine of two cores: how the cluster's time falls from one
worker to two (the per-document stage above all), i.e. that the work spreads
over workers, which on a real cluster are machines; and that the tables stay
the same whichever way the run was made. It cannot show a gain beyond the
machine's cores.

Run: ``python -m bench.bench_dask [--every N] [--limit N] [--workers 1 2]``.
"""

from __future__ import annotations

import argparse
import os
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


def fresh_cache(root: Path, name: str) -> None:
    """Point ``PARALLAX_CACHE`` at an empty folder (processes started afterwards inherit it)."""
    folder = root / "cache" / name
    folder.mkdir(parents=True)
    os.environ["PARALLAX_CACHE"] = str(folder)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--every", type=int, default=11, help="take every N-th BBC article (default 11)")
    parser.add_argument("--limit", type=int, default=200, help="at most N articles (default 200)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="cluster sizes (default 1 2)")
    args = parser.parse_args(argv)

    from distributed import LocalCluster

    previous_cache = os.environ.get("PARALLAX_CACHE")
    runs: dict[str, tuple[float, float]] = {}
    differing: set[str] = set()
    try:
        with tempfile.TemporaryDirectory(prefix="parallax-bench-dask-") as tmp:
            tmp = Path(tmp)
            corpus = tmp / "bbc-sample"
            corpus.mkdir()
            n = write_corpus(corpus, args.every, args.limit)
            fresh_cache(tmp, "local")
            *runs["local"], local = run(corpus, tmp / "local")
            for workers in args.workers:
                name = f"Dask, {workers} worker{'s' if workers > 1 else ''}"
                fresh_cache(tmp, f"dask-{workers}")
                with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
                    *runs[name], tables = run(corpus, tmp / f"dask-{workers}", cluster.scheduler_address)
                differing |= {table for table in local if tables.get(table) != local[table]}
    finally:
        if previous_cache is None:
            os.environ.pop("PARALLAX_CACHE", None)
        else:
            os.environ["PARALLAX_CACHE"] = previous_cache
    print(f"parallax analyze, {n} BBC articles ({len(local)} tables), cold, each run with an empty vector cache")
    for name, (seconds, documents_s) in runs.items():
        print(f"  {name + ':':<20}{seconds:7.1f} s  (per-document stage {documents_s:6.1f} s)")
    dask_runs = [name for name in runs if name != "local"]
    if len(dask_runs) > 1:
        first, last = runs[dask_runs[0]], runs[dask_runs[-1]]
        print(f"  {dask_runs[-1]} against {dask_runs[0]}: {first[0] / last[0]:.2f}x the speed "
              f"(per-document stage {first[1] / last[1]:.2f}x)")
    print(f"  tables byte-identical to the local run's: {'all' if not differing else 'NOT ' + ', '.join(sorted(differing))}")
    result = {"articles": n, "tables": len(local), "tables_differing": sorted(differing),
              **{f"{name} s": round(seconds, 1) for name, (seconds, _) in runs.items()},
              **{f"{name} per-document stage s": round(docs, 1) for name, (_, docs) in runs.items()}}
    result["last_line"] = ("; ".join(f"{name} {seconds:.1f} s" for name, (seconds, _) in runs.items())
                           + f" on {n} BBC articles, tables {'identical' if not differing else 'DIFFER'}")
    return result


if __name__ == "__main__":
    main()
