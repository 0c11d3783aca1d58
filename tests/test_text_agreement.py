"""Every section counts the words and sentences of a document as the text layer does.

Runs the sections on the seed corpus (five real articles) and compares each
table's per-document word and sentence counts with :mod:`analysis.text`.
Before the one text layer, ``documents.csv`` counted "it's" as one word and
"4,000" as two, ``overlap_pairs.csv`` "it's" as two and "4,000" as two, and
the other sections had their own rules again.
"""

from __future__ import annotations

import pytest

from analysis.corpus import cleaning
from analysis.overlap import passages as overlap
from analysis.overlap.containment import overlap_pairs
from analysis.measures import readability
from analysis.measures.paragraph_readability import paragraph_readability
from analysis.text.paragraphs import paragraph_spans
from analysis.text.sentences import count_sentences, sentence_spans
from analysis.text.words import count_words
from analysis.report.pipeline import open_corpus
from conftest import SEEDS


@pytest.fixture(scope="module")
def seeds():
    analysis = open_corpus(SEEDS)
    bodies = dict(zip(analysis.docs["doc_id"], analysis.docs["body"]))
    return analysis, bodies


def test_documents_table_counts_words_and_sentences_as_the_text_layer(seeds):
    analysis, bodies = seeds
    documents = cleaning.document_table(analysis.docs, analysis.sentences).set_index("doc_id")
    for doc_id, body in bodies.items():
        assert documents.loc[doc_id, "n_words"] == count_words(body), doc_id
        assert documents.loc[doc_id, "n_sentences"] == count_sentences(analysis.parsed[doc_id]), doc_id
        assert documents.loc[doc_id, "n_paragraphs"] == len(paragraph_spans(body)), doc_id


def test_paragraph_table_is_the_text_layers_paragraphs(seeds):
    analysis, bodies = seeds
    paragraphs = cleaning.paragraph_table(analysis.docs)
    for doc_id, body in bodies.items():
        rows = paragraphs[paragraphs["doc_id"] == doc_id]
        assert list(zip(rows["start"], rows["end"])) == paragraph_spans(body)
        assert rows["n_words"].tolist() == [count_words(t) for t in rows["text"]]


def test_overlap_pairs_count_words_as_the_text_layer(seeds):
    analysis, bodies = seeds
    pairs = overlap_pairs(analysis.docs, overlap.shared_passages(analysis.docs))
    for doc_a, words_a in zip(pairs["doc_a"], pairs["words_a"]):
        assert words_a == count_words(bodies[doc_a]), doc_a


def test_readability_counts_words_and_sentences_as_the_text_layer(seeds):
    """Readability scores the body without its sub-headings: its counts are the
    text layer's counts of the other paragraphs."""
    analysis, bodies = seeds
    paragraphs = cleaning.paragraph_table(analysis.docs)
    table = readability.readability_table(analysis.docs, paragraphs, parsed=analysis.parsed)
    per_paragraph = paragraph_readability(analysis.docs, paragraphs)
    for doc_id, body in bodies.items():
        prose = paragraphs[(paragraphs["doc_id"] == doc_id) & (paragraphs["kind"] == "paragraph")]
        row = table[table["doc_id"] == doc_id].iloc[0]
        assert row["words"] == sum(count_words(t) for t in prose["text"]), doc_id
        starts = [s for s, _ in sentence_spans(analysis.parsed[doc_id])]
        assert row["sentences_independent"] == sum(
            any(p0 <= s < p1 for p0, p1 in zip(prose["start"], prose["end"])) for s in starts), doc_id
        rows = per_paragraph[per_paragraph["doc_id"] == doc_id]
        assert rows["words"].tolist() == [count_words(body[s:e])
                                          for s, e in zip(rows["start"], rows["end"])], doc_id


def test_entity_rates_use_the_text_layers_word_count(seeds):
    analysis, bodies = seeds
    table = analysis.entities["entities"]
    assert not table.empty
    for row in table.itertuples():
        expected = round(1000 * row.mentions / count_words(bodies[row.doc_id]), 3)
        assert row.mentions_per_1k_words == expected, (row.doc_id, row.entity)


def test_sections_agree_with_each_other_on_the_seeds(seeds):
    """The figure a reader compares across tables: one count per document."""
    analysis, bodies = seeds
    documents = cleaning.document_table(analysis.docs, analysis.sentences).set_index("doc_id")
    pairs = overlap_pairs(analysis.docs, overlap.shared_passages(analysis.docs))
    words_a = pairs.groupby("doc_a")["words_a"].first()
    assert documents["n_words"].to_dict() == words_a.to_dict()
