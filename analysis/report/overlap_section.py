"""The overlap section's computation, apart from the orchestration in :mod:`analysis.report.pipeline`.

:func:`compute_overlap` runs the cross-source comparisons over a loaded corpus
(:class:`analysis.report.pipeline.CorpusAnalysis`, passed in: this module does
not import the pipeline); ``CorpusAnalysis.overlap`` calls it once per corpus,
since the quotes section and the findings read its tables too.
"""

from __future__ import annotations

import pandas as pd


def cross_source_skip_reason(analysis) -> str | None:
    """Why the cross-source sections cannot run on this corpus (None when they can)."""
    if analysis.n_documents < 2:
        return (f"This corpus has {analysis.n_documents} document: comparing outlets needs at least two, "
                "so the overlap, quote-variant and number-conflict comparisons are skipped.")
    return None


def compute_overlap(analysis) -> dict[str, pd.DataFrame]:
    """The overlap section: stories, candidate pairs, shared passages, aligned sentences and what
    changed between them (``statement_changes``, English documents), pairwise summary, derivation edges.

    Candidate pairs come from MinHash LSH (every pair for a small corpus) over
    shingles that are not wire formulas; documents are grouped into stories
    (:mod:`analysis.overlap.stories`) and only pairs within a story are
    compared; the exact passage alignment runs on those pairs, and only the
    sentences of their documents are embedded. Every comparison table has a
    ``story_id`` column. Empty when the corpus has fewer than two documents.
    """
    if cross_source_skip_reason(analysis):
        return {}
    from analysis.overlap.derivation import derivation_edges
    from analysis.overlap.scope import sentences_in_pairs
    from analysis.overlap.stories import with_story_id, within_stories

    from analysis.overlap.relations import pair_relations
    from analysis.overlap.reuse import mark_reuse
    from analysis.report.stages import align_by_story, embed_sentences, shared_passages_by_story

    docs, params, stories = analysis.docs, analysis.parameters, analysis.stories
    pairs = within_stories(analysis.candidates, stories)
    # many documents: formulas, template lines and other-figure fills are not shared text
    anchors = analysis.formulas if analysis.common_forms else None
    passages = shared_passages_by_story(docs, pairs, params["min_passage_words"], anchors, analysis.executor)
    sentences = sentences_in_pairs(analysis.prose_sentences, pairs)
    backend = params["embedding_backend"]
    vectors = embed_sentences(sentences["text"].tolist(), backend, analysis.executor)  # in batches, maybe on Dask
    alignment = align_by_story(sentences, vectors, pairs, backend, analysis.executor,
                               params.get("spacy_model", "auto"))
    summary = pair_relations(docs, passages, alignment, pairs=pairs)
    from analysis.statements.changes import statement_changes

    changes = statement_changes(alignment, sentences, analysis.english_parsed, analysis.aliases,
                                analysis.document_tables["numbers"])
    return {
        "stories": stories,
        "candidate_pairs": pairs,
        "passages": with_story_id(mark_reuse(passages, docs), stories),  # reuse: listed and highlighted
        "sentence_alignment": with_story_id(alignment, stories),
        "statement_changes": with_story_id(changes, stories),
        "overlap_pairs": with_story_id(summary, stories),
        "derivation": with_story_id(derivation_edges(summary, docs, passages, alignment), stories, "source"),
    }
