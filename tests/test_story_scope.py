"""Quotes, figures and dates are compared within a story only (issue 15, item 1).

Each unit test states the same thing in two documents twice: once with both in
one story (a claim, a variant group, a date group is found), once with the two
in different stories (none is), so the test fails if the story is ignored.
The pipeline test runs the written fixture tests/data/stories (11 articles, 5
stories), one of them given a figure and a quotation of another story
(:data:`STRAY`), and checks that no comparison row pairs documents of two stories.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.overlap.stories import ONE_STORY, story_of
from analysis.statements.date_claims import date_claims, date_conflicts
from analysis.statements.number_claims import number_claims, number_conflicts
from analysis.statements.quote_variants import quote_variants
from conftest import ROOT

STORIES = ROOT / "tests" / "data" / "stories"


def stories_of(mapping: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"story_id": list(mapping.values()), "doc_id": list(mapping), "label": ""})


ONE = stories_of({"a": "S00001", "b": "S00001", "c": "S00001"})
TWO = stories_of({"a": "S00001", "b": "S00002", "c": "S00002"})


def numbers() -> pd.DataFrame:
    return pd.DataFrame([{"doc_id": doc, "value": value, "unit": "count", "what": "goblet", "text": str(int(value)),
                          "start": 0} for doc, value in (("a", 120.0), ("b", 120.0), ("c", 150.0))])


def test_number_claims_and_conflicts_stay_within_a_story():
    together = number_conflicts(numbers(), ONE)
    assert set(together["doc_id"]) == {"a", "b", "c"} and set(together["story_id"]) == {"S00001"}
    apart = number_conflicts(numbers(), TWO)
    assert set(apart["doc_id"]) == {"b", "c"} and set(apart["story_id"]) == {"S00002"}
    claims = number_claims(numbers(), stories=TWO)
    assert claims.columns[0] == "story_id" and set(claims["story_id"]) == {"S00002"}


def test_without_stories_every_document_is_one_story():
    assert number_conflicts(numbers()).drop(columns="story_id").equals(
        number_conflicts(numbers(), ONE).drop(columns="story_id"))
    assert set(number_conflicts(numbers())["story_id"]) == {ONE_STORY}


def test_date_conflicts_stay_within_a_story():
    dates = pd.DataFrame([{"doc_id": d, "text": "Monday", "value": "2024-03-04", "granularity": "day",
                           "event": "strike", "event_kind": "action", "keywords": "dock strike port velmora",
                           "start": 0, "sentence": 0} for d in ("a", "b")])
    assert set(date_conflicts(dates, ONE[ONE.doc_id != "c"])["doc_id"]) == {"a", "b"}
    apart = date_conflicts(dates, TWO)
    assert apart.empty and list(apart.columns) == list(date_conflicts(dates, ONE).columns)
    assert date_claims(date_conflicts(dates, ONE)).columns[0] == "story_id"


def test_quote_variants_stay_within_a_story():
    quotes = pd.DataFrame([{"doc_id": d, "quote_id": f"{d}-q1", "text": "we will not load a single ship",
                            "speaker": "Maria Costa", "kind": "quote", "label": d} for d in ("a", "b")])
    assert set(quote_variants(quotes, stories=ONE)["doc_id"]) == {"a", "b"}
    assert quote_variants(quotes, stories=TWO).empty


def test_a_document_in_no_story_is_a_clear_error():
    with pytest.raises(ValueError, match="in no story"):
        story_of(pd.Series(["a", "z"]), TWO)


#: Added to a copy of the orchid story (d1_single): a figure and a quotation of the dock strike
#: story (a1_wire), so that comparing across stories would pair them.
STRAY = ("\n\nCurator Ines Marr said forty vessels were waiting at anchor. \"We will not load a single ship "
         "while the rota is on the table,\" Marr told reporters at the gate.\n")


@pytest.fixture(scope="module")
def story_tables(tmp_path_factory):
    import shutil

    from analysis.report import pipeline

    corpus = tmp_path_factory.mktemp("stories") / "stories"
    shutil.copytree(STORIES, corpus)
    with open(corpus / "d1_single.txt", "a", encoding="utf-8") as handle:
        handle.write(STRAY)
    analysis = pipeline.open_corpus(corpus)
    tables = {}
    for section in (pipeline.overlap_tables, pipeline.quotes_tables, pipeline.numbers_tables):
        tables.update(section(analysis))
    return tables


@pytest.mark.parametrize("name", ["quote_variants", "number_conflicts", "date_conflicts",
                                  "number_claims", "statement_changes", "quote_renderings"])
def test_no_comparison_row_pairs_two_stories(story_tables, name):
    stories = story_tables["stories"]
    assert stories["story_id"].nunique() == 5 and stories.set_index("doc_id").at["d1_single", "story_id"] == "S00004"
    story = dict(zip(stories["doc_id"], stories["story_id"]))
    table = story_tables[name]
    if name == "quote_renderings":   # reads the story-scoped alignment; no story_id of its own
        pairs = table[["doc_id", "rendering_doc_id"]].itertuples(index=False) if not table.empty else []
        assert all(story[a] == story[b] for a, b in pairs)
        return
    assert table.columns[0] == "story_id"
    doc_columns = [c for c in ("doc_id", "doc_a", "doc_b", "reference_doc_id") if c in table.columns]
    for column in doc_columns:
        assert (table[column].map(story) == table["story_id"]).all(), column
    if "group_id" in table.columns and "doc_id" in table.columns:
        assert (table.groupby("group_id")["story_id"].nunique() <= 1).all()
