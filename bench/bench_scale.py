"""Issue 15's scale targets on Reuters-21578, measured as a user would run the kit.

Corpus (research copy in ../shared/benchmarks, never in the repo): ALL 21,578
Reuters-21578 stories, title-only (``TYPE="BRIEF"``) and unprocessed
(``TYPE="UNPROC"``) ones included: title and body when the story has them,
else the whole ``<TEXT>`` with its markup removed. The corpus is written as one
``reuters.jsonl`` (``doc_id`` = NEWID, ``text``) in a scratch folder
(``--scratch``, default a temporary directory), never in the repository.

Measured in one run, side by side (the machine's load moves absolute times;
the ratios are what is compared):

a. ``parallax analyze`` on all 21,578 stories, as a command under
   ``/usr/bin/time -v``: wall time and peak resident memory (target: 10 minutes
   and 4 GB on the 2-core development machine). ``--timeout`` stops it.
b. text-dedup's MinHash (``python -m text_dedup.minhash``, word 3-grams, 128
   permutations, threshold 0.1 as the kit's LSH) on the same stories, from its
   own scratch virtual environment (``--textdedup-python``, e.g.
   /tmp/textdedup-venv/bin/python; never the project's lock), timed as a
   command; if it is missing, datasketch's plain MinHash LSH loop
   (:func:`bench.bench_stories.plain_minhash`) is the baseline. Against it,
   the kit's candidate and passage stages (common shingle forms, template
   lines, candidates, stories, passages within stories) timed in this
   process: ratio, target at most 3.
c. Growth: ``parallax analyze`` on the first 1,000, 5,000 and 20,000 of those
   stories (``--growth``); the time exponent in n (least-squares slope of log
   time on log n, and between each two sizes), target at most 1.1.

Run: ``python -m bench.bench_scale [--skip-analyze] [--growth 1000 5000 20000]
[--textdedup-python PATH] [--timeout SECONDS]``.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd

from bench.bench_overlap import benchmarks_dir, known_duplicates

_STORY = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)
_TEXT = re.compile(r"<TEXT[^>]*>(.*?)</TEXT>", re.S)
_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.S)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _clean(text: str) -> str:
    text = re.sub(r"[\x00-\x08\x0b-\x1f]", " ", html.unescape(text))
    text = re.sub(r"\s*Reuter\s*$", "", text.strip())
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def load_all_reuters(root: Path) -> pd.DataFrame:
    """Every Reuters-21578 story (21,578): ``doc_id`` (NEWID), ``body`` (title, blank line, body; or
    the title alone; or the unprocessed text without markup), ``kind`` (``body``, ``title_only``,
    ``unprocessed``)."""
    rows = []
    for path in sorted(root.glob("reut2-*.sgm")):
        for newid, story in _STORY.findall(path.read_bytes().decode("latin-1")):
            text = _TEXT.search(story)
            inner = text.group(1) if text else ""
            title, body = _TITLE.search(inner), _BODY.search(inner)
            if body is not None:
                kind, raw = "body", (title.group(1) if title else "") + "\n\n" + body.group(1)
            elif title is not None:
                kind, raw = "title_only", title.group(1)
            else:
                kind, raw = "unprocessed", _TAG.sub(" ", inner)
            cleaned = _clean(raw)
            rows.append({"doc_id": newid, "body": cleaned or f"(story {newid} has no text)", "kind": kind})
    return pd.DataFrame(rows)


def write_corpus(docs: pd.DataFrame, folder: Path) -> Path:
    """``folder/reuters.jsonl``: one ``{"doc_id", "text"}`` object per story (the kit's table input)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "reuters.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for doc_id, body in zip(docs["doc_id"], docs["body"]):
            out.write(json.dumps({"doc_id": doc_id, "text": body}, ensure_ascii=False) + "\n")
    return path


def timed_command(command: list[str], timeout: float | None, cwd: Path | None = None,
                  env: dict | None = None) -> dict:
    """Run ``command`` under ``/usr/bin/time -v``: wall seconds, peak RSS (GB), exit code, last output lines."""
    t0 = time.perf_counter()
    # its own process group, so that a timeout stops the command and not only /usr/bin/time
    process = subprocess.Popen(["/usr/bin/time", "-v", *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=cwd, env=env, start_new_session=True)
    tree = TreeMemory(process.pid)
    tree.start()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        peak_gb = _peak_so_far(process.pid)
        os.killpg(process.pid, signal.SIGTERM)
        process.communicate()
        return {"wall_seconds": time.perf_counter() - t0, "peak_gb": peak_gb, "returncode": "timeout", "tail": "",
                "tree_peak_gb": tree.stop(), "cpu_seconds": tree.cpu_seconds}
    wall = time.perf_counter() - t0
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    return {"wall_seconds": wall, "peak_gb": int(peak.group(1)) / 2**20 if peak else math.nan,
            "returncode": process.returncode, "tail": "\n".join((stdout + stderr).strip().splitlines()[-3:]),
            "tree_peak_gb": tree.stop(), "cpu_seconds": tree.cpu_seconds}


class TreeMemory(threading.Thread):
    """Largest sum of resident memory (GB) of a process and all its descendants, and their CPU
    seconds, sampled every half second.

    ``/usr/bin/time`` gives the largest single process; a run with a process pool (the kit's
    local pool, its forkserver) holds several at once, and the machine's budget is their sum.
    CPU time (user + system, :attr:`cpu_seconds`) is each process's last sample summed over
    every process seen: ``/usr/bin/time``'s own figure misses pool processes that their
    forkserver reaps, and a process's last half second is lost here, a few seconds in all.
    Against the wall time it tells a run that did more work from one that got less of the CPU.
    """

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.done = pid, 0, threading.Event()
        self.cpu_ticks: dict[int, int] = {}

    def run(self) -> None:
        while not self.done.wait(0.5):
            tree = [self.pid, *_descendants(self.pid)]
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(p) for p in tree))
            for pid in tree:
                self.cpu_ticks[pid] = max(self.cpu_ticks.get(pid, 0), _cpu_ticks(pid))

    def stop(self) -> float:
        self.done.set()
        self.join()
        return self.peak_kb / 2**20

    @property
    def cpu_seconds(self) -> float:
        return sum(self.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    try:
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return children + [d for c in children for d in _descendants(c)]


def _rss_kb(pid: int) -> int:
    try:
        return int(re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text()).group(1))
    except (OSError, AttributeError):
        return 0


def _cpu_ticks(pid: int) -> int:
    """utime + stime of ``pid`` in clock ticks (``/proc/PID/stat`` fields 14 and 15), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def _peak_so_far(time_pid: int) -> float:
    """Peak resident memory (GB, Linux ``VmHWM``) so far of the command ``/usr/bin/time`` runs; NaN if unknown."""
    try:
        child = Path(f"/proc/{time_pid}/task/{time_pid}/children").read_text().split()[0]
        status = Path(f"/proc/{child}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 2**20
    except (OSError, IndexError, AttributeError):
        return math.nan


def analyze_command(corpus: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "analysis.cli", "analyze", str(corpus), "--out", str(out)]


def run_analyze(docs: pd.DataFrame, scratch: Path, name: str, timeout: float | None) -> dict:
    """``parallax analyze`` on ``docs`` (written to scratch/name/), timed as a command.

    Each run starts with an empty sentence-vector cache of its own (``PARALLAX_CACHE``), as a
    user's first run on a new archive does: a cache warmed by an earlier run would hide the encoding.
    """
    corpus = write_corpus(docs, scratch / name / "corpus")
    cache = scratch / name / "cache"
    shutil.rmtree(cache, ignore_errors=True)
    result = timed_command(analyze_command(corpus.parent, scratch / name / "out"), timeout,
                           env={**os.environ, "PARALLAX_CACHE": str(cache)})
    print(f"parallax analyze, {len(docs):,} stories: {result['wall_seconds']:.0f} s wall, "
          f"{result['cpu_seconds']:.0f} CPU-s in all its processes, peak "
          f"{result['peak_gb']:.2f} GB (largest process; all its processes together "
          f"{result['tree_peak_gb']:.2f} GB), exit {result['returncode']}; load average "
          f"{os.getloadavg()[1]:.1f} over the last 5 min on {os.cpu_count()} cores", flush=True)
    if result["returncode"] != 0:
        print("  " + str(result["tail"]).replace("\n", "\n  "), flush=True)
    return result


TEXTDEDUP_CONFIG = """\
[input]
input_type = "local_files"
file_type = "json"
[input.read_arguments]
path = "json"
data_files = "{data}"
split = "train"

[algorithm]
algorithm_name = "minhash"
text_column = "text"
num_perm = 128
ngram_size = 3
threshold = 0.1
min_length = 1
seed = 1
num_proc = 1

[output]
output_dir = "{out}"
save_clusters = true

[debug]
enable_profiling = false
"""


def run_textdedup(python: Path, corpus: Path, scratch: Path, timeout: float | None) -> dict:
    """text-dedup's MinHash on the corpus, from its own environment, timed as a command."""
    folder = scratch / "textdedup"
    shutil.rmtree(folder, ignore_errors=True)  # a cold run: no cache of an earlier one
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text(TEXTDEDUP_CONFIG.format(data=corpus, out=folder / "out"))
    return timed_command([str(python), "-m", "text_dedup.minhash"], timeout, cwd=folder,
                         env={**os.environ, "HF_DATASETS_CACHE": str(folder / "hf-cache")})


def kit_stages(docs: pd.DataFrame) -> tuple[float, pd.DataFrame]:
    """The kit's candidate and passage stages as ``parallax analyze`` runs them; seconds and passages."""
    from analysis.overlap.candidates import candidate_pairs
    from analysis.overlap.passages import shared_passages
    from analysis.overlap.shingle_frequency import rare_shingle_sets
    from analysis.overlap.wire_templates import formula_index
    from analysis.overlap.stories import find_stories, within_stories

    t0 = time.perf_counter()
    index = formula_index(docs)  # the common forms too, as CorpusAnalysis.formulas
    pairs = candidate_pairs(docs, shingle_sets=rare_shingle_sets(docs, index.common, rare=index.rare))
    pairs = within_stories(pairs, find_stories(docs, pairs))
    passages = shared_passages(docs, pairs, anchors=index)
    return time.perf_counter() - t0, passages


def growth_exponent(times: dict[int, float]) -> float:
    """Least-squares slope of log(time) on log(n)."""
    xs, ys = zip(*((math.log(n), math.log(t)) for n, t in sorted(times.items())))
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=benchmarks_dir())
    parser.add_argument("--scratch", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--textdedup-python", type=Path, default=Path("/tmp/textdedup-venv/bin/python"))
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per parallax analyze run")
    parser.add_argument("--skip-analyze", action="store_true", help="skip (a), the analyze run on all stories")
    parser.add_argument("--skip-stages", action="store_true", help="skip (b), the stages against text-dedup")
    parser.add_argument("--growth", type=int, nargs="*", default=[], metavar="N",
                        help="(c): analyze on the first N stories for each N (e.g. 1000 5000 21578; a size of all stories reuses (a))")
    args = parser.parse_args(argv)
    root = args.data / "reuters21578"
    if not root.is_dir():
        raise SystemExit(f"benchmarks not found at {args.data} (pass --data DIR)")
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="parallax-scale-"))
    docs = load_all_reuters(root)
    kinds = docs["kind"].value_counts()
    print(f"Reuters-21578: {len(docs):,} stories ({', '.join(f'{k} {v:,}' for k, v in kinds.items())}); "
          f"scratch {scratch}", flush=True)
    result: dict = {"docs": len(docs)}
    if not args.skip_stages:
        corpus = write_corpus(docs, scratch / "all" / "corpus")
        if args.textdedup_python.exists():
            baseline = run_textdedup(args.textdedup_python, corpus, scratch, args.timeout)
            name = "text-dedup MinHash (python -m text_dedup.minhash)"
            if baseline["returncode"] != 0:
                print(f"text-dedup failed ({baseline['returncode']}): {baseline['tail']}", flush=True)
        if not args.textdedup_python.exists() or baseline["returncode"] != 0:
            from bench.bench_stories import plain_minhash

            seconds, _ = plain_minhash(docs)
            baseline, name = {"wall_seconds": seconds, "peak_gb": math.nan}, "datasketch's plain MinHash LSH loop"
        seconds, passages = kit_stages(docs)
        duplicates = known_duplicates(root / "duplicates.tsv", set(docs["doc_id"]))
        found = {frozenset(p) for p in zip(passages["doc_a"], passages["doc_b"])}
        ratio = seconds / baseline["wall_seconds"]
        print(f"{name}: {baseline['wall_seconds']:.1f} s; the kit's candidate + passage stages: {seconds:.1f} s "
              f"(x{ratio:.2f}, target <= 3); known duplicates with a passage "
              f"{len(duplicates & found)}/{len(duplicates)}", flush=True)
        result.update(baseline_seconds=baseline["wall_seconds"], stage_seconds=seconds, stage_ratio=ratio)
    times = {}
    if not args.skip_analyze:
        full = run_analyze(docs, scratch, "all", args.timeout)
        result.update(analyze_seconds=full["wall_seconds"], analyze_peak_gb=full["tree_peak_gb"],
                      analyze_exit=full["returncode"])
        print(f"(a) target: 600 s and 4 GB; measured {full['wall_seconds']:.0f} s, {full['tree_peak_gb']:.2f} GB "
              "(all the run's processes together)",
              flush=True)
        if full["returncode"] == 0:
            times[len(docs)] = full["wall_seconds"]
    if args.growth:
        for n in sorted(set(args.growth)):
            if n >= len(docs) and times:
                continue  # the run on all stories is the largest size
            run = run_analyze(docs.head(n), scratch, f"first{n}", args.timeout)
            if run["returncode"] == 0:
                times[min(n, len(docs))] = run["wall_seconds"]
        if len(times) >= 2:
            sizes = sorted(times)
            steps = ", ".join(f"{a:,}->{b:,}: n^{math.log(times[b] / times[a]) / math.log(b / a):.2f}"
                              for a, b in zip(sizes, sizes[1:]))
            exponent = growth_exponent(times)
            print(f"(c) growth of parallax analyze over {', '.join(f'{n:,}' for n in sizes)} stories: time ~ "
                  f"n^{exponent:.2f} (least squares; {steps}); target <= 1.1", flush=True)
            result["growth_exponent"] = exponent
    parts = []
    if "stage_ratio" in result:
        parts.append(f"candidate+passage stages x{result['stage_ratio']:.2f} the baseline (target <= 3)")
    if "analyze_seconds" in result:
        parts.append(f"analyze on {len(docs):,} stories {result['analyze_seconds']:.0f} s / "
                     f"{result['analyze_peak_gb']:.2f} GB, exit {result['analyze_exit']} (target 600 s, 4 GB)")
    if "growth_exponent" in result:
        parts.append(f"analyze time ~ n^{result['growth_exponent']:.2f} (target <= 1.1)")
    result["last_line"] = "Reuters scale: " + "; ".join(parts)
    return result


if __name__ == "__main__":
    main()
