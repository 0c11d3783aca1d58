"""Shared fixtures: the project root, the seed corpus, small synthetic corpora."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds" / "nk-wagner-arms"

#: Two short articles on one invented story; the second reuses a passage of the first.
MINI_ARTICLES = {
    "wire": ("Port strike halts grain exports\n\n"
             "Dock workers at the port of Ravena walked out on Monday, halting grain exports for the third "
             "time this year. The union said 4,000 members joined the strike.\n\n"
             "\u201cWe will not load a single ship until wages rise,\u201d union leader Maria Costa told reporters.\n\n"
             "Share this article on Twitter"),
    "daily": ("Ravena dockers strike again\n\n"
              "Dock workers at the port of Ravena walked out on Monday, halting grain exports for the third "
              "time this year. Officials said about 3,500 workers took part.\n\n"
              "Costa said the union \u201cwill not load a single ship until pay rises\u201d.\n\n"
              "Comments are closed."),
}


@pytest.fixture
def mini_corpus(tmp_path) -> Path:
    """A two-article corpus with sources.csv, in a fresh folder."""
    folder = tmp_path / "mini"
    folder.mkdir()
    for doc_id, text in MINI_ARTICLES.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (folder / "sources.csv").write_text("doc_id,outlet\nwire,Wire Service\ndaily,The Daily\n", encoding="utf-8")
    return folder


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    """A private copy of the seed corpus (tests may modify it)."""
    target = tmp_path / "nk-wagner-arms"
    shutil.copytree(SEEDS, target)
    return target


def make_docs(bodies: dict[str, str], titles: dict[str, str] | None = None, labels=str.upper):
    """A hand-made corpus table: doc_id -> body, optional titles; ``labels`` maps a doc_id to its label."""
    import pandas as pd

    titles = titles or {}
    return pd.DataFrame({"doc_id": list(bodies), "label": [labels(k) for k in bodies], "outlet": "",
                         "title": [titles.get(k, "") for k in bodies], "body": list(bodies.values())})


@pytest.fixture(scope="session")
def nlp():
    """The kit's spaCy pipeline, loaded once for the whole test session."""
    from analysis.text.nlp import load_pipeline

    return load_pipeline()


def fake_report(folder: Path, files: dict[str, str] | None = None) -> Path:
    """A folder the kit would accept as its own output: ``files`` plus a manifest listing them.

    Enough for the output-folder guard (``analysis.report.outputs``), without running a report.
    """
    import hashlib
    import json

    files = {"report.html": "<p>previous report</p>"} if files is None else files
    folder.mkdir(parents=True, exist_ok=True)
    outputs = []
    for relative, text in sorted(files.items()):
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        outputs.append({"path": relative, "bytes": path.stat().st_size,
                        "sha256": hashlib.sha256(path.read_bytes()).hexdigest()})
    manifest = {"manifest_version": 1, "generator": "parallax", "kind": "report", "corpus": "corpus",
                "fingerprint": "0" * 64, "inputs": [], "parameters": {}, "versions": {}, "outputs": outputs}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder
