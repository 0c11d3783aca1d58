"""The figures of a document that sentence comparisons read (:mod:`analysis.statements.statement_facts`).

A figure is a number the text states as an amount: dates are compared as time
anchors instead, conversions and vague amounts are left out, and a duration
("for three years") is a figure of unit ``duration``.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.statements.number_words import parse_number_words

#: Figure units that are times, compared as time anchors, not as numbers
#: (a duration, "for three years", is kept as a figure: its unit is ``duration``;
#: numbers.csv marks durations ``duration`` with no value, read here by :func:`duration_rows`).
DATE_UNITS = ("date", "relative_date", "duration")
_DURATION_RE = re.compile(r"^(?:for\s+|over\s+|in\s+)?(?:the\s+)?(?:(?:last|past|next)\s+)?"
                          r"(?P<num>[\w-]+(?:\s+[\w-]+)?)\s+(?P<unit>day|week|month|year|decade|hour)s$", re.I)


#: Columns of a figure (:func:`figure_rows`).
FIGURE_COLUMNS = ["start", "end", "value", "unit", "text", "qualifier", "what"]


def figure_rows(numbers: pd.DataFrame) -> dict[str, list[dict]]:
    """doc_id -> the figures a sentence comparison reads in that document, in text order.

    The rows of ``numbers`` (:func:`~analysis.statements.numbers.extract_numbers`)
    that are figures (not dates, conversions, vague amounts, or a number inside
    a name such as "Radio 4" or "Chapter 11"), and the durations among the dates
    (:func:`duration_rows`); ties of ``start`` keep the figures before the durations.
    One pass over the whole table (a pandas filter and sort per document cost
    9 s of the 5,000-story Reuters run).
    """
    dates = numbers["unit"].isin(DATE_UNITS)
    keep = ~dates & ~numbers["is_conversion"] & ~numbers["vague"] & (numbers["unit"] != "name")
    figures = pd.concat([numbers[keep], duration_rows(numbers[dates])], ignore_index=True)
    order = {doc_id: k for k, doc_id in enumerate(dict.fromkeys(numbers["doc_id"]))}
    figures = figures.assign(_doc=figures["doc_id"].map(order)).sort_values(["_doc", "start"], kind="mergesort")
    rows = figures[FIGURE_COLUMNS].fillna({"what": ""}).to_dict("records")
    by_doc: dict[str, list[dict]] = {}
    for doc_id, row in zip(figures["doc_id"], rows):
        by_doc.setdefault(doc_id, []).append(row)
    return by_doc


def duration_rows(dates: pd.DataFrame) -> pd.DataFrame:
    """Durations among the date figures ("for three years"), as figures of unit ``duration``."""
    rows = []
    for row in dates.to_dict("records"):
        m = _DURATION_RE.match(row["text"].strip())
        value = parse_number_words(m.group("num")) if m else None
        if value is None and m and m.group("num").replace(",", "").isdigit():
            value = float(m.group("num").replace(",", ""))
        if value is not None:
            rows.append({**row, "value": value, "unit": "duration"})
    return pd.DataFrame(rows, columns=dates.columns)
