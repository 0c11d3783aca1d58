"""Tests for analysis.measures.readability and analysis.figures.readability.

Data under tests/data/readability/ is hand-made (see its README.md); no test
reads the seed corpus or the benchmarks.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis.corpus.boilerplate import is_heading
from analysis.measures import readability as rd
from analysis.measures import scored_text
from analysis.measures.paragraph_readability import PARAGRAPH_COLUMNS, PARAGRAPH_MIN_WORDS, paragraph_readability
from analysis.figures.readability import plot_paragraph_distribution, plot_readability_grades
from analysis.resources import ensure_cmudict
from analysis.text.words import count_words

DATA = Path(__file__).parent / "data" / "readability"


@pytest.fixture(scope="module")
def textstat():
    """textstat's public module, with cmudict in place so it never downloads."""
    ensure_cmudict()
    import textstat as ts

    return ts


def corpus(*bodies: str, labels=None) -> pd.DataFrame:
    """A corpus table with one document per body."""
    ids = [f"doc{i}" for i in range(len(bodies))]
    return pd.DataFrame({
        "doc_id": ids,
        "label": labels or [f"Outlet {i}" for i in range(len(bodies))],
        "outlet": labels or [f"Outlet {i}" for i in range(len(bodies))],
        "title": [""] * len(bodies),
        "body": list(bodies),
    })


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- rules

@pytest.mark.parametrize("row", pd.read_csv(DATA / "headings.csv", dtype=str, keep_default_na=False)
                         .to_dict("records"), ids=lambda r: r["reason"])
def test_is_heading_hand_labelled(row):
    assert is_heading(row["text"]) is (row["is_heading"] == "True")


@pytest.mark.parametrize("row", pd.read_csv(DATA / "repairs.csv").to_dict("records"),
                         ids=lambda r: r["reason"])
def test_repair_missing_spaces_hand_labelled(row):
    assert scored_text.repair_missing_spaces(row["raw"]) == (row["repaired"], row["count"])


def test_dropped_fragments_counts_two_word_sentences_and_abbreviation_splinters():
    assert scored_text.textstat_dropped_fragments("The ship left port early today. He agreed.") == 1
    assert scored_text.textstat_dropped_fragments("Officials from the U.S. embassy said so today.") == 1
    assert scored_text.textstat_dropped_fragments("Three words here. Four words are here.") == 0


# --------------------------------------------------------------------------- document table

def test_scores_equal_textstat_on_hand_cleaned_text(textstat):
    table = rd.readability_table(corpus(read("article_body.txt")))
    cleaned = read("article_scored.txt")
    row = table.iloc[0]
    for name in rd.FORMULAS:
        assert row[name] == getattr(textstat, name)(cleaned), name
    assert row["text_standard"] == textstat.text_standard(cleaned)
    assert row["text_standard_grade"] == textstat.text_standard(cleaned, float_output=True)
    assert row["sentences"] == textstat.sentence_count(cleaned)
    assert row["words"] == count_words(cleaned)   # the kit's count, as in every table
    assert row["syllables"] == textstat.syllable_count(cleaned)
    assert row["difficult_words"] == textstat.difficult_words(cleaned)
    assert row["polysyllables"] == textstat.polysyllabcount(cleaned)
    assert row["characters"] == textstat.char_count(cleaned)
    assert row["letters"] == textstat.letter_count(cleaned)


def test_trap_bookkeeping_on_hand_made_article():
    row = rd.readability_table(corpus(read("article_body.txt"))).iloc[0]
    assert row["headings_excluded"] == 2
    assert row["missing_spaces_repaired"] == 1
    assert row["paragraphs_terminated"] == 1
    # "S." of "U.S." and "He agreed." are the two pieces textstat ignores.
    assert row["dropped_fragments"] == 2
    assert row["sentences_independent"] == 8  # counted by hand in article_scored.txt
    assert "sentence_counter" not in row.index  # one segmenter: the column said nothing
    flags = row["flags"].split(";")
    assert "headings_excluded=2" in flags and "missing_spaces_repaired=1" in flags
    assert "dropped_fragments=2" in flags and "short_text" not in flags
    assert not any(f.startswith("sentence_count_mismatch") for f in flags)


def test_heading_is_not_counted_as_a_sentence(textstat):
    body = ("Ferry Service Suspended\n\n"
            "The ferry between the two islands will not run this week because of storms. "
            "Passengers were told to check the operator's website for updates.")
    row = rd.readability_table(corpus(body)).iloc[0]
    assert row["sentences"] == 2
    assert row["words"] == textstat.lexicon_count(body) - 3
    assert row["headings_excluded"] == 1
    # Unhandled, textstat glues the heading onto the first sentence.
    assert textstat.words_per_sentence(body) > row["words"] / row["sentences"]


def test_missing_space_repaired_but_initialism_untouched(textstat):
    body = ("Officials in the U.S. capital met the delegation on Friday morning."
            "They agreed to meet again next month in the same building.")
    row = rd.readability_table(corpus(body)).iloc[0]
    repaired = body.replace("morning.They", "morning. They")
    assert row["missing_spaces_repaired"] == 1
    assert row["words"] == textstat.lexicon_count(repaired) == textstat.lexicon_count(body) + 1
    assert row["flesch_kincaid_grade"] == textstat.flesch_kincaid_grade(repaired)


def test_sentence_count_mismatch_is_flagged():
    # Each mid-sentence "U.S." (after 3+ words) makes textstat count one sentence too many.
    body = " ".join(f"Officials said the U.S. team number {n} played a hard game." for n in
                    ["one", "two", "three", "four", "five"])
    row = rd.readability_table(corpus(body)).iloc[0]
    assert row["sentences_independent"] == 5
    assert row["sentences"] == 10
    assert "sentence_count_mismatch=10/5" in row["flags"].split(";")


def test_published_flesch_kincaid_example():
    """Held-out check against a published worked example.

    Wikipedia, "Flesch–Kincaid readability tests", section "Flesch–Kincaid
    grade level" (https://en.wikipedia.org/wiki/Flesch%E2%80%93Kincaid_readability_tests):
    'The sentence, "The Australian platypus is seemingly a hybrid of a mammal
    and reptilian creature" is an 11.3 as it has 24 syllables and 13 words.'
    The grade is published to one decimal, so we assert it after rounding.
    (The full stop is ours: without it the 13-word line is a heading.)
    """
    body = "The Australian platypus is seemingly a hybrid of a mammal and reptilian creature."
    row = rd.readability_table(corpus(body)).iloc[0]
    assert (row["words"], row["syllables"], row["sentences"]) == (13, 24, 1)
    assert round(row["flesch_kincaid_grade"], 1) == 11.3
    # Flesch (1948) reading ease from the same published counts: 206.835 - 1.015*13 - 84.6*24/13.
    assert row["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 * 13 - 84.6 * 24 / 13)


def test_output_shape_order_and_determinism():
    docs = corpus("Zebra crossings were repainted across the city on Monday by council crews.",
                  read("article_body.txt"), labels=["Beta", "Alpha"]).iloc[::-1]
    first = rd.readability_table(docs)
    assert list(first.columns) == list(rd.READABILITY_COLUMNS)
    assert first["doc_id"].tolist() == ["doc0", "doc1"]
    assert first.to_csv(index=False) == rd.readability_table(docs).to_csv(index=False)


def test_global_textstat_settings_do_not_leak_in(textstat):
    body = read("article_scored.txt")
    before = rd.readability_table(corpus(body))
    textstat.set_rounding_points(1)
    try:
        after = rd.readability_table(corpus(body))
    finally:
        textstat.set_rounding_points(None)
    pd.testing.assert_frame_equal(before, after)


def test_paragraph_table_kind_is_respected():
    body = ("A line the corpus module calls a heading although it ends with a stop.\n\n"
            "The ferry between the two islands will not run this week because of storms.")
    paragraphs = pd.DataFrame({
        "doc_id": ["doc0", "doc0"],
        "paragraph": [0, 1],
        "text": body.split("\n\n"),
        "kind": ["heading", "paragraph"],
    })
    row = rd.readability_table(corpus(body), paragraphs=paragraphs).iloc[0]
    assert row["headings_excluded"] == 1
    assert row["words"] == 14


def test_spacy_sentence_count_when_parsed_is_given():
    from analysis.text.nlp import load_pipeline, parse_bodies
    from analysis.text.sentences import sentence_table

    docs = corpus(read("article_body.txt"))
    parsed = parse_bodies(docs, load_pipeline())
    row = rd.readability_table(docs, parsed=parsed).iloc[0]
    paras = scored_text.split_paragraphs(docs)
    spans = paras[paras["kind"] == "paragraph"][["start", "end"]].to_numpy()
    expected = sum(any(s <= start < e for s, e in spans)
                   for start in sentence_table(parsed)["start"])
    assert row["sentences_independent"] == expected
    assert expected < len(sentence_table(parsed))  # the headings' sentences were left out


# --------------------------------------------------------------------------- bad input

def test_empty_body_gives_nan_scores_and_a_flag():
    table = rd.readability_table(corpus("", "Breaking News Update"))
    empty, only_heading = table.iloc[0], table.iloc[1]
    for name in rd.FORMULAS + ("text_standard_grade",):
        assert math.isnan(empty[name]) and math.isnan(only_heading[name])
    assert empty["flags"] == "empty_body" and empty["words"] == 0 and empty["text_standard"] == ""
    assert only_heading["flags"].split(";")[:2] == ["no_scorable_text", "headings_excluded=1"]


@pytest.mark.parametrize("bad, message", [
    (pd.DataFrame({"doc_id": ["a"], "body": ["x"]}), "label"),
    (pd.DataFrame({"doc_id": ["a", "a"], "label": ["A", "B"], "body": ["x", "y"]}), "duplicate"),
    (pd.DataFrame({"doc_id": ["a"], "label": ["A"], "body": [None]}), "string"),
    ("not a table", "DataFrame"),
])
def test_bad_corpus_tables_raise_clear_errors(bad, message):
    with pytest.raises(ValueError, match=message):
        rd.readability_table(bad)


def test_paragraph_table_that_does_not_match_the_body_is_refused():
    paragraphs = pd.DataFrame({"doc_id": ["doc0"], "text": ["Text from elsewhere."],
                               "kind": ["paragraph"]})
    with pytest.raises(ValueError, match="not found in its body"):
        rd.readability_table(corpus("The real body of the article."), paragraphs=paragraphs)
    with pytest.raises(ValueError, match="kind"):
        rd.readability_table(corpus("The real body."), paragraphs=paragraphs.assign(
            text="The real body.", kind="caption"))


def test_parsed_docs_of_other_text_are_refused():
    from analysis.text.nlp import load_pipeline

    nlp = load_pipeline()
    with pytest.raises(ValueError, match="not a parse of its body"):
        rd.readability_table(corpus("One body here."), parsed={"doc0": nlp("Another text.")})


# --------------------------------------------------------------------------- paragraphs

def test_paragraph_readability(textstat):
    body = read("article_body.txt")
    table = paragraph_readability(corpus(body))
    assert list(table.columns) == list(PARAGRAPH_COLUMNS)
    for row in table.itertuples():
        assert body[row.start:row.end] == body.split("\n\n")[row.paragraph]
    heading = table[table["kind"] == "heading"]
    assert len(heading) == 2 and (heading["note"] == "heading").all()
    assert heading["flesch_kincaid_grade"].isna().all()
    scored = table[table["note"] == ""]
    assert scored["paragraph"].tolist() == [1, 3, 4, 5]  # every non-heading paragraph
    assert scored["flesch_kincaid_grade"].notna().all()
    second = read("article_scored.txt").split("\n\n")[1]
    got = scored[scored["paragraph"] == 3].iloc[0]
    assert got["flesch_kincaid_grade"] == textstat.flesch_kincaid_grade(second)
    assert got["flesch_reading_ease"] == textstat.flesch_reading_ease(second)
    assert got["sentences"] == textstat.sentence_count(second)


def test_short_paragraph_gets_nan_with_a_reason():
    body = "Talks resume on Friday.\n\n" + read("article_scored.txt")
    table = paragraph_readability(corpus(body))
    first = table.iloc[0]
    assert first["words"] == 4 < PARAGRAPH_MIN_WORDS
    assert math.isnan(first["flesch_kincaid_grade"]) and math.isnan(first["flesch_reading_ease"])
    assert first["note"] == f"fewer than {PARAGRAPH_MIN_WORDS} words"
    assert table["flesch_kincaid_grade"].iloc[1:].notna().all()


# --------------------------------------------------------------------------- figures

def test_plots_draw_labelled_figures_and_survive_unscored_documents():
    docs = corpus(read("article_body.txt"), "", labels=["Alpha", "Beta"])
    grades = plot_readability_grades(rd.readability_table(docs))
    spread = plot_paragraph_distribution(paragraph_readability(docs))
    for fig in (grades, spread):
        assert isinstance(fig, Figure)
        ax = fig.axes[0]
        assert ax.get_xlabel() and ax.get_title()
        assert any("Alpha" in t.get_text() for t in ax.get_yticklabels())
    assert any("no scorable text" in t.get_text() for t in grades.axes[0].texts)
    with pytest.raises(ValueError, match="missing column"):
        plot_readability_grades(pd.DataFrame({"label": ["x"]}))
