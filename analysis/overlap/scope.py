"""Which sentences the overlap stage needs: prose sentences of documents in a candidate pair.

Embedding a sentence is the costly step of the semantic alignment, and only
sentences of documents that are compared with some other document are ever
aligned: on BBC News 1,000, 190 of the 1,000 articles are in a candidate pair.
Both functions here are linear in the number of sentences (a merge on
``doc_id``), where a loop over headings masking the whole sentence table grew
with the square of the corpus.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def sentences_outside(sentences: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """The sentences not lying wholly inside any of the given spans of their document.

    Parameters
    ----------
    sentences : pandas.DataFrame
        :func:`analysis.text.sentences.sentence_table` rows (``doc_id``,
        ``start``, ``end``, ...).
    spans : pandas.DataFrame
        ``doc_id``, ``start``, ``end`` character spans (e.g. the sub-heading
        paragraphs of :func:`analysis.corpus.cleaning.paragraph_table`).

    Returns
    -------
    pandas.DataFrame
        The rows of ``sentences`` whose ``[start, end)`` is not inside a span of
        the same document, in their order, index reset.
    """
    if sentences.empty or spans.empty:
        return sentences.reset_index(drop=True)
    rows = sentences[["doc_id", "start", "end"]].assign(row=np.arange(len(sentences)))
    inside = rows.merge(spans[["doc_id", "start", "end"]], on="doc_id", suffixes=("", "_span"))
    inside = inside[(inside["start"] >= inside["start_span"]) & (inside["end"] <= inside["end_span"])]
    keep = np.ones(len(sentences), dtype=bool)
    keep[inside["row"].to_numpy()] = False
    return sentences[keep].reset_index(drop=True)


def sentences_in_pairs(sentences: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """The sentences of documents named in ``pairs`` (``doc_a`` or ``doc_b``), in their order.

    Parameters
    ----------
    sentences : pandas.DataFrame
        Any table with ``doc_id``.
    pairs : pandas.DataFrame
        ``doc_a``, ``doc_b``.

    Returns
    -------
    pandas.DataFrame
        The rows of ``sentences`` whose document is in some pair, index reset.
    """
    wanted = set(pairs["doc_a"]) | set(pairs["doc_b"])
    return sentences[sentences["doc_id"].isin(wanted).to_numpy()].reset_index(drop=True)
