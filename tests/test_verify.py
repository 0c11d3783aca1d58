"""`parallax verify` (issue 10 item 5): hidden files, an edited manifest, malformed manifests."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analysis.errors import ManifestError, OutputError
from analysis.report.manifest import build_manifest, verify_report, write_manifest
from conftest import ROOT

CLI = [sys.executable, "-m", "analysis.cli"]


def _verify(folder):
    return subprocess.run(CLI + ["verify", str(folder)], capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.fixture
def tables_folder(mini_corpus, tmp_path):
    """A folder as `parallax analyze` leaves it, its manifest built by the manifest module (no analysis run)."""
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    (out / "tables" / "documents.csv").write_text("doc_id\ndaily\nwire\n", encoding="utf-8")
    manifest = build_manifest(out, str(mini_corpus), mini_corpus, {"min_passage_words": 6, "seed": 1},
                              {"python": "3.11", "parallax": "0"}, [], kind="tables")
    write_manifest(out, manifest)
    return out


def _statuses(folder) -> dict[tuple[str, str], str]:
    table = verify_report(folder)
    return {(row.kind, row.path): row.status for row in table.itertuples(index=False)}


def test_an_untouched_folder_verifies(tables_folder):
    statuses = _statuses(tables_folder)
    assert set(statuses.values()) == {"ok"}
    assert statuses[("manifest", "manifest.json")] == "ok"
    assert ("output", "tables/documents.csv") in statuses and ("input", "wire.txt") in statuses
    run = _verify(tables_folder)
    assert run.returncode == 0, run.stderr
    assert "match the manifest" in run.stdout


def test_added_files_are_listed_hidden_ones_too(tables_folder):
    (tables_folder / "tables" / ".x").write_text("slipped in", encoding="utf-8")
    (tables_folder / ".notes").write_text("slipped in", encoding="utf-8")
    (tables_folder / "tables" / "extra.csv").write_text("a\n", encoding="utf-8")
    statuses = _statuses(tables_folder)
    for path in ("tables/.x", ".notes", "tables/extra.csv"):
        assert statuses[("output", path)] == "added"
    run = _verify(tables_folder)
    assert run.returncode == 1
    for path in ("tables/.x", ".notes", "tables/extra.csv"):
        assert f"added    output {path}" in run.stdout
    assert "3 of" in run.stdout


def test_an_edited_manifest_fails_the_recomputed_fingerprint(tables_folder):
    path = tables_folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["parameters"]["min_passage_words"] = 10  # the tables were not made with this
    path.write_text(json.dumps(manifest), encoding="utf-8")
    table = verify_report(tables_folder).set_index(["kind", "path"])
    row = table.loc[("manifest", "manifest.json")]
    assert row["status"] == "changed"
    assert row["expected_sha256"] == manifest["fingerprint"] and row["actual_sha256"] != manifest["fingerprint"]
    run = _verify(tables_folder)
    assert run.returncode == 1 and "changed  manifest manifest.json" in run.stdout


def test_an_edited_input_and_output_are_reported(tables_folder, mini_corpus):
    (mini_corpus / "wire.txt").write_text("Edited.", encoding="utf-8")
    (tables_folder / "tables" / "documents.csv").unlink()
    statuses = _statuses(tables_folder)
    assert statuses[("input", "wire.txt")] == "changed"
    assert statuses[("output", "tables/documents.csv")] == "missing"


_VALID = {"corpus": "c", "fingerprint": "f", "inputs": [], "parameters": {}, "versions": {}, "outputs": []}


@pytest.mark.parametrize("content, problem", [
    ("[]", "not a Parallax manifest"),
    ("{}", "no 'corpus'"),
    ("null", "not a Parallax manifest"),
    ("{not json", "not valid JSON"),
    (b"\xff\xfe\x00", "not valid JSON"),
    (json.dumps({k: v for k, v in _VALID.items() if k != "outputs"}), "no 'outputs'"),
    (json.dumps({**_VALID, "outputs": {}}), "'outputs' must be a JSON array"),
    (json.dumps({**_VALID, "parameters": []}), "'parameters' must be a JSON object"),
    (json.dumps({**_VALID, "outputs": [1]}), "not a record"),
    (json.dumps({**_VALID, "outputs": [{"path": "../../etc/passwd", "sha256": "0"}]}), "not a record"),
    (json.dumps({**_VALID, "inputs": [{"path": "a.txt"}]}), "not a record"),
], ids=["list", "empty-object", "null", "bad-json", "not-utf8", "no-outputs", "outputs-object",
        "parameters-list", "record-number", "record-escaping", "record-without-hash"])
def test_a_malformed_manifest_is_one_clear_line(tmp_path, content, problem):
    folder = tmp_path / "report"
    folder.mkdir()
    path = folder / "manifest.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    with pytest.raises(ManifestError, match=problem) as info:
        verify_report(folder)
    assert isinstance(info.value, ValueError) and isinstance(info.value, OutputError)
    run = _verify(folder)
    assert run.returncode == 3
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert lines[0].startswith("parallax verify: error: ") and str(path) in lines[0] and problem in lines[0]


def test_a_folder_without_manifest_is_one_clear_line(tmp_path):
    run = _verify(tmp_path)
    assert run.returncode == 3 and "no manifest" in run.stderr and "Traceback" not in run.stderr
