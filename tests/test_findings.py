"""Findings: the builders over each table, the ranking, the sentences and anchors (issue 14)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.findings.departures import (STATEMENT_CHANGE_KINDS, UNORIENTED_CHANGE_STRENGTH,
                                          altered_quote_findings, date_conflict_findings,
                                          number_conflict_findings,
                                          statement_change_findings)
from analysis.findings.registry import BUILDERS, FINDING_COLUMNS, KINDS, build_findings
from analysis.findings.reuse import reuse_findings
from analysis.report.finding_sentences import with_statements

DOCS = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "outlet": ["", "Wire", "Daily", "Post"],
                     "label": ["Minister quits over…", "Wire", "Daily", "Post"]})


def edges(**overrides):
    table = pd.DataFrame({"source": ["b", "c"], "derived": ["a", "d"],
                          "relation": ["wholly_derived", "partially_derived"],
                          "basis": ["reworded", "shared_text"], "strength": [0.95, 0.3], "unquoted_containment": [0.2, 0.3],
                          "direction": ["published", "undetermined"], "drawn": [True, True]})
    return table.assign(**overrides)


ALIGNMENT = pd.DataFrame({"doc_a": ["a", "a", "a", "b"], "doc_b": ["b", "b", "b", "a"],
                          "sent_a": [0, 1, 2, 0], "sent_b": [0, 1, 2, 0],
                          "kind": ["paraphrase", "none", "copy", "paraphrase"]})
PASSAGES = pd.DataFrame({"doc_a": ["c", "a", "d"], "doc_b": ["d", "b", "c"]})


def test_reuse_findings_name_the_copier_and_the_rows_behind_them():
    found = reuse_findings({"derivation": edges(), "sentence_alignment": ALIGNMENT, "passages": PASSAGES})
    assert found[["kind", "doc_id", "other_doc_id", "strength"]].values.tolist() == [
        ["reworded_copy", "a", "b", 0.95], ["copied_text", "d", "c", 0.3]]
    # matched sentences of a in b only (rows 1 and 3 of the alignment); passages both ways (rows 1 and 3)
    assert found.loc[0, "evidence"] == "derivation.csv row 1 | sentence_alignment.csv rows 1;3"
    assert found.loc[1, "evidence"] == "derivation.csv row 2 | passages.csv rows 1;3"


def test_a_partial_copy_is_reworded_only_when_its_matched_sentences_are_mostly_paraphrases():
    partial = edges(basis=["shared_text", "shared_text"], strength=[0.6, 0.3], unquoted_containment=[0.1, 0.3])
    paraphrased = ALIGNMENT.assign(kind=["paraphrase", "none", "paraphrase", "copy"])
    copied = ALIGNMENT.assign(kind=["copy", "none", "near_copy", "paraphrase"])
    assert reuse_findings({"derivation": partial, "sentence_alignment": paraphrased})["kind"].tolist() == [
        "reworded_copy", "copied_text"]
    assert reuse_findings({"derivation": partial, "sentence_alignment": copied})["kind"].tolist() == [
        "copied_text", "copied_text"]


def test_identical_texts_are_their_own_kind():
    found = reuse_findings({"derivation": edges(relation=["identical", "partially_derived"],
                                                basis=["identical", "shared_text"], strength=[1.0, 0.3])})
    assert found.loc[0, ["kind", "strength", "evidence"]].tolist() == ["identical", 1.0, "derivation.csv row 1"]


VARIANTS = pd.DataFrame({
    "group_id": ["qv01"] * 4 + ["qv02"] * 3,
    "speaker": ["Jane Roe"] * 4 + ["unknown"] * 3,
    "doc_id": ["a", "b", "c", "d", "a", "a", "b"],
    "text": ["we will act", "we will act now", "we will act", "we shall act", "x y z", "x y w", "x y w"],
    "differs": [False, True, False, True, False, True, True],
})


def test_altered_quotes_name_the_departing_outlet_and_weigh_the_agreement():
    found = altered_quote_findings({"quote_variants": VARIANTS})
    # b and d depart from the reference (a's rendering, which c shares): 2 of 4 documents agree.
    # qv02: a quotes both wordings, so it does not depart; b does, against a (1 of 2 documents agree).
    assert found[["kind", "doc_id", "other_doc_id", "strength", "topic"]].values.tolist() == [
        ["altered_quote", "b", "a", 0.5, "Jane Roe"], ["altered_quote", "d", "a", 0.5, "Jane Roe"],
        ["altered_quote", "b", "a", 0.5, "unknown"]]
    assert found.loc[1, ["text", "other_text", "evidence"]].tolist() == [
        "we shall act", "we will act", "quote_variants.csv rows 1;4"]


def test_a_reference_column_decides_the_reference_where_the_table_has_one():
    variants = VARIANTS.head(4).assign(quote_id=["q1", "q2", "q3", "q4"], reference_quote_id="q3")
    found = altered_quote_findings({"quote_variants": variants})
    assert set(found["other_doc_id"]) == {"c"}


CONFLICTS = pd.DataFrame({
    "group_id": ["nc01"] * 4 + ["nc02"] * 2,
    "doc_id": ["a", "b", "c", "c", "a", "d"],
    "value": [100.0, 100.0, 100.0, 100.0, 5.0, 5.0],
    "what": ["spend", "spend", "receive", "spend", "troop", "soldier"],
    "text": ["$100m", "$100 million", "$100m", "$100m", "5", "five"],
    "conflict": ["agree", "different_scope", "different_description", "agree", "agree", "different_description"],
    "scope": ["", "the capital", "", "", "", ""],
    "claim": ["USD 100 (spend)"] * 4 + ["5 troop"] * 2,
})


def test_number_conflicts_skip_an_outlet_that_also_agrees():
    found = number_conflict_findings({"number_conflicts": CONFLICTS})
    # c both agrees and not: not a departure. b departs on nc01 (2 of 3 documents agree); d's "five
    # soldiers" against a's "5 troops" is the same figure in other words: not a conflicting number.
    assert found[["kind", "doc_id", "other_doc_id", "strength"]].values.tolist() == [
        ["number_conflict", "b", "a", pytest.approx(2 / 3)]]
    assert found.loc[0, "text"] == "$100 million (spend, in the capital)"
    assert found.loc[0, "evidence"] == "number_conflicts.csv rows 1;2"
    typed = number_conflict_findings({"number_conflicts": CONFLICTS.assign(kind="dropped_qualifier")})
    assert set(typed["kind"]) == {"dropped_qualifier"}


def statement_changes():
    """A statement_changes table as analysis.statements.changes writes it (hand-made), read from a to b."""
    return pd.DataFrame({
        "doc_a": ["a", "c", "a"], "sent_a": [3, 0, 5], "doc_b": ["b", "d", "b"], "sent_b": [2, 1, 4],
        "change": ["attribution_change", "negation", "dropped_qualifier"],
        "text_a": ["Officials said the plan would go ahead.", "Talks failed.", "More than 40 people died."],
        "text_b": ["The minister said the plan would go ahead.", "Talks did not fail.", "40 people died."],
        "evidence": ["speaker: officials -> the minister", "negated: fail", "qualifier: more than -> none"],
    })


def test_statement_changes_follow_the_derivation_direction():
    found = statement_change_findings({"statement_changes": statement_changes(), "derivation": edges()})
    # a derives from b (published): a departs, and the change read from b to a ("b has no hedge, a adds
    # one"); c-d has no oriented edge: d, read from c, with an even strength. Without an alignment the
    # match of the two sentences is taken as sure: the edge's strength (0.95) is not the change's.
    assert found[["kind", "doc_id", "other_doc_id", "strength", "direction"]].values.tolist() == [
        ["attribution_change", "a", "b", 1.0, "published"],
        ["negation", "d", "c", UNORIENTED_CHANGE_STRENGTH, "undetermined"],
        ["added_qualifier", "a", "b", 1.0, "published"]]
    assert found.loc[0, ["text", "other_text", "topic", "evidence"]].tolist() == [
        "Officials said the plan would go ahead.", "The minister said the plan would go ahead.",
        "speaker: the minister -> officials", "statement_changes.csv row 1"]  # from the source (b) to a
    assert found.loc[1, "topic"] == ""  # evidence not of the form "what: a -> b"
    with pytest.raises(ValueError, match="unknown change kind"):
        statement_change_findings({"statement_changes": statement_changes().assign(change="rumour")})
    assert set(STATEMENT_CHANGE_KINDS) <= set(KINDS)


def test_a_change_inside_a_copy_is_as_strong_as_the_match_of_its_sentences():
    # a is a whole reworded copy of b (edge strength 0.95); its changed sentences are matched with
    # different confidence: a classifier probability (a's 3 -> b's 2), a lexical near copy without
    # probability (read the other way, b's 4 -> a's 4 and 5, a merge), and a weak link without either (c-d).
    alignment = pd.DataFrame({
        "doc_a": ["a", "b", "c"], "sent_a": [3, 4, 0], "doc_b": ["b", "a", "d"], "sent_b": [2, 4, 1],
        "sents_b": ["2", "4;5", "1"], "probability": [0.62, None, None], "lexical": [0.4, 0.85, 0.3],
        "kind": ["distorted", "near_copy", "distorted"]})
    found = statement_change_findings({"statement_changes": statement_changes(), "derivation": edges(),
                                       "sentence_alignment": alignment})
    assert found["strength"].tolist() == [0.62, 0.0, 0.94]
    # an unoriented pair halves its match: c-d matched at probability 0.8 is 0.4
    found = statement_change_findings({"statement_changes": statement_changes(), "derivation": edges(),
                                       "sentence_alignment": alignment.assign(probability=[0.62, 0.8, 0.8])})
    assert found["strength"].tolist() == [0.62, pytest.approx(0.4), 0.8]


def test_statement_changes_of_the_change_set_become_findings():
    from analysis.statements.change_rules import CHANGE_KINDS

    found = statement_change_findings({"statement_changes": pd.DataFrame({
        "doc_a": ["a"] * len(CHANGE_KINDS), "doc_b": ["b"] * len(CHANGE_KINDS), "change": list(CHANGE_KINDS),
        "text_a": ["x"] * len(CHANGE_KINDS), "text_b": ["y"] * len(CHANGE_KINDS)})})
    assert found["kind"].tolist() == list(CHANGE_KINDS)
    negation = pd.DataFrame({"doc_a": ["a"], "doc_b": ["b"], "change": ["negation"], "text_a": ["It rained."],
                             "text_b": ["It did not rain."]})
    sentences = with_statements(build_findings({"statement_changes": negation}), DOCS)
    assert sentences.loc[0, "statement"] == ("Where “Minister quits over…” writes “It rained”, Wire turns it into its "
                                             "negation: “It did not rain”. Which came first is undetermined.")
    assert sentences.loc[0, "section"] == "overlap"


def test_build_findings_ranks_numbers_and_skips_absent_tables():
    matched = pd.DataFrame({"doc_a": ["a", "c", "a"], "sent_a": [3, 0, 5], "doc_b": ["b", "d", "b"],
                            "sent_b": [2, 1, 4], "probability": [0.9, 0.7, 0.6], "kind": "paraphrase"})
    tables = {"derivation": edges(), "quote_variants": VARIANTS, "number_conflicts": CONFLICTS,
              "statement_changes": statement_changes(), "sentence_alignment": matched}
    found = build_findings(tables, DOCS["doc_id"].tolist())
    assert list(found.columns) == FINDING_COLUMNS
    assert found["finding_id"].tolist() == [f"F{k:02d}" for k in range(1, len(found) + 1)]
    assert found["strength"].is_monotonic_decreasing
    assert found.loc[0, ["kind", "doc_id"]].tolist() == ["reworded_copy", "a"]
    assert set(found["kind"]) == {"reworded_copy", "copied_text", "altered_quote", "number_conflict",
                                  "attribution_change", "negation", "added_qualifier"}
    only_quotes = build_findings({"quote_variants": VARIANTS, "number_conflicts": CONFLICTS.head(0)})
    assert set(only_quotes["kind"]) == {"altered_quote"}
    assert build_findings({}).empty and list(build_findings({}).columns) == FINDING_COLUMNS
    assert {builder.table for builder in BUILDERS} == {"derivation", "quote_variants", "number_conflicts",
                                                        "date_conflicts", "statement_changes", "stories"}


def test_statements_name_outlets_by_label_and_anchors_are_unique():
    found = with_statements(build_findings({"derivation": edges(), "quote_variants": VARIANTS},
                                           DOCS["doc_id"].tolist()), DOCS)
    assert found.loc[0, "statement"].startswith("“Minister quits over…” is a reworded copy of Wire: 95% of its "
                                                "sentences have a counterpart there (it was published later).")
    copied = found[found["kind"] == "copied_text"].iloc[0]
    assert copied["statement"] == ("Post and Daily share passages: 30% of Post is found in the other "
                                   "(which came first is undetermined).")
    assert any(s.startswith("Wire quotes Jane Roe as saying “we will act now”, where “Minister quits over…” has")
               for s in found["statement"])
    assert found["anchor"].is_unique and found["anchor"].str.fullmatch(r"finding-f\d\d").all()
    sections = dict(zip(found["kind"], found["section"]))
    assert sections == {"reworded_copy": "overlap", "copied_text": "overlap", "altered_quote": "quotes"}


def test_statement_changes_skip_identical_copies_and_moved_quotations():
    identical = pd.DataFrame({"source": ["a"], "derived": ["e"], "relation": ["identical"], "basis": ["identical"],
                              "strength": [1.0], "direction": ["undetermined"]})
    changes = pd.DataFrame({
        "doc_a": ["a", "c", "c", "c"], "sent_a": [0, 1, 1, 2], "doc_b": ["e", "d", "d", "d"], "sent_b": [0, 1, 1, 2],
        "change": ["negation", "quote_marks_lost", "quote_marks_added", "quote_marks_lost"],
        "text_a": ["x"] * 4, "text_b": ["y"] * 4})
    found = statement_change_findings({"statement_changes": changes, "derivation": identical})
    assert found[["kind", "evidence"]].values.tolist() == [["quote_marks_lost", "statement_changes.csv row 4"]]


def test_key_findings_leave_even_calls_to_their_sections():
    from analysis.report.findings_view import key_findings

    findings = with_statements(build_findings({"derivation": edges(), "quote_variants": VARIANTS,
                                               "statement_changes": statement_changes()},
                                              DOCS["doc_id"].tolist()), DOCS)
    shown = key_findings(findings).markup
    assert 'href="#finding-f01"' in shown  # the reworded copy, 0.95
    even = findings[(findings["strength"] == 0.5) & ~findings["kind"].isin(["copied_text"])]
    assert len(even) and not any(f'href="#{a}"' in shown for a in even["anchor"])
    copied = findings[findings["kind"] == "copied_text"].iloc[0]  # reuse of 0.3: a share of the text, shown
    assert f'href="#{copied["anchor"]}"' in shown


def test_a_changed_hedge_on_an_agreeing_figure_is_its_own_finding():
    table = pd.DataFrame({"group_id": ["nc01"] * 3, "doc_id": ["a", "b", "c"], "value": [100.0] * 3,
                          "what": ["spend"] * 3, "text": ["more than $100m", "more than $100m", "$100m"],
                          "conflict": ["agree"] * 3, "scope": [""] * 3, "claim": ["USD 100 (spend)"] * 3,
                          "kind": ["agree", "agree", "dropped_qualifier"]})
    found = number_conflict_findings({"number_conflicts": table})
    assert found[["kind", "doc_id", "other_doc_id"]].values.tolist() == [["dropped_qualifier", "c", "a"]]


def test_date_conflicts_name_the_outlet_that_moves_a_date_and_skip_unresolved_ones():
    table = pd.DataFrame({"group_id": ["dc01"] * 3 + ["dc02"] * 2, "doc_id": ["a", "b", "c", "a", "b"],
                          "text": ["last month", "in November", "in October", "Thursday", "Friday"],
                          "event": ["deliver"] * 3 + ["say"] * 2,
                          "conflict": ["agree", "agree", "different_date", "unresolved", "unresolved"],
                          "claim": ["2022-11 (deliver)"] * 3 + ["Thursday (say)"] * 2})
    found = date_conflict_findings({"date_conflicts": table})
    assert found[["kind", "doc_id", "other_doc_id", "strength"]].values.tolist() == [
        ["date_conflict", "c", "a", pytest.approx(2 / 3)]]
    assert found.loc[0, "evidence"] == "date_conflicts.csv rows 1;3"


def test_counterpart_links_read_merges_and_skip_unmatched_rows():
    from analysis.overlap.sequence import counterpart_links

    alignment = pd.DataFrame({"doc_a": ["x", "x", "x"], "sent_a": [0, 1, 2], "doc_b": ["y", "y", "y"],
                              "sent_b": [0, 3, 5], "kind": ["paraphrase", "copy", "related"],
                              "sents_b": ["0", "3;4", "5"]})
    links = counterpart_links(alignment)
    assert list(zip(links["sent_a"], links["sent_b"])) == [(0, 0), (1, 3), (1, 4)]
    assert set(links["doc_a"]) == {"x"} and set(links["doc_b"]) == {"y"}


def test_a_related_row_gives_no_match_confidence():
    """Statement changes are never read from ``related`` rows, so they vouch for no pair of sentences."""
    from analysis.findings.departures import match_confidences

    alignment = pd.DataFrame({"doc_a": ["x", "y"], "sent_a": [0, 0], "doc_b": ["y", "x"], "sent_b": [0, 0],
                              "kind": ["paraphrase", "related"], "sents_b": ["0", "0"],
                              "probability": [0.6, 0.95], "lexical": [0.5, 0.5]})
    assert match_confidences(alignment)[("x", 0, "y", 0)] == 0.6
    assert match_confidences(alignment)[("y", 0, "x", 0)] == 0.6
