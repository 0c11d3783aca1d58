"""The seeds report against a bare papermill round trip, both timed as commands in the same run.

Baseline: the ``papermill`` command executing a one-cell notebook (``1 + 1``)
with the same kernel: the CLI's imports, kernel start, one execution, notebook
write. Timed the same way, as the command a user types: ``parallax report
seeds/nk-wagner-arms --out DIR`` (its own imports and checks, papermill,
a fresh kernel, figure files, HTML export, manifest). The two alternate,
round after round, after one untimed warm-up of each; medians are compared.
The ratio is what matters, since both move with the machine. Target: at most 4x.

Each command's wall time and CPU time (user + system of the command and all
the processes it waited for: kernel, figure writer) are printed. The machine is
shared and has 2 cores: when other sessions keep them busy, a run gets no second
core and the wall ratio drifts towards the CPU ratio, so the load average at the
start and end of the run is printed with the result. See bench/report_speed.md
for measured figures.

Also timed, as a floor: the same ``papermill`` command on a one-cell notebook
whose cell only imports the libraries the report cannot do without (pandas,
matplotlib, textstat with its pronunciation dictionary, spaCy with its English
pipeline) and loads their data, without analysing anything. No report built on
this stack can be faster than that floor, so its ratio says how much of the gap
is the stack's. Last, one ``papermill`` run of the report notebook has its cell
durations summed per report section, to show where the time goes (model loads
land in the first cell that needs them: the key findings run every analysis).

Run: ``python -m bench.bench_report [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds" / "nk-wagner-arms"
NOTEBOOK = ROOT / "notebooks" / "report.ipynb"
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


def _script(name: str) -> str:
    """A console script of this environment (``papermill``, ``parallax``)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if not found:
        raise SystemExit(f"no {name} command in {Path(sys.executable).parent} or on PATH")
    return found


def _one_cell_notebook(path: Path, source: str) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def timed_command(argv: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Run ``argv`` in ``cwd``; return (wall seconds, CPU seconds of it and its waited-for children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def section_seconds(workdir: Path) -> dict[str, float]:
    """Seconds per report section, from one ``papermill`` run of the report notebook (cell durations).

    A code cell belongs to the section of the last markdown heading above it;
    "papermill, kernel start" is the command's wall time not spent in any cell.
    """
    import nbformat

    executed = workdir / "timed.ipynb"
    wall, _ = timed_command([_script("papermill"), str(NOTEBOOK), str(executed), "--no-progress-bar",
                             "-p", "corpus", str(SEEDS), "-p", "output_dir", str(workdir / "timed")])
    sections: dict[str, float] = {}
    section = "set-up and key findings (every analysis)"
    for cell in nbformat.read(executed, as_version=4).cells:
        if cell.cell_type == "markdown":
            headings = [line.lstrip("#").strip() for line in cell.source.splitlines() if line.startswith("## ")]
            section = headings[0] if headings else section
        elif cell.cell_type == "code":
            seconds = cell.metadata.get("papermill", {}).get("duration") or 0.0
            name = "waiting for figure files" if "wait_for_figures" in cell.source else section
            sections[name] = sections.get(name, 0.0) + seconds
    sections["papermill, kernel start"] = wall - sum(sections.values())
    return sections


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (median reported)")
    parser.add_argument("--no-sections", action="store_true", help="skip the per-section breakdown")
    parser.add_argument("--compare", metavar="CHECKOUT", type=Path,
                        help="also time the report of another checkout of the kit (e.g. main's, from git "
                             "worktree or git archive) in the same rounds: python -m analysis.cli run there, "
                             "which imports that checkout's analysis package with this environment")
    args = parser.parse_args(argv)
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        papermill = _script("papermill")
        commands = {
            "bare": [papermill, str(_one_cell_notebook(workdir / "bare.ipynb", "1 + 1")),
                     str(workdir / "bare-out.ipynb")],
            "floor": [papermill, str(_one_cell_notebook(workdir / "floor.ipynb", STACK_FLOOR_CELL)),
                      str(workdir / "floor-out.ipynb")],
            "report": [_script("parallax"), "report", str(SEEDS), "--out", str(workdir / "report")],
        }
        cwds = {name: ROOT for name in commands}
        if args.compare:
            commands["compare"] = [sys.executable, "-m", "analysis.cli", "report", str(SEEDS),
                                   "--out", str(workdir / "report-compare")]
            cwds["compare"] = args.compare.resolve()
        for name, argv_ in commands.items():  # warm-up: file cache, kernel spec lookup, the report folder exists
            timed_command(argv_, cwds[name])
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.repeat):
            for name, argv_ in commands.items():
                times[name].append(timed_command(argv_, cwds[name]))
        sections = {} if args.no_sections else section_seconds(workdir)
    load_end = os.getloadavg()

    result: dict = {"repeat": args.repeat, "load_start": load_start[0], "load_end": load_end[0]}
    for name, runs in times.items():
        result[f"{name}_seconds"] = statistics.median(w for w, _ in runs)
        result[f"{name}_cpu_seconds"] = statistics.median(c for _, c in runs)
    result["ratio"] = result["report_seconds"] / result["bare_seconds"]
    result["cpu_ratio"] = result["report_cpu_seconds"] / result["bare_cpu_seconds"]
    result["stack_floor_ratio"] = result["floor_seconds"] / result["bare_seconds"]
    print(f"load average (1 min): {load_start[0]:.1f} at start, {load_end[0]:.1f} at end, on {os.cpu_count()} cores")
    labels = {"bare": "papermill, one-cell notebook", "floor": "papermill, stack floor cell",
              "report": "parallax report seeds"}
    if args.compare:
        labels["compare"] = f"report seeds, {args.compare.name}"
        result["compare_ratio"] = result["compare_seconds"] / result["bare_seconds"]
        result["compare_cpu_ratio"] = result["compare_cpu_seconds"] / result["bare_cpu_seconds"]
    for name, label in labels.items():
        print(f"{label:<30} {result[f'{name}_seconds']:6.2f} s wall, {result[f'{name}_cpu_seconds']:6.2f} s CPU "
              f"(median of {args.repeat}: {', '.join(f'{w:.1f}' for w, _ in times[name])} s)")
    verdict = "within" if result["ratio"] <= TARGET_RATIO else "OVER"
    print(f"stack floor: {result['stack_floor_ratio']:.2f}x the bare round trip")
    print(f"ratio: {result['ratio']:.2f}x wall ({verdict} the {TARGET_RATIO:.0f}x target), "
          f"{result['cpu_ratio']:.2f}x CPU")
    if args.compare:
        print(f"{labels['compare']}: {result['compare_ratio']:.2f}x wall, {result['compare_cpu_ratio']:.2f}x CPU")
    if sections:
        print("where a report's time goes (one papermill run of the notebook, without HTML export and manifest):")
        for name, seconds in sections.items():
            print(f"  {name:<42}{seconds:6.2f} s")
    result["section_seconds"] = sections
    result["last_line"] = (f"REPORT seeds {result['ratio']:.2f}x a bare papermill round trip "
                           f"(target {TARGET_RATIO:.0f}x; CPU {result['cpu_ratio']:.2f}x; load {load_start[0]:.1f})")
    return result


if __name__ == "__main__":
    main()
