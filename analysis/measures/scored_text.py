"""The text textstat scores: headings out, missing spaces restored, paragraphs terminated.

Every readability score is textstat's own (version 0.7.13, default settings, no
rounding) computed on a *scored text* built from the cleaned body
(:func:`scored_text`). Building that text is where textstat's known traps on
news text are handled; :mod:`analysis.measures.readability` and
:mod:`analysis.measures.paragraph_readability` score it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import pandas as pd

from analysis.corpus.language import is_english, latin_share
from analysis.corpus.boilerplate import is_heading
from analysis.corpus.cleaning import paragraph_table
from analysis.tables import check_corpus_table
from analysis.text.words import has_words

#: textstat ignores regex "sentences" with at most this many words.
TEXTSTAT_MAX_DROPPED_WORDS = 2

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

#: Columns every readability function needs in the corpus table.
REQUIRED_DOC_COLUMNS = ("doc_id", "label", "body")
_PARAGRAPH_KINDS = ("paragraph", "heading")


@functools.cache
def textstat_instance():
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
    ts = textstat_instance()
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
        split by :func:`analysis.text.paragraphs.paragraph_spans` and :func:`is_heading`
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
# Scored text
# ---------------------------------------------------------------------------

def unscorable_reason(text: str, words: int, sentences: int, language: str = "en") -> str:
    """Why textstat's English formulas would give meaningless numbers on ``text`` ("" if they do not).

    Parameters
    ----------
    text : str
        The scored text (:func:`scored_text`).
    words, sentences : int
        Its word count (:func:`analysis.text.words.count_words`) and textstat's
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
