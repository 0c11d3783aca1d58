"""The section functions shared by the notebook and `parallax analyze`."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from analysis.report import pipeline
from analysis.corpus.paths import resolve_corpus_path
from analysis.corpus.reading import CorpusError
from conftest import ROOT

CLI = [sys.executable, "-m", "analysis.cli"]


def test_analyze_writes_every_table(mini_corpus, tmp_path):
    out = tmp_path / "out"  # not tmp_path itself: that holds the corpus, and is refused
    run = subprocess.run(CLI + ["analyze", str(mini_corpus), "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    written = {p.stem for p in (out / "tables").glob("*.csv")}
    assert {"documents", "boilerplate", "readability", "entities", "passages", "sentence_alignment",
            "overlap_pairs", "quotes", "quote_variants", "numbers", "number_conflicts"} <= written
    passages = pd.read_csv(out / "tables" / "passages.csv")
    assert not passages.empty  # the two mini articles share a sentence
    stories = pd.read_csv(out / "tables" / "stories.csv")
    assert list(stories.columns) == ["story_id", "doc_id", "label"]
    for name in ("candidate_pairs", "passages", "overlap_pairs", "derivation"):
        table = pd.read_csv(out / "tables" / f"{name}.csv")
        assert table.columns[0] == "story_id" and set(table["story_id"]) <= set(stories["story_id"]), name


def test_one_document_corpus_skips_comparisons_with_a_reason(tmp_path):
    folder = tmp_path / "solo"
    folder.mkdir()
    (folder / "only.txt").write_text("A headline here\n\nThe mayor said on Monday that the bridge will close.")
    analysis = pipeline.open_corpus(folder)
    assert "at least two" in pipeline.cross_source_skip_reason(analysis)
    assert pipeline.overlap_tables(analysis) == {}
    assert len(pipeline.readability_tables(analysis)["readability"]) == 1


def test_unknown_analysis_parameter_is_an_error(mini_corpus):
    with pytest.raises(ValueError, match="unknown parameter 'nonsense'"):
        pipeline.open_corpus(mini_corpus, nonsense=1)


def test_corpus_resolves_from_the_notebooks_folder(monkeypatch):
    monkeypatch.chdir(ROOT / "notebooks")
    assert resolve_corpus_path("seeds/nk-wagner-arms") == ROOT / "seeds" / "nk-wagner-arms"
    with pytest.raises(CorpusError, match="no such corpus"):
        resolve_corpus_path("seeds/does-not-exist")


def test_every_subcommand_explains_itself():
    for args in (["--help"], ["report", "--help"], ["analyze", "--help"], ["verify", "--help"]):
        run = subprocess.run(CLI + args, capture_output=True, text=True, cwd=ROOT)
        assert run.returncode == 0 and "usage: parallax" in run.stdout
    report_help = subprocess.run(CLI + ["report", "--help"], capture_output=True, text=True, cwd=ROOT).stdout
    assert "min_passage_words (int, default 6)" in report_help


# ---------------------------------------------------------------- readable outlet colours in figure text
# (here because this branch owns no figures test file)

def test_contrast_follows_wcag():
    from analysis.figures import contrast_on_white, relative_luminance

    assert relative_luminance("white") == pytest.approx(1.0)
    assert relative_luminance("black") == pytest.approx(0.0)
    assert contrast_on_white("black") == pytest.approx(21.0)
    assert contrast_on_white("#767676") == pytest.approx(4.54, abs=0.01)  # WCAG's AA grey on white


def test_text_color_darkens_only_unreadable_palette_colours():
    from matplotlib.colors import rgb_to_hsv, to_rgb

    from analysis.figures import MIN_TEXT_CONTRAST, PALETTE, contrast_on_white, text_color

    for color in PALETTE:
        text = text_color(color)
        assert contrast_on_white(text) >= MIN_TEXT_CONTRAST, (color, text)
        if contrast_on_white(color) >= MIN_TEXT_CONTRAST:
            assert text == color
    yellow = "#F0E442"
    darker = text_color(yellow)
    assert darker != yellow and contrast_on_white(darker) < MIN_TEXT_CONTRAST + 0.2  # not made black
    assert rgb_to_hsv(to_rgb(darker))[0] == pytest.approx(rgb_to_hsv(to_rgb(yellow))[0], abs=0.01)


def test_readability_figure_outlet_labels_are_readable_on_white():
    from matplotlib.colors import to_hex

    from analysis.figures import MIN_TEXT_CONTRAST, PALETTE, contrast_on_white
    from analysis.figures.readability import (GRADE_FORMULA_STYLE, plot_paragraph_distribution,
                                              plot_readability_grades)

    labels = [f"Outlet {i}" for i in range(len(PALETTE))]  # one per palette colour, yellow included
    table = pd.DataFrame({"label": labels, "text_standard_grade": 10.0,
                          **{column: 9.0 + i for i, column in enumerate(GRADE_FORMULA_STYLE)}})
    paragraphs = pd.DataFrame({"label": labels, "flesch_kincaid_grade": 8.0})
    for fig in (plot_readability_grades(table), plot_paragraph_distribution(paragraphs)):
        colors = [to_hex(tick.get_color()) for tick in fig.axes[0].get_yticklabels()]
        assert len(colors) == len(PALETTE)
        assert min(contrast_on_white(c) for c in colors) >= MIN_TEXT_CONTRAST
