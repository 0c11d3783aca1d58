"""Labels of aligned sentence pairs: faithful kind from the scores, then partial or distorted.

:func:`label_pairs` scores candidate pairs (lexical similarity, paraphrase
probability) and gives each its faithful kind (copy, near copy, paraphrase) or
none; :func:`relation_of` turns the faithful kind of the chosen link into the
kit's relation, checking what must match (:mod:`analysis.overlap.pair_checks`)
and how much of each side the other carries. The vocabulary and the order of
the steps are described in :mod:`analysis.overlap.alignment`.
"""

from __future__ import annotations

import numpy as np

from analysis.overlap import paraphrase
from analysis.overlap.pair_checks import (carried_share, content_words, extra_content, names_conflict,
                                          numbers_conflict, roles_swapped, speaker_conflict)
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
#: Share of the shorter side's content words the longer side must carry for a
#: faithful link to be ``partial`` (with :data:`PARTIAL_EXTRA_MIN`). On
#: principle: four in five of its content words found means the shorter side
#: was taken from the longer one, not reworded.
PARTIAL_CARRIED_MIN = 0.8
#: Content words the longer side must add for a faithful link to be
#: ``partial``: three (a clause's subject, verb and object). Fewer is an edit
#: ("sharply" dropped), not a second statement.
PARTIAL_EXTRA_MIN = 3

#: Rank of each faithful kind when candidate units compete (higher wins).
RANKS = {"copy": 3, "near_copy": 2, "paraphrase": 1}


def lexical_similarity(text_a: str, text_b: str) -> float:
    """Word-level similarity of two sentences, 0..1 (1: same words in the same order).

    ``1 - indel_distance / (n_a + n_b)`` over casefolded word tokens, so case,
    punctuation and spacing do not count. Two texts without words score 1.
    (Same as :func:`analysis.overlap.paraphrase.word_similarity`.)
    """
    return paraphrase.word_similarity(text_a, text_b)


def classify_pair(lexical: float, probability: float, conflict: bool, threshold: float,
                  wordless: bool = False) -> str:
    """Faithful kind of a pair from its scores alone: copy, near_copy, paraphrase or none.

    ``conflict``: the sentences state different numbers (never faithful; the
    aligner labels such a linked pair ``distorted``); ``wordless``: one of them
    has no word at all (a stray quotation mark), so carries no content. An
    unscored (NaN) probability never makes a paraphrase.
    """
    if conflict or wordless:
        return "none"
    if lexical >= COPY_MIN:
        return "copy"
    if lexical >= NEAR_COPY_MIN:
        return "near_copy"
    if probability >= threshold:
        return "paraphrase"
    return "none"


def label_pairs(text_a: list[str], text_b: list[str], semantic: np.ndarray, model: dict,
                scoring_min: float, cache: dict | None = None) -> list[dict]:
    """Score pairs and give each its faithful kind, numbers left aside.

    Returns one dict per pair: ``lexical``, ``probability`` (NaN where
    ``semantic < scoring_min``, and where the lexical score alone makes the
    pair a copy or near copy), ``label`` (copy, near_copy, paraphrase or
    None, by :func:`classify_pair` without the number conflict, which
    :func:`relation_of` reports as a distortion), ``rank`` (:data:`RANKS`, 0
    for None) and ``basis`` (``lexical`` or ``classifier``). ``cache``: a dict
    kept by the caller across calls; the classifier's features are symmetric,
    so a pair met in both directions is scored once.
    """
    cache = {} if cache is None else cache
    semantic = np.asarray(semantic, dtype=np.float64)
    lexical = [lexical_similarity(a, b) for a, b in zip(text_a, text_b)]
    keys = [(min(a, b), max(a, b), round(float(cos), 6)) for a, b, cos in zip(text_a, text_b, semantic)]
    todo = [i for i, (lex, cos, key) in enumerate(zip(lexical, semantic, keys))
            if cos >= scoring_min and lex < NEAR_COPY_MIN and key not in cache]
    todo = list({keys[i]: i for i in todo}.values())
    if todo:
        found = paraphrase.paraphrase_probability([text_a[i] for i in todo], [text_b[i] for i in todo],
                                                  semantic[todo], model)
        cache.update({keys[i]: float(p) for i, p in zip(todo, found)})
    threshold = float(model["threshold"])
    out = []
    for a, b, lex, cos, key in zip(text_a, text_b, lexical, semantic, keys):
        prob = cache.get(key, float("nan")) if cos >= scoring_min else float("nan")
        label = classify_pair(lex, prob, False, threshold, wordless=not (has_words(a) and has_words(b)))
        label = None if label == "none" else label
        out.append({"lexical": lex, "probability": prob, "label": label,
                    "rank": RANKS.get(label, 0), "basis": "lexical" if label in ("copy", "near_copy")
                    else "classifier" if label else ""})
    return out


def distortion(text_a: str, text_b: str, previous_a: tuple[str, ...] = (),
               previous_b: tuple[str, ...] = (), spacy_model: str = "auto") -> str:
    """What makes a linked pair distorted: ``numbers``, ``names``, ``speaker``, ``roles``, or ``""``.

    ``previous_a``/``previous_b``: the sentences before each side in its
    document, to resolve "he said" (:func:`analysis.overlap.pair_checks.speakers_in_context`);
    ``spacy_model``: the run's English pipeline, which parses for the role check.
    """
    if numbers_conflict(text_a, text_b):
        return "numbers"
    if names_conflict(text_a, text_b):
        return "names"
    if speaker_conflict(text_a, text_b, previous_a, previous_b):
        return "speaker"
    if roles_swapped(text_a, text_b, spacy_model):
        return "roles"
    return ""


def is_partial(text_a: str, text_b: str) -> bool:
    """One side carries :data:`PARTIAL_CARRIED_MIN` of the other's content and adds :data:`PARTIAL_EXTRA_MIN`."""
    shorter, longer = sorted((text_a, text_b), key=lambda t: (len(set(content_words(t))), t))
    return (carried_share(shorter, longer) >= PARTIAL_CARRIED_MIN
            and extra_content(longer, shorter) >= PARTIAL_EXTRA_MIN)


def relation_of(text_a: str, text_b: str, unit: str, label: str, basis: str,
                previous_a: tuple[str, ...] = (), previous_b: tuple[str, ...] = (),
                spacy_model: str = "auto") -> tuple[str, str]:
    """Relation and basis of a linked pair (``label`` is its faithful kind).

    ``distorted`` when :func:`distortion` finds a change; else ``partial`` when
    b's unit is a clause of a longer sentence or :func:`is_partial`; else the
    faithful kind. The basis gains ``+<what changed>``, ``+clause`` or
    ``+content``. ``previous_a``/``previous_b`` and ``spacy_model`` as for :func:`distortion`.
    """
    changed = distortion(text_a, text_b, previous_a, previous_b, spacy_model)
    if changed:
        return "distorted", f"{basis}+{changed}"
    if unit == "clause":
        return "partial", f"{basis}+clause"
    if label != "copy" and is_partial(text_a, text_b):
        return "partial", f"{basis}+content"
    return label, basis
