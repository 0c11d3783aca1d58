"""Candidate document pairs for the exact overlap stage (MinHash LSH).

Comparing every pair of documents is quadratic; on a large corpus only pairs
that share enough word shingles are worth aligning. Each body becomes the set
of its word ``ngram``-grams (the text layer's words, normalised, as in
:mod:`analysis.overlap.passages`), summarised by a MinHash (datasketch, explicit seed);
a MinHashLSH index returns the pairs whose estimated Jaccard similarity is
likely above ``threshold``.

Why plain Jaccard LSH with a low threshold rather than containment
(``MinHashLSHEnsemble``): a short text wholly inside a text ``r`` times longer
has Jaccard about ``1 / r``, so ``threshold=0.1`` still catches a wire story
inside an article up to about ten times its length, and near duplicates
(Jaccard near 1) are found with near certainty. The ensemble would also catch
more lopsided containment, but it answers one query per document over
partitioned indexes and was not needed for news-sized texts. Pairs that share
only a quote or two (Jaccard far below the threshold) are missed by design on
large corpora: that is the price of not comparing all pairs. Small corpora
(at most ``all_pairs_max_docs`` documents) skip LSH and return every pair.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from datasketch import LeanMinHash, MinHash, MinHashLSH

from analysis.overlap.passages import ALL_PAIRS_MAX_DOCS
from analysis.overlap.shingle_frequency import sorted_distinct
from analysis.tables import check_corpus_table
from analysis.text.words import has_words, normalise_word, words

CANDIDATE_COLUMNS = ["doc_a", "doc_b", "estimated_jaccard"]


def _shingles(body: str, ngram: int) -> set[bytes]:
    normal = [normalise_word(word) for word in words(body)]
    if len(normal) < ngram:
        return {" ".join(normal).encode("utf-8")} if normal else set()
    return {" ".join(normal[i:i + ngram]).encode("utf-8")
            for i in range(len(normal) - ngram + 1)}


def minhash_signatures(docs: pd.DataFrame, *, num_perm: int = 128, seed: int = 1,
                       ngram: int = 3, shingle_sets: list | None = None) -> list[LeanMinHash]:
    """One MinHash per document body (word ``ngram``-gram shingles), corpus order.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``doc_id`` and ``body``.
    num_perm, seed : int
        MinHash permutations and random seed (fixed seed: reproducible).
    ngram : int
        Shingle length in words.
    shingle_sets : list of set of bytes, optional
        The shingles to hash, one set per document in corpus order (e.g.
        :func:`analysis.overlap.shingle_frequency.rare_shingle_sets`, which
        leaves wire formulas out). Default: every word ``ngram``-gram.

    Returns
    -------
    list of datasketch.LeanMinHash
    """
    check_corpus_table(docs)
    if shingle_sets is None:
        shingle_sets = [_shingles(body, ngram) for body in docs["body"]]
    elif len(shingle_sets) != len(docs):
        raise ValueError(f"shingle_sets has {len(shingle_sets)} sets for {len(docs)} documents")
    hashes = MinHash.bulk(shingle_sets, num_perm=num_perm, seed=seed)
    return [LeanMinHash(h) for h in hashes]


def candidate_pairs(docs: pd.DataFrame, threshold: float = 0.1, num_perm: int = 128,
                    seed: int = 1, ngram: int = 3, *,
                    all_pairs_max_docs: int = ALL_PAIRS_MAX_DOCS,
                    shingle_sets: list | None = None) -> pd.DataFrame:
    """Pairs of documents worth aligning, from MinHash LSH (all pairs if small).

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``doc_id`` and ``body``.
    threshold : float
        Jaccard similarity (of word ``ngram``-gram sets) the LSH index is tuned
        for; pairs well below it are rarely returned. Low by default so that
        containment (short text inside a long one) is not lost.
    num_perm, seed : int
        MinHash permutations and random seed.
    ngram : int
        Shingle length in words.
    all_pairs_max_docs : int
        Corpora with at most this many documents skip LSH: every pair is returned.
    shingle_sets : list of set of bytes, optional
        What to hash per document (see :func:`minhash_signatures`); the
        ``estimated_jaccard`` is then that of these sets.

    Returns
    -------
    pandas.DataFrame
        ``doc_a``, ``doc_b`` (doc_a first in corpus order), ``estimated_jaccard``
        (MinHash estimate, 0..1; 0 when a body has no words, and such bodies
        are never LSH candidates). Sorted by doc_a then doc_b in corpus order.
    """
    check_corpus_table(docs)
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be between 0 and 1 (exclusive), got {threshold!r}")
    if ngram < 1 or num_perm < 2:
        raise ValueError("ngram must be >= 1 and num_perm >= 2")
    ids = docs["doc_id"].tolist()
    signatures = minhash_signatures(docs, num_perm=num_perm, seed=seed, ngram=ngram,
                                    shingle_sets=shingle_sets)
    matrix = (np.vstack([signature.hashvalues for signature in signatures]) if signatures
              else np.zeros((0, num_perm), dtype=np.uint64))
    # The MinHashes of two empty shingle sets are equal (estimate 1.0): a body
    # without words shares nothing, so it is never a candidate and estimates 0.
    wordless = np.array([not has_words(body) for body in docs["body"]], dtype=bool)
    if len(ids) <= all_pairs_max_docs:
        first, second = np.triu_indices(len(ids), 1)
    else:
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)  # its bands: b bands of r rows
        first, second = banded_pairs(matrix, lsh.b, lsh.r, np.flatnonzero(~wordless))
    agree = (matrix[first] == matrix[second]).sum(axis=1) if len(first) else np.zeros(0, dtype=np.int64)
    estimate = np.where(wordless[first] | wordless[second], 0.0, agree / float(num_perm))
    table = pd.DataFrame({"doc_a": [ids[k] for k in first.tolist()], "doc_b": [ids[j] for j in second.tolist()],
                          "estimated_jaccard": [round(float(x), 6) for x in estimate]}, columns=CANDIDATE_COLUMNS)
    return table.astype({"estimated_jaccard": "float64"})


def banded_pairs(matrix: np.ndarray, bands: int, rows: int, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of ``members`` (row numbers of ``matrix``) equal in all ``rows`` values of some band.

    What :class:`datasketch.MinHashLSH` with ``bands`` bands of ``rows`` rows
    returns when every member is inserted and then queried (band ``i`` is
    columns ``i * rows`` to ``(i + 1) * rows``), computed with numpy sorting
    instead of one hash table lookup per band and document.

    Returns
    -------
    tuple of numpy.ndarray
        ``first``, ``second`` (int64, ``first < second``), sorted by ``first`` then ``second``.
    """
    n = len(matrix)
    codes = [np.zeros(0, dtype=np.int64)]
    for band in range(bands):
        block = np.ascontiguousarray(matrix[members, band * rows:(band + 1) * rows])
        width = block.dtype.itemsize * rows  # a band's bytes: one uint64 when they fit, else raw bytes
        keys = block.view(np.uint64 if width == 8 else np.dtype((np.void, width))).ravel()
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        sizes = np.diff(np.r_[starts, len(ordered)])
        for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist()):
            group = np.sort(members[order[start:start + size]])
            i, j = np.triu_indices(size, 1)
            codes.append(group[i] * n + group[j])
    found = sorted_distinct(np.concatenate(codes))
    return found // n, found % n
