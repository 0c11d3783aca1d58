"""The kit's one text layer: words, paragraphs, sentences, quotation marks, lemmas, stop words.

Every section counts, splits and normalises text through these functions, so a
document has one word count, one set of paragraphs, one set of sentences and
one set of quoted spans whichever table reports them. The functions are pure
(one text or one parsed spaCy ``Doc`` in; plain values or a tidy table out),
load no model, and the lexical ones are language-neutral (Unicode word
characters plus combining marks), so they work on Urdu as well as English.

words
    :data:`WORD_RE`: a run of word characters (letters, digits, combining
    marks, zero-width (non-)joiners), with inner apostrophes (``it's``,
    ``Korea’s``), hyphens (``Jong-un``), commas between digits (``4,000``) and
    periods (``U.S``, ``3.5``, ``bbc.co.uk``) kept inside the word. A period
    between a lower-case letter and a capitalised word (``weapons.Kirby``, a
    missing space after a full stop) separates two words.
paragraphs
    Blank-line separated (:func:`paragraph_spans`), as the corpus layer joins
    the kept lines of an article.
sentences
    spaCy's sentences, never across a paragraph break (:func:`sentence_spans`).
quotations
    One scanner for every quotation-mark style (:func:`quotations`,
    :func:`quoted_spans`).
lemmas and stop words
    spaCy's lemmatizer (:func:`lemma`) and spaCy's English stop words
    (:func:`stop_words`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------- words

# Combining marks (Arabic-script diacritics, Devanagari vowel signs, ...) and the
# zero-width (non-)joiners belong inside a word: ``\w`` alone would split on them.
_MARKS = "".join(chr(c) for c in range(0x10000)
                 if unicodedata.category(chr(c)).startswith("M"))
_RUN = "[\\w" + re.escape(_MARKS) + "\u200c\u200d]+"
# What may join two runs into one word: an apostrophe, a hyphen (ASCII, U+2010,
# non-breaking U+2011), a comma between digits, or a period, except a period
# after a lower-case letter before a capitalised word ("weapons.Kirby" is two
# words with a missing space; "U.S", "e.g", "3.5", "bbc.co.uk" are one).
_JOINER = "(?:['\u2019\\-\u2010\u2011]|(?<=\\d),(?=\\d)|(?<![a-z])\\.|\\.(?![A-Z][a-z]))"
#: The kit's one word pattern (see the module docstring).
WORD_RE = re.compile(f"{_RUN}(?:{_JOINER}{_RUN})*")

# Spellings of one character that must not make two words differ.
_WORD_FOLDING = str.maketrans({"\u2019": "'", "\u2010": "-", "\u2011": "-"})


def _check_text(text, caller: str) -> None:
    if not isinstance(text, str):
        raise ValueError(f"{caller} expects a str, got {type(text).__name__}")


def word_spans(text: str) -> pd.DataFrame:
    """The words of ``text`` with their character offsets.

    Parameters
    ----------
    text : str
        Any text, e.g. a document body.

    Returns
    -------
    pandas.DataFrame
        One row per word (:data:`WORD_RE`), in text order: ``start``, ``end``
        (int64, ``text[start:end]`` is the word as written) and ``word`` (str).
    """
    _check_text(text, "word_spans")
    matches = list(WORD_RE.finditer(text))
    return pd.DataFrame({
        "start": np.array([m.start() for m in matches], dtype=np.int64),
        "end": np.array([m.end() for m in matches], dtype=np.int64),
        "word": pd.Series([m.group() for m in matches], dtype=object),
    })


def words(text: str) -> list[str]:
    """The words of ``text`` as written, in order (:data:`WORD_RE`)."""
    _check_text(text, "words")
    return WORD_RE.findall(text)


def count_words(text: str) -> int:
    """Number of words in ``text``: the count every table of the kit reports.

    Examples
    --------
    >>> count_words("Kim Jong-un's envoy paid $4,000 in the U.S. weapons.Kirby said")
    11
    """
    _check_text(text, "count_words")
    return sum(1 for _ in WORD_RE.finditer(text))


def has_words(text: str) -> bool:
    """Whether ``text`` holds at least one word."""
    _check_text(text, "has_words")
    return WORD_RE.search(text) is not None


def normalise_word(word: str) -> str:
    """The form under which two spellings of a word compare equal.

    Lower case (ASCII) or NFKC-normalised and casefolded (any other script),
    with the curly apostrophe and the Unicode hyphens written as ``'`` and
    ``-``: "Korea’s" and "korea's" are one word, "Straße" and "STRASSE" too.
    """
    if word.isascii():
        return word.lower()
    return unicodedata.normalize("NFKC", word).casefold().translate(_WORD_FOLDING)


# --------------------------------------------------------------------------- paragraphs

# A line break, a line holding nothing but spaces, a line break: a blank line.
_PARAGRAPH_BREAK_RE = re.compile(r"\n[^\S\n]*\n")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs of ``text``.

    Paragraphs are separated by one or more blank lines (a line with nothing
    but spaces counts as blank), as :func:`analysis.corpus.reading.clean_corpus` joins
    an article's kept lines. Each span is trimmed of surrounding whitespace;
    blank paragraphs are left out, so ``""`` has none.

    Parameters
    ----------
    text : str
        Any text, e.g. a document body.

    Returns
    -------
    list of tuple of int
        ``(start, end)`` of each paragraph, in text order.
    """
    _check_text(text, "paragraph_spans")
    spans = []
    start = 0
    for brk in (*_PARAGRAPH_BREAK_RE.finditer(text), None):
        stop = brk.start() if brk is not None else len(text)
        piece = text[start:stop]
        stripped = piece.strip()
        if stripped:
            lead = start + len(piece) - len(piece.lstrip())
            spans.append((lead, lead + len(stripped)))
        if brk is not None:
            start = brk.end()
    return spans


# --------------------------------------------------------------------------- sentences

def sentence_spans(doc) -> list[tuple[int, int]]:
    """Character spans of the sentences of a parsed text: the kit's one segmenter.

    spaCy's sentences (parser-based), cut at every paragraph break
    (:func:`paragraph_spans`): the parser sometimes runs a sentence across a
    blank line (a heading with no full stop, say), but a paragraph break
    always ends a sentence here. Spans are trimmed of whitespace; blank ones
    are left out.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        A parsed text (:func:`analysis.text.nlp.parse_bodies`).

    Returns
    -------
    list of tuple of int
        ``(start, end)`` character offsets into ``doc.text``, in text order.
    """
    text = doc.text
    paragraphs = paragraph_spans(text)
    spans = []
    first = 0                       # first paragraph that may overlap the sentence
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while first < len(paragraphs) and paragraphs[first][1] <= start:
            first += 1
        k = first
        while k < len(paragraphs) and paragraphs[k][0] < end:
            piece_start, piece_end = max(start, paragraphs[k][0]), min(end, paragraphs[k][1])
            piece = text[piece_start:piece_end]
            stripped = piece.strip()
            if stripped:
                lead = piece_start + len(piece) - len(piece.lstrip())
                spans.append((lead, lead + len(stripped)))
            k += 1
    return spans


def count_sentences(doc) -> int:
    """Number of sentences of a parsed text (:func:`sentence_spans`)."""
    return len(sentence_spans(doc))


def sentence_table(parsed: Mapping[str, object]) -> pd.DataFrame:
    """One row per sentence of each parsed text (:func:`sentence_spans`).

    Parameters
    ----------
    parsed : mapping
        ``doc_id`` -> spaCy ``Doc`` (from :func:`analysis.text.nlp.parse_bodies`).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``sent`` (0-based index within the document),
        ``start``, ``end`` (character offsets into the text) and ``text``,
        in the mapping's order.
    """
    rows = []
    for doc_id, doc in parsed.items():
        for index, (start, end) in enumerate(sentence_spans(doc)):
            rows.append((doc_id, index, start, end, doc.text[start:end]))
    table = pd.DataFrame(rows, columns=["doc_id", "sent", "start", "end", "text"])
    return table.astype({"sent": "int64", "start": "int64", "end": "int64"})


# --------------------------------------------------------------------------- quotations

# Quotation marks. Doubled single marks (’’…‘‘ in Urdu typesetting, ``…'' in
# ASCII text) act as double marks. The role says what a glyph usually does; the
# context (which marks are open, flanking spaces) decides what it does here.
_DOUBLE_MARKS = {"“": "open", "„": "open", "«": "open", "‟": "open", "〝": "open",
                 "”": "close", "»": "close", "〞": "close", "〟": "close",
                 '"': "either", "＂": "either", "’’": "either", "‘‘": "either",
                 "''": "either", "``": "open"}
_SINGLE_MARKS = {"‘": "open", "‚": "open", "‛": "open", "‹": "open",
                 "’": "close", "›": "close", "'": "either"}
_CORNER_MARKS = {"「": "」", "『": "』", "﹁": "﹂", "﹃": "﹄"}
_STRAIGHT_DOUBLE = frozenset('"＂')
# Single marks that also serve as apostrophes (and so must lean on a word to
# open a quotation); ‚ ‹ › are only ever quotation marks.
_AMBIGUOUS_SINGLE = frozenset("'‘’‛")
_QUOTE_RE = re.compile("’’|‘‘|''|``|[" + re.escape(
    "".join(k for k in (*_DOUBLE_MARKS, *_SINGLE_MARKS, *_CORNER_MARKS, *_CORNER_MARKS.values())
            if len(k) == 1)) + "]")
#: A closed quotation in single marks of at most this many characters is an
#: elision, not a quotation: rock 'n' roll.
ELISION_MAX_CHARS = 2

QUOTATION_COLUMNS = ["quotation", "paragraph", "family", "open_at", "start", "end",
                     "close_at", "closed"]


def _quote_family(mark: str) -> tuple[str, str]:
    """(family, role) of a quotation mark; corner brackets are their own family."""
    if mark in _DOUBLE_MARKS:
        return "double", _DOUBLE_MARKS[mark]
    if mark in _SINGLE_MARKS:
        return "single", _SINGLE_MARKS[mark]
    if mark in _CORNER_MARKS:
        return mark, "open"
    return next(o for o, c in _CORNER_MARKS.items() if c == mark), "close"


def _is_punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _flanks(text: str, match, start: int, end: int) -> tuple[str, str]:
    """The characters either side of a mark, a space at the paragraph's edges."""
    before = text[match.start() - 1] if match.start() > start else " "
    after = text[match.end()] if match.end() < end else " "
    return before, after


def _is_apostrophe(text: str, match, start: int, end: int) -> bool:
    """A single mark that is no quotation mark: inside a word, detached, '90s."""
    before, after = _flanks(text, match, start, end)
    if before.isalnum() and after.isalnum():
        return True         # Korea’s, don't, 1990's
    if before.isspace() and after.isspace():
        return True         # detached: a separator
    # an elided century: '90s, ’08 (two digits, then no third)
    return before.isspace() and re.match(r"\d\d(?!\d)", text[match.end():match.end() + 3]) is not None


def _is_inch_mark(text: str, match, start: int, end: int, double_open: bool) -> bool:
    """A straight double mark after a digit used as an inch mark: 27" TV, 5'10"."""
    before, after = _flanks(text, match, start, end)
    if not before.isdigit():
        return False
    if after == " " and text[match.end() + 1:match.end() + 2].isalnum():
        return True         # 27" television
    return after.isspace() and not double_open


def _closes_single(text: str, match, start: int, end: int) -> bool:
    """Whether a single mark, where it stands, can close a quotation."""
    before, after = _flanks(text, match, start, end)
    return (match.group() in "’'" and not _is_apostrophe(text, match, start, end)
            and not before.isspace() and (after.isspace() or _is_punct(after)))


def _is_possessive(text: str, k: int, marks: list, start: int, end: int) -> bool:
    """soldiers’ morale: a single mark after an s, before a lower-case word, that
    a later single mark (the real closing one) follows."""
    match = marks[k]
    before, after = _flanks(text, match, start, end)
    if before.lower() != "s" or not after.isspace() or not text[match.end() + 1:match.end() + 2].islower():
        return False
    later = next((m for m in marks[k + 1:] if _quote_family(m.group())[0] == "single"
                  and not (m.group() in _AMBIGUOUS_SINGLE and _is_apostrophe(text, m, start, end))),
                 None)
    return later is not None and _closes_single(text, later, start, end)


def _scan_marks(text: str, start: int, end: int, ignored: set[int]):
    """Outermost quoted pieces of one paragraph and the single marks left open.

    Returns ``(pieces, stray)``: pieces as ``(family, open_at, content_start,
    content_end, close_at, closed)``; ``stray`` the offsets of single marks
    still open at the end of the paragraph (then ``pieces`` is not final).
    """
    marks = [m for m in _QUOTE_RE.finditer(text, start, end) if m.start() not in ignored]
    stack: list[tuple[str, str, int, int]] = []      # (family, mark, open_at, content start)
    pieces = []
    for k, match in enumerate(marks):
        mark, at = match.group(), match.start()
        family, role = _quote_family(mark)
        ambiguous = mark in _AMBIGUOUS_SINGLE
        if ambiguous and _is_apostrophe(text, match, start, end):
            continue
        if mark in _STRAIGHT_DOUBLE and _is_inch_mark(
                text, match, start, end, any(entry[0] == "double" for entry in stack)):
            continue
        before, after = _flanks(text, match, start, end)
        # Flanking as in CommonMark: an opening mark leans on the word after it.
        opens_word = not after.isspace() and (before.isspace() or _is_punct(before))
        closes_word = not before.isspace() and (after.isspace() or _is_punct(after))
        open_at = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0] == family), None)
        if open_at is not None:
            nested = (role == "open" and mark == stack[open_at][1]
                      and opens_word and not closes_word)
            if not nested:      # any mark of the family closes it: „…“, ’’…‘‘, "…"
                if ambiguous and _is_possessive(text, k, marks, start, end):
                    continue
                if open_at == 0:
                    pieces.append((family, stack[0][2], stack[0][3], at, at, True))
                del stack[open_at:]
                continue
        if role == "close" and (family == "single" or (closes_word and not opens_word)):
            continue            # stray closing mark (or an apostrophe: mercenaries’)
        if ambiguous and not opens_word:
            continue
        stack.append((family, mark, at, match.end()))
    stray = [entry[2] for entry in stack if entry[0] == "single"]
    if stray:
        return pieces, stray
    if stack:                   # unclosed: runs to the end of the paragraph
        paragraph_end = start + len(text[start:end].rstrip())
        family, _, open_at, content = stack[0]
        pieces.append((family, open_at, content, paragraph_end, paragraph_end, False))
    return pieces, []


def _paragraph_pieces(text: str, start: int, end: int) -> list[tuple]:
    """Quoted pieces of one paragraph.

    A single mark still open at the end of the paragraph was an apostrophe
    after all (’em, mercenaries’ with no quotation around it); the paragraph is
    scanned again without it.
    """
    ignored: set[int] = set()
    while True:
        pieces, stray = _scan_marks(text, start, end, ignored)
        if not stray:
            return pieces
        ignored.update(stray)


def quotations(text: str) -> pd.DataFrame:
    """Every quotation of ``text``, from its quotation marks alone.

    Language-neutral: no parser, no language model, so it works for any
    script. Recognised marks: “ ” „ ‟ « » 〝 〞 " ＂, single ‘ ’ ‚ ‛ ‹ › ',
    doubled singles (’’…‘‘ as in Urdu, ``…'') and CJK corner brackets
    「」『』. Conventions handled:

    - any mark of the same family closes an open quotation, so English “…”,
      German „…“, Swedish ”…”, Danish »…«, French « … » and Urdu ’’…‘‘ all
      work; the same opening glyph at the start of a word nests (“a “b” c”);
    - a quotation may span sentences; one left open at the end of a paragraph
      (:func:`paragraph_spans`) ends there. When the next paragraph opens
      with a quotation mark, that paragraph continues the same quotation
      (the convention of reopening, but not closing, each paragraph of a
      long quotation): both pieces share a ``quotation`` number;
    - not quotation marks: single marks between two letters or digits
      (Korea’s, 1990's), detached single marks, an elided century ('90s), a
      closing single mark with nothing open (mercenaries’), a possessive
      inside a single-quoted quotation when a later mark closes it (‘the
      soldiers’ morale is low’), a single mark still open at the end of its
      paragraph, a straight double mark after a digit used as an inch mark
      (27" TV), a closing double mark that only leans on the word before it
      with nothing open; a single-quoted piece of at most
      :data:`ELISION_MAX_CHARS` characters is an elision (rock 'n' roll).

    Parameters
    ----------
    text : str
        Any text, e.g. a document body.

    Returns
    -------
    pandas.DataFrame
        One row per quoted piece (outermost quotations only; nested ones stay
        inside), in text order: ``quotation`` (int, 0-based number of the
        quotation; pieces in consecutive paragraphs may share one),
        ``paragraph`` (int, index into :func:`paragraph_spans`), ``family``
        (``double``, ``single`` or the opening corner bracket), ``open_at``
        (offset of the opening mark), ``start``, ``end`` (offsets of the
        quoted words, surrounding spaces excluded), ``close_at`` (offset of
        the closing mark; ``end`` when unclosed) and ``closed`` (bool).
    """
    _check_text(text, "quotations")
    rows = []
    quotation = -1
    previous_open = False           # the last piece of the previous paragraph is unclosed
    for paragraph, (start, end) in enumerate(paragraph_spans(text)):
        pieces = []
        for family, open_at, content_start, content_end, close_at, closed in \
                _paragraph_pieces(text, start, end):
            content = text[content_start:content_end]
            first = content_start + len(content) - len(content.lstrip())
            last = first + len(content.strip())
            if last <= first:
                continue            # nothing between the marks
            if closed and family == "single" and last - first <= ELISION_MAX_CHARS:
                continue
            pieces.append((family, open_at, first, last, close_at if closed else last, closed))
        for k, piece in enumerate(pieces):
            continues = k == 0 and previous_open and piece[1] == start
            if not continues:
                quotation += 1
            rows.append((quotation, paragraph, *piece))
        previous_open = bool(pieces) and not pieces[-1][-1]
    table = pd.DataFrame(rows, columns=QUOTATION_COLUMNS)
    return table.astype({c: "int64" for c in QUOTATION_COLUMNS[:2] + QUOTATION_COLUMNS[3:7]}
                        | {"closed": bool})


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` that lie inside quotation marks.

    The pieces of :func:`quotations` (see there for the marks and
    conventions), touching ones merged.

    Parameters
    ----------
    text : str
        Any text, e.g. a document body.

    Returns
    -------
    list of tuple of int
        ``(start, end)`` character offsets of the quoted content (without the
        marks or surrounding spaces), sorted and non-overlapping.
    """
    _check_text(text, "quoted_spans")
    table = quotations(text)
    merged: list[tuple[int, int]] = []
    for start, end in zip(table["start"].tolist(), table["end"].tolist()):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# --------------------------------------------------------------------------- lemmas

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


# --------------------------------------------------------------------------- stop words

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
