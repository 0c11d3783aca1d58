"""The registry of finding builders and the ranked findings table they make together.

Every builder takes the run's tables by name and returns rows of
:data:`BUILT_COLUMNS` for the kinds it knows; :func:`build_findings` runs those
whose table is present and ranks what they found. Kinds share one vocabulary
across the kit (:data:`KINDS`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

import pandas as pd

from analysis.findings import departures, omissions, reuse

#: Every kind of finding, in the order findings of equal strength are listed.
KINDS = ("identical", "reworded_copy", "copied_text", "altered_quote", "quote_marks_lost",
         "quote_marks_added", "number_conflict", "dropped_qualifier", "added_qualifier", "changed_qualifier",
         "date_conflict", "attribution_change", "role_reversal", "changed_number", "changed_date",
         "changed_place", "negation", "omission")
#: Columns a builder returns (see :func:`build_findings` for their meaning).
BUILT_COLUMNS = reuse.BUILT_COLUMNS
#: Columns of the findings table, before :mod:`analysis.report.finding_sentences` adds ``statement`` and ``anchor``.
FINDING_COLUMNS = ["finding_id", *BUILT_COLUMNS]


class FindingBuilder(NamedTuple):
    """One builder: the table it reads (by the CSV stem) and the function that reads it."""

    table: str
    build: Callable[[Mapping[str, pd.DataFrame]], pd.DataFrame]


#: The builders, each over the one table named (other tables it reads for
#: evidence or direction are optional). Add a builder here for a new table.
BUILDERS = (
    FindingBuilder("derivation", reuse.reuse_findings),
    FindingBuilder("quote_variants", departures.altered_quote_findings),
    FindingBuilder("number_conflicts", departures.number_conflict_findings),
    FindingBuilder("date_conflicts", departures.date_conflict_findings),
    FindingBuilder("statement_changes", departures.statement_change_findings),
    FindingBuilder("stories", omissions.omission_findings),
)


def build_findings(tables: Mapping[str, pd.DataFrame], doc_order: list[str] | None = None) -> pd.DataFrame:
    """Every finding the run's tables support, strongest first.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        The run's tables by name (``derivation``, ``sentence_alignment``,
        ``passages``, ``quote_variants``, ``number_conflicts``,
        ``statement_changes``, ``stories``, ...; ``sentences``, the sentence
        table, places figures and quotations in their sentences for the
        omissions); a builder whose table is absent or empty yields nothing.
    doc_order : list of str, optional
        doc_ids in corpus order, to break ties between equally strong findings
        (default: the order of the text).

    Returns
    -------
    pandas.DataFrame
        One row per finding: ``finding_id`` (``"F01"``, ``"F02"``, ... in rank
        order), ``kind`` (one of :data:`KINDS`), ``doc_id`` (the document the
        finding is about: the copier, the outlet whose wording departs),
        ``other_doc_id`` (its source or reference, ``""`` when none),
        ``strength`` (0..1, computed per kind as its builder documents),
        ``direction`` (reuse: the cue that says which text came first,
        :data:`analysis.overlap.derivation.DIRECTIONS`; ``""`` otherwise),
        ``topic`` (the speaker of a quotation, the claim of a number; ``""``
        for reuse), ``text`` and ``other_text`` (the two wordings compared, ``""``
        for reuse), ``evidence`` (the rows behind it: ``"<table>.csv rows
        3;4;7"``, rows numbered from 1 below the header, several tables
        separated by ``" | "``). Sorted by strength (descending), then kind
        (:data:`KINDS` order), then doc_id and other_doc_id in corpus order,
        then topic.
    """
    found = [builder.build(tables) for builder in BUILDERS
             if builder.table in tables and not tables[builder.table].empty]
    found = [table for table in found if not table.empty]
    if not found:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c == "strength" else "object")
                             for c in FINDING_COLUMNS})
    table = pd.concat(found, ignore_index=True)[BUILT_COLUMNS]
    unknown = sorted(set(table["kind"]) - set(KINDS))
    if unknown:
        raise ValueError(f"finding builders returned unknown kind(s) {unknown}")
    order = {doc_id: k for k, doc_id in enumerate(doc_order or [])}
    rank = {kind: k for k, kind in enumerate(KINDS)}

    def position(ids: pd.Series) -> pd.Series:
        return ids.map(lambda d: order.get(d, len(order)))

    table = (table.assign(_strength=-table["strength"], _kind=table["kind"].map(rank),
                          _doc=position(table["doc_id"]), _other=position(table["other_doc_id"]))
             .sort_values(["_strength", "_kind", "_doc", "_other", "doc_id", "other_doc_id", "topic"],
                          kind="mergesort")
             .drop(columns=["_strength", "_kind", "_doc", "_other"]).reset_index(drop=True))
    table.insert(0, "finding_id", [f"F{k:02d}" for k in range(1, len(table) + 1)])
    return table.astype({"strength": "float64"})
