"""The worker side of ``parallax batch``: what runs in each of the pool's processes.

:func:`init_worker` sets a worker up (event queue, stop handlers, dying with the
batch, a papermill engine that posts per-cell progress); :func:`report_one`
runs one report and returns its ``batch.csv`` row. The module-level state below
belongs to the one worker process that imported it.
"""

from __future__ import annotations

import queue as queue_mod
import signal
import sys
import time

from analysis.report.workers import die_with_parent

_EVENTS = None
_STOP_REQUESTED = None
_CURRENT_CORPUS = ""
_RUNNING = False
_INTERRUPTED = False


def _on_stop_signal(signum, frame) -> None:
    """SIGINT or SIGTERM: stop the running report (run_report cleans up), or exit if idle.

    Ctrl-C reaches every worker; the batch sends SIGTERM when interrupted, and
    Linux sends it when the batch dies. A repeated signal does not interrupt
    the cleanup of the first.
    """
    global _INTERRUPTED
    first = not _INTERRUPTED
    _INTERRUPTED = True
    if not _RUNNING:
        sys.exit(128 + signum)
    if first:
        raise KeyboardInterrupt


def _install_stop_handlers() -> None:
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _on_stop_signal)


def pool_share(workers: int) -> str:
    """The :data:`analysis.engine.PROCESSES_VARIABLE` of each of ``workers`` reports run at once:
    the user's own setting when there is one, else the cores divided among them (at least 1)."""
    import os

    from analysis.engine import PROCESSES_VARIABLE, available_cores

    return os.environ.get(PROCESSES_VARIABLE) or str(max(1, available_cores() // max(1, workers)))


def init_worker(events, stop_requested, parent_pid: int, processes: str = "") -> None:
    """Keep the event queue, die with the batch, and make papermill's default engine report each cell.

    Parameters
    ----------
    events : multiprocessing.Queue
        Where progress events go (best effort).
    stop_requested : multiprocessing.Event
        Set by the batch when it is interrupted: no further report starts.
    parent_pid : int
        The batch's pid; the worker stops and exits when its parent is no
        longer this process (:func:`analysis.report.workers.die_with_parent`).
    processes : str
        :data:`analysis.engine.PROCESSES_VARIABLE` for this worker's reports
        (:func:`pool_share`; their kernels inherit it); "" leaves it as it is.
    """
    global _EVENTS, _STOP_REQUESTED
    from analysis.report.process_setup import skip_unused_imports

    skip_unused_imports()  # before papermill is imported
    from papermill.engines import papermill_engines

    _EVENTS, _STOP_REQUESTED = events, stop_requested
    if processes:
        import os

        from analysis.engine import PROCESSES_VARIABLE

        os.environ[PROCESSES_VARIABLE] = processes
    # progress is best effort: a worker whose batch is gone must not wait at exit
    # to flush events nobody will read
    events.cancel_join_thread()
    _install_stop_handlers()
    die_with_parent(parent_pid, running=lambda: _RUNNING)
    # run_report uses papermill's default engine; in this dedicated worker
    # process it is replaced by one that also posts per-cell progress.
    papermill_engines.register(None, _progress_engine())


def _progress_engine():
    from papermill.engines import NBClientEngine

    class ProgressEngine(NBClientEngine):
        """papermill's nbclient engine, posting ``("cell", corpus, done, total)`` after each cell."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            total = len(nb_man.nb.cells)
            finished = 0
            original = nb_man.cell_complete

            def cell_complete(cell, cell_index=None, **more):
                nonlocal finished
                original(cell, cell_index=cell_index, **more)
                finished += 1
                _post("cell", finished, total)

            nb_man.cell_complete = cell_complete
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    return ProgressEngine


def _post(kind: str, done: int = 0, total: int = 0) -> None:
    if _EVENTS is not None:
        try:
            _EVENTS.put_nowait((kind, _CURRENT_CORPUS, done, total))
        except (queue_mod.Full, ValueError, OSError):  # progress is best effort
            pass


def report_one(corpus: str, corpus_path: str, report: str, parameters: dict, wait: bool = True,
               scheduler: str = "") -> tuple:
    """Run one report; return a ``batch.csv`` row, never raise for a report that failed."""
    global _CURRENT_CORPUS, _RUNNING
    from analysis.corpus.reading import CorpusError
    from analysis.report.run import ReportError, run_report

    if _INTERRUPTED or (_STOP_REQUESTED is not None and _STOP_REQUESTED.is_set()):
        raise KeyboardInterrupt  # a job queued before the interrupt: do not start it
    _CURRENT_CORPUS, _RUNNING = corpus, True
    _post("start")
    start = time.monotonic()
    try:
        run_report(corpus_path, report, parameters, wait=wait, scheduler=scheduler)
    except Exception as exc:  # one failing corpus must not stop the others
        message = " ".join(str(exc).split())
        if not isinstance(exc, (ReportError, CorpusError)) or not message:
            message = f"{type(exc).__name__}: {message}".rstrip(": ")
        return corpus, "failed", round(time.monotonic() - start, 1), "", message
    finally:
        # nbclient handles SIGINT and SIGTERM with its event loop while a kernel
        # runs (by shutting the kernel down), then resets them to Python's
        # defaults, under which SIGTERM would kill this worker without cleanup
        _install_stop_handlers()
        _RUNNING = False
    return corpus, "ok", round(time.monotonic() - start, 1), report, ""

