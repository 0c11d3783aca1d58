"""How to cite a figure: CITATION.cff plus the corpus, figure id and fingerprint."""

from __future__ import annotations

import functools
from pathlib import Path

from analysis import __version__

#: CITATION.cff at the project root (the package lives one folder below it).
CITATION_FILE = Path(__file__).resolve().parents[2] / "CITATION.cff"


@functools.cache
def load_citation(path: str | Path = CITATION_FILE) -> dict:
    """The CITATION.cff fields, or a minimal record when the file is absent.

    Returns
    -------
    dict
        At least ``title``, ``version``, ``authors`` (list of dicts) and ``year``.
    """
    import yaml

    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    data = dict(data or {})
    data.setdefault("title", "Parallax")
    data.setdefault("version", __version__)
    data.setdefault("authors", [{"name": "The Parallax developers"}])
    released = str(data.get("date-released", ""))
    data["year"] = released[:4] if released else "n.d."
    return data


def _author_names(authors: list[dict]) -> str:
    names = []
    for author in authors:
        if "name" in author:
            names.append(str(author["name"]))
        else:
            names.append(" ".join(str(author[k]) for k in ("given-names", "family-names") if k in author))
    return ", ".join(names)


def cite_figure(fig_id: str, corpus: str, fingerprint: str) -> str:
    """A plain-text citation of one figure of one report.

    Parameters
    ----------
    fig_id : str
        The figure's stable id (``fig-01-readability``).
    corpus : str
        The corpus name.
    fingerprint : str
        The report's fingerprint (manifest ``fingerprint``); the first 12
        hex digits are printed, enough to find the manifest.
    """
    c = load_citation()
    return (f"{_author_names(c['authors'])} ({c['year']}). {c['title']} (version {c['version']}) "
            f"[Computer software]. Figure {fig_id}, corpus \u201c{corpus}\u201d, "
            f"report {fingerprint[:12]}.")
