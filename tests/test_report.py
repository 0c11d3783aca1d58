"""The report runner: papermill execution, parameters, failure handling, outputs."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest

from analysis.report import run as report
from analysis.report.manifest import verify_report
from analysis.errors import ParameterError
from analysis.report.run import ReportError, coerce_parameters, run_report
from conftest import ROOT, SEEDS, fake_report

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports") / "nk-wagner-arms"
    return run_report(SEEDS, out)


def test_report_folder_is_complete(seed_report):
    out = seed_report.path
    for name in ("report.ipynb", "report.html", "manifest.json"):
        assert (out / name).is_file()
    assert (out / "tables" / "documents.csv").is_file()
    assert not [p for p in out.parent.iterdir() if ".parallax-staging-" in p.name]


def test_manifest_records_inputs_parameters_versions_outputs(seed_report):
    manifest = json.loads((seed_report.path / "manifest.json").read_text())
    assert [r["path"] for r in manifest["inputs"]] == sorted(p.name for p in SEEDS.iterdir())
    assert manifest["parameters"]["spacy_model"] == "auto"
    assert {"python", "textstat", "spacy", "pandas", "papermill"} <= set(manifest["versions"])
    outputs = {r["path"] for r in manifest["outputs"]}
    assert {"report.ipynb", "report.html", "tables/documents.csv"} <= outputs
    assert "manifest.json" not in outputs
    for figure in manifest["figures"]:
        assert figure["caption"] and figure["alt"]
        assert all(f in outputs for f in figure["files"])


def test_executed_notebook_has_no_timestamps(seed_report):
    nb = nbformat.read(seed_report.path / "report.ipynb", as_version=4)
    text = json.dumps(nb)
    for key in ("start_time", "end_time", "duration", "iopub.execute_input"):
        assert key not in text
    assert all(not cell.get("outputs") or cell.cell_type == "code" for cell in nb.cells)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []


def test_staging_folder_reaches_the_notebook_as_a_parameter_not_the_environment(seed_report, monkeypatch):
    # the run's staging folder (random name, gone afterwards) is not recorded in the report ...
    text = (seed_report.path / "report.ipynb").read_text(encoding="utf-8")
    assert ".parallax-staging-" not in text and "staging_dir" in text  # the declared default stays
    # ... and the Publisher is told by its argument, never by a variable of the process
    from analysis.report.publish import Publisher

    monkeypatch.setenv("PARALLAX_STAGING_DIR", "/nowhere")
    assert Publisher("", "c", "f").directory is None
    assert Publisher("out", "c", "f", staging_dir="stage").directory.name == "stage"


def test_html_report_runs_nothing_and_hides_code(seed_report):
    page = (seed_report.path / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "pipeline.open_corpus" not in page  # code cells are hidden
    assert "Documents" in page


def test_verify_passes_then_reports_a_changed_table(seed_report, tmp_path):
    assert set(verify_report(seed_report.path, SEEDS)["status"]) == {"ok"}
    import shutil
    copy = tmp_path / "copy"
    shutil.copytree(seed_report.path, copy)
    with open(copy / "tables" / "documents.csv", "a", encoding="utf-8") as handle:
        handle.write("tampered\n")
    (copy / "report.html").unlink()
    table = verify_report(copy, SEEDS).set_index("path")
    assert table.loc["tables/documents.csv", "status"] == "changed"
    assert table.loc["report.html", "status"] == "missing"


def test_rerun_is_byte_identical(seed_report):
    first = {r["path"]: r["sha256"] for r in seed_report.manifest["outputs"]}
    again = run_report(SEEDS, seed_report.path)  # same destination: the notebook must diff clean too
    second = {r["path"]: r["sha256"] for r in again.manifest["outputs"]}
    deterministic = [p for p in first if p.startswith(("tables/", "figures/"))] + ["report.ipynb"]
    assert {p: first[p] for p in deterministic} == {p: second[p] for p in deterministic}
    assert seed_report.manifest["fingerprint"] == again.manifest["fingerprint"]


def test_article_markup_is_escaped_in_the_report(mini_corpus, tmp_path):
    (mini_corpus / "wire.txt").write_text(
        "<script>alert('pwned')</script> Port strike <b>halts</b> exports\n\n"
        "Dock workers walked out on Monday <img src=x onerror=alert(1)> in Ravena, officials said.\n\n"
        "Dock workers at the port of Ravena walked out on Monday, halting grain exports for the third "
        "time this year. The union said 4,000 members joined the strike.",
        encoding="utf-8")
    (mini_corpus / "sources.csv").write_text(
        "doc_id,outlet,published,url\n"
        "wire,Wire Service,2024-05-01,javascript:alert(3)\n"
        "daily,The <i>Daily</i>,2024-05-02,https://example.org/a?b=<c>&d=\"e\"\n", encoding="utf-8")
    # (published must be ISO 8601: markup there stops the run, tests/test_corpus.py)
    result = run_report(mini_corpus, tmp_path / "out")
    page = (result.path / "report.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in page or "&lt;script&gt;" in page
    # metadata: every sources.csv column in documents.csv; the date and a safe link in the document list
    from analysis.tables import read_table

    documents = read_table(result.path / "tables" / "documents.csv")
    assert {"published", "url"} <= set(documents.columns)
    from test_render import Parsed

    hrefs = [value for name, value in Parsed(page).attributes if name == "href"]
    assert 'https://example.org/a?b=<c>&d="e"' in hrefs  # the link, escaped in the page
    assert not [h for h in hrefs if not h.startswith(("#", "https://", "http://"))]  # javascript: is never a link
    assert "javascript:alert(3)" in Parsed(page).text  # but shown as text
    assert "2024-05-01" in page and "2024-05-02" in page and "The &lt;i&gt;Daily&lt;/i&gt;" in page
    # the reuse viewer shows the hostile body as text
    assert 'class="pxr-pair"' in page  # the daily copies the wire: a pair in the viewer
    assert "Monday &lt;img src=x onerror=alert(1)&gt; in Ravena" in page.split('class="pxr-pair"')[1]


def test_unknown_and_mistyped_parameters_are_errors():
    with pytest.raises(ParameterError, match="unknown parameter 'nope'"):
        coerce_parameters({"nope": "1"})
    with pytest.raises(ParameterError, match="set by the command"):
        coerce_parameters({"output_dir": "x"})
    params = {p.name: p for p in report.notebook_parameters()}
    int_params = [name for name, p in params.items() if p.type == "int"]
    if int_params:
        with pytest.raises(ParameterError, match="is not an integer"):
            coerce_parameters({int_params[0]: "many"})


def test_failing_cell_is_named_and_the_notebook_kept(mini_corpus, tmp_path):
    nb = nbformat.read(report.DEFAULT_NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('section exploded')"))
    broken = tmp_path / "broken.ipynb"
    nbformat.write(nb, broken)
    out = fake_report(tmp_path / "out", {"keep.txt": "previous report"})
    with pytest.raises(ReportError, match=r"cell \d+ .*RuntimeError: section exploded") as info:
        run_report(mini_corpus, out, notebook=broken)
    assert "out.failed" in str(info.value)
    assert (tmp_path / "out.failed" / "report.ipynb").is_file()
    assert (out / "keep.txt").read_text() == "previous report"  # the old report is untouched
    assert not [p for p in tmp_path.iterdir() if ".parallax-staging-" in p.name]


def test_cli_report_exit_codes(mini_corpus, tmp_path):
    cli = [sys.executable, "-m", "analysis.cli"]
    bad = subprocess.run(cli + ["report", str(mini_corpus), "--out", str(tmp_path / "o"), "-p", "nope", "1"],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode != 0 and "unknown parameter 'nope'" in bad.stderr
    missing = subprocess.run(cli + ["report", str(tmp_path / "missing"), "--out", str(tmp_path / "o")],
                             capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode == 2 and "no such corpus" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_cli_analyze_converts_parameter_types(monkeypatch, tmp_path):
    from analysis import cli
    from analysis.report import pipeline

    seen = {}
    monkeypatch.setattr(pipeline, "write_analysis", lambda corpus, out, params, wait: seen.update(params) or {})
    argv = ["analyze", "corpus", "--out", str(tmp_path), "-p", "capitals_as_governments", "false",
            "-p", "min_passage_words", "8", "-p", "spacy_model", "auto"]
    assert cli.main(argv) == 0
    assert seen == {"capitals_as_governments": False, "min_passage_words": 8, "spacy_model": "auto"}
    assert cli.main(["analyze", "corpus", "--out", str(tmp_path), "-p", "min_passage_words", "many"]) == 2


def test_papermill_cli_runs_the_notebook_from_the_project_root(tmp_path):
    out = tmp_path / "out.ipynb"
    run = subprocess.run([sys.executable, "-m", "papermill", "notebooks/report.ipynb", str(out),
                          "-p", "corpus", "seeds/nk-wagner-arms", "--no-progress-bar"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    nb = nbformat.read(out, as_version=4)
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]


def test_notebook_runs_with_defaults_from_the_notebooks_folder(tmp_path):
    # JupyterLab starts kernels in notebooks/: the default corpus must resolve from there.
    import papermill
    out = tmp_path / "lab.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / "report.ipynb"), str(out),
                               cwd=str(ROOT / "notebooks"), progress_bar=False)
    assert not (ROOT / "notebooks" / "tables").exists()  # default output_dir writes nothing


def test_figures_cite_the_manifest_fingerprint(seed_report):
    manifest = json.loads((seed_report.path / "manifest.json").read_text())
    page = (seed_report.path / "report.html").read_text(encoding="utf-8")
    assert manifest["figures"], "the seeds report has figures"
    for figure in manifest["figures"]:
        assert f'id="{figure["id"]}"' in page
    assert f"report {manifest['fingerprint'][:12]}" in page
    assert manifest["models"]["spacy_model"] and manifest["models"]["embedding_model"]


def test_malformed_alias_table_is_named_before_any_kernel_starts(mini_corpus, tmp_path):
    (mini_corpus / "aliases.csv").write_text("alias,entity\nRavena\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"aliases\.csv"):
        run_report(mini_corpus, tmp_path / "out")
    assert not (tmp_path / "out.failed").exists() and not (tmp_path / "out").exists()
