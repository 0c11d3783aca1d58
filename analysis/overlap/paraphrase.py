"""Is sentence b a paraphrase of sentence a? Pair features and a small logistic model.

Lexical tools miss reworded ("spun") copies; embeddings alone confuse "same
topic" with "same content" and ignore changed numbers or names. The classifier
here combines both kinds of signal (:data:`FEATURES`) in a logistic model whose
weights, standardisation and decision threshold live in
``analysis/data/paraphrase_model.json``. They were fitted by
``python -m bench.bench_mrpc --refit-shipped`` on the MRPC *train* split only
(Dolan & Brockett 2005, 4,076 pairs); the threshold is the one that maximises
accuracy over 5-fold cross-validated probabilities on train, as is the L2
penalty. The JSON also records the train-file hash and the metrics on the MRPC
test split (accuracy 0.773, F1 0.836: the accuracy bar of 0.77 is met, the F1
bar of 0.84 is not; cosine alone gives 0.719 / 0.807).

Known gap, and what did not close it: ten more features chosen on train
(content-word bigram precision, IDF-weighted overlap with IDF from train,
word LCS ratios, counts and IDF mass of unmatched content words) with the
threshold maximising cross-validated accuracy + F1 raised train CV from
0.772 / 0.837 to 0.780 / 0.847 (also with IDF fitted inside each fold and with
folds grouped by shared sentences), but scored 0.765 / 0.835 on MRPC test, so
it was not kept (git history: "Experiment (reverted next)"). A threshold moved
towards F1 alone was not evaluated on test: with this feature set its CV gain
(F1 +0.002 for accuracy -0.001) is too small to reach 0.84.

Because of that rejection MRPC test has been looked at twice. A third attempt
(soft word alignment, ``bench/bertscore.py``: BERTScore with the MiniLM
word-piece vectors) follows a protocol fixed before "dev" or test were seen,
written out in ``bench/bench_mrpc.py``: a grouped 80/20 "fit"/"dev" split of
MRPC train (no sentence on both sides, seed 13); all choices by 5-fold grouped
CV on "fit"; threshold and L2 maximising out-of-fold accuracy + F1; "dev"
looked at once, candidate adopted iff its dev accuracy + F1 beats the current
29-feature model's (both fitted on "fit" the same way); only then a refit on
all train and one last look at test, recorded whatever it shows. If the
candidate is not adopted, test is not touched and this model is unchanged.
Outcome: the candidate (these 29 features plus the three IDF-weighted
BERTScore features, the best of nine feature sets by CV on "fit") scored
0.778 / 0.845 in CV on "fit" against 0.773 / 0.838, but 0.765 / 0.833 on
"dev" against 0.767 / 0.832 (accuracy + F1 1.598 vs 1.599), so it was not
adopted: test was not looked at a third time and the model below is the same.
SentEval-style |u-v| and u*v features lowered CV and were dropped before dev.

Only prediction with the shipped coefficients lives here; the fit, the
threshold search and the BERTScore features are the benchmark's
(``bench/fitting.py``, ``bench/bertscore.py``).
"""

from __future__ import annotations

import functools
import json
import math
import re
import unicodedata
from collections.abc import Sequence
from importlib.resources import files

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from analysis.text.lemmas import stop_words

from analysis.text.words import normalise_word, words

#: Pair features, in model order. All are symmetric in a and b; all but
#: ``log_min_length`` lie in 0..1. "Precision" of n-grams is the share of one
#: sentence's n-grams found in the other (BLEU-style); ``_min``/``_max`` take the
#: lower and the higher of the two directions (``ngram1_max`` is the share of
#: the shorter sentence's words found in the longer). "Stems" are words cut to
#: 5 letters. The features overlap, so single weights are not interpretable.
FEATURES = (
    "semantic",          # cosine of the all-MiniLM-L6-v2 embeddings
    "word_jaccard",      # Jaccard index of the word sets
    "content_jaccard",   # Jaccard index of the non-stop-word sets
    "bigram_jaccard",    # Jaccard index of word-bigram sets
    "char_jaccard",      # Jaccard index of character 4-gram sets
    "token_sort",        # rapidfuzz token_sort_ratio / 100 (word alignment, order-free)
    "token_set",         # rapidfuzz token_set_ratio / 100
    "number_mismatch",   # numbers in one sentence only / numbers in either (0 if none)
    "name_mismatch",     # capitalised names in one sentence only / names in either
    "length_ratio",      # shorter / longer word count
    "ngram1_min", "ngram1_max", "ngram2_min", "ngram2_max",   # word n-gram precision
    "ngram3_min", "ngram3_max", "ngram4_min", "ngram4_max",
    "stem_jaccard",      # Jaccard index of content-word stems
    "stem_containment",  # shared content stems / content stems of the shorter sentence
    "stem1_min", "stem1_max", "stem2_min", "stem2_max",       # stem n-gram precision
    "stem3_min", "stem3_max",
    "word_edit",         # word-level indel similarity (share of words kept in an edit)
    "char_edit",         # rapidfuzz ratio of the lowercased texts / 100
    "log_min_length",    # log(1 + words of the shorter sentence)
)
_STEM = 5
#: Texts whose feature pieces (words, names, character and word n-grams) each process
#: remembers. Texts recur within a pair and a story, not across the corpus, so a few
#: thousand serve the reuse; the earlier 65,536 and 131,072 entries held ~15 KB of
#: character 4-grams and ~12 KB of word n-grams per sentence and grew each alignment
#: process past 1 GB on all of Reuters-21578 (23,621 distinct aligned sentences).
FEATURE_CACHE_SIZE = 4096

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z][\w’'-]*[a-z][\w’'-]*|\b[A-Z]{2,}\b")


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")


@functools.lru_cache(maxsize=FEATURE_CACHE_SIZE)
def _words(text: str) -> tuple[str, ...]:
    """The features' tokens: the text layer's words, normalised, hyphenated
    compounds cut at the hyphen.

    The cut is the one step beyond :func:`analysis.text.words.words`: the model's
    weights were fitted on MRPC with "well-known" read as two tokens, so its
    n-gram, stem and length features keep reading it so.
    """
    return tuple(part for word in words(text) for part in normalise_word(word).split("-") if part)


def _numbers(text: str) -> set[str]:
    # "1,000" and "1000" are the same number; "2.5" keeps its point.
    found = set()
    for raw in _NUMBER.findall(text):
        value = raw.replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        found.add(value.lstrip("0") or "0")
    return found


@functools.lru_cache(maxsize=FEATURE_CACHE_SIZE)
def _names(text: str, stops: frozenset[str]) -> frozenset[str]:
    """Capitalised words that are not sentence openers or stop words ("The", "He")."""
    names = set()
    for match in _NAME.finditer(text):
        word = match.group(0).rstrip("'’").removesuffix("'s").removesuffix("’s")
        if word.casefold() in stops:
            continue
        before = text[:match.start()].rstrip()
        if not before or before[-1] in ".!?\"“'‘(":
            continue  # capitalised because it opens a sentence or quote
        names.add(word.casefold())
    return frozenset(names)


def numbers_conflict(text_a: str, text_b: str) -> bool:
    """True when each text states a number the other does not ("40,000" vs "50,000").

    A number present on one side only (an added date, say) is not a conflict;
    "1,000" equals "1000" and "4.20" equals "4.2".
    """
    a, b = _numbers(text_a), _numbers(text_b)
    return bool(a - b) and bool(b - a)


def _jaccard(a: set, b: set) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 1.0


def _mismatch(a: set, b: set) -> float:
    union = len(a | b)
    return len(a ^ b) / union if union else 0.0


@functools.lru_cache(maxsize=FEATURE_CACHE_SIZE)
def _char_grams(text: str, n: int = 4) -> frozenset[str]:
    squeezed = " ".join(_words(text))
    return frozenset(squeezed[i:i + n] for i in range(max(1, len(squeezed) - n + 1)))


@functools.lru_cache(maxsize=8 * FEATURE_CACHE_SIZE)  # seven per text: words 1-4, stems 1-3
def _grams(words: tuple[str, ...], n: int) -> frozenset[tuple[str, ...]]:
    return frozenset(zip(*[words[i:] for i in range(n)]))


def _precisions(words_a: list[str], words_b: list[str], orders) -> list[float]:
    """n-gram precision of a in b and of b in a, as (lower, higher) per order."""
    out = []
    for n in orders:
        grams_a, grams_b = _grams(tuple(words_a), n), _grams(tuple(words_b), n)
        shared = len(grams_a & grams_b)
        p_a = shared / len(grams_a) if grams_a else 0.0
        p_b = shared / len(grams_b) if grams_b else 0.0
        out += [min(p_a, p_b), max(p_a, p_b)]
    return out


def _features_one(a: str, b: str, stops: frozenset[str]) -> list[float]:
    raw_a, raw_b = a, b
    a, b = _normalise(a), _normalise(b)
    words_a, words_b = _words(a), _words(b)
    set_a, set_b = set(words_a), set(words_b)
    content_a, content_b = set_a - stops, set_b - stops
    stems_a, stems_b = {w[:_STEM] for w in content_a}, {w[:_STEM] for w in content_b}
    shorter_stems = min(len(stems_a), len(stems_b))
    bigrams_a, bigrams_b = set(zip(words_a, words_a[1:])), set(zip(words_b, words_b[1:]))
    joined_a, joined_b = " ".join(words_a), " ".join(words_b)
    longer_len = max(len(words_a), len(words_b))
    return [
        _jaccard(set_a, set_b),
        _jaccard(content_a, content_b),
        _jaccard(bigrams_a, bigrams_b),
        _jaccard(_char_grams(a), _char_grams(b)),
        fuzz.token_sort_ratio(joined_a, joined_b) / 100.0,
        fuzz.token_set_ratio(joined_a, joined_b) / 100.0,
        _mismatch(_numbers(a), _numbers(b)),
        _mismatch(_names(a, stops), _names(b, stops)),
        min(len(words_a), len(words_b)) / longer_len if longer_len else 1.0,
        *_precisions(words_a, words_b, (1, 2, 3, 4)),
        _jaccard(stems_a, stems_b),
        len(stems_a & stems_b) / max(1, shorter_stems),
        *_precisions([w[:_STEM] for w in words_a], [w[:_STEM] for w in words_b], (1, 2, 3)),
        word_similarity(a, b),
        fuzz.ratio(raw_a.lower(), raw_b.lower()) / 100.0,
        math.log1p(min(len(words_a), len(words_b))),
    ]


def word_similarity(text_a: str, text_b: str) -> float:
    """Word-level similarity of two texts, 0..1 (1: same words in the same order).

    ``1 - indel_distance / (n_a + n_b)`` over casefolded word tokens, so case,
    punctuation and spacing do not count. Two texts without words score 1.
    """
    return float(Indel.normalized_similarity(_words(_normalise(text_a)), _words(_normalise(text_b))))


def pair_features(text_a: Sequence[str], text_b: Sequence[str], semantic: Sequence[float]) -> pd.DataFrame:
    """Features of sentence pairs for the paraphrase classifier.

    Parameters
    ----------
    text_a, text_b : sequence of str
        The two sentences of each pair (same length).
    semantic : sequence of float
        Cosine similarity of the pair's sentence embeddings
        (:mod:`analysis.overlap.embeddings`), one per pair.

    Returns
    -------
    pandas.DataFrame
        One row per pair, in input order, one column per name in
        :data:`FEATURES` (see the comments there), floats.
    """
    text_a, text_b = list(text_a), list(text_b)
    semantic = np.asarray(semantic, dtype=np.float64).reshape(-1)
    if not (len(text_a) == len(text_b) == len(semantic)):
        raise ValueError(f"text_a, text_b and semantic must have the same length; got "
                         f"{len(text_a)}, {len(text_b)} and {len(semantic)}")
    if not all(isinstance(t, str) for t in text_a + text_b):
        raise ValueError("text_a and text_b must contain only strings")
    if not np.all(np.isfinite(semantic)):
        raise ValueError("semantic must be finite cosine similarities")
    stops = stop_words()
    lexical = [_features_one(a, b, stops) for a, b in zip(text_a, text_b)]
    table = pd.DataFrame(lexical, columns=list(FEATURES[1:]), dtype=np.float64).reindex(
        range(len(text_a)))
    table.insert(0, "semantic", np.clip(semantic, -1.0, 1.0))
    return table


# --------------------------------------------------------------------------- model


def model_path():
    """Location of the packaged model JSON."""
    return files("analysis") / "data" / "paraphrase_model.json"


@functools.cache
def load_model() -> dict:
    """The fitted classifier (cached): see ``analysis/data/paraphrase_model.json``.

    Returns
    -------
    dict
        Keys include ``features``, ``mean``, ``scale``, ``weights``, ``bias``,
        ``threshold``, ``training`` and ``test_metrics``.
    """
    model = json.loads(model_path().read_text(encoding="utf-8"))
    if tuple(model.get("features", ())) != FEATURES:
        raise ValueError("analysis/data/paraphrase_model.json was fitted on other features; "
                         "refit it with: python -m bench.bench_mrpc --refit-shipped")
    return model


def predict_proba(features: pd.DataFrame, model: dict | None = None) -> np.ndarray:
    """Probability that each pair is a paraphrase, from :func:`pair_features` rows.

    Parameters
    ----------
    features : pandas.DataFrame
        Output of :func:`pair_features`.
    model : dict, optional
        A model dict as in the JSON; default :func:`load_model`.

    Returns
    -------
    numpy.ndarray
        float64 probabilities in 0..1, one per row.
    """
    model = load_model() if model is None else model
    missing = [f for f in model["features"] if f not in features.columns]
    if missing:
        raise ValueError(f"features table lacks columns {missing}")
    x = features[list(model["features"])].to_numpy(dtype=np.float64)
    z = (x - np.asarray(model["mean"])) / np.asarray(model["scale"])
    logits = z @ np.asarray(model["weights"]) + float(model["bias"])
    return 1.0 / (1.0 + np.exp(-logits))


def paraphrase_probability(text_a: Sequence[str], text_b: Sequence[str], semantic: Sequence[float],
                           model: dict | None = None) -> np.ndarray:
    """Probability that ``text_b[i]`` says the same as ``text_a[i]`` (MRPC sense).

    A pair counts as a paraphrase when the probability is at least
    ``load_model()["threshold"]`` (chosen on MRPC train by cross-validation, see
    the module docstring).

    Parameters
    ----------
    text_a, text_b : sequence of str
    semantic : sequence of float
        Embedding cosine of each pair.
    model : dict, optional
        Default :func:`load_model`.

    Returns
    -------
    numpy.ndarray
        float64 probabilities, one per pair, in input order.
    """
    return predict_proba(pair_features(text_a, text_b, semantic), model)


def paraphrase_scores(pairs: pd.DataFrame, model: dict | None = None) -> pd.DataFrame:
    """Score a table of sentence pairs.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Columns ``text_a``, ``text_b`` and ``semantic`` (embedding cosine); other
        columns are kept.
    model : dict, optional
        Default :func:`load_model`.

    Returns
    -------
    pandas.DataFrame
        The input columns, then the :data:`FEATURES` columns (``semantic`` kept
        once), ``probability`` (0..1), ``numbers_conflict`` (bool, see
        :func:`numbers_conflict`) and ``paraphrase`` (bool: probability >= the
        model threshold and no conflicting numbers). Row order as in the input.

    Notes
    -----
    The conflicting-numbers veto is stricter than MRPC: its annotators judged
    38% of such train pairs equivalent (a changed percentage inside a long
    sentence), so applying the veto to MRPC test lowers accuracy from 0.773 to
    0.758 (F1 0.836 to 0.820). The kit wants "the same content", where a
    changed figure matters.
    """
    needed = {"text_a", "text_b", "semantic"}
    if not isinstance(pairs, pd.DataFrame) or not needed <= set(pairs.columns):
        raise ValueError(f"pairs must be a DataFrame with columns {sorted(needed)}")
    model = load_model() if model is None else model
    features = pair_features(pairs["text_a"].tolist(), pairs["text_b"].tolist(), pairs["semantic"])
    out = pairs.reset_index(drop=True).copy()
    for name in FEATURES[1:]:
        out[name] = features[name].to_numpy()
    out["probability"] = predict_proba(features, model)
    out["numbers_conflict"] = [numbers_conflict(a, b) for a, b in zip(out["text_a"], out["text_b"])]
    out["paraphrase"] = (out["probability"] >= float(model["threshold"])) & ~out["numbers_conflict"]
    return out
