"""Sentences: the kit's one segmenter (spaCy's sentences, never across a paragraph break)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.text.paragraphs import paragraph_spans

def sentence_spans(doc) -> list[tuple[int, int]]:
    """Character spans of the sentences of a parsed text: the kit's one segmenter.

    spaCy's sentences (parser-based), cut at every paragraph break
    (:func:`paragraph_spans`): the parser sometimes runs a sentence across a
    blank line (a heading with no full stop, say), but a paragraph break
    always ends a sentence here. Spans are trimmed of whitespace; blank ones
    are left out.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        A parsed text (:func:`analysis.text.nlp.parse_bodies`).

    Returns
    -------
    list of tuple of int
        ``(start, end)`` character offsets into ``doc.text``, in text order.
    """
    text = doc.text
    paragraphs = paragraph_spans(text)
    spans = []
    first = 0                       # first paragraph that may overlap the sentence
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while first < len(paragraphs) and paragraphs[first][1] <= start:
            first += 1
        k = first
        while k < len(paragraphs) and paragraphs[k][0] < end:
            piece_start, piece_end = max(start, paragraphs[k][0]), min(end, paragraphs[k][1])
            piece = text[piece_start:piece_end]
            stripped = piece.strip()
            if stripped:
                lead = piece_start + len(piece) - len(piece.lstrip())
                spans.append((lead, lead + len(stripped)))
            k += 1
    return spans


def count_sentences(doc) -> int:
    """Number of sentences of a parsed text (:func:`sentence_spans`)."""
    return len(sentence_spans(doc))


def sentence_table(parsed: Mapping[str, object]) -> pd.DataFrame:
    """One row per sentence of each parsed text (:func:`sentence_spans`).

    Parameters
    ----------
    parsed : mapping
        ``doc_id`` -> spaCy ``Doc`` (from :func:`analysis.text.nlp.parse_bodies`).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``sent`` (0-based index within the document),
        ``start``, ``end`` (character offsets into the text) and ``text``,
        in the mapping's order.
    """
    rows = []
    for doc_id, doc in parsed.items():
        text = doc.text  # spaCy joins every token to make it: once per document, not per sentence
        for index, (start, end) in enumerate(sentence_spans(doc)):
            rows.append((doc_id, index, start, end, text[start:end]))
    table = pd.DataFrame(rows, columns=["doc_id", "sent", "start", "end", "text"])
    return table.astype({"sent": "int64", "start": "int64", "end": "int64"})
