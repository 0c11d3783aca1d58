"""The section functions shared by the notebook and `parallax analyze`."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from analysis import pipeline
from analysis.corpus import CorpusError
from conftest import ROOT

CLI = [sys.executable, "-m", "analysis.cli"]


def test_analyze_writes_every_table(mini_corpus, tmp_path):
    run = subprocess.run(CLI + ["analyze", str(mini_corpus), "--out", str(tmp_path)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    written = {p.stem for p in (tmp_path / "tables").glob("*.csv")}
    assert {"documents", "boilerplate", "readability", "entities", "passages", "sentence_alignment",
            "overlap_pairs", "quotes", "quote_variants", "numbers", "number_conflicts"} <= written
    passages = pd.read_csv(tmp_path / "tables" / "passages.csv")
    assert not passages.empty  # the two mini articles share a sentence


def test_one_document_corpus_skips_comparisons_with_a_reason(tmp_path):
    folder = tmp_path / "solo"
    folder.mkdir()
    (folder / "only.txt").write_text("A headline here\n\nThe mayor said on Monday that the bridge will close.")
    analysis = pipeline.open_corpus(folder)
    assert "at least two" in pipeline.cross_source_skip_reason(analysis)
    assert pipeline.overlap_tables(analysis) == {}
    assert len(pipeline.readability_tables(analysis)["readability"]) == 1


def test_unknown_analysis_parameter_is_an_error(mini_corpus):
    with pytest.raises(ValueError, match="unknown analysis parameter"):
        pipeline.open_corpus(mini_corpus, nonsense=1)


def test_corpus_resolves_from_the_notebooks_folder(monkeypatch):
    monkeypatch.chdir(ROOT / "notebooks")
    assert pipeline.resolve_corpus_path("seeds/nk-wagner-arms") == ROOT / "seeds" / "nk-wagner-arms"
    with pytest.raises(CorpusError, match="no such corpus"):
        pipeline.resolve_corpus_path("seeds/does-not-exist")


def test_every_subcommand_explains_itself():
    for args in (["--help"], ["report", "--help"], ["analyze", "--help"], ["verify", "--help"]):
        run = subprocess.run(CLI + args, capture_output=True, text=True, cwd=ROOT)
        assert run.returncode == 0 and "usage: parallax" in run.stdout
    report_help = subprocess.run(CLI + ["report", "--help"], capture_output=True, text=True, cwd=ROOT).stdout
    assert "min_passage_words (int, default 6)" in report_help


def test_describe_functions_name_outlets_not_ids(mini_corpus):
    analysis = pipeline.open_corpus(mini_corpus)
    sentence = pipeline.describe_corpus(analysis)
    assert sentence.startswith("2 articles from 2 named outlets")
