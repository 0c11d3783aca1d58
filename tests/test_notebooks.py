"""Notebooks are committed clean: no outputs, no execution counts; parameters are documented."""

from __future__ import annotations

import subprocess

import nbformat
import pytest

from analysis.report.run import notebook_parameters
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_is_a_report_notebook():
    assert ROOT / "notebooks" / "report.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: a cell has outputs"
            assert cell.execution_count is None, f"{path.name}: a cell has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_parameter_has_a_help_comment(path):
    for param in notebook_parameters(path):
        assert param.help, f"{path.name}: parameter {param.name} has no comment"


def test_tracked_notebooks_match_working_tree():
    # what CI checks is what is committed: a notebook saved with outputs but not committed is caught above
    tracked = subprocess.run(["git", "ls-files", "notebooks/*.ipynb"], capture_output=True, text=True, cwd=ROOT)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    assert {ROOT / p for p in tracked.stdout.split()} <= set(NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_papermill_reads_every_assignment_of_the_parameters_cell(path):
    import ast
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assigned = [n.targets[0].id for n in ast.parse(cell.source).body if isinstance(n, ast.Assign)]
    assert [p.name for p in notebook_parameters(path)] == assigned


def test_report_parameters_match_the_pipeline_defaults():
    from analysis.report.pipeline import DEFAULT_PARAMETERS
    from analysis.report.run import RUNNER_PARAMETERS
    declared = {p.name: p.default for p in notebook_parameters(ROOT / "notebooks" / "report.ipynb")
                if p.name not in RUNNER_PARAMETERS}
    assert declared == DEFAULT_PARAMETERS
