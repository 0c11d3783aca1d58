"""Sentence alignment across documents: copies, near copies and reworded ("spun") copies.

Every sentence of document a is paired with its nearest sentence in document b
by embedding cosine (:mod:`analysis.overlap.embeddings`); the pair is then labelled

``copy``
    lexically the same up to trivial differences (case, punctuation, spacing,
    at most about one changed word in forty): ``lexical >= COPY_MIN``;
``near_copy``
    small edits: ``lexical >= NEAR_COPY_MIN``;
``paraphrase``
    reworded but the same content: the MRPC-fitted classifier of
    :mod:`analysis.overlap.paraphrase` says so (probability >= its threshold);
``none``
    the nearest sentence does not carry the same content (the columns still
    show it, so a reader can see what came closest).

Whatever the lexical score, a pair whose sentences each state a number the
other lacks (a changed figure: "50,000" vs "40,000") is never ``copy``,
``near_copy`` or ``paraphrase``: it does not carry the same content. Neither is
a pair where one side has no word at all (a stray quotation mark that the
sentence splitter left on its own).

``lexical`` is the word-level similarity ``1 - indel_distance / (n_a + n_b)``
over casefolded word tokens (rapidfuzz ``Indel.normalized_similarity``): the
share of words that survive when one sentence is edited into the other.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.overlap import paraphrase
from analysis.overlap.paraphrase import numbers_conflict
from analysis.text.words import has_words

#: Lexical similarity from which a pair is a copy: 0.95 lets one changed word in
#: about forty through (a 20-word sentence with one word swapped scores 0.95),
#: and nothing beyond; case, punctuation and spacing never count. (On MRPC
#: train all 12 such pairs are labelled paraphrases.)
COPY_MIN = 0.95
#: Lexical similarity from which a pair is a near copy. Chosen on MRPC train
#: (pairs without conflicting numbers, ``bench/bench_mrpc.py`` prints the
#: table): from 0.80 up 94% of the 573 pairs are labelled paraphrases and every
#: 0.05-wide bin is at least 93% paraphrases; the 0.75-0.80 bin drops to 87%
#: (overall rate: 68%). Below 0.80 the classifier decides.
NEAR_COPY_MIN = 0.80

#: Pairs whose embedding cosine is below this are not scored by the paraphrase
#: classifier: ``probability`` is left empty and only the lexical score can make
#: them copies. On MRPC train the classifier never accepts a pair below cosine
#: 0.40 and gives at most 0.46 below 0.35 (its threshold is 0.51); among the
#: best matches of a 50-article corpus of unrelated stories about 85% fall
#: below 0.35, and scoring them was four fifths of the alignment time.
SCORING_MIN_COSINE = 0.35

COLUMNS = ["doc_a", "sent_a", "text_a", "doc_b", "sent_b", "text_b",
           "semantic", "lexical", "probability", "kind"]
KINDS = ("copy", "near_copy", "paraphrase", "none")
_DECIMALS = 4



def lexical_similarity(text_a: str, text_b: str) -> float:
    """Word-level similarity of two sentences, 0..1 (1: same words in the same order).

    ``1 - indel_distance / (n_a + n_b)`` over casefolded word tokens, so case,
    punctuation and spacing do not count. Two texts without words score 1.
    (Same as :func:`analysis.overlap.paraphrase.word_similarity`.)
    """
    return paraphrase.word_similarity(text_a, text_b)


def classify_pair(lexical: float, probability: float, conflict: bool, threshold: float,
                  wordless: bool = False) -> str:
    """Kind of an aligned pair (see the module docstring).

    ``conflict``: the sentences state different numbers; ``wordless``: one of
    them has no word at all (a stray quotation mark), so carries no content.
    """
    if conflict or wordless:
        return "none"
    if lexical >= COPY_MIN:
        return "copy"
    if lexical >= NEAR_COPY_MIN:
        return "near_copy"
    if probability >= threshold:  # False for an unscored (NaN) pair
        return "paraphrase"
    return "none"


def _check_inputs(sentences: pd.DataFrame, embeddings: np.ndarray) -> np.ndarray:
    needed = {"doc_id", "sent", "text"}
    if not isinstance(sentences, pd.DataFrame) or not needed <= set(sentences.columns):
        raise ValueError(f"sentences must be a DataFrame with columns {sorted(needed)} "
                         "(analysis.text.sentences.sentence_table output)")
    vectors = np.asarray(embeddings, dtype=np.float32)
    if vectors.ndim != 2 or len(vectors) != len(sentences):
        raise ValueError(f"embeddings must be a 2-D array with one row per sentence "
                         f"({len(sentences)} rows); got shape {vectors.shape}")
    if not np.all(np.isfinite(vectors)):
        raise ValueError("embeddings contain NaN or infinite values")
    if sentences.duplicated(["doc_id", "sent"]).any():
        raise ValueError("sentences has repeated (doc_id, sent) rows")
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _ordered_pairs(doc_ids: list[str], pairs: pd.DataFrame | None) -> list[tuple[str, str]]:
    if pairs is None:
        return [(a, b) for a in doc_ids for b in doc_ids if a != b]
    if not isinstance(pairs, pd.DataFrame) or not {"doc_a", "doc_b"} <= set(pairs.columns):
        raise ValueError("pairs must be a DataFrame with columns doc_a and doc_b")
    known = set(doc_ids)
    wanted = set()
    for a, b in zip(pairs["doc_a"].astype(str), pairs["doc_b"].astype(str)):
        if a == b:
            continue
        if a in known and b in known:
            wanted.update({(a, b), (b, a)})
    return sorted(wanted)


def align_sentences(sentences: pd.DataFrame, embeddings: np.ndarray, pairs: pd.DataFrame | None = None,
                    *, model: dict | None = None) -> pd.DataFrame:
    """Align each sentence of document a to its best counterpart in document b.

    Parameters
    ----------
    sentences : pandas.DataFrame
        :func:`analysis.text.sentences.sentence_table` output (``doc_id``, ``sent``,
        ``text``; other columns ignored).
    embeddings : numpy.ndarray
        One sentence vector per row of ``sentences``, same order
        (:func:`analysis.overlap.embeddings.encode` of ``sentences["text"]``).
    pairs : pandas.DataFrame, optional
        ``doc_a``, ``doc_b`` pairs to align (e.g. from
        :func:`analysis.overlap.candidates.candidate_pairs`). Each pair is aligned in
        both directions; pairs naming an unknown document are skipped. Default:
        every ordered pair of distinct documents.
    model : dict, optional
        Paraphrase model (default :func:`analysis.overlap.paraphrase.load_model`).

    Returns
    -------
    pandas.DataFrame
        One row per sentence of doc_a per ordered pair (doc_a, doc_b):
        ``doc_a``, ``sent_a``, ``text_a``; ``doc_b``, ``sent_b``, ``text_b``
        (the sentence of b with the highest embedding cosine; ties: the
        earliest); ``semantic`` (that cosine, -1..1), ``lexical`` (word-level
        similarity, 0..1, see :func:`lexical_similarity`), ``probability``
        (paraphrase probability, 0..1; empty where ``semantic`` is below
        :data:`SCORING_MIN_COSINE`) and ``kind`` (copy, near_copy,
        paraphrase or none; see the module docstring). Scores are rounded to 4
        decimals. Sorted by doc_a, doc_b, sent_a.
    """
    vectors = _check_inputs(sentences, embeddings)
    model = paraphrase.load_model() if model is None else model
    table = sentences.reset_index(drop=True)
    doc_ids = table["doc_id"].astype(str).tolist()
    rows_of: dict[str, np.ndarray] = {}
    for doc_id in dict.fromkeys(doc_ids):
        rows = np.flatnonzero(np.array(doc_ids) == doc_id)
        rows_of[doc_id] = rows[np.argsort(table["sent"].to_numpy()[rows], kind="stable")]

    left, right, semantic = [], [], []
    for doc_a, doc_b in _ordered_pairs(list(rows_of), pairs):
        rows_a, rows_b = rows_of[doc_a], rows_of[doc_b]
        cosine = vectors[rows_a] @ vectors[rows_b].T
        best = np.argmax(cosine, axis=1)
        left.extend(rows_a)
        right.extend(rows_b[best])
        semantic.extend(cosine[np.arange(len(rows_a)), best])
    if not left:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("semantic", "lexical", "probability")
                                          else "int64" if c in ("sent_a", "sent_b") else "object")
                             for c in COLUMNS})

    texts = table["text"].astype(str).to_numpy()
    text_a, text_b = texts[left].tolist(), texts[right].tolist()
    semantic = np.clip(np.asarray(semantic, dtype=np.float64), -1.0, 1.0)
    probability = np.full(len(text_a), np.nan)
    scored = np.flatnonzero(semantic >= SCORING_MIN_COSINE)
    if len(scored):
        probability[scored] = paraphrase.paraphrase_probability(
            [text_a[i] for i in scored], [text_b[i] for i in scored], semantic[scored], model)
    lexical = np.array([lexical_similarity(a, b) for a, b in zip(text_a, text_b)])
    threshold = float(model["threshold"])
    kinds = [classify_pair(lex, prob, numbers_conflict(a, b), threshold,
                           wordless=not (has_words(a) and has_words(b)))
             for lex, prob, a, b in zip(lexical, probability, text_a, text_b)]

    out = pd.DataFrame({
        "doc_a": np.array(doc_ids, dtype=object)[left],
        "sent_a": table["sent"].to_numpy()[left].astype(np.int64),
        "text_a": text_a,
        "doc_b": np.array(doc_ids, dtype=object)[right],
        "sent_b": table["sent"].to_numpy()[right].astype(np.int64),
        "text_b": text_b,
        "semantic": np.round(semantic, _DECIMALS),
        "lexical": np.round(lexical, _DECIMALS),
        "probability": np.round(probability, _DECIMALS),
        "kind": kinds,
    })
    return out.sort_values(["doc_a", "doc_b", "sent_a"], kind="mergesort").reset_index(drop=True)


def semantic_coverage(alignment: pd.DataFrame) -> pd.DataFrame:
    """Share of a's sentences that have a copy, near copy or paraphrase in b.

    Parameters
    ----------
    alignment : pandas.DataFrame
        :func:`align_sentences` output.

    Returns
    -------
    pandas.DataFrame
        ``doc_a``, ``doc_b``, ``semantic_coverage`` (0..1), one row per ordered
        pair present in ``alignment``, sorted by doc_a, doc_b.
    """
    needed = {"doc_a", "sent_a", "doc_b", "kind"}
    if not isinstance(alignment, pd.DataFrame) or not needed <= set(alignment.columns):
        raise ValueError(f"alignment must be a DataFrame with columns {sorted(needed)}")
    unknown = set(alignment["kind"]) - set(KINDS)
    if unknown:
        raise ValueError(f"alignment has unknown kinds {sorted(map(str, unknown))}; expected {KINDS}")
    matched = alignment.assign(_matched=alignment["kind"].ne("none"))
    per_sentence = matched.groupby(["doc_a", "doc_b", "sent_a"])["_matched"].any()
    coverage = per_sentence.groupby(level=["doc_a", "doc_b"]).mean().rename("semantic_coverage")
    return coverage.reset_index().sort_values(["doc_a", "doc_b"], kind="mergesort").reset_index(drop=True)
