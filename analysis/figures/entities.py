"""Figures for the entities section: who and what each outlet names."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from analysis.figures import PALETTE, SEQUENTIAL_CMAP, kit_style, new_figure, outlet_colors
from analysis.corpus.cleaning import document_labels
from analysis.figures.layout import MAX_COLUMNS, capped_width, row_font_size, tick_font_size

#: Most bars drawn in :func:`plot_unique_entities` (fewer per outlet when there are many outlets).
MAX_UNIQUE_BARS = 60


@kit_style
def plot_entity_heatmap(entities: pd.DataFrame, docs: pd.DataFrame, top_n: int = 20) -> Figure:
    """Heatmap of the most-named entities (rows) by outlet (columns), per 1,000 words.

    Parameters
    ----------
    entities : pandas.DataFrame
        ``entities.csv`` (:func:`analysis.measures.entities.entity_table`).
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``), for column order and names.
    top_n : int
        Number of entities shown, ranked by total mentions across the corpus.

    Returns
    -------
    matplotlib.figure.Figure
        Outlets in corpus order as columns (as rows when there are more than
        :data:`analysis.figures.layout.MAX_COLUMNS`, so the figure grows
        down, not sideways), each cell annotated with its rate;
        a "No entities found" note when ``entities`` is empty.

    Raises
    ------
    ValueError
        If ``docs`` lacks ``doc_id``/``label`` or ``top_n`` is below 1.
    """
    label_of = document_labels(docs)
    outlets = list(label_of.values())
    if top_n < 1:
        raise ValueError(f"top_n must be at least 1, not {top_n}")
    totals = entities.groupby("entity")["mentions"].sum()
    top = sorted(totals.index, key=lambda e: (-totals[e], e))[:top_n]
    grid = (entities[entities["entity"].isin(top)]
            .assign(outlet=lambda t: t["doc_id"].map(label_of))
            .pivot_table(index="entity", columns="outlet", values="mentions_per_1k_words",
                         aggfunc="sum", fill_value=0.0)
            .reindex(index=top, columns=outlets, fill_value=0.0))
    # Up to MAX_COLUMNS outlets read across; more become rows so the figure grows down, not sideways.
    outlets_as_rows = len(outlets) > MAX_COLUMNS
    if outlets_as_rows:
        grid = grid.T
    row_names, column_names = list(grid.index), list(grid.columns)
    fig = new_figure(width=capped_width(3.0 + (1.5 if outlets_as_rows else 0.0), 0.55 if outlets_as_rows else 1.1,
                                        len(column_names)),
                     height=(wanted := max(3.0, 0.3 * len(row_names) + 2.0)))
    ax = fig.add_subplot()
    if grid.empty:
        ax.text(0.5, 0.5, "No entities found", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    values = grid.to_numpy(dtype=float)
    image = ax.imshow(values, cmap=SEQUENTIAL_CMAP, aspect="auto")
    width = fig.get_size_inches()[0]
    ax.set_xticks(range(len(column_names)), column_names, rotation=30 if len(column_names) <= MAX_COLUMNS else 60,
                  ha="right", fontsize=tick_font_size(len(column_names), 0.7 * width))
    ax.set_yticks(range(len(row_names)), row_names, **row_font_size(len(row_names), wanted))
    threshold = values.max() / 2 if values.size else 0
    for (row, col), value in np.ndenumerate(values):
        if value > 0:
            ax.text(col, row, f"{value:.1f}", ha="center", va="center", fontsize=7,
                    color="black" if value > threshold else "white")
    ax.set_xlabel("Entity" if outlets_as_rows else "Outlet")
    if outlets_as_rows:
        ax.set_ylabel("Outlet")
    ax.set_title(f"Top {len(top)} entities: mentions per 1,000 words")
    fig.colorbar(image, ax=ax, label="mentions per 1,000 words")
    return fig


@kit_style
def plot_unique_entities(entities: pd.DataFrame, docs: pd.DataFrame, top_n: int = 10) -> Figure:
    """Entities that only one outlet names, grouped by that outlet (bar length = mentions).

    Parameters
    ----------
    entities : pandas.DataFrame
        ``entities.csv``.
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``).
    top_n : int
        Most-mentioned unique entities shown per outlet.

    Returns
    -------
    matplotlib.figure.Figure
        Horizontal bars coloured by outlet, labelled "<entity> (<entity type>)"
        (prefixed "<outlet>: " when there are more outlets than palette
        colours, and then without a legend); at most :data:`MAX_UNIQUE_BARS`
        bars, so ``top_n`` per outlet shrinks when many outlets have unique
        entities; a note when every entity is named by more than one outlet.
    """
    label_of = document_labels(docs)
    outlets = list(label_of.values())
    colors = outlet_colors(outlets)
    named_by = entities.groupby("entity")["doc_id"].nunique()
    unique = entities[entities["entity"].map(named_by) == 1].assign(
        outlet=lambda t: t["doc_id"].map(label_of))
    with_unique = [o for o in outlets if (unique["outlet"] == o).any()]
    per_outlet = max(1, min(top_n, MAX_UNIQUE_BARS // max(len(with_unique), 1)))
    rows = []
    for outlet in with_unique:
        mine = unique[unique["outlet"] == outlet].sort_values(
            ["mentions", "entity"], ascending=[False, True]).head(per_outlet)
        rows.extend((outlet, e, n, lab) for e, n, lab in
                    zip(mine["entity"], mine["mentions"], mine["entity_type"]))
    # Beyond the palette colours repeat, so a colour legend could not tell outlets apart:
    # name the outlet on every bar instead.
    named_bars = len(with_unique) > len(PALETTE)
    wanted = max(2.5, 0.28 * len(rows) + 1.5)
    fig = new_figure(width=7.5, height=wanted)
    ax = fig.add_subplot()
    if not rows:
        ax.text(0.5, 0.5, "Every entity is named by more than one outlet", ha="center",
                va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    positions = np.arange(len(rows))[::-1]
    ax.barh(positions, [r[2] for r in rows], color=[colors[r[0]] for r in rows])
    ax.set_yticks(positions, [f"{r[0]}: {r[1]} ({r[3]})" if named_bars else f"{r[1]} ({r[3]})" for r in rows],
                  **row_font_size(len(rows), wanted))
    ax.set_xlabel("Mentions in the body")
    ax.xaxis.get_major_locator().set_params(integer=True)
    if not named_bars:
        handles = [Patch(color=colors[o], label=o) for o in with_unique]
        ax.legend(handles=handles, title="Only named by", loc="upper left",
                  bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.set_title("Entities only one outlet names"
                 + (f" (at most {per_outlet} per outlet)" if per_outlet < top_n else ""))
    return fig


#: Caption of each entities figure, by id (``{top}``: the number of entities shown).
CAPTIONS = {
    "fig-03-entities-heatmap": "The {top} most named entities (rows) by outlet (columns), in mentions per 1,000 words "
                               "of body text, after merging aliases.",
    "fig-04-entities-unique": "Entities only one outlet names, per outlet (most mentioned first).",
}
#: Captions above :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS` documents (same ids, outlet groups drawn).
OUTLET_CAPTIONS = {
    "fig-03-entities-heatmap": "The {top} most named entities by outlet: mentions per 1,000 words of body text, "
                               "averaged over all of the outlet's articles, after merging aliases. Every document's "
                               "counts are in tables/entities.csv.",
    "fig-04-entities-unique": "Entities only one outlet names, per outlet (most mentioned first; outlets pooled as "
                              "in the heatmap).",
}


def report_figures(entities: pd.DataFrame, docs: pd.DataFrame, top_n: int, cross_source: bool = True) -> list:
    """The entities section's figures with their ids, captions and alt texts, in report order.

    Parameters
    ----------
    entities : pandas.DataFrame
        ``entities.csv``.
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``, ``outlet``).
    top_n : int
        Entities in the heatmap (the report's ``top_entities`` parameter).
    cross_source : bool
        Whether the corpus can be compared across outlets (at least two
        documents): the unique-entities figure needs it.

    Returns
    -------
    list of analysis.figures.ReportFigure
        ``fig-03-entities-heatmap`` (and ``fig-04-entities-unique``): one column
        (or row) per document up to :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS`
        documents, per outlet group above.
    """
    from analysis.corpus.outlets import sum_by_outlet
    from analysis.figures import ReportFigure
    from analysis.figures.layout import drawn_rows
    from analysis.report import narrative

    drawn = drawn_rows(docs, entities, aggregate=lambda table, corpus: sum_by_outlet(
        table, corpus, ["entity", "entity_type"], summed=["mentions"], averaged=["mentions_per_1k_words"]))
    (entities,), docs = drawn.tables, drawn.docs
    captions = OUTLET_CAPTIONS if drawn.by_outlet else CAPTIONS
    figures = [ReportFigure(plot_entity_heatmap(entities, docs, top_n=top_n), "fig-03-entities-heatmap",
                            captions["fig-03-entities-heatmap"].format(top=top_n),
                            narrative.entity_mentions_alt_text(entities))]
    if cross_source:
        figures.append(ReportFigure(plot_unique_entities(entities, docs), "fig-04-entities-unique",
                                    captions["fig-04-entities-unique"],
                                    narrative.unique_entities_alt_text(entities, docs)))
    return figures
