"""Figures of the quotes section: who is quoted where."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.corpus.cleaning import document_labels
from analysis.figures import SEQUENTIAL_CMAP, kit_style, new_figure
from analysis.figures.layout import DARK_CELL_SHARE, row_font_size, short_label


@kit_style
def plot_quotes_by_outlet(quotes: pd.DataFrame, docs: pd.DataFrame, max_speakers: int = 15):
    """Heatmap of quotation counts: outlets (rows) by speaker (columns).

    Parameters
    ----------
    quotes : pandas.DataFrame
        Output of :func:`analysis.statements.quotes.extract_quotes` (``doc_id``,
        ``speaker``; only ``kind == "quote"`` rows count when ``kind`` is given).
    docs : pandas.DataFrame
        Corpus table (``doc_id``, optional ``label``), for row order and names.
    max_speakers : int
        The most quoted speakers shown (``"unknown"`` is added last).

    Returns
    -------
    matplotlib.figure.Figure
        Cells annotated with their counts; a note when there is no quotation.
    """
    labels = document_labels(docs)
    rows = [labels[d] for d in docs["doc_id"].astype(str)]
    q = quotes[quotes["kind"] == "quote"] if "kind" in quotes.columns else quotes
    counts = (pd.crosstab(q["doc_id"].map(labels), q["speaker"])
              if not q.empty else pd.DataFrame())
    counts = counts.reindex(index=rows, fill_value=0)
    totals = counts.sum(axis=0).sort_values(ascending=False, kind="stable")
    speakers = [s for s in totals.index if s != "unknown"][:max_speakers]
    if "unknown" in totals.index:
        speakers.append("unknown")
    counts = counts.reindex(columns=speakers, fill_value=0)
    wanted = max(2.5, 1.4 + 0.45 * len(rows))
    fig = new_figure(width=max(5.0, 1.0 + 0.55 * len(speakers)), height=wanted)
    ax = fig.add_subplot()
    if counts.size == 0 or counts.to_numpy().sum() == 0:
        ax.text(0.5, 0.5, "No quotations found", ha="center", va="center")
        ax.set_axis_off()
        return fig
    data = counts.to_numpy()
    image = ax.imshow(data, cmap=SEQUENTIAL_CMAP, aspect="auto", vmin=0)
    for (i, j), value in np.ndenumerate(data):
        if value:
            ax.text(j, i, str(value), ha="center", va="center",
                    color="white" if value < data.max() * DARK_CELL_SHARE else "black")
    ax.set_xticks(range(len(speakers)), [short_label(s, 28) for s in speakers], rotation=45, ha="right")
    ax.set_yticks(range(len(rows)), rows, **row_font_size(len(rows), wanted))
    ax.set_xlabel("Speaker")
    ax.set_ylabel("Outlet")
    ax.set_title("Who is quoted by whom (direct quotations)")
    fig.colorbar(image, ax=ax, label="Quotations")
    return fig


#: Caption of the quotes figure: one row per document, and per outlet group (above
#: :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS` documents).
CAPTION = "Who is quoted by whom: number of direct quotations of each speaker in each outlet."
OUTLET_CAPTION = ("Who is quoted by whom: number of direct quotations of each speaker in all of each outlet's "
                  "articles. Every quotation is in tables/quotes.csv.")


def report_figures(quotes: pd.DataFrame, docs: pd.DataFrame) -> list:
    """The quotes section's figure (``fig-08-quotes-by-outlet``) with caption and alt text.

    Rows are documents up to :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS`
    documents, outlet groups (:mod:`analysis.corpus.outlets`) above.
    """
    from analysis.figures import ReportFigure
    from analysis.figures.layout import drawn_rows
    from analysis.report import narrative

    drawn = drawn_rows(docs, quotes)
    (quotes,) = drawn.tables
    return [ReportFigure(plot_quotes_by_outlet(quotes, drawn.docs), "fig-08-quotes-by-outlet",
                         OUTLET_CAPTION if drawn.by_outlet else CAPTION, narrative.quotes_alt_text(quotes))]
