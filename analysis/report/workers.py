"""Worker processes that never outlive the batch that started them, and stop signals that mean what they say.

``parallax batch`` runs reports in worker processes (:mod:`analysis.report.batch`).
Without care, a batch killed with SIGKILL leaves its workers running forever:
they finish their report, then wait for work from a parent that is gone,
holding pipes open, and race a rerun into the same folders. Here:

* :func:`die_with_parent` (called in each worker) asks Linux to send the
  worker SIGTERM when the batch exits (``prctl(PR_SET_PDEATHSIG)``) and starts a
  watchdog thread that notices a changed parent pid on any POSIX system. The
  worker then stops its report as an interrupt would (the kernel is shut down,
  the staging folder removed) and exits.
* :func:`stop_processes` (called by the batch when it is interrupted) asks its
  workers to stop, waits a bounded time, then kills what is left.
* :class:`StopSignals` (installed by the batch) turns SIGINT and SIGTERM into
  :class:`KeyboardInterrupt` only while a report is unfinished: a signal that
  arrives after every report has finished is noted and ignored, so a complete
  batch never ends as "interrupted".
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

#: Seconds between the watchdog's checks of the parent pid (the fallback where
#: PR_SET_PDEATHSIG is not available). A stale worker costs a kernel's memory, so
#: it should notice within a second; a getppid() call every half second costs nothing.
PARENT_POLL_SECONDS = 0.5
#: Seconds a worker is given to stop its report (shut its kernel down, remove its
#: staging folder) before it is killed: four times jupyter_client's default
#: ``shutdown_wait_time`` of 5 s, after which jupyter_client kills the kernel itself.
STOP_GRACE_SECONDS = 20.0
#: prctl(2) option that sets the signal a process gets when its parent exits (linux/prctl.h).
PR_SET_PDEATHSIG = 1
#: Exit status of a worker whose parent disappeared (128 + SIGTERM, as a shell reports it).
ORPHAN_EXIT_STATUS = 128 + signal.SIGTERM


def set_parent_death_signal(signum: int = signal.SIGTERM) -> bool:
    """Ask the OS to send this process ``signum`` when its parent exits.

    Linux only (``prctl(PR_SET_PDEATHSIG)``); the request covers the parent
    thread that started this process, which for the batch is its main thread.

    Returns
    -------
    bool
        True if the OS accepted the request; False elsewhere or on failure
        (then only the watchdog of :func:`die_with_parent` notices).
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent(parent_pid: int, running: Callable[[], bool]) -> bool:
    """Make this process stop and exit when ``parent_pid`` is no longer its parent.

    Sets the parent-death signal (SIGTERM, see :func:`set_parent_death_signal`)
    and starts a daemon thread that polls :func:`os.getppid` every
    :data:`PARENT_POLL_SECONDS`. When the parent is gone the thread sends
    SIGTERM itself if the OS did not, waits while ``running()`` is true (the
    SIGTERM handler's cleanup) for at most :data:`STOP_GRACE_SECONDS`, and ends
    the process with :data:`ORPHAN_EXIT_STATUS`: an orphan has no one to report to.

    Parameters
    ----------
    parent_pid : int
        The pid of the process that started this one (passed in, not read
        here: the parent may already be gone when this runs).
    running : callable
        Returns True while this process is still cleaning up a job.

    Returns
    -------
    bool
        Whether the OS will send the parent-death signal.
    """
    # a parent that died before prctl ran sends nothing: then the watchdog signals
    by_os = set_parent_death_signal(signal.SIGTERM) and os.getppid() == parent_pid
    watchdog = threading.Thread(target=_watch_parent, args=(parent_pid, running, by_os),
                                name="parallax-parent-watchdog", daemon=True)
    watchdog.start()
    return by_os


def _watch_parent(parent_pid: int, running: Callable[[], bool], signalled_by_os: bool) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    if not signalled_by_os:  # else the OS sent SIGTERM when the parent exited
        os.kill(os.getpid(), signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    time.sleep(PARENT_POLL_SECONDS)  # let the handler start the cleanup
    while running() and time.monotonic() < deadline:
        time.sleep(PARENT_POLL_SECONDS / 5)
    os._exit(ORPHAN_EXIT_STATUS)


def exit_when_process_ends(pid: int) -> None:
    """End this process (:data:`ORPHAN_EXIT_STATUS`) as soon as process ``pid`` has ended.

    For a process whose parent is not the one it works for: a pool process
    started by a ``forkserver`` (:class:`analysis.engine.LocalExecutor`), which
    outlives the run that asked for it, since every pool process holds the
    forkserver's "alive" pipe open. A daemon thread waits on a Linux pidfd of
    ``pid`` (readable once it has exited, reaped or not); where there is none,
    it checks ``pid`` every :data:`PARENT_POLL_SECONDS`. The process is ended at
    once: its work is only of use to the run that is gone.
    """
    import select

    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):  # not Linux >= 5.3, or already gone
        handle = None

    def watch() -> None:
        if handle is not None:
            select.select([handle], [], [])
        else:
            while _running(pid):
                time.sleep(PARENT_POLL_SECONDS)
        os._exit(ORPHAN_EXIT_STATUS)

    threading.Thread(target=watch, name="parallax-run-watchdog", daemon=True).start()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def stop_processes(processes, grace: float = STOP_GRACE_SECONDS) -> list[int]:
    """Ask processes to stop (SIGTERM), wait up to ``grace`` seconds, then kill those still running.

    Waits on each process's sentinel rather than joining it, so that whoever
    owns the processes (a process pool) still reaps them.

    Parameters
    ----------
    processes : iterable of multiprocessing.Process
        Running child processes of this one.
    grace : float
        Seconds they are given, together, to clean up and exit.

    Returns
    -------
    list of int
        Pids that had to be killed (SIGKILL).
    """
    from multiprocessing.connection import wait

    waiting = {process.sentinel: process for process in processes}
    for process in waiting.values():
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while waiting and time.monotonic() < deadline:
        for sentinel in wait(list(waiting), timeout=max(0.0, deadline - time.monotonic())):
            del waiting[sentinel]
    for process in waiting.values():
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)
    return [process.pid for process in waiting.values()]


class StopSignals:
    """SIGINT and SIGTERM as :class:`KeyboardInterrupt` while work is unfinished; ignored (and noted) after.

    A context manager; installs its handler only in the main thread (where
    Python runs signal handlers) and restores the previous handlers on exit.

    Attributes
    ----------
    unfinished : callable
        Returns True while work would be lost by stopping; set by the code
        that knows (default: always True).
    stopping : bool
        Set while an interrupt is being handled: further signals are ignored so
        that the cleanup is not itself interrupted (it has its own time limit).
    late : str
        Name of the last signal that arrived when nothing was unfinished ("" if none).
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.unfinished: Callable[[], bool] = lambda: True
        self.stopping = False
        self.late = ""
        self._previous: dict[int, object] = {}

    def __enter__(self) -> StopSignals:
        if threading.current_thread() is threading.main_thread():
            for signum in self.SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc_info) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()

    def _handle(self, signum, frame) -> None:
        if self.stopping:
            return
        if self.unfinished():
            raise KeyboardInterrupt
        self.late = signal.Signals(signum).name
