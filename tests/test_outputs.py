"""Output folders (issue 10 items 1, 2, 7): what --out may replace, one writer per folder, staging, faults."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time

import pandas as pd
import pytest

from analysis.report import output_guard, outputs
from analysis.errors import OutputBusyError, OutputError
from analysis.report.manifest import file_sha256, verify_report
from analysis.report.output_guard import check_failed_folder, check_output_folder, output_path
from analysis.report.outputs import OutputFolder, acquire_lock
from conftest import MINI_ARTICLES, ROOT, fake_report

CLI = [sys.executable, "-m", "analysis.cli"]
#: Generous bound for a subprocess to reach a state; only a hung run ever waits this long.
DEADLINE_SECONDS = 300


def _cli(*args, cwd=ROOT):
    return subprocess.run(CLI + [str(a) for a in args], capture_output=True, text=True, cwd=cwd,
                          timeout=DEADLINE_SECONDS)


def _one_clear_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr[-3000:]
    return lines[0]


def _leftovers(parent) -> list[str]:
    """Staging and retired folders beside an output folder."""
    return sorted(p.name for p in parent.iterdir() if outputs.STAGING_MARK in p.name or outputs.RETIRED_MARK in p.name)


def _snapshot(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


# ---------------------------------------------------------------------------
# Item 1: what --out may replace
# ---------------------------------------------------------------------------

def test_report_refuses_a_folder_holding_a_thesis(mini_corpus, tmp_path):
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "thesis.docx").write_text("a", encoding="utf-8")
    run = _cli("report", mini_corpus, "--out", thesis)
    assert run.returncode == 3, run.stderr[-2000:]
    line = _one_clear_line(run.stderr)
    assert "thesis.docx" in line and str(thesis) in line
    assert (thesis / "thesis.docx").read_text(encoding="utf-8") == "a"
    assert sorted(p.name for p in thesis.iterdir()) == ["thesis.docx"]


@pytest.mark.parametrize("where", ["the corpus", "inside the corpus", "above the corpus"])
def test_report_refuses_an_out_overlapping_the_corpus(mini_corpus, tmp_path, where):
    out = {"the corpus": mini_corpus, "inside the corpus": mini_corpus / "reports",
           "above the corpus": tmp_path}[where]
    before = _snapshot(mini_corpus)
    run = _cli("report", mini_corpus, "--out", out)
    assert run.returncode == 3, run.stderr[-2000:]
    assert "corpus" in _one_clear_line(run.stderr)
    assert _snapshot(mini_corpus) == before
    assert not (mini_corpus / "reports").exists()


def test_the_corpus_reached_through_a_link_is_still_the_corpus(mini_corpus, tmp_path):
    link = tmp_path / "link-to-mini"
    link.symlink_to(mini_corpus, target_is_directory=True)
    with pytest.raises(OutputError, match="is the corpus"):
        check_output_folder(mini_corpus, corpus=link)
    with pytest.raises(OutputError, match="inside the corpus"):
        check_output_folder(link / "out", corpus=mini_corpus)


@pytest.mark.parametrize("kind", ["file", "symbolic link"])
def test_report_refuses_an_out_that_is_a_file_or_a_link(mini_corpus, tmp_path, kind):
    elsewhere = fake_report(tmp_path / "elsewhere")
    before = _snapshot(elsewhere)
    if kind == "file":
        out = tmp_path / "notes.txt"
        out.write_text("my notes", encoding="utf-8")
    else:
        out = tmp_path / "link"
        out.symlink_to(elsewhere, target_is_directory=True)
    run = _cli("report", mini_corpus, "--out", out)
    assert run.returncode == 3, run.stderr[-2000:]
    assert ("is a file" if kind == "file" else "symbolic link") in _one_clear_line(run.stderr)
    if kind == "file":
        assert out.read_text(encoding="utf-8") == "my notes"
    assert out.is_symlink() == (kind == "symbolic link")
    assert _snapshot(elsewhere) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["elsewhere", "mini", out.name])  # no .old


def test_new_empty_and_parallax_folders_may_be_replaced(tmp_path):
    assert check_output_folder(tmp_path / "new") == tmp_path / "new"
    (tmp_path / "empty").mkdir()
    assert check_output_folder(tmp_path / "empty") == tmp_path / "empty"
    (tmp_path / "finder").mkdir()
    (tmp_path / "finder" / ".DS_Store").write_bytes(b"\0")
    assert check_output_folder(tmp_path / "finder") == tmp_path / "finder"
    report = fake_report(tmp_path / "report", {"report.html": "<p>r</p>", "tables/documents.csv": "doc_id\n"})
    (report / ".ipynb_checkpoints").mkdir()
    (report / ".ipynb_checkpoints" / "report-checkpoint.ipynb").write_text("{}", encoding="utf-8")
    (report / "tables" / ".DS_Store").write_bytes(b"\0")
    assert check_output_folder(report) == report
    # the manifest format written before "generator" was recorded
    legacy = fake_report(tmp_path / "legacy")
    manifest = json.loads((legacy / "manifest.json").read_text(encoding="utf-8"))
    del manifest["generator"], manifest["kind"]
    (legacy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert check_output_folder(legacy) == legacy


@pytest.mark.parametrize("intruder", ["thesis.docx", "tables/.x", ".notes", "figures/draft/fig.png"])
def test_a_report_folder_holding_a_file_its_manifest_does_not_list_is_refused(tmp_path, intruder):
    report = fake_report(tmp_path / "report", {"report.html": "<p>r</p>", "tables/documents.csv": "doc_id\n"})
    (report / intruder).parent.mkdir(parents=True, exist_ok=True)
    (report / intruder).write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match=f"holds {intruder}, which its manifest.json does not list"):
        check_output_folder(report)


@pytest.mark.parametrize("manifest", ["[]", "{}", "{not json", '{"generator": "other", "outputs": []}',
                                      '{"manifest_version": 1, "outputs": []}'])
def test_a_folder_whose_manifest_is_not_the_kits_is_refused(tmp_path, manifest):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "manifest.json").write_text(manifest, encoding="utf-8")
    with pytest.raises(OutputError, match="not a Parallax output folder"):
        check_output_folder(folder)


def test_a_failed_folder_is_replaced_only_when_the_kit_wrote_it(tmp_path):
    check_failed_folder(tmp_path / "out.failed")  # absent: fine
    ours = tmp_path / "ours.failed"
    ours.mkdir()
    (ours / output_guard.FAILED_MARKER).write_text("", encoding="utf-8")
    check_failed_folder(ours)
    foreign = tmp_path / "out.failed"
    foreign.mkdir()
    (foreign / "chapter.docx").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="not written by parallax"):
        check_failed_folder(foreign)
    with pytest.raises(OutputError, match="out.failed"):
        OutputFolder(tmp_path / "out").__enter__()
    assert (foreign / "chapter.docx").read_text(encoding="utf-8") == "mine"


def test_a_file_added_during_the_run_stops_the_replacement(tmp_path):
    out = fake_report(tmp_path / "out")
    before = _snapshot(out)
    with pytest.raises(OutputError, match="thesis.docx"):
        with OutputFolder(out) as folder:
            (folder.staging / "report.html").write_text("new", encoding="utf-8")
            (out / "thesis.docx").write_text("written meanwhile", encoding="utf-8")
            folder.commit()
    assert _snapshot(out) == {**before, "thesis.docx": b"written meanwhile"}
    assert _leftovers(tmp_path) == []


# ---------------------------------------------------------------------------
# Item 2: one writer per folder, a staging folder per run, the manifest last
# ---------------------------------------------------------------------------

_HOLD_LOCK = textwrap.dedent("""
    import sys
    from analysis.report.output_guard import output_path
    from analysis.report.outputs import acquire_lock
    descriptor = acquire_lock(output_path(sys.argv[1]))
    print("locked", flush=True)
    sys.stdin.readline()  # hold the lock until the test says so
""")


@pytest.fixture
def lock_holder():
    """Start a process holding the lock of a folder; returns a function taking the folder."""
    holders = []

    def hold(folder):
        holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(folder)], cwd=ROOT, text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        holders.append(holder)
        assert holder.stdout.readline().strip() == "locked"
        return holder

    yield hold
    for holder in holders:
        if holder.poll() is None:
            holder.kill()
        holder.wait()


def _release(holder) -> None:
    holder.stdin.write("\n")
    holder.stdin.flush()
    holder.wait(timeout=DEADLINE_SECONDS)


def test_a_second_writer_waits_with_a_message_or_fails_with_no_wait(mini_corpus, tmp_path, lock_holder, capsys):
    out = tmp_path / "out"
    holder = lock_holder(out)

    busy = _cli("analyze", mini_corpus, "--out", out, "--no-wait")
    assert busy.returncode == 3, busy.stderr[-2000:]
    assert "another parallax run is writing" in _one_clear_line(busy.stderr)
    with pytest.raises(OutputBusyError):
        acquire_lock(output_path(out), wait=False)

    acquired = threading.Event()
    seen = []

    def waiter():
        descriptor = acquire_lock(output_path(out), wait=True)
        acquired.set()
        os.close(descriptor)

    thread = threading.Thread(target=waiter, daemon=True)
    thread.start()
    _wait_for(lambda: seen.append(capsys.readouterr().err) or "waiting for another parallax run" in "".join(seen),
              "the waiting message")
    assert f"waiting for another parallax run writing {out}" in "".join(seen)
    assert not acquired.is_set()  # the holder still has it
    _release(holder)
    thread.join(timeout=DEADLINE_SECONDS)
    assert acquired.is_set()
    assert not out.exists()  # taking the lock creates nothing but the lock file
    assert outputs.lock_path(output_path(out)).is_file()


@pytest.mark.slow
def test_concurrent_runs_on_one_folder_each_leave_a_consistent_folder(mini_corpus, tmp_path, lock_holder):
    out = tmp_path / "out"
    holder = lock_holder(out)
    logs = {name: tmp_path / f"{name}.log" for name in ("long", "default")}
    runs = {}
    for name, extra in (("long", ["-p", "min_passage_words", "30"]), ("default", [])):
        with open(logs[name], "w", encoding="utf-8") as log:
            runs[name] = subprocess.Popen(CLI + ["analyze", str(mini_corpus), "--out", str(out), *extra],
                                          cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log, text=True)
    try:
        for name, log in logs.items():
            _wait_for(lambda log=log: "waiting for another parallax run" in log.read_text(encoding="utf-8"),
                      f"run {name} to wait")
        _release(holder)
        for name, run in runs.items():
            assert run.wait(timeout=DEADLINE_SECONDS) == 0, logs[name].read_text(encoding="utf-8")[-2000:]
    finally:
        for run in runs.values():
            if run.poll() is None:
                run.kill()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["generator"] == "parallax" and manifest["kind"] == "tables"
    assert set(verify_report(out, mini_corpus)["status"]) == {"ok"}
    # the tables are those of the run the manifest names: no passage is 30 words long
    passages = pd.read_csv(out / "tables" / "passages.csv")
    assert (manifest["parameters"]["min_passage_words"] == 30) == passages.empty
    assert _leftovers(tmp_path) == []


@pytest.mark.slow
def test_analyze_manifest_records_the_hash_of_every_file_written(mini_corpus, tmp_path):
    out = tmp_path / "out"
    for _ in range(2):  # the second run replaces the folder the first wrote
        run = _cli("analyze", mini_corpus, "--out", out)
        assert run.returncode == 0, run.stderr[-2000:]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    on_disk = {p.relative_to(out).as_posix(): file_sha256(p) for p in out.rglob("*")
               if p.is_file() and p.name != "manifest.json"}
    assert {r["path"]: r["sha256"] for r in manifest["outputs"]} == on_disk
    assert "tables/passages.csv" in on_disk
    assert _leftovers(tmp_path) == []


@pytest.mark.slow
def test_batch_respects_a_report_writing_one_of_its_folders(tmp_path, lock_holder):
    root = tmp_path / "corpora"
    (root / "port-strike").mkdir(parents=True)
    for doc_id, text in MINI_ARTICLES.items():
        (root / "port-strike" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "reports"
    holder = lock_holder(out / "port-strike")
    run = _cli("batch", root, "--out", out, "--no-wait")
    _release(holder)
    assert run.returncode == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    summary = pd.read_csv(out / "batch.csv", dtype=str, keep_default_na=False)
    assert summary["status"].tolist() == ["failed"]
    assert "another parallax run is writing" in summary.loc[0, "error"]
    assert not (out / "port-strike").exists()


def test_each_run_stages_in_a_folder_of_its_own(tmp_path):
    out = output_path(tmp_path / "out")
    first, second = outputs.make_staging(out), outputs.make_staging(out)
    assert first != second and first.parent == second.parent == tmp_path
    assert first.name.startswith(".out.parallax-staging-")


def test_leftovers_of_a_killed_run_are_removed_and_a_retired_report_put_back(tmp_path):
    out = tmp_path / "out"
    staging = tmp_path / ".out.parallax-staging-killed"
    (staging / "tables").mkdir(parents=True)
    (staging / "tables" / "half.csv").write_text("x\n", encoding="utf-8")
    # killed between renaming the old report aside and renaming the new one in
    retired = fake_report(tmp_path / ".out.parallax-retired-killed")
    before = _snapshot(retired)
    other = tmp_path / ".other.parallax-staging-live"  # another folder's run: not ours to remove
    other.mkdir()
    with OutputFolder(out):
        pass
    assert _snapshot(out) == before
    assert not staging.exists() and not retired.exists() and other.is_dir()


def test_a_failed_swap_puts_the_old_report_back(tmp_path, monkeypatch):
    out = fake_report(tmp_path / "out")
    before = _snapshot(out)
    real_rename = os.rename

    def rename(source, target):
        if outputs.STAGING_MARK in str(source):
            raise OSError(28, "No space left on device")
        return real_rename(source, target)

    monkeypatch.setattr(outputs.os, "rename", rename)
    with pytest.raises(OutputError, match="No space left on device"):
        with OutputFolder(out) as folder:
            (folder.staging / "report.html").write_text("new", encoding="utf-8")
            folder.commit()
    assert _snapshot(out) == before
    assert _leftovers(tmp_path) == []


# ---------------------------------------------------------------------------
# Item 7: Ctrl-C, SIGTERM and disk faults end in one line, the old report intact
# ---------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("signal_to", ["SIGINT to the process group", "SIGTERM to the process"])
def test_an_interrupted_report_keeps_the_old_report_and_says_so(mini_corpus, tmp_path, signal_to):
    out = fake_report(tmp_path / "out")
    before = _snapshot(out)
    known = set(os.listdir(tmp_path))
    # a new session, like a terminal's foreground job: Ctrl-C reaches the whole group
    run = subprocess.Popen(CLI + ["report", str(mini_corpus), "--out", str(out)], cwd=ROOT, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                           preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        # the notebook is running once a folder beside out has tables in it
        _wait_for(lambda: run.poll() is not None or any(
            (tmp_path / name / "tables").is_dir() for name in set(os.listdir(tmp_path)) - known),
            "the report to start writing")
        if signal_to.startswith("SIGINT"):
            os.killpg(run.pid, signal.SIGINT)
        else:
            os.kill(run.pid, signal.SIGTERM)
        _, stderr = run.communicate(timeout=DEADLINE_SECONDS)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    assert run.returncode == 130, stderr[-3000:]
    assert "interrupted" in _one_clear_line(stderr)
    assert _snapshot(out) == before
    assert _leftovers(tmp_path) == []
    assert not (tmp_path / "out.partial").exists()


_FIGURE_WRITER_UNDER_SIGINT = textwrap.dedent("""
    import os, signal, sys, time
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from analysis.figures.save import BackgroundFigureWriter

    writer = BackgroundFigureWriter()
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    writer.submit(fig, sys.argv[1], "fig-01-first", "A line.", "A rising line.")
    while 0 not in writer._done:  # the worker is serving: its signal handling is in place
        time.sleep(0.05)
    os.kill(writer._worker.pid, signal.SIGINT)  # as the kernel's shutdown interrupt does
    writer.submit(fig, sys.argv[1], "fig-02-second", "A line.", "A rising line.")
    writer.wait()
    print("saved")
""")


def test_the_figure_writer_ignores_ctrl_c(tmp_path):
    run = subprocess.run([sys.executable, "-c", _FIGURE_WRITER_UNDER_SIGINT, str(tmp_path)], cwd=ROOT,
                         capture_output=True, text=True, timeout=DEADLINE_SECONDS)
    assert run.returncode == 0 and run.stdout.strip() == "saved", run.stderr[-3000:]
    assert "KeyboardInterrupt" not in run.stderr and "Traceback" not in run.stderr
    assert (tmp_path / "fig-02-second.png").is_file()


@pytest.fixture
def small_disk(tmp_path):
    """A real 2 MB tmpfs (needs root, or the test is skipped)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


#: Space left free on the small disk: room for the lock file, the staging
#: folder and the first tables, not for a report (one of the mini corpus is 1.9 MB).
FREE_BYTES_LEFT = 256 * 1024


@pytest.mark.slow
def test_a_full_disk_ends_in_one_line_and_keeps_the_old_report(mini_corpus, small_disk):
    out = fake_report(small_disk / "out")
    before = _snapshot(out)
    stats = os.statvfs(small_disk)
    (small_disk / "filler").write_bytes(b"\0" * (stats.f_bavail * stats.f_frsize - FREE_BYTES_LEFT))
    run = _cli("report", mini_corpus, "--out", out)
    assert run.returncode == 3, run.stderr[-3000:]
    line = _one_clear_line(run.stderr)
    assert "No space left on device" in line and str(out) in line
    assert _snapshot(out) == before
    assert _leftovers(small_disk) == [] and not (small_disk / "out.failed").exists()


def test_a_read_only_disk_ends_in_one_line_and_keeps_the_old_report(mini_corpus, small_disk):
    out = fake_report(small_disk / "out")
    before = _snapshot(out)
    remounted = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True, text=True)
    if remounted.returncode != 0:
        pytest.skip(f"cannot remount read-only: {remounted.stderr.strip()}")
    for command in ("report", "analyze"):
        run = _cli(command, mini_corpus, "--out", out)
        assert run.returncode == 3, run.stderr[-3000:]
        line = _one_clear_line(run.stderr)
        assert "Read-only file system" in line and str(out) in line
    assert _snapshot(out) == before


def test_an_unwritable_parent_is_an_output_error_naming_the_path(tmp_path, monkeypatch):
    out = fake_report(tmp_path / "out")
    before = _snapshot(out)

    def refuse(prefix="", dir=None):
        raise PermissionError(13, "Permission denied", str(dir))

    monkeypatch.setattr(outputs.tempfile, "mkdtemp", refuse)
    with pytest.raises(OutputError, match=re.escape(f"Permission denied ({tmp_path})")):
        with OutputFolder(out):
            pass
    assert _snapshot(out) == before
