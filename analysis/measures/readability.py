"""Readability: how hard is each outlet's text, by textstat's English formulas.

Every score is textstat's own (version 0.7.13, default settings, no rounding)
computed on a *scored text* built from the cleaned body. Building that text is
where textstat's known traps on news text are handled:

headings
    A short line without final punctuation (:func:`is_heading`) is not a
    sentence. textstat's sentence regex runs across the blank line and glues it
    onto the next sentence, inflating words per sentence. Headings are left out
    of the scored text and counted in ``headings_excluded``.
missing space after a full stop
    ``"weapons.Kirby said"`` is one word to textstat (punctuation is deleted,
    not replaced by a space), so words and syllables come out wrong. The space
    is restored (:func:`repair_missing_spaces`); ``U.S.``, ``3.5`` and URLs are
    left alone.
unterminated paragraphs
    A paragraph that is not a heading but has no final ``.``/``!``/``?`` (a
    photo caption, a quote missing its full stop) would also be glued onto the
    next sentence. A paragraph break ends a sentence (as in
    :func:`analysis.text.layer.sentence_spans`), so a full stop is appended.
dropped fragments
    textstat ignores "sentences" of two words or fewer ("He agreed.", the
    ``S.`` left over from splitting ``U.S.``). They are counted
    (:func:`textstat_dropped_fragments`) and flagged.
sentence count
    Sentences are also counted by the kit's one segmenter
    (:func:`analysis.text.layer.sentence_spans`); a material difference from
    textstat's count is flagged.

The scored text's paragraphs are joined with ``"\\n\\n"``, so calling textstat
on it reproduces every score and every textstat count in
:func:`readability_table`. The ``words`` column is the kit's word count
(:func:`analysis.text.layer.count_words`) of the same text, the figure every other
table reports; textstat counts words its own way inside its formulas
(punctuation deleted, then split on spaces).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping

import pandas as pd

from analysis.corpus.reading import document_labels, is_heading, paragraph_table
from analysis.corpus.language import document_languages, is_english, latin_share
from analysis.tables import check_corpus_table
from analysis.text.layer import count_words, has_words, sentence_spans

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

#: Paragraphs with fewer words than this get NaN paragraph scores (see
#: :func:`paragraph_readability` for why).
PARAGRAPH_MIN_WORDS = 10

#: textstat ignores regex "sentences" with at most this many words.
TEXTSTAT_MAX_DROPPED_WORDS = 2

#: textstat's and the independent sentence count differ "materially" when they
#: differ by at least this many sentences AND by at least this share of the
#: independent count.
SENTENCE_MISMATCH_MIN_DIFF = 2
SENTENCE_MISMATCH_MIN_SHARE = 0.10

#: Flesch-Kincaid, SMOG and Linsear Write were fitted on samples of 100+ words;
#: SMOG on 30 sentences. Shorter documents are flagged, not refused.
SHORT_TEXT_WORDS = 100
SMOG_MIN_SENTENCES = 30

#: textstat's formulas are English ones (syllables, word lists): a text with fewer
#: than this share of its letters in the Latin script gets no scores.
MIN_LATIN_SHARE = 0.5
#: Above this many words per sentence the text has no usable sentence punctuation
#: (a transcript, a list, a scraped blob); sentence-length formulas then return
#: grades of 100 and more, so it gets no scores. Edited news prose averages
#: 15-25 words per sentence.
MAX_WORDS_PER_SENTENCE = 60

_TERMINAL = ".!?\u2026"  # . ! ? and the ellipsis character
_CLOSERS = "\"'\u201d\u2019)]\u00bb"  # closing quotes and brackets after a full stop

# Sentence-final punctuation directly followed by a capitalised word, after a
# lowercase letter: the only shape "word.Next" repair touches. "U.S." (capital
# before the stop), "3.5" (digit) and "Mothership.SG" (no lowercase after the
# capital) never match.
_MISSING_SPACE = re.compile(r"(?<=[a-z])([.!?])(?=[A-Z][a-z])")
_URL_LIKE = re.compile(
    r"(?i)(?:://|^www\.|@|\.(?:com|org|net|gov|edu|int|mil|info|io|co|uk|us|sg|au|ca|de|fr|ru|news)\b)"
)

# textstat 0.7.13's sentence splitter (textstat.backend.counts.count_sentences).
_TEXTSTAT_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*", re.UNICODE)

_REQUIRED_DOC_COLUMNS = ("doc_id", "label", "body")
_PARAGRAPH_KINDS = ("paragraph", "heading")


@functools.cache
def _textstat():
    """A private textstat instance with default settings (English, no rounding).

    textstat is imported lazily (it imports NLTK, ~1.5 s) and only after
    NLTK's cmudict corpus is in place, so textstat never calls ``nltk.download``.
    A private instance is immune to ``set_rounding_points``/``set_lang`` calls
    elsewhere on textstat's shared module-level instance.
    """
    from analysis.resources import ensure_cmudict

    ensure_cmudict()
    from textstat.textstat import textstatistics

    return textstatistics()


# ---------------------------------------------------------------------------
# Text rules
# ---------------------------------------------------------------------------

def is_terminated(text: str) -> bool:
    """Whether a paragraph ends with sentence-final punctuation.

    Closing quotes and brackets after the punctuation are allowed
    (``... in Ukraine."`` and ``(KCNA).`` are both terminated).
    """
    core = text.strip().rstrip(_CLOSERS)
    return bool(core) and core[-1] in _TERMINAL


def repair_missing_spaces(text: str) -> tuple[str, int]:
    """Insert the missing space in ``word.Next`` (also ``word?Next``, ``word!Next``).

    Only a full stop (or ``?``/``!``) between a lowercase letter and a
    capitalised word is touched, and never inside a URL-like token, so
    ``U.S.``, ``3.5``, ``e.g.`` before a lowercase word, ``Mothership.SG`` and
    ``news.bbc.co.uk`` stay as they are.

    Parameters
    ----------
    text : str

    Returns
    -------
    repaired : str
        The text with a space inserted after each repaired stop.
    n_repaired : int
        How many spaces were inserted.
    """
    pieces = []
    repaired = 0
    for token in re.split(r"(\s+)", text):
        if token and not token.isspace() and not _URL_LIKE.search(token):
            token, n = _MISSING_SPACE.subn(r"\1 ", token)
            repaired += n
        pieces.append(token)
    return "".join(pieces), repaired


def textstat_dropped_fragments(text: str) -> int:
    """How many regex "sentences" textstat ignores because they are too short.

    Mirrors textstat 0.7.13's ``count_sentences``: the text is cut at every
    run of ``.!?`` and pieces of at most two words are not counted as
    sentences. Genuine short sentences ("He agreed.") are lost this way, and so
    are the splinters of abbreviations (the ``S.`` of ``U.S.``).

    Parameters
    ----------
    text : str

    Returns
    -------
    int
    """
    ts = _textstat()
    return sum(
        1 for piece in _TEXTSTAT_SENTENCE.findall(text)
        if ts.lexicon_count(piece) <= TEXTSTAT_MAX_DROPPED_WORDS
    )


# ---------------------------------------------------------------------------
# Paragraphs
# ---------------------------------------------------------------------------

def split_paragraphs(docs: pd.DataFrame, paragraphs: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per paragraph of each body, with its offsets and kind.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``doc_id`` and ``body``.
    paragraphs : pandas.DataFrame, optional
        A paragraph table from the corpus module with ``doc_id``, ``text`` and
        ``kind`` (``"paragraph"`` or ``"heading"``), rows in body order (or an
        integer ``paragraph`` column giving that order). When omitted, bodies are
        split by :func:`analysis.text.layer.paragraph_spans` and :func:`is_heading`
        decides the kind.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``paragraph`` (0-based position in the body), ``start``,
        ``end`` (character offsets into ``body``), ``text``, ``kind``; sorted by
        ``doc_id``, ``paragraph``.

    Raises
    ------
    ValueError
        If a column is missing, a kind is unknown, or a paragraph's text is not
        found in its document's body in order.
    """
    check_corpus_table(docs, ("doc_id", "body"))
    bodies = dict(zip(docs["doc_id"], docs["body"]))
    if paragraphs is None:
        paragraphs = paragraph_table(docs)
    rows = _locate_given_paragraphs(bodies, paragraphs)
    table = pd.DataFrame(rows, columns=["doc_id", "paragraph", "start", "end", "text", "kind"])
    table = table.astype({"doc_id": str, "paragraph": "int64", "start": "int64", "end": "int64",
                          "text": str, "kind": str})
    return table.sort_values(["doc_id", "paragraph"], kind="stable").reset_index(drop=True)


def _locate_given_paragraphs(bodies: Mapping[str, str], paragraphs: pd.DataFrame) -> list[tuple]:
    """Rows of :func:`split_paragraphs` for a paragraph table supplied by the caller."""
    if not isinstance(paragraphs, pd.DataFrame):
        raise ValueError(f"paragraphs must be a pandas DataFrame, got {type(paragraphs).__name__}")
    missing = [c for c in ("doc_id", "text", "kind") if c not in paragraphs.columns]
    if missing:
        raise ValueError(f"paragraph table lacks column(s) {missing}; need doc_id, text, kind")
    bad_kinds = sorted(set(paragraphs["kind"]) - set(_PARAGRAPH_KINDS))
    if bad_kinds:
        raise ValueError(f"paragraph kind must be one of {_PARAGRAPH_KINDS}, found {bad_kinds}")
    unknown = sorted(set(paragraphs["doc_id"]) - set(bodies))
    if unknown:
        raise ValueError(f"paragraph table has doc_id(s) not in the corpus table: {unknown}")
    ordered = paragraphs
    if "paragraph" in paragraphs.columns:
        ordered = paragraphs.sort_values(["doc_id", "paragraph"], kind="stable")
    rows = []
    for doc_id, group in ordered.groupby("doc_id", sort=True):
        body = bodies[doc_id]
        cursor = 0
        for i, (text, kind) in enumerate(zip(group["text"], group["kind"])):
            text = str(text).strip()
            start = body.find(text, cursor) if text else -1
            if start < 0:
                raise ValueError(
                    f"paragraph {i} of document {doc_id!r} is not found in its body "
                    "(after the previous paragraph); the paragraph table does not match the corpus table"
                )
            cursor = start + len(text)
            rows.append((doc_id, i, start, cursor, text, kind))
    covered = {row[0] for row in rows}
    uncovered = sorted(d for d, body in bodies.items() if body.strip() and d not in covered)
    if uncovered:
        raise ValueError(f"paragraph table has no rows for document(s) {uncovered}")
    return rows


# ---------------------------------------------------------------------------
# Document and paragraph tables
# ---------------------------------------------------------------------------

def unscorable_reason(text: str, words: int, sentences: int, language: str = "en") -> str:
    """Why textstat's English formulas would give meaningless numbers on ``text`` ("" if they do not).

    Parameters
    ----------
    text : str
        The scored text (:func:`scored_text`).
    words, sentences : int
        Its word count (:func:`analysis.text.layer.count_words`) and textstat's
        sentence count.
    language : str
        The document's language (:func:`analysis.corpus.language.detect_language`).

    Returns
    -------
    str
        ``"not_english=<code>"`` (a document in another language than English,
        :func:`analysis.corpus.language.is_english`), ``"not_latin_script"`` (an
        undetermined text, see :data:`MIN_LATIN_SHARE`),
        ``"no_sentence_punctuation"`` (see :data:`MAX_WORDS_PER_SENTENCE`) or "".
    """
    if words and not is_english(language):
        return f"not_english={language}"
    if words and latin_share(text) < MIN_LATIN_SHARE:
        return "not_latin_script"
    if words and words / max(sentences, 1) > MAX_WORDS_PER_SENTENCE:
        return "no_sentence_punctuation"
    return ""


def scored_text(paragraph_texts, kinds) -> tuple[str, dict[str, int]]:
    """The text textstat scores for one document, and what was changed.

    Headings are dropped, missing spaces after full stops restored
    (:func:`repair_missing_spaces`) and a full stop appended to paragraphs that
    lack final punctuation; paragraphs are joined with ``"\\n\\n"``.

    Parameters
    ----------
    paragraph_texts : iterable of str
        The document's paragraphs in order.
    kinds : iterable of str
        ``"paragraph"`` or ``"heading"`` for each paragraph.

    Returns
    -------
    text : str
    changes : dict
        ``headings_excluded``, ``missing_spaces_repaired`` and
        ``paragraphs_terminated`` counts.
    """
    kept = []
    changes = {"headings_excluded": 0, "missing_spaces_repaired": 0, "paragraphs_terminated": 0}
    for text, kind in zip(paragraph_texts, kinds, strict=True):
        if kind == "heading":
            changes["headings_excluded"] += 1
            continue
        text, n = repair_missing_spaces(text.strip())
        changes["missing_spaces_repaired"] += n
        if not is_terminated(text) and has_words(text):
            text += "."
            changes["paragraphs_terminated"] += 1
        kept.append(text)
    return "\n\n".join(kept), changes


_COUNT_COLUMNS = ("sentences", "words", "syllables", "difficult_words", "polysyllables",
                  "characters", "letters")

READABILITY_COLUMNS = (
    ("doc_id", "label") + FORMULAS + ("text_standard", "text_standard_grade") + _COUNT_COLUMNS
    + ("sentences_independent", "sentence_counter", "dropped_fragments", "headings_excluded",
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
          without its sub-headings (:func:`analysis.text.layer.count_words`; the
          scored text's repairs add or remove no word).
        - ``sentences_independent`` (int): the kit's sentences
          (:func:`analysis.text.layer.sentence_spans`) starting in a non-heading
          paragraph; ``sentence_counter`` (str): ``"spacy"``, the segmenter
          that counted them.
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
    check_corpus_table(docs, _REQUIRED_DOC_COLUMNS)
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
        independent, counter = sentence_counts.get(doc_id, 0), "spacy"
        row = {"doc_id": doc_id, "label": str(labels[doc_id])}
        row.update(_document_scores(text))
        reason = unscorable_reason(text, row["words"], row["sentences"], languages[doc_id])
        if reason:
            row.update({name: math.nan for name in FORMULAS}, text_standard="", text_standard_grade=math.nan)
        row.update(sentences_independent=independent, sentence_counter=counter,
                   dropped_fragments=textstat_dropped_fragments(text) if text else 0, **changes)
        row["flags"] = _flags(row, empty_body=not bodies[doc_id].strip(), unscorable=reason)
        rows.append(row)
    table = pd.DataFrame(rows, columns=list(READABILITY_COLUMNS))
    return table.astype({c: "int64" for c in _COUNT_COLUMNS + (
        "sentences_independent", "dropped_fragments", "headings_excluded",
        "missing_spaces_repaired", "paragraphs_terminated")})


def _document_scores(text: str) -> dict:
    """Formula scores and counts for one scored text (NaN scores when empty)."""
    ts = _textstat()
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
    counts = {}
    for doc_id in sorted(bodies):
        doc_spans = spans[spans["doc_id"] == doc_id]
        starts = [start for start, _ in sentence_spans(parsed[doc_id])]
        counts[doc_id] = sum(any(s <= start < e for s, e in zip(doc_spans["start"], doc_spans["end"]))
                             for start in starts)
    return counts


PARAGRAPH_COLUMNS = ("doc_id", "label", "paragraph", "start", "end", "kind", "words", "sentences",
                     "flesch_reading_ease", "flesch_kincaid_grade", "note")


def paragraph_readability(docs: pd.DataFrame, paragraphs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Flesch reading ease and Flesch-Kincaid grade of every paragraph.

    Each paragraph is scored alone, after the same repairs as
    :func:`scored_text`. Paragraphs under :data:`PARAGRAPH_MIN_WORDS` (10)
    words get NaN scores. Measured on the 10,635 paragraphs of the BBC News
    corpus (Greene & Cunningham 2006), the median distance between a
    paragraph's Flesch-Kincaid grade and its article's is 4.9 grades under 5
    words and 3.3 at 5-9 words, but 1.8-2.2 at every length from 10 to 49
    words; grades outside 0-25 occurred only under 5 words (16 % of them).

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``, ``body``).
    paragraphs : pandas.DataFrame, optional
        Paragraph table with ``kind`` (see :func:`split_paragraphs`).

    Returns
    -------
    pandas.DataFrame
        One row per (document, paragraph), sorted by ``doc_id``, ``paragraph``:
        ``doc_id``, ``label``, ``paragraph`` (0-based), ``start``, ``end``
        (offsets into ``body``), ``kind`` (``"paragraph"``/``"heading"``),
        ``words`` (:func:`analysis.text.layer.count_words`) and ``sentences``
        (textstat's count, which its formulas use; 0 for a heading), ``flesch_reading_ease``, ``flesch_kincaid_grade`` (float,
        NaN when not scored) and ``note`` (why it was not scored: ``"heading"``,
        ``"not english (<code>)"`` for every paragraph of a document in another
        language, ``"fewer than 10 words"``, ``"not latin script"`` or ``"no
        sentence punctuation"``; "" when scored).
    """
    check_corpus_table(docs, _REQUIRED_DOC_COLUMNS)
    ts = _textstat()
    labels = document_labels(docs)
    languages = dict(zip(docs["doc_id"], document_languages(docs)))
    rows = []
    for para in split_paragraphs(docs, paragraphs).itertuples(index=False):
        text, _ = scored_text([para.text], [para.kind])
        words = count_words(text if para.kind != "heading" else para.text)
        fre = fkg = math.nan
        sentences = 0
        if para.kind == "heading":
            note = "heading"
        else:
            sentences = ts.sentence_count(text)
            reason = unscorable_reason(text, words, sentences)
            if not is_english(languages[para.doc_id]):
                note = f"not english ({languages[para.doc_id]})"
            elif words < PARAGRAPH_MIN_WORDS:
                note = f"fewer than {PARAGRAPH_MIN_WORDS} words"
            elif reason:
                note = reason.replace("_", " ")
            else:
                note = ""
                fre = float(ts.flesch_reading_ease(text))
                fkg = float(ts.flesch_kincaid_grade(text))
        rows.append((para.doc_id, str(labels[para.doc_id]), para.paragraph, para.start, para.end,
                     para.kind, words, sentences, fre, fkg, note))
    table = pd.DataFrame(rows, columns=list(PARAGRAPH_COLUMNS))
    return table.astype({"paragraph": "int64", "start": "int64", "end": "int64",
                         "words": "int64", "sentences": "int64",
                         "flesch_reading_ease": "float64", "flesch_kincaid_grade": "float64"})
