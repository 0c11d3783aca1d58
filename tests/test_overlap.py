"""Tests for analysis.overlap.passages, .containment, .derivation, analysis.figures.overlap and the side-by-side view (hand-checked data)."""

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis.overlap.containment import (
    PARTIALLY_DERIVED_MIN, SEMANTIC_DERIVED_MIN, WHOLLY_DERIVED_MIN, lexical_relation, overlap_pairs, pair_relation,
)
from analysis.overlap.derivation import EDGE_COLUMNS, derivation_edges, direction_cues
from analysis.overlap.passages import shared_passages
from analysis.overlap.relations import pair_relations
from analysis.figures.overlap import plot_derivation_graph, plot_overlap_heatmap, report_figures
from analysis.report.viewer import reuse_viewer

DATA = Path(__file__).parent / "data" / "overlap"
CASES = json.loads((DATA / "passages.json").read_text(encoding="utf-8"))["cases"]


def corpus(*bodies, **extra):
    ids = [f"d{k}" for k in range(len(bodies))]
    return pd.DataFrame({"doc_id": ids, "label": ids, "outlet": [""] * len(ids),
                         "title": [""] * len(ids), "body": list(bodies), **extra})


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_shared_passages_match_hand_checked_spans(case):
    docs = corpus(case["a"], case["b"])
    found = shared_passages(docs)
    got = [(r.text_a, r.text_b, r.kind) for r in found.itertuples()]
    assert got == [(e["text_a"], e["text_b"], e["kind"]) for e in case["expected"]]
    for r in found.itertuples():
        assert case["a"][r.start_a:r.end_a] == r.text_a
        assert case["b"][r.start_b:r.end_b] == r.text_b
        assert r.start_a == case["a"].index(r.text_a)
        assert (r.score == 1.0) == (r.kind == "verbatim")


def test_min_words_and_gap_parameters_are_honoured():
    case = CASES[0]
    docs = corpus(case["a"], case["b"])
    assert shared_passages(docs, min_words=30).empty
    # Without gap tolerance the substituted word splits the passage in two.
    assert len(shared_passages(docs, max_gap=0)) == 2


def test_passages_and_pairs_are_deterministic():
    docs = corpus(*(c["a"] for c in CASES), *(c["b"] for c in CASES))
    first = shared_passages(docs)
    second = shared_passages(docs.sample(frac=1.0, random_state=3).sort_index())
    assert first.to_csv(index=False) == second.to_csv(index=False)
    pairs = overlap_pairs(docs, first)
    assert pairs.to_csv(index=False) == overlap_pairs(docs, first).to_csv(index=False)


def test_overlap_pairs_containment_jaccard_and_relation():
    shared = "one two three four five six seven eight nine ten"
    a = shared                                   # 10 words, all shared
    b = shared + " " + " ".join(f"w{k}" for k in range(30))  # 40 words, 10 shared
    c = "completely different words here"
    docs = corpus(a, b, c)
    pairs = overlap_pairs(docs, shared_passages(docs)).set_index(["doc_a", "doc_b"])
    assert len(pairs) == 6
    assert pairs.loc[("d0", "d1"), "lexical_containment"] == pytest.approx(1.0)
    assert pairs.loc[("d1", "d0"), "lexical_containment"] == pytest.approx(0.25)
    assert pairs.loc[("d0", "d1"), "jaccard"] == pytest.approx(10 / 40)
    assert pairs.loc[("d0", "d1"), "relation"] == "wholly_derived"
    assert pairs.loc[("d0", "d2"), "relation"] == "independent"
    assert pairs["semantic_coverage"].isna().all()


MINISTER_QUOTED = ("The minister said: “we will open the new bridge over the river in early "
                   "spring next year.” Critics disagree strongly about the cost.")
MINISTER_REPORT = ("“We will open the new bridge over the river in early spring next year,” "
                   "the minister told reporters on Monday.")


def test_shared_quotation_is_not_derivation_evidence():
    # a: 3 + 14 + 6 = 23 words; the 14 shared words are the quotation, quoted in both.
    docs = corpus(MINISTER_QUOTED, MINISTER_REPORT)
    pairs = overlap_pairs(docs, shared_passages(docs)).set_index(["doc_a", "doc_b"])
    row = pairs.loc[("d0", "d1")]
    assert row["words_a"] == 23
    assert row["lexical_containment"] == pytest.approx(14 / 23, abs=1e-6)
    assert row["quoted_containment"] == pytest.approx(14 / 23, abs=1e-6)
    assert row["unquoted_containment"] == 0
    assert (row["relation"], row["basis"]) == ("independent", "shared_quotes")
    # The same words copied as the reporter's own prose are derivation evidence.
    unquoted = corpus(MINISTER_QUOTED.replace("“", "").replace("”", ""),
                      MINISTER_REPORT.replace("“", "").replace("”", ""))
    row = overlap_pairs(unquoted, shared_passages(unquoted)).iloc[0]
    assert row["quoted_containment"] == 0
    assert row["unquoted_containment"] == pytest.approx(14 / 23, abs=1e-6)
    assert (row["relation"], row["basis"]) == ("wholly_derived", "shared_text")


def test_quotation_reported_in_indirect_speech_counts_as_quoted():
    quoting = ("Kirby said: “North Korea delivered infantry rockets and missiles into Russia "
               "for use by Wagner last month.”")
    # 15 words from the quotation, unquoted here, plus 4 of the reporter's own.
    reporting = ("North Korea delivered infantry rockets and missiles into Russia for use by "
                 "Wagner last month, Kirby said, citing intelligence.")
    docs = corpus(quoting, reporting)
    pairs = overlap_pairs(docs, shared_passages(docs)).set_index(["doc_a", "doc_b"])
    assert pairs.loc[("d1", "d0"), "lexical_containment"] == pytest.approx(15 / 19, abs=1e-6)
    assert pairs.loc[("d1", "d0"), "quoted_containment"] == pytest.approx(15 / 19, abs=1e-6)
    assert pairs.loc[("d1", "d0"), "relation"] == "independent"


def test_quoted_words_are_set_apart_in_urdu_too():
    quote = "ہم مکمل طور پر تیار ہیں اور کل میدان میں اتریں گے"      # 12 words
    a = f"وزیر نے کہا کہ ’’{quote}‘‘ اور چلے گئے"                   # 4 + 12 + 3 words
    b = f"کپتان نے بتایا \"{quote}\" جس پر شائقین خوش ہوئے"
    docs = corpus(a, b)
    row = overlap_pairs(docs, shared_passages(docs)).iloc[0]
    assert row["words_a"] == 19
    assert row["lexical_containment"] == pytest.approx(12 / 19, abs=1e-6)
    assert row["quoted_containment"] == pytest.approx(12 / 19, abs=1e-6)
    assert row["relation"] == "independent"
    assert row["rule"] == "any_language"          # Urdu: the any-language model decides


@pytest.mark.parametrize("marks", ['27"', "the '90s", "rock 'n' roll"])
def test_inch_marks_and_elisions_quote_nothing(marks):
    # overlap's own scanner took the inch mark (and the elided '90s) for an
    # opening quotation mark: the copied sentence after it counted as quoted.
    copied = (f"The hotel bought a {marks} television for the lounge, and guests "
              "watched the final there until late on Sunday night.")
    docs = corpus(copied, "Local news: " + copied)
    row = overlap_pairs(docs, shared_passages(docs)).iloc[0]
    assert row["quoted_containment"] == 0
    assert (row["relation"], row["basis"]) == ("wholly_derived", "shared_text")


def test_relation_rule_thresholds():
    assert lexical_relation(WHOLLY_DERIVED_MIN) == "wholly_derived"
    assert lexical_relation(PARTIALLY_DERIVED_MIN) == "partially_derived"
    assert lexical_relation(PARTIALLY_DERIVED_MIN / 2) == "independent"


def test_semantic_coverage_from_hand_built_alignment():
    docs = corpus("x y z", "x y z", "p q r")
    alignment = pd.DataFrame({
        "doc_a": ["d0"] * 4 + ["d1"] * 2,
        "sent_a": [0, 1, 2, 3, 0, 1],
        "doc_b": ["d1"] * 4 + ["d0"] * 2,
        "kind": ["copy", "paraphrase", "none", "none", "near_copy", "none"],
    })
    pairs = pair_relations(docs, shared_passages(docs), alignment)
    cov = pairs.set_index(["doc_a", "doc_b"])["semantic_coverage"]
    assert cov[("d0", "d1")] == pytest.approx(0.5)
    assert cov[("d1", "d0")] == pytest.approx(0.5)
    assert np.isnan(cov[("d0", "d2")])


def test_pair_relation_semantic_lift():
    cut = SEMANTIC_DERIVED_MIN
    assert pair_relation(0.0, cut) == "wholly_derived"
    assert pair_relation(0.0, cut - 0.01) == "independent"
    assert pair_relation(0.0) == "independent"
    assert pair_relation(PARTIALLY_DERIVED_MIN, np.nan) == "partially_derived"


def test_reworded_copy_is_derived_through_the_alignment():
    # d0 rewords every sentence of d1's first half; no six-word passage survives.
    source = ("Officials confirmed the shipment on Thursday. The rockets arrived by train. "
              "Sanctions forbid such sales. The buyer paid in cash.")
    spun = ("The consignment was verified by authorities on Thursday. Rail carried the missiles. "
            "Such trade is barred under sanctions. Payment was made in cash.")
    docs = corpus(spun, source, "Unrelated text about the weather in spring.")
    alignment = pd.DataFrame({
        "doc_a": ["d0"] * 4 + ["d1"] * 4,
        "sent_a": [0, 1, 2, 3, 0, 1, 2, 3],
        "doc_b": ["d1"] * 4 + ["d0"] * 4,
        "kind": ["paraphrase", "paraphrase", "paraphrase", "near_copy",
                 "paraphrase", "paraphrase", "none", "none"],
    })
    passages = shared_passages(docs)
    assert passages.empty
    pairs = pair_relations(docs, passages, alignment).set_index(["doc_a", "doc_b"])
    assert pairs.loc[("d0", "d1"), "semantic_coverage"] == pytest.approx(1.0)
    assert tuple(pairs.loc[("d0", "d1"), ["relation", "basis"]]) == ("wholly_derived", "reworded")
    assert tuple(pairs.loc[("d1", "d0"), ["relation", "basis"]]) == ("independent", "none")
    assert pairs.loc[("d0", "d2"), "relation"] == "independent"
    # Without the alignment the spun copy is invisible to the lexical rule.
    assert (overlap_pairs(docs, passages)["relation"] == "independent").all()
    edges = derivation_edges(pairs.reset_index(), docs, passages)
    assert edges[["source", "derived", "relation", "basis"]].values.tolist() == [
        ["d1", "d0", "wholly_derived", "reworded"]]


def test_pairs_sharing_only_quotations_get_no_derivation_edge():
    docs = corpus(MINISTER_QUOTED, MINISTER_REPORT)
    passages = shared_passages(docs)
    edges = derivation_edges(overlap_pairs(docs, passages), docs, passages)
    assert edges.empty
    assert list(edges.columns) == EDGE_COLUMNS


def _related_pair(**extra):
    core = "the ministry said the new bridge will open to traffic in early spring next year"
    short = core
    long = "In other news, " + core + ". The mayor also announced a new park and two schools for the district."
    return corpus(short, long, **extra)


def test_derivation_edges_use_publication_order_over_asymmetry():
    docs = _related_pair(published=["2024-01-01", "2024-01-02"])
    passages = shared_passages(docs)
    pairs = overlap_pairs(docs, passages)
    edges = derivation_edges(pairs, docs, passages)
    # Asymmetry says d0 (wholly inside d1) is derived; the dates say d1 is later, and they decide.
    assert edges[["source", "derived", "direction"]].values.tolist() == [["d0", "d1", "published"]]
    assert "published after" in edges.loc[0, "evidence"]
    # strength: the share of the derived text (d1) found in d0, its words in the shared passage
    assert edges.loc[0, "strength"] == pytest.approx(pairs.set_index(["doc_a", "doc_b"]).loc[
        ("d1", "d0"), "unquoted_containment"])


def test_a_date_alone_does_not_order_two_times_of_the_same_day():
    docs = _related_pair(published=["2024-01-01T18:00:00Z", "2024-01-01"])
    edges = derivation_edges(overlap_pairs(docs, shared_passages(docs)), docs)
    assert edges.loc[0, "direction"] == "asymmetry"  # the day is the same: the text cue decides
    docs = _related_pair(published=["2024-01-01T18:00:00+02:00", "2024-01-01T17:00:00Z"])
    edges = derivation_edges(overlap_pairs(docs, shared_passages(docs)), docs)
    assert edges[["source", "derived", "direction"]].values.tolist() == [["d0", "d1", "published"]]


def test_a_published_value_that_is_not_iso_8601_is_a_corpus_error():
    from analysis.corpus.dates import publication_times
    from analysis.errors import CorpusError

    with pytest.raises(CorpusError, match="published of d1: 'last Tuesday' is not an ISO 8601"):
        publication_times(_related_pair(published=["2024-01-01", "last Tuesday"]))
    assert publication_times(corpus("a")) is None


def test_derivation_edges_attribution_and_identical_texts():
    docs = _related_pair(outlet=["Daily Wire Service", ""])
    docs.loc[1, "body"] = "According to the Daily Wire Service, " + docs.loc[1, "body"]
    passages = shared_passages(docs)
    edges = derivation_edges(overlap_pairs(docs, passages), docs, passages)
    assert edges[["source", "derived", "direction"]].values.tolist() == [["d0", "d1", "names_source"]]
    # Two bodies that are the same text (line breaks aside) are identical, not "wholly derived",
    # and without dates nothing says which came first.
    text = "alpha beta gamma delta epsilon zeta eta theta"
    same = corpus(text, text.replace(" ", "\n", 2))
    passages = shared_passages(same)
    edges = derivation_edges(overlap_pairs(same, passages), same, passages)
    assert edges[["relation", "basis", "strength", "direction", "drawn"]].values.tolist() == [
        ["identical", "identical", 1.0, "undetermined", True]]
    assert edges.loc[0, "evidence"].startswith("direction undetermined; the same text")
    dated = corpus(text, text, published=["2024-03-02", "2024-03-01"])
    edges = derivation_edges(overlap_pairs(dated, passages), dated, passages)
    assert edges[["source", "derived", "relation", "direction"]].values.tolist() == [
        ["d1", "d0", "identical", "published"]]


def test_derivation_evidence_marks_the_cues_against_the_chosen_direction():
    # Dates say d1 is later; d0 names d1's outlet and is the more contained text:
    # publication time decides, the two text cues are named as against it.
    docs = _related_pair(outlet=["", "Daily Wire Service"], published=["2024-01-01", "2024-01-02"])
    docs.loc[0, "body"] = "As the Daily Wire Service put it, " + docs.loc[0, "body"]
    passages = shared_passages(docs)
    pairs = overlap_pairs(docs, passages)
    cues = direction_cues(docs, passages, pairs)
    assert cues[["published", "attribution", "asymmetry"]].values.tolist() == [[-1, 1, 1]]
    edges = derivation_edges(pairs, docs, passages)
    assert edges[["source", "derived", "direction"]].values.tolist() == [["d0", "d1", "published"]]
    evidence = edges.loc[0, "evidence"]
    assert "published after d0" in evidence
    assert "named by d0 (against)" in evidence and "names d1" not in evidence


def test_weak_edges_stay_in_the_table_but_are_not_drawn():
    from analysis.overlap.derivation import DRAWN_MIN_STRENGTH

    phrase = "the ministry said the new bridge will open to traffic in early spring"
    long_a = phrase + ". " + " ".join(f"alpha{k}" for k in range(200))
    long_b = phrase + ". " + " ".join(f"beta{k}" for k in range(200))
    docs = corpus(long_a, long_b)
    passages = shared_passages(docs)
    edges = derivation_edges(overlap_pairs(docs, passages), docs, passages)
    assert len(edges) == 1 and edges.loc[0, "strength"] < DRAWN_MIN_STRENGTH
    assert not edges.loc[0, "drawn"]
    figure = plot_derivation_graph(edges, docs)
    assert not figure.axes[0].patches  # no edge drawn
    assert "1 weaker pair(s) not drawn" in figure.axes[0].get_title()


def test_ordered_coverage_fills_short_gaps_between_aligned_sentences():
    from analysis.overlap.sequence import ordered_coverage

    alignment = pd.DataFrame({
        "doc_a": ["d0"] * 6 + ["d1"] * 4, "doc_b": ["d1"] * 6 + ["d0"] * 4,
        "sent_a": [0, 1, 2, 3, 4, 5, 0, 1, 2, 3],
        # d0: sentence 1 unmatched but its best match sits between its neighbours' (filled);
        # sentence 4's best match lies outside its neighbours' span (not filled); 5 trails (not filled).
        "sent_b": [0, 1, 2, 3, 9, 4, 0, 5, 1, 2],
        "kind": ["paraphrase", "none", "copy", "paraphrase", "none", "none",
                 "copy", "none", "none", "none"],
    })
    got = ordered_coverage(alignment).set_index(["doc_a", "doc_b"])
    assert got.loc[("d0", "d1"), ["aligned", "filled", "sentences"]].tolist() == [4, 1, 6]
    assert got.loc[("d0", "d1"), "ordered_coverage"] == pytest.approx(4 / 6)
    assert got.loc[("d1", "d0"), ["aligned", "filled"]].tolist() == [1, 0]


def test_bad_input_raises_clear_errors():
    with pytest.raises(ValueError, match="missing column"):
        shared_passages(pd.DataFrame({"doc_id": ["a"]}))
    with pytest.raises(ValueError, match="duplicate doc_id"):
        shared_passages(pd.DataFrame({"doc_id": ["a", "a"], "body": ["x", "y"]}))
    with pytest.raises(ValueError, match="ngram"):
        shared_passages(corpus("a", "b"), ngram=0)
    with pytest.raises(ValueError, match="not in docs"):
        shared_passages(corpus("a", "b"), pd.DataFrame({"doc_a": ["d0"], "doc_b": ["zz"]}))


def test_figures_and_html_escape_untrusted_text():
    case = CASES[0]
    docs = corpus(case["a"] + " <script>alert(1)</script>", case["b"])
    passages = shared_passages(docs)
    passages.loc[0, "text_a"] = passages.loc[0, "text_a"] + " <script>alert(1)</script>"
    pairs = overlap_pairs(docs, passages)
    edges = derivation_edges(pairs, docs, passages)
    assert isinstance(plot_overlap_heatmap(pairs, docs), Figure)
    assert isinstance(plot_overlap_heatmap(pairs, docs, value="semantic_coverage"), Figure)
    assert isinstance(plot_overlap_heatmap(pairs, docs, value="unquoted_containment"), Figure)
    assert isinstance(plot_derivation_graph(edges, docs), Figure)
    with pytest.raises(ValueError, match="value must be"):
        plot_overlap_heatmap(pairs, docs, value="nope")
    from analysis.text.sentences import sentence_table
    from analysis.text.nlp import load_pipeline, parse_bodies

    sentences = sentence_table(parse_bodies(docs, load_pipeline()))
    first = sentences.groupby("doc_id")["text"].first()
    alignment = pd.DataFrame({"doc_a": ["d0", "d1"], "sent_a": [0, 0], "doc_b": ["d1", "d0"], "sent_b": [0, 0],
                              "text_a": [first["d0"], first["d1"]], "text_b": [first["d1"], first["d0"]],
                              "kind": ["paraphrase"] * 2})
    page = str(reuse_viewer({"derivation": edges, "passages": passages, "sentence_alignment": alignment},
                            docs, sentences).markup)
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_report_figures_carry_the_ids_captions_and_alt_texts_of_the_overlap_cell():
    case = CASES[0]
    docs = corpus(case["a"], case["b"])
    passages = shared_passages(docs)
    pairs = overlap_pairs(docs, passages)
    result = {"overlap_pairs": pairs, "derivation": derivation_edges(pairs, docs, passages)}
    shown = report_figures(result, docs)
    assert [f.fig_id for f in shown] == ["fig-05-overlap-lexical", "fig-06-overlap-semantic", "fig-07-derivation"]
    assert all(isinstance(f.figure, Figure) and f.caption for f in shown)
    assert shown[0].alt.startswith("Heatmap of lexical containment by pair: d0 in d1 ")
    assert shown[2].alt.startswith("Derivation graph: ")
    assert report_figures({}, docs) == []  # a skipped section has no figure


def test_one_shared_name_phrase_counts_only_through_the_partial_threshold():
    # Documented trade-off (overlap_pairs): one shared 6-word phrase makes a
    # short text partially derived; COUNTER says such pairs are mostly reuse.
    phrase = "Bank of England governor Mervyn King"

    def text(prefix, n_words):
        filler = [f"{prefix}{k}" for k in range(n_words - 6)]
        return " ".join(filler[:10] + phrase.split() + filler[10:])

    short, long_, other = text("a", 150), text("c", 200), text("b", 300)
    docs = corpus(short, long_, other)
    passages = shared_passages(docs)
    assert sorted(passages["text_a"]) == [phrase] * 3
    pairs = overlap_pairs(docs, passages).set_index(["doc_a", "doc_b"])
    assert pairs.loc[("d0", "d2"), "unquoted_containment"] == pytest.approx(6 / 150)
    assert tuple(pairs.loc[("d0", "d2"), ["relation", "basis"]]) == ("partially_derived",
                                                                      "shared_text")
    assert tuple(pairs.loc[("d1", "d2"), ["relation", "basis"]]) == ("independent", "none")
    assert pairs.loc[("d2", "d0"), "relation"] == "independent"


def test_derivation_graph_of_twelve_documents_is_readable():
    from matplotlib.colors import to_hex
    from matplotlib.text import Text

    from analysis.corpus.cleaning import display_labels

    titles = [f"Headline number {k} about the central bank raising its main interest rate" for k in range(4)]
    titles += ["The same headline published twice by the one outlet"] * 2  # labels made unique by the doc_id
    docs = pd.DataFrame({"doc_id": [f"d{k:02d}" for k in range(12)],
                         "outlet": [""] * 6 + ["Reuters", "BBC News", "The Guardian", "Financial Times",
                                               "Associated Press", "Sky News"],
                         "title": titles + [""] * 6, "body": ["x"] * 12})
    docs["label"] = display_labels(docs)
    edges = pd.DataFrame({"source": ["d00", "d03", "d07"], "derived": ["d06", "d09", "d11"],
                          "relation": ["wholly_derived", "partially_derived", "identical"],
                          "basis": ["reworded", "shared_text", "identical"], "strength": [0.9, 0.1, 1.0],
                          "direction": ["asymmetry", "published", "undetermined"], "drawn": [True, False, True]})
    figure = plot_derivation_graph(edges, docs)
    ax = figure.axes[0]
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    names = [t for t in ax.texts if isinstance(t, Text) and t.get_text()]
    assert len(names) == 12
    boxes = [t.get_window_extent(renderer) for t in names]
    overlapping = [(names[i].get_text(), names[j].get_text()) for i in range(12) for j in range(i + 1, 12)
                   if boxes[i].overlaps(boxes[j])]
    assert overlapping == []
    node_colors = {to_hex(c.get_facecolor()[0]) for c in ax.collections}
    assert len(node_colors) == 12
    assert len(ax.patches) == 2  # the weak edge is left out
    heads = [p.get_arrowstyle() for p in ax.patches]
    assert sum(type(h).__name__ == "CurveFilledB" for h in heads) == 1  # only the directed edge has a head


def test_ordered_coverage_counts_a_copy_that_starts_or_ends_as_its_source():
    from analysis.overlap.sequence import ordered_coverage

    alignment = pd.DataFrame({
        "doc_a": ["d0"] * 3 + ["d1"] * 3 + ["d2"] * 3, "doc_b": ["d9"] * 9,
        "sent_a": [0, 1, 2] * 3,
        "sent_b": [0, 1, 2, 0, 1, 2, 0, 5, 1],
        "kind": ["copy", "none", "none", "none", "none", "copy", "copy", "none", "none"],
    })
    got = ordered_coverage(alignment).set_index("doc_a")
    assert got.loc["d0", ["aligned", "filled"]].tolist() == [3, 2]  # ends as its source does
    assert got.loc["d1", ["aligned", "filled"]].tolist() == [3, 2]  # starts as its source does
    assert got.loc["d2", ["aligned", "filled"]].tolist() == [1, 0]  # 5 jumps ahead, then 1 goes back


def test_derivation_graph_puts_linked_documents_side_by_side():
    from analysis.figures.overlap import circle_order, graph_positions

    ids = [f"d{k}" for k in range(8)]
    edges = pd.DataFrame({"source": ["d0", "d2", "d1", "d5"], "derived": ["d4", "d6", "d4", "d2"],
                          "relation": ["identical", "wholly_derived", "partially_derived", "partially_derived"],
                          "strength": [1.0, 0.9, 0.5, 0.3]})
    order = circle_order(ids, edges)
    assert sorted(order) == ids and order == circle_order(ids, edges)  # a permutation, the same every time

    def neighbours(a, b):
        gap = abs(order.index(a) - order.index(b))
        return gap in (1, len(order) - 1)

    # in corpus order d0 and d4 face each other across the circle; every edge is between neighbours now
    assert all(neighbours(a, b) for a, b in zip(edges["source"], edges["derived"]))
    assert order[0] == "d1"  # chains in the corpus order of their first document: d1-d4-d0 holds d0
    position = graph_positions(edges, ids)
    chord = math.dist(position["d0"], position["d4"])
    assert chord == pytest.approx(2 * math.sin(math.pi / len(ids)))  # one step round the circle, not a diameter
    # a document cannot sit beside three others: the weakest of the three edges gives way
    star = pd.DataFrame({"source": ["d0", "d0", "d0"], "derived": ["d3", "d5", "d7"],
                         "relation": ["identical", "wholly_derived", "partially_derived"], "strength": [1.0, 0.8, 0.4]})
    order = circle_order(ids, star)
    assert neighbours("d0", "d3") and neighbours("d0", "d5") and not neighbours("d0", "d7")
