"""The any-language relation: is text a wholly, partially or not derived from text b?

Documents the kit cannot read as English (Urdu, say) have no sentence
alignment (the sentence model is English) and reuse in them is often
reworded, so whole passages of six words are rare even in a copy. Their
relation comes from a small logistic model on language-neutral evidence, with
nothing from spaCy or the embedding model (:data:`FEATURES`, all over the
text layer's normalised words outside quotation marks):

``char_containment``
    share of a's character :data:`CHAR_NGRAM`-grams (words written without
    the spaces between them) that occur in b. Character grams survive the
    spelling and word-splitting variants of rewritten Urdu ("دیدی" / "دے دی").
``log_words_a``
    ``log(1 + words)`` of a: on COUNTER a long newspaper story is rarely
    derived from the agency story (a length prior: ND stories have a median
    of 273 words, PD 155, WD 85). The model is not extrapolated: each feature
    is clipped to the range it was fitted on (``clip`` in the JSON), so a
    10-word brief counts as COUNTER's shortest derived story (31 words).

Why these two: among the language-neutral measures tried on COUNTER (word
1-4-gram containment both ways, shared-passage containment at four passage
settings, longest passage share, per-segment word and character similarity
with rapidfuzz, the best and second-best matched segment, word and character
LCS, length ratio, b's length), character 4-gram containment with the length
of a was the strongest small set (held-out derived F1 0.884, macro F1 0.749,
mean of three fold seeds); nothing added moved either by more than 0.005
(fold noise), and the best matched segment took a negative weight beside the
containment, which no reader could be asked to believe. Shared passages of
six or more words alone reach 0.742 / 0.584. A pre-registered nested search
on grouped folds (``bench/counter_protocol.py``: 28 language-neutral
candidates after Sharjeel et al. 2016 and the kit's own, two model forms,
L2, all chosen inside) confirmed the choice: 0.879 / 0.744 against this
model's 0.883 / 0.751, mean of three fold seeds; not adopted
(``bench/counter_results.md``).

Two logistic heads share the features: P(derived) (wholly or partially) and
P(wholly derived). A pair is ``wholly_derived`` when P(wholly) reaches the
wholly threshold, else ``partially_derived`` when P(derived) reaches the
derived threshold, else ``independent`` (:func:`model_relations`); a pair
whose char_containment is below :data:`CHAR_CONTAINMENT_MIN` is independent
whatever the heads say. The
weights, standardisation and both thresholds live in
``analysis/data/relation_model.json``; they were fitted by
``python -m bench.bench_counter --fit`` on COUNTER (600 Urdu agency ->
newspaper pairs, labelled wholly / partially / non derived), thresholds
chosen by the rule of ``bench/bench_counter.py`` (best 3-class macro F1 plus
derived F1), and the JSON records the held-out (out-of-fold, grouped
5-fold) scores of that same procedure.

Why English pairs do not use it: its calibration is Urdu's. English texts
about the same story share far more character grams by chance (common words
are longer and repeated: "the", "said", "with"), so on the English seed
corpus it calls all 20 ordered pairs partially derived (P(derived) 0.65-0.98),
Newsweek's and Mothership's independent reports included, at character
4-gram containments of 0.41-0.68 where COUNTER's non-derived median is 0.23. English pairs keep the rule of
:func:`analysis.overlap.containment.pair_relation` (shared passages of six or
more words, whose chance level is low in any language, and the sentence
alignment). :func:`analysis.overlap.containment.overlap_pairs` chooses.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib.resources import files

import numpy as np
import pandas as pd

from analysis.text.quotation_marks import quoted_spans
from analysis.text.words import normalise_word, word_spans

FEATURES = ("char_containment", "log_words_a")
#: Character n-gram length of the containment features: 4, the best of 3-8 by
#: held-out 3-class macro F1 on COUNTER (5-fold, three fold seeds: 0.753 with
#: lengths against 0.742 for 5-grams and less for longer ones).
CHAR_NGRAM = 4
#: Below this char_containment a pair is independent whatever its length:
#: set by hand as "a text sharing under a tenth of its character 4-grams with
#: another has nothing of it"; on COUNTER 7 pairs lie below it, all labelled
#: ND, so it costs nothing there, and it stops the length prior from making a
#: short text that shares nothing "derived".
CHAR_CONTAINMENT_MIN = 0.10


def _unquoted_spans(body: str) -> pd.DataFrame:
    spans = word_spans(body)
    keep = np.ones(len(spans), dtype=bool)
    starts, ends = spans["start"].to_numpy(), spans["end"].to_numpy()
    for start, end in quoted_spans(body):
        keep &= ~((starts >= start) & (ends <= end))
    return spans[keep]


def unquoted_words(body: str) -> list[str]:
    """Normalised words of ``body`` outside its quotation marks, in text order.

    Quoted words are left out as in the kit's containment: two outlets
    quoting one speaker share the speaker's words without copying each other.
    """
    return [normalise_word(word) for word in _unquoted_spans(body)["word"]]


def char_grams(text: str, n: int = CHAR_NGRAM) -> list[str]:
    """Character ``n``-grams of ``text`` in order (the text itself if shorter, none if empty)."""
    if len(text) < n:
        return [text] if text else []
    return [text[i:i + n] for i in range(len(text) - n + 1)]


def _containment(grams_a: list[str], grams_b: frozenset[str]) -> float:
    """Share of the grams of ``grams_a`` (a list: repeats count) found in the set ``grams_b``."""
    return sum(g in grams_b for g in grams_a) / len(grams_a) if grams_a else 0.0


@dataclass(frozen=True)
class TextProfile:
    """What :func:`relation_features` needs of one text, computed once per text.

    Attributes
    ----------
    n_words : int
        Words outside quotation marks.
    grams : list of str
        Character n-grams of those words written without spaces, in order.
    gram_set : frozenset of str
        The same grams as a set.
    """

    n_words: int
    grams: list[str]
    gram_set: frozenset[str]


def text_profile(body: str) -> TextProfile:
    """The :class:`TextProfile` of one body."""
    words = unquoted_words(body)
    grams = char_grams("".join(words))
    return TextProfile(len(words), grams, frozenset(grams))


def relation_features(a: str | TextProfile, b: str | TextProfile) -> dict[str, float]:
    """The :data:`FEATURES` of text a against text b (see the module docstring).

    ``a`` and ``b`` are bodies or their :func:`text_profile`.

    Examples
    --------
    >>> relation_features("The cat sat.", "The cat sat down.")
    {'char_containment': 1.0, 'log_words_a': 1.386294}
    """
    a = text_profile(a) if isinstance(a, str) else a
    b = text_profile(b) if isinstance(b, str) else b
    return {
        "char_containment": round(_containment(a.grams, b.gram_set), 6),
        "log_words_a": round(float(np.log1p(a.n_words)), 6),
    }


def model_path():
    """Location of the packaged model JSON."""
    return files("analysis") / "data" / "relation_model.json"


@functools.cache
def load_model() -> dict:
    """The fitted relation model (cached): ``analysis/data/relation_model.json``.

    Returns
    -------
    dict
        ``features``; ``clip`` (per feature, the [low, high] range it was
        fitted on); ``derived`` and ``wholly`` (each ``mean``, ``scale``,
        ``weights``, ``bias``); ``thresholds`` (``derived``, ``wholly``);
        ``training`` and ``held_out`` (how it was fitted and scored).
    """
    model = json.loads(model_path().read_text(encoding="utf-8"))
    if tuple(model.get("features", ())) != FEATURES:
        raise ValueError("analysis/data/relation_model.json was fitted on other features; "
                         "refit it with: python -m bench.bench_counter --fit")
    return model


def _head(x: np.ndarray, head: dict) -> np.ndarray:
    z = (x - np.asarray(head["mean"])) / np.asarray(head["scale"])
    return 1.0 / (1.0 + np.exp(-(z @ np.asarray(head["weights"]) + float(head["bias"]))))


def model_relations(features: pd.DataFrame, model: dict | None = None) -> pd.DataFrame:
    """Relation of each pair from its :data:`FEATURES` (see the module docstring).

    Parameters
    ----------
    features : pandas.DataFrame
        One row per ordered pair with the :data:`FEATURES` columns
        (:func:`relation_features`).
    model : dict, optional
        A model as in the JSON; default :func:`load_model`.

    Returns
    -------
    pandas.DataFrame
        ``derived_probability``, ``wholly_probability`` (0..1, rounded to 6
        decimals, features clipped to the model's ``clip``) and ``relation``
        (:data:`CHAR_CONTAINMENT_MIN` applied) (wholly_derived, partially_derived or
        independent), with ``features``' index.
    """
    model = load_model() if model is None else model
    missing = [f for f in model["features"] if f not in features.columns]
    if missing:
        raise ValueError(f"features table lacks columns {missing}")
    x = features[list(model["features"])].to_numpy(dtype=np.float64).reshape(len(features), -1)
    if "clip" in model:
        low, high = np.asarray(model["clip"], dtype=np.float64).T
        x = np.clip(x, low, high)
    derived = np.round(_head(x, model["derived"]), 6)
    wholly = np.round(_head(x, model["wholly"]), 6)
    thresholds = model["thresholds"]
    relation = np.where(wholly >= thresholds["wholly"], "wholly_derived",
                        np.where(derived >= thresholds["derived"], "partially_derived", "independent"))
    relation[features["char_containment"].to_numpy() < CHAR_CONTAINMENT_MIN] = "independent"
    return pd.DataFrame({"derived_probability": derived, "wholly_probability": wholly,
                         "relation": relation.astype(object)}, index=features.index)
