"""Sentence segmentation: a real segmenter's sentences, never across a paragraph break."""

from __future__ import annotations

from analysis.nlp import parse_bodies, sentence_table
from conftest import make_docs


def sentences(nlp, body):
    table = sentence_table(parse_bodies(make_docs({"d": body}), nlp))
    for row in table.itertuples():
        assert body[row.start:row.end] == row.text
    return table["text"].tolist()


def test_abbreviations_do_not_end_sentences(nlp):
    assert sentences(nlp, "Mr. Smith met Dr. Jones in the U.S. on Dec. 21. They talked.") == [
        "Mr. Smith met Dr. Jones in the U.S. on Dec. 21.", "They talked."]


def test_quotation_with_attribution_is_one_sentence(nlp):
    assert sentences(nlp, "\u201cThe DPRK remains unchanged,\u201d the spokesperson said, according to KCNA. "
                          "\u201cIt never happened.\u201d") == [
        "\u201cThe DPRK remains unchanged,\u201d the spokesperson said, according to KCNA.",
        "\u201cIt never happened.\u201d"]


def test_paragraph_break_always_ends_a_sentence(nlp):
    assert sentences(nlp, "Desperation on the part of Russia\n\nClaims are rising. Officials agree.") == [
        "Desperation on the part of Russia", "Claims are rising.", "Officials agree."]


def test_empty_body_has_no_sentences(nlp):
    assert sentences(nlp, "") == []
