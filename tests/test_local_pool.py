"""A large corpus runs its batches in a local process pool and writes the same tables, byte for byte.

:class:`analysis.engine.LocalExecutor` puts the batches of a corpus of
:data:`analysis.report.stages.LOCAL_POOL_MIN_DOCUMENTS` documents or more in a
pool of one process per core. Here that threshold is lowered so that the
written fixture corpus (11 articles, 5 stories) is cut into many batches that
run in two pool processes, and its tables are compared with a run in this
process with the same batches.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT

CORPUS = ROOT / "tests" / "data" / "stories"


def table_bytes(pool_from: int) -> dict[str, bytes]:
    """Every table of ``parallax analyze`` on :data:`CORPUS`, as CSV bytes, the pool used from ``pool_from`` documents."""
    from analysis.overlap import embeddings
    from analysis.report import pipeline, stages
    from analysis.tables import write_table

    out = {}
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        patch.setenv("PARALLAX_CACHE", str(Path(folder) / "cache"))  # every vector computed where the batch runs
        embeddings._shared_encoder.cache_clear()
        patch.setattr(stages, "LOCAL_POOL_MIN_DOCUMENTS", pool_from)
        patch.setattr(stages, "DOCUMENTS_PER_BATCH", 2)
        patch.setattr(stages, "SENTENCES_PER_BATCH", 16)
        patch.setattr(stages, "PAIRS_PER_BATCH", 1)
        for name, table in pipeline.analyze(CORPUS).items():
            out[name] = write_table(table, Path(folder) / f"{name}.csv").read_bytes()
    return out


def test_pool_tables_equal_one_process_tables():
    here = table_bytes(pool_from=10_000)
    pooled = table_bytes(pool_from=1)
    assert sorted(pooled) == sorted(here) and len(here) > 20
    assert here["sentence_alignment"].count(b"\n") > 10
    for name in here:
        assert pooled[name] == here[name], f"{name}.csv differs when the batches run in the local pool"


def _pid(_item) -> int:
    return os.getpid()


def _fail(item):
    raise ValueError(f"bad batch {item}")


def _die(_item):
    os.kill(os.getpid(), signal.SIGKILL)


def test_the_pool_runs_batches_in_other_processes_in_order():
    from analysis.engine import LocalExecutor

    executor = LocalExecutor(2)
    pids = executor.map(_pid, range(8))
    assert executor.map(str, range(5)) == ["0", "1", "2", "3", "4"]  # a second map, a pool of its own
    assert os.getpid() not in pids and len(set(pids)) >= 1


def test_one_process_or_one_batch_starts_no_pool():
    from analysis.engine import LocalExecutor

    assert LocalExecutor(1).map(_pid, range(3)) == [os.getpid()] * 3
    executor = LocalExecutor(2)
    assert executor.map(_pid, [0]) == [os.getpid()]


def test_an_error_in_a_batch_is_raised_as_it_is():
    from analysis.engine import LocalExecutor

    executor = LocalExecutor(2)
    with pytest.raises(ValueError, match="bad batch 1"):
        executor.map(_fail, [1, 2])
    assert executor.map(str, [1, 2]) == ["1", "2"]  # the next map is not left with a broken pool


def test_a_killed_pool_process_is_an_error_not_a_wait_forever():
    from analysis.engine import LocalExecutor, LocalPoolError

    executor = LocalExecutor(2)
    with pytest.raises(LocalPoolError, match="stopped during _die"):
        executor.map(_die, [1, 2])


def test_a_small_corpus_runs_in_this_process():
    from analysis.report import pipeline

    analysis = pipeline.open_corpus(ROOT / "seeds" / "nk-wagner-arms")
    assert analysis.executor.processes == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; PR_SET_PDEATHSIG is Linux's")
def test_a_killed_run_leaves_no_pool_process(tmp_path):
    """``kill -9`` of a run in its pool: its forkserver and pool processes are gone soon after."""
    code = ("import sys, time\n"
            "from analysis.engine import LocalExecutor\n"
            "if __name__ == '__main__':\n"
            "    LocalExecutor(2).map(time.sleep, [600, 600])\n")
    script = tmp_path / "run.py"
    script.write_text(code)
    run = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        children = _wait_for_descendants(run.pid, at_least=3)  # forkserver and two pool processes
    finally:
        run.kill()
        run.wait()
    for pid in children:
        _wait_gone(pid)


def _descendants(pid: int) -> list[int]:
    try:
        direct = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return direct + [d for child in direct for d in _descendants(child)]


def _wait_for_descendants(pid: int, at_least: int, timeout: float = 120.0) -> list[int]:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = _descendants(pid)
        if len(found) >= at_least:
            return found
        time.sleep(0.2)
    raise AssertionError(f"the pool did not start {at_least} processes in {timeout} s")


def _wait_gone(pid: int, timeout: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0]
        except OSError:
            return
        if state == "Z":  # exited, waiting for a parent that is gone to be reaped by init
            return
        time.sleep(0.2)
    raise AssertionError(f"pool process {pid} still running {timeout} s after its run was killed")


def test_the_processes_variable_caps_the_pool(monkeypatch):
    from analysis.engine import PROCESSES_VARIABLE, available_cores, local_processes
    from analysis.errors import ParameterError

    monkeypatch.delenv(PROCESSES_VARIABLE, raising=False)
    assert local_processes() == available_cores()
    monkeypatch.setenv(PROCESSES_VARIABLE, "1")
    assert local_processes() == 1
    monkeypatch.setenv(PROCESSES_VARIABLE, "999")
    assert local_processes() == available_cores()
    for bad in ("0", "-2", "two", "1.5"):
        monkeypatch.setenv(PROCESSES_VARIABLE, bad)
        with pytest.raises(ParameterError, match=PROCESSES_VARIABLE):
            local_processes()


def test_a_batch_shares_the_cores_among_its_reports(monkeypatch):
    from analysis.engine import PROCESSES_VARIABLE, available_cores
    from analysis.report.batch_worker import pool_share

    monkeypatch.delenv(PROCESSES_VARIABLE, raising=False)
    assert pool_share(1) == str(available_cores())
    assert pool_share(available_cores() * 4) == "1"
    monkeypatch.setenv(PROCESSES_VARIABLE, "3")
    assert pool_share(2) == "3"  # the user's own setting wins


def test_a_bad_processes_variable_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    from analysis.cli import main
    from analysis.engine import PROCESSES_VARIABLE

    monkeypatch.setenv(PROCESSES_VARIABLE, "zero")
    assert main(["analyze", str(ROOT / "seeds" / "nk-wagner-arms"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and PROCESSES_VARIABLE in err and not (tmp_path / "out").exists()
