"""spaCy pipeline loading and sentence segmentation, shared by every section.

A corpus is parsed once (:func:`parse_bodies`) and the parsed ``Doc`` objects are
handed to the sections that need tokens, sentences or entities, so no section
loads a model or parses the text a second time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

import pandas as pd

from .resources import resolve_spacy_model

#: Components the kit never uses; excluding them saves load and parse time.
UNUSED_COMPONENTS = ("lemmatizer",)


@functools.cache
def load_pipeline(model: str = "auto", exclude: tuple[str, ...] = UNUSED_COMPONENTS):
    """Load an installed English spaCy pipeline (cached per arguments).

    Parameters
    ----------
    model : str
        Package name or ``"auto"`` (see :func:`analysis.resources.resolve_spacy_model`).
    exclude : tuple of str
        Pipeline components not to load.

    Returns
    -------
    spacy.language.Language
    """
    import spacy

    name = resolve_spacy_model(model)
    return spacy.load(name, exclude=[c for c in exclude])


def pipeline_info(nlp) -> dict[str, str]:
    """Name and version of a loaded pipeline, for the report manifest."""
    meta = nlp.meta
    return {"spacy_model": f"{meta.get('lang', 'xx')}_{meta.get('name', '?')}",
            "spacy_model_version": str(meta.get("version", "?"))}


def parse_bodies(docs: pd.DataFrame, nlp, *, batch_size: int = 16, n_process: int = 1) -> dict:
    """Parse every document body once.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``doc_id`` and ``body`` columns.
    nlp : spacy.language.Language
        A loaded pipeline (:func:`load_pipeline`).
    batch_size, n_process : int
        Passed to ``nlp.pipe``.

    Returns
    -------
    dict
        ``doc_id`` -> ``spacy.tokens.Doc`` of the body, in corpus order.
    """
    texts = docs["body"].tolist()
    parsed = nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
    return dict(zip(docs["doc_id"].tolist(), parsed, strict=True))


def sentence_table(parsed: Mapping[str, object]) -> pd.DataFrame:
    """One row per sentence of each parsed body.

    Parameters
    ----------
    parsed : mapping
        ``doc_id`` -> spaCy ``Doc`` (from :func:`parse_bodies`).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``sent`` (0-based index within the document),
        ``start``, ``end`` (character offsets into the body) and ``text``.
        Whitespace-only spans (paragraph breaks) are skipped.
    """
    rows = []
    for doc_id, doc in parsed.items():
        index = 0
        for span in _sentence_spans(doc):
            rows.append((doc_id, index, span[0], span[1], doc.text[span[0]:span[1]]))
            index += 1
    return pd.DataFrame(rows, columns=["doc_id", "sent", "start", "end", "text"])


def _sentence_spans(doc) -> Iterable[tuple[int, int]]:
    """Character spans of the sentences of ``doc``, never crossing a paragraph break.

    spaCy's parser sometimes runs a sentence across a blank line (a heading
    with no full stop, say); a paragraph break always ends a sentence here.
    """
    text = doc.text
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        piece_start = start
        while True:
            brk = text.find("\n\n", piece_start, end)
            stop = end if brk == -1 else brk
            chunk = text[piece_start:stop]
            stripped = chunk.strip()
            if stripped:
                lead = len(chunk) - len(chunk.lstrip())
                yield piece_start + lead, piece_start + lead + len(stripped)
            if brk == -1:
                break
            piece_start = brk + 2
