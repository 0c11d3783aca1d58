"""Omission findings (issue 14): the rule on hand-made tables, then measured on tests/data/omissions."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.findings.omissions import OMISSION_MIN_SHARE, omission_findings
from analysis.findings.registry import build_findings
from analysis.report.finding_sentences import with_statements

DOCS = ["a", "b", "c", "d"]


def sentences(docs=DOCS, n=3):
    """Three sentences of 100 characters per document."""
    return pd.DataFrame([(d, k, 100 * k, 100 * k + 99, f"{d} sentence {k}") for d in docs for k in range(n)],
                        columns=["doc_id", "sent", "start", "end", "text"])


def figure_tables(**extra):
    """Story S1 = a, b, c, d. '120 workers' is stated by a, b, c (sentence 0); d says something else."""
    numbers = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"], "value": [120.0, 120.0, 120.0, 7.0], "unit": ["people"] * 3 + ["count"],
        "what": ["worker", "worker", "employee", "boat"], "text": ["120", "120", "one hundred and twenty", "7"],
        "start": [10, 10, 10, 110], "currency": "", "vague": False})
    conflicts = pd.DataFrame({"group_id": "nc01", "doc_id": ["a", "b", "c"], "value": 120.0, "unit": "people",
                              "text": ["120", "120", "one hundred and twenty"], "conflict": "agree",
                              "claim": "120 workers", "currency": ""})
    tables = {"stories": pd.DataFrame({"story_id": "S1", "doc_id": DOCS}), "numbers": numbers,
              "number_conflicts": conflicts, "sentences": sentences()}
    tables.update(extra)
    return tables


def test_a_figure_most_documents_state_is_an_omission_of_the_one_that_does_not():
    found = omission_findings(figure_tables())
    assert found[["kind", "doc_id", "other_doc_id", "strength", "topic"]].values.tolist() == [
        ["omission", "d", "a", 0.75, "120 workers"]]
    assert found.loc[0, "evidence"] == "number_conflicts.csv rows 1;2;3"
    assert found.loc[0, "other_text"] == "a sentence 0" and found.loc[0, "text"] == ""
    assert 0.5 < OMISSION_MIN_SHARE + 0.25 <= found.loc[0, "strength"] < 1


def test_the_same_value_in_other_words_is_no_omission():
    tables = figure_tables()
    tables["numbers"] = pd.concat([tables["numbers"], pd.DataFrame({
        "doc_id": ["d"], "value": [120.0], "unit": ["count"], "what": ["staff"], "text": ["a hundred and twenty"],
        "start": [210], "currency": [""], "vague": [False]})], ignore_index=True)
    assert omission_findings(tables).empty


def test_a_linked_sentence_with_a_figure_reports_it_and_one_without_does_not():
    # d's sentence 1 is aligned to a's sentence 0 (the figure's): a linked sentence stating a figure of the
    # kind (here a vague one, "dozens of workers") tells the fact in other words; without a figure it is
    # the statement with the figure left out (a clause kept), so d still omits the figure.
    link = pd.DataFrame({"doc_a": ["d"], "sent_a": [1], "doc_b": ["a"], "sent_b": [0], "sents_b": ["0"],
                         "kind": ["paraphrase"]})
    tables = figure_tables(sentence_alignment=link)
    tables["numbers"].loc[3, ["value", "unit", "vague", "start"]] = [float("nan"), "people", True, 110]
    assert omission_findings(tables).empty
    tables = figure_tables(sentence_alignment=link)  # d's figure (7 boats) is in its sentence 1, not a count
    tables["numbers"].loc[3, "start"] = 150
    assert omission_findings(tables).empty  # a count all the same: the kit cannot tell 7 boats is not it
    tables["numbers"] = tables["numbers"].head(3)
    assert omission_findings(tables)["doc_id"].tolist() == ["d"]
    related = figure_tables(sentence_alignment=link.assign(kind="related"))
    related["numbers"].loc[3, ["value", "unit", "vague", "start"]] = [float("nan"), "people", True, 110]
    assert omission_findings(related)["doc_id"].tolist() == ["d"]  # "related" is no link


def test_a_fact_of_one_outlet_or_of_half_the_story_is_no_omission():
    tables = figure_tables()
    tables["number_conflicts"] = tables["number_conflicts"].head(2)  # a and b of 4: not most
    tables["numbers"] = tables["numbers"].drop(index=2)
    assert omission_findings(tables).empty
    tables["number_conflicts"] = tables["number_conflicts"].head(1)
    tables["numbers"] = tables["numbers"].drop(index=1)
    assert omission_findings(tables).empty


def test_only_within_a_story_and_never_under_three_documents():
    other_story = figure_tables(stories=pd.DataFrame({"story_id": ["S1", "S1", "S1", "S2"], "doc_id": DOCS}))
    assert omission_findings(other_story).empty  # d is another story's: it leaves nothing out of this one
    tables = figure_tables(stories=pd.DataFrame({"story_id": "S1", "doc_id": ["a", "b"]}))
    assert omission_findings(tables).empty


def test_an_identical_copy_counts_once_and_a_text_not_in_english_is_not_read():
    copy = pd.DataFrame({"source": ["a"], "derived": ["b"], "relation": ["identical"]})
    # a and its copy b are one text: c and the a/b text state it (2 of 3 documents), d omits it
    found = omission_findings(figure_tables(derivation=copy))
    assert found[["doc_id", "strength"]].values.tolist() == [["d", pytest.approx(2 / 3, abs=1e-6)]]
    assert found.loc[0, "evidence"] == "number_conflicts.csv rows 1;2;3"
    foreign = pd.DataFrame({"doc_id": DOCS, "language": ["en", "en", "en", "ru"]})
    assert omission_findings(figure_tables(documents=foreign)).empty  # the figures of d were never read


def test_a_quotation_rendered_without_marks_is_reported():
    variants = pd.DataFrame({"group_id": "qv01", "speaker": "Ana Brook", "doc_id": ["a", "b", "c"],
                             "quote_id": ["a-q1", "b-q1", "c-q1"], "text": "the roof was gone"})
    quotes = pd.DataFrame({"quote_id": ["a-q1", "b-q1", "c-q1"], "start": [205, 205, 5]})
    tables = {"stories": pd.DataFrame({"story_id": "S1", "doc_id": DOCS}), "quote_variants": variants,
              "quotes": quotes, "sentences": sentences()}
    found = omission_findings(tables)
    assert found[["doc_id", "topic", "other_text", "evidence"]].values.tolist() == [
        ["d", "Ana Brook: the roof was gone", "a sentence 2", "quote_variants.csv rows 1;2;3"]]
    indirect = pd.DataFrame({"quote_id": ["a-q1"], "rendering_doc_id": ["d"], "start": [10]})
    assert omission_findings({**tables, "quote_renderings": indirect}).empty
    # rendered by c without marks (c's own quotation dropped): c still reports it, and its rendering is evidence
    renders = {**tables, "quote_variants": variants.head(2),
               "quote_renderings": indirect.assign(rendering_doc_id="c")}
    assert omission_findings(renders)[["doc_id", "evidence"]].values.tolist() == [
        ["d", "quote_variants.csv rows 1;2 | quote_renderings.csv row 1"]]


def test_facts_left_out_of_one_sentence_are_one_finding_stated_plainly():
    tables = figure_tables()
    votes = pd.DataFrame({"group_id": "nc02", "doc_id": ["a", "b", "c"], "value": 12.0, "unit": "count",
                          "text": "12", "conflict": "agree", "claim": "12 votes", "currency": ""})
    tables["number_conflicts"] = pd.concat([tables["number_conflicts"], votes], ignore_index=True)
    tables["numbers"] = pd.concat([tables["numbers"], pd.DataFrame({
        "doc_id": ["a", "b", "c"], "value": 12.0, "unit": "count", "what": "vote", "text": "12",
        "start": [40, 40, 40], "currency": "", "vague": False})], ignore_index=True)
    found = omission_findings(tables)
    assert found[["doc_id", "topic", "evidence"]].values.tolist() == [
        ["d", "120 workers; 12 votes", "number_conflicts.csv rows 1;2;3;4;5;6"]]
    docs = pd.DataFrame({"doc_id": DOCS, "outlet": ["Wire", "Daily", "Post", "Herald"],
                         "label": ["Wire", "Daily", "Post", "Herald"]})
    stated = with_statements(build_findings(tables, DOCS), docs)
    assert stated.loc[0, "statement"] == (
        "Herald leaves out the figures “120 workers”; “12 votes”, which 75% of the documents of its story report; "
        "Wire, for one, writes “a sentence 0”.")
    assert stated.loc[0, ["kind", "section"]].tolist() == ["omission", "numbers"]


def test_a_fact_holding_a_semicolon_is_one_fact_in_the_statement():
    """A quotation with "; " in it is one fact (the topic escapes it), merged with a figure it is one of two."""
    from analysis.findings.topics import join_topics, split_topics

    variants = pd.DataFrame({"group_id": "qv01", "speaker": "Ana Brook", "doc_id": ["a", "b", "c"],
                             "quote_id": ["a-q1", "b-q1", "c-q1"], "text": "we will fight; we will win",
                             "differs": False, "diff": "", "label": ["Wire", "Daily", "Post"]})
    quotes = pd.DataFrame({"quote_id": ["a-q1", "b-q1", "c-q1"], "start": [205, 205, 205]})
    tables = {"stories": pd.DataFrame({"story_id": "S1", "doc_id": DOCS}), "quote_variants": variants,
              "quotes": quotes, "sentences": sentences()}
    docs = pd.DataFrame({"doc_id": DOCS, "outlet": ["Wire", "Daily", "Post", "Herald"],
                         "label": ["Wire", "Daily", "Post", "Herald"]})
    found = omission_findings(tables)
    assert found["topic"].tolist() == ["Ana Brook: we will fight\\; we will win"]
    assert split_topics(found.loc[0, "topic"]) == ["Ana Brook: we will fight; we will win"]
    stated = with_statements(build_findings(tables, DOCS), docs)
    assert stated.loc[0, "statement"] == (
        "Herald leaves out the quotation “Ana Brook: we will fight; we will win”, which 75% of the documents of "
        "its story report; Wire, for one, writes “a sentence 2”.")
    merged = figure_tables(quote_variants=variants, quotes=quotes.assign(start=10))  # one sentence: one finding
    stated = with_statements(build_findings(merged, DOCS), docs)
    assert stated.loc[0, "statement"].startswith(
        "Herald leaves out the facts “120 workers”; “Ana Brook: we will fight; we will win”, which")
    for facts in (["a"], ["x\\", "y;", ";; ", ""], ["a\\; b", "c"]):
        assert split_topics(join_topics(facts)) == facts


# ---------------------------------------------------------------- measured on the hand-annotated set

def _matches(keys: str, topic: str) -> bool:
    """Whether a finding's fact names an annotated fact: one of its keys, not inside a longer number."""
    import re

    return any(re.search(rf"(?<![0-9]){re.escape(key)}(?![0-9])", topic, flags=re.I)
               for key in keys.split(";") if key)


@pytest.fixture(scope="module")
def annotated_run():
    from analysis.report.pipeline import findings_tables, open_corpus, overlap_tables
    from conftest import ROOT

    folder = ROOT / "tests" / "data" / "omissions"
    analysis = open_corpus(folder / "corpus")
    findings = findings_tables(analysis)["findings"]
    facts = pd.read_csv(folder / "facts.csv", keep_default_na=False)
    return analysis, findings, facts, overlap_tables(analysis)["derivation"]


@pytest.mark.slow
def test_omissions_on_the_annotated_set(annotated_run):
    _, findings, facts, _ = annotated_run
    found = findings[findings["kind"] == "omission"]
    expected = [(doc, fact.fact) for fact in facts.itertuples() for doc in fact.omitted_by.split(";") if doc]
    story_of = {doc: fact.story for fact in facts.itertuples()
                for doc in (fact.reported_by + ";" + fact.omitted_by).split(";") if doc}
    right, hits = [], set()
    for row in found.itertuples():
        named = [fact for fact in facts.itertuples() if fact.story == story_of[row.doc_id]
                 and _matches(fact.keys, row.topic)]
        matched = [(row.doc_id, fact.fact) for fact in named if row.doc_id in fact.omitted_by.split(";")]
        right.append(bool(matched))
        hits.update(matched)
    precision = sum(right) / len(right) if right else 1.0
    recall = len(hits & set(expected)) / len(expected)
    wrong = found[[not r for r in right]][["doc_id", "topic"]].values.tolist()
    # an omission is a claim of absence: not one wrong; and most of what the annotator found
    assert precision == 1.0, wrong
    assert recall >= 0.8, sorted(set(expected) - hits)
    assert len(found) <= len(expected) + 1  # each omission stated about once (facts of one sentence merge)


@pytest.mark.slow
def test_an_identical_pair_sits_side_by_side_in_the_derivation_graph(annotated_run):
    import math

    from analysis.figures.overlap import graph_positions

    analysis, _, _, derivation = annotated_run
    identical = derivation[derivation["relation"] == "identical"]
    assert len(identical) == 1
    pair = identical.iloc[0]["source"], identical.iloc[0]["derived"]
    ids = analysis.docs["doc_id"].tolist()
    assert set(pair) == {"fire_copy", "fire_wire"} and abs(ids.index(pair[0]) - ids.index(pair[1])) == len(ids) // 2
    drawn = derivation[derivation["drawn"].astype(bool)]
    position = graph_positions(drawn, ids)
    # corpus order put the two texts across the circle; now one step apart
    assert math.dist(position[pair[0]], position[pair[1]]) == pytest.approx(2 * math.sin(math.pi / len(ids)))


def test_a_fact_belongs_to_the_story_of_the_documents_that_state_it():
    # a and b (story S1) date the reopening 3 June; in story S2, e and f write "3 June" too (another
    # event) and g does not: the S1 fact is no omission of g, nor of S1's c and d (2 of 4: not most)
    stories = pd.DataFrame({"story_id": ["S1"] * 4 + ["S2"] * 3, "doc_id": DOCS + ["e", "f", "g"]})
    conflicts = pd.DataFrame({"group_id": "dc01", "doc_id": ["a", "b"], "value": "2024-06-03",
                              "conflict": "agree", "claim": "2024-06-03 (reopen)", "sentence": [1, 1]})
    dates = pd.DataFrame({"doc_id": ["a", "b", "e", "f"], "value": "2024-06-03", "sentence": [1, 1, 0, 0],
                          "text": "3 June"})
    tables = {"stories": stories, "date_conflicts": conflicts, "dates": dates,
              "sentences": sentences(DOCS + ["e", "f", "g"])}
    assert omission_findings(tables).empty
    # with c stating it too (written with a number, outside the group), 3 of 4: d leaves it out
    tables["dates"] = pd.concat([dates, pd.DataFrame({"doc_id": ["c"], "value": ["2024-06-03"], "sentence": [2],
                                                      "text": ["June 3"]})], ignore_index=True)
    assert omission_findings(tables)[["doc_id", "topic", "strength"]].values.tolist() == [
        ["d", "2024-06-03 (reopen)", 0.75]]
    # a weekday resolved to that date is not enough to count c (another event of that day would match)
    tables["dates"].loc[4, "text"] = "Monday"
    assert omission_findings(tables).empty


def test_key_findings_name_omissions_among_what_was_looked_for():
    from analysis.findings.registry import FINDING_COLUMNS
    from analysis.report.findings_view import key_findings

    nothing = pd.DataFrame({c: [] for c in FINDING_COLUMNS + ["statement", "anchor"]})
    assert "conflicting figure or omission between these documents" in key_findings(nothing).text


def test_money_stated_in_other_words_is_no_omission_with_the_pipelines_columns():
    # number_conflicts.csv has no currency column (numbers.csv has): the fact's currency comes from the
    # numbers rows, so d's "$4.5 million" is the same money as the others' "$4.5m", not a fact d leaves out.
    numbers = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d"], "value": 4.5e6, "unit": "money", "what": "fund",
        "text": ["$4.5m", "$4.5m", "$4.5m", "$4.5 million"], "start": [10, 10, 10, 210], "currency": "USD",
        "vague": False})
    conflicts = pd.DataFrame({"group_id": "nc01", "doc_id": ["a", "b", "c"], "value": 4.5e6, "unit": "money",
                              "text": "$4.5m", "conflict": "agree", "claim": "USD 4,500,000 (fund)"})
    tables = {"stories": pd.DataFrame({"story_id": "S1", "doc_id": DOCS}), "numbers": numbers,
              "number_conflicts": conflicts, "sentences": sentences()}
    assert omission_findings(tables).empty
    tables["numbers"] = numbers.head(3)  # d states no money: it leaves the fund out
    assert omission_findings(tables)["doc_id"].tolist() == ["d"]
