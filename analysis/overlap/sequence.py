"""Sentence coverage read along the text: the aligned sentences plus the short gaps between them.

A reworded copy follows its source sentence by sentence, but a sentence split
in two, or reworded beyond what the aligner accepts as a paraphrase, is left
without a counterpart (kind ``none`` or ``related``) although its best match sits exactly
where the sequence says it should. :func:`ordered_coverage` counts such a
sentence: it is what makes the strength of a whole reworded copy near 1
(:func:`analysis.overlap.derivation.derivation_edges`). The relation rule
itself keeps the plain semantic coverage.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.tables import require_columns

#: Alignment kinds that are not a counterpart the text was made from: ``none``,
#: and ``related`` (the same fact in independent wording is not derivation).
UNMATCHED_KINDS = ("none", "related")

#: Longest run of unaligned sentences that can be filled from the sequence.
#: Set by hand on the seed corpus: its reworded copy splits one source sentence
#: in two (a run of 2) and rewords one past the paraphrase threshold (a run of
#: 1); a longer run is material the copy added or the texts do not share.
ORDER_GAP_MAX = 2
#: Extra source sentences the span between two aligned neighbours may have
#: beyond the derived text's own span (a sentence the copy dropped).
ORDER_SPAN_SLACK = 1


def _continued(sent_a: np.ndarray, sent_b: np.ndarray, anchor: int, run: range) -> np.ndarray:
    """Mask of a leading or trailing ``run`` whose best matches carry on the sequence from ``anchor``.

    Read away from the anchor (numbers negated for a leading run), each best
    match must come after the previous one and no further from the anchor's
    counterpart than the sentence is from the anchor plus :data:`ORDER_SPAN_SLACK`.
    """
    mask = np.zeros(len(sent_a), dtype=bool)
    if not 0 < len(run) <= ORDER_GAP_MAX:
        return mask
    last = sent_b[anchor]
    for k in run:
        if not last < sent_b[k] <= sent_b[anchor] + (sent_a[k] - sent_a[anchor]) + ORDER_SPAN_SLACK:
            return np.zeros(len(sent_a), dtype=bool)
        last = sent_b[k]
    mask[list(run)] = True
    return mask


def ordered_coverage(alignment: pd.DataFrame) -> pd.DataFrame:
    """Share of a's sentences with a counterpart in b, counting the gaps the sentence order fills.

    A sentence of a with no counterpart (kind in :data:`UNMATCHED_KINDS`) counts as having one
    when it lies in a run of at most :data:`ORDER_GAP_MAX` such sentences
    between two aligned sentences (``(i1, j1)`` before it, ``(i2, j2)`` after
    it, a's and b's sentence numbers), the source span is not longer than the
    derived one plus :data:`ORDER_SPAN_SLACK` (``j2 - j1 <= i2 - i1 + slack``),
    and its best match in b (``sent_b``) lies within ``j1..j2``. A run of at
    most :data:`ORDER_GAP_MAX` unaligned sentences before the first aligned
    one or after the last counts too when its best matches carry on the
    sequence (:func:`_continued`): a copy that ends, or starts, as its source does.

    Parameters
    ----------
    alignment : pandas.DataFrame
        :func:`analysis.overlap.alignment.align_sentences` output (``doc_a``,
        ``sent_a``, ``doc_b``, ``sent_b``, ``kind``).

    Returns
    -------
    pandas.DataFrame
        ``doc_a``, ``doc_b``, ``aligned`` (a's sentences with a counterpart),
        ``filled`` (of those, counted from the order), ``sentences`` (a's
        sentences compared), ``ordered_coverage`` (``aligned / sentences``).
    """
    require_columns(alignment, ("doc_a", "sent_a", "doc_b", "sent_b", "kind"), "alignment")
    # one sort of the whole table, pairs in order of first appearance and each pair's rows by
    # sent_a (stable): a pandas group per pair cost ~2.5 ms, 11 s for the Reuters corpus's pairs
    pair = alignment.groupby(["doc_a", "doc_b"], sort=False).ngroup().fillna(-1).to_numpy()
    all_a, all_b = alignment["sent_a"].to_numpy(), alignment["sent_b"].to_numpy()
    all_matched = (~alignment["kind"].isin(UNMATCHED_KINDS)).to_numpy()
    docs_a, docs_b = alignment["doc_a"].to_numpy(), alignment["doc_b"].to_numpy()
    order = np.lexsort((all_a, pair))
    order = order[pair[order] >= 0]  # rows without both documents belong to no pair
    starts = np.flatnonzero(np.diff(pair[order], prepend=-2))
    rows = []
    for start, end in zip(starts, [*starts[1:], len(order)]):
        group = order[start:end]
        doc_a, doc_b = docs_a[group[0]], docs_b[group[0]]
        sent_a, sent_b, matched = all_a[group], all_b[group], all_matched[group]
        filled = np.zeros(len(group), dtype=bool)
        anchors = np.flatnonzero(matched)
        for before, after in zip(anchors[:-1], anchors[1:]):
            run = range(before + 1, after)
            if not 0 < len(run) <= ORDER_GAP_MAX:
                continue
            i1, j1, i2, j2 = sent_a[before], sent_b[before], sent_a[after], sent_b[after]
            if j2 - j1 > i2 - i1 + ORDER_SPAN_SLACK:
                continue
            if all(j1 <= sent_b[k] <= j2 for k in run):
                filled[list(run)] = True
        if len(anchors):
            filled |= _continued(sent_a, sent_b, anchors[-1], range(anchors[-1] + 1, len(group)))
            filled |= _continued(-sent_a, -sent_b, anchors[0], range(anchors[0] - 1, -1, -1))
        n = len(group)
        aligned = int(matched.sum() + filled.sum())
        rows.append((doc_a, doc_b, aligned, int(filled.sum()), n, round(aligned / n, 6) if n else np.nan))
    return pd.DataFrame(rows, columns=["doc_a", "doc_b", "aligned", "filled", "sentences", "ordered_coverage"])


def counterpart_links(alignment: pd.DataFrame) -> pd.DataFrame:
    """Every sentence pair an alignment calls counterparts: one row per linked sentence of b.

    Rows of a kind in :data:`UNMATCHED_KINDS` link nothing. A row links its
    ``sent_a`` to ``sent_b`` and, for a merge or a clause, to every sentence of
    its ``sents_b`` (``"4;5"``; absent in older tables: ``sent_b`` alone).

    Parameters
    ----------
    alignment : pandas.DataFrame
        :func:`analysis.overlap.alignment.align_sentences` output (``doc_a``,
        ``sent_a``, ``doc_b``, ``sent_b``, ``kind``; optional ``sents_b``).

    Returns
    -------
    pandas.DataFrame
        ``row`` (the alignment row's index label), ``doc_a``, ``sent_a``,
        ``doc_b`` (str), ``sent_b`` (int: the linked sentence), in the
        alignment's row order, each (row, sentence) once.
    """
    require_columns(alignment, ("doc_a", "sent_a", "doc_b", "sent_b", "kind"), "alignment")
    kept = alignment[~alignment["kind"].isin(UNMATCHED_KINDS)]
    sents = kept["sents_b"].astype(str) if "sents_b" in kept else pd.Series("", index=kept.index)
    targets = (kept["sent_b"].astype(int).astype(str) + ";" + sents).str.split(";").explode()
    targets = pd.to_numeric(targets, errors="coerce").dropna().astype(int)
    links = pd.DataFrame({"row": targets.index, "sent_b": targets.to_numpy()})
    links = links.drop_duplicates(ignore_index=True)
    source = kept.loc[links["row"]]
    return pd.DataFrame({"row": links["row"], "doc_a": source["doc_a"].astype(str).to_numpy(),
                         "sent_a": source["sent_a"].astype(int).to_numpy(),
                         "doc_b": source["doc_b"].astype(str).to_numpy(), "sent_b": links["sent_b"]})
