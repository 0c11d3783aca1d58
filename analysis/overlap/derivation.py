"""Derivation: who likely derives from whom among related pairs of documents.

:func:`derivation_edges` orients the pairs :func:`analysis.overlap.containment.overlap_pairs`
finds related, from direction cues (:func:`direction_cues`): publication
order, attribution (naming the other's outlet), containment asymmetry.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.corpus.cleaning import document_labels
from analysis.overlap.containment import PAIR_COLUMNS, RELATIONS
from analysis.overlap.passages import PASSAGE_COLUMNS, pairs_to_compare
from analysis.tables import check_corpus_table

CUE_COLUMNS = ["doc_a", "doc_b", "published", "attribution", "asymmetry",
               "order_agreement"]
EDGE_COLUMNS = ["source", "derived", "relation", "basis", "containment_derived",
                "containment_source", "semantic_coverage", "order_agreement",
                "confidence", "evidence"]

#: Weight of each direction cue in :func:`derivation_edges` (see there).
CUE_WEIGHTS = {"published": 3.0, "attribution": 2.0, "asymmetry": 1.0}
#: Containment difference from which the more contained text counts as the derived one.
ASYMMETRY_MIN = 0.10
#: Fewest shared passages whose order is compared (``order_agreement``):
#: Kendall's tau of two passages is always +1 or -1, which says nothing.
ORDER_MIN_PASSAGES = 3


def _publication_times(docs: pd.DataFrame) -> dict[str, pd.Timestamp] | None:
    for column in ("published", "date"):
        if column in docs.columns:
            times = pd.to_datetime(docs[column], errors="coerce", utc=True)
            return dict(zip(docs["doc_id"], times))
    return None


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
      ``published`` or ``date`` column in docs; silent on equal or missing dates).
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
    times = _publication_times(docs)
    bodies = dict(zip(docs["doc_id"], docs["body"]))
    outlets = dict(zip(docs["doc_id"], docs["outlet"].fillna(""))) if "outlet" in docs else {}
    grouped = {key: group for key, group in passages.groupby(["doc_a", "doc_b"], sort=False)}
    rows = []
    for doc_a, doc_b in pairs_to_compare(docs, pairs[["doc_a", "doc_b"]]):
        published = 0
        if times is not None:
            t_a, t_b = times[doc_a], times[doc_b]
            if not (pd.isna(t_a) or pd.isna(t_b)) and t_a != t_b:
                published = 1 if t_a > t_b else -1
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


def derivation_edges(pairs: pd.DataFrame, docs: pd.DataFrame,
                     passages: pd.DataFrame | None = None) -> pd.DataFrame:
    """Derivation graph: who likely derives from whom, one edge per related pair.

    A pair is related when either text is at least ``partially_derived`` from
    the other by the rule of :func:`analysis.overlap.containment.overlap_pairs` (unquoted shared passages,
    or semantic coverage with an alignment). Pairs that share only quotations
    get no edge.

    Direction: the cues of :func:`direction_cues` vote with weights
    :data:`CUE_WEIGHTS` (publication order 3, naming the other's outlet 2,
    containment asymmetry 1). ``confidence`` = |weighted vote sum| / sum of all
    weights, so without publication dates it is at most 0.5, and a direction
    resting on asymmetry alone scores 1/6. Confidence 0 means no cue decided
    (none voted, or the votes cancel out): the later document in corpus order
    is then taken as the derived one and the evidence says the direction is
    undetermined. Evidence from a cue that votes against the chosen direction
    is marked "(against)". Two texts may
    also both derive from a third, unseen source (a wire story): an edge says
    the texts share material, the direction is a best guess.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Output of :func:`analysis.overlap.containment.overlap_pairs`.
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``body``; optional ``outlet``,
        ``published``/``date``).
    passages : pandas.DataFrame, optional
        Output of :func:`analysis.overlap.passages.shared_passages`, for the passage-order evidence.

    Returns
    -------
    pandas.DataFrame
        ``source``, ``derived`` (doc_id), ``relation`` (the stronger relation
        of the two directions: wholly_derived or partially_derived),
        ``basis`` (of that relation, see :func:`analysis.overlap.containment.overlap_pairs`: shared_text or
        reworded), ``containment_derived``, ``containment_source`` (lexical
        containment of each text in the other, quoted words included),
        ``semantic_coverage`` (of the derived text in the source, NaN without
        alignment), ``order_agreement`` (Kendall tau of shared passage order,
        NaN with < 3 passages), ``confidence`` (0..1), ``evidence`` (readable
        summary of the cues). Sorted by confidence (descending), then source and
        derived in corpus order.
    """
    check_corpus_table(docs)
    missing = sorted(set(PAIR_COLUMNS) - set(pairs.columns))
    if missing:
        raise ValueError(f"pairs is missing column(s) {missing}")
    if passages is None:
        passages = pd.DataFrame(columns=PASSAGE_COLUMNS)
    order = {doc_id: k for k, doc_id in enumerate(docs["doc_id"])}
    labels = document_labels(docs)
    indexed = pairs.set_index(["doc_a", "doc_b"])
    strength = {name: rank for rank, name in enumerate(reversed(RELATIONS))}
    cues = direction_cues(docs, passages, pairs)
    total_weight = sum(CUE_WEIGHTS.values())
    rows = []
    for cue in cues.itertuples(index=False):
        a, b = cue.doc_a, cue.doc_b
        ab, ba = indexed.loc[(a, b)], indexed.loc[(b, a)]
        stronger = max(ab, ba, key=lambda row: strength[row["relation"]])
        if stronger["relation"] == "independent":
            continue
        score = sum(CUE_WEIGHTS[name] * getattr(cue, name) for name in CUE_WEIGHTS)
        derived, source = (a, b) if score > 0 else (b, a)
        # Votes are +1 for "a derives from b": a cue agrees with the edge when
        # its vote has the sign of the chosen orientation (b derived on a tie).
        orientation = 1 if derived == a else -1
        evidence = []
        if cue.published:
            evidence.append(f"published after {labels[source]}"
                            if cue.published * orientation > 0 else
                            f"published before {labels[source]} (against)")
        if cue.attribution:
            evidence.append(f"names {labels[source]}"
                            if cue.attribution * orientation > 0 else
                            f"named by {labels[source]} (against)")
        forward, backward = indexed.loc[(derived, source)], indexed.loc[(source, derived)]
        quoted = (f" ({forward['quoted_containment']:.0%} inside quotes)"
                  if forward["quoted_containment"] > 0 else "")
        evidence.append(f"{forward['lexical_containment']:.0%} of its words in passages shared "
                        f"with {labels[source]}{quoted}, "
                        f"{backward['lexical_containment']:.0%} the other way")
        if not np.isnan(forward["semantic_coverage"]):
            evidence.append(f"{forward['semantic_coverage']:.0%} of its sentences matched")
        if not np.isnan(cue.order_agreement):
            evidence.append(f"shared passages in {'the same' if cue.order_agreement >= 0.5 else 'a different'}"
                            f" order (tau {cue.order_agreement:.2f})")
        if score == 0:
            evidence.insert(0, "direction undetermined")
        rows.append((source, derived, stronger["relation"], stronger["basis"],
                     forward["lexical_containment"], backward["lexical_containment"],
                     forward["semantic_coverage"], cue.order_agreement,
                     round(abs(score) / total_weight, 6), "; ".join(evidence)))
    table = pd.DataFrame(rows, columns=EDGE_COLUMNS)
    table = table.astype({"containment_derived": "float64", "containment_source": "float64",
                          "semantic_coverage": "float64", "order_agreement": "float64",
                          "confidence": "float64"})
    keys = (-table["confidence"].to_numpy(), table["source"].map(order).to_numpy(),
            table["derived"].map(order).to_numpy())
    return table.iloc[np.lexsort(keys[::-1])].reset_index(drop=True)
