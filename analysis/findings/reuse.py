"""Reuse findings from the derivation edges: ``identical``, ``reworded_copy``, ``copied_text``.

One finding per derivation edge (:func:`analysis.overlap.derivation.derivation_edges`):
the derived text is the finding's document, its source the other one.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.overlap.sequence import UNMATCHED_KINDS
from analysis.tables import require_columns

#: Columns every finding builder returns (see :func:`analysis.findings.registry.build_findings`).
#: The kinds of finding that say one document reuses another's text (their strength is a share of the copier's text).
REUSE_KINDS = ("identical", "reworded_copy", "copied_text")

BUILT_COLUMNS = ["kind", "doc_id", "other_doc_id", "strength", "direction", "topic", "text",
                 "other_text", "evidence"]


def rows_evidence(table_name: str, rows) -> str:
    """``"<table_name>.csv rows 1;4;7"`` for 0-based row positions ``rows`` (printed from 1); ``""`` for none."""
    numbers = sorted({int(k) + 1 for k in rows})
    if not numbers:
        return ""
    return f"{table_name}.csv row{'s' if len(numbers) > 1 else ''} " + ";".join(map(str, numbers))


def join_evidence(*parts: str) -> str:
    """Evidence from several tables, ``" | "``-separated, empty parts left out."""
    return " | ".join(part for part in parts if part)


def _pair_positions(table: pd.DataFrame | None) -> dict[tuple[str, str], list[int]]:
    """(doc_a, doc_b) -> positions of the rows of ``table`` about that ordered pair, in table order.

    Of a sentence alignment, only its matched sentences. Read in one pass: a mask
    of the whole table per derivation edge grew as edges x rows (70 s of the
    main process on all 21,578 Reuters stories).
    """
    if table is None or table.empty:
        return {}
    keep = np.ones(len(table), dtype=bool)
    if "kind" in table.columns and "sent_a" in table.columns:  # a sentence alignment: matched sentences only
        keep = ~table["kind"].isin(UNMATCHED_KINDS).to_numpy()
    positions: dict[tuple[str, str], list[int]] = {}
    for k, (doc_a, doc_b, kept) in enumerate(zip(table["doc_a"], table["doc_b"], keep)):
        if kept:
            positions.setdefault((doc_a, doc_b), []).append(k)
    return positions


def _pair_rows(positions: dict, derived: str, source: str, both_ways: bool) -> list[int]:
    """Positions (:func:`_pair_positions`) of the rows about the pair: derived -> source (and back), in table order."""
    rows = positions.get((derived, source), [])
    if both_ways and source != derived:
        rows = sorted(rows + positions.get((source, derived), []))
    return rows


def _mostly_paraphrased(alignment: pd.DataFrame | None, positions: dict, derived: str, source: str) -> bool:
    """Whether most of ``derived``'s sentences matched in ``source`` are paraphrases, not (near) copies."""
    if alignment is None or alignment.empty:
        return False
    rows = alignment.iloc[_pair_rows(positions, derived, source, both_ways=False)]
    return bool(len(rows)) and (rows["kind"] == "paraphrase").mean() > 0.5


def reuse_findings(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One finding per derivation edge: the derived text reuses its source.

    - ``identical`` (strength 1): the two bodies are the same text; evidence
      the edge's row of ``derivation.csv``.
    - ``reworded_copy``: the edge's relation rests on the sentence alignment
      (basis ``reworded``: most of the derived text's sentences are
      paraphrased from the source, few of its words shared), or its strength
      does (more of the derived text's sentences have a counterpart in the
      source than its words lie in shared passages) and most of those
      counterparts are paraphrases, not copies; evidence the matched rows of
      ``sentence_alignment.csv`` (derived -> source).
    - ``copied_text``: otherwise, text taken with its wording (passages
      shared word for word, sentences copied or nearly); evidence the pair's
      rows of ``passages.csv``.

    ``strength`` is the edge's: the share of the derived text found in the
    source (its sentences with a counterpart there, or its words outside
    quotation marks inside shared passages, whichever is larger), so a whole
    reworded copy is near 1. Identical texts are stated once: the later copy
    (``derived`` of an ``identical`` edge) has no other reuse finding, since
    each would repeat one of the first copy's. ``direction`` says which cue decided the direction
    (``undetermined``: the two are listed in corpus order and the finding
    says only that they share the text); ``topic`` the edge's relation
    (``identical``, ``wholly_derived``, ``partially_derived``).

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        ``derivation`` (:func:`analysis.overlap.derivation.derivation_edges`);
        optional ``sentence_alignment`` and ``passages`` for the evidence.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BUILT_COLUMNS`, one row per edge.
    """
    edges = tables["derivation"]
    require_columns(edges, ("source", "derived", "relation", "basis", "unquoted_containment", "strength",
                            "direction"), "derivation")
    alignment, passages = tables.get("sentence_alignment"), tables.get("passages")
    copies = set(edges.loc[edges["relation"] == "identical", "derived"])
    aligned, shared = _pair_positions(alignment), _pair_positions(passages)
    rows = []
    for k, edge in enumerate(edges.itertuples(index=False)):
        if edge.relation != "identical" and (edge.source in copies or edge.derived in copies):
            continue  # the same finding as for the first of the identical texts
        edge_row = rows_evidence("derivation", [k])
        if edge.relation == "identical":
            kind, evidence = "identical", edge_row
        elif edge.basis == "reworded" or (edge.strength > edge.unquoted_containment
                                          and _mostly_paraphrased(alignment, aligned, edge.derived, edge.source)):
            kind = "reworded_copy"
            evidence = join_evidence(edge_row, rows_evidence(
                "sentence_alignment", _pair_rows(aligned, edge.derived, edge.source, both_ways=False)))
        else:
            kind = "copied_text"
            evidence = join_evidence(edge_row, rows_evidence(
                "passages", _pair_rows(shared, edge.derived, edge.source, both_ways=True)))
        rows.append((kind, edge.derived, edge.source, float(edge.strength), edge.direction, edge.relation, "",
                     "", evidence))
    return pd.DataFrame(rows, columns=BUILT_COLUMNS)
