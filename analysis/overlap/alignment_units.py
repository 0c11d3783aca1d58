"""What a sentence can be aligned to: a sentence, two adjacent sentences, or a clause.

For each document the aligner builds *units* (:class:`Units`): every sentence;
every pair of adjacent sentences (a sentence of the other document may merge
them); and every clause of a long sentence (:mod:`analysis.overlap.clauses`;
the other document may keep one clause, or split the sentence). Each unit has
a text and an embedding:

- a sentence's vector is the one given;
- two adjacent sentences get the word-count-weighted mean of their vectors,
  renormalised. all-MiniLM-L6-v2 mean-pools its token vectors, so this is the
  pooled vector of the concatenation up to the context the two sentences
  would have given each other's tokens; it costs no encoding;
- a clause is encoded (its text, through the given encoder and its cache).

:func:`candidate_units` then lists, for one sentence, the units worth scoring:
around its nearest sentence (that sentence, the merges containing it, its
clauses). :func:`order_support` gives the other evidence sequence aligners
use, the order of aligned neighbours.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from analysis.overlap.clauses import clause_spans
from analysis.text.words import count_words

#: Unit kinds, in the ``unit_b`` column of the alignment.
UNIT_KINDS = ("sentence", "merge", "clause")


@dataclass(frozen=True)
class Units:
    """The alignment units of one document.

    ``first``/``last``: first and last sentence each unit covers, as
    positions in the document's sentence order (``sent_ids[first]`` is the
    ``sent`` value); ``kind``: one of :data:`UNIT_KINDS`; ``span``: ``(start, end)``
    character span within sentence ``first`` for a clause, None otherwise;
    ``text``; ``vectors``: one L2-normalised row per unit. Units
    ``0 .. n_sentences - 1`` are the sentences, in order.
    """

    first: np.ndarray
    last: np.ndarray
    kind: tuple[str, ...]
    span: tuple[tuple[int, int] | None, ...]
    text: tuple[str, ...]
    vectors: np.ndarray
    n_sentences: int
    sent_ids: np.ndarray


def _normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.maximum(norms, 1e-12)).astype(np.float32)


def clause_texts(texts: Sequence[str]) -> list[list[tuple[int, int]]]:
    """:func:`analysis.overlap.clauses.clause_spans` of each sentence."""
    return [clause_spans(text) for text in texts]


def build_units(sent_ids: Sequence[int], texts: Sequence[str], vectors: np.ndarray,
                spans: Sequence[Sequence[tuple[int, int]]], clause_vectors: np.ndarray) -> Units:
    """Units of one document from its sentences (in order) and its clauses' vectors.

    Parameters
    ----------
    sent_ids, texts : sequence
        The document's sentences in order.
    vectors : numpy.ndarray
        One normalised vector per sentence.
    spans : sequence of sequence of (int, int)
        :func:`clause_texts` of ``texts``.
    clause_vectors : numpy.ndarray
        One vector per clause, in the order of ``spans`` flattened.
    """
    n = len(texts)
    sent_ids = np.asarray(sent_ids, dtype=np.int64)
    first, last, kind, span, text, rows = [], [], [], [], [], []
    for i in range(n):
        first.append(i); last.append(i); kind.append("sentence")
        span.append(None); text.append(texts[i]); rows.append(vectors[i])
    weights = np.array([max(1, count_words(t)) for t in texts], dtype=np.float32)
    for i in range(n - 1):
        first.append(i); last.append(i + 1); kind.append("merge"); span.append(None)
        text.append(f"{texts[i]} {texts[i + 1]}")
        rows.append(weights[i] * vectors[i] + weights[i + 1] * vectors[i + 1])
    k = 0
    for i, clauses in enumerate(spans):
        for start, end in clauses:
            first.append(i); last.append(i); kind.append("clause")
            span.append((start, end)); text.append(texts[i][start:end]); rows.append(clause_vectors[k])
            k += 1
    matrix = _normalised(np.vstack(rows)) if rows else np.zeros((0, vectors.shape[1] if vectors.ndim == 2 else 0),
                                                                    dtype=np.float32)
    return Units(np.array(first, dtype=np.int64), np.array(last, dtype=np.int64), tuple(kind), tuple(span),
                 tuple(text), matrix, n, sent_ids)


def document_units(docs: dict[str, tuple[np.ndarray, list[str], np.ndarray]],
                   encoder: Callable[[list[str]], np.ndarray]) -> dict[str, Units]:
    """Units of every document, encoding all clauses in one call.

    Parameters
    ----------
    docs : dict
        doc_id -> (sentence ids in order, texts in order, normalised vectors in order).
    encoder : callable
        Texts -> one vector per text (the sentence vectors' model).
    """
    spans = {doc_id: clause_texts(texts) for doc_id, (_, texts, _) in docs.items()}
    wanted = [texts[i][s:e] for doc_id, (_, texts, _) in docs.items()
              for i, clauses in enumerate(spans[doc_id]) for s, e in clauses]
    encoded = _normalised(np.asarray(encoder(wanted), dtype=np.float32)) if wanted else None
    out, k = {}, 0
    for doc_id, (ids, texts, vectors) in docs.items():
        n_clauses = sum(len(c) for c in spans[doc_id])
        own = encoded[k:k + n_clauses] if n_clauses else np.zeros((0, vectors.shape[1]), dtype=np.float32)
        k += n_clauses
        out[doc_id] = build_units(ids, texts, vectors, spans[doc_id], own)
    return out


def candidate_units(units: Units, cosine_row: np.ndarray, part_min: float) -> list[int]:
    """Units worth scoring for one sentence, given its cosine to every unit.

    The nearest sentence ``j`` (highest cosine; ties: the earliest), then the
    merges that contain ``j`` and the clauses of ``j`` that are closer to the
    sentence than ``j`` itself: a clause less similar than its whole sentence
    is not a better account of where the sentence comes from. (A merge can be:
    a sentence that joins two may sit closer to the first alone, yet only the
    merge carries all of it; but its other sentence must itself reach cosine
    ``part_min`` with the sentence, or it contributes nothing.) Unit indices
    into ``units``, the nearest sentence first.
    """
    n = units.n_sentences
    best = int(np.argmax(cosine_row[:n]))
    kinds = _kind_arrays(units)
    merge_other = np.where(units.first == best, units.last, units.first)
    clause_ok = kinds["clause"] & (units.first == best) & (cosine_row > cosine_row[best])
    merge_ok = (kinds["merge"] & ((units.first == best) | (units.last == best))
                & (cosine_row[merge_other] >= part_min))
    return [best, *np.flatnonzero(clause_ok | merge_ok).tolist()]


@functools.lru_cache(maxsize=256)
def _kind_arrays_cached(kind: tuple[str, ...]) -> dict[str, np.ndarray]:
    array = np.array(kind)
    return {"clause": array == "clause", "merge": array == "merge"}


def _kind_arrays(units: Units) -> dict[str, np.ndarray]:
    return _kind_arrays_cached(units.kind)


def order_support(linked_first: Sequence[int | None], linked_last: Sequence[int | None], position: int,
                  clause: Sequence[bool] | None = None) -> set[int]:
    """Sentences of b that the order of a's aligned neighbours points at for a's sentence ``position``.

    ``linked_first``/``linked_last``: per sentence of a (in order), the first
    and last sentence of b it is linked to, as positions in b's sentence order
    (None when not linked); ``clause``: whether that link is to a clause only.
    After a predecessor linked to b's sentences ending at ``j``, sentence
    ``j + 1`` is expected, and ``j`` itself when the predecessor took only a
    clause of it (the rest may follow: a split); before a successor linked
    from ``j``, sentence ``j - 1``, and ``j`` when the successor took only a
    clause. The diagonal of the similarity matrix, as a sequence aligner reads it.
    """
    clause = clause if clause is not None else [False] * len(linked_first)
    expected = set()
    if position > 0 and linked_last[position - 1] is not None:
        j = linked_last[position - 1]
        expected.add(j + 1)
        if clause[position - 1]:
            expected.add(j)
    if position + 1 < len(linked_first) and linked_first[position + 1] is not None:
        j = linked_first[position + 1]
        expected.add(j - 1)
        if clause[position + 1]:
            expected.add(j)
    return expected
