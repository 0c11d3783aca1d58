"""Time anchors of a sentence: the dates and relative times it places its statement at.

Rule based, on the tokens of a parsed sentence: month names, weekdays, years,
days of the month, "yesterday"/"today"/"tomorrow", and relative anchors such
as "last month", "this week", "in the coming weeks", "two days ago". Each
anchor falls in one slot (:data:`SLOTS`) with a normalised value, so two
sentences can be compared slot by slot: "on Thursday" and "on Friday" differ
(slot ``weekday``), "last month" and "in the past month" do not (slot
``relative``, value ``past month``), and "last month" and "in November" are
not comparable (different slots), so they never count as a change.

The words are read with the tables of :mod:`analysis.statements.date_rules`,
the reader of ``dates.csv`` (months, weekdays, the directions of relative
phrases, yesterday/today/tomorrow, the years a number may name, 1500-2099),
so the two agree on what a month, a weekday or a year is. The phrase patterns
are each module's own: this one reads a sentence's tokens, ``date_rules`` one
DATE phrase at a time, and its relative pattern lists its own words (last,
next, this, past, previous, coming; not recent, following, upcoming or current
of ``DIRECTION_STEPS``), so "the following week" is an anchor here and an
unread date there.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from analysis.statements.date_rules import DEICTIC_DAYS, DIRECTION_STEPS, MONTHS, WEEKDAYS, YEAR_PATTERN

#: Slots an anchor can fall in; two sentences are compared slot by slot.
SLOTS = ("year", "month", "day", "weekday", "relative")

#: Month names that are also common words ("may", "march"): an anchor only
#: inside a DATE entity or next to a day number.
_AMBIGUOUS_MONTHS = frozenset({"may", "march", "mar", "jan", "jun", "dec"})
#: Direction of a relative anchor, by the sign of its step (:data:`~analysis.statements.date_rules.DIRECTION_STEPS`).
_DIRECTION_NAMES = {-1: "past", 0: "current", 1: "future"}
_YEAR_RE = re.compile(r"^(?:" + YEAR_PATTERN + r")$")
#: Words that introduce a year written as a bare number ("in 2014", "since 2017").
_YEAR_PREPOSITIONS = frozenset({"in", "since", "by", "of", "until", "till", "from", "before",
                                "after", "during", "through"})
_UNITS = r"(?P<unit>day|week|weekend|fortnight|month|quarter|year|decade|summer|winter|spring|autumn)s?"
_RELATIVE_RE = re.compile(
    r"\b(?:earlier |later )?(?P<dir>" + "|".join(DIRECTION_STEPS) + r")"
    r"\s+(?:(?:few|two|three|several|couple of|\d+)\s+)?" + _UNITS + r"\b"
    r"|\b(?:the\s+)?(?:(?:few|two|three|several|\d+)\s+)?(?P<unit2>day|week|month|year)s?\s+(?P<dir2>ahead|ago)\b",
    re.I)


def _month_name(word: str) -> str:
    """A month word ("sept", "November") as the month's full lower-case name."""
    return calendar.month_name[MONTHS[word]].lower()


def _direction(word: str) -> str:
    return _DIRECTION_NAMES[DIRECTION_STEPS[word.lower()]]


def _deictic(word: str) -> str:
    """"yesterday" -> "past day": a day named by its distance from the reference's."""
    return f"{_DIRECTION_NAMES[DEICTIC_DAYS[word]]} day"


def is_time_word(word: str) -> bool:
    """Whether ``word`` is a month or weekday name (the parser sometimes tags "November" a place)."""
    return word.lower().rstrip(".") in MONTHS or word.lower() in WEEKDAYS


@dataclass(frozen=True)
class TimeAnchor:
    """One time anchor of a sentence.

    Attributes
    ----------
    slot : str
        One of :data:`SLOTS`.
    value : str
        Normalised value: ``"2023"``, ``"march"``, ``"march 3"``, ``"thursday"``,
        ``"past month"``, ``"future week"``.
    text : str
        The words as written.
    """

    slot: str
    value: str
    text: str


def _day_next_to(tokens, k: int) -> str | None:
    """A day-of-month number just before or after the month token at ``k``."""
    for j in (k + 1, k - 1):
        if 0 <= j < len(tokens):
            word = re.sub(r"(?:st|nd|rd|th)$", "", tokens[j].text.lower())
            if word.isdigit() and 1 <= int(word) <= 31 and len(word) <= 2:
                return str(int(word))
    return None


def _is_bare_year(tokens, k: int) -> bool:
    tok = tokens[k]
    if tok.dep_ == "nummod" and tok.head.pos_ == "NOUN" and tok.head.i > tok.i:
        return False                      # "2014 soldiers"
    if tok.ent_type_ == "DATE":
        return True
    before = tokens[k - 1].lower_.rstrip(".") if k > 0 else ""
    return before in _YEAR_PREPOSITIONS or before in MONTHS or before == ","


def time_anchors(span) -> list[TimeAnchor]:
    """The time anchors of a parsed sentence, in text order.

    Parameters
    ----------
    span : spacy.tokens.Span or spacy.tokens.Doc
        A parsed sentence (with its entities).

    Returns
    -------
    list of TimeAnchor
        Month names, weekdays, years, month days and relative anchors
        (see the module docstring); a relative phrase gives one anchor.
    """
    tokens = list(span)
    anchors: list[TimeAnchor] = []
    for k, tok in enumerate(tokens):
        word = tok.lower_.rstrip(".")
        if word in MONTHS and tok.text[:1].isupper():
            day = _day_next_to(tokens, k)
            if word in _AMBIGUOUS_MONTHS and tok.ent_type_ != "DATE" and day is None:
                continue
            month = _month_name(word)
            anchors.append(TimeAnchor("month", month, tok.text))
            if day is not None:
                anchors.append(TimeAnchor("day", f"{month} {day}", tok.text))
        elif word in WEEKDAYS and tok.text[:1].isupper():
            anchors.append(TimeAnchor("weekday", word, tok.text))
        elif word in DEICTIC_DAYS:
            anchors.append(TimeAnchor("relative", _deictic(word), tok.text))
        elif _YEAR_RE.match(tok.text) and _is_bare_year(tokens, k):
            anchors.append(TimeAnchor("year", tok.text, tok.text))
    text = span.text
    for m in _RELATIVE_RE.finditer(text):
        if m.group("dir"):
            direction = _direction(m.group("dir"))
            unit = m.group("unit").lower()
        else:
            direction = "future" if m.group("dir2").lower() == "ahead" else "past"
            unit = m.group("unit2").lower()
        anchors.append(TimeAnchor("relative", f"{direction} {unit}", m.group(0)))
    return anchors


def conflicting_anchors(a: list[TimeAnchor], b: list[TimeAnchor]) -> tuple[list[TimeAnchor], list[TimeAnchor]]:
    """Anchors of a and of b in the slots where both have anchors and share no value.

    Parameters
    ----------
    a, b : list of TimeAnchor
        :func:`time_anchors` of two sentences.

    Returns
    -------
    tuple of (list of TimeAnchor, list of TimeAnchor)
        The anchors of a and of b in conflicting slots (both empty when the
        sentences do not disagree on any slot). A slot only one sentence
        fills (a date the other leaves out) is no conflict.
    """
    out_a: list[TimeAnchor] = []
    out_b: list[TimeAnchor] = []
    for slot in SLOTS:
        in_a = [x for x in a if x.slot == slot]
        in_b = [x for x in b if x.slot == slot]
        if in_a and in_b and not {x.value for x in in_a} & {x.value for x in in_b}:
            out_a.extend(in_a)
            out_b.extend(in_b)
    return out_a, out_b
