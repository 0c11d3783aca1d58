"""Paragraphs: blank-line separated, as the corpus layer joins an article's kept lines."""

from __future__ import annotations

import re

from analysis.text.words import require_text

# A line break, a line holding nothing but spaces, a line break: a blank line.
_PARAGRAPH_BREAK_RE = re.compile(r"\n[^\S\n]*\n")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the paragraphs of ``text``.

    Paragraphs are separated by one or more blank lines (a line with nothing
    but spaces counts as blank), as :func:`analysis.corpus.cleaning.clean_corpus` joins
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
    require_text(text, "paragraph_spans")
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
