"""The command line talks (issue 14, item 9): progress by section, a summary line, --version, analyze --help."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tomllib

import nbformat
import pandas as pd

from analysis.report import progress
from analysis.report.run import DEFAULT_NOTEBOOK
from analysis.tables import write_table
from conftest import ROOT

CLI = [sys.executable, "-m", "analysis.cli"]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_version_is_the_package_version():
    shown = subprocess.run(CLI + ["--version"], capture_output=True, text=True, cwd=ROOT)
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert shown.returncode == 0 and shown.stdout.strip() == f"parallax {version}"


def parameter_lines(text: str) -> dict[str, str]:
    return {m.group(1): m.group(0) for m in re.finditer(r"^  (\w+) \((\w+), default .*$", text, re.MULTILINE)}


def test_analyze_help_lists_its_parameters_as_report_help_does():
    from analysis.report.parameters import PARAMETERS

    analyze = subprocess.run(CLI + ["analyze", "--help"], capture_output=True, text=True, cwd=ROOT).stdout
    report = subprocess.run(CLI + ["report", "--help"], capture_output=True, text=True, cwd=ROOT).stdout
    analyze_lines, report_lines = parameter_lines(analyze), parameter_lines(report)
    assert set(analyze_lines) == set(PARAMETERS)
    for name, line in analyze_lines.items():
        assert line == report_lines[name]  # the same words: type, default, what it does, what is allowed
        assert "allowed:" in line


def test_sections_are_the_notebook_headings_in_order():
    names, position = progress.notebook_sections(DEFAULT_NOTEBOOK)
    nb = nbformat.read(DEFAULT_NOTEBOOK, as_version=4)
    headings = [line[3:].strip() for cell in nb.cells if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if line.startswith("## ")]
    assert names[0] == progress.OPENING_SECTION and names[1:] == headings
    assert set(position.values()) == set(range(len(names)))


def test_progress_bar_names_each_section_on_a_terminal_and_is_silent_elsewhere():
    nb = nbformat.read(DEFAULT_NOTEBOOK, as_version=4)
    terminal = Terminal()
    bar = progress.SectionProgress(DEFAULT_NOTEBOOK, stream=terminal)
    for index, cell in enumerate(nb.cells):
        bar.cell_started(cell=cell, cell_index=index)
    bar.finishing()
    bar.close()
    shown = terminal.getvalue()
    names = progress.notebook_sections(DEFAULT_NOTEBOOK)[0] + [progress.CLOSING_SECTION]
    where = [shown.index(f"\r{name}: ") for name in names]
    assert where == sorted(where)  # each section named, in order
    total = len(names)
    assert f"{total - 1}/{total} sections" in shown
    quiet = io.StringIO()  # not a terminal: a pipe or a log file
    silent = progress.SectionProgress(DEFAULT_NOTEBOOK, stream=quiet)
    silent.cell_started(cell=nb.cells[2], cell_index=2)
    silent.close()
    assert quiet.getvalue() == ""


def fake_tables(folder):
    tables = folder / "tables"
    write_table(pd.DataFrame({"doc_id": ["a", "b", "c"]}), tables / "documents.csv")
    write_table(pd.DataFrame({"source": ["a", "a"], "derived": ["b", "c"]}), tables / "derivation.csv")
    write_table(pd.DataFrame({"differs": [True, False, True]}), tables / "quote_variants.csv")
    # two rows that are not "agree", one of them the same figure in other words: no conflicting number
    write_table(pd.DataFrame({"conflict": ["agree", "different_value", "different_description"]}),
                tables / "number_conflicts.csv")
    write_table(pd.DataFrame({"kind": ["reworded_copy", "identical", "altered_quote", "altered_quote",
                                       "number_conflict", "dropped_qualifier", "omission"]}),
                tables / "findings.csv")
    return {"fingerprint": "0123456789abcdef", "figures": [1, 2], "outputs": [1, 2, 3]}


def test_summary_line_counts_what_the_report_found(tmp_path):
    manifest = fake_tables(tmp_path)
    assert progress.report_summary(tmp_path, manifest, 12.34) == (
        f"3 documents, 7 findings, 2 derived pairs, 2 altered quotations, 1 conflicting number, 1 omission; "
        f"report written to {tmp_path} in 12.3 s (fingerprint 0123456789ab, 2 figures, 3 files)")


def test_summary_counts_come_from_the_findings_alone(tmp_path):
    from analysis.findings.registry import KINDS
    from analysis.tables import write_table

    manifest = fake_tables(tmp_path)
    assert {kind for _, _, group in progress.SUMMARY_KINDS for kind in group} <= set(KINDS)
    # the same tables with findings that hold no conflicting number: the number_conflicts rows are not counted
    write_table(pd.DataFrame({"kind": ["copied_text", "changed_place"]}), tmp_path / "tables" / "findings.csv")
    line = progress.report_summary(tmp_path, manifest, 1.0)
    assert line.startswith("3 documents, 2 findings, 1 derived pair, 0 altered quotations, 0 conflicting numbers, "
                           "0 omissions; ")
    (tmp_path / "tables" / "findings.csv").unlink()
    assert progress.report_summary(tmp_path, manifest, 1.0).startswith("3 documents; report written")


def test_cli_report_prints_the_summary_and_draws_no_bar_off_a_terminal(monkeypatch, tmp_path, capsys):
    from analysis import cli
    from analysis.report import run

    manifest = fake_tables(tmp_path)
    seen = {}

    def fake_run(corpus, out, parameters, wait, progress):
        seen["progress"] = progress
        return run.ReportResult(tmp_path, manifest)

    monkeypatch.setattr(run, "run_report", fake_run)
    assert cli.main(["report", "corpus", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("3 documents, 7 findings, 2 derived pairs") and str(tmp_path) in out[0]
    assert seen["progress"] is False  # pytest's captured stderr is not a terminal
