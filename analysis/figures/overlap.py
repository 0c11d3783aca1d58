"""Figures for the cross-source overlap section: heatmaps and derivation graph.

The side-by-side view of derived pairs is HTML: :func:`analysis.report.viewer.reuse_viewer`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from analysis.corpus.cleaning import document_labels
from analysis.overlap.derivation import DRAWN_MIN_STRENGTH
from analysis.report.narrative import edges_alt_text, pairs_alt_text
from analysis.figures import ReportFigure, kit_style, new_figure, outlet_colors, text_color
from analysis.figures.layout import detailed
from analysis.figures.share_heatmap import draw_share_heatmap

HEATMAP_VALUES = {"lexical_containment": "Share of row's words in passages shared with column",
                  "unquoted_containment": "Share of row's words in passages shared with column,\n"
                                          "outside quotation marks",
                  "quoted_containment": "Share of row's words in passages shared with column,\n"
                                        "inside quotation marks",
                  "semantic_coverage": "Share of row's sentences matched in column"}


@kit_style
def plot_overlap_heatmap(pairs: pd.DataFrame, docs: pd.DataFrame,
                         value: str = "lexical_containment") -> Figure:
    """Heatmap of an overlap_pairs measure: row document a, column document b.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Output of :func:`analysis.overlap.containment.overlap_pairs`.
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``), gives order and axis labels.
    value : {"lexical_containment", "unquoted_containment", "quoted_containment", \
"semantic_coverage"}
        Column to show (0..1). Missing values (e.g. no alignment) are grey.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if value not in HEATMAP_VALUES:
        raise ValueError(f"value must be one of {sorted(HEATMAP_VALUES)}, got {value!r}")
    ids = docs["doc_id"].tolist()
    labels = document_labels(docs)
    matrix = (pairs.pivot(index="doc_a", columns="doc_b", values=value)
              .reindex(index=ids, columns=ids).to_numpy(dtype=float))
    return draw_share_heatmap(matrix, [labels[i] for i in ids], "document", HEATMAP_VALUES[value],
                              min_size=3.5, inches_per_item=0.6, missing_color="#dddddd")


#: Largest corpus whose derivation graph shows every document (beyond it, linked ones only).
MAX_GRAPH_NODES = 12
#: Characters per line of a node's label in the derivation graph (wrapped, at most two lines, and a
#: third for the doc_id of a label made unique by it).
GRAPH_LABEL_WIDTH = 18
#: Line style of each relation drawn in the derivation graph (the legend names them).
RELATION_STYLES = {"identical": ("identical text", ":"),
                   "reworded": ("reworded copy", "--"),
                   "shared_text": ("copied wording", "-")}


def _graph_label(text: str) -> str:
    """A node label wrapped to two lines of :data:`GRAPH_LABEL_WIDTH` characters."""
    import textwrap

    from analysis.figures.layout import short_label

    head, sep, tail = text.rpartition(" (")
    suffix = [f"({tail}"] if sep and tail.endswith(")") else []  # the doc_id that makes a label unique
    lines = textwrap.wrap(head if suffix else text, GRAPH_LABEL_WIDTH, break_long_words=True) or [text]
    if len(lines) > 2:
        lines = [lines[0], short_label(" ".join(lines[1:]), GRAPH_LABEL_WIDTH)]
    return "\n".join(lines + suffix)


def circle_order(ids: list[str], edges: pd.DataFrame) -> list[str]:
    """The documents in their order around the derivation graph's circle: linked ones side by side.

    Corpus order would draw an edge between the first and the middle document
    across the whole circle, through the other edges. Instead the edges are
    taken strongest first (identical texts before any other, then by
    ``strength``, ties in corpus order), and each one joins the chains of
    documents of its two ends when both are at an end of their chain (the
    greedy chaining of path heuristics): the strongest link of every document
    is to a neighbour, as far as a circle allows. The chains follow one another
    in the corpus order of their earliest document. Deterministic.

    Parameters
    ----------
    ids : list of str
        The graph's documents, in corpus order.
    edges : pandas.DataFrame
        The drawn edges (``source``, ``derived``, ``relation``, ``strength``).

    Returns
    -------
    list of str
        ``ids`` reordered.
    """
    corpus = {doc_id: k for k, doc_id in enumerate(ids)}
    chain = {doc_id: [doc_id] for doc_id in ids}
    ranked = sorted(((edge.relation != "identical", -float(np.nan_to_num(edge.strength)), corpus[edge.source],
                      corpus[edge.derived]) for edge in edges.itertuples(index=False)
                     if edge.source in corpus and edge.derived in corpus and edge.source != edge.derived))
    for _, _, a, b in ranked:
        first, second = chain[ids[a]], chain[ids[b]]
        if first is second or ids[a] not in (first[0], first[-1]) or ids[b] not in (second[0], second[-1]):
            continue
        joined = (first if first[-1] == ids[a] else first[::-1]) + (second if second[0] == ids[b] else second[::-1])
        for doc_id in joined:
            chain[doc_id] = joined
    chains = {id(c): c for c in (chain[doc_id] for doc_id in ids)}.values()
    return [doc_id for c in sorted(chains, key=lambda c: min(corpus[d] for d in c)) for doc_id in c]


def graph_positions(edges: pd.DataFrame, ids: list[str]) -> dict[str, tuple[float, float]]:
    """doc_id -> (x, y) of its node on the unit circle, in :func:`circle_order`, the first at the top."""
    order = circle_order(ids, edges)
    angle = {doc_id: math.pi / 2 - 2 * math.pi * k / max(len(order), 1) for k, doc_id in enumerate(order)}
    return {doc_id: (math.cos(a), math.sin(a)) for doc_id, a in angle.items()}


@kit_style
def plot_derivation_graph(edges: pd.DataFrame, docs: pd.DataFrame) -> Figure:
    """Derivation graph on a circle: an arrow from source to derived text.

    Only edges with ``drawn`` set (strength at least
    :data:`analysis.overlap.derivation.DRAWN_MIN_STRENGTH`) are drawn; the
    title counts the others. Line width grows with the edge's strength (the
    share of the derived text found in the source), the line style shows the
    relation (:data:`RELATION_STYLES`: copied wording, reworded copy,
    identical text), and an arrowhead points at the derived text only when
    a cue decided the direction: an ``undetermined`` edge (identical texts
    without dates, for one) is a line without a head, since a head would claim
    a direction. Nodes have one colour each (:func:`analysis.figures.outlet_colors`)
    and labels wrapped to two short lines outside the circle; linked documents
    sit side by side on it (:func:`circle_order`), so the strongest edges are
    short chords, not lines across the figure.

    Parameters
    ----------
    edges : pandas.DataFrame
        Output of :func:`analysis.overlap.derivation.derivation_edges`.
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``): every document is a node, except
        in a corpus of more than :data:`MAX_GRAPH_NODES` documents, where only
        documents with a drawn edge are (the title counts the others).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.lines import Line2D

    ids = docs["doc_id"].tolist()
    labels = document_labels(docs)
    colors = outlet_colors([labels[i] for i in ids])
    drawn = edges[edges["drawn"].astype(bool)] if "drawn" in edges.columns else edges
    left_out = 0
    if len(ids) > MAX_GRAPH_NODES:
        linked = set(drawn["source"]) | set(drawn["derived"])
        left_out = sum(1 for i in ids if i not in linked)
        ids = [i for i in ids if i in linked]
    position = graph_positions(drawn, ids)
    fig = new_figure(7.2, 6.0)
    ax = fig.add_subplot()
    for edge in drawn.itertuples(index=False):
        undetermined = edge.direction == "undetermined"
        _, style = RELATION_STYLES.get(edge.basis, RELATION_STYLES["shared_text"])
        arrow = FancyArrowPatch(
            position[edge.source], position[edge.derived], arrowstyle="-" if undetermined else "-|>",
            mutation_scale=16, shrinkA=16, shrinkB=16, connectionstyle="arc3,rad=0.08",
            linewidth=1.0 + 4.0 * float(np.nan_to_num(edge.strength)), linestyle=style, color="#333333")
        ax.add_patch(arrow)
    font_size = 9 if len(ids) <= 8 else 8
    for doc_id in ids:
        x, y = position[doc_id]
        ax.scatter([x], [y], s=200, color=colors[labels[doc_id]], edgecolor="#333333", linewidth=0.6, zorder=3)
        # outside the circle, anchored on the side away from it, so labels keep clear of nodes and edges
        ax.text(1.13 * x, 1.13 * y, _graph_label(labels[doc_id]), fontsize=font_size,
                color=text_color(colors[labels[doc_id]]),
                ha="center" if abs(x) < 0.3 else ("left" if x > 0 else "right"),
                va="bottom" if y > 0.3 else ("top" if y < -0.3 else "center"))
    ax.set_xlim(-2.3, 2.3)
    ax.set_ylim(-1.55, 1.55)
    ax.set_aspect("equal")
    ax.axis("off")
    shown_styles = [key for key in RELATION_STYLES if key in set(drawn["basis"])]
    if shown_styles:
        handles = [Line2D([], [], color="#333333", linestyle=RELATION_STYLES[key][1], linewidth=2,
                          label=RELATION_STYLES[key][0]) for key in shown_styles]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(handles),
                  fontsize=8, frameon=False, title="line width: share of the derived text found in the source",
                  title_fontsize=8)
    title = "Derivation graph: arrow from likely source to derived text"
    notes = []
    if edges.empty:
        notes.append("no related pairs")
    if len(edges) > len(drawn):
        notes.append(f"{len(edges) - len(drawn)} weaker pair(s) not drawn")
    if left_out:
        notes.append(f"{left_out} documents without a drawn pair not shown")
    ax.set_title(title + ("\n(" + "; ".join(notes) + ")" if notes else ""))
    return fig


#: Caption of each overlap figure, by id.
CAPTIONS = {
    "fig-05-overlap-lexical": "Lexical containment: share of the row document's words inside passages it shares "
                              "with the column document (verbatim or with a few words changed).",
    "fig-06-overlap-semantic": "Semantic coverage: share of the row document's sentences made from the column "
                               "document's (copy, near copy, paraphrase, partial or distorted; sentence "
                               "embeddings plus lexical scores).",
    "fig-07-derivation": "Who likely derives from whom: an arrow points from the source to the derived text "
                         "(a line without a head: which came first is undetermined); line width is the share of "
                         f"the derived text found in the source, and pairs sharing under {DRAWN_MIN_STRENGTH:.0%} of it are "
                         "not drawn. The evidence behind each edge is in tables/derivation.csv.",
}
#: Caption of each overlap figure of a corpus of more than
#: :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS` documents, by id (same ids, outlets and stories drawn).
OUTLET_CAPTIONS = {
    "fig-05-overlap-lexical": "Lexical containment by outlet: for each article of the row outlet, the share of its "
                              "words in passages shared with its closest article of the column outlet, averaged over "
                              "the row outlet's articles (articles of different stories are not compared: 0). "
                              "Every pair is in tables/overlap_pairs.csv.",
    "fig-06-overlap-semantic": "Semantic coverage by outlet: for each article of the row outlet, the share of its "
                               "sentences made from its closest article of the column outlet, averaged over the row "
                               "outlet's articles. Every pair is in tables/overlap_pairs.csv.",
    "fig-07-derivation": "The strongest derived pairs: each bar is a derived text and its likely source, its length "
                         "the share of the derived text found in the source. Every edge and its evidence is in "
                         "tables/derivation.csv.",
    "fig-10-stories": "The largest stories (groups of articles about one event, compared with each other only), "
                      "documents per outlet. Every document's story is in tables/stories.csv.",
}


def report_figures(result: dict[str, pd.DataFrame], docs: pd.DataFrame,
                   reuse: pd.DataFrame | None = None) -> list[ReportFigure]:
    """The overlap section's figures with their ids, captions and alt texts, in report order.

    Parameters
    ----------
    result : dict of str to pandas.DataFrame
        :func:`analysis.report.pipeline.overlap_tables` output; empty when the
        section was skipped (then there is no figure).
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``).
    reuse : pandas.DataFrame, optional
        :func:`analysis.overlap.aggregate.outlet_reuse` of ``result``, drawn
        above :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS` documents;
        the report passes the one it computed for its table too
        (:attr:`analysis.report.pipeline.CorpusAnalysis.outlet_reuse`). Computed
        here when not given.

    Returns
    -------
    list of analysis.figures.ReportFigure
        Up to :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS` documents:
        lexical containment and semantic coverage heatmaps, derivation graph.
        Above it, under the same ids: the outlet x outlet heatmaps, the
        strongest derived pairs, and the largest stories by outlet
        (``fig-10-stories``); captions :data:`OUTLET_CAPTIONS`.
    """
    if not result:
        return []
    summary, edges = result["overlap_pairs"], result["derivation"]
    if not detailed(len(docs)):
        return outlet_figures(result, docs, reuse)
    figures = [(plot_overlap_heatmap(summary, docs, value=value), fig_id, pairs_alt_text(summary, docs, value))
               for fig_id, value in (("fig-05-overlap-lexical", "lexical_containment"),
                                     ("fig-06-overlap-semantic", "semantic_coverage"))]
    figures.append((plot_derivation_graph(edges, docs), "fig-07-derivation", edges_alt_text(edges, docs)))
    return [ReportFigure(figure, fig_id, CAPTIONS[fig_id], alt) for figure, fig_id, alt in figures]


def outlet_figures(result: dict[str, pd.DataFrame], docs: pd.DataFrame,
                   reuse: pd.DataFrame | None = None) -> list[ReportFigure]:
    """The overlap figures of a large corpus (see :func:`report_figures`)."""
    from analysis.figures import overlap_outlets as drawn
    from analysis.overlap.aggregate import outlet_reuse, stories_by_outlet
    from analysis.report import narrative_outlets as told

    if reuse is None:
        reuse = outlet_reuse(result["overlap_pairs"], docs)
    figures = [(drawn.plot_outlet_heatmap(reuse, value), fig_id, told.outlet_reuse_alt_text(reuse, value))
               for fig_id, value in (("fig-05-overlap-lexical", "lexical_containment"),
                                     ("fig-06-overlap-semantic", "semantic_coverage"))]
    edges = result["derivation"]
    figures.append((drawn.plot_top_edges(edges, docs), "fig-07-derivation", told.top_edges_alt_text(edges, docs)))
    by_story = stories_by_outlet(result.get("stories", pd.DataFrame()), docs)
    figures.append((drawn.plot_stories_by_outlet(by_story), "fig-10-stories", told.stories_alt_text(by_story)))
    return [ReportFigure(figure, fig_id, OUTLET_CAPTIONS[fig_id], alt) for figure, fig_id, alt in figures]
