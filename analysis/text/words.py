"""Words: the kit's one word pattern, word counts and word normalisation.

:data:`WORD_RE` is a run of word characters (letters, digits, combining marks,
zero-width (non-)joiners), with inner apostrophes (``it's``, ``Korea’s``),
hyphens (``Jong-un``), commas between digits (``4,000``) and periods (``U.S``,
``3.5``, ``bbc.co.uk``) kept inside the word. A period between a lower-case
letter and a capitalised word (``weapons.Kirby``, a missing space after a full
stop) separates two words. Language-neutral, so it works on Urdu as well as
English; pure functions, no model.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

# Combining marks (Arabic-script diacritics, Devanagari vowel signs, ...) and the
# zero-width (non-)joiners belong inside a word: ``\w`` alone would split on them.
_MARKS = "".join(chr(c) for c in range(0x10000)
                 if unicodedata.category(chr(c)).startswith("M"))
_RUN = "[\\w" + re.escape(_MARKS) + "\u200c\u200d]+"
# What may join two runs into one word: an apostrophe, a hyphen (ASCII, U+2010,
# non-breaking U+2011), a comma between digits, or a period, except a period
# after a lower-case letter before a capitalised word ("weapons.Kirby" is two
# words with a missing space; "U.S", "e.g", "3.5", "bbc.co.uk" are one).
_JOINER = "(?:['\u2019\\-\u2010\u2011]|(?<=\\d),(?=\\d)|(?<![a-z])\\.|\\.(?![A-Z][a-z]))"
#: The kit's one word pattern (see the module docstring).
WORD_RE = re.compile(f"{_RUN}(?:{_JOINER}{_RUN})*")

# Spellings of one character that must not make two words differ.
_WORD_FOLDING = str.maketrans({"\u2019": "'", "\u2010": "-", "\u2011": "-"})


def require_text(text, caller: str) -> None:
    """Raise ``ValueError`` naming ``caller`` unless ``text`` is a ``str``.

    Shared by the text layer's functions that take raw text, so a table column
    of ``NaN`` fails with a clear message rather than deep inside a regex.
    """
    if not isinstance(text, str):
        raise ValueError(f"{caller} expects a str, got {type(text).__name__}")


def word_spans(text: str) -> pd.DataFrame:
    """The words of ``text`` with their character offsets.

    Parameters
    ----------
    text : str
        Any text, e.g. a document body.

    Returns
    -------
    pandas.DataFrame
        One row per word (:data:`WORD_RE`), in text order: ``start``, ``end``
        (int64, ``text[start:end]`` is the word as written) and ``word`` (str).
    """
    require_text(text, "word_spans")
    matches = list(WORD_RE.finditer(text))
    return pd.DataFrame({
        "start": np.array([m.start() for m in matches], dtype=np.int64),
        "end": np.array([m.end() for m in matches], dtype=np.int64),
        "word": pd.Series([m.group() for m in matches], dtype=object),
    })


def words(text: str) -> list[str]:
    """The words of ``text`` as written, in order (:data:`WORD_RE`)."""
    require_text(text, "words")
    return WORD_RE.findall(text)


def count_words(text: str) -> int:
    """Number of words in ``text``: the count every table of the kit reports.

    Examples
    --------
    >>> count_words("Kim Jong-un's envoy paid $4,000 in the U.S. weapons.Kirby said")
    11
    """
    require_text(text, "count_words")
    return sum(1 for _ in WORD_RE.finditer(text))


def has_words(text: str) -> bool:
    """Whether ``text`` holds at least one word."""
    require_text(text, "has_words")
    return WORD_RE.search(text) is not None


def normalise_word(word: str) -> str:
    """The form under which two spellings of a word compare equal.

    Lower case (ASCII) or NFKC-normalised and casefolded (any other script),
    with the curly apostrophe and the Unicode hyphens written as ``'`` and
    ``-``: "Korea’s" and "korea's" are one word, "Straße" and "STRASSE" too.
    """
    if word.isascii():
        return word.lower()
    return unicodedata.normalize("NFKC", word).casefold().translate(_WORD_FOLDING)
