"""Parallax: compare how news outlets cover the same story.

The package is laid out by stage, in the order data flows through it::

    corpus (read, clean, languages) -> text (words, sentences, quotation marks, lemmas)
        -> measures (readability, entities), overlap (who copied whom),
           statements (quotes, numbers)
        -> figures, tables -> report (pipeline, narrative, render, run, manifest) -> cli

Every analysis function takes a corpus table (one row per document, see
:func:`analysis.corpus.cleaning.load_corpus`) or plain text, and returns a tidy
:class:`pandas.DataFrame` with one row per observation.
"""

__version__ = "0.1.0"
