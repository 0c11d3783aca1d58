"""Numbers written in words: "three hundred", "forty-two", "two and a half million".

:func:`parse_number_words` gives a phrase's value, read by text2num;
:data:`WORD_NUMBER_RE` finds the phrases in a text (:mod:`analysis.statements.numbers`
uses both). A vague plural ("thousands of troops") is found but never valued.
"""

from __future__ import annotations

import re

from text_to_num import text2num

#: Number words that may start or continue a number phrase ("forty-two", "three hundred").
_NUMBER_WORDS = tuple(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety".split())
_SCALE_WORDS = ("hundred", "thousand", "million", "billion", "trillion")
#: Plural scale words ("thousands of troops", "dozens", "scores of") state an order of
#: magnitude, not a figure. Such a quantity is kept with ``vague`` set and no value:
#: any number given to it ("thousands" = 2000, or text2num's 1000) would be a guess
#: that can make or hide a conflict with a real figure.
VAGUE_QUANTITY = (r"(?:dozens|scores|tens|hundreds|thousands)\s+of\s+(?:thousands|millions|billions)"
                  r"|dozens|hundreds|thousands|millions|billions|trillions|scores(?=\s+of\b)")
_WORD_ATOM = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_WORD_SCALE = "|".join(_SCALE_WORDS) + "|dozen"
WORD_NUMBER_RE = re.compile(
    r"\b(?P<num>half\s+an?\s+(?:" + _WORD_SCALE + r")"
    r"|(?:a|an|" + _WORD_ATOM + r")(?:[\s-]+(?:and\s+)?(?:" + _WORD_ATOM + "|" + _WORD_SCALE + r"))*"
    r"(?:\s+and\s+a\s+half(?:\s+(?:" + _WORD_SCALE + r"))?)?"
    r"|(?P<vague>" + VAGUE_QUANTITY + r"))"
    r"\b(?:\s(?P<curword>dollars?|euros?|pounds?)\b)?", re.I)


def parse_number_words(text: str) -> float | None:
    """Value of an English number phrase ("a thousand", "forty-two", "two and a half million").

    The phrase is read by text2num; this function adds only what text2num
    leaves out: "a"/"an" for one, "dozen" (12), "half a <scale>" and
    "<number> and a half [<scale>]".

    Returns
    -------
    float or None
        None when ``text`` is not a number phrase, and for a vague plural
        (:data:`VAGUE_QUANTITY`: "thousands", "dozens"), which has no value.
    """
    words = [w for w in re.split(r"[\s-]+", text.lower().strip()) if w]
    if not words or re.fullmatch(VAGUE_QUANTITY, " ".join(words)):
        return None
    if words[0] == "half":                                   # "half a million"
        scale = _whole_number(["one", *words[2:]]) if words[1:2] in (["a"], ["an"]) else None
        return None if scale is None else scale / 2
    if "half" in words:                                       # "two and a half million"
        at = words.index("half")
        whole, scale = _whole_number(words[:at - 2]), _whole_number(["one", *words[at + 1:]])
        if words[at - 2:at] != ["and", "a"] or whole is None or scale is None:
            return None
        return (whole + 0.5) * scale
    return _whole_number(words)


def _whole_number(words: list[str]) -> float | None:
    """Value of a whole-number phrase (lower case, split on spaces and hyphens), or None."""
    if words[:1] in (["a"], ["an"]):
        words = ["one", *words[1:]]
    if words[-1:] == ["dozen"]:                               # text2num has no "dozen"
        count = _whole_number(words[:-1]) if len(words) > 1 else 1.0
        return None if count is None else count * 12
    if not words or "dozen" in words:
        return None
    try:
        return float(text2num(" ".join(words), "en"))
    except ValueError:
        return None
