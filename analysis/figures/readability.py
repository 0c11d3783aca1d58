"""Figures for the readability section: grade levels per outlet, paragraph spread."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.tables import require_columns
from analysis.figures import kit_style, new_figure, outlet_colors, text_color
from analysis.figures.layout import row_font_size

#: Display names and marker shapes of the grade-level formulas, in plot order.
GRADE_FORMULA_STYLE = {
    "flesch_kincaid_grade": ("Flesch–Kincaid", "o"),
    "gunning_fog": ("Gunning fog", "s"),
    "smog_index": ("SMOG", "^"),
    "coleman_liau_index": ("Coleman–Liau", "v"),
    "automated_readability_index": ("ARI", "D"),
    "linsear_write_formula": ("Linsear Write", "P"),
}


@kit_style
def plot_readability_grades(table: pd.DataFrame) -> Figure:
    """Dot plot: each outlet's grade level by every grade formula, consensus marked.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`analysis.measures.readability.readability_table` (needs
        ``label``, the grade-formula columns and ``text_standard_grade``).

    Returns
    -------
    matplotlib.figure.Figure
        One row per outlet (in table order, top to bottom): a line spanning the
        formulas' range in the outlet's colour, one grey marker per formula and
        a black bar at textstat's consensus grade. Outlets with no scorable
        text say so instead.
    """
    require_columns(table, ["label", "text_standard_grade", *GRADE_FORMULA_STYLE])
    labels = table["label"].astype(str).tolist()
    colors = outlet_colors(labels)
    wanted = 1.6 + 0.45 * max(len(labels), 1)
    fig = new_figure(6.4, wanted)
    ax = fig.add_subplot()
    y_positions = np.arange(len(labels))[::-1]
    for y, (_, row) in zip(y_positions, table.iterrows()):
        grades = [row[c] for c in GRADE_FORMULA_STYLE if not pd.isna(row[c])]
        if not grades:
            ax.text(0.0, y, "no scorable text", va="center", ha="left", color="0.4",
                    transform=ax.get_yaxis_transform())
            continue
        ax.hlines(y, min(grades), max(grades), color=colors[str(row["label"])], linewidth=3, alpha=0.6)
    for column, (name, marker) in GRADE_FORMULA_STYLE.items():
        ax.scatter(table[column], y_positions, marker=marker, s=28, color="0.35",
                   edgecolor="white", linewidth=0.5, zorder=3, label=name)
    ax.scatter(table["text_standard_grade"], y_positions, marker="|", s=260, linewidth=2.5,
               color="black", zorder=4, label="consensus")
    ax.set_yticks(y_positions, labels, **row_font_size(len(labels), wanted))
    for tick, label in zip(ax.get_yticklabels(), labels):
        tick.set_color(text_color(colors[label]))
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.set_xlabel("US school grade level (higher = harder to read)")
    ax.set_title("Reading grade level per outlet, by formula")
    ax.grid(axis="x", color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)
    fig.legend(loc="outside lower center", ncol=4, frameon=False, fontsize=8)
    return fig


@kit_style
def plot_paragraph_distribution(paragraph_table: pd.DataFrame, *, seed: int = 0) -> Figure:
    """Per-outlet box plot of paragraph Flesch–Kincaid grades, paragraphs as dots.

    Parameters
    ----------
    paragraph_table : pandas.DataFrame
        Output of :func:`analysis.measures.paragraph_readability.paragraph_readability` (needs
        ``label`` and ``flesch_kincaid_grade``; NaN rows, i.e. headings and
        short paragraphs, are left out and the number scored is shown).
    seed : int
        Seed of the vertical jitter of the dots (fixed, so re-runs are identical).

    Returns
    -------
    matplotlib.figure.Figure
        One box per outlet (in order of first appearance, top to bottom) with
        its scored paragraphs as jittered dots; the tick label gives the count.
    """
    require_columns(paragraph_table, ["label", "flesch_kincaid_grade"])
    labels = list(dict.fromkeys(paragraph_table["label"].astype(str)))
    colors = outlet_colors(labels)
    rng = np.random.default_rng(seed)
    wanted = 1.2 + 0.55 * max(len(labels), 1)
    fig = new_figure(6.4, wanted)
    ax = fig.add_subplot()
    y_positions = np.arange(len(labels))[::-1]
    tick_labels = []
    for y, label in zip(y_positions, labels):
        grades = paragraph_table.loc[paragraph_table["label"].astype(str) == label,
                                     "flesch_kincaid_grade"].dropna().to_numpy(dtype=float)
        tick_labels.append(f"{label}\n(n={len(grades)} paragraphs)")
        if len(grades) == 0:
            continue
        box = ax.boxplot(grades, positions=[y], orientation="horizontal", widths=0.55,
                         showfliers=False, patch_artist=True, manage_ticks=False)
        for patch in box["boxes"]:
            patch.set(facecolor=colors[label], alpha=0.25, edgecolor=colors[label])
        for part in ("whiskers", "caps", "medians"):
            for line in box[part]:
                line.set(color=colors[label], linewidth=1.2)
        jitter = rng.uniform(-0.15, 0.15, size=len(grades))
        ax.scatter(grades, y + jitter, s=12, color=colors[label], alpha=0.8, zorder=3,
                   edgecolor="white", linewidth=0.3)
    ax.set_yticks(y_positions, tick_labels, **row_font_size(2 * len(labels), wanted))  # two lines per label
    for tick, label in zip(ax.get_yticklabels(), labels):
        tick.set_color(text_color(colors[label]))
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.set_xlabel("Flesch–Kincaid grade of each paragraph\n"
                  "(dots: paragraphs; box: middle half; line: median)")
    ax.set_title("Paragraph reading grade per outlet")
    ax.grid(axis="x", color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)
    return fig


@kit_style
def plot_grades_by_outlet(table: pd.DataFrame, column: str, title: str, xlabel: str, unit: str = "documents",
                          order: list[str] | None = None) -> Figure:
    """Per-outlet box plot of a grade column (a corpus too large for one row per document).

    Parameters
    ----------
    table : pandas.DataFrame
        Rows with ``label`` (the outlet group, :func:`analysis.corpus.outlets.by_outlet`)
        and ``column``; NaN rows are left out.
    column, title, xlabel : str
        The grade shown, the title and the x axis label.
    unit : str
        What a row is, for the count in each tick label ("documents", "paragraphs").
    order : list of str, optional
        Groups top to bottom (:func:`analysis.corpus.outlets.outlet_groups`);
        default: order of first appearance.

    Returns
    -------
    matplotlib.figure.Figure
        One box per group (top to bottom: middle
        half, median, whiskers to 1.5 IQR, no single points), its count in the label.
    """
    require_columns(table, ["label", column])
    labels = list(order) if order is not None else list(dict.fromkeys(table["label"].astype(str)))
    colors = outlet_colors(labels)
    wanted = 1.4 + 0.45 * max(len(labels), 1)
    fig = new_figure(6.4, wanted)
    ax = fig.add_subplot()
    y_positions = np.arange(len(labels))[::-1]
    grouped = {label: values.dropna().to_numpy(dtype=float)
               for label, values in table.groupby(table["label"].astype(str), sort=False)[column]}
    for y, label in zip(y_positions, labels):
        grades = grouped.get(label, np.array([]))
        if len(grades) == 0:
            continue
        box = ax.boxplot(grades, positions=[y], orientation="horizontal", widths=0.55, showfliers=False,
                         patch_artist=True, manage_ticks=False)
        for patch in box["boxes"]:
            patch.set(facecolor=colors[label], alpha=0.35, edgecolor=text_color(colors[label]))
        for part in ("whiskers", "caps", "medians"):
            for line in box[part]:
                line.set(color=text_color(colors[label]), linewidth=1.2)
    ax.set_yticks(y_positions, [f"{label} (n={len(grouped.get(label, [])):,} {unit})" for label in labels],
                  **row_font_size(len(labels), wanted))
    ax.set_ylim(-0.7, len(labels) - 0.3)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.grid(axis="x", color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)
    return fig


#: Caption of each readability figure, by id: one row per document (up to
#: :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS`) and by outlet (above).
CAPTIONS = {
    "fig-01-readability": "Grade level of each outlet's text by six textstat formulas; the coloured bar spans the "
                          "formulas, the black tick marks textstat's consensus grade. Lower is easier to read.",
    "fig-02-readability-paragraphs": "Flesch-Kincaid grade of each paragraph (10 words or more), per outlet: how "
                                     "evenly hard each text is.",
}
OUTLET_CAPTIONS = {
    "fig-01-readability": "Distribution of textstat's consensus grade over each outlet's articles (box: middle "
                          "half; line: median; whiskers: 1.5 times the box). Lower is easier to read. Every "
                          "document's scores are in tables/readability.csv.",
    "fig-02-readability-paragraphs": "Distribution of the Flesch-Kincaid grade of the paragraphs (10 words or "
                                     "more) of each outlet's articles. Every paragraph is in "
                                     "tables/readability_paragraphs.csv.",
}


def report_figures(result: dict[str, pd.DataFrame], docs: pd.DataFrame) -> list:
    """The readability section's figures with their ids, captions and alt texts, in report order.

    Parameters
    ----------
    result : dict of str to pandas.DataFrame
        :func:`analysis.report.pipeline.readability_tables` output.
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``, ``outlet``).

    Returns
    -------
    list of analysis.figures.ReportFigure
        ``fig-01-readability`` and ``fig-02-readability-paragraphs``: one row
        per document up to :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS`
        documents, one box per outlet group above (:data:`OUTLET_CAPTIONS`).
    """
    from analysis.figures import ReportFigure
    from analysis.figures.layout import drawn_rows
    from analysis.report import narrative, narrative_outlets

    drawn = drawn_rows(docs, result["readability"], result["readability_paragraphs"])
    scores, paragraphs = drawn.tables
    if not drawn.by_outlet:
        return [ReportFigure(plot_readability_grades(scores), "fig-01-readability", CAPTIONS["fig-01-readability"],
                             narrative.readability_alt_text(scores)),
                ReportFigure(plot_paragraph_distribution(paragraphs), "fig-02-readability-paragraphs",
                             CAPTIONS["fig-02-readability-paragraphs"], narrative.paragraph_grades_alt_text(paragraphs))]
    grade = "US school grade level (higher = harder to read)"
    order = drawn.docs["label"].tolist()
    return [ReportFigure(plot_grades_by_outlet(scores, "text_standard_grade", "Consensus reading grade per outlet",
                                               grade, order=order),
                         "fig-01-readability", OUTLET_CAPTIONS["fig-01-readability"],
                         narrative_outlets.grades_by_outlet_alt_text(scores, "text_standard_grade",
                                                                     "consensus grade")),
            ReportFigure(plot_grades_by_outlet(paragraphs, "flesch_kincaid_grade", "Paragraph reading grade per outlet",
                                               "Flesch–Kincaid grade of each paragraph", unit="paragraphs",
                                               order=order),
                         "fig-02-readability-paragraphs", OUTLET_CAPTIONS["fig-02-readability-paragraphs"],
                         narrative_outlets.grades_by_outlet_alt_text(paragraphs, "flesch_kincaid_grade",
                                                                     "paragraph Flesch-Kincaid grade"))]
