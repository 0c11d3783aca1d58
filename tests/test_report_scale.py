"""Reports stay readable at any size: page-high figures, outlets above DETAIL_MAX_DOCUMENTS, bounded HTML.

The corpus is synthetic: the section tables of n documents are generated here
(no parsing), 25 outlets plus documents without one, stories of 4 documents
whose pairs are compared, so that the report's presentation can be checked at
20,000 documents in a few seconds.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.corpus.outlets import NO_OUTLET, OTHER_OUTLETS, OUTLETS_SHOWN, document_outlets, outlet_groups
from analysis.figures import entities as entity_figures
from analysis.figures import numbers as number_figures
from analysis.figures import overlap as overlap_figures
from analysis.figures import quotes as quote_figures
from analysis.figures import readability as readability_figures
from analysis.figures.layout import DETAIL_MAX_DOCUMENTS, PAGE_MAX_HEIGHT
from analysis.report import findings_view, render, scaled_tables, viewer
from analysis.report.publish import Publisher
from analysis.statements.number_claims import claims_by_conflicts

STORY_SIZE = 4
OUTLETS = 25
PARAGRAPH = ("The minister said the plan would cost 12 million pounds over the next five years. Critics said the "
             "figure was far too low for a programme of this size. Officials met on Monday to discuss it again. ")
#: A body of about 400 words (an average news article), in 12 paragraphs of three sentences.
BODY = "\n\n".join([PARAGRAPH.strip()] * 12)
SENTENCE_SPANS = [(m.start(), m.end()) for m in re.finditer(r"[^.\n]+\.", BODY)]


def synthetic_result(n: int) -> dict:
    """The section tables of an n-document corpus (every tenth document without an outlet)."""
    ids = [f"doc{i:05d}" for i in range(n)]
    outlets = ["" if i % 10 == 9 else f"Outlet {i % OUTLETS:02d}" for i in range(n)]
    labels = [f"{o or 'Headline words'} ({d})" for o, d in zip(outlets, ids)]
    docs = pd.DataFrame({"doc_id": ids, "label": labels, "outlet": outlets, "title": "A title", "body": BODY})
    rng = np.random.default_rng(0)
    stories = pd.DataFrame({"story_id": [f"S{i // STORY_SIZE + 1:05d}" for i in range(n)], "doc_id": ids,
                            "label": [f"story words {i // STORY_SIZE}" for i in range(n)]})
    a, b = [], []
    for start in range(0, n, STORY_SIZE):
        members = ids[start:start + STORY_SIZE]
        a += [x for x in members for y in members if x != y]
        b += [y for x in members for y in members if x != y]
    lexical = rng.uniform(0, 1, len(a))
    pairs = pd.DataFrame({"doc_a": a, "doc_b": b, "lexical_containment": lexical, "unquoted_containment": lexical,
                          "semantic_coverage": rng.uniform(0, 1, len(a)), "basis": "passages",
                          "relation": np.where(lexical > 0.5, "partially_derived", "independent")})
    related = pairs[pairs["relation"] != "independent"]
    derivation = pd.DataFrame({"source": related["doc_b"], "derived": related["doc_a"],
                               "strength": related["lexical_containment"], "basis": "shared_text",
                               "direction": "undetermined", "drawn": True, "relation": related["relation"]})
    derivation = derivation.sort_values("strength", ascending=False, kind="stable").reset_index(drop=True)
    passages = pd.DataFrame({"doc_a": a, "doc_b": b, "start_a": 0, "end_a": 60, "start_b": 0, "end_b": 60,
                             "n_words": 11, "kind": "exact", "text_a": BODY[:60], "reuse": True})
    sentences = pd.DataFrame([(d, k, s, e) for d in ids for k, (s, e) in enumerate(SENTENCE_SPANS)],
                             columns=["doc_id", "sent", "start", "end"])
    first = BODY[slice(*SENTENCE_SPANS[0])]
    alignment = pd.DataFrame({"doc_a": a, "doc_b": b, "sent_a": 0, "sent_b": 0, "text_a": first,
                              "text_b": first.replace("plan", "scheme"), "kind": "near_copy"})
    grades = rng.normal(10, 2, n)
    readability = pd.DataFrame({"doc_id": ids, "label": labels, "text_standard_grade": grades.round(),
                                "flags": "", "words": 40, **{c: grades for c in readability_figures.GRADE_FORMULA_STYLE}})
    paragraphs = pd.DataFrame({"doc_id": np.repeat(ids, 2), "label": np.repeat(labels, 2),
                               "flesch_kincaid_grade": rng.normal(10, 3, 2 * n)})
    entities = pd.DataFrame([(d, name, "ORG", 2, 50.0) for d in ids for name in ("Shared Org", f"Own {d}")],
                            columns=["doc_id", "entity", "entity_type", "mentions", "mentions_per_1k_words"])
    quotes = pd.DataFrame({"doc_id": ids, "quote_id": range(n), "text": "plan", "kind": "quote", "label": labels,
                           "speaker": [f"Speaker {i % 40}" for i in range(n)]})
    variants = pd.DataFrame({"group_id": [f"Q{i // 2}" for i in range(n)], "speaker": "Speaker", "doc_id": ids,
                             "quote_id": range(n), "text": "the plan is good", "differs": [i % 2 == 1 for i in range(n)],
                             "diff": "the plan is [-good-]{+bad+}", "label": labels})
    conflicts = pd.DataFrame({"group_id": [f"N{i // 3}" for i in range(n)], "doc_id": ids, "label": labels,
                              "claim": "12 million pounds", "text": "12m", "scope": "",
                              "conflict": ["agree", "different_value", "different_scope"] * (n // 3) + ["agree"] * (n % 3)})
    claims = pd.DataFrame({"group_id": conflicts["group_id"].unique(), "status": "conflict"})
    findings = pd.DataFrame({"finding_id": [f"F{i:05d}" for i in range(len(derivation))], "kind": "copied_text",
                             "statement": "One outlet copied another's text.", "strength": derivation["strength"],
                             "evidence": "derivation.csv rows 1", "anchor": [f"finding-{i}" for i in range(len(derivation))],
                             "section": "overlap"})
    return {"docs": docs, "stories": stories, "overlap_pairs": pairs, "derivation": derivation, "passages": passages,
            "sentence_alignment": alignment, "sentences": sentences, "readability": readability,
            "readability_paragraphs": paragraphs, "entities": entities, "quotes": quotes, "quote_variants": variants,
            "number_conflicts": conflicts, "number_claims": claims, "findings": findings}


def report_figures(result: dict) -> list:
    docs = result["docs"]
    overlap = {k: result[k] for k in ("stories", "overlap_pairs", "derivation", "passages", "sentence_alignment")}
    return (readability_figures.report_figures(result, docs)
            + entity_figures.report_figures(result["entities"], docs, top_n=20)
            + overlap_figures.report_figures(overlap, docs)
            + quote_figures.report_figures(result["quotes"], docs)
            + number_figures.report_figures(result, docs))


@pytest.fixture(scope="module")
def large():
    return synthetic_result(20_000)


def test_outlet_groups_pool_the_small_outlets_and_keep_documents_without_outlet_together():
    docs = synthetic_result(200)["docs"]
    groups = outlet_groups(docs)
    assert len(groups) == OUTLETS_SHOWN + 1 and groups["doc_id"].iloc[-1] == OTHER_OUTLETS
    assert groups["documents"].sum() == 200
    assert NO_OUTLET in set(document_outlets(docs, shown=100)["outlet"])  # one group, not one per headline
    assert document_outlets(docs, shown=100)["outlet"].nunique() == OUTLETS + 1


@pytest.mark.parametrize("n", [5, DETAIL_MAX_DOCUMENTS, DETAIL_MAX_DOCUMENTS + 1, 2_000])
def test_every_report_figure_is_at_most_a_page_high(n):
    figures = report_figures(synthetic_result(n))
    assert {f.fig_id for f in figures} >= {"fig-01-readability", "fig-05-overlap-lexical", "fig-09-claims-matrix"}
    for figure in figures:
        assert figure.figure.get_size_inches()[1] <= PAGE_MAX_HEIGHT, figure.fig_id
        assert figure.caption and figure.alt


def test_per_document_plots_are_capped_at_a_page_for_any_number_of_rows():
    result = synthetic_result(300)
    for fig in (readability_figures.plot_readability_grades(result["readability"]),
                readability_figures.plot_paragraph_distribution(result["readability_paragraphs"]),
                quote_figures.plot_quotes_by_outlet(result["quotes"], result["docs"])):
        assert fig.get_size_inches()[1] <= PAGE_MAX_HEIGHT


def _tick_labels(figure, axis="y"):
    ax = figure.figure.axes[0]
    return [t.get_text() for t in (ax.get_yticklabels() if axis == "y" else ax.get_xticklabels())]


def test_per_document_figures_up_to_the_constant_and_outlets_above():
    small, big = synthetic_result(DETAIL_MAX_DOCUMENTS), synthetic_result(DETAIL_MAX_DOCUMENTS + 1)
    by_id = {f.fig_id: f for f in report_figures(small)}
    assert _tick_labels(by_id["fig-05-overlap-lexical"]) == small["docs"]["label"].tolist()
    assert len(_tick_labels(by_id["fig-01-readability"])) == DETAIL_MAX_DOCUMENTS
    assert "fig-10-stories" not in by_id
    by_id = {f.fig_id: f for f in report_figures(big)}
    outlets = outlet_groups(big["docs"])["label"].tolist()
    assert _tick_labels(by_id["fig-05-overlap-lexical"]) == outlets
    assert _tick_labels(by_id["fig-06-overlap-semantic"]) == outlets
    assert len(_tick_labels(by_id["fig-01-readability"])) == len(outlets)
    assert len(_tick_labels(by_id["fig-02-readability-paragraphs"])) == len(outlets)
    assert set(_tick_labels(by_id["fig-08-quotes-by-outlet"])) == set(outlets)
    assert len(_tick_labels(by_id["fig-09-claims-matrix"], "x")) == len(outlets)
    assert len(_tick_labels(by_id["fig-07-derivation"])) <= 30
    assert "fig-10-stories" in by_id
    assert by_id["fig-05-overlap-lexical"].caption != overlap_figures.CAPTIONS["fig-05-overlap-lexical"]


def test_drawn_rows_passes_a_small_corpus_through_and_groups_a_large_one_by_outlet():
    from analysis.figures.layout import drawn_rows

    small = synthetic_result(DETAIL_MAX_DOCUMENTS)
    drawn = drawn_rows(small["docs"], small["quotes"], small["readability"])
    assert not drawn.by_outlet and drawn.docs is small["docs"]
    assert drawn.tables[0] is small["quotes"] and drawn.tables[1] is small["readability"]
    big = synthetic_result(DETAIL_MAX_DOCUMENTS + 1)
    drawn = drawn_rows(big["docs"], big["quotes"])
    groups = outlet_groups(big["docs"])
    assert drawn.by_outlet and drawn.docs.equals(groups)
    assert set(drawn.tables[0]["doc_id"]) <= set(groups["doc_id"]) and len(drawn.tables[0]) == len(big["quotes"])
    counted = drawn_rows(big["docs"], big["quotes"], aggregate=lambda table, docs: table.head(1))
    assert len(counted.tables[0]) == 1


def test_html_of_a_20000_document_report_stays_under_5_mb(large):
    docs = large["docs"]
    publisher = Publisher("", "synthetic", "0" * 64)
    overlap = {k: large[k] for k in ("stories", "overlap_pairs", "derivation", "passages", "sentence_alignment")}
    parts = [publisher.figure(*figure) for figure in report_figures(large)]
    documents = docs.assign(n_words=444)
    parts += [scaled_tables.document_list(documents, SimpleNamespace(docs=docs, stories=large["stories"])),
              scaled_tables.readability_table(large["readability"], docs),
              scaled_tables.number_conflicts_table(large["number_conflicts"], docs),
              render.overlap_details(overlap, docs), render.altered_quotes(large["quote_variants"]),
              findings_view.key_findings(large["findings"]), findings_view.section_findings(large["findings"], "overlap"),
              viewer.reuse_viewer(overlap, docs, large["sentences"])]
    sizes = [len(part._repr_html_().encode("utf-8")) for part in parts]
    # report.html adds the notebook template (about 0.3 MB of style on the seeds report) and the prose
    assert sum(sizes) < 4.5e6, sizes
    assert max(sizes) < 1.5e6, sizes


def test_long_lists_are_bounded_and_say_where_the_rest_is(large):
    docs = large["docs"]
    overlap = {k: large[k] for k in ("stories", "overlap_pairs", "derivation", "passages", "sentence_alignment")}
    listed = findings_view.section_findings(large["findings"], "overlap")._repr_html_()
    assert listed.count("<li ") == findings_view.SECTION_FINDINGS_MAX and "tables/findings.csv" in listed
    quotes = render.altered_quotes(large["quote_variants"])._repr_html_()
    assert quotes.count("<tr>") == render.ALTERED_QUOTES_MAX + 1 and "tables/quote_variants.csv" in quotes
    shown = viewer.reuse_viewer(overlap, docs, large["sentences"])._repr_html_()
    assert shown.count('class="pxr-pair"') == viewer.VIEWER_MAX_PAIRS
    assert f"{len(large['derivation']) - viewer.VIEWER_MAX_PAIRS} more derived pairs" in shown


def test_the_notebook_states_the_numbers_the_code_uses():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "notebooks" / "report.ipynb").read_text(encoding="utf-8")
    assert f"more than {DETAIL_MAX_DOCUMENTS}\\n" in text
    assert f"lists its {findings_view.SECTION_FINDINGS_MAX} strongest" in text
    assert f"The {viewer.VIEWER_MAX_PAIRS} strongest pairs are shown in full" in text


def test_corpus_section_lists_outlets_and_the_largest_stories_above_the_constant():
    result = synthetic_result(DETAIL_MAX_DOCUMENTS + 1)
    documents = result["docs"].assign(n_words=444)
    analysis = SimpleNamespace(docs=result["docs"], stories=result["stories"])
    shown = scaled_tables.document_list(documents, analysis)._repr_html_()
    assert "Documents by outlet" in shown and "The largest stories" in shown and "doc00001" not in shown
    small = SimpleNamespace(docs=result["docs"].head(DETAIL_MAX_DOCUMENTS), stories=None)
    assert "doc00001" in scaled_tables.document_list(documents.head(DETAIL_MAX_DOCUMENTS), small)._repr_html_()


def test_both_overlap_heatmaps_are_drawn_by_one_function():
    """Document and outlet heatmaps share draw_share_heatmap; each keeps its scale and cell texts."""
    from analysis.figures.overlap_outlets import plot_outlet_heatmap

    reuse = pd.DataFrame([(a, b, 0.004 if a == b else 0.2, 0.0) for a in "AB" for b in "AB"],
                         columns=["outlet_a", "outlet_b", "lexical_containment", "semantic_coverage"])
    ax = plot_outlet_heatmap(reuse).axes[0]
    assert ax.get_xlabel() == "outlet b" and ax.images[0].get_clim() == (0.0, 0.2)
    assert sorted(t.get_text() for t in ax.texts) == ["20%", "20%", "<1%", "<1%"]
    docs = pd.DataFrame({"doc_id": ["x", "y"], "label": ["X", "Y"]})
    pairs = pd.DataFrame({"doc_a": ["x", "y"], "doc_b": ["y", "x"], "lexical_containment": [0.004, 0.7]})
    ax = overlap_figures.plot_overlap_heatmap(pairs, docs).axes[0]
    assert ax.get_xlabel() == "document b" and ax.images[0].get_clim() == (0.0, 1.0)
    assert sorted(t.get_text() for t in ax.texts) == ["0%", "70%"]  # the diagonal is missing: grey, no text


def test_the_outlet_reuse_is_computed_once_for_the_figures_and_the_table(monkeypatch):
    """CorpusAnalysis.outlet_reuse is computed on first use; given it, the figures and the table compute nothing."""
    from pathlib import Path

    import analysis.overlap.aggregate as aggregate
    from analysis.report.pipeline import CorpusAnalysis

    result = synthetic_result(DETAIL_MAX_DOCUMENTS + 1)
    docs = result["docs"]
    overlap = {k: result[k] for k in ("stories", "overlap_pairs", "derivation", "passages", "sentence_alignment")}
    expected_figures = [(f.fig_id, f.alt) for f in overlap_figures.report_figures(overlap, docs)]
    expected_table = render.overlap_details(overlap, docs)._repr_html_()
    calls = []
    computed = aggregate.outlet_reuse
    monkeypatch.setattr(aggregate, "outlet_reuse", lambda *args: calls.append(1) or computed(*args))
    analysis = CorpusAnalysis("synthetic", Path("synthetic"), docs, docs, docs)
    analysis.__dict__["overlap"] = overlap  # the overlap section's tables, as if computed
    reuse = analysis.outlet_reuse
    assert analysis.outlet_reuse is reuse and len(calls) == 1
    assert [(f.fig_id, f.alt) for f in overlap_figures.report_figures(overlap, docs, reuse)] == expected_figures
    assert render.overlap_details(overlap, docs, reuse)._repr_html_() == expected_table
    assert len(calls) == 1
    small = CorpusAnalysis("synthetic", Path("synthetic"), docs.head(5), docs, docs.head(5))
    small.__dict__["overlap"] = overlap
    assert small.outlet_reuse is None and len(calls) == 1  # documents are drawn: no aggregate


def test_claims_are_ranked_once_for_the_matrix_and_the_table():
    """The claims matrix's rows and the large report's table of conflicts follow one ranking (claims_by_conflicts)."""
    kinds = {"c1": ["agree", "different_value"], "c2": ["agree", "agree"],
             "c3": ["different_value", "different_scope", "different_value"], "c4": ["agree", "different_scope"]}
    conflicts = pd.DataFrame([(g, f"doc{k:05d}", kind, f"claim {g}", f"{g} text {k}") for g, found in kinds.items()
                              for k, kind in enumerate(found)],
                             columns=["group_id", "doc_id", "conflict", "claim", "text"])
    assert claims_by_conflicts(conflicts) == ["c3", "c1", "c4", "c2"]
    assert number_figures.top_claims(conflicts, 2) == ["c1", "c3"]  # the first two, drawn in table order
    docs = synthetic_result(DETAIL_MAX_DOCUMENTS + 1)["docs"]
    html = scaled_tables.number_conflicts_table(conflicts, docs)._repr_html_()
    listed = [g for g in re.findall(r"(c\d) text", html)]
    assert listed == ["c3", "c3", "c3", "c1", "c4"]
