"""Matrix products whose last bits do not depend on the machine's cores.

OpenBLAS (numpy's BLAS) splits a matrix product among as many threads as the
machine has cores, and a product split another way can round differently in
its last bits: the all-MiniLM vectors of 600 Reuters sentences came out with
other bytes with two threads than with one. A table written from such vectors
(the sentence alignment's scores, and what is read from them) would then
depend on the machine, and a run on a Dask worker (one BLAS thread: its nanny
sets ``OPENBLAS_NUM_THREADS=1``) could differ from the same run on a laptop.
The floating-point work whose results reach the tables (the sentence encoder,
the alignment's cosines) runs under :func:`fixed_blas_threads`; threadpoolctl
sets the thread count of the BLAS libraries loaded in the process, whichever
was imported first (a Jupyter kernel has numpy long before the kit runs).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

#: BLAS threads of every floating-point product whose results reach a table. One: the same
#: bytes on any machine, what a Dask worker runs with, and the fastest in a pool of one process
#: per core (two processes encoding 1,500 Reuters sentences each at once on 2 cores: 22 s of
#: CPU each with one BLAS thread, 41-47 s with OpenBLAS's default of two, its threads spinning
#: against each other's).
BLAS_THREADS = 1

#: Environment variables that set the threads of the numeric libraries a process loads
#: (OpenMP, OpenBLAS, MKL), as Dask's nanny sets them for its workers: a local pool process
#: sets them before it imports numpy (:func:`analysis.engine.LocalExecutor`).
THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def fixed_blas_threads():
    """Context manager: the BLAS libraries of this process use :data:`BLAS_THREADS` threads inside it.

    The previous counts are restored on leaving it (threadpoolctl's
    ``threadpool_limits``; about half a millisecond per use).
    """
    from threadpoolctl import threadpool_limits

    return threadpool_limits(BLAS_THREADS, user_api="blas")


def with_fixed_blas_threads(function: Callable) -> Callable:
    """Decorator: ``function`` runs under :func:`fixed_blas_threads`."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with fixed_blas_threads():
            return function(*args, **kwargs)

    return wrapper
