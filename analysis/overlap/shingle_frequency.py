"""Shingles shared by many documents: wire formulas and boilerplate, which are not reuse.

A wire service writes thousands of stories from a few templates ("Qtly div 25
cts vs 25 cts prior / Pay April 15 / Record April 1", "The bonds will be
listed in Luxembourg", "denominations of 5,000 dlrs"). Two such stories
share many word 3-grams without one taking anything from the other. Text-reuse
tools discount what recurs across many documents: passim ignores every n-gram
whose document frequency is above an upper bound (``UPPER``, 100 documents for
word 5-grams by default) before it looks for matching passages. This module
applies the same rule to the kit's word 3-grams:

- A shingle's *form* is its three normalised words (the text layer's
  :func:`analysis.text.words.normalise_word`) with every number written ``#``:
  a word holding a digit, or an English number word ("five", "twenty").
  "Qtly div 25 cts" and "Qtly div five cts" share the forms ``qtly div #``
  and ``div # cts``, so the figures filling a template's slots do not make
  its shingles look rare.
- A form is *common* when more than :data:`COMMON_MIN_DOCUMENTS` documents
  contain it (:func:`common_forms`). Corpora of at most that many documents
  therefore have no common form, and everything behaves as without this module.
- A common shingle seeds nothing: the candidate stage leaves it out of the
  MinHash sets (:func:`rare_shingle_sets`), so two stories written from one
  template are not candidates, and the passage stage
  (:func:`analysis.overlap.passages.shared_passages` given
  :func:`anchor_masks`) builds passages from shared shingles of rare form
  only, so a formula is never part of a shared passage and never counts as
  shared text, while the rest of a copied story does. A passage still bridges
  up to ``max_gap`` unmatched words, except a gap holding a number in either
  text: a template filled with another figure ("given a further 191 mln stg"
  vs "152 mln stg") is two fragments, not one passage, as the sentence
  alignment never calls sentences with different figures copies.

Known limit of the rule: a story made of nothing but formulas ("Qtly div 25
cts vs 25 cts prior" under a company's name) shares with its exact copy only
its rare words, the name in the headline; when they are fewer than a
passage's ``min_words`` the copy is not found (1 of the 134 known duplicate
pairs among the first 5,000 Reuters stories).

Known limit, shared with passim: a passage reprinted in more than
:data:`COMMON_MIN_DOCUMENTS` documents counts as boilerplate. A corpus of an
agency's wire against more clients than that needs a higher bound.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis.tables import check_corpus_table
from analysis.text.words import normalise_word, words

#: Shingle length in words: the candidate and passage stages' default ``ngram``.
SHINGLE_WORDS = 3

#: Documents a shingle form may occur in before it counts as a formula. Set on
#: Reuters-21578 (19,043 stories with a body; bench/bench_stories.py): the
#: formula forms the issue names occur in hundreds of stories ("qtly div #"
#: 398, "div # cts" 407, "cts prior pay" 425, "denominations of #" 177, "listed
#: in luxembourg" 132), while every one of the 459 known duplicate pairs keeps
#: at least two shingles of rarer form even at a bound of 10. The bound is
#: lower than passim's 100 because a 3-gram recurs more than a 5-gram; it is
#: absolute, as passim's is, so that a small corpus about one story (every
#: article sharing the story's phrases) has no common form at all.
COMMON_MIN_DOCUMENTS = 20

#: English number words, masked like digits in a shingle's form.
NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty "
    "sixty seventy eighty ninety hundred thousand million billion half quarter".split())

_DIGIT = re.compile(r"\d")


@functools.lru_cache(maxsize=1 << 18)
def word_form(normal: str) -> str:
    """The form of one normalised word: ``#`` for a number, else the word itself (cached: a corpus
    has far fewer distinct words than words)."""
    return "#" if normal in NUMBER_WORDS or _DIGIT.search(normal) else normal


class WordForms:
    """Normal form and form of words as written, each distinct word judged once.

    Call it with a word as written: ``(normalise_word(word), word_form(normal))``.
    One instance serves a pass over a corpus, whose words repeat far more than
    they differ.
    """

    def __init__(self):
        self.seen: dict[str, tuple[str, str]] = {}

    def __call__(self, written: str) -> tuple[str, str]:
        found = self.seen.get(written)
        if found is None:
            normal = normalise_word(written)
            found = self.seen[written] = (normal, word_form(normal))
        return found


def sorted_distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of an integer array, sorted: ``np.unique(values)``, by sorting.

    numpy 2.4's ``np.unique`` without ``return_*`` hashes the values, which
    took 2.7 s on 2.7 million int64 codes (a shingle form and a document, all
    of Reuters-21578) where sorting them takes 0.04 s.
    """
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


def shingle_form_ids(form_ids: list[np.ndarray], forms: list[str],
                     ngram: int = SHINGLE_WORDS) -> tuple[list[np.ndarray], Callable[[int], str]]:
    """Number the shingle forms of many documents: equal forms, equal numbers.

    Parameters
    ----------
    form_ids : list of numpy.ndarray
        Per document, each word's form as a number (an index into ``forms``).
    forms : list of str
        The word forms.
    ngram : int
        Shingle length in words.

    Returns
    -------
    tuple
        Per document, the number of the shingle form starting at each word
        (int64; one entry per start, as :func:`shingle_forms`), and a
        function giving a number's form (the ``ngram`` word forms joined by
        spaces). The numbers run from 0 to the count of distinct forms.
    """
    counts = [max(len(ids) - ngram + 1, 0) for ids in form_ids]
    if not sum(counts):
        return [np.zeros(0, dtype=np.int64) for _ in form_ids], str
    words = np.concatenate(form_ids).astype(np.int64)
    offsets = np.cumsum([0] + [len(ids) for ids in form_ids[:-1]])
    starts = np.concatenate([offset + np.arange(count, dtype=np.int64) for offset, count in zip(offsets, counts)])
    if any(" " in form for form in forms):  # a form with a space: number the joined strings themselves
        numbers: dict[str, int] = {}
        key = np.array([numbers.setdefault(" ".join(forms[w] for w in words[i:i + ngram]), len(numbers))
                        for i in starts.tolist()], dtype=np.int64)
    else:  # the forms' numbers in base len(forms), renumbered densely after each word (no overflow)
        key = words[starts]
        for offset in range(1, ngram):
            _, key = np.unique(key * len(forms) + words[starts + offset], return_inverse=True)
            key = key.astype(np.int64).ravel()
    _, first = np.unique(key, return_index=True)

    def name(number: int) -> str:
        start = int(starts[first[number]])
        return " ".join(forms[w] for w in words[start:start + ngram].tolist())

    return np.split(key, np.cumsum(counts)[:-1]), name


def shingle_forms(body: str, ngram: int = SHINGLE_WORDS) -> list[str]:
    """The form of the shingle starting at each word of ``body`` (text order).

    One entry per word position ``i`` with ``i + ngram <= n_words``: the
    ``ngram`` words from ``i`` in :func:`word_form`, joined by spaces (the same
    positions as :class:`analysis.overlap.passages.Tokenizer`'s words).
    """
    forms = [word_form(normalise_word(word)) for word in words(body)]
    return [" ".join(forms[i:i + ngram]) for i in range(len(forms) - ngram + 1)]


def document_frequency(docs: pd.DataFrame, ngram: int = SHINGLE_WORDS) -> Counter:
    """Number of documents containing each shingle form.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``doc_id`` and ``body``.
    ngram : int
        Shingle length in words.

    Returns
    -------
    collections.Counter
        form -> number of documents whose body holds it (a document counts once).
    """
    check_corpus_table(docs)
    frequency: Counter = Counter()
    for body in docs["body"]:
        frequency.update(set(shingle_forms(body, ngram)))
    return frequency


def is_common(documents, min_documents: int = COMMON_MIN_DOCUMENTS):
    """Whether a form found in ``documents`` documents is common: in more than ``min_documents``.

    The one statement of the rule (:data:`COMMON_MIN_DOCUMENTS`); ``documents``
    may be a number or a numpy array of them (then elementwise).
    """
    return documents > min_documents


def common_forms(docs: pd.DataFrame, ngram: int = SHINGLE_WORDS,
                 min_documents: int = COMMON_MIN_DOCUMENTS) -> frozenset[str]:
    """Shingle forms found in more than ``min_documents`` documents (formulas, boilerplate).

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``doc_id`` and ``body``.
    ngram : int
        Shingle length in words.
    min_documents : int
        A form in more documents than this is common.

    Returns
    -------
    frozenset of str
        The common forms; empty for a corpus of at most ``min_documents`` documents.
    """
    if min_documents < 1:
        raise ValueError(f"min_documents must be >= 1, got {min_documents!r}")
    if len(docs) <= min_documents:
        check_corpus_table(docs)
        return frozenset()
    frequency = document_frequency(docs, ngram)
    return frozenset(form for form, count in frequency.items() if is_common(count, min_documents))


def anchor_masks(docs: pd.DataFrame, common: frozenset[str],
                 ngram: int = SHINGLE_WORDS) -> dict[str, np.ndarray]:
    """Per document, which shingles may anchor a shared passage (their form is not common).

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``doc_id`` and ``body``.
    common : frozenset of str
        :func:`common_forms` of the corpus.
    ngram : int
        Shingle length in words.

    Returns
    -------
    dict of str to numpy.ndarray
        doc_id -> boolean array, one entry per shingle start (word position),
        True where the shingle's form is rare.
    """
    check_corpus_table(docs)
    return {doc_id: np.array([form not in common for form in shingle_forms(body, ngram)], dtype=bool)
            for doc_id, body in zip(docs["doc_id"], docs["body"])}


def rare_shingle_sets(docs: pd.DataFrame, common: frozenset[str], ngram: int = SHINGLE_WORDS, *,
                      rare: dict[str, np.ndarray] | None = None) -> list[set[bytes]]:
    """Each body's word shingles (as written, normalised) whose form is not common, corpus order.

    The candidate stage's MinHash input: two stories from one template share
    only common shingles and so are not candidates, while two copies of a
    story share their rare ones. A body whose shingles are all common (or with
    fewer than ``ngram`` words) keeps every shingle it has, so it is still
    compared with its own copies.

    ``rare`` (optional) is what :func:`anchor_masks` gives for ``common``
    (e.g. the ``rare`` of :func:`analysis.overlap.wire_templates.formula_index`,
    built with the same common forms): the forms are then not found again.
    """
    check_corpus_table(docs)
    sets = []
    forms_of = WordForms()
    for doc_id, body in zip(docs["doc_id"], docs["body"]):
        described = [forms_of(word) for word in words(body)]
        normal = [found[0] for found in described]
        if len(normal) < ngram:
            sets.append({" ".join(normal).encode("utf-8")} if normal else set())
            continue
        shingles = [" ".join(normal[i:i + ngram]) for i in range(len(normal) - ngram + 1)]
        if rare is None:
            forms = [found[1] for found in described]
            flags = [" ".join(forms[i:i + ngram]) not in common for i in range(len(shingles))]
        else:
            flags = rare[doc_id].tolist()
        kept = {shingle.encode("utf-8") for shingle, flag in zip(shingles, flags) if flag}
        sets.append(kept or {s.encode("utf-8") for s in shingles})
    return sets
