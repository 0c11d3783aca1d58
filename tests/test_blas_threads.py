"""The sentence vectors and the alignment do not depend on how many threads BLAS may use.

OpenBLAS splits a matrix product among its threads, and a product split
another way can round differently in its last bits (:mod:`analysis.threads`).
Here the same sentences are encoded in two fresh processes, one allowed two
BLAS threads and one allowed one, and their vectors must be the same bytes;
and a local pool's processes start with one thread per numeric library.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from analysis.engine import LocalExecutor
from analysis.threads import BLAS_THREADS, THREAD_VARIABLES, fixed_blas_threads
from conftest import ROOT

#: Long enough sentences, and enough of them, that one forward pass multiplies a matrix of
#: about 1,300 x 384 by 384 x 1,536 (OpenBLAS splits products that large among its threads).
ENCODE_SCRIPT = """
import hashlib
from analysis.overlap.encoder_backends import encode_numpy
texts = [f"Sentence {i}: the committee met on day {i} and said the grain harvest of region {i % 7}"
         f" would reach {i * 13} thousand tonnes after the rains, officials said." for i in range(96)]
print(hashlib.sha256(encode_numpy(texts, 32).tobytes()).hexdigest())
"""


def vector_hash(blas_threads: str) -> str:
    environment = {**os.environ, "OPENBLAS_NUM_THREADS": blas_threads}
    done = subprocess.run([sys.executable, "-c", ENCODE_SCRIPT], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=300, check=True)
    return done.stdout.strip()


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: BLAS has one thread anyway")
def test_vectors_are_the_same_bytes_with_one_or_two_blas_threads():
    assert vector_hash("2") == vector_hash("1")


def test_fixed_blas_threads_sets_and_restores_the_thread_count():
    import numpy  # noqa: F401  (loads OpenBLAS)
    from threadpoolctl import threadpool_info

    before = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    with fixed_blas_threads():
        inside = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    after = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    assert inside and set(inside) == {BLAS_THREADS}
    assert after == before


def _thread_variables(_item) -> tuple:
    return tuple(os.environ.get(name) for name in THREAD_VARIABLES)


def test_pool_processes_run_one_thread_per_numeric_library():
    assert LocalExecutor(2).map(_thread_variables, [1, 2]) == [("1",) * len(THREAD_VARIABLES)] * 2
