"""Where the analysis runs: in this process, or as tasks on a Dask cluster.

The per-document, per-pair and per-story stages of the analysis
(:mod:`analysis.report.stages`) are plain functions over one batch of work
(a slice of the corpus table, a list of sentences, the pairs of some stories).
An executor maps such a function over the batches and returns the results in
batch order:

- :class:`LocalExecutor` (the default) is a plain ``map`` in this process:
  nothing is imported, no process is started, a five-article corpus costs
  what it did before;
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

from collections.abc import Callable, Sequence

from analysis.errors import ParameterError
from analysis.report.parameters import check_scheduler_address

#: Seconds to wait for a scheduler to answer before saying it cannot be reached.
#: A scheduler on the local network answers in well under a second; 10 s leaves
#: room for a busy one without keeping a user with a mistyped address waiting long.
CONNECT_TIMEOUT_SECONDS = 10


class SchedulerError(ParameterError):
    """No Dask scheduler answers at a ``--scheduler`` address (a malformed one is a plain ParameterError),
    or the cluster stopped a run (a worker died, the connection was lost)."""


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


class LocalExecutor:
    """Runs each batch in this process, one after the other (no Dask)."""

    address = ""

    def map(self, function: Callable, items: Sequence, **kwargs) -> list:
        """``[function(item, **kwargs) for item in items]``."""
        return [function(item, **kwargs) for item in items]

    def close(self) -> None:
        """Nothing to release."""


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


def executor(address: str = ""):
    """:class:`DaskExecutor` on ``address``, or a :class:`LocalExecutor` when it is empty."""
    return DaskExecutor(address) if address else LocalExecutor()
