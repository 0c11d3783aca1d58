"""Exploring in JupyterLab without dirtying the repository (``make lab``).

``make lab`` opens JupyterLab at the project root (``seeds/``, ``reports/``,
``notebooks/`` browsable) on ``lab/report.ipynb``, a working copy of the
report notebook in the git-ignored ``lab/`` folder: run it, change it and
save it there with its outputs. The committed template
``notebooks/report.ipynb`` stays clean even when it is opened and saved:
:func:`keep_templates_clean` is the server's pre-save hook, and every notebook
saved under ``notebooks/`` is written without outputs, execution counts or
run metadata, as ``tests/test_notebooks.py`` requires of a committed notebook
(the job nbstripout does as a git filter, without adding a dependency).
"""

from __future__ import annotations

from pathlib import PurePosixPath

#: Folder (relative to the project root) whose notebooks are committed templates.
TEMPLATE_FOLDER = "notebooks"
#: The working copy ``make lab`` opens (git-ignored folder).
WORKING_COPY = "lab/report.ipynb"
#: Cell metadata a run adds (papermill, JupyterLab's execution timing), dropped from a template.
RUN_METADATA = ("execution", "papermill", "collapsed", "scrolled")


def is_template(path: str) -> bool:
    """Whether ``path`` (relative to the server root, ``/``-separated) is a notebook under :data:`TEMPLATE_FOLDER`."""
    parts = PurePosixPath(str(path).strip("/")).parts
    return len(parts) >= 2 and parts[0] == TEMPLATE_FOLDER and parts[-1].endswith(".ipynb")


def strip_outputs(notebook: dict) -> dict:
    """Remove outputs, execution counts and run metadata from a notebook's JSON content, in place; return it."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        metadata = cell.get("metadata", {})
        for key in RUN_METADATA:
            metadata.pop(key, None)
    notebook.get("metadata", {}).pop("papermill", None)
    return notebook


def keep_templates_clean(model: dict, path: str, **_) -> None:
    """Jupyter server pre-save hook: save a template notebook (:func:`is_template`) without outputs.

    Configured by ``make lab`` as
    ``--ContentsManager.pre_save_hook=analysis.lab.keep_templates_clean``;
    any other file is saved as it is.
    """
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict) and is_template(path):
        strip_outputs(model["content"])
