"""The report's HTML tables that change with the corpus size.

Up to :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS` documents each
function shows what the report always showed (one row per document or
rendering). Above it, the table is an aggregate by outlet
(:mod:`analysis.corpus.outlets`) and by story, or a top-N list, never one row
per document; the CSV tables keep the per-document detail, as each caption says.
Markup comes from :mod:`analysis.report.render` (escaped).
"""

from __future__ import annotations

import pandas as pd

from analysis.corpus.outlets import distribution_by_outlet, document_outlets
from analysis.figures.layout import detailed
from analysis.report import render

#: Headings of the readability-by-outlet table.
READABILITY_BY_OUTLET = {"outlet": "Outlet", "documents": "Documents", "scored": "Scored", "q1": "Grade, lower quartile",
                         "median": "Median consensus grade", "q3": "Grade, upper quartile",
                         "median_fk": "Median Flesch-Kincaid grade"}
#: Headings of the outlets table of the corpus section.
OUTLETS_SHOWN_COLUMNS = {"outlet": "Outlet", "documents": "Documents", "words": "Words", "stories": "Stories"}
#: Headings of the largest-stories table of the corpus section.
STORIES_SHOWN = {"story_id": "Story", "label": "Label (words of most titles)", "documents": "Documents",
                 "outlets": "Outlets"}


def readability_table(scores: pd.DataFrame, docs: pd.DataFrame) -> render.RichHTML:
    """Scores per document (small corpus) or the consensus grade's distribution per outlet (large one).

    Parameters
    ----------
    scores : pandas.DataFrame
        ``readability.csv``.
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``outlet``).
    """
    from analysis.report.columns import READABILITY_SHOWN

    if detailed(len(docs)):
        return render.reader_table(scores, READABILITY_SHOWN,
                                   caption="Scores per document (all formulas and raw counts: tables/readability.csv)")
    table = distribution_by_outlet(scores, docs, "text_standard_grade")
    fk = distribution_by_outlet(scores, docs, "flesch_kincaid_grade")
    table["median_fk"] = fk["median"]
    return render.table(table.rename(columns=READABILITY_BY_OUTLET),
                        caption=f"Grades by outlet, {len(docs):,} documents (every document's scores: "
                                "tables/readability.csv)")


def number_conflicts_table(conflicts: pd.DataFrame, docs: pd.DataFrame) -> render.RichHTML:
    """Every conflicting rendering (small corpus) or those of the claims with the most conflicts (large one).

    Parameters
    ----------
    conflicts : pandas.DataFrame
        ``number_conflicts.csv``.
    docs : pandas.DataFrame
        Corpus table.
    """
    from analysis.report.columns import NUMBER_CONFLICTS_SHOWN
    from analysis.statements.number_claims import claims_by_conflicts

    conflicting = conflicts[conflicts["conflict"] != "agree"]
    if detailed(len(docs)):
        return render.reader_table(conflicting, NUMBER_CONFLICTS_SHOWN, caption="Conflicting renderings of a claim")
    rank = {claim: k for k, claim in enumerate(claims_by_conflicts(conflicts))}  # the claims matrix's ranking
    ranked = (conflicting.assign(_rank=conflicting["group_id"].map(rank)).sort_values("_rank", kind="stable")
              .drop(columns="_rank"))
    return render.reader_table(ranked, NUMBER_CONFLICTS_SHOWN,
                               caption=f"Conflicting renderings of the claims with the most conflicts "
                                       f"({len(conflicting):,} in all: tables/number_conflicts.csv)")


def outlet_overview(documents: pd.DataFrame, docs: pd.DataFrame, stories: pd.DataFrame) -> pd.DataFrame:
    """Documents, words and stories per outlet (every outlet, largest first; ``OUTLETS_SHOWN_COLUMNS``)."""
    outlets = document_outlets(docs, shown=len(docs))
    words = dict(zip(documents["doc_id"].astype(str), documents["n_words"])) if "n_words" in documents.columns else {}
    story = dict(zip(stories["doc_id"].astype(str), stories["story_id"])) if not stories.empty else {}
    table = outlets.assign(words=outlets["doc_id"].map(words).fillna(0).astype(int),
                           story=outlets["doc_id"].map(story))
    out = table.groupby("outlet", sort=False).agg(documents=("doc_id", "size"), words=("words", "sum"),
                                                  stories=("story", "nunique"))
    return out.sort_values("documents", ascending=False, kind="stable").reset_index()


def largest_stories(stories: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """Stories with their documents and outlets, largest first (``STORIES_SHOWN``)."""
    if stories.empty:
        return pd.DataFrame(columns=list(STORIES_SHOWN))
    outlets = document_outlets(docs, shown=len(docs))
    outlet = dict(zip(outlets["doc_id"], outlets["outlet"]))
    table = stories.assign(outlet=stories["doc_id"].astype(str).map(outlet))
    out = table.groupby(["story_id", "label"], sort=False).agg(documents=("doc_id", "size"),
                                                               outlets=("outlet", "nunique")).reset_index()
    return out.sort_values(["documents", "story_id"], ascending=[False, True], kind="stable")


def document_list(documents: pd.DataFrame, analysis) -> render.RichHTML:
    """The corpus section's list: documents (small corpus) or outlets and the largest stories (large one).

    Parameters
    ----------
    documents : pandas.DataFrame
        ``documents.csv``.
    analysis : analysis.report.pipeline.CorpusAnalysis
        The corpus (its ``docs``; its ``stories`` for a large corpus).
    """
    docs = analysis.docs
    if detailed(len(docs)):
        return render.document_list(documents, docs)
    stories = analysis.stories
    outlets = outlet_overview(documents, docs, stories)
    return (render.table(outlets.rename(columns=OUTLETS_SHOWN_COLUMNS),
                         caption=f"Documents by outlet ({len(outlets):,} outlets; every document: "
                                 "tables/documents.csv)")
            + render.table(largest_stories(stories, docs).rename(columns=STORIES_SHOWN),
                           caption=f"The largest stories ({stories['story_id'].nunique():,} in all; every document's "
                                   "story: tables/stories.csv)"))


#: Headings of the outlet x outlet reuse table of the overlap section.
OUTLET_REUSE_SHOWN = {"outlet_a": "Outlet a", "outlet_b": "Outlet b", "documents_a": "Documents of a",
                      "related_a": "Related to a document of b", "lexical_containment": "Mean lexical containment",
                      "semantic_coverage": "Mean semantic coverage"}


def outlet_reuse_table(result: dict[str, pd.DataFrame], docs: pd.DataFrame,
                       reuse: pd.DataFrame | None = None) -> render.RichHTML:
    """The outlet pairs with related documents, most related first.

    ``reuse`` is :func:`analysis.overlap.aggregate.outlet_reuse` of
    ``result``'s pairs, the table the overlap figures draw (the report computes
    it once); computed here when not given.
    """
    from analysis.overlap.aggregate import outlet_reuse

    if reuse is None:
        reuse = outlet_reuse(result["overlap_pairs"], docs)
    related = reuse[reuse["related_a"] > 0].sort_values(["related_a", "lexical_containment"], ascending=False,
                                                          kind="stable")
    return render.table(related[list(OUTLET_REUSE_SHOWN)].rename(columns=OUTLET_REUSE_SHOWN),
                        caption="Outlets whose documents derive from another outlet's (or their own): documents "
                                "of outlet a related to one of outlet b, and the mean shares of the heatmaps above")


def most_related_first(pairs: pd.DataFrame) -> pd.DataFrame:
    """``pairs`` ordered by their larger share (lexical containment or semantic coverage), largest first."""
    score = pairs[["lexical_containment", "semantic_coverage"]].max(axis=1, skipna=True)
    return pairs.assign(_score=-score).sort_values("_score", kind="stable").drop(columns="_score")
