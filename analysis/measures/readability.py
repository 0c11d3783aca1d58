"""Readability: how hard is each outlet's text, by textstat's English formulas.

Every score is textstat's own (version 0.7.13, default settings, no rounding)
computed on a *scored text* built from the cleaned body. Building that text is
where textstat's known traps on news text are handled:

headings
    A short line without final punctuation (:func:`analysis.corpus.boilerplate.is_heading`) is not a
    sentence. textstat's sentence regex runs across the blank line and glues it
    onto the next sentence, inflating words per sentence. Headings are left out
    of the scored text and counted in ``headings_excluded``.
missing space after a full stop
    ``"weapons.Kirby said"`` is one word to textstat (punctuation is deleted,
    not replaced by a space), so words and syllables come out wrong. The space
    is restored (:func:`analysis.measures.scored_text.repair_missing_spaces`); ``U.S.``, ``3.5`` and URLs are
    left alone.
unterminated paragraphs
    A paragraph that is not a heading but has no final ``.``/``!``/``?`` (a
    photo caption, a quote missing its full stop) would also be glued onto the
    next sentence. A paragraph break ends a sentence (as in
    :func:`analysis.text.sentences.sentence_spans`), so a full stop is appended.
dropped fragments
    textstat ignores "sentences" of two words or fewer ("He agreed.", the
    ``S.`` left over from splitting ``U.S.``). They are counted
    (:func:`analysis.measures.scored_text.textstat_dropped_fragments`) and flagged.
sentence count
    Sentences are also counted by the kit's one segmenter
    (:func:`analysis.text.sentences.sentence_spans`); a material difference from
    textstat's count is flagged.

The scored text's paragraphs are joined with ``"\\n\\n"``, so calling textstat
on it reproduces every score and every textstat count in
:func:`readability_table`. The ``words`` column is the kit's word count
(:func:`analysis.text.words.count_words`) of the same text, the figure every other
table reports; textstat counts words its own way inside its formulas
(punctuation deleted, then split on spaces).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from analysis.corpus.language import document_languages
from analysis.corpus.cleaning import document_labels
from analysis.measures.scored_text import (REQUIRED_DOC_COLUMNS, scored_text, split_paragraphs,
                                           textstat_dropped_fragments, textstat_instance,
                                           unscorable_reason)
from analysis.tables import check_corpus_table
from analysis.text.sentences import sentence_spans
from analysis.text.words import count_words, has_words

#: textstat formula functions reported per document (column name = function name).
FORMULAS = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall_readability_score",
    "linsear_write_formula",
)

#: Formulas whose score is a US school grade (Flesch reading ease is a 0-100
#: ease score and Dale-Chall a raw score on its own scale, so both are left out).
GRADE_FORMULAS = (
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
    "linsear_write_formula",
)


#: textstat's and the independent sentence count differ "materially" when they
#: differ by at least this many sentences AND by at least this share of the
#: independent count.
SENTENCE_MISMATCH_MIN_DIFF = 2
SENTENCE_MISMATCH_MIN_SHARE = 0.10

#: Flesch-Kincaid, SMOG and Linsear Write were fitted on samples of 100+ words;
#: SMOG on 30 sentences. Shorter documents are flagged, not refused.
SHORT_TEXT_WORDS = 100
SMOG_MIN_SENTENCES = 30


_COUNT_COLUMNS = ("sentences", "words", "syllables", "difficult_words", "polysyllables",
                  "characters", "letters")

READABILITY_COLUMNS = (
    ("doc_id", "label") + FORMULAS + ("text_standard", "text_standard_grade") + _COUNT_COLUMNS
    + ("sentences_independent", "dropped_fragments", "headings_excluded",
       "missing_spaces_repaired", "paragraphs_terminated", "flags")
)


def readability_table(docs: pd.DataFrame, paragraphs: pd.DataFrame | None = None,
                      parsed: Mapping[str, object] | None = None) -> pd.DataFrame:
    """All textstat English readability formulas per document, with raw counts.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``, ``body``; one row per document;
        its ``language`` column, or the language detected from ``body`` when
        it has none, decides which documents are scored).
    paragraphs : pandas.DataFrame, optional
        Paragraph table with ``kind`` (see :func:`split_paragraphs`); when
        omitted, headings are found with :func:`is_heading`.
    parsed : mapping, optional
        ``doc_id`` -> spaCy ``Doc`` of the body (:func:`analysis.text.nlp.parse_bodies`),
        for the kit's sentence count. When omitted the bodies are parsed with
        :func:`analysis.text.nlp.load_pipeline`.

    Returns
    -------
    pandas.DataFrame
        One row per document, sorted by ``doc_id``. Columns:

        - ``doc_id``, ``label``
        - ``flesch_reading_ease``, ``flesch_kincaid_grade``, ``gunning_fog``,
          ``smog_index``, ``coleman_liau_index``, ``automated_readability_index``,
          ``dale_chall_readability_score``, ``linsear_write_formula`` (float):
          textstat's function of the same name on the scored text
          (:func:`scored_text`); NaN when there is no text to score or the
          English formulas do not apply to it (:func:`unscorable_reason`).
        - ``text_standard`` (str, e.g. ``"10th and 11th grade"``, "" when
          unscored) and ``text_standard_grade`` (float): textstat's consensus
          grade as its string band and as a number.
        - ``sentences``, ``syllables``, ``difficult_words``, ``polysyllables``,
          ``characters`` (non-space characters), ``letters`` (int): textstat's
          counts on the scored text (``sentence_count``, ``syllable_count``,
          ``difficult_words``, ``polysyllabcount``, ``char_count``,
          ``letter_count``).
        - ``words`` (int): words of the scored text, that is of the body
          without its sub-headings (:func:`analysis.text.words.count_words`; the
          scored text's repairs add or remove no word).
        - ``sentences_independent`` (int): the kit's sentences
          (:func:`analysis.text.sentences.sentence_spans`) starting in a non-heading
          paragraph.
        - ``dropped_fragments`` (int): pieces of two words or fewer textstat did
          not count as sentences (:func:`textstat_dropped_fragments`).
        - ``headings_excluded``, ``missing_spaces_repaired``,
          ``paragraphs_terminated`` (int): what :func:`scored_text` changed.
        - ``flags`` (str): ``;``-separated, fixed order, "" when clean:
          ``empty_body``, ``no_scorable_text``, ``not_english=<code>`` (the
          document is in another language, e.g. ``not_english=ru``),
          ``not_latin_script`` or ``no_sentence_punctuation`` (scores left
          NaN: see :func:`unscorable_reason`), ``headings_excluded=N``,
          ``missing_spaces_repaired=N``, ``paragraphs_terminated=N``,
          ``dropped_fragments=N``, ``sentence_count_mismatch=T/I`` (textstat vs
          independent count differ by >= 2 sentences and >= 10 %),
          ``short_text`` (< 100 words), ``smog_few_sentences`` (< 30 sentences).

    Raises
    ------
    ValueError
        On a missing column, duplicate ``doc_id``, non-string body, or a
        paragraph table / parsed mapping that does not match the corpus table.
    """
    check_corpus_table(docs, REQUIRED_DOC_COLUMNS)
    para_table = split_paragraphs(docs, paragraphs)
    if parsed is None:
        from analysis.text.nlp import load_pipeline, parse_bodies

        parsed = parse_bodies(docs, load_pipeline())
    sentence_counts = _sentence_counts(docs, para_table, parsed)
    labels = document_labels(docs)
    bodies = dict(zip(docs["doc_id"], docs["body"]))
    languages = dict(zip(docs["doc_id"], document_languages(docs)))
    groups = {doc_id: g for doc_id, g in para_table.groupby("doc_id", sort=True)}

    rows = []
    for doc_id in sorted(labels):
        group = groups.get(doc_id, para_table.iloc[0:0])
        text, changes = scored_text(group["text"], group["kind"])
        independent = sentence_counts.get(doc_id, 0)
        row = {"doc_id": doc_id, "label": str(labels[doc_id])}
        row.update(_document_scores(text))
        reason = unscorable_reason(text, row["words"], row["sentences"], languages[doc_id])
        if reason:
            row.update({name: math.nan for name in FORMULAS}, text_standard="", text_standard_grade=math.nan)
        row.update(sentences_independent=independent,
                   dropped_fragments=textstat_dropped_fragments(text) if text else 0, **changes)
        row["flags"] = _flags(row, empty_body=not bodies[doc_id].strip(), unscorable=reason)
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(READABILITY_COLUMNS))
    return table.astype({c: "int64" for c in _COUNT_COLUMNS + (
        "sentences_independent", "dropped_fragments", "headings_excluded",
        "missing_spaces_repaired", "paragraphs_terminated")})


def _document_scores(text: str) -> dict:
    """Formula scores and counts for one scored text (NaN scores when empty)."""
    ts = textstat_instance()
    if not has_words(text):
        scores = {name: math.nan for name in FORMULAS}
        scores.update(text_standard="", text_standard_grade=math.nan)
        scores.update({name: 0 for name in _COUNT_COLUMNS})
        return scores
    scores = {name: float(getattr(ts, name)(text)) for name in FORMULAS}
    scores["text_standard"] = ts.text_standard(text, float_output=False)
    scores["text_standard_grade"] = float(ts.text_standard(text, float_output=True))
    scores.update(
        sentences=ts.sentence_count(text),
        words=count_words(text),
        syllables=ts.syllable_count(text),
        difficult_words=ts.difficult_words(text),
        polysyllables=ts.polysyllabcount(text),
        characters=ts.char_count(text, ignore_spaces=True),
        letters=ts.letter_count(text),
    )
    return scores


def _flags(row: Mapping, *, empty_body: bool, unscorable: str = "") -> str:
    """The ``flags`` string of one :func:`readability_table` row."""
    flags = []
    if empty_body:
        flags.append("empty_body")
    elif row["words"] == 0:
        flags.append("no_scorable_text")
    elif unscorable:
        flags.append(unscorable)
    for name in ("headings_excluded", "missing_spaces_repaired", "paragraphs_terminated",
                 "dropped_fragments"):
        if row[name]:
            flags.append(f"{name}={row[name]}")
    if row["words"]:
        ts_count, independent = row["sentences"], row["sentences_independent"]
        diff = abs(ts_count - independent)
        if diff >= SENTENCE_MISMATCH_MIN_DIFF and diff >= SENTENCE_MISMATCH_MIN_SHARE * independent:
            flags.append(f"sentence_count_mismatch={ts_count}/{independent}")
        if row["words"] < SHORT_TEXT_WORDS:
            flags.append("short_text")
        if ts_count < SMOG_MIN_SENTENCES:
            flags.append("smog_few_sentences")
    return ";".join(flags)


def _sentence_counts(docs: pd.DataFrame, para_table: pd.DataFrame,
                     parsed: Mapping[str, object]) -> dict[str, int]:
    """The kit's sentences starting inside a non-heading paragraph, per document."""
    bodies = dict(zip(docs["doc_id"], docs["body"]))
    missing = sorted(set(bodies) - set(parsed))
    if missing:
        raise ValueError(f"parsed has no spaCy Doc for document(s) {missing}")
    for doc_id, body in bodies.items():
        if parsed[doc_id].text != body:
            raise ValueError(f"parsed Doc of {doc_id!r} is not a parse of its body")
    spans = para_table[para_table["kind"] != "heading"]
    by_doc: dict[str, list[tuple]] = {}   # one pass, not a mask per document (quadratic in documents)
    for doc_id, s, e in zip(spans["doc_id"], spans["start"], spans["end"]):
        by_doc.setdefault(doc_id, []).append((s, e))
    counts = {}
    for doc_id in sorted(bodies):
        doc_spans = by_doc.get(doc_id, [])
        starts = [start for start, _ in sentence_spans(parsed[doc_id])]
        counts[doc_id] = sum(any(s <= start < e for s, e in doc_spans) for start in starts)
    return counts

