"""Shared passages: the verbatim and near-verbatim text two documents have in common.

:func:`shared_passages` finds them with character offsets into both bodies
(seed-and-extend, in the spirit of passim / text-matcher): word n-gram
shingles shared by the two texts are the seeds; seeds on the same alignment
diagonal form runs; runs separated by a few unmatched words (an edit, an
insertion) are merged into one passage. The overlap stages run one way from
here: :mod:`analysis.overlap.containment` summarises each ordered pair and
labels its relation, :mod:`analysis.overlap.derivation` orients related pairs.

Words and their normal forms come from the kit's text layer
(:data:`analysis.text.words.WORD_RE`, :func:`analysis.text.words.normalise_word`):
language-neutral (Unicode word characters plus combining marks,
NFKC-normalised and casefolded), so the lexical part works on Urdu as well as
English; nothing here needs spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from rapidfuzz.distance import Indel

from analysis.overlap.shingle_frequency import word_form
from analysis.tables import check_corpus_table
from analysis.text.words import WORD_RE, normalise_word, require_text

PASSAGE_COLUMNS = ["doc_a", "start_a", "end_a", "doc_b", "start_b", "end_b",
                   "n_words", "kind", "score", "text_a", "text_b"]

#: Corpora of at most this many documents compare every pair: the candidate
#: stage (:mod:`analysis.overlap.candidates`) skips LSH and this section reports every
#: ordered pair. Set by hand with the candidate stage: 50 documents are 1,225
#: pairs, whose passages take 0.2 s to find (50 BBC articles), while LSH would
#: drop pairs sharing only a quote or two; beyond it the pairs grow with the
#: square of the corpus (bench/bench_overlap.py measures both paths on BBC and
#: Reuters).
ALL_PAIRS_MAX_DOCS = 50


@dataclass
class Tokens:
    """A tokenised body: word ids (shared vocabulary) and character offsets.

    Attributes
    ----------
    ids : list of int
        One id per word, in text order (:class:`Tokenizer`'s shared vocabulary
        of normalised words).
    starts, ends : numpy.ndarray
        Character offsets of each word in the body (end exclusive).
    """

    ids: list[int]
    starts: np.ndarray
    ends: np.ndarray


class Tokenizer:
    """Tokenises bodies once and maps words to ints shared across documents.

    Call it with ``(doc_id, body)`` to get the body's :class:`Tokens`; a
    document is tokenised once, and equal normalised words get equal ids in
    every document tokenised by the same instance. ``numbers`` holds the ids
    of the words that are numbers (:func:`analysis.overlap.shingle_frequency.word_form`).
    """

    def __init__(self):
        self.vocabulary: dict[str, int] = {}
        self.cache: dict[str, Tokens] = {}
        self.numbers: set[int] = set()
        self.written: dict[str, int] = {}  # a word as written -> the id of its normal form

    def word_id(self, word: str) -> int:
        """The id of ``word``'s normal form (a new id for a normal form not seen before)."""
        normal = normalise_word(word)
        k = self.vocabulary.get(normal)
        if k is None:
            k = self.vocabulary[normal] = len(self.vocabulary)
            if word_form(normal) == "#":
                self.numbers.add(k)
        self.written[word] = k
        return k

    def __call__(self, doc_id: str, body: str) -> Tokens:
        if doc_id not in self.cache:
            require_text(body, "Tokenizer")
            matches = list(WORD_RE.finditer(body))
            written, word_id = self.written, self.word_id
            ids = []
            for match in matches:
                word = match.group()
                k = written.get(word)
                ids.append(word_id(word) if k is None else k)
            self.cache[doc_id] = Tokens(ids, np.array([m.start() for m in matches], dtype=np.int64),
                                        np.array([m.end() for m in matches], dtype=np.int64))
        return self.cache[doc_id]


def _shingle_index(ids: list[int], ngram: int) -> dict[tuple, list[int]]:
    index: dict[tuple, list[int]] = {}
    for i in range(len(ids) - ngram + 1):
        index.setdefault(tuple(ids[i:i + ngram]), []).append(i)
    return index


def _seed_runs(index_a, index_b, ngram, max_occurrences, rare_a=None):
    """Maximal runs of consecutive shared shingles on one diagonal.

    Returns ``[a_start, a_end, b_start, b_end]`` word spans (end exclusive).
    Shingles repeated more than ``max_occurrences`` times in either text are
    boilerplate and seed nothing; so do those starting where ``rare_a`` (one
    flag per shingle start in a, optional) is False.
    """
    if len(index_b) < len(index_a):
        shared = [key for key in index_b if key in index_a]
    else:
        shared = [key for key in index_a if key in index_b]
    seeds = []
    for key in shared:
        positions_a, positions_b = index_a[key], index_b[key]
        if len(positions_a) <= max_occurrences and len(positions_b) <= max_occurrences:
            seeds.extend((j - i, i) for i in positions_a if rare_a is None or rare_a[i]
                         for j in positions_b)
    seeds.sort()
    runs = []
    for diagonal, i in seeds:
        last = runs[-1] if runs else None
        if last is not None and last[4] == diagonal and i <= last[1] - ngram + 1:
            last[1] = i + ngram
            last[3] = i + diagonal + ngram
        else:
            runs.append([i, i + ngram, i + diagonal, i + diagonal + ngram, diagonal])
    return [r[:4] for r in runs]


def _merge_runs(runs, max_gap, ngram, breaks=None):
    """Chain runs into passages across gaps of at most ``max_gap`` words.

    With ``breaks`` (a function of the two gaps' word spans), a gap for which
    it returns True is never bridged.
    """
    passages: list[list[int]] = []
    for run in sorted(runs):
        best, best_gap = None, None
        for passage in passages:
            gap_a, gap_b = run[0] - passage[1], run[2] - passage[3]
            if (-ngram < gap_a <= max_gap and -ngram < gap_b <= max_gap
                    and run[1] > passage[1] and run[3] > passage[3]
                    and (breaks is None or not breaks(passage[1], run[0], passage[3], run[2]))):
                gap = max(gap_a, gap_b)
                if best is None or gap < best_gap:
                    best, best_gap = passage, gap
        if best is None:
            passages.append(list(run))
        else:
            best[1], best[3] = run[1], run[3]
    return passages


def pairs_to_compare(docs: pd.DataFrame, pairs) -> list[tuple[str, str]]:
    """Unordered pairs in corpus order: all of them, or those given.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``doc_id``.
    pairs : pandas.DataFrame or None
        Pairs (``doc_a``, ``doc_b``; either orientation, a pair with itself
        ignored); None for every pair.

    Returns
    -------
    list of (str, str)
        ``(first, second)`` with ``first`` earlier in corpus order, each pair
        once, sorted in corpus order.

    Raises
    ------
    ValueError
        ``pairs`` lacks ``doc_a``/``doc_b`` or names a document not in ``docs``.
    """
    order = {doc_id: k for k, doc_id in enumerate(docs["doc_id"])}
    if pairs is None:
        return list(combinations(docs["doc_id"], 2))
    if not {"doc_a", "doc_b"} <= set(pairs.columns):
        raise ValueError("pairs must have columns doc_a and doc_b")
    unknown = sorted((set(pairs["doc_a"]) | set(pairs["doc_b"])) - set(order))
    if unknown:
        raise ValueError(f"pairs name documents not in docs: {unknown[:5]}")
    wanted = {tuple(sorted((a, b), key=order.get))
              for a, b in zip(pairs["doc_a"], pairs["doc_b"]) if a != b}
    return sorted(wanted, key=lambda p: (order[p[0]], order[p[1]]))


def shared_passages(docs: pd.DataFrame, pairs: pd.DataFrame | None = None, *,
                    ngram: int = 3, min_words: int = 6, max_gap: int = 3,
                    max_occurrences: int = 5, anchors=None) -> pd.DataFrame:
    """Verbatim and near-verbatim passages shared by pairs of documents.

    Seeds are word ``ngram``-grams (casefolded) that occur in both bodies.
    Seeds on one diagonal (same offset between the two texts) make runs; runs
    whose ends are at most ``max_gap`` words apart in both texts are chained into
    one passage, so a substituted, inserted or deleted word or two does not break
    a passage. A passage starts and ends on shared words.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``doc_id`` and ``body``.
    pairs : pandas.DataFrame, optional
        Pairs to compare (``doc_a``, ``doc_b``), e.g. from
        :func:`analysis.overlap.candidates.candidate_pairs`. Default: every pair.
    ngram : int
        Seed length in words.
    min_words : int
        Passages shorter than this (in either document) are dropped.
    max_gap : int
        Largest number of unmatched words bridged inside a passage.
    max_occurrences : int
        Shingles occurring more often than this in one body are ignored
        (boilerplate such as repeated bylines would otherwise seed everything).
    anchors : dict of str to numpy.ndarray, optional
        Per document, which shingle starts are of rare form
        (:func:`analysis.overlap.shingle_frequency.anchor_masks`): a shingle
        of common form (a wire formula, boilerplate) seeds nothing, so
        passages are made of the rest; and a gap holding a number in either
        text is not bridged (a template filled with another figure, "given 191
        mln stg" vs "given 152 mln stg", is not one passage). Or a
        :class:`analysis.overlap.wire_templates.FormulaIndex`
        (:func:`analysis.overlap.wire_templates.formula_index`), which adds
        the template-line and figure rules of that module. Default: every
        shingle seeds and every short gap is bridged.

    Returns
    -------
    pandas.DataFrame
        One row per passage: ``doc_a``, ``doc_b`` (doc_a comes first in corpus
        order), ``start_a``, ``end_a``, ``start_b``, ``end_b`` (character offsets
        into each ``body``), ``n_words`` (words in the doc_a span), ``kind``
        (``verbatim`` when the casefolded word sequences are identical, else
        ``near``), ``score`` (Indel similarity of the two word sequences, 0..1),
        ``text_a``, ``text_b`` (the exact body slices). Sorted by pair in corpus
        order, then ``start_a``, ``start_b``.
    """
    check_corpus_table(docs)
    for name, value, low in (("ngram", ngram, 1), ("min_words", min_words, 1),
                             ("max_gap", max_gap, 0), ("max_occurrences", max_occurrences, 1)):
        if not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    bodies = dict(zip(docs["doc_id"], docs["body"]))
    tokenize = Tokenizer()
    indexes: dict[str, dict] = {}
    # a FormulaIndex (wire_templates): template lines seed only between texts with the same figures
    formulas = None if anchors is None or isinstance(anchors, dict) else anchors
    rows = []
    for doc_a, doc_b in pairs_to_compare(docs, pairs):
        tok_a, tok_b = tokenize(doc_a, bodies[doc_a]), tokenize(doc_b, bodies[doc_b])
        for doc_id, tokens in ((doc_a, tok_a), (doc_b, tok_b)):
            if doc_id not in indexes:
                indexes[doc_id] = _shingle_index(tokens.ids, ngram)
        if formulas is not None:
            rare_a = formulas.anchors(doc_a, doc_b)
        else:
            rare_a = None if anchors is None else anchors[doc_a]
        runs = _seed_runs(indexes[doc_a], indexes[doc_b], ngram, max_occurrences, rare_a)
        breaks = None
        if anchors is not None:  # a changed figure in a gap ends the passage
            numeric = tokenize.numbers

            def breaks(a0, a1, b0, b1, ids_a=tok_a.ids, ids_b=tok_b.ids):
                return any(i in numeric for i in ids_a[a0:a1]) or any(i in numeric for i in ids_b[b0:b1])
        spans = [span for span in sorted(_merge_runs(runs, max_gap, ngram, breaks))
                 if min(span[1] - span[0], span[3] - span[2]) >= min_words]
        if formulas is not None:  # templates, series: see wire_templates
            spans = [(a0, a1, b0, b1) for a0, a1, b0, b1 in spans if formulas.keeps(doc_a, (a0, a1), doc_b, (b0, b1))]
            if tok_a.ids != tok_b.ids and not formulas.pair_shares(doc_a, [(a0, a1) for a0, a1, _, _ in spans]):
                spans = []
        for a0, a1, b0, b1 in spans:
            words_a, words_b = tok_a.ids[a0:a1], tok_b.ids[b0:b1]
            start_a, end_a = int(tok_a.starts[a0]), int(tok_a.ends[a1 - 1])
            start_b, end_b = int(tok_b.starts[b0]), int(tok_b.ends[b1 - 1])
            rows.append((doc_a, start_a, end_a, doc_b, start_b, end_b, a1 - a0,
                         "verbatim" if words_a == words_b else "near",
                         round(float(Indel.normalized_similarity(words_a, words_b)), 6),
                         bodies[doc_a][start_a:end_a], bodies[doc_b][start_b:end_b]))
    table = pd.DataFrame(rows, columns=PASSAGE_COLUMNS)
    return table.astype({"start_a": "int64", "end_a": "int64", "start_b": "int64",
                         "end_b": "int64", "n_words": "int64", "score": "float64"})
