"""Soft word-alignment (BERTScore) features of sentence pairs, tried for the paraphrase model.

A pre-registered attempt (``bench/bench_mrpc.py``) found that these features
do not improve the shipped classifier on the "dev" split of MRPC train, so the
kit does not compute them; the benchmark does, from the contextual word-piece
vectors of :meth:`analysis.overlap.embeddings.Encoder.token_vectors`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from analysis.text.lemmas import stop_words

#: Soft word-alignment features (BERTScore, Zhang et al. 2020, with the
#: contextual word-piece vectors of all-MiniLM-L6-v2, [CLS]/[SEP] left out).
#: Each word piece of one sentence is matched to its most similar piece in the
#: other (cosine of last-layer vectors); a direction's score is the mean of
#: those best similarities ("precision" of a in b). ``_min``/``_max``: the
#: lower / higher of the two directions; ``_f``: their harmonic mean.
ALIGNMENT_FEATURES = (
    "bertscore_min", "bertscore_max", "bertscore_f",
    "bertscore_idf_min", "bertscore_idf_max", "bertscore_idf_f",   # pieces weighted by IDF
    "worst_content_min", "worst_content_max",   # best similarity of the worst-matched content piece, per side
    "aligned50_min", "aligned50_max",           # share of pieces whose best similarity is >= 0.5
    "aligned70_min", "aligned70_max",           # ... >= 0.7
)


def _is_content_piece(piece: str, stops: frozenset[str]) -> bool:
    word = piece.removeprefix("##")
    return any(ch.isalnum() for ch in word) and word not in stops


def piece_idf(token_lists: Sequence[Sequence[str]]) -> dict:
    """Inverse document frequency of word pieces over a set of sentences.

    Parameters
    ----------
    token_lists : sequence of sequence of str
        The word pieces of each sentence (each sentence counts once per piece).

    Returns
    -------
    dict
        ``{"sentences": n, "idf": {piece: log((n + 1) / (df + 1))}}``; pieces
        seen once are left out: :func:`alignment_features` gives every piece
        missing from the table (seen once or never) ``log((n + 1) / 2)``.
        Values rounded to 4 decimals.
    """
    counts = Counter(piece for tokens in token_lists for piece in set(tokens))
    n = len(token_lists)
    if n == 0:
        raise ValueError("piece_idf needs at least one sentence")
    return {"sentences": n,
            "idf": {p: round(math.log((n + 1) / (df + 1)), 4) for p, df in sorted(counts.items()) if df > 1}}


def _idf_weights(tokens: Sequence[str], idf: dict | None) -> np.ndarray:
    if idf is None:
        return np.ones(len(tokens))
    n = idf["sentences"]
    once = round(math.log((n + 1) / 2), 4)
    table = idf["idf"]
    # A piece absent from the table was seen at most once; count it as seen once.
    return np.array([table.get(t, once) for t in tokens], dtype=np.float64)


def _alignment_one(a, b, idf: dict | None, stops: frozenset[str]) -> list[float]:
    if len(a.tokens) == 0 or len(b.tokens) == 0:
        same = float(len(a.tokens) == len(b.tokens))
        return [same] * len(ALIGNMENT_FEATURES)
    sim = a.vectors.astype(np.float64) @ b.vectors.astype(np.float64).T
    best_a, best_b = sim.max(axis=1), sim.max(axis=0)
    p_a, p_b = float(best_a.mean()), float(best_b.mean())
    w_a, w_b = _idf_weights(a.tokens, idf), _idf_weights(b.tokens, idf)
    q_a = float(best_a @ w_a / w_a.sum()) if w_a.sum() > 0 else p_a
    q_b = float(best_b @ w_b / w_b.sum()) if w_b.sum() > 0 else p_b

    def worst(best, tokens):
        content = [s for s, t in zip(best, tokens) if _is_content_piece(t, stops)]
        return float(min(content)) if content else 1.0

    def harmonic(x, y):
        return 2 * x * y / (x + y) if x + y > 0 else 0.0

    out = [min(p_a, p_b), max(p_a, p_b), harmonic(p_a, p_b),
           min(q_a, q_b), max(q_a, q_b), harmonic(q_a, q_b)]
    w1, w2 = worst(best_a, a.tokens), worst(best_b, b.tokens)
    out += [min(w1, w2), max(w1, w2)]
    for level in (0.5, 0.7):
        s1, s2 = float(np.mean(best_a >= level)), float(np.mean(best_b >= level))
        out += [min(s1, s2), max(s1, s2)]
    return out


def alignment_features(tokens_a: Sequence, tokens_b: Sequence, idf: dict | None = None) -> pd.DataFrame:
    """Soft word-alignment (BERTScore) features of sentence pairs.

    Parameters
    ----------
    tokens_a, tokens_b : sequence of analysis.embeddings.TokenVectors
        Word pieces and their unit vectors for each side of each pair
        (:func:`analysis.embeddings.token_vectors`).
    idf : dict, optional
        :func:`piece_idf` output; without it the ``bertscore_idf_*`` columns
        weight every piece equally (they then equal ``bertscore_*``).

    Returns
    -------
    pandas.DataFrame
        One row per pair, in input order, one float column per name in
        :data:`ALIGNMENT_FEATURES` (see the comments there). Symmetric in a and
        b. A side without word pieces scores 1 against another empty side, else 0.
    """
    tokens_a, tokens_b = list(tokens_a), list(tokens_b)
    if len(tokens_a) != len(tokens_b):
        raise ValueError(f"tokens_a and tokens_b must have the same length; got {len(tokens_a)} and {len(tokens_b)}")
    stops = stop_words()
    rows = [_alignment_one(a, b, idf, stops) for a, b in zip(tokens_a, tokens_b)]
    return pd.DataFrame(rows, columns=list(ALIGNMENT_FEATURES), dtype=np.float64).reindex(range(len(tokens_a)))
