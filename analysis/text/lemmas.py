"""Lemmas and stop words: spaCy's own lemmatizer and spaCy's English stop words."""

from __future__ import annotations

import functools

from analysis.text.words import normalise_word

def lemma(token) -> str:
    """Dictionary form of a parsed token, lower case: "received" and "receives" give "receive".

    spaCy's own lemmatizer (rule-based, from the pinned pipeline package;
    :func:`analysis.text.nlp.load_pipeline` loads it), so the form depends on the
    token's part of speech ("saw" the verb is "see", the noun "saw").

    Raises
    ------
    analysis.resources.ResourceError
        If the text was parsed by a pipeline without a lemmatizer.
    """
    form = token.lemma_
    if not form and token.text.strip():
        from analysis.resources import ResourceError

        raise ResourceError("the spaCy pipeline that parsed this text has no lemmatizer; "
                            "load it with analysis.text.nlp.load_pipeline")
    return form.lower()


def lemmas(doc) -> list[str]:
    """:func:`lemma` of every token of a parsed text, in order."""
    return [lemma(token) for token in doc]


@functools.cache
def stop_words() -> frozenset[str]:
    """spaCy's English stop words (lower case), the kit's one list.

    Read on first use: importing spaCy takes about two seconds, and most
    callers of this module never need it.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def is_stop_word(word: str) -> bool:
    """Whether ``word`` (any case, any apostrophe) is one of :func:`stop_words`."""
    return normalise_word(word) in stop_words()
