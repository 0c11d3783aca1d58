"""The ``statement_changes`` table: inputs, orientation, the rules' building blocks, the pipeline.

Accuracy on hand-annotated text is in ``tests/test_statement_changes_set.py``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.statements.change_rules import CHANGE_KINDS
from analysis.statements.place_rules import same_place
from analysis.statements.changes import COLUMNS, compared_pairs, statement_changes
from analysis.statements.statement_speakers import same_source
from analysis.statements.time_anchors import conflicting_anchors, time_anchors

TEXT_A = ("John Kirby is a spokesman for the White House.\n\n"
          "\u201cThe weapons arrived last month,\u201d he told reporters on Thursday.\n\n"
          "About 1,000 fighters were killed in Bakhmut.")
TEXT_B = ("Officials spoke on Friday.\n\n"
          "The weapons arrived last week, according to Wagner.\n\n"
          "1,000 fighters were killed in Soledar.")


@pytest.fixture(scope="module")
def corpus(nlp):
    from analysis.text.nlp import parse_bodies
    from analysis.text.sentences import sentence_table

    docs = pd.DataFrame({"doc_id": ["a", "b"], "body": [TEXT_A, TEXT_B]})
    parsed = parse_bodies(docs, nlp)
    return parsed, sentence_table(parsed)


def alignment(rows, kind="paraphrase"):
    return pd.DataFrame([{"doc_a": a, "sent_a": sa, "doc_b": b, "sent_b": sb, "kind": kind}
                         for a, sa, b, sb in rows])


def test_each_change_is_a_row_with_evidence(corpus):
    parsed, sentences = corpus
    table = statement_changes(alignment([("a", 1, "b", 1), ("a", 2, "b", 2)]), sentences, parsed)
    assert list(table.columns) == COLUMNS
    found = {(r.sent_a, r.change): r.evidence for r in table.itertuples()}
    assert found[(1, "attribution_change")] == "speaker: John Kirby -> Wagner"   # "he" is Kirby
    assert found[(1, "changed_date")] == "date: last month -> last week"   # Thursday: a only, no conflict
    assert found[(1, "quote_marks_lost")].startswith("unquoted in b: \u201cThe weapons arrived")
    assert found[(2, "dropped_qualifier")] == "qualifier: about 1,000 -> 1,000"
    assert found[(2, "changed_place")] == "place: Bakhmut -> Soledar"
    assert set(table["change"]) <= set(CHANGE_KINDS)
    assert (table["relation"] == "paraphrase").all()


def test_a_pair_is_listed_once_oriented_a_first_with_direction_words_from_a(corpus):
    parsed, sentences = corpus
    both = alignment([("a", 1, "b", 1), ("b", 1, "a", 1)])
    table = statement_changes(both, sentences, parsed)
    assert table.duplicated(["doc_a", "sent_a", "doc_b", "sent_b", "change"]).sum() == 0
    assert set(table["doc_a"]) == {"a"}
    backwards = statement_changes(alignment([("b", 1, "a", 1)]), sentences, parsed)
    pd.testing.assert_frame_equal(backwards, table)          # same orientation, same rows
    assert "quote_marks_lost" in set(table["change"])         # a quotes, b does not


def test_unrelated_and_unaligned_pairs_are_not_compared(corpus):
    parsed, sentences = corpus
    for kind in ("none", "related"):
        table = statement_changes(alignment([("a", 1, "b", 1)], kind), sentences, parsed)
        assert table.empty and list(table.columns) == COLUMNS


def test_documents_without_a_parse_are_skipped(corpus):
    parsed, sentences = corpus
    table = statement_changes(alignment([("a", 1, "b", 1)]), sentences, {"a": parsed["a"]})
    assert table.empty


def test_output_is_deterministic(corpus):
    parsed, sentences = corpus
    rows = alignment([("a", 2, "b", 2), ("a", 1, "b", 1)])
    first = statement_changes(rows, sentences, parsed)
    again = statement_changes(rows.iloc[::-1], sentences, parsed)
    pd.testing.assert_frame_equal(first, again)
    assert first[["sent_a"]].equals(first[["sent_a"]].sort_values("sent_a", kind="mergesort"))


def test_bad_inputs_are_refused_with_a_clear_message(corpus):
    parsed, sentences = corpus
    with pytest.raises(ValueError, match="alignment must be a DataFrame"):
        statement_changes(pd.DataFrame({"doc_a": ["a"]}), sentences, parsed)
    with pytest.raises(ValueError, match="sentences must be a DataFrame"):
        statement_changes(alignment([("a", 1, "b", 1)]), sentences.drop(columns="start"), parsed)
    with pytest.raises(ValueError, match="sentence 9 of 'a'"):
        statement_changes(alignment([("a", 9, "b", 1)]), sentences, parsed)


def test_compared_pairs_keeps_the_a_to_b_relation():
    rows = pd.DataFrame({"doc_a": ["y", "x", "x"], "sent_a": [4, 2, 3], "doc_b": ["x", "y", "y"],
                         "sent_b": [2, 4, 5], "kind": ["near_copy", "paraphrase", "none"]})
    pairs = compared_pairs(rows)
    assert pairs.to_dict("records") == [{"doc_a": "x", "sent_a": 2, "doc_b": "y", "sent_b": 4,
                                         "relation": "paraphrase"}]


@pytest.mark.parametrize("text, expected", [
    ("It happened on Thursday.", {("weekday", "thursday")}),
    ("It happened last month.", {("relative", "past month")}),
    ("It happened in the past month.", {("relative", "past month")}),
    ("More sanctions come in the weeks ahead.", {("relative", "future week")}),
    ("It opens on 27 May 2024.", {("month", "may"), ("day", "may 27"), ("year", "2024")}),
    ("She may march on.", set()),                       # "may", "march": not months here
    ("He sent 2014 soldiers.", set()),                  # a count, not a year
])
def test_time_anchors(nlp, text, expected):
    assert {(t.slot, t.value) for t in time_anchors(nlp(text))} == expected


@pytest.mark.parametrize("phrase", ["in 1650", "in 1850", "in 2024", "in Sept", "on Tuesday",
                                    "next week", "last year", "yesterday", "tomorrow"])
def test_time_anchors_and_the_date_reader_agree_on_what_is_a_date(nlp, phrase):
    """One reader: a phrase is a time anchor of statement_changes exactly when dates.csv's reader reads it."""
    from analysis.statements.date_rules import Reference, read_date

    assert time_anchors(nlp(f"It happened {phrase}.")), phrase
    assert read_date(phrase, Reference(2024, 6, 12)) is not None, phrase


def test_time_anchors_conflict_only_within_a_slot(nlp):
    def anchors(text):
        return time_anchors(nlp(text))
    assert conflicting_anchors(anchors("on Monday"), anchors("on Tuesday"))[0]
    assert not conflicting_anchors(anchors("last month"), anchors("in November"))[0]
    assert not conflicting_anchors(anchors("in March 2023"), anchors("in March"))[0]


@pytest.mark.parametrize("x, y, same", [
    ("representative for the North Korean foreign ministry", "North Korean foreign ministry spokesperson", True),
    ("Norther Korean official", "North Korea", True),
    ("Ukraine's foreign minister", "Russia's foreign minister", False),
    ("John Kirby", "Wagner", False),
    ("Kirby", "John Kirby", True),
    ("a White House official", "John Kirby", True),       # a spokesperson may be the named person
])
def test_same_source(x, y, same):
    assert same_source(x, y) is same


def test_a_person_and_the_body_they_speak_for_are_one_source():
    assert not same_source("John Kirby", "White House")
    assert same_source("John Kirby", "White House", {"kirby": frozenset({"white", "house", "council"})})


@pytest.mark.parametrize("x, y, same", [
    ("ukraine", "eastern ukraine", True), ("ukraine", "ukrainian", True),
    ("rotterdam", "antwerp", False), ("russia", "ukraine", False),
])
def test_same_place(x, y, same):
    assert same_place(x, y) is same


def test_overlap_section_writes_statement_changes(mini_corpus):
    from analysis.report import pipeline

    tables = pipeline.overlap_tables(pipeline.open_corpus(mini_corpus))
    changes = tables["statement_changes"]
    assert list(changes.columns) == ["story_id"] + COLUMNS  # story of doc_a (issue 15, stories)
    assert set(changes["change"]) <= set(CHANGE_KINDS)
