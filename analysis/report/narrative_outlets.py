"""Alt texts of the aggregated figures (corpora above :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS`).

As :mod:`analysis.report.narrative`, every text states the figure's numbers,
but never one entry per document: the :data:`ALT_TEXT_TOP` largest entries
and how many there are. Plain text; :mod:`analysis.report.render` escapes it.
"""

from __future__ import annotations

import pandas as pd

from analysis.corpus.cleaning import document_labels

#: Entries an aggregated figure's alt text names (the largest), whatever the corpus size.
ALT_TEXT_TOP = 10


def outlet_reuse_alt_text(reuse: pd.DataFrame, value: str, top: int = ALT_TEXT_TOP) -> str:
    """Alt text of an outlet x outlet heatmap: its largest cells."""
    shown = reuse[reuse[value] > 0].sort_values(value, ascending=False, kind="stable")
    parts = [f"{r.outlet_a} in {r.outlet_b} {getattr(r, value):.1%}" for r in shown.head(top).itertuples()]
    outlets = reuse["outlet_a"].nunique()
    return (f"Heatmap of mean {value.replace('_', ' ')} by outlet ({outlets} outlet groups); largest cells: "
            + ("; ".join(parts) if parts else "all zero") + ".")


def top_edges_alt_text(edges: pd.DataFrame, docs: pd.DataFrame, top: int = ALT_TEXT_TOP) -> str:
    """Alt text of the strongest-derived-pairs figure: how many edges, the strongest named."""
    if edges.empty:
        return "Derived pairs: none."
    labels = document_labels(docs)
    ranked = edges.sort_values("strength", ascending=False, kind="stable").head(top)
    parts = [f"{labels.get(str(r.derived), r.derived)} from {labels.get(str(r.source), r.source)} {r.strength:.0%}"
             for r in ranked.itertuples()]
    return f"{len(edges):,} derived pairs; the strongest: " + "; ".join(parts) + "."


def stories_alt_text(by_story: pd.DataFrame, top: int = ALT_TEXT_TOP) -> str:
    """Alt text of the stories figure: how many stories, the largest with their size."""
    if by_story.empty:
        return "Stories: none."
    sizes = by_story.groupby("story_id", sort=False)["documents"].sum()
    names = by_story.drop_duplicates("story_id").set_index("story_id")["label"]
    parts = [f"{story} {names[story]} ({count} documents)" for story, count in sizes.head(top).items()]
    return f"{len(sizes):,} stories; the largest: " + "; ".join(parts) + "."


def grades_by_outlet_alt_text(table: pd.DataFrame, column: str, what: str) -> str:
    """Alt text of a grade distribution by outlet group: each group's median."""
    medians = table.dropna(subset=[column]).groupby("label", sort=False)[column].median()
    parts = ", ".join(f"{label} {value:.1f}" for label, value in medians.items())
    return f"Median {what} by outlet: {parts or 'none scored'}."
