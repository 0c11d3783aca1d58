"""Pair relations from both kinds of evidence: shared passages, then the sentence alignment.

The overlap stages run one way: :mod:`analysis.overlap.passages` finds the
passages two texts share (lexical evidence, measured per pair by
:mod:`analysis.overlap.containment`), :mod:`analysis.overlap.alignment`
matches their sentences (semantic evidence), and this module combines the two
into one relation per ordered pair. Neither earlier stage imports a later one.
"""

from __future__ import annotations

import pandas as pd

from analysis.overlap.alignment import semantic_coverage
from analysis.overlap.containment import overlap_pairs


def pair_relations(docs: pd.DataFrame, passages: pd.DataFrame,
                   alignment: pd.DataFrame | None = None, *,
                   pairs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pairwise overlap summary with the semantic coverage of a sentence alignment.

    :func:`analysis.overlap.containment.overlap_pairs` given the
    :func:`analysis.overlap.alignment.semantic_coverage` of ``alignment``: a
    pair whose coverage reaches
    :data:`analysis.overlap.containment.SEMANTIC_DERIVED_MIN` is
    ``wholly_derived`` (basis ``reworded``) whatever its lexical containment.
    A pair with a document not in English takes the any-language model
    (:mod:`analysis.overlap.relation_model`; column ``rule``), which needs
    neither spaCy nor the sentence model: its alignment is not used.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``doc_id`` and ``body``.
    passages : pandas.DataFrame
        :func:`analysis.overlap.passages.shared_passages` of the same docs.
    alignment : pandas.DataFrame, optional
        :func:`analysis.overlap.alignment.align_sentences` output (``doc_a``,
        ``sent_a``, ``doc_b``, ``kind``, ...). Without it the relation is
        lexical only and ``semantic_coverage`` is NaN.
    pairs : pandas.DataFrame, optional
        Pairs to report (``doc_a``, ``doc_b``), as for ``overlap_pairs``.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`analysis.overlap.containment.overlap_pairs`
        (``doc_a``, ``doc_b``, ``words_a``, ``lexical_containment``,
        ``quoted_containment``, ``unquoted_containment``,
        ``semantic_coverage``, ``jaccard``, ``relation``, ``basis``, ``rule``,
        ``derived_probability``), one row
        per ordered pair, sorted by doc_a then doc_b in corpus order.
    """
    coverage = semantic_coverage(alignment) if alignment is not None else None
    return overlap_pairs(docs, passages, coverage, pairs=pairs)
