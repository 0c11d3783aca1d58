"""Where the analysis runs: in this process, or as tasks on a Dask cluster.

The per-document, per-pair and per-story stages of the analysis
(:mod:`analysis.report.stages`) are plain functions over one batch of work
(a slice of the corpus table, a list of sentences, the pairs of some stories).
An executor maps such a function over the batches and returns the results in
batch order:

- :class:`LocalExecutor` (the default) runs the batches on this machine: a
  plain ``map`` in this process for a small corpus (nothing is imported, no
  process is started, a five-article corpus costs what it did before), or a
  process pool of one process per core for a large one
  (:func:`local_processes`), since spaCy's parse uses one core per process;
- :class:`DaskExecutor` (``--scheduler ADDRESS``) submits one task per batch to
  a running Dask scheduler with ``Client.map`` and gathers the results.
  ``dask`` and ``distributed`` are imported only here, only then.

Both run the same functions on the same batches (:func:`batches` cuts them the
same way whatever runs them) and the caller joins the results in batch order,
so the tables are the same, byte for byte, however the run was executed. A
worker must run the same installed kit (``make setup`` on each machine, or one
shared environment) and be able to import ``analysis``.
"""

from __future__ import annotations

import functools
import os
import signal
from collections.abc import Callable, Sequence

from analysis.errors import ParallaxError, ParameterError
from analysis.report.parameters import check_scheduler_address

#: Seconds to wait for a scheduler to answer before saying it cannot be reached.
#: A scheduler on the local network answers in well under a second; 10 s leaves
#: room for a busy one without keeping a user with a mistyped address waiting long.
CONNECT_TIMEOUT_SECONDS = 10


class SchedulerError(ParameterError):
    """No Dask scheduler answers at a ``--scheduler`` address (a malformed one is a plain ParameterError),
    or the cluster stopped a run (a worker died, the connection was lost)."""


class LocalPoolError(ParallaxError, RuntimeError):
    """A process of a local run's pool stopped before its batch was done (killed, or out of memory)."""

    exit_code = 1


def connect(address: str):
    """A ``distributed.Client`` on the scheduler at ``address``.

    Raises
    ------
    ParameterError
        The address is malformed (:func:`analysis.report.parameters.check_scheduler_address`).
    SchedulerError
        No scheduler answered within :data:`CONNECT_TIMEOUT_SECONDS` (one line naming the address).
    """
    address = check_scheduler_address(address)
    import logging

    from distributed import Client

    # distributed logs each failed connection attempt: the one line below says it instead
    comm_log = logging.getLogger("distributed")
    level = comm_log.level
    comm_log.setLevel(logging.CRITICAL)
    try:
        return Client(address, timeout=CONNECT_TIMEOUT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SchedulerError(f"no Dask scheduler answered at {address} within "
                             f"{CONNECT_TIMEOUT_SECONDS} s ({reason[:200]})") from None
    finally:
        comm_log.setLevel(level)


def check_scheduler(address: str) -> None:
    """Connect to the scheduler at ``address`` once and disconnect: fail early, before any work starts."""
    if address:
        connect(address).close()


def batches(items, size: int) -> list:
    """``items`` (a DataFrame or a sequence) cut into consecutive batches of at most ``size``, in order."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    slicer = items.iloc if hasattr(items, "iloc") else items
    return [slicer[start:start + size] for start in range(0, len(items), size)]


def _cluster_fault(exc: Exception) -> bool:
    """Whether ``exc`` says the cluster failed (a worker killed, the connection lost), not the task."""
    from distributed import KilledWorker

    return isinstance(exc, (KilledWorker, OSError, TimeoutError)) or "Cancelled" in type(exc).__name__


#: Environment variable that caps the processes of a local run's pool (a whole number >= 1;
#: unset: one per core). ``parallax batch -j N`` sets it for its reports so that N reports
#: share the cores instead of each starting a pool as large as the machine.
PROCESSES_VARIABLE = "PARALLAX_PROCESSES"


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity where the OS tells it, else ``os.cpu_count()``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def local_processes() -> int:
    """Processes a large local run uses: :func:`available_cores`, at most :data:`PROCESSES_VARIABLE` when set.

    Raises
    ------
    ParameterError
        The variable is set but is not a whole number of at least 1 (one line naming it).
    """
    value = os.environ.get(PROCESSES_VARIABLE, "").strip()
    if not value:
        return available_cores()
    if not value.isdigit() or int(value) < 1:
        raise ParameterError(f"{PROCESSES_VARIABLE} must be a whole number of at least 1, got {value[:40]!r}")
    return min(int(value), available_cores())


def _pool_worker_setup(environment: dict[str, str], run_pid: int) -> None:
    """In each pool process: the run's environment as it is now (the forkserver keeps the one it
    started with: a later ``PARALLAX_CACHE`` would be missed) with one thread per numeric library
    (:data:`analysis.threads.THREAD_VARIABLES`, set before the task imports numpy, as Dask's nanny
    does for its workers), Ctrl-C left to the run (which
    stops the pool), and an exit as soon as the run's process ends, however it ends
    (:func:`analysis.report.workers.exit_when_process_ends`)."""
    from analysis.report.workers import exit_when_process_ends
    from analysis.threads import THREAD_VARIABLES

    os.environ.clear()
    os.environ.update(environment)
    os.environ.update(dict.fromkeys(THREAD_VARIABLES, "1"))  # one process per core: one thread each
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_when_process_ends(run_pid)


class LocalExecutor:
    """Runs each batch on this machine: in this process, or in a pool of ``processes`` processes.

    Parameters
    ----------
    processes : int
        1 (the default): each batch in this process, one after the other. More:
        a ``concurrent.futures`` process pool of that many processes for each
        :meth:`map` of at least two batches, stopped when the map returns: a
        stage's caches (its processes held 1.4 and 1.3 GB after the sentence
        alignment of all Reuters-21578) are freed when the stage ends, for the
        cost of loading spaCy or the encoder again in the next stage's processes. The pool's
        processes start from a fresh ``forkserver`` (where the OS has one), not as
        copies of this process, which may be a Jupyter kernel with threads and
        sockets; they ignore Ctrl-C and die with it (:func:`_pool_worker_setup`).
        A process that dies ends the run with :class:`LocalPoolError` instead of a wait forever.
        Like every process pool (and Dask's ``LocalCluster``), a pool started from a
        script needs the script's work under ``if __name__ == "__main__":``.
        The results come back in batch order, so the tables are the same as with one process.
    """

    address = ""

    def __init__(self, processes: int = 1):
        if processes < 1:
            raise ValueError(f"processes must be at least 1, got {processes}")
        self.processes = processes

    def map(self, function: Callable, items: Sequence, **kwargs) -> list:
        """``[function(item, **kwargs) for item in items]``, in a pool of its own when there are two batches or more."""
        items = list(items)
        if self.processes == 1 or len(items) < 2:
            return [function(item, **kwargs) for item in items]
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context(method),
                                   initializer=_pool_worker_setup, initargs=(dict(os.environ), os.getpid()))
        try:
            return list(pool.map(functools.partial(function, **kwargs), items))
        except BrokenProcessPool:
            raise LocalPoolError(f"a process of the local pool stopped during {function.__name__} "
                                 "(killed, or out of memory); nothing was written") from None
        finally:  # also when interrupted or failed: no batch is left queued, no process left running
            pool.shutdown(wait=True, cancel_futures=True)

    def close(self) -> None:
        """Nothing to stop: each :meth:`map` stops its own pool (the executors' common interface)."""


class DaskExecutor:
    """Runs each batch as a task on a Dask cluster (:func:`connect`).

    Parameters
    ----------
    address : str
        The scheduler's address (``tcp://host:port``).
    """

    def __init__(self, address: str):
        self.address = address
        self.client = connect(address)

    def map(self, function: Callable, items: Sequence, **kwargs) -> list:
        """``function(item, **kwargs)`` for each item, as cluster tasks; results in the order of ``items``.

        Tasks are not marked pure: two batches that happen to be equal are still
        two tasks, and no result is taken from another run's keys.
        """
        items = list(items)
        if not items:
            return []
        futures = self.client.map(function, items, pure=False, **kwargs)
        try:
            return self.client.gather(futures)
        except Exception as exc:  # an error raised by the task itself is re-raised as it is
            if not _cluster_fault(exc):
                raise
            message = " ".join(str(exc).split())[:200]
            raise SchedulerError(f"the Dask cluster at {self.address} stopped the run "
                                 f"({type(exc).__name__}{': ' + message if message else ''})") from None
        finally:
            for future in futures:
                future.release()

    def close(self) -> None:
        """Disconnect from the scheduler (the cluster keeps running)."""
        self.client.close()


def executor(address: str = "", processes: int = 1):
    """:class:`DaskExecutor` on ``address``, or a :class:`LocalExecutor` of ``processes`` when it is empty."""
    return DaskExecutor(address) if address else LocalExecutor(processes)
