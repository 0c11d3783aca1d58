"""Offline resources: textstat gets NLTK's cmudict without nltk.download; spaCy models are found."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis import resources


def test_textstat_never_downloads(tmp_path):
    # A fresh interpreter with a poisoned nltk.download: building and using the
    # corpus must not reach it. XDG_CACHE_HOME points at an empty folder.
    code = (
        "import nltk\n"
        "def refuse(*a, **k): raise SystemExit('nltk.download was called')\n"
        "nltk.download = refuse\n"
        "from analysis.resources import ensure_cmudict\n"
        "ensure_cmudict()\n"
        "import textstat\n"
        "print(textstat.syllable_count('readability'))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "5"


def test_cmudict_corpus_is_built_in_nltk_format(tmp_path):
    resources._write_cmudict_corpus(tmp_path)
    lines = (tmp_path / "corpora" / "cmudict" / "cmudict").read_text().splitlines()
    entries = {}
    for line in lines:
        word, variant, *phones = line.split()
        entries.setdefault(word, []).append((int(variant), phones))
    assert entries["READ"] == [(1, ["R", "EH1", "D"]), (2, ["R", "IY1", "D"])]


def test_spacy_model_resolution():
    assert resources.resolve_spacy_model("auto") in resources.SPACY_MODEL_CANDIDATES
    with pytest.raises(resources.ResourceError, match="not installed.*never downloads"):
        resources.resolve_spacy_model("xx_no_such_pipeline")
