"""Parallax: compare how news outlets cover the same story.

The package is a set of small, pure functions, one module per concern, in the
order data flows through them::

    corpus (load, clean) -> readability, entities, overlap, quotes, numbers
                         -> figures, tables -> report (papermill) -> cli

Every analysis function takes a corpus table (one row per document, see
:func:`analysis.corpus.reading.load_corpus`) or plain text, and returns a tidy
:class:`pandas.DataFrame` with one row per observation.
"""

__version__ = "0.1.0"
