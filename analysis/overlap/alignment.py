"""Sentence alignment across documents: which sentence(s) or clause of b each sentence of a comes from, and how.

Every sentence of document a is aligned to a *unit* of document b
(:mod:`analysis.overlap.alignment_units`): one sentence, two adjacent
sentences (a merge), or a clause of a long sentence (one clause kept, or a
sentence split in two). Three kinds of evidence, in this order:

1. **The pair itself.** Around a's nearest sentence of b (embedding cosine),
   each candidate unit is scored: ``lexical`` word-level similarity and the
   MRPC-fitted paraphrase classifier (:mod:`analysis.overlap.paraphrase`). The
   unit with the strongest label wins (copy over near copy over paraphrase;
   then the higher cosine).
2. **The order of aligned neighbours.** A sentence with no such link whose
   nearest sentence of b is where the order of its linked neighbours points
   (``j + 1`` after a predecessor linked to ``j``, ``j - 1`` before a successor
   linked to ``j``; ``j`` itself when that neighbour took only a clause of it),
   as sequence aligners read the diagonal
   of a similarity matrix, is linked to it (or to its closest clause) from a
   lower cosine (:data:`ORDER_MIN_COSINE`): a reworded sentence that sits
   where its source sits. The order confirms the nearest sentence; it never
   picks another one. Links made
   this way support their own neighbours in turn, so a run of reworded
   sentences between two anchors is followed along the diagonal.
3. **What must match.** A linked pair whose numbers or names conflict, whose
   speakers differ, or whose participants trade places
   (:mod:`analysis.overlap.pair_checks`) is ``distorted``.

``kind`` (one vocabulary across the kit, :data:`KINDS`):

``copy``
    lexically the same up to trivial differences: ``lexical >= COPY_MIN``;
``near_copy``
    small edits: ``lexical >= NEAR_COPY_MIN``;
``paraphrase``
    reworded, same content: the classifier says so, or the order of the
    neighbours does (``basis`` says which);
``partial``
    a faithful link that carries only part of the other side: a clause of a
    long sentence or one half of a split, or the source plus a new claim
    (one side carries at least :data:`PARTIAL_CARRIED_MIN` of the other's
    content words and adds at least :data:`PARTIAL_EXTRA_MIN` of its own);
``distorted``
    linked, but a number, a name, the speaker or the roles changed;
``related``
    not linked, but b says something close (cosine at least
    :data:`RELATED_MIN_COSINE`): the same fact in independent wording;
``none``
    nothing in b carries this sentence (the columns still show the nearest
    sentence, so a reader can see what came closest).

``lexical`` is ``1 - indel_distance / (n_a + n_b)`` over casefolded word
tokens (rapidfuzz ``Indel.normalized_similarity``): the share of words that
survive when one text is edited into the other.

All thresholds were chosen on MRPC train or on principle, as their comments
say. ``tests/data/alignment`` (the hand-annotated set) is a test set: no
threshold was tuned on it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from analysis.overlap import paraphrase
from analysis.overlap.alignment_labels import (COPY_MIN, NEAR_COPY_MIN, PARTIAL_CARRIED_MIN,  # noqa: F401
                                              PARTIAL_EXTRA_MIN, classify_pair, label_pairs,
                                              lexical_similarity, relation_of)
from analysis.overlap.alignment_units import Units, candidate_units, document_units, order_support
from analysis.overlap.pair_checks import PRONOUN_LOOKBACK
from analysis.overlap.paraphrase import numbers_conflict  # noqa: F401  (public re-export, as before)
from analysis.text.words import has_words
from analysis.threads import with_fixed_blas_threads

#: Pairs whose embedding cosine is below this are not scored by the paraphrase
#: classifier: ``probability`` is left empty and only the lexical score can make
#: them copies. On MRPC train the classifier never accepts a pair below cosine
#: 0.40 and gives at most 0.46 below 0.35 (its threshold is 0.51); among the
#: best matches of a 50-article corpus of unrelated stories about 85% fall
#: below 0.35, and scoring them was four fifths of the alignment time.
SCORING_MIN_COSINE = 0.35
#: (Also the cosine the second sentence of a merge must reach on its own for the
#: merge to be a candidate: below it, it adds nothing the classifier would accept.)
#: Cosine from which the order of aligned neighbours links a sentence the
#: classifier rejected. 0.40 is where, on MRPC train, the classifier's own
#: acceptances begin (it accepts no pair below cosine 0.40): below it the pair
#: shares too little meaning for any evidence to make it a rewrite; above it,
#: sitting where the source sentence sits in an aligned sequence is taken as
#: the evidence the classifier lacked (a judgement, not a fit).
ORDER_MIN_COSINE = 0.40
#: Cosine from which an unlinked sentence is ``related`` (b says something close,
#: worded independently). Chosen on MRPC train: its pairs are sentences from
#: different outlets' reports of the same news event; of the 1,323 its
#: annotators judged *not* paraphrases (same story, different content or
#: wording), three quarters reach cosine 0.604 and half 0.723 (all-MiniLM-L6-v2;
#: 5th/10th percentiles 0.437/0.493). 0.60, that lower quartile, is the
#: threshold: below it even most same-story pairs are not this close.
RELATED_MIN_COSINE = 0.60

COLUMNS = ["doc_a", "sent_a", "text_a", "doc_b", "sent_b", "text_b",
           "semantic", "lexical", "probability", "kind", "sents_b", "span_b", "unit_b", "basis"]
KINDS = ("copy", "near_copy", "paraphrase", "partial", "distorted", "related", "none")
#: Kinds that say a's sentence was made from b's: the rows semantic coverage counts.
DERIVED_KINDS = ("copy", "near_copy", "paraphrase", "partial", "distorted")
_DECIMALS = 4
_FLOATS = ("semantic", "lexical", "probability")


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


def _default_encoder(texts: list[str]) -> np.ndarray:
    from analysis.overlap.embeddings import encode

    return encode(texts)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in _FLOATS else "int64" if c in ("sent_a", "sent_b")
                                      else "object") for c in COLUMNS})


def _align_pair(doc_a: str, doc_b: str, ua: Units, ub: Units, model: dict, cache: dict) -> list[dict]:
    """Rows of one ordered pair (see :func:`align_sentences`)."""
    n_a = ua.n_sentences
    cosine = ua.vectors[:n_a] @ ub.vectors.T
    nearest = np.argmax(cosine[:, :ub.n_sentences], axis=1)
    candidates = [candidate_units(ub, cosine[i], SCORING_MIN_COSINE) for i in range(n_a)]
    flat = [(i, u) for i in range(n_a) for u in candidates[i]]
    scores = label_pairs([ua.text[i] for i, _ in flat], [ub.text[u] for _, u in flat],
                         np.array([cosine[i, u] for i, u in flat]), model, SCORING_MIN_COSINE, cache)
    scored = dict(zip(flat, scores))
    best: list[dict | None] = [None] * n_a
    for (i, u), score in scored.items():
        if not has_words(ua.text[i]) or score["rank"] == 0:
            continue
        key = (score["rank"], cosine[i, u])
        if best[i] is None or key > (best[i]["rank"], best[i]["semantic"]):
            best[i] = {**score, "unit": u, "semantic": float(cosine[i, u])}
    own_units = [[j] for j in range(ub.n_sentences)]  # each sentence of b and its clauses
    for u in range(ub.n_sentences, len(ub.kind)):
        if ub.kind[u] == "clause":
            own_units[int(ub.first[u])].append(u)
    first = [int(ub.first[b["unit"]]) if b else None for b in best]
    last = [int(ub.last[b["unit"]]) if b else None for b in best]
    clause = [bool(b) and ub.kind[b["unit"]] == "clause" for b in best]
    changed = True
    while changed:  # follow the diagonal: a sentence linked by order supports its neighbours in turn
        changed = False
        for i in range(n_a):
            if best[i] is not None or not has_words(ua.text[i]):
                continue
            if int(nearest[i]) not in order_support(first, last, i, clause):
                continue  # the order confirms the nearest sentence; it never overrides it
            units = own_units[int(nearest[i])]
            if not units:
                continue
            u = max(units, key=lambda unit: (cosine[i, unit], -unit))
            if cosine[i, u] >= ORDER_MIN_COSINE:
                score = scored.get((i, u)) or label_pairs([ua.text[i]], [ub.text[u]], np.array([cosine[i, u]]),
                                                          model, SCORING_MIN_COSINE, cache)[0]
                best[i] = {**score, "unit": u, "semantic": float(cosine[i, u]), "label": "paraphrase",
                           "basis": "order"}
                first[i], last[i], clause[i] = int(ub.first[u]), int(ub.last[u]), ub.kind[u] == "clause"
                changed = True
    rows = []
    for i in range(n_a):
        if best[i] is None:
            u = int(nearest[i])
            score = scored[(i, u)]  # the nearest sentence is always a candidate
            related = has_words(ua.text[i]) and cosine[i, u] >= RELATED_MIN_COSINE
            kind, basis = ("related", "similarity") if related else ("none", "")
        else:
            u, score = best[i]["unit"], best[i]
            first_b = int(ub.first[u])
            kind, basis = relation_of(ua.text[i], ub.text[u], ub.kind[u], score["label"], score["basis"],
                                      ua.text[max(0, i - PRONOUN_LOOKBACK):i],
                                      ub.text[max(0, first_b - PRONOUN_LOOKBACK):first_b])
        covered = ub.sent_ids[ub.first[u]:ub.last[u] + 1]
        span = ub.span[u]
        rows.append({"doc_a": doc_a, "sent_a": int(ua.sent_ids[i]), "text_a": ua.text[i], "doc_b": doc_b,
                     "sent_b": int(covered[0]), "text_b": ub.text[u], "semantic": float(cosine[i, u]),
                     "lexical": score["lexical"], "probability": score["probability"], "kind": kind,
                     "sents_b": ";".join(str(int(s)) for s in covered),
                     "span_b": f"{span[0]}:{span[1]}" if span else "", "unit_b": ub.kind[u], "basis": basis})
    return rows


@with_fixed_blas_threads
def align_sentences(sentences: pd.DataFrame, embeddings: np.ndarray, pairs: pd.DataFrame | None = None,
                    *, model: dict | None = None,
                    encoder: Callable[[list[str]], np.ndarray] | None = None) -> pd.DataFrame:
    """Align each sentence of document a to the sentence(s) or clause of document b it comes from.

    Thresholds: :data:`COPY_MIN`, :data:`NEAR_COPY_MIN` and the partial-link
    ones live in :mod:`analysis.overlap.alignment_labels`; the cosine ones here.

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
    encoder : callable, optional
        Texts -> vectors of the same model as ``embeddings``, for the clauses
        of long sentences (default :func:`analysis.overlap.embeddings.encode`
        with its default backend and cache).

    Returns
    -------
    pandas.DataFrame
        One row per sentence of doc_a per ordered pair (doc_a, doc_b):
        ``doc_a``, ``sent_a``, ``text_a``; ``doc_b``; ``sent_b`` (the first
        sentence of b aligned to); ``text_b`` (the text aligned to: the
        sentence, the two sentences joined by a space, or the clause);
        ``semantic`` (embedding cosine of text_a and text_b, -1..1; for two
        sentences, with their word-count-weighted mean vector), ``lexical``
        (word-level similarity, 0..1, see :func:`lexical_similarity`),
        ``probability`` (paraphrase probability, 0..1; empty where
        ``semantic`` is below :data:`SCORING_MIN_COSINE` and where ``lexical``
        alone makes the pair a copy or near copy), ``kind`` (one of
        :data:`KINDS`, see the module docstring); ``sents_b`` (every sentence
        of b aligned to, ``;``-separated: ``"3;4"`` for a merge), ``span_b``
        (``"start:end"`` character span of the clause within sentence
        ``sent_b``, empty otherwise), ``unit_b`` (``sentence``, ``merge`` or
        ``clause``) and ``basis`` (what linked the pair: ``lexical``,
        ``classifier`` or ``order``; ``similarity`` for related rows; empty for
        none; then ``+numbers``, ``+names``, ``+speaker`` or ``+roles`` for a
        distortion and ``+clause`` or ``+content`` for a partial link). Rows
        that are not linked (related, none) show a's nearest sentence of b.
        Scores are rounded to 4 decimals. Sorted by doc_a, doc_b, sent_a.
    """
    vectors = _check_inputs(sentences, embeddings)
    model = paraphrase.load_model() if model is None else model
    table = sentences.reset_index(drop=True)
    doc_ids = table["doc_id"].astype(str).tolist()
    ordered = list(dict.fromkeys(doc_ids))
    wanted = _ordered_pairs(ordered, pairs)
    if not wanted:
        return _empty()
    involved = sorted({d for pair in wanted for d in pair}, key=ordered.index)
    by_doc = {}
    ids = np.array(doc_ids)
    for doc_id in involved:
        rows = np.flatnonzero(ids == doc_id)
        rows = rows[np.argsort(table["sent"].to_numpy()[rows], kind="stable")]
        by_doc[doc_id] = (table["sent"].to_numpy()[rows].astype(np.int64),
                          table["text"].astype(str).to_numpy()[rows].tolist(), vectors[rows])
    units = document_units(by_doc, encoder or _default_encoder)
    cache: dict = {}
    out = pd.DataFrame([row for a, b in wanted for row in _align_pair(a, b, units[a], units[b], model, cache)],
                       columns=COLUMNS)
    for column in _FLOATS:
        out[column] = np.round(out[column].astype(np.float64).clip(-1.0, 1.0), _DECIMALS)
    out[["sent_a", "sent_b"]] = out[["sent_a", "sent_b"]].astype(np.int64)
    return out.sort_values(["doc_a", "doc_b", "sent_a"], kind="mergesort").reset_index(drop=True)


def semantic_coverage(alignment: pd.DataFrame) -> pd.DataFrame:
    """Share of a's sentences that b's were made into: kind in :data:`DERIVED_KINDS`.

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
    matched = alignment.assign(_matched=alignment["kind"].isin(DERIVED_KINDS))
    per_sentence = matched.groupby(["doc_a", "doc_b", "sent_a"])["_matched"].any()
    coverage = per_sentence.groupby(level=["doc_a", "doc_b"]).mean().rename("semantic_coverage")
    return coverage.reset_index().sort_values(["doc_a", "doc_b"], kind="mergesort").reset_index(drop=True)
