"""Figures of the numbers section: which claims the outlets agree on."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from analysis.corpus.cleaning import document_labels
from analysis.figures import PALETTE, kit_style, new_figure
from analysis.figures.layout import MAX_COLUMNS, capped_width, row_font_size, short_label, tick_font_size
from analysis.statements.number_claims import claims_by_conflicts

#: Cell states of the claims matrix, in colour order.
CLAIM_STATES = ("absent", "agree", "different_scope", "different_description", "different_value")
_STATE_COLORS = ("#FFFFFF", PALETTE[2], PALETTE[3], PALETTE[1], PALETTE[4])
_STATE_MARKS = {"absent": "", "agree": "agree", "different_scope": "scope",
                "different_description": "descr.", "different_value": "value"}


#: Most claims (rows) the claims matrix draws: those with the most conflicting
#: renderings, then the first in the table (number_claims.csv has them all).
#: Set by hand: 40 rows fit a page-high figure at 9 points.
MAX_CLAIM_ROWS = 40


def top_claims(conflicts: pd.DataFrame, n: int = MAX_CLAIM_ROWS) -> list:
    """The first ``n`` claims of :func:`claims_by_conflicts`, in table order."""
    claims = list(dict.fromkeys(conflicts["group_id"])) if not conflicts.empty else []
    if len(claims) <= n:
        return claims
    chosen = set(claims_by_conflicts(conflicts)[:n])
    return [g for g in claims if g in chosen]


@kit_style
def plot_claims_matrix(conflicts: pd.DataFrame, docs: pd.DataFrame, max_claims: int = MAX_CLAIM_ROWS):
    """Claims (rows) by outlet (columns), each cell marked agree or its conflict type.

    Parameters
    ----------
    conflicts : pandas.DataFrame
        Output of :func:`analysis.statements.number_claims.number_conflicts`. A document with
        several mentions of a claim shows its worst state (value > description
        > scope > agree).
    docs : pandas.DataFrame
        Corpus table (``doc_id``, optional ``label``), for column order and names.
    max_claims : int
        Rows drawn (:func:`top_claims`); the title counts the others.

    Returns
    -------
    matplotlib.figure.Figure
        One coloured cell per (claim, outlet), annotated with its state when
        there are at most :data:`analysis.figures.layout.MAX_COLUMNS` outlets
        (the figure's width is capped, so more outlets make narrower cells),
        blank where the outlet does not state the claim; a note when no claim
        is shared.
    """
    labels = document_labels(docs)
    columns = [labels[d] for d in docs["doc_id"].astype(str)]
    every_claim = conflicts["group_id"].nunique() if not conflicts.empty else 0
    claims = top_claims(conflicts, max_claims)
    conflicts = conflicts[conflicts["group_id"].isin(claims)] if claims else conflicts
    names = (conflicts.drop_duplicates("group_id").set_index("group_id")["claim"]
             if not conflicts.empty else pd.Series(dtype=str))
    grid = np.zeros((len(claims), len(columns)), dtype=int)
    for _, row in conflicts.iterrows():
        i = claims.index(row["group_id"])
        j = columns.index(labels.get(str(row["doc_id"]), str(row["doc_id"])))
        grid[i, j] = max(grid[i, j], CLAIM_STATES.index(row["conflict"]))
    wanted = max(2.5, 1.5 + 0.4 * len(claims) + (1.0 if len(columns) > MAX_COLUMNS else 0.0))
    fig = new_figure(width=capped_width(2.5, 1.0, len(columns)), height=wanted)
    # Past MAX_COLUMNS outlets a cell is too narrow for its word: the colour and legend say it.
    marked = len(columns) <= MAX_COLUMNS
    ax = fig.add_subplot()
    if not claims:
        ax.text(0.5, 0.5, "No figure is shared by two outlets", ha="center", va="center")
        ax.set_axis_off()
        return fig
    ax.imshow(grid, cmap=ListedColormap(_STATE_COLORS), vmin=0, vmax=len(CLAIM_STATES) - 1,
              aspect="auto")
    for (i, j), state in np.ndenumerate(grid):
        if marked:
            ax.text(j, i, _STATE_MARKS[CLAIM_STATES[state]], ha="center", va="center", fontsize=8)
    ax.set_xticks(range(len(columns)), [short_label(c, 20) for c in columns],
                  rotation=30 if marked else 90, ha="right" if marked else "center",
                  fontsize=tick_font_size(len(columns), 0.6 * fig.get_size_inches()[0]))
    ax.set_yticks(range(len(claims)), [f"{g}: {short_label(str(names[g]), 40)}" for g in claims],
                  **row_font_size(len(claims), wanted))
    ax.set_xticks(np.arange(-0.5, len(columns)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(claims)), minor=True)
    ax.grid(which="minor", color="#BBBBBB", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xlabel("Outlet")
    ax.set_ylabel("Claim")
    more = every_claim - len(claims)
    ax.set_title("Numeric claims across outlets (blank: not stated)"
                 + (f"\n({len(claims)} with the most conflicts; {more:,} more in tables/number_conflicts.csv)"
                    if more > 0 else ""))
    handles = [Patch(facecolor=c, edgecolor="#888888", label=s.replace("_", " "))
               for s, c in zip(CLAIM_STATES[1:], _STATE_COLORS[1:])]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return fig


#: Caption of the claims matrix: one column per document, and per outlet group
#: (above :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS` documents).
CAPTION = "Claims (rows) by outlet (columns): agreement or the kind of conflict of each outlet's rendering."
OUTLET_CAPTION = ("Claims (rows) by outlet (columns): the worst state of the outlet's renderings (value, then "
                  "description, scope, agreement), for the claims with the most conflicts. Every rendering is in "
                  "tables/number_conflicts.csv.")


def report_figures(result: dict[str, pd.DataFrame], docs: pd.DataFrame) -> list:
    """The numbers section's figure (``fig-09-claims-matrix``); none when no claim is shared.

    Columns are documents up to :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS`
    documents, outlet groups (:mod:`analysis.corpus.outlets`) above.
    """
    from analysis.figures import ReportFigure
    from analysis.figures.layout import drawn_rows
    from analysis.report import narrative

    if result["number_claims"].empty:
        return []
    drawn = drawn_rows(docs, result["number_conflicts"])
    (conflicts,) = drawn.tables
    return [ReportFigure(plot_claims_matrix(conflicts, drawn.docs), "fig-09-claims-matrix",
                         OUTLET_CAPTION if drawn.by_outlet else CAPTION,
                         narrative.claims_alt_text(result["number_claims"]))]
