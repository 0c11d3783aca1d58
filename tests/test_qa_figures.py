"""Figures stay readable on corpora far larger than the seed: 50 outlets, long labels."""

import pandas as pd
from matplotlib.patches import FancyArrowPatch

from analysis.figures import entities as entity_figures
from analysis.figures import numbers as number_figures
from analysis.figures import overlap as overlap_figures
from analysis.figures.layout import MAX_WIDTH, short_label

N = 50


def many_docs(n=N):
    ids = [f"d{i:02d}" for i in range(n)]
    return pd.DataFrame({"doc_id": ids, "label": [f"Outlet number {i:02d}" for i in range(n)]})


def many_entities(docs):
    # every document names one shared entity and three of its own
    rows = []
    for doc_id in docs["doc_id"]:
        rows.append((doc_id, "Shared Org", "ORG", 2, 4.0))
        rows += [(doc_id, f"Own {doc_id} {k}", "PERSON", 3 - k, 1.0) for k in range(3)]
    return pd.DataFrame(rows, columns=["doc_id", "entity", "entity_type", "mentions", "mentions_per_1k_words"])


def test_entity_heatmap_puts_many_outlets_on_rows_and_keeps_its_width():
    docs = many_docs()
    fig = entity_figures.plot_entity_heatmap(many_entities(docs), docs, top_n=20)
    width, height = fig.get_size_inches()
    assert width <= MAX_WIDTH
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == docs["label"].tolist()
    assert ax.get_ylabel() == "Outlet"


def test_entity_heatmap_keeps_outlets_as_columns_for_a_small_corpus():
    docs = many_docs(4)
    fig = entity_figures.plot_entity_heatmap(many_entities(docs), docs, top_n=5)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == docs["label"].tolist()


def test_unique_entities_bars_are_capped_and_name_their_outlet():
    docs = many_docs()
    fig = entity_figures.plot_unique_entities(many_entities(docs), docs, top_n=10)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) <= entity_figures.MAX_UNIQUE_BARS
    assert len(labels) >= N  # at least one bar for every outlet with a unique entity
    # colours repeat past the palette, so each bar says whose it is
    assert labels[0].startswith("Outlet number 00: ")
    assert fig.axes[0].get_legend() is None
    assert fig.get_size_inches()[1] < 25


def test_unique_entities_small_corpus_keeps_legend_and_all_bars():
    docs = many_docs(3)
    fig = entity_figures.plot_unique_entities(many_entities(docs), docs, top_n=10)
    assert len(fig.axes[0].get_yticklabels()) == 9
    assert fig.axes[0].get_legend() is not None


def test_overlap_heatmap_width_is_capped():
    docs = many_docs()
    pairs = pd.DataFrame([(a, b, 0.5 if (a, b) == ("d00", "d01") else 0.0)
                          for a in docs["doc_id"] for b in docs["doc_id"] if a != b],
                         columns=["doc_a", "doc_b", "lexical_containment"])
    fig = overlap_figures.plot_overlap_heatmap(pairs, docs)
    assert fig.get_size_inches()[0] <= MAX_WIDTH
    assert len(fig.axes[0].get_xticklabels()) == N


def edges_table(rows):
    """Derivation edges from (source, derived, relation, basis, containment_derived, containment_source,
    semantic_coverage, order_agreement, strength, direction) rows; drawn from strength >= 0.2."""
    table = pd.DataFrame(rows, columns=["source", "derived", "relation", "basis", "containment_derived",
                                        "containment_source", "semantic_coverage", "order_agreement",
                                        "strength", "direction"])
    return table.assign(drawn=table["strength"] >= 0.2, evidence="")


def test_derivation_graph_of_a_large_corpus_draws_linked_documents_only():
    docs = many_docs()
    edges = edges_table([("d03", "d07", "wholly_derived", "shared_text", 0.9, 0.4, 0.9, 1.0, 0.9, "published")])
    fig = overlap_figures.plot_derivation_graph(edges, docs)
    ax = fig.axes[0]
    texts = {t.get_text() for t in ax.texts}
    assert {"Outlet number 03", "Outlet number 07"} <= texts
    assert "Outlet number 00" not in texts
    assert f"{N - 2} documents without a drawn pair not shown" in ax.get_title()


def test_derivation_graph_undetermined_direction_has_no_arrowhead():
    docs = many_docs(3)
    edges = edges_table([("d00", "d01", "partially_derived", "shared_text", 0.3, 0.3, 0.0, None, 0.3,
                          "undetermined"),
                         ("d01", "d02", "wholly_derived", "shared_text", 0.9, 0.4, 0.9, 1.0, 0.9, "asymmetry")])
    fig = overlap_figures.plot_derivation_graph(edges, docs)
    arrows = [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch)]
    styles = [type(a.get_arrowstyle()).__name__ for a in arrows]
    assert styles == ["Curve", "CurveFilledB"]
    # small corpus: every document is a node, linked or not
    assert {"Outlet number 00", "Outlet number 01", "Outlet number 02"} <= {t.get_text() for t in fig.axes[0].texts}


def test_short_label_keeps_the_disambiguating_doc_id():
    assert short_label("Market Herald (bbc_214)", 20) == "Market He… (bbc_214)"
    assert short_label("Market Herald (bbc_214)", 40) == "Market Herald (bbc_214)"
    assert short_label("A very long outlet name without id", 10) == "A very lo…"
    assert len(short_label("Market Herald (bbc_214)", 20)) == 20


def test_claims_matrix_columns_stay_distinct_and_width_capped():
    labels = [f"Market Herald Group ({i})" for i in range(3)] + [f"Outlet number {i:02d}" for i in range(N - 3)]
    docs = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(N)], "label": labels})
    conflicts = pd.DataFrame({"group_id": ["nc01"] * N, "claim": ["5 rockets"] * N,
                              "doc_id": docs["doc_id"], "conflict": ["agree"] * N})
    fig = number_figures.plot_claims_matrix(conflicts, docs)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert len(set(ticks)) == N
    assert fig.get_size_inches()[0] <= MAX_WIDTH
