"""Where a corpus named on the command line or in a notebook is on disk."""

from __future__ import annotations

from pathlib import Path

from analysis.errors import CorpusError


def resolve_corpus_path(corpus: str | Path) -> Path:
    """Find a corpus given relative to the working folder or to the project root.

    A notebook opened in JupyterLab runs in ``notebooks/``, papermill and the
    command line in the project root: ``seeds/nk-wagner-arms`` must work in both.

    Raises
    ------
    CorpusError
        If no such folder or file exists.
    """
    path = Path(corpus).expanduser()
    if path.exists() or path.is_absolute():
        if not path.exists():
            raise CorpusError(f"{path}: no such corpus folder or file")
        return path
    for ancestor in Path.cwd().resolve().parents:
        candidate = ancestor / path
        if candidate.exists():
            return candidate
    raise CorpusError(f"{corpus}: no such corpus folder or file (looked in {Path.cwd()} and its parents)")
