"""The overlap section's figures for a large corpus: outlets, stories and top-N pairs.

Above :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS` documents,
:func:`analysis.figures.overlap.report_figures` draws these under the same ids
as the per-document figures: the outlet x outlet reuse heatmaps
(:func:`plot_outlet_heatmap`, from :func:`analysis.overlap.aggregate.outlet_reuse`),
the strongest derivation edges (:func:`plot_top_edges`) and the largest stories
by outlet (:func:`plot_stories_by_outlet`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import PercentFormatter

from analysis.corpus.cleaning import document_labels
from analysis.figures import kit_style, new_figure, outlet_colors
from analysis.figures.layout import short_label, tick_font_size
from analysis.figures.share_heatmap import draw_share_heatmap

#: Derivation edges drawn by :func:`plot_top_edges` (the strongest; derivation.csv has them all).
#: Set by hand: 30 bars with one-line labels fill a page-high figure at 9 points.
TOP_EDGES_SHOWN = 30
#: Stories drawn by :func:`plot_stories_by_outlet` (the largest; stories.csv has them all).
TOP_STORIES_SHOWN = 30
#: Characters of a bar label (a label is cut with an ellipsis, keeping a disambiguating doc_id).
BAR_LABEL_WIDTH = 34
#: Colour of each relation basis in :func:`plot_top_edges` (the legend names them).
BASIS_COLORS = {"identical": ("identical text", "#000000"), "reworded": ("reworded copy", "#E69F00"),
                "shared_text": ("copied wording", "#0072B2")}

#: Title of each outlet heatmap (the caption says how a cell is computed).
OUTLET_HEATMAP_VALUES = {"lexical_containment": "Lexical containment by outlet\n(mean over the row outlet's articles)",
                         "semantic_coverage": "Semantic coverage by outlet\n(mean over the row outlet's articles)"}


@kit_style
def plot_outlet_heatmap(reuse: pd.DataFrame, value: str = "lexical_containment") -> Figure:
    """Outlet x outlet heatmap of :func:`analysis.overlap.aggregate.outlet_reuse`.

    Parameters
    ----------
    reuse : pandas.DataFrame
        ``outlet_a``, ``outlet_b`` and ``value``, one row per ordered pair of groups.
    value : {"lexical_containment", "semantic_coverage"}

    Returns
    -------
    matplotlib.figure.Figure
        Rows outlet a, columns outlet b, in the table's order; the colour scale
        runs from 0 to the largest cell (a corpus mean is small where few
        articles are compared), each cell printed when there are at most
        :data:`analysis.figures.layout.LABELLED_CELLS_MAX_ITEMS` outlets.
    """
    if value not in OUTLET_HEATMAP_VALUES:
        raise ValueError(f"value must be one of {sorted(OUTLET_HEATMAP_VALUES)}, got {value!r}")
    order = list(dict.fromkeys(reuse["outlet_a"]))
    matrix = (reuse.pivot(index="outlet_a", columns="outlet_b", values=value)
              .reindex(index=order, columns=order).to_numpy(dtype=float))
    top = float(np.nanmax(matrix)) if matrix.size and np.isfinite(matrix).any() else 0.0
    return draw_share_heatmap(matrix, [short_label(str(o), 28) for o in order], "outlet",
                              OUTLET_HEATMAP_VALUES[value], vmax=max(top, 0.01), min_size=5.0,
                              inches_per_item=0.45, tiny_as_under_1=True)


def _bar_label(text: str) -> str:
    return short_label(text, BAR_LABEL_WIDTH)


@kit_style
def plot_top_edges(edges: pd.DataFrame, docs: pd.DataFrame, top_n: int = TOP_EDGES_SHOWN) -> Figure:
    """The ``top_n`` strongest derivation edges as bars: "derived ← source", length = strength.

    Parameters
    ----------
    edges : pandas.DataFrame
        ``derivation.csv`` (``source``, ``derived``, ``strength``, ``basis``),
        strongest first.
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``).
    top_n : int
        Bars drawn; the title counts the others.

    Returns
    -------
    matplotlib.figure.Figure
        Bars coloured by basis (:data:`BASIS_COLORS`), strongest at the top.
    """
    labels = document_labels(docs)
    ranked = edges.sort_values("strength", ascending=False, kind="stable") if not edges.empty else edges
    shown = ranked.head(top_n)
    fig = new_figure(8.0, max(2.5, 1.6 + 0.3 * len(shown)))
    ax = fig.add_subplot()
    if shown.empty:
        ax.text(0.5, 0.5, "No derived pairs", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    positions = np.arange(len(shown))[::-1]
    bases = shown["basis"].astype(str) if "basis" in shown.columns else pd.Series(["shared_text"] * len(shown))
    colors = [BASIS_COLORS.get(b, BASIS_COLORS["shared_text"])[1] for b in bases]
    ax.barh(positions, shown["strength"].astype(float).fillna(0.0), color=colors)
    ax.set_yticks(positions, [f"{_bar_label(labels.get(str(d), str(d)))} \u2190 {_bar_label(labels.get(str(s), str(s)))}"
                              for d, s in zip(shown["derived"], shown["source"])],
                  fontsize=tick_font_size(len(shown), fig.get_size_inches()[1] - 1.6, 9.0))
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
    ax.set_xlabel("Share of the derived text found in the source")
    handles = [Patch(color=color, label=name) for key, (name, color) in BASIS_COLORS.items() if key in set(bases)]
    ax.legend(handles=handles, loc="lower right", frameon=False, fontsize=8)
    more = len(edges) - len(shown)
    ax.set_title(f"The {len(shown)} strongest derived pairs: derived \u2190 source"
                 + (f"\n({more:,} more in tables/derivation.csv)" if more > 0 else ""))
    return fig


@kit_style
def plot_stories_by_outlet(table: pd.DataFrame, top_n: int = TOP_STORIES_SHOWN) -> Figure:
    """The ``top_n`` largest stories as bars of documents, stacked by outlet group.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`analysis.overlap.aggregate.stories_by_outlet` (``story_id``,
        ``label``, ``outlet``, ``documents``), largest story first.
    top_n : int
        Stories drawn; the title counts the others.

    Returns
    -------
    matplotlib.figure.Figure
        One bar per story ("S00001: label"), one colour per outlet group.
    """
    stories = list(dict.fromkeys(table["story_id"]))
    shown = stories[:top_n]
    fig = new_figure(8.0, max(2.5, 1.8 + 0.3 * len(shown)))
    ax = fig.add_subplot()
    if not shown:
        ax.text(0.5, 0.5, "No stories", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    part = table[table["story_id"].isin(shown)]
    totals = table.groupby("outlet", sort=False)["documents"].sum()
    outlets = sorted(dict.fromkeys(part["outlet"]), key=lambda o: -totals[o])  # largest first, in every bar
    colors = outlet_colors(outlets)
    grid = (part.pivot_table(index="story_id", columns="outlet", values="documents", aggfunc="sum", fill_value=0)
            .reindex(index=shown, columns=outlets, fill_value=0))
    names = part.drop_duplicates("story_id").set_index("story_id")["label"]
    positions = np.arange(len(shown))[::-1]
    left = np.zeros(len(shown))
    for outlet in outlets:
        counts = grid[outlet].to_numpy(dtype=float)
        ax.barh(positions, counts, left=left, color=colors[outlet], label=outlet)
        left += counts
    ax.set_yticks(positions, [f"{s}: {short_label(str(names[s]), BAR_LABEL_WIDTH)}" for s in shown],
                  fontsize=tick_font_size(len(shown), fig.get_size_inches()[1] - 1.8, 9.0))
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("Documents")
    if len(outlets) > 1:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8, title="Outlet",
                  title_fontsize=8)
    more = len(stories) - len(shown)
    ax.set_title(f"The {len(shown)} largest stories by outlet"
                 + (f"\n({more:,} more in tables/stories.csv)" if more > 0 else ""))
    return fig
