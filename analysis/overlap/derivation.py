"""Derivation: who likely derives from whom among related pairs of documents.

:func:`derivation_edges` orients the pairs :func:`analysis.overlap.containment.overlap_pairs`
finds related (and the pairs whose bodies are the same text,
:func:`identical_bodies`), from direction cues (:func:`direction_cues`):
publication time first, then attribution (naming the other's outlet), then
containment asymmetry, else undetermined; and gives each edge a ``strength``,
the share of the derived text found in the source.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.corpus.cleaning import document_labels
from analysis.corpus.dates import published_order, publication_times
from analysis.overlap.containment import PAIR_COLUMNS, RELATIONS
from analysis.overlap.passages import PASSAGE_COLUMNS, pairs_to_compare
from analysis.overlap.sequence import ordered_coverage
from analysis.tables import check_corpus_table

CUE_COLUMNS = ["doc_a", "doc_b", "published", "attribution", "asymmetry",
               "order_agreement"]
EDGE_COLUMNS = ["source", "derived", "relation", "basis", "containment_derived",
                "containment_source", "unquoted_containment", "semantic_coverage", "order_agreement",
                "strength", "direction", "drawn", "evidence"]

#: Directions a derivation edge can have (:func:`edge_direction`): the cue that decided it.
DIRECTIONS = ("published", "names_source", "asymmetry", "undetermined")
#: Weakest edge the derivation graph draws (``strength``: share of the derived
#: text's words or sentences found in the source). Set by hand: one sentence in
#: five. On the seed corpus it draws the reworded copy (strength 1.0) and leaves
#: out the two pairs that share three or four sentences of 27 (0.15, 0.11),
#: which the partial-derivation threshold (0.035) admits to the table.
DRAWN_MIN_STRENGTH = 0.2
#: Containment difference from which the more contained text counts as the derived one.
ASYMMETRY_MIN = 0.10
#: Fewest shared passages whose order is compared (``order_agreement``):
#: Kendall's tau of two passages is always +1 or -1, which says nothing.
ORDER_MIN_PASSAGES = 3


def _names_outlet(body: str, outlet: str) -> bool:
    """Whether ``body`` names ``outlet`` as a whole word sequence (casefolded)."""
    if not outlet.strip():
        return False
    pattern = r"(?<!\w)" + re.escape(outlet.strip().casefold()) + r"(?!\w)"
    return re.search(pattern, body.casefold()) is not None


def _sign(value: float, margin: float) -> int:
    return 1 if value >= margin else -1 if value <= -margin else 0


def direction_cues(docs: pd.DataFrame, passages: pd.DataFrame,
                   pairs: pd.DataFrame) -> pd.DataFrame:
    """Votes on which text of each compared pair derives from the other.

    A vote is +1 when the cue says doc_a derives from doc_b, -1 when doc_b
    derives from doc_a, 0 when the cue is silent.

    - ``published``: the later text derives from the earlier one (needs a
      ``published`` or ``date`` column in docs, :mod:`analysis.corpus.dates`;
      silent on equal or missing times, and on the same day when one is a date alone).
    - ``attribution``: a text that names the other's outlet (``outlet`` column)
      derives from it ("Al Jazeera reported that ..."); silent if both or neither do.
    - ``asymmetry``: the text more contained in the other (containment
      difference >= :data:`ASYMMETRY_MIN`) is the derived one: a rewrite keeps
      a part of its source, the source holds more than was taken from it. On
      COUNTER it decides 27% of derived pairs and is right on 62% of those: a
      weak cue. (A "copied the top, cut the tail" cue was right on only 42%
      and is not used.) When the lexical difference is too small and both
      directions have a ``semantic_coverage``, the same rule is applied to it
      (a reworded copy shares sentences, not words; not measured on COUNTER,
      which has no alignment).
    - ``order_agreement`` is not a vote: Kendall's tau between the order of the
      shared passages in a and in b (NaN with fewer than
      :data:`ORDER_MIN_PASSAGES`). Near 1,
      one text follows the other's sequence, as a copy does; near 0, the
      shared words are scattered (common quotes, stock phrases).

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``body``; optional ``outlet``, ``published``/``date``).
    passages : pandas.DataFrame
        Output of :func:`analysis.overlap.passages.shared_passages`.
    pairs : pandas.DataFrame
        Output of :func:`analysis.overlap.containment.overlap_pairs` (both orientations of each pair).

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair present in ``pairs``: ``doc_a``, ``doc_b``
        (corpus order), ``published``, ``attribution``, ``asymmetry`` (int
        votes), ``order_agreement`` (float).
    """
    from scipy.stats import kendalltau

    check_corpus_table(docs)
    order = {doc_id: k for k, doc_id in enumerate(docs["doc_id"])}
    containment = {(a, b): c for a, b, c in
                   zip(pairs["doc_a"], pairs["doc_b"], pairs["lexical_containment"])}
    semantic = ({(a, b): c for a, b, c in
                 zip(pairs["doc_a"], pairs["doc_b"], pairs["semantic_coverage"])}
                if "semantic_coverage" in pairs else {})
    times = publication_times(docs)
    bodies = dict(zip(docs["doc_id"], docs["body"]))
    outlets = dict(zip(docs["doc_id"], docs["outlet"].fillna(""))) if "outlet" in docs else {}
    grouped = {key: group for key, group in passages.groupby(["doc_a", "doc_b"], sort=False)}
    rows = []
    for doc_a, doc_b in pairs_to_compare(docs, pairs[["doc_a", "doc_b"]]):
        published = published_order(times[doc_a], times[doc_b]) if times is not None else 0
        names_b = _names_outlet(bodies[doc_a], outlets.get(doc_b, ""))
        names_a = _names_outlet(bodies[doc_b], outlets.get(doc_a, ""))
        attribution = int(names_b) - int(names_a)
        asymmetry = _sign(containment.get((doc_a, doc_b), 0.0)
                          - containment.get((doc_b, doc_a), 0.0), ASYMMETRY_MIN)
        if asymmetry == 0:
            asymmetry = _sign(np.nan_to_num(semantic.get((doc_a, doc_b), np.nan)
                                            - semantic.get((doc_b, doc_a), np.nan)), ASYMMETRY_MIN)
        shared = grouped.get((doc_a, doc_b))
        if shared is None:
            flipped = grouped.get((doc_b, doc_a))
            if flipped is not None:
                shared = flipped.rename(columns={"start_a": "start_b", "end_a": "end_b",
                                                 "start_b": "start_a", "end_b": "end_a"})
        agreement = np.nan
        if shared is not None and len(shared) >= ORDER_MIN_PASSAGES:
            tau = kendalltau(shared["start_a"], shared["start_b"]).statistic
            agreement = round(float(tau), 6) if not np.isnan(tau) else np.nan
        rows.append((doc_a, doc_b, published, attribution, asymmetry, agreement))
    table = pd.DataFrame(rows, columns=CUE_COLUMNS)
    return table.astype({c: "int64" for c in CUE_COLUMNS[2:5]} | {"order_agreement": "float64"})


def identical_bodies(docs: pd.DataFrame) -> dict[str, str]:
    """doc_id -> the first document (corpus order) whose body is the same text, for each later duplicate.

    Two bodies are the same text when they are equal once every run of
    whitespace is one space (the cleaned bodies: boilerplate, the headline and
    repeated paragraphs are already out). A byte-identical copy of a file is
    such a pair; so is one that differs in line breaks only.
    """
    check_corpus_table(docs)
    first: dict[str, str] = {}
    duplicates = {}
    for doc_id, body in zip(docs["doc_id"], docs["body"]):
        key = " ".join(str(body).split())
        if key and key in first:
            duplicates[doc_id] = first[key]
        else:
            first.setdefault(key, doc_id)
    return duplicates


def edge_direction(cue) -> tuple[int, str]:
    """The vote (+1: doc_a derives from doc_b, -1: the reverse, 0: none) and the cue that decided it.

    The first cue that is not silent decides, in this order: publication time
    (``published``), one text naming the other's outlet (``names_source``),
    containment asymmetry (``asymmetry``); when all are silent the direction is
    ``undetermined``. Publication time comes first because it is a fact about
    the texts, not a reading of them; the text cues only stand in for it.
    """
    for name, basis in (("published", "published"), ("attribution", "names_source"),
                        ("asymmetry", "asymmetry")):
        vote = int(getattr(cue, name))
        if vote:
            return vote, basis
    return 0, "undetermined"


def derivation_edges(pairs: pd.DataFrame, docs: pd.DataFrame,
                     passages: pd.DataFrame | None = None,
                     alignment: pd.DataFrame | None = None) -> pd.DataFrame:
    """Derivation graph: who likely derives from whom, one edge per related pair.

    A pair is related when either text is at least ``partially_derived`` from
    the other by the rule of :func:`analysis.overlap.containment.overlap_pairs` (unquoted shared passages,
    or semantic coverage with an alignment), or when the two bodies are the
    same text (:func:`identical_bodies`: relation ``identical``, not a
    derivation one could read from the text). Pairs that share only quotations
    get no edge.

    ``strength`` says how much of the derived text comes from the source: the
    larger of its unquoted lexical containment (share of its words, outside
    quotation marks, inside passages shared with the source) and its sentence
    coverage (share of its sentences with a copy, near copy or paraphrase in
    the source; with the ``alignment``, short gaps the sentence order fills
    count too, :func:`analysis.overlap.sequence.ordered_coverage`); 1 for
    identical texts. A whole reworded copy is near 1; a long text that took one
    paragraph from its source is near the share of that paragraph in it. Edges under :data:`DRAWN_MIN_STRENGTH` stay in the table but the
    derivation graph does not draw them.

    Direction (:func:`edge_direction`): the later text derives from the earlier
    when both have a publication time (``published`` column of ``sources.csv``,
    ISO 8601 date or date-time; ``date`` is read too); else a text that names
    the other's outlet derives from it; else the text more contained in the
    other (containment asymmetry, :func:`direction_cues`); else ``direction`` is
    ``undetermined`` and the later document in corpus order is listed as
    ``derived`` only to fill the column (the graph draws it without an arrow).
    A cue that disagrees with the chosen direction is named in the evidence,
    marked "(against)". Two texts may also both derive from a third, unseen
    source (a wire story): an edge says the texts share material, the direction
    is a best guess.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Output of :func:`analysis.overlap.containment.overlap_pairs`.
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``body``; optional ``outlet``,
        ``published``/``date``).
    passages : pandas.DataFrame, optional
        Output of :func:`analysis.overlap.passages.shared_passages`, for the passage-order evidence.
    alignment : pandas.DataFrame, optional
        Output of :func:`analysis.overlap.alignment.align_sentences`, for the
        sentence coverage read in order (without it: ``semantic_coverage``).

    Returns
    -------
    pandas.DataFrame
        ``source``, ``derived`` (doc_id), ``relation`` (``identical``, else the
        stronger relation of the two directions: ``wholly_derived`` or
        ``partially_derived``), ``basis`` (of that relation: ``identical``, or
        as in :func:`analysis.overlap.containment.overlap_pairs`: ``shared_text`` or
        ``reworded``), ``containment_derived``, ``containment_source`` (lexical
        containment of each text in the other, quoted words included),
        ``unquoted_containment`` (of the derived text in the source),
        ``semantic_coverage`` (of the derived text in the source, NaN without
        alignment), ``order_agreement`` (Kendall tau of shared passage order,
        NaN with < 3 passages), ``strength`` (0..1, see above), ``direction``
        (``published``, ``names_source``, ``asymmetry`` or ``undetermined``:
        the cue that decided it), ``drawn`` (bool: strength at least
        :data:`DRAWN_MIN_STRENGTH`, and not an edge of the later copy of
        two identical texts other than their ``identical`` one, which would
        repeat the first copy's), ``evidence`` (readable summary of the
        cues). Sorted by strength (descending), then source and derived in
        corpus order.
    """
    check_corpus_table(docs)
    missing = sorted(set(PAIR_COLUMNS) - set(pairs.columns))
    if missing:
        raise ValueError(f"pairs is missing column(s) {missing}")
    if passages is None:
        passages = pd.DataFrame(columns=PASSAGE_COLUMNS)
    order = {doc_id: k for k, doc_id in enumerate(docs["doc_id"])}
    labels = document_labels(docs)
    duplicates = identical_bodies(docs)
    in_order = {}
    if alignment is not None and len(alignment):
        in_order = {(r.doc_a, r.doc_b): r for r in ordered_coverage(alignment).itertuples(index=False)}
    indexed = pairs.set_index(["doc_a", "doc_b"])
    rank = {name: k for k, name in enumerate(reversed(RELATIONS))}
    rows = []
    for cue in direction_cues(docs, passages, pairs).itertuples(index=False):
        a, b = cue.doc_a, cue.doc_b
        ab, ba = indexed.loc[(a, b)], indexed.loc[(b, a)]
        identical = duplicates.get(a, a) == duplicates.get(b, b)
        stronger = max(ab, ba, key=lambda row: rank[row["relation"]])
        if stronger["relation"] == "independent" and not identical:
            continue
        if identical:
            cue = cue._replace(attribution=0, asymmetry=0)  # the same text holds no text cue
        vote, direction = edge_direction(cue)
        derived, source = (a, b) if vote > 0 else (b, a)
        orientation = 1 if derived == a else -1  # sign of a vote that agrees with the edge
        forward, backward = indexed.loc[(derived, source)], indexed.loc[(source, derived)]
        evidence = _evidence(cue, orientation, labels[source], forward, backward)
        ordered = in_order.get((derived, source))
        sentence_share = float(np.nan_to_num(forward["semantic_coverage"]))
        if ordered is not None:
            sentence_share = max(sentence_share, ordered.ordered_coverage)
            if ordered.filled:
                evidence.append(f"{ordered.aligned} of its {ordered.sentences} sentences with a counterpart "
                                f"in order ({ordered.filled} between aligned neighbours)")
        if direction == "undetermined":
            evidence.insert(0, "direction undetermined")
        semantic = float(forward["semantic_coverage"])
        if identical:
            relation, basis, strength = "identical", "identical", 1.0
            evidence.insert(1 if direction == "undetermined" else 0, "the same text")
        else:
            relation, basis = stronger["relation"], stronger["basis"]
            strength = max(float(forward["unquoted_containment"]), sentence_share)
        rows.append((source, derived, relation, basis, forward["lexical_containment"],
                     backward["lexical_containment"], forward["unquoted_containment"], semantic,
                     cue.order_agreement, round(min(strength, 1.0), 6), direction,
                     strength >= DRAWN_MIN_STRENGTH, "; ".join(evidence)))
    table = pd.DataFrame(rows, columns=EDGE_COLUMNS)
    # A later copy of an identical pair is drawn with its "identical" edge only: its other
    # edges repeat those of the first copy.
    copies = set(duplicates)
    repeats = (table["relation"] != "identical") & (table["source"].isin(copies) | table["derived"].isin(copies))
    table.loc[repeats, "drawn"] = False
    table = table.astype({"containment_derived": "float64", "containment_source": "float64",
                          "unquoted_containment": "float64", "semantic_coverage": "float64",
                          "order_agreement": "float64", "strength": "float64", "drawn": "bool"})
    keys = (-table["strength"].to_numpy(), table["source"].map(order).to_numpy(),
            table["derived"].map(order).to_numpy())
    return table.iloc[np.lexsort(keys[::-1])].reset_index(drop=True)


def _evidence(cue, orientation: int, source_label: str, forward, backward) -> list[str]:
    """Readable cues behind an edge, a cue against the chosen direction marked "(against)"."""
    evidence = []
    if cue.published:
        evidence.append(f"published after {source_label}" if cue.published * orientation > 0
                        else f"published before {source_label} (against)")
    if cue.attribution:
        evidence.append(f"names {source_label}" if cue.attribution * orientation > 0
                        else f"named by {source_label} (against)")
    quoted = (f" ({forward['quoted_containment']:.0%} inside quotes)"
              if forward["quoted_containment"] > 0 else "")
    evidence.append(f"{forward['lexical_containment']:.0%} of its words in passages shared "
                    f"with {source_label}{quoted}, {backward['lexical_containment']:.0%} the other way")
    if not np.isnan(forward["semantic_coverage"]):
        evidence.append(f"{forward['semantic_coverage']:.0%} of its sentences matched")
    if not np.isnan(cue.order_agreement):
        evidence.append(f"shared passages in {'the same' if cue.order_agreement >= 0.5 else 'a different'}"
                        f" order (tau {cue.order_agreement:.2f})")
    return evidence
