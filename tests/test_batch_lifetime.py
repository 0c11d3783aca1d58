"""A batch's worker processes die with it, and a stop signal means "interrupted" only while work is unfinished.

Issue 10, item 6. The slow tests run real batches (worker processes, Jupyter
kernels, figure helpers) on two tiny corpora and find every process the batch
started by a marker in its environment, which every descendant inherits.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pandas as pd
import pytest

from analysis.report import workers
from conftest import MINI_ARTICLES, ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="finds processes through /proc")

MARKER_VARIABLE = "PARALLAX_TEST_MARKER"
#: Seconds the tests give processes to disappear: the workers' own grace period plus a margin.
DEADLINE_SECONDS = workers.STOP_GRACE_SECONDS + 40


def _marked(marker: str) -> dict[int, str]:
    """pid -> command line of every live process whose environment carries ``marker``."""
    entry = f"{MARKER_VARIABLE}={marker}".encode()
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if entry in (proc / "environ").read_bytes().split(b"\0"):
                found[int(proc.name)] = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile, or not ours
            continue
    return found


def _wait_until(condition, seconds: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def _kill_marked(marker: str) -> None:
    """Clean up after a failed test: kill what it started (by pid, found by its marker)."""
    for pid in _marked(marker):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _corpora(tmp_path) -> Path:
    root = tmp_path / "corpora"
    for name in ("c1", "c2"):
        (root / name).mkdir(parents=True)
        for doc_id, text in MINI_ARTICLES.items():
            (root / name / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return root


def _start_batch(root: Path, out: Path, marker: str) -> subprocess.Popen:
    """``parallax batch ROOT --out OUT -j 2`` in a new session (as `setsid ... &` in a shell)."""
    env = {**os.environ, MARKER_VARIABLE: marker}
    return subprocess.Popen([sys.executable, "-m", "analysis.cli", "batch", str(root), "--out", str(out), "-j", "2"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _kernels(marker: str) -> list[int]:
    return [pid for pid, command in _marked(marker).items() if "ipykernel" in command]


@pytest.mark.slow
def test_a_killed_batch_leaves_no_worker_kernel_or_tracker_behind(tmp_path):
    # setsid parallax batch root --out b -j 2 & sleep N; kill -9 $!
    marker = uuid.uuid4().hex
    batch = _start_batch(_corpora(tmp_path), tmp_path / "b", marker)
    try:
        assert _wait_until(lambda: len(_kernels(marker)) == 2 or batch.poll() is not None, 240), \
            "the two reports never started"
        assert batch.poll() is None, batch.stderr.read()
        started = _marked(marker).values()
        assert sum("spawn_main" in command for command in started) == 2, started  # the workers
        assert any("resource_tracker" in command for command in started), started
        batch.kill()
        batch.wait()
        _wait_until(lambda: not _marked(marker), DEADLINE_SECONDS, step=0.5)
        assert _marked(marker) == {}, f"still running {DEADLINE_SECONDS:.0f} s after the batch was killed"
    finally:
        batch.kill()
        _kill_marked(marker)
        batch.communicate()


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stop_signal_to_the_batch_alone_stops_the_running_reports(signum, tmp_path):
    # kill -INT (or -TERM) <batch pid>: the workers and kernels do not get the signal themselves
    marker = uuid.uuid4().hex
    out = tmp_path / "b"
    batch = _start_batch(_corpora(tmp_path), out, marker)
    try:
        assert _wait_until(lambda: len(_kernels(marker)) == 2 or batch.poll() is not None, 240), \
            "the two reports never started"
        batch.send_signal(signum)
        stdout, stderr = batch.communicate(timeout=DEADLINE_SECONDS)
        assert batch.returncode == 130, stderr[-3000:]
        assert "parallax batch: error: interrupted" in stderr.splitlines()[-1]
        assert "Traceback" not in stderr, stderr[-3000:]
        # stopped, not waited for: the reports did not go on to finish
        summary = pd.read_csv(out / "batch.csv", dtype=str, keep_default_na=False)
        assert summary["status"].tolist() == ["failed", "failed"]
        assert all("interrupted" in error for error in summary["error"])
        assert not (out / "c1").exists() and not (out / "c2").exists()
        # the batch waited for its workers; the resource tracker ends once the batch has
        assert _wait_until(lambda: not _marked(marker), 10), _marked(marker)
    finally:
        batch.kill()
        _kill_marked(marker)
        batch.communicate()


@pytest.mark.slow
def test_sigint_after_every_report_finished_is_not_an_interrupt(tmp_path):
    out = tmp_path / "b"
    marker = uuid.uuid4().hex
    batch = _start_batch(_corpora(tmp_path), out, marker)
    lines = []
    try:
        for line in batch.stderr:
            lines.append(line)
            if sum(line.startswith("ok ") for line in lines) == 2:  # both results are in; the pool is closing
                # stopped, the batch cannot exit before the signal is pending
                batch.send_signal(signal.SIGSTOP)
                batch.send_signal(signal.SIGINT)
                batch.send_signal(signal.SIGCONT)
                break
        stdout, rest = batch.communicate(timeout=DEADLINE_SECONDS)
    finally:
        batch.kill()
        _kill_marked(marker)
    stderr = "".join(lines) + rest
    assert batch.returncode == 0, stderr[-3000:]
    assert "interrupted" not in stderr
    assert "SIGINT arrived after every report had finished" in stderr  # the signal did land in that window
    assert pd.read_csv(out / "batch.csv", dtype=str)["status"].tolist() == ["ok", "ok"]
    assert "2 corpora: 2 ok" in stdout


# ---------------------------------------------------------------------------- the mechanisms, in seconds

_ORPHAN_SCRIPT = textwrap.dedent("""
    import os, sys, time
    from analysis.report import workers
    if sys.argv[1] == "watchdog-only":
        workers.set_parent_death_signal = lambda signum: False  # as on a system without prctl
    workers.die_with_parent(int(sys.argv[2]), running=lambda: False)
    print("ready", flush=True)
    time.sleep(600)
""")


@pytest.mark.parametrize("mode", ["parent-death-signal", "watchdog-only"])
def test_a_worker_exits_when_its_parent_is_killed(mode, tmp_path):
    # a parent (sh) starts a child that calls die_with_parent, then the parent is killed
    marker = uuid.uuid4().hex
    script = tmp_path / "orphan.py"
    script.write_text(_ORPHAN_SCRIPT, encoding="utf-8")
    parent = subprocess.Popen(["sh", "-c", f'"{sys.executable}" "{script}" {mode} $$; sleep 600'],
                              cwd=ROOT, env={**os.environ, MARKER_VARIABLE: marker, "PYTHONPATH": str(ROOT)},
                              stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert parent.stdout.readline() == "ready\n"
        children = [pid for pid, command in _marked(marker).items() if "orphan.py" in command and pid != parent.pid]
        assert len(children) == 1
        parent.kill()
        parent.wait()
        assert _wait_until(lambda: not _marked(marker), DEADLINE_SECONDS), _marked(marker)
    finally:
        parent.kill()
        _kill_marked(marker)
        parent.communicate()


def test_stop_signals_interrupt_only_while_work_is_unfinished():
    previous = signal.getsignal(signal.SIGTERM)
    with workers.StopSignals() as stop:
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler runs at the next bytecode; never reached
        stop.unfinished = lambda: False
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.1)
        assert stop.late == "SIGINT"
        stop.unfinished, stop.stopping, stop.late = (lambda: True), True, ""
        os.kill(os.getpid(), signal.SIGINT)  # while stopping, a second Ctrl-C does not cut the cleanup short
        time.sleep(0.1)
        assert stop.late == ""
    assert signal.getsignal(signal.SIGTERM) is previous


def test_stop_processes_kills_what_ignores_sigterm():
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    stubborn = context.Process(target=_ignore_sigterm_and_sleep, args=(ready,))
    stubborn.start()
    try:
        assert ready.wait(60)
        assert workers.stop_processes([stubborn], grace=1) == [stubborn.pid]
        stubborn.join(10)
        assert stubborn.exitcode == -signal.SIGKILL
    finally:
        stubborn.kill()


def _ignore_sigterm_and_sleep(ready) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ready.set()
    time.sleep(600)
