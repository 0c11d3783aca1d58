"""Which shared passages mean reuse, and the word differences of a reworded sentence.

Two texts on one story share phrases no one copied: "to a media report on
the", "said in a statement on", an outlet's stock description of a group that
every outlet writes the same way. :func:`mark_reuse` keeps every passage in
``passages.csv`` and says of each whether it counts as reuse:

- **Content words.** A passage needs at least :data:`MIN_REUSE_CONTENT_WORDS`
  words that are not stop words (spaCy's English list, the kit's one list:
  :func:`analysis.text.lemmas.stop_words`). "to a media report on the" has two.
- **Common formulas.** A short passage (fewer than :data:`FORMULA_MAX_WORDS`
  words) whose words occur, in this order, in at least
  :data:`FORMULA_MIN_DOCUMENTS` documents and in at least half of the corpus is
  a formula of the story, not a copy: a wire text copied by several outlets
  is longer than that and stays reuse.

Lexical containment and the pair relations (:mod:`analysis.overlap.containment`)
still count every passage; the report lists and highlights only reuse.

:func:`word_diff` marks the words two aligned sentences do not share, for the
reuse viewer (:mod:`analysis.report.viewer`) and the side-by-side view.
"""

from __future__ import annotations

import difflib
import hashlib

import pandas as pd

from analysis.tables import check_corpus_table
from analysis.text.lemmas import stop_words
from analysis.text.words import WORD_RE, normalise_word, words

#: Fewest content words (not spaCy stop words) a shared passage needs to count
#: as reuse. Chosen by bench/bench_thresholds.py: the passages of 6 words or
#: more the kit finds between the derived and source texts of
#: tests/data/alignment (reuse; the independent pairs p07 and p11 share none)
#: have 3-50 content words (n=16: 3, 4, 5, 6, 6, 7, ...), the stock phrases
#: independent reporters write alike (tests/data/reuse/stock_phrases.csv,
#: labelled before measuring) 2-4 (n=12: three of 2, six of 3, three of 4);
#: F1 is highest (0.93) at 5. Read afterwards on the seeds: "of North Korean
#: rockets and missiles to" (4) is no longer counted, "the UK's foreign
#: minister, James Cleverly" (5) still is.
MIN_REUSE_CONTENT_WORDS = 5
#: A passage shorter than this (in words) is a candidate formula (see the module docstring).
#: Set by hand: two sentences' length in news prose; a copied paragraph is longer.
FORMULA_MAX_WORDS = 15
#: Fewest documents whose text holds a short passage for it to be a formula of
#: the story rather than reuse (and at least half the corpus). Three: two
#: documents sharing a phrase is what reuse looks like.
FORMULA_MIN_DOCUMENTS = 3

REUSE_COLUMNS = ["content_words", "documents_sharing", "reuse", "not_reuse"]


def content_word_count(text: str) -> int:
    """Words of ``text`` (the kit's word pattern) that are not spaCy English stop words."""
    stops = stop_words()
    return sum(normalise_word(word) not in stops for word in words(text))


def _documents_holding(bodies: list[str]):
    """A function: normalised phrase -> the set of ``bodies`` (their positions) that hold it.

    A body holds a phrase (both :func:`_normalised`, so whole words) only if it
    has every word of it, so only the bodies that have the phrase's rarest word
    are searched: each phrase costs the documents sharing its rarest word, not
    the whole corpus (the search of every body for every passage took 7 s on
    5,000 Reuters stories and grew as the square of the corpus).
    """
    postings: dict[str, list[int]] = {}
    for position, body in enumerate(bodies):
        for word in set(body.split()):
            postings.setdefault(word, []).append(position)
    everywhere = range(len(bodies))

    def holding(phrase: str) -> set[int]:
        phrase_words = phrase.split()
        if not phrase_words:  # no word to look up: search every body, as the phrase is
            return {k for k in everywhere if phrase in bodies[k]}
        rarest = min(phrase_words, key=lambda word: len(postings.get(word, ())))
        return {k for k in postings.get(rarest, ()) if phrase in bodies[k]}

    return holding


def _normalised(text: str) -> str:
    """The text's normalised words joined by single spaces, framed by spaces (for substring search)."""
    return " " + " ".join(normalise_word(word) for word in words(text)) + " "


def mark_reuse(passages: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """Say of every shared passage whether it counts as reuse.

    Parameters
    ----------
    passages : pandas.DataFrame
        :func:`analysis.overlap.passages.shared_passages` output (``text_a``, ``text_b``).
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``body``).

    Returns
    -------
    pandas.DataFrame
        ``passages`` with four more columns: ``content_words`` (int, the fewer
        of the two texts' words that are not stop words), ``documents_sharing``
        (int, documents of the corpus whose body holds either text's words in
        this order, normalised), ``reuse`` (bool) and ``not_reuse`` (why not:
        ``few_content_words``, ``common_formula``, or empty when it is reuse).
        Rows and their order are unchanged.
    """
    check_corpus_table(docs)
    holding_documents = _documents_holding([_normalised(body) for body in docs["body"]])
    n_bodies = len(docs)
    out = passages.copy()
    counts, sharing, reasons = [], [], []
    for text_a, text_b, n_words in zip(passages["text_a"], passages["text_b"], passages["n_words"]):
        content = min(content_word_count(str(text_a)), content_word_count(str(text_b)))
        holding = len(holding_documents(_normalised(str(text_a))) | holding_documents(_normalised(str(text_b))))
        if content < MIN_REUSE_CONTENT_WORDS:
            reason = "few_content_words"
        elif (n_words < FORMULA_MAX_WORDS and holding >= FORMULA_MIN_DOCUMENTS
              and 2 * holding >= n_bodies):
            reason = "common_formula"
        else:
            reason = ""
        counts.append(content)
        sharing.append(holding)
        reasons.append(reason)
    out["content_words"] = pd.Series(counts, index=passages.index, dtype="int64")
    out["documents_sharing"] = pd.Series(sharing, index=passages.index, dtype="int64")
    out["reuse"] = pd.Series([not r for r in reasons], index=passages.index, dtype="bool")
    out["not_reuse"] = pd.Series(reasons, index=passages.index, dtype="object")
    return out


def pair_id(doc_a: str, doc_b: str) -> str:
    """A stable, HTML-safe id of an ordered pair of documents: ``"reuse-"`` and 12 hex digits.

    The reuse viewer anchors each pair under it (``report.html#reuse-...``);
    doc_ids are file names or table cells, so they are hashed, never put in
    an id as written.
    """
    digest = hashlib.sha256(f"{doc_a}\0{doc_b}".encode("utf-8")).hexdigest()
    return f"reuse-{digest[:12]}"


def identical_texts(text_a: str, text_b: str) -> bool:
    """Whether two texts have the same words in the same order (case, spacing and punctuation aside)."""
    return _normalised(text_a) == _normalised(text_b)


def word_diff(text_a: str, text_b: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Both texts cut into segments, the words that differ apart (the text layer's words, compared normalised).

    Word opcodes from :class:`difflib.SequenceMatcher` over the normalised
    words (no junk heuristic).

    Returns
    -------
    tuple of two lists of (str, str)
        ``(kind, text)`` segments of ``text_a`` (kind ``"removed"`` for its
        differing words, else ``"same"``) and of ``text_b`` (``"added"``).
        Joined, each list gives its text back exactly.
    """
    words_a, words_b = list(WORD_RE.finditer(text_a)), list(WORD_RE.finditer(text_b))
    matcher = difflib.SequenceMatcher(a=[normalise_word(m.group()) for m in words_a],
                                      b=[normalise_word(m.group()) for m in words_b], autojunk=False)
    differing_a, differing_b = set(), set()
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag != "equal":
            differing_a.update(range(a0, a1))
            differing_b.update(range(b0, b1))

    def segments(text, found, differing, kind):
        out, cursor = [], 0
        for k, match in enumerate(found):
            if k in differing:
                out += [("same", text[cursor:match.start()]), (kind, match.group())]
                cursor = match.end()
        out.append(("same", text[cursor:]))
        return [segment for segment in out if segment[1]]

    return segments(text_a, words_a, differing_a, "removed"), segments(text_b, words_b, differing_b, "added")
