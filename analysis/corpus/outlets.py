"""Outlets: the groups a large corpus is shown by.

Above :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS` documents the report
draws outlets, not documents. A document's outlet is the ``outlet`` column of
``sources.csv``. A document without one goes to the :data:`NO_OUTLET` group,
not to a group of its own label: a document without an outlet is labelled by
its headline (:func:`analysis.corpus.cleaning.display_labels`), one label per
document, so grouping by label would draw one row per document again. The
:data:`OUTLETS_SHOWN` outlets with the most documents are shown by name (ties:
first in corpus order); the others are pooled as :data:`OTHER_OUTLETS`, drawn last.
"""

from __future__ import annotations

import pandas as pd

#: Group of the documents whose ``sources.csv`` row gives no outlet (or that have none).
NO_OUTLET = "(no outlet)"
#: Group of the outlets past :data:`OUTLETS_SHOWN`.
OTHER_OUTLETS = "(other outlets)"
#: Outlets named in an aggregated figure or table. Set by hand: 20 rows of an
#: outlet heatmap keep 9-point labels on a page-wide figure
#: (:func:`analysis.figures.layout.tick_font_size`), and a month of coverage
#: "from 50 outlets" (issue 15) is read by its 20 largest outlets and the pooled rest.
OUTLETS_SHOWN = 20

OUTLET_COLUMNS = ["doc_id", "outlet", "group"]


def document_outlets(docs: pd.DataFrame, shown: int = OUTLETS_SHOWN) -> pd.DataFrame:
    """The outlet and the group shown of every document.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table (``doc_id``, optional ``outlet``).
    shown : int
        Outlets named; the others are pooled as :data:`OTHER_OUTLETS`.

    Returns
    -------
    pandas.DataFrame
        One row per document, in corpus order: ``doc_id``; ``outlet`` (its
        outlet, or :data:`NO_OUTLET`); ``group`` (the outlet when it is among
        the ``shown`` largest, else :data:`OTHER_OUTLETS`).
    """
    ids = docs["doc_id"].astype(str).tolist()
    given = (docs["outlet"].fillna("").astype(str).str.strip().tolist() if "outlet" in docs.columns
             else [""] * len(ids))
    outlets = [o or NO_OUTLET for o in given]
    sizes = pd.Series(outlets).value_counts(sort=False)  # first-appearance order
    ranked = sorted(sizes.index, key=lambda o: -sizes[o])  # stable: ties keep corpus order
    named = set(ranked[:shown])
    return pd.DataFrame({"doc_id": ids, "outlet": outlets,
                         "group": [o if o in named else OTHER_OUTLETS for o in outlets]},
                        columns=OUTLET_COLUMNS)


def outlet_groups(docs: pd.DataFrame, shown: int = OUTLETS_SHOWN) -> pd.DataFrame:
    """The groups shown, largest first, as a corpus table the plot functions take.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``doc_id`` and ``label`` (both the group's name, so
        a per-document plot function draws groups), ``documents`` (how many),
        ``outlets`` (distinct outlets pooled in it: 1 except for
        :data:`OTHER_OUTLETS`). Ordered by documents, then first appearance;
        :data:`OTHER_OUTLETS` last.
    """
    table = document_outlets(docs, shown)
    grouped = table.groupby("group", sort=False).agg(documents=("doc_id", "size"), outlets=("outlet", "nunique"))
    order = sorted(grouped.index, key=lambda g: (g == OTHER_OUTLETS, -grouped.loc[g, "documents"]))
    grouped = grouped.loc[order].reset_index()
    return pd.DataFrame({"doc_id": grouped["group"], "label": grouped["group"],
                         "documents": grouped["documents"].astype(int), "outlets": grouped["outlets"].astype(int)})


def by_outlet(table: pd.DataFrame, docs: pd.DataFrame, columns=("doc_id",), shown: int = OUTLETS_SHOWN) -> pd.DataFrame:
    """``table`` with each document column replaced by the document's group (and ``label`` set to it).

    Lets a plot function that draws one row per document draw one per outlet
    group; the caller sums or averages what several documents contribute.
    """
    outlets = document_outlets(docs, shown)
    group = dict(zip(outlets["doc_id"], outlets["group"]))
    out = table.copy()
    for column in columns:
        out[column] = out[column].astype(str).map(group)
    if "label" in out.columns and "doc_id" in columns:
        out["label"] = out["doc_id"]
    return out


def sum_by_outlet(table: pd.DataFrame, docs: pd.DataFrame, keys: list[str], summed: list[str] = (),
                  averaged: list[str] = (), shown: int = OUTLETS_SHOWN) -> pd.DataFrame:
    """A per-document table summed (``summed``) or averaged (``averaged``) per outlet group and ``keys``.

    An averaged column is divided by the number of the group's documents, so a
    document without a row counts 0: the mean rate of an entity over all of
    an outlet's articles, not over those that name it.

    Returns
    -------
    pandas.DataFrame
        ``doc_id`` and ``label`` (both the group), ``keys``, ``summed``,
        ``averaged``; groups in :func:`outlet_groups` order, keys as first seen.
    """
    groups = outlet_groups(docs, shown)
    sizes = dict(zip(groups["doc_id"], groups["documents"]))
    rank = {g: k for k, g in enumerate(groups["doc_id"])}
    mapped = by_outlet(table, docs, shown=shown)
    out = (mapped.groupby(["doc_id", *keys], sort=False)[[*summed, *averaged]].sum().reset_index())
    for column in averaged:
        out[column] = out[column] / out["doc_id"].map(sizes)
    out = out.assign(_rank=out["doc_id"].map(rank)).sort_values("_rank", kind="stable").drop(columns="_rank")
    return out.assign(label=out["doc_id"])[["doc_id", "label", *keys, *summed, *averaged]].reset_index(drop=True)


def distribution_by_outlet(table: pd.DataFrame, docs: pd.DataFrame, column: str,
                           shown: int = OUTLETS_SHOWN) -> pd.DataFrame:
    """The distribution of a per-document ``column`` in each outlet group.

    Returns
    -------
    pandas.DataFrame
        One row per group (:func:`outlet_groups` order): ``outlet``,
        ``documents`` (rows of ``table``), ``scored`` (of them with a value),
        ``q1``, ``median``, ``q3`` (quartiles of the values; NaN when none).
    """
    groups = outlet_groups(docs, shown)["doc_id"].tolist()
    mapped = by_outlet(table, docs, shown=shown)
    values = mapped.groupby("doc_id", sort=False)[column]
    out = pd.DataFrame({"documents": values.size(), "scored": values.count(), "q1": values.quantile(0.25),
                        "median": values.median(), "q3": values.quantile(0.75)}).reindex(groups)
    out[["documents", "scored"]] = out[["documents", "scored"]].fillna(0).astype(int)
    return out.rename_axis("outlet").reset_index()
