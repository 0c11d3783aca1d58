"""Reading one date phrase ("last month", "on Thursday", "November 20", "the 1930s").

:func:`read_date` turns a phrase into a calendar value against a reference
date (the article's publication date or dateline), with the standard library
only; its tables (:data:`MONTHS`, :data:`WEEKDAYS`, :data:`DIRECTION_STEPS`,
:data:`DEICTIC_DAYS`, :data:`YEAR_PATTERN`) also serve the time anchors of
``statement_changes`` (:mod:`analysis.statements.time_anchors`). Values are written as ISO 8601 / TimeML TIMEX3 values: ``2022-11-20``
(day), ``2022-W50`` (week), ``2022-11`` (month), ``2022-Q3`` (quarter),
``2022`` (year), ``193`` (decade: the 1930s), with ``X`` for a digit the text
and the reference leave unknown (``XXXX-11``: a November of unknown year).

dateparser 1.5.0 was measured for this and not adopted: it reads a phrase
given to it (finding the phrases stays with spaCy), adds 0.65 s to import and
~7 MB of packages (dateparser, pytz, tzlocal, python-dateutil 4), takes 6.6 ms a
phrase (6.6 s per 1,000), returns a point in time rather than a period, and on
news phrases reads "the 1930s" as 30 seconds ago, "on Friday" in an article
of a Friday as the Friday before, and "earlier this month" as nothing.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from analysis.statements.number_words import parse_number_words

#: Month names and abbreviations ("Sept" too) -> month number.
MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): n for n, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
#: Weekday names -> weekday number (Monday 0).
WEEKDAYS = {name.lower(): n for n, name in enumerate(calendar.day_name)}
#: Words of a relative phrase ("last month", "the coming weeks") -> its direction:
#: -1 before the reference, 0 the reference's own, 1 after it.
DIRECTION_STEPS = {"last": -1, "past": -1, "previous": -1, "recent": -1,
                   "next": 1, "coming": 1, "following": 1, "upcoming": 1,
                   "this": 0, "current": 0}
#: Words naming a day by its distance from the reference's, in days.
DEICTIC_DAYS = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1, "last night": -1}
#: The years a four-digit number may name (1500-2099).
YEAR_PATTERN = r"1[5-9]\d\d|20\d\d"
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>" + YEAR_PATTERN + ")"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
#: Words before or around a date that do not change what it dates ("on", "late", "the end of").
_LEAD = re.compile(r"^(?:(?:on|in|at|since|by|from|until|till|to|during|of|for|before|after|"
                   r"the|early|late|mid|mid-|the\s+end\s+of|the\s+start\s+of|the\s+middle\s+of|"
                   r"the\s+beginning\s+of|earlier|later)\s+)+", re.I)
_UNITS = {"day": "day", "week": "week", "weekend": "week", "month": "month", "year": "year"}
_ORDINAL_QUARTER = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}

_PATTERNS = [
    ("ymd", re.compile(r"^(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)$")),
    ("dmy", re.compile(r"^" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + r"$", re.I)),
    ("mdy", re.compile(r"^" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"$", re.I)),
    ("dm", re.compile(r"^" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"$", re.I)),
    ("md", re.compile(r"^" + _MONTH + r"\s+" + _DAY + r"$", re.I)),
    ("my", re.compile(r"^" + _MONTH + r",?\s+(?:of\s+)?" + _YEAR + r"$", re.I)),
    ("m", re.compile(r"^" + _MONTH + r"$", re.I)),
    ("y", re.compile(r"^(?:the\s+year\s+)?" + _YEAR + r"$", re.I)),
    ("decade", re.compile(r"^(?P<decade>1[5-9]\d0|20[0-9]0)'?s$|^'?(?P<short>[0-9]0)'?s$", re.I)),
    ("weekday", re.compile(r"^(?:(?P<rel>last|next|this)\s+)?" + _WEEKDAY
                           + r"(?:\s+(?:morning|afternoon|evening|night))?$", re.I)),
    ("deictic", re.compile(r"^(?P<word>today|yesterday|tomorrow|tonight|this\s+(?:morning|"
                           r"afternoon|evening)|last\s+night)$", re.I)),
    ("relative", re.compile(r"^(?P<rel>last|next|this|past|previous|coming)\s+"
                            r"(?P<unit>week|weekend|month|year)$", re.I)),
    ("ago", re.compile(r"^(?P<n>[\w-]+(?:\s+[\w-]+)?)\s+(?P<unit>day|week|month|year)s?\s+ago$",
                       re.I)),
    ("quarter", re.compile(r"^(?P<ord>first|second|third|fourth|final|last)\s+quarter"
                           r"(?:\s+of\s+" + _YEAR + r")?$|^Q(?P<q>[1-4])(?:\s+(?P<year2>" + YEAR_PATTERN + r"))?$",
                           re.I)),
    ("months_to", re.compile(r"^(?:three|3)\s+months\s+(?:to|ending)\s+" + _MONTH
                             + r"(?:\s+" + _YEAR + r")?$", re.I)),
]


@dataclass(frozen=True)
class Reference:
    """The date relative phrases are read against.

    Attributes
    ----------
    year, month, day : int or None
        What is known of it (a dateline "Dec 22 (Reuters)" gives no year).
    source : str
        ``published`` (the ``published`` column of sources.csv), ``dateline``
        (a dateline in the text) or ``""`` (none).
    """

    year: int | None = None
    month: int | None = None
    day: int | None = None
    source: str = ""

    @property
    def full(self) -> date | None:
        """The reference as a date, when year, month and day are all known."""
        if self.year and self.month and self.day:
            return date(self.year, self.month, self.day)
        return None


@dataclass(frozen=True)
class DateValue:
    """A phrase read as a date: TIMEX3 ``value``, ``granularity`` and whether the reference was used."""

    value: str
    granularity: str
    relative: bool


def strip_lead(text: str) -> str:
    """The phrase without the prepositions and modifiers that do not change its value."""
    return _LEAD.sub("", " ".join(text.split())).strip(" ,.")


def read_date(text: str, ref: Reference = Reference(), future: bool = False) -> DateValue | None:
    """Calendar value of a date phrase, or None when it is not a date (a duration, "recent weeks").

    Parameters
    ----------
    text : str
        The phrase ("last month", "on Thursday", "the 1930s").
    ref : Reference
        What is known of the article's date.
    future : bool
        The phrase dates something to come ("will debate it in March"): a
        month or weekday without year is then the next one on or after the
        reference, else the last one on or before it.

    Returns
    -------
    DateValue or None
        ``value`` with ``X`` for each unknown digit, and ``""`` when a
        relative phrase has no reference to be read against.
    """
    phrase = strip_lead(text)
    for kind, pattern in _PATTERNS:
        m = pattern.match(phrase)
        if m:
            return _value(kind, m, ref, future)
    return None


def _month(m) -> int:
    return MONTHS[m.group("month").lower().rstrip(".")]


def _year_of(month: int, day: int, ref: Reference, future: bool) -> str:
    """Year of a month (and day) without year: the nearest one before or after the reference."""
    if not ref.year or not ref.month:
        return "XXXX"
    here = (ref.month, ref.day or (1 if future else 31))
    if future:
        return str(ref.year if (month, day) >= here else ref.year + 1)
    return str(ref.year if (month, day) <= here else ref.year - 1)


def _value(kind: str, m, ref: Reference, future: bool) -> DateValue | None:
    if kind == "ymd":
        return DateValue(f"{m.group('year')}-{m.group('month')}-{m.group('day')}", "day", False)
    if kind in ("dmy", "mdy"):
        return _day(int(m.group("year")), _month(m), int(m.group("day")), False)
    if kind in ("dm", "md"):
        month, day = _month(m), int(m.group("day"))
        year = _year_of(month, day, ref, future)
        return _day(year, month, day, True)
    if kind == "my":
        return DateValue(f"{m.group('year')}-{_month(m):02d}", "month", False)
    if kind == "m":
        month = _month(m)
        return DateValue(f"{_year_of(month, 1 if future else 31, ref, future)}-{month:02d}",
                         "month", True)
    if kind == "y":
        return DateValue(m.group("year"), "year", False)
    if kind == "decade":
        return _decade(m, ref)
    if kind == "quarter":
        q = int(m.group("q")) if m.group("q") else _ORDINAL_QUARTER[m.group("ord").lower()]
        year = m.group("year") or m.group("year2")
        return DateValue(f"{year or _quarter_year(q, ref, future)}-Q{q}", "quarter", not year)
    if kind == "months_to":
        month = _month(m)
        if month % 3:
            return None
        year = m.group("year") or _year_of(month, 31, ref, future)
        return DateValue(f"{year}-Q{month // 3}", "quarter", not m.group("year"))
    return _relative(kind, m, ref, future)


def _day(year, month: int, day: int, relative: bool) -> DateValue | None:
    if not 1 <= day <= 31 or (str(year).isdigit() and day > calendar.monthrange(int(year), month)[1]):
        return None
    return DateValue(f"{year}-{month:02d}-{day:02d}", "day", relative)


def _decade(m, ref: Reference) -> DateValue | None:
    if m.group("decade"):
        return DateValue(m.group("decade")[:3], "decade", False)
    short = int(m.group("short"))
    # "the 30's": the 1930s unless the 2000s decade has already begun by the reference
    # (the 2020s in 2022); without a reference, a decade of this century (00-20) is unknown.
    if ref.year and 2000 + short <= ref.year:
        return DateValue(f"20{short // 10}", "decade", True)
    if ref.year or short >= 30:
        return DateValue(f"19{short // 10}", "decade", bool(ref.year))
    return DateValue(f"XX{short // 10}", "decade", True)


def _quarter_year(q: int, ref: Reference, future: bool) -> str:
    return _year_of(3 * q, 31, ref, future) if ref.year else "XXXX"


def _relative(kind: str, m, ref: Reference, future: bool) -> DateValue | None:
    today = ref.full
    if kind == "relative":
        unit = _UNITS[m.group("unit").lower()]
        step = DIRECTION_STEPS[m.group("rel").lower()]
        return _shift(unit, step, ref)
    if kind == "ago":
        n = m.group("n")
        count = int(n) if n.isdigit() else parse_number_words(n)
        if count is None:
            return None
        return _shift(_UNITS[m.group("unit").lower()], -int(count), ref)
    if today is None:
        return DateValue("", "day", True)
    if kind == "deictic":
        word = " ".join(m.group("word").lower().split())
        offset = DEICTIC_DAYS.get(word, 0)             # "this morning": the reference's day
        return DateValue((today + timedelta(days=offset)).isoformat(), "day", True)
    target = WEEKDAYS[m.group("weekday").lower()]
    rel = (m.group("rel") or "").lower()
    back = (today.weekday() - target) % 7
    if rel == "last":
        back = back or 7
    if rel == "next" or (future and rel != "last"):
        ahead = (target - today.weekday()) % 7 or (7 if rel == "next" else 0)
        return DateValue((today + timedelta(days=ahead)).isoformat(), "day", True)
    return DateValue((today - timedelta(days=back)).isoformat(), "day", True)


def _shift(unit: str, step: int, ref: Reference) -> DateValue:
    """The day, week, month or year ``step`` units from the reference's."""
    if unit == "year":
        if not ref.year:
            return DateValue("", "year", True)
        return DateValue(str(ref.year + step), "year", True)
    if unit == "month":
        if not ref.month:
            return DateValue("", "month", True)
        index = (ref.year or 0) * 12 + ref.month - 1 + step
        year = f"{index // 12:04d}" if ref.year else "XXXX"
        return DateValue(f"{year}-{index % 12 + 1:02d}", "month", True)
    today = ref.full
    if today is None:
        return DateValue("", unit, True)
    if unit == "day":
        return DateValue((today + timedelta(days=step)).isoformat(), "day", True)
    year, week, _ = (today + timedelta(weeks=step)).isocalendar()
    return DateValue(f"{year}-W{week:02d}", "week", True)
