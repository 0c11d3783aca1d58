"""spaCy pipeline loading and parsing, shared by every section.

A corpus is parsed once (:func:`parse_bodies`) and the parsed ``Doc`` objects are
handed to the sections that need tokens, sentences, lemmas or entities, so no
section loads a model or parses the text a second time. Sentences and lemmas
are read from the parse through :mod:`analysis.text`.
"""

from __future__ import annotations

import functools

import pandas as pd

from analysis.resources import resolve_spacy_model

#: Components the kit never uses; excluding them saves load and parse time.
#: None today: the lemmatizer (:func:`analysis.text.lemmas.lemma`) costs 2-3 % of the
#: parse's CPU time (0.6 s of 27 s on 200 BBC articles; see the commit that
#: re-enabled it).
UNUSED_COMPONENTS: tuple[str, ...] = ()


def load_pipeline(model: str = "auto", exclude: tuple[str, ...] = UNUSED_COMPONENTS):
    """Load an installed English spaCy pipeline (once per process for each package and exclusion).

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
    # cached on the resolved name: "auto" and the package it names are one pipeline, loaded once
    return _load(_resolved(model), tuple(exclude))


@functools.cache
def _resolved(model: str) -> str:
    return resolve_spacy_model(model)  # reads package metadata: some 19 ms a call


@functools.cache
def _load(name: str, exclude: tuple[str, ...]):
    import spacy

    return spacy.load(name, exclude=list(exclude))


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
