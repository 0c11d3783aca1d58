"""Clauses of long sentences, as candidate targets for sentence alignment.

A rewrite often keeps one clause of a long sentence ("They have seen action in
Syria, Libya, the Central African Republic, and Mali." from "The Wagner Group -
staffed by veterans ... - has operated in Libya, Syria, the Central African
Republic and Mali, among other countries, and has been accused of ..."), or
splits a sentence in two. The aligner compares a sentence with the clauses of
the other document's long sentences as well as with whole sentences.

A sentence is cut into segments at clause boundaries marked in the text: a
semicolon, a spaced dash (a parenthetical), a comma before a coordinating or
subordinating word that opens a clause (``and``, ``but``, ``while``,
``where``, ``which``, ``who``, ...) or before a participle ("..., calling the
claims politically motivated"), and ``and`` before an auxiliary, a pronoun or
a participle (coordinated verb phrases: "... was deeply sorry and had
invested", "... track and reopening three stations"). Punctuation rules, not a dependency parse:
the alignment stage has only sentence texts, and the rules find exactly the
boundaries a rewriter cuts at. A *clause* here is any run of consecutive
segments that is shorter than the whole sentence and has at least
:data:`CLAUSE_MIN_WORDS` words.
"""

from __future__ import annotations

import re

from analysis.text.words import count_words

#: Sentences with fewer words are not cut. Chosen on principle: a sentence of
#: under 20 words seldom holds two statements a rewriter would separate (the
#: median English news sentence is about 20 words long).
LONG_SENTENCE_WORDS = 20
#: A clause needs at least this many words to be a target of its own (a
#: subject and verb with an object: "Norrbar said it would appeal"); shorter
#: segments ("Kirby said", "The Wagner Group") only count inside a longer run.
CLAUSE_MIN_WORDS = 5
#: At most this many segments per sentence are combined into runs (a run of
#: segments i..j for every i <= j); longer sentences keep their first segments
#: cut and the rest as one tail, so the number of clauses stays small.
MAX_SEGMENTS = 6

_OPENERS = ("and", "but", "while", "whereas", "where", "which", "who", "whom", "whose", "although",
            "though", "after", "before", "because", "as", "with", "including", "among", "since", "when")
_AUXILIARIES = ("had", "has", "have", "was", "were", "is", "are", "will", "would", "could", "can", "may",
                "might", "should", "must", "did", "does", "it", "they", "he", "she", "we")
_BOUNDARY = re.compile(
    r"\s*;\s*|\s+[\u2013\u2014-]{1,2}\s+"               # semicolon; spaced dash (parenthetical)
    r"|,\s+(?=(?:" + "|".join(_OPENERS) + r")\b)"        # comma before a clause opener
    r"|,\s+(?=[a-z]+ing\b)"                              # comma before a participle ("..., calling the claims")
    r"|\s+(?=and\s+(?:" + "|".join(_AUXILIARIES) + r"|[a-z]+ing)\b)",  # "and had invested", "and reopening"
    re.IGNORECASE)


def segments(text: str) -> list[tuple[int, int]]:
    """Character spans of the clause segments of ``text`` (whitespace and separators left out)."""
    spans, start = [], 0
    for match in _BOUNDARY.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    spans = [(s, e) for s, e in spans if text[s:e].strip()]
    if len(spans) > MAX_SEGMENTS:
        spans = spans[:MAX_SEGMENTS - 1] + [(spans[MAX_SEGMENTS - 1][0], spans[-1][1])]
    return spans


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Clauses of a long sentence: runs of consecutive segments, the whole sentence excluded.

    Parameters
    ----------
    text : str
        One sentence.

    Returns
    -------
    list of (int, int)
        Character spans ``(start, end)`` into ``text``, each a run of one or
        more consecutive segments (:func:`segments`) with at least
        :data:`CLAUSE_MIN_WORDS` words, in order of start then end. Empty when
        the sentence has fewer than :data:`LONG_SENTENCE_WORDS` words or no
        clause boundary.
    """
    if count_words(text) < LONG_SENTENCE_WORDS:
        return []
    parts = segments(text)
    if len(parts) < 2:
        return []
    out = []
    for i in range(len(parts)):
        for j in range(i, len(parts)):
            if i == 0 and j == len(parts) - 1:
                continue
            start, end = parts[i][0], parts[j][1]
            if count_words(text[start:end]) >= CLAUSE_MIN_WORDS:
                out.append((start, end))
    return out
