"""Candidate language-neutral features of a derived text against its source (COUNTER protocol).

Every feature here needs nothing but the text layer's word pattern and
normalisation (:mod:`analysis.text.words`, via
:func:`analysis.overlap.relation_model.unquoted_words`): no spaCy, no
embedding model, nothing English. They are the measures the COUNTER paper
applies (Sharjeel, Nawab & Rayson 2016: word n-gram overlap with several n,
longest common subsequence, greedy string tiling, containment both ways,
cosine of term vectors, length ratio) plus the kit's own evidence in
language-neutral form (character n-gram containment, covered-word shares as
the shared passages count them, and a sentence alignment by character grams
standing in for the aligned statements, whose English sentence model cannot
read Urdu). ``a`` is the derived text, ``b`` its source; all ``*_rev``
features swap them. Words are the unquoted normalised words of each body;
the sentence features split the raw body at sentence punctuation
(:data:`SENTENCE_END`) and use all its words.

TF-IDF cosine is left out on purpose: an IDF needs a reference collection,
and a report of a handful of articles has none (shipping an Urdu IDF table
would make the relation language-specific). Plain term-count cosine stands in.

Feature columns (all floats):

``char_containment``, ``char3``, ``char5``, ``char6``, ``char8``
    share of a's character n-grams (n = 4 for the first, which is the kit's
    current feature; words written without spaces) found in b.
``char4_rev``
    the same for b in a (n = 4).
``word1`` .. ``word5``, ``word1_rev`` .. ``word3_rev``
    share of a's word n-grams (repeats count) found in b's set; ``_rev`` b in a.
``tile2``, ``tile3``, ``tile5``
    share of a's words inside some word k-gram (k = 2, 3, 5) that occurs in b:
    greedy string tiling's coverage at minimum match length k (reordering
    allowed, tiles not one-to-one).
``lcs_a``, ``lcs_b``
    longest common word subsequence over a's, and over b's, word count.
``cos_words``, ``cos_char4``
    cosine of the word-count vectors, and of the character 4-gram count vectors.
``log_words_a``, ``log_words_b``, ``log_len_ratio``
    ``log(1 + words)`` of a and of b, and their difference.
``sent_best_mean``
    word-weighted mean over a's sentences of each one's best character
    4-gram containment in a single sentence of b.
``sent_aligned_share``, ``sent_copy_share``
    word-weighted share of a's sentences whose best containment reaches
    :data:`ALIGNED_MIN` (0.5: half its grams from one source sentence), and
    :data:`COPY_MIN` (0.8).
``src_used_share``
    word-weighted share of b's sentences whose best containment in one of a's
    sentences reaches :data:`ALIGNED_MIN` (how much of the source was used).
"""

from __future__ import annotations

import math
import re
from collections import Counter

from rapidfuzz.distance import LCSseq

from analysis.overlap.relation_model import char_grams, unquoted_words
from analysis.text.words import normalise_word, word_spans

#: Sentence punctuation of the sentence features: Latin and Arabic-script full
#: stops, question and exclamation marks, and line breaks (fixed in the protocol,
#: not tuned).
SENTENCE_END = re.compile("[.!?\u06d4\u061f\n]+")
#: A sentence of a counts as aligned when this share of its character 4-grams
#: lies in one sentence of b (fixed in the protocol, not tuned).
ALIGNED_MIN = 0.5
#: ... and as a (near) copy at this share (fixed in the protocol, not tuned).
COPY_MIN = 0.8
#: Sentences of fewer words are left out of the sentence features (a dateline).
SENTENCE_MIN_WORDS = 3

ALL_FEATURES = (
    "char_containment", "char3", "char5", "char6", "char8", "char4_rev",
    "word1", "word2", "word3", "word4", "word5", "word1_rev", "word2_rev", "word3_rev",
    "tile2", "tile3", "tile5", "lcs_a", "lcs_b", "cos_words", "cos_char4",
    "log_words_a", "log_words_b", "log_len_ratio",
    "sent_best_mean", "sent_aligned_share", "sent_copy_share", "src_used_share",
)


def _ngrams(words: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(words[i:i + n]) for i in range(len(words) - n + 1)]


def _containment(items: list, pool: set) -> float:
    return sum(x in pool for x in items) / len(items) if items else 0.0


def _tile_share(a: list[str], b: list[str], k: int) -> float:
    if not a:
        return 0.0
    pool = set(_ngrams(b, k))
    covered = [False] * len(a)
    for i, gram in enumerate(_ngrams(a, k)):
        if gram in pool:
            covered[i:i + k] = [True] * k
    return sum(covered) / len(a)


def _cosine(x: Counter, y: Counter) -> float:
    dot = sum(v * y.get(k, 0) for k, v in x.items())
    norm = math.sqrt(sum(v * v for v in x.values()) * sum(v * v for v in y.values()))
    return dot / norm if norm else 0.0


def sentences(body: str) -> list[list[str]]:
    """Normalised words of each sentence of ``body`` (:data:`SENTENCE_END`), short ones left out."""
    out = []
    for piece in SENTENCE_END.split(body):
        words = [normalise_word(w) for w in word_spans(piece)["word"]]
        if len(words) >= SENTENCE_MIN_WORDS:
            out.append(words)
    return out


def _best_containments(a_sents: list[list[str]], b_sents: list[list[str]]) -> list[tuple[int, float]]:
    b_sets = [set(char_grams("".join(s))) for s in b_sents]
    out = []
    for s in a_sents:
        grams = char_grams("".join(s))
        best = max((_containment(grams, pool) for pool in b_sets), default=0.0)
        out.append((len(s), best))
    return out


def _weighted(pairs: list[tuple[int, float]], predicate=None) -> float:
    total = sum(n for n, _ in pairs)
    if not total:
        return 0.0
    if predicate is None:
        return sum(n * v for n, v in pairs) / total
    return sum(n for n, v in pairs if predicate(v)) / total


#: Title features of the protocol's addendum (:func:`title_features`).
TITLE_FEATURES = ("title_in_title", "title_in_source")


def title_features(derived_title: str, source_title: str, source_body: str) -> dict[str, float]:
    """Character 4-gram containment of the derived title in the source title, and in its title and body."""
    grams = char_grams("".join(unquoted_words(derived_title)))
    in_title = set(char_grams("".join(unquoted_words(source_title))))
    in_source = in_title | set(char_grams("".join(unquoted_words(source_body))))
    return {"title_in_title": round(_containment(grams, in_title), 6),
            "title_in_source": round(_containment(grams, in_source), 6)}


def candidate_features(derived: str, source: str) -> dict[str, float]:
    """All :data:`ALL_FEATURES` of ``derived`` (a) against ``source`` (b), rounded to 6 decimals."""
    a, b = unquoted_words(derived), unquoted_words(source)
    ca, cb = "".join(a), "".join(b)
    f: dict[str, float] = {}
    for n, name in ((4, "char_containment"), (3, "char3"), (5, "char5"), (6, "char6"), (8, "char8")):
        f[name] = _containment(char_grams(ca, n), set(char_grams(cb, n)))
    f["char4_rev"] = _containment(char_grams(cb, 4), set(char_grams(ca, 4)))
    for n in range(1, 6):
        f[f"word{n}"] = _containment(_ngrams(a, n), set(_ngrams(b, n)))
    for n in range(1, 4):
        f[f"word{n}_rev"] = _containment(_ngrams(b, n), set(_ngrams(a, n)))
    for k in (2, 3, 5):
        f[f"tile{k}"] = _tile_share(a, b, k)
    lcs = LCSseq.similarity(a, b) if a and b else 0
    f["lcs_a"] = lcs / len(a) if a else 0.0
    f["lcs_b"] = lcs / len(b) if b else 0.0
    f["cos_words"] = _cosine(Counter(a), Counter(b))
    f["cos_char4"] = _cosine(Counter(char_grams(ca, 4)), Counter(char_grams(cb, 4)))
    f["log_words_a"] = math.log1p(len(a))
    f["log_words_b"] = math.log1p(len(b))
    f["log_len_ratio"] = f["log_words_a"] - f["log_words_b"]
    sa, sb = sentences(derived), sentences(source)
    forward = _best_containments(sa, sb)
    f["sent_best_mean"] = _weighted(forward)
    f["sent_aligned_share"] = _weighted(forward, lambda v: v >= ALIGNED_MIN)
    f["sent_copy_share"] = _weighted(forward, lambda v: v >= COPY_MIN)
    f["src_used_share"] = _weighted(_best_containments(sb, sa), lambda v: v >= ALIGNED_MIN)
    return {name: round(float(f[name]), 6) for name in ALL_FEATURES}
