"""The seeds report against a bare papermill round trip, timed in the same run.

Baseline: papermill executing a one-cell notebook (``1 + 1``) with the same
kernel: kernel start, one execution, notebook write. The kit's full report on
the seed corpus (``parallax report``'s code path: papermill, HTML export,
manifest) is timed the same way; the ratio is what matters, since both move
with the machine. Target once every section exists: at most 4x.

Also timed, as a floor: the same one-cell round trip whose cell only imports
the libraries the report cannot do without (pandas, matplotlib, textstat with
its pronunciation dictionary, spaCy with its English pipeline) and loads
their data, without analysing anything. No report built on this stack can be
faster than that floor, so its ratio says how much of the gap is the stack's.
Last, one papermill run's cell durations are summed per report section, to
show where the time goes (model loads land in the first section that needs
them: spaCy in "The corpus", textstat in "Readability").

Run: ``python -m bench.bench_report [--repeat N]``.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

from analysis.report.run import DEFAULT_NOTEBOOK, run_report

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds" / "nk-wagner-arms"
TARGET_RATIO = 4.0


#: The floor cell: the stack's imports and data loads, no analysis.
STACK_FLOOR_CELL = """\
from analysis.resources import ensure_cmudict, resolve_spacy_model
import matplotlib.figure
import pandas
import spacy
import textstat
ensure_cmudict()
textstat.flesch_reading_ease("Load the pronunciation dictionary.")
nlp = spacy.load(resolve_spacy_model("auto"))
"""


def _one_cell_round_trip(workdir: Path, source: str) -> float:
    notebook = workdir / "one-cell.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebook)
    start = time.perf_counter()
    papermill.execute_notebook(str(notebook), str(workdir / "one-cell-out.ipynb"), progress_bar=False,
                               cwd=str(ROOT), extra_arguments=["--IPKernelApp.log_level=CRITICAL"])  # as run_report
    return time.perf_counter() - start


def _bare_round_trip(workdir: Path) -> float:
    return _one_cell_round_trip(workdir, "1 + 1")


def _stack_floor(workdir: Path) -> float:
    return _one_cell_round_trip(workdir, STACK_FLOOR_CELL)


def _seeds_report(workdir: Path) -> float:
    start = time.perf_counter()
    run_report(SEEDS, workdir / "report")
    return time.perf_counter() - start


def _section_seconds(workdir: Path) -> dict[str, float]:
    """Seconds per report section, from one papermill run's cell durations.

    A code cell belongs to the section of the last markdown heading above it;
    "kernel and papermill" is the run's wall time not spent in any cell.
    """
    executed = workdir / "timed.ipynb"
    start = time.perf_counter()
    papermill.execute_notebook(str(DEFAULT_NOTEBOOK), str(executed), progress_bar=False, cwd=str(ROOT),
                               parameters={"corpus": str(SEEDS), "output_dir": str(workdir / "timed")},
                               extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    wall = time.perf_counter() - start
    sections: dict[str, float] = {}
    section = "set-up"
    for cell in nbformat.read(executed, as_version=4).cells:
        if cell.cell_type == "markdown":
            headings = [line.lstrip("#").strip() for line in cell.source.splitlines() if line.startswith("## ")]
            section = headings[0] if headings else section
        elif cell.cell_type == "code":
            seconds = cell.metadata.get("papermill", {}).get("duration") or 0.0
            name = "waiting for figure files" if "wait_for_figures" in cell.source else section
            sections[name] = sections.get(name, 0.0) + seconds
    sections["kernel and papermill"] = wall - sum(sections.values())
    return sections


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (median reported)")
    args = parser.parse_args(argv)
    bare, floor, full = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        _stack_floor(workdir)  # warm the file cache and kernel spec lookup
        for _ in range(args.repeat):
            bare.append(_bare_round_trip(workdir))
            floor.append(_stack_floor(workdir))
            full.append(_seeds_report(workdir))
        sections = _section_seconds(workdir)
    result = {"bare_seconds": statistics.median(bare), "stack_floor_seconds": statistics.median(floor),
              "report_seconds": statistics.median(full)}
    result["stack_floor_ratio"] = result["stack_floor_seconds"] / result["bare_seconds"]
    result["ratio"] = result["report_seconds"] / result["bare_seconds"]
    print(f"bare papermill round trip: {result['bare_seconds']:.2f} s (median of {args.repeat})")
    print(f"stack floor (imports and model loads only): {result['stack_floor_seconds']:.2f} s, "
          f"{result['stack_floor_ratio']:.2f}x the bare round trip")
    print(f"seeds report:              {result['report_seconds']:.2f} s (median of {args.repeat})")
    verdict = "within" if result["ratio"] <= TARGET_RATIO else "OVER"
    print(f"ratio: {result['ratio']:.2f}x ({verdict} the {TARGET_RATIO:.0f}x target)")
    print("where a report's time goes (one papermill run, without HTML export and manifest):")
    for name, seconds in sections.items():
        print(f"  {name:<28}{seconds:6.2f} s")
    result["section_seconds"] = sections
    return result


if __name__ == "__main__":
    main()
