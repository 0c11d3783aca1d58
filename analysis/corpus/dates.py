"""Publication times from ``sources.csv``: the ``published`` column, read as ISO 8601.

``published`` (optional; ``date`` is read when there is no ``published``) holds
an ISO 8601 date (``2024-05-01``) or date-time (``2024-05-01T14:30``,
``2024-05-01T14:30:00Z``, ``2024-05-01 14:30+01:00``); empty when unknown. A
date-time without a zone is taken as UTC. A date alone is a day: it is
earlier than another only when that one falls on a later day, so
``2024-05-01`` and ``2024-05-01T09:00`` are not ordered.
:func:`analysis.overlap.derivation.derivation_edges` orients a derivation
edge from these times before any text cue.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import pandas as pd

from analysis.errors import CorpusError

#: Columns read as the publication time, first present wins.
PUBLISHED_COLUMNS = ("published", "date")
#: An ISO 8601 date alone (no time of day).
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


class PublicationTime(NamedTuple):
    """A document's publication time and whether it is known to the day only."""

    time: pd.Timestamp
    day_only: bool


def parse_published(value: str) -> PublicationTime | None:
    """Read one ``published`` value; None when empty.

    Raises
    ------
    ValueError
        ``value`` is not an ISO 8601 date or date-time.
    """
    text = str(value).strip()
    if not text or text.lower() == "nan":
        return None
    day_only = _DATE_ONLY.fullmatch(text) is not None
    try:
        time = pd.to_datetime(text, format="ISO8601", utc=True)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{text!r} is not an ISO 8601 date or date-time "
                         "(e.g. 2024-05-01 or 2024-05-01T14:30:00Z)") from error
    if pd.isna(time):
        return None
    return PublicationTime(time, day_only)


def publication_times(docs: pd.DataFrame) -> dict[str, PublicationTime | None] | None:
    """doc_id -> publication time of each document, or None when the corpus has no such column.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table (``doc_id`` and, optionally, ``published`` or ``date``).

    Raises
    ------
    CorpusError
        A value that is not an ISO 8601 date or date-time, naming the column and the document.
    """
    column = next((c for c in PUBLISHED_COLUMNS if c in docs.columns), None)
    if column is None:
        return None
    times = {}
    for doc_id, value in zip(docs["doc_id"], docs[column]):
        try:
            times[doc_id] = None if pd.isna(value) else parse_published(value)
        except ValueError as error:
            raise CorpusError(f"sources.csv: {column} of {doc_id}: {error}") from None
    return times


def published_order(a: PublicationTime | None, b: PublicationTime | None) -> int:
    """+1 when ``a`` was published after ``b``, -1 when before, 0 when unknown or not ordered."""
    if a is None or b is None:
        return 0
    if a.day_only or b.day_only:
        first, second = a.time.normalize(), b.time.normalize()
    else:
        first, second = a.time, b.time
    return 1 if first > second else -1 if first < second else 0
