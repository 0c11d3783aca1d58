"""Reports at scale: where per-document figures stop being legible, and a real report's size.

Two measurements:

``--legibility`` (seconds, synthetic tables, no corpus): draws each figure that
has one row or column per document for n documents (labels of 40 characters,
as "Outlet name: headline words (doc_id)"), every figure capped at
:data:`analysis.figures.layout.PAGE_MAX_HEIGHT`, and finds the first n at which
its document labels overlap one another or print below
:data:`analysis.figures.layout.MIN_FONT_SIZE`. The smallest such n, less one,
backs :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS`.

``--report`` (minutes): runs ``parallax report`` on BBC News (2,225 articles,
or ``--limit`` of them, spread evenly over the five topic folders) from
``../shared/benchmarks/bbc``, copied as a corpus folder into a scratch folder
with a ``sources.csv`` whose ``outlet`` is the topic folder (BBC has one
outlet; the topics stand in for outlets so the outlet figures have rows), and
prints report.html's size, the largest figure in pixels (PNG, 300 dpi), the
wall time, and where the time and memory go: the analysis (the notebook's
cells up to the first that builds the findings, which runs every section's
analysis) against the report's own work (kernel start, the other cells:
figures, narrative, HTML tables, the reuse viewer, writing tables; then the
HTML export and the manifest), the peak resident memory of the largest
process (the kernel) and of all the run's processes together (the kernel's
local pool included, sampled every half second), and their CPU seconds.
``parallax report`` runs in a subprocess of its own, so the peaks are the
run's alone. ``--corpus`` times a ready corpus instead (a folder or a JSON
Lines file, e.g. a Reuters sample). Target (issue 15):
report.html under 5 MB for any corpus size, no figure taller than a page
(3,300 px at 300 dpi), BBC 2,225 in at most 5 minutes and 4 GB.

Run: ``python -m bench.bench_report_scale --legibility`` or
``python -m bench.bench_report_scale --report [--limit 1000 | --corpus PATH]``.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.bench_scale import TreeMemory

ROOT = Path(__file__).resolve().parents[1]
#: Characters of each synthetic document label (an outlet and headline words, as display_labels makes them).
LABEL_CHARS = 40


def synthetic_tables(n: int) -> dict:
    """The per-document tables the detailed figures draw, for n documents (deterministic)."""
    from analysis.figures.readability import GRADE_FORMULA_STYLE

    rng = np.random.default_rng(0)
    ids = [f"d{i:05d}" for i in range(n)]
    labels = [f"Outlet {i % 7}: some headline words ({d})".rjust(LABEL_CHARS, "x") for i, d in enumerate(ids)]
    docs = pd.DataFrame({"doc_id": ids, "label": labels})
    grades = rng.normal(10, 2, n)
    a = [x for x in ids for y in ids if x != y]
    b = [y for x in ids for y in ids if x != y]
    return {
        "docs": docs,
        "readability": pd.DataFrame({"label": labels, "text_standard_grade": grades,
                                     **{c: grades for c in GRADE_FORMULA_STYLE}}),
        "paragraphs": pd.DataFrame({"label": np.repeat(labels, 3), "flesch_kincaid_grade": rng.normal(10, 3, 3 * n)}),
        "pairs": pd.DataFrame({"doc_a": a, "doc_b": b, "lexical_containment": rng.uniform(0, 1, len(a))}),
        "quotes": pd.DataFrame({"doc_id": ids, "speaker": [f"Speaker {i % 9}" for i in range(n)], "kind": "quote"}),
        "conflicts": pd.DataFrame({"group_id": [f"N{i % 5}" for i in range(n)], "doc_id": ids, "claim": "a claim",
                                   "conflict": "agree"}),
        "entities": pd.DataFrame({"doc_id": ids, "entity": "Shared Org", "entity_type": "ORG", "mentions": 2,
                                  "mentions_per_1k_words": 4.0}),
    }


def per_document_figures(tables: dict) -> dict:
    """name -> (figure, axis along which the documents are labelled)."""
    from analysis.figures import entities, numbers, overlap, quotes, readability

    docs = tables["docs"]
    return {
        "readability grades (fig-01)": (readability.plot_readability_grades(tables["readability"]), "y"),
        "paragraph grades (fig-02)": (readability.plot_paragraph_distribution(tables["paragraphs"]), "y"),
        "entity heatmap (fig-03)": (entities.plot_entity_heatmap(tables["entities"], docs), "y"),
        "overlap heatmap rows (fig-05)": (overlap.plot_overlap_heatmap(tables["pairs"], docs), "y"),
        "overlap heatmap columns (fig-05)": (overlap.plot_overlap_heatmap(tables["pairs"], docs), "x"),
        "quotes matrix (fig-08)": (quotes.plot_quotes_by_outlet(tables["quotes"], docs), "y"),
        "claims matrix (fig-09)": (numbers.plot_claims_matrix(tables["conflicts"], docs), "x"),
    }


def legible(figure, axis: str) -> bool:
    """Whether the figure's tick labels along ``axis`` are at least MIN_FONT_SIZE and do not overlap."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from analysis.figures import drawing
    from analysis.figures.layout import MIN_FONT_SIZE, PAGE_MAX_HEIGHT

    if figure.get_size_inches()[1] > PAGE_MAX_HEIGHT:
        return False
    canvas = FigureCanvasAgg(figure)
    with drawing(figure):
        canvas.draw()
    ax = figure.axes[0]
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    if any(t.get_fontsize() < MIN_FONT_SIZE for t in ticks):
        return False
    renderer = canvas.get_renderer()
    boxes = sorted((t.get_window_extent(renderer) for t in ticks if t.get_text()),
                   key=lambda box: box.y0 if axis == "y" else box.x0)
    for first, second in zip(boxes, boxes[1:]):
        if (second.y0 < first.y1 - 0.5) if axis == "y" else (second.x0 < first.x1 - 0.5):
            return False
    return True


def legibility(largest: int = 200) -> dict[str, int | None]:
    """First n (2 to ``largest``) at which each per-document figure is no longer legible (None: never).

    Bisection per figure: a figure legible at n is taken to be legible below n.
    """
    names = list(per_document_figures(synthetic_tables(2)))
    first_failure: dict[str, int | None] = {}
    for name in names:
        def fails(n: int) -> bool:
            figure, axis = per_document_figures(synthetic_tables(n))[name]
            return not legible(figure, axis)

        if not fails(largest):
            first_failure[name] = None
            continue
        low, high = 2, largest  # legible at low (assumed), illegible at high
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (low, middle) if fails(middle) else (middle, high)
        first_failure[name] = high
    return first_failure


def bbc_corpus(source: Path, target: Path, limit: int | None) -> int:
    """Copy BBC News into ``target`` as a corpus folder (topic folder as outlet); the number of articles."""
    topics = sorted(p for p in source.iterdir() if p.is_dir())
    files = {t.name: sorted(t.glob("*.txt")) for t in topics}
    total = sum(len(f) for f in files.values())
    rows = []
    target.mkdir(parents=True)
    for topic, paths in files.items():
        keep = paths if limit is None else paths[: round(limit * len(paths) / total)]
        for path in keep:
            doc_id = f"{topic}_{path.stem}"
            shutil.copyfile(path, target / f"{doc_id}.txt")
            rows.append({"doc_id": doc_id, "outlet": f"BBC {topic}"})
    pd.DataFrame(rows).to_csv(target / "sources.csv", index=False)
    return len(rows)


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) in pixels of a PNG, from its header."""
    with open(path, "rb") as handle:
        header = handle.read(24)
    return struct.unpack(">II", header[16:24])


def timed_report(corpus: Path, out: Path, timings: Path) -> None:
    """``run_report`` with its phases timed, for :func:`report` (run in a subprocess of its own).

    Before the executed notebook is scrubbed of its run times, papermill's
    per-cell durations are read from it; the HTML export and the manifest are
    timed around the runner's own calls. Writes ``timings`` as JSON.
    """
    import nbformat

    from analysis.report import manifest, run

    phases: dict[str, float] = {}
    cells: list[dict] = []

    def timed(name: str, function):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - start
        return wrapper

    scrub = run.scrub_notebook

    def read_durations_then_scrub(path):
        for cell in nbformat.read(str(path), as_version=4).cells:
            if cell.cell_type == "code":
                cells.append({"source": cell.source,
                              "seconds": cell.metadata.get("papermill", {}).get("duration") or 0.0})
        scrub(path)

    run.scrub_notebook = read_durations_then_scrub
    run.export_html = timed("HTML export", run.export_html)
    manifest.build_manifest = timed("manifest (hashes)", manifest.build_manifest)
    start = time.perf_counter()
    run.run_report(corpus, out)
    wall = time.perf_counter() - start
    timings.write_text(json.dumps({"wall": wall, "cells": cells, "phases": phases}))


#: A cell whose source has this builds the findings from every section's tables: it runs the analysis.
ANALYSIS_CELL = "findings_tables("


def split_times(timings: dict) -> dict[str, float]:
    """Seconds of the analysis (cells up to the first :data:`ANALYSIS_CELL`) and of the report's own work."""
    cells = timings["cells"]
    last = next((k for k, cell in enumerate(cells) if ANALYSIS_CELL in cell["source"]), -1)
    analysis = sum(cell["seconds"] for cell in cells[:last + 1])
    other_cells = sum(cell["seconds"] for cell in cells[last + 1:])
    after = sum(timings["phases"].values())
    return {"analysis": analysis, "report cells": other_cells, **timings["phases"],
            "kernel, papermill, rest": timings["wall"] - analysis - other_cells - after,
            "report only": timings["wall"] - analysis}


def report(data: Path, limit: int | None, corpus_path: Path | None = None) -> dict:
    """Run ``parallax report`` on BBC News (or ``corpus_path``) in a subprocess; print and return its figures."""
    with tempfile.TemporaryDirectory() as scratch:
        if corpus_path is None:
            corpus = Path(scratch) / "bbc"
            name = f"BBC News, {bbc_corpus(data / 'bbc', corpus, limit):,} articles"
        else:
            corpus, name = corpus_path.resolve(), str(corpus_path)
        out, timings_file = Path(scratch) / "report", Path(scratch) / "timings.json"
        process = subprocess.Popen([sys.executable, "-m", "bench.bench_report_scale", "--timed-run", str(corpus),
                                    str(out), str(timings_file)], cwd=ROOT)
        tree = TreeMemory(process.pid)  # the kernel and its pool are descendants of the run
        tree.start()
        if process.wait():
            raise subprocess.CalledProcessError(process.returncode, process.args)
        all_processes = tree.stop() * 2**30
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # largest process of the run
        timings = json.loads(timings_file.read_text())
        html = (out / "report.html").stat().st_size
        sizes = {p.name: png_size(p) for p in sorted((out / "figures").glob("*.png"))}
        tallest = max(sizes.items(), key=lambda item: item[1][1])
        split = split_times(timings)
        print(f"{name}: report.html {html / 1e6:.2f} MB (target < 5 MB); "
              f"tallest figure {tallest[0]} {tallest[1][0]} x {tallest[1][1]} px at 300 dpi "
              f"(a page: 3,300 px); wall time {timings['wall']:.0f} s (target for BBC 2,225: 300 s); "
              f"peak memory: largest process {peak / 1e9:.2f} GB, all the run's processes together "
              f"{all_processes / 1e9:.2f} GB (target 4 GB); {tree.cpu_seconds:.0f} CPU-s in all its processes")
        print(f"  analysis {split['analysis']:.1f} s; report only {split['report only']:.1f} s "
              f"({split['report only'] / timings['wall']:.0%} of the wall time), of which:")
        for phase, seconds in split.items():
            if phase not in ("analysis", "report only"):
                print(f"    {phase:<26}{seconds:7.1f} s")
        print("  cell durations (s):", " ".join(f"{cell['seconds']:.1f}" for cell in timings["cells"]))
        for figure, (width, height) in sizes.items():
            print(f"  {figure}: {width} x {height} px")
        return {"wall": timings["wall"], "peak_bytes": peak, "all_processes_bytes": all_processes,
                "cpu_seconds": tree.cpu_seconds,
                "html_bytes": html, **split}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--legibility", action="store_true", help="where per-document figures stop being legible")
    parser.add_argument("--report", action="store_true", help="parallax report on BBC News")
    parser.add_argument("--limit", type=int, default=None, help="articles of BBC News (default: all 2,225)")
    parser.add_argument("--corpus", type=Path, default=None, help="a ready corpus folder or file instead of BBC")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--timed-run", nargs=3, type=Path, metavar=("CORPUS", "OUT", "TIMINGS"),
                        help=argparse.SUPPRESS)  # the subprocess of --report
    args = parser.parse_args(argv)
    if args.timed_run:
        timed_report(*args.timed_run)
        return
    if args.legibility:
        from analysis.figures.layout import DETAIL_MAX_DOCUMENTS

        failures = legibility()
        for name, n in sorted(failures.items(), key=lambda item: item[1] or 10**9):
            print(f"{name}: labels overlap or shrink below the smallest font from {n} documents")
        print(f"DETAIL_MAX_DOCUMENTS = {DETAIL_MAX_DOCUMENTS}; measured: "
              f"{min(n for n in failures.values() if n) - 1}")
    if args.report:
        report(args.data, args.limit, args.corpus)


if __name__ == "__main__":
    main()
