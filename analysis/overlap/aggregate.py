"""The overlap of a large corpus by outlet and by story, for the report's aggregated figures.

Above :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS` documents the report
does not draw a document x document heatmap; it draws these tables, computed
from ``overlap_pairs.csv`` and ``stories.csv`` (which keep every pair and
document). Outlets are the groups of :mod:`analysis.corpus.outlets`.
"""

from __future__ import annotations

import pandas as pd

from analysis.corpus.outlets import OTHER_OUTLETS, document_outlets

OUTLET_REUSE_COLUMNS = ["outlet_a", "outlet_b", "documents_a", "compared_a", "related_a",
                        "lexical_containment", "semantic_coverage"]
STORY_OUTLET_COLUMNS = ["story_id", "label", "outlet", "documents"]


def outlet_reuse(pairs: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """Outlet x outlet reuse: how much of an outlet's text is found in another's.

    For every ordered pair of outlet groups (a, b), each document of a is
    scored by its largest value towards any document of b (0 when it was
    compared with none: documents of different stories are never compared),
    and the scores are averaged over all of a's documents. A cell is thus
    "the share of an average a document's words (sentences) found in its
    closest b document"; the diagonal is reuse within one outlet.

    Parameters
    ----------
    pairs : pandas.DataFrame
        ``overlap_pairs.csv`` (``doc_a``, ``doc_b``, ``relation``,
        ``lexical_containment``, ``semantic_coverage``).
    docs : pandas.DataFrame
        Corpus table (``doc_id``, optional ``outlet``).

    Returns
    -------
    pandas.DataFrame
        One row per ordered pair of groups (all of them, in group order):
        ``outlet_a``, ``outlet_b``; ``documents_a`` (documents of a);
        ``compared_a`` (of them, compared with a document of b); ``related_a``
        (of them, related to one: relation not ``independent``);
        ``lexical_containment`` and ``semantic_coverage`` (mean of each
        document's largest value, 0..1; missing semantic values count 0).
    """
    outlets = document_outlets(docs)
    group = dict(zip(outlets["doc_id"], outlets["group"]))
    order = _group_order(outlets)
    sizes = outlets["group"].value_counts()
    rows = pairs.assign(outlet_a=pairs["doc_a"].astype(str).map(group), outlet_b=pairs["doc_b"].astype(str).map(group),
                        related=pairs["relation"] != "independent",
                        lexical=pairs["lexical_containment"].fillna(0.0),
                        semantic=pairs["semantic_coverage"].fillna(0.0))
    per_document = (rows.groupby(["outlet_a", "outlet_b", "doc_a"], sort=False)
                    .agg(related=("related", "any"), lexical=("lexical", "max"), semantic=("semantic", "max")))
    per_outlet = per_document.groupby(level=["outlet_a", "outlet_b"]).agg(
        compared_a=("lexical", "size"), related_a=("related", "sum"), lexical=("lexical", "sum"),
        semantic=("semantic", "sum"))
    grid = pd.MultiIndex.from_product([order, order], names=["outlet_a", "outlet_b"])
    table = per_outlet.reindex(grid, fill_value=0).reset_index()
    table["documents_a"] = table["outlet_a"].map(sizes).astype(int)
    table["lexical_containment"] = table["lexical"] / table["documents_a"]
    table["semantic_coverage"] = table["semantic"] / table["documents_a"]
    table[["compared_a", "related_a"]] = table[["compared_a", "related_a"]].astype(int)
    return table[OUTLET_REUSE_COLUMNS]


def _group_order(outlets: pd.DataFrame) -> list[str]:
    sizes = outlets["group"].value_counts(sort=False)
    return sorted(sizes.index, key=lambda g: (g == OTHER_OUTLETS, -sizes[g]))


def stories_by_outlet(stories: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """How many documents of each story each outlet group published.

    Parameters
    ----------
    stories : pandas.DataFrame
        ``stories.csv`` (``story_id``, ``doc_id``, ``label``).
    docs : pandas.DataFrame
        Corpus table (``doc_id``, optional ``outlet``).

    Returns
    -------
    pandas.DataFrame
        One row per (story, outlet group) with documents: ``story_id``,
        ``label`` (the story's), ``outlet`` (the group), ``documents``. Stories
        in order of size (most documents first, then story_id), groups in
        their order of :func:`analysis.corpus.outlets.outlet_groups`.
    """
    if stories.empty:
        return pd.DataFrame(columns=STORY_OUTLET_COLUMNS)
    outlets = document_outlets(docs)
    group = dict(zip(outlets["doc_id"], outlets["group"]))
    rank = {g: k for k, g in enumerate(_group_order(outlets))}
    table = (stories.assign(outlet=stories["doc_id"].astype(str).map(group))
             .groupby(["story_id", "label", "outlet"], sort=False).size().rename("documents").reset_index())
    size = table.groupby("story_id")["documents"].transform("sum")
    table = (table.assign(size=-size, rank=table["outlet"].map(rank))
             .sort_values(["size", "story_id", "rank"], kind="stable"))
    return table[STORY_OUTLET_COLUMNS].reset_index(drop=True)
