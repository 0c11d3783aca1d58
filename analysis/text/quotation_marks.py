"""Quotation marks: one scanner for every quotation-mark style.

:func:`quotations` lists the quoted pieces of a text from its marks alone
(straight, curly, single, „…“, «…», ‹…›, doubled singles, corner brackets);
:func:`quoted_spans` merges them into character spans. Apostrophes, inch marks,
``'90s``, elisions and possessives are not quotation marks.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from analysis.text.paragraphs import paragraph_spans
from analysis.text.words import require_text

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
# Sentence-final punctuation, and what may follow it before the space ("end.)").
_SENTENCE_ENDS = (".", "?", "!", "…")
_SENTENCE_CLOSERS = ")]"
#: Paragraphs without any mark that a quotation left open may run through, not reopened,
#: to a closing mark with nothing open in the paragraph after them ("“A.", "B.", "C,” he
#: said."). Set by hand: a long quotation rarely runs more than three paragraphs unmarked.
CONTINUED_MAX_PARAGRAPHS = 3
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


def _reopens(text: str, content_start: int, at: int, opens_word: bool, closes_word: bool) -> bool:
    """Whether a mark at ``at``, inside a quotation open since ``content_start``, reopens it.

    Paragraphs run together into one (as in text extracted from a web page,
    or a corpus that keeps one line per story) leave the convention of
    reopening, not closing, each paragraph of a long quotation inside one
    paragraph: ``"First part. "Second part."``. A mark that leans only on the
    word after it, right after the end of a sentence of the open quotation,
    is such a reopening, not the close of the quotation (which would turn
    every later quotation of the paragraph inside out).
    """
    if not opens_word or closes_word:
        return False
    before = text[content_start:at].rstrip()
    return len(before) < at - content_start and before.rstrip(_SENTENCE_CLOSERS).endswith(_SENTENCE_ENDS)


def _pairs_with_next(text: str, marks: list, k: int, start: int, end: int) -> bool:
    """Whether a straight double mark leaning on the word before it, nothing open, opens a
    quotation after all: the next straight double mark of the paragraph does not open one
    itself (marks set on the wrong side, as in right-to-left text: ``فلم" ایکشن جیکسن "``).
    Otherwise it closes a quotation opened paragraphs before (``wait," he said. "Next``)."""
    for match in marks[k + 1:]:
        if match.group() in _STRAIGHT_DOUBLE:
            before, after = _flanks(text, match, start, end)
            return not (not after.isspace() and (before.isspace() or _is_punct(before)))
    return False


def _scan_marks(text: str, start: int, end: int, ignored: set[int]):
    """Outermost quoted pieces of one paragraph and the single marks left open.

    Returns ``(pieces, stray, closers)``: pieces as ``(family, open_at,
    content_start, content_end, close_at, closed, continues)`` (``continues``:
    the piece is the reopened next part of the quotation before it,
    :func:`_reopens`); ``stray`` the offsets of single marks still open at the
    end of the paragraph (then ``pieces`` is not final); ``closers`` the
    offsets of double marks that close with nothing open (``wait," he said``).
    """
    marks = [m for m in _QUOTE_RE.finditer(text, start, end) if m.start() not in ignored]
    # (family, mark, open_at, content start, whether it continues the quotation before it)
    stack: list[tuple[str, str, int, int, bool]] = []
    pieces, closers = [], []
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
        if open_at == 0 and _reopens(text, stack[0][3], at, opens_word, closes_word):
            # paragraphs run together: the quotation's next paragraph, reopened, not closed
            pieces.append((family, stack[0][2], stack[0][3], at, at, False, stack[0][4]))
            stack[0] = (family, mark, at, match.end(), True)
            continue
        if open_at is not None:
            nested = (role == "open" and mark == stack[open_at][1]
                      and opens_word and not closes_word)
            if not nested:      # any mark of the family closes it: „…“, ’’…‘‘, "…"
                if ambiguous and _is_possessive(text, k, marks, start, end):
                    continue
                if open_at == 0:
                    pieces.append((family, stack[0][2], stack[0][3], at, at, True, stack[0][4]))
                del stack[open_at:]
                continue
        closing_only = role == "close" or (
            mark in _STRAIGHT_DOUBLE and not _pairs_with_next(text, marks, k, start, end))
        if closing_only and (family == "single" or (closes_word and not opens_word)):
            if family == "double" and not stack:
                closers.append(at)  # may close a quotation left open paragraphs before
            continue            # stray closing mark (or an apostrophe: mercenaries’)
        if ambiguous and not opens_word:
            continue
        stack.append((family, mark, at, match.end(), False))
    stray = [entry[2] for entry in stack if entry[0] == "single"]
    if stray:
        return pieces, stray, closers
    if stack:                   # unclosed: runs to the end of the paragraph
        paragraph_end = start + len(text[start:end].rstrip())
        family, _, open_at, content, continues = stack[0]
        pieces.append((family, open_at, content, paragraph_end, paragraph_end, False, continues))
    return pieces, [], closers


def _paragraph_pieces(text: str, start: int, end: int) -> tuple[list[tuple], list[int]]:
    """Quoted pieces of one paragraph, and its closing double marks with nothing open.

    A single mark still open at the end of the paragraph was an apostrophe
    after all (’em, mercenaries’ with no quotation around it); the paragraph is
    scanned again without it.
    """
    ignored: set[int] = set()
    while True:
        pieces, stray, closers = _scan_marks(text, start, end, ignored)
        if not stray:
            return pieces, closers
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
      long quotation): both pieces share a ``quotation`` number. A closing
      mark with nothing open at the start of a later paragraph (at most
      :data:`CONTINUED_MAX_PARAGRAPHS` unmarked paragraphs later) closes it:
      the quotation ran on without reopening. The same
      holds inside a paragraph where paragraphs were run together: a mark
      that leans only on the next word, just after a sentence of an open
      quotation ends, reopens it (``"First part. "Second part."``);
    - not quotation marks: single marks between two letters or digits
      (Korea’s, 1990's), detached single marks, an elided century ('90s), a
      closing single mark with nothing open (mercenaries’), a possessive
      inside a single-quoted quotation when a later mark closes it (‘the
      soldiers’ morale is low’), a single mark still open at the end of its
      paragraph, a straight double mark after a digit used as an inch mark
      (27" TV), a closing double mark (curly or straight) that only leans on
      the word before it with nothing open; a single-quoted piece of at most
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
    require_text(text, "quotations")
    table = pd.DataFrame(quotation_rows(text), columns=QUOTATION_COLUMNS)
    return table.astype({c: "int64" for c in QUOTATION_COLUMNS[:2] + QUOTATION_COLUMNS[3:7]}
                        | {"closed": bool})


def quotation_rows(text: str) -> list[tuple]:
    """The rows of :func:`quotations` as plain tuples in :data:`QUOTATION_COLUMNS` order.

    For callers that scan every document: building a table per document cost
    more than the scan itself (:func:`quoted_spans`, the quote extractor).
    """
    rows = []
    quotation = -1
    previous_open = False           # the last piece of the previous paragraph is unclosed
    unmarked: list[tuple[int, int, int]] = []   # paragraphs without a mark since then
    for paragraph, (start, end) in enumerate(paragraph_spans(text)):
        pieces = []
        found, closers = _paragraph_pieces(text, start, end)
        if not found and not closers and previous_open and len(unmarked) < CONTINUED_MAX_PARAGRAPHS:
            unmarked.append((paragraph, start, end))
            continue
        first_open = found[0][1] if found else end
        if previous_open and closers and closers[0] < first_open:
            # not reopened: the quotation went on through the paragraphs between to this mark
            for p, s0, e0 in unmarked + [(paragraph, start, closers[0])]:
                content = text[s0:e0]
                first = s0 + len(content) - len(content.lstrip())
                last = first + len(content.strip())
                if last > first:
                    closing = p == paragraph
                    rows.append((quotation, p, "double", first, first, last,
                                 closers[0] if closing else last, closing))
            previous_open = False
        elif unmarked:
            previous_open = False   # no mark closed it after the unmarked paragraphs: it had ended
        unmarked = []
        for family, open_at, content_start, content_end, close_at, closed, reopened in found:
            content = text[content_start:content_end]
            first = content_start + len(content) - len(content.lstrip())
            last = first + len(content.strip())
            if last <= first:
                continue            # nothing between the marks
            if closed and family == "single" and last - first <= ELISION_MAX_CHARS:
                continue
            pieces.append((reopened, (family, open_at, first, last, close_at if closed else last, closed)))
        for k, (reopened, piece) in enumerate(pieces):
            continues = reopened or (k == 0 and previous_open and piece[1] == start)
            if not continues:
                quotation += 1
            rows.append((quotation, paragraph, *piece))
        previous_open = bool(pieces) and not pieces[-1][1][-1]
    return rows


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
    require_text(text, "quoted_spans")
    merged: list[tuple[int, int]] = []
    for _, _, _, _, start, end, _, _ in quotation_rows(text):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
