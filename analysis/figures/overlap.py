"""Figures for the cross-source overlap section: heatmaps, derivation graph, side-by-side HTML."""

from __future__ import annotations

import difflib
import html
import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch
from matplotlib.ticker import PercentFormatter

from . import SEQUENTIAL_CMAP, new_figure, outlet_colors
from .layout import MAX_COLUMNS, MAX_WIDTH, tick_font_size
from ..text import WORD_RE, normalise_word

HEATMAP_VALUES = {"lexical_containment": "Share of row's words in passages shared with column",
                  "unquoted_containment": "Share of row's words in passages shared with column,\n"
                                          "outside quotation marks",
                  "quoted_containment": "Share of row's words in passages shared with column,\n"
                                        "inside quotation marks",
                  "semantic_coverage": "Share of row's sentences matched in column"}


def _labels(docs: pd.DataFrame) -> dict[str, str]:
    column = docs["label"] if "label" in docs.columns else docs["doc_id"]
    return dict(zip(docs["doc_id"], column.astype(str)))


def plot_overlap_heatmap(pairs: pd.DataFrame, docs: pd.DataFrame,
                         value: str = "lexical_containment") -> Figure:
    """Heatmap of an overlap_pairs measure: row document a, column document b.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Output of :func:`analysis.overlap.overlap_pairs`.
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
    labels = _labels(docs)
    matrix = (pairs.pivot(index="doc_a", columns="doc_b", values=value)
              .reindex(index=ids, columns=ids).to_numpy(dtype=float))
    size = min(MAX_WIDTH - 1.0, max(3.5, 0.6 * len(ids) + 2.5))
    fig = new_figure(size + 1.0, size)
    font_size = tick_font_size(len(ids), 0.7 * size)
    ax = fig.add_subplot()
    masked = np.ma.masked_invalid(matrix)
    image = ax.imshow(masked, cmap=SEQUENTIAL_CMAP, vmin=0.0, vmax=1.0)
    ax.set_facecolor("#dddddd")
    names = [labels[i] for i in ids]
    ax.set_xticks(range(len(ids)), names, rotation=40 if len(ids) <= MAX_COLUMNS else 90,
                  ha="right" if len(ids) <= MAX_COLUMNS else "center", fontsize=font_size)
    ax.set_yticks(range(len(ids)), names, fontsize=font_size)
    ax.set_xlabel("document b")
    ax.set_ylabel("document a")
    if len(ids) <= 15:
        for row in range(len(ids)):
            for col in range(len(ids)):
                if not np.isnan(matrix[row, col]):
                    ax.text(col, row, f"{matrix[row, col]:.0%}", ha="center", va="center",
                            fontsize=8, color="white" if matrix[row, col] < 0.6 else "black")
    ax.set_title(HEATMAP_VALUES[value])
    fig.colorbar(image, ax=ax, shrink=0.8, format=PercentFormatter(xmax=1, decimals=0))
    return fig


#: Largest corpus whose derivation graph shows every document (beyond it, linked ones only).
MAX_GRAPH_NODES = 12


def plot_derivation_graph(edges: pd.DataFrame, docs: pd.DataFrame) -> Figure:
    """Derivation graph on a circle: an arrow from source to derived text.

    Arrow width grows with the derived text's containment in its source; an
    edge whose direction is undetermined (confidence 0) is a dashed line
    without an arrowhead, since a head would claim a direction. Each edge is
    annotated with its relation (marked "reworded" when the semantic coverage,
    not shared wording, made it derived) and confidence.

    Parameters
    ----------
    edges : pandas.DataFrame
        Output of :func:`analysis.overlap.derivation_edges`.
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``): every document is a node, except
        in a corpus of more than :data:`MAX_GRAPH_NODES` documents, where only
        documents with an edge are drawn (the title counts the others).

    Returns
    -------
    matplotlib.figure.Figure
    """
    ids = docs["doc_id"].tolist()
    labels = _labels(docs)
    colors = outlet_colors([labels[i] for i in ids])
    left_out = 0
    if len(ids) > MAX_GRAPH_NODES:
        linked = set(edges["source"]) | set(edges["derived"])
        left_out = sum(1 for i in ids if i not in linked)
        ids = [i for i in ids if i in linked]
    angle = {doc_id: math.pi / 2 - 2 * math.pi * k / max(len(ids), 1)
             for k, doc_id in enumerate(ids)}
    position = {doc_id: (math.cos(a), math.sin(a)) for doc_id, a in angle.items()}
    fig = new_figure(6.4, 6.0)
    ax = fig.add_subplot()
    for edge in edges.itertuples(index=False):
        undetermined = edge.confidence == 0
        arrow = FancyArrowPatch(
            position[edge.source], position[edge.derived], arrowstyle="-" if undetermined else "-|>",
            mutation_scale=14, shrinkA=22, shrinkB=22, connectionstyle="arc3,rad=0.08",
            linewidth=1.0 + 4.0 * float(np.nan_to_num(edge.containment_derived)),
            linestyle="--" if undetermined else "-", color="#555555" if undetermined else "#222222")
        ax.add_patch(arrow)
        (x0, y0), (x1, y1) = position[edge.source], position[edge.derived]
        ax.text((x0 + x1) / 2, (y0 + y1) / 2,
                f"{edge.relation.replace('_', ' ')}"
                + (" (reworded)" if getattr(edge, "basis", "") == "reworded" else "")
                + f"\nconf. {edge.confidence:.2f}",
                ha="center", va="center", fontsize=7,
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none",
                      "alpha": 0.8})
    for doc_id in ids:
        x, y = position[doc_id]
        ax.scatter([x], [y], s=260, color=colors[labels[doc_id]], zorder=3)
        # labels beside the node, on the outer side, so they do not cover it or each other
        ax.text(1.15 * x, 1.15 * y, labels[doc_id], fontsize=9 if len(ids) <= MAX_COLUMNS else 7,
                ha="center" if abs(x) < 0.2 else ("left" if x > 0 else "right"),
                va="bottom" if y > 0.9 else ("top" if y < -0.9 else "center"))
    ax.set_xlim(-2.2, 2.2)
    ax.set_ylim(-1.5, 1.5)
    ax.set_aspect("equal")
    ax.axis("off")
    title = "Derivation graph: arrow from likely source to derived text"
    if edges.empty:
        title += "\n(no related pairs)"
    elif left_out:
        title += f"\n({left_out} documents without a related pair not shown)"
    ax.set_title(title)
    return fig


def _diff_html(text_a: str, text_b: str) -> tuple[str, str]:
    """Both texts escaped, words that differ wrapped in <del> (a) and <ins> (b)."""
    words_a = list(WORD_RE.finditer(text_a))
    words_b = list(WORD_RE.finditer(text_b))
    matcher = difflib.SequenceMatcher(
        a=[normalise_word(m.group()) for m in words_a],
        b=[normalise_word(m.group()) for m in words_b], autojunk=False)
    differing_a, differing_b = set(), set()
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag != "equal":
            differing_a.update(range(a0, a1))
            differing_b.update(range(b0, b1))

    def render(text, words, differing, tag):
        out, cursor = [], 0
        for k, match in enumerate(words):
            out.append(html.escape(text[cursor:match.start()]))
            word = html.escape(match.group())
            out.append(f"<{tag}>{word}</{tag}>" if k in differing else word)
            cursor = match.end()
        out.append(html.escape(text[cursor:]))
        return "".join(out)

    return render(text_a, words_a, differing_a, "del"), render(text_b, words_b, differing_b, "ins")


_STYLE = ("<style>.pxo table{border-collapse:collapse;width:100%;font:13px/1.4 sans-serif}"
          ".pxo td,.pxo th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;width:44%}"
          ".pxo th.k,.pxo td.k{width:12%;color:#555}"
          ".pxo del{background:#fdd;text-decoration:line-through}"
          ".pxo ins{background:#dfd;text-decoration:none}</style>")


def side_by_side_html(docs: pd.DataFrame, passages: pd.DataFrame,
                      alignment: pd.DataFrame | None, pair: tuple[str, str],
                      max_rows: int = 30) -> str:
    """HTML table of the passages and aligned sentences shared by one pair.

    Article text is escaped; words that differ are marked ``<del>`` (in a) and
    ``<ins>`` (in b). No scripts; inline CSS only.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``).
    passages : pandas.DataFrame
        Output of :func:`analysis.overlap.shared_passages`.
    alignment : pandas.DataFrame or None
        Sentence alignment (doc_a, sent_a, text_a, doc_b, text_b, kind); rows
        of kind ``none`` are skipped.
    pair : tuple of str
        ``(doc_a, doc_b)`` doc_ids.
    max_rows : int
        Largest number of rows shown (passages first, longest first).

    Returns
    -------
    str
        A ``<div>`` holding an inline ``<style>`` and the table: one row per
        passage or aligned sentence (match kind, text of a, text of b).
    """
    labels = _labels(docs)
    doc_a, doc_b = pair
    for doc_id in pair:
        if doc_id not in labels:
            raise ValueError(f"pair names a document not in docs: {doc_id!r}")
    rows = []
    forward = passages[(passages["doc_a"] == doc_a) & (passages["doc_b"] == doc_b)]
    backward = passages[(passages["doc_a"] == doc_b) & (passages["doc_b"] == doc_a)]
    shown = pd.concat([
        forward[["start_a", "text_a", "text_b", "kind", "n_words"]],
        backward.rename(columns={"text_a": "text_b", "text_b": "text_a",
                                 "start_a": "start_b", "start_b": "start_a"})
        [["start_a", "text_a", "text_b", "kind", "n_words"]]])
    shown = shown.sort_values(["n_words", "start_a"], ascending=[False, True], kind="stable")
    for item in shown.itertuples(index=False):
        rows.append((f"passage ({item.kind})", item.text_a, item.text_b))
    if alignment is not None and len(alignment):
        aligned = alignment[(alignment["doc_a"] == doc_a) & (alignment["doc_b"] == doc_b)
                            & (alignment["kind"] != "none")].sort_values("sent_a", kind="stable")
        for item in aligned.itertuples(index=False):
            rows.append((f"sentence ({item.kind.replace('_', ' ')})", item.text_a, item.text_b))
    body = []
    for kind, text_a, text_b in rows[:max_rows]:
        marked_a, marked_b = _diff_html(str(text_a), str(text_b))
        body.append(f"<tr><td class=\"k\">{html.escape(kind)}</td><td>{marked_a}</td>"
                    f"<td>{marked_b}</td></tr>")
    if not body:
        body.append("<tr><td class=\"k\"></td><td colspan=\"2\">No shared passages or "
                    "aligned sentences.</td></tr>")
    more = len(rows) - max_rows
    caption = (f"{html.escape(labels[doc_a])} vs {html.escape(labels[doc_b])}"
               + (f" ({more} more rows not shown)" if more > 0 else ""))
    return (f"<div class=\"pxo\">{_STYLE}<table><caption>{caption}</caption>"
            f"<tr><th class=\"k\">match</th><th>{html.escape(labels[doc_a])}</th>"
            f"<th>{html.escape(labels[doc_b])}</th></tr>{''.join(body)}</table></div>")
