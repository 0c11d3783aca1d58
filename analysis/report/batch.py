"""Batch reports: one report per corpus folder under a root, in parallel, resumable.

:func:`run_batch` finds the corpus folders under a root
(:func:`analysis.report.batch_plan.find_corpora`),
decides which need a report (:func:`analysis.report.batch_plan.plan_batch`: a corpus whose report's
manifest fingerprint matches its current inputs, parameters and software is
skipped), runs the others with :func:`analysis.report.run.run_report` in worker
processes, and writes the summary table ``batch.csv``.

Each report runs in its own process: ``run_report`` sets an environment
variable for the notebook's kernel, so threads would race on it. A failing
corpus is recorded and the others go on. ``run_report`` writes into a
staging folder of its own and moves it into place only when complete
(:mod:`analysis.report.outputs`), so an interrupted batch leaves no half-written
report that looks finished, and the next run resumes: finished corpora are
skipped, the rest are run. A ``parallax report`` writing into one of the
batch's report folders at the same time holds that folder's lock: the batch
waits for it (or, with ``--no-wait``, records that corpus as failed).
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_mod
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

import pandas as pd

from analysis.corpus.inputs import printable
from analysis.errors import Interrupted, OutputError
from analysis.report.batch_plan import plan_batch
from analysis.report.batch_worker import init_worker, pool_share, report_one
from analysis.report.outputs import clean_leftovers
from analysis.report.workers import StopSignals, stop_processes
from analysis.tables import write_table

#: Columns of :func:`run_batch`'s summary table, as written to ``batch.csv``.
BATCH_COLUMNS = ["corpus", "status", "seconds", "report", "error"]
BATCH_TABLE = "batch.csv"
#: Seconds between checks for progress events and finished reports.
_POLL_SECONDS = 0.2


def run_batch(root: str | Path, out: str | Path, parameters: dict | None = None, jobs: int = 1,
              force: bool = False, progress: bool | None = None, wait: bool = True,
              scheduler: str = "") -> pd.DataFrame:
    """Write a report for every corpus under ``root`` into ``out``, and ``out/batch.csv``.

    Parameters
    ----------
    root : str or pathlib.Path
        Folder of corpus folders (see :func:`find_corpora`).
    out : str or pathlib.Path
        Where the reports go: ``out/<corpus>/`` and the summary ``out/batch.csv``.
    parameters : dict, optional
        Notebook parameters (already coerced; see
        :func:`analysis.report.run.coerce_parameters`), applied to every corpus.
    jobs : int
        Reports run at the same time (each in its own process and kernel).
    force : bool
        Re-run corpora whose report is up to date.
    progress : bool or None
        Progress bars on standard error (overall, and one per running corpus
        over the notebook's cells). ``None``: bars when standard error is a
        terminal; one plain line per finished corpus otherwise (CI logs).
    wait : bool
        When another run is writing a corpus's report folder: wait for it
        (True) or record the corpus as failed at once (False, ``--no-wait``).
    scheduler : str
        A Dask scheduler's address, handed to every report
        (:func:`analysis.report.run.run_report`); "" runs each on this machine.

    Returns
    -------
    pandas.DataFrame
        One row per corpus, sorted by ``corpus``: ``corpus`` (str),
        ``status`` (``ok``, ``skipped`` or ``failed``), ``seconds`` (float,
        wall time of the report, 0.0 when skipped, rounded to 0.1), ``report``
        (str, the report folder; empty when failed), ``error`` (str, one line;
        empty unless failed). The same table is written to ``out/batch.csv``
        (by :func:`analysis.tables.write_table`: a corpus name or error starting
        with ``=``, ``+``, ``-`` or ``@`` gets a leading ``'``; read it back with
        :func:`analysis.tables.read_table`).

    Raises
    ------
    ValueError
        ``root`` is not a folder, holds no corpus folder, or ``jobs`` < 1.
    OutputError
        ``out`` is a file, or it or ``batch.csv`` cannot be written.
    Interrupted
        SIGINT or SIGTERM while a report was unfinished: raised after
        stopping the workers (each shuts its kernel down; any left after
        :data:`analysis.report.workers.STOP_GRACE_SECONDS` are killed) and writing
        ``batch.csv`` (unfinished corpora marked failed as interrupted); rerun
        to resume. A signal that arrives once every report has finished is
        ignored (with a note on standard error): the batch completes.

    Notes
    -----
    Worker processes never outlive the batch: if it is killed (even with
    SIGKILL), each worker stops its report and exits (see
    :func:`analysis.report.workers.die_with_parent`).
    """
    with StopSignals() as stop_signals:
        try:
            table = _run_batch(root, out, parameters, jobs, force, progress, stop_signals, wait_for_lock=wait,
                               scheduler=scheduler)
        except KeyboardInterrupt:
            raise Interrupted("interrupted before every report finished; the finished reports are kept "
                              "and a rerun of the same command resumes") from None
    if stop_signals.late:
        _log(f"{stop_signals.late} arrived after every report had finished: ignored, the batch is complete")
    return table


def _run_batch(root: str | Path, out: str | Path, parameters: dict | None, jobs: int, force: bool,
               progress: bool | None, stop_signals: StopSignals, wait_for_lock: bool = True,
               scheduler: str = "") -> pd.DataFrame:
    """:func:`run_batch` under its signal handling (``stop_signals``); raises KeyboardInterrupt when interrupted."""
    from tqdm import tqdm

    if jobs < 1:
        raise ValueError(f"--jobs must be 1 or more, got {jobs}")
    out = Path(out)
    plan = plan_batch(root, out, parameters, force)
    if plan.empty:
        raise ValueError(f"{root}: no corpus folders found (expected sub-folders holding .txt, .csv or .jsonl "
                         "articles; for a single corpus use `parallax report`)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{printable(out)}: cannot be used as the batch's output folder ({exc.strerror})") from None
    if progress is None:
        progress = sys.stderr.isatty()
    results: dict[str, tuple] = {}
    for row in plan[plan["action"] == "skip"].itertuples(index=False):
        results[row.corpus] = (row.corpus, "skipped", 0.0, row.report, "")
    # A corpus that cannot be read fails here, without starting a worker and a kernel.
    for row in plan[plan["action"] == "run"].itertuples(index=False):
        problem = _unreadable(row.corpus_path)
        if problem:
            results[row.corpus] = (row.corpus, "failed", 0.0, "", problem)
    to_run = plan[(plan["action"] == "run") & ~plan["corpus"].isin(list(results))]

    # initial=: corpora settled without a report do not count towards the rate and time left
    overall = tqdm(total=len(plan), initial=len(results), desc="corpora", unit="corpus", position=0,
                   disable=not progress, file=sys.stderr, dynamic_ncols=True)
    _log(f"batch: {_count(len(plan), 'corpus', 'corpora')}, {len(to_run)} to report, "
         f"{(plan['action'] == 'skip').sum()} up to date")
    for corpus, _, _, _, error in sorted(r for r in results.values() if r[1] == "failed"):
        _log(f"failed  {corpus}: {error}")
    try:
        if not to_run.empty:
            _run_reports(to_run, dict(parameters or {}), jobs, results, overall, progress, stop_signals,
                         wait_for_lock, scheduler)
    except KeyboardInterrupt:
        for row in to_run.itertuples(index=False):
            if row.corpus not in results:
                results[row.corpus] = (row.corpus, "failed", 0.0, "", "interrupted before the report finished")
                # the workers have stopped: a staging folder a killed one left is only clutter now
                clean_leftovers(row.report)
        write_summary(results, out)
        overall.close()
        _log("batch interrupted: the finished reports are kept; run the same command again to resume")
        raise
    overall.close()
    return write_summary(results, out)


def _run_reports(to_run: pd.DataFrame, parameters: dict, jobs: int, results: dict, overall, progress: bool,
                 stop_signals: StopSignals, wait_for_lock: bool = True, scheduler: str = "") -> None:
    """Run the planned reports in worker processes, updating ``results`` and the bars.

    ``stop_signals`` interrupts (KeyboardInterrupt) only while a report is
    unfinished. On an interrupt the workers are asked to stop (SIGTERM: each
    shuts its kernel down), killed if still running after
    :data:`analysis.report.workers.STOP_GRACE_SECONDS`, and joined; a report that
    finished in the meantime is kept. ``wait_for_lock`` is False for
    ``--no-wait``: a report folder another run is writing fails that corpus.
    """
    # spawn, not fork: the parent may hold threads (tqdm's monitor, a kernel
    # client) that a forked child would inherit in an unknown state.
    context = multiprocessing.get_context("spawn")
    events = context.Queue()
    stop_requested = context.Event()  # set on interrupt: a worker starts no further report
    bars = _CorpusBars(jobs, progress)
    workers = min(jobs, len(to_run))
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=init_worker,
                               initargs=(events, stop_requested, os.getpid(), pool_share(workers)))
    pending = {}
    try:
        for row in to_run.itertuples(index=False):
            pending[pool.submit(report_one, row.corpus, row.corpus_path, row.report, parameters,
                                wait_for_lock, scheduler)] = row.corpus
        # From here a stop signal is a real interrupt only while a report is pending;
        # a result is stored before its future leaves `pending`, so none is lost.
        stop_signals.unfinished = lambda: bool(pending)
        while pending:
            done, _ = wait(pending, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
            bars.apply(events)
            for future in done:
                corpus = pending[future]
                try:
                    result = future.result()
                except Exception as exc:  # the worker process itself died
                    result = (corpus, "failed", 0.0, "", f"worker crashed: {type(exc).__name__}: {exc}")
                results[corpus] = result
                del pending[future]
                bars.close(corpus)
                overall.update(1)
                _, status, seconds, _, error = result
                _log(f"{status:7} {corpus} ({seconds:.1f} s)" + (f": {error}" if error else ""))
        bars.close_all()
    except BaseException:
        stop_signals.stopping = True  # a second Ctrl-C must not cut the cleanup short
        stop_requested.set()
        bars.close_all()
        pool.shutdown(wait=False, cancel_futures=True)
        stop_processes(multiprocessing.active_children())
        pool.shutdown(wait=True)
        # keep a report a worker completed before it saw the interrupt (one it was
        # stopped in failed: that corpus counts as interrupted)
        for future, corpus in pending.items():
            if future.done() and not future.cancelled() and future.exception() is None \
                    and future.result()[1] == "ok":
                results[corpus] = future.result()
        raise
    pool.shutdown(wait=True)


class _CorpusBars:
    """One tqdm bar per running corpus, over the notebook's cells, on the lines below the overall bar."""

    def __init__(self, jobs: int, enabled: bool) -> None:
        self.enabled = enabled
        self.free = list(range(1, jobs + 1))
        self.bars: dict = {}
        self.positions: dict[str, int] = {}
        self.finished: set[str] = set()  # events can arrive after the result: ignore them

    def apply(self, events) -> None:
        """Apply the workers' queued events: ``start`` opens a bar, ``cell`` moves it."""
        from tqdm import tqdm

        while True:
            try:
                kind, corpus, done, total = events.get_nowait()
            except queue_mod.Empty:
                return
            if corpus in self.finished:
                continue
            if kind == "start":
                if not self.enabled:
                    _log(f"start   {corpus}")
                elif corpus not in self.bars:
                    position = self.free.pop(0) if self.free else len(self.bars) + 1
                    self.positions[corpus] = position
                    self.bars[corpus] = tqdm(total=None, desc=corpus, unit="cell", position=position, leave=False,
                                             file=sys.stderr, dynamic_ncols=True)
            elif kind == "cell" and corpus in self.bars:
                bar = self.bars[corpus]
                bar.total = total
                bar.n = done
                bar.refresh()

    def close(self, corpus: str) -> None:
        self.finished.add(corpus)
        bar = self.bars.pop(corpus, None)
        if bar is not None:
            bar.close()
            self.free.append(self.positions.pop(corpus))
            self.free.sort()

    def close_all(self) -> None:
        for corpus in list(self.bars):
            self.close(corpus)


def _unreadable(corpus_path: str) -> str:
    """The corpus module's message when the corpus cannot be read, else ""."""
    from analysis.corpus.reading import CorpusError, read_corpus

    try:
        read_corpus(corpus_path)
    except CorpusError as exc:
        return " ".join(str(exc).split())
    return ""


def write_summary(results: dict, out: Path) -> pd.DataFrame:
    """Write the batch's summary table ``out/batch.csv`` and return it.

    Parameters
    ----------
    results : dict
        corpus -> row tuple in :data:`BATCH_COLUMNS` order.
    out : pathlib.Path
        The batch's output folder.

    Returns
    -------
    pandas.DataFrame
        The rows sorted by ``corpus``, as written (see :func:`run_batch`).

    Raises
    ------
    OutputError
        ``batch.csv`` cannot be written.
    """
    table = pd.DataFrame(list(results.values()), columns=BATCH_COLUMNS)
    table = table.sort_values("corpus", kind="stable").reset_index(drop=True)
    try:
        write_table(table, out / BATCH_TABLE, float_format=None)  # seconds as 12.3, 0.0
    except OSError as exc:
        raise OutputError(f"{printable(out / BATCH_TABLE)}: cannot be written ({exc.strerror})") from None
    return table


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _log(message: str) -> None:
    """A line on standard error that does not break the progress bars."""
    from tqdm import tqdm

    tqdm.write(message, file=sys.stderr)
