"""Sizing rules that keep a figure readable whatever the number of outlets.

A report figure is shown scaled to the page width (HTML report, notebook), so a
figure that grows sideways with the number of outlets shrinks its text with it:
at 50 outlets a 55-inch-wide heatmap prints its labels at a tenth of their size.
Figures therefore keep their width within :data:`MAX_WIDTH` and grow downwards,
up to a page (:data:`PAGE_MAX_HEIGHT`); a matrix with more outlets than fit
across puts the outlets on its rows.

Above :data:`DETAIL_MAX_DOCUMENTS` documents no figure or HTML table of the
report has one row or column per document: every section shows outlets and
stories instead (:func:`detailed`), and the CSV tables keep the per-document detail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pandas as pd

from analysis.corpus.outlets import by_outlet, outlet_groups

#: Widest figure, in inches, whose text stays legible scaled to a page.
MAX_WIDTH = 10.0
#: Most outlets drawn as columns of a matrix (beyond this they become rows).
MAX_COLUMNS = 12
#: Smallest tick-label font size, in points.
MIN_FONT_SIZE = 5.0
#: Tallest figure, in inches: a US Letter page (11 in; A4 is 11.7). Every kit
#: figure is made by :func:`analysis.figures.new_figure`, which caps its height
#: here, whatever the corpus size; rows then share the page
#: (:func:`row_font_size`). Measured before the cap: 1,000 BBC articles made a
#: 1,000-row figure 1920 x 165,360 px.
PAGE_MAX_HEIGHT = 11.0
#: Most documents a report draws one row or column each (readability rows, heatmap
#: rows and columns, claims columns, the quotes matrix's rows); above it every
#: section shows outlets and stories (:func:`detailed`). Chosen by measuring
#: (``python -m bench.bench_report_scale --legibility``: synthetic tables of n
#: documents with 40-character labels, each per-document figure capped at
#: :data:`PAGE_MAX_HEIGHT`, the first n at which its document labels overlap or
#: print below :data:`MIN_FONT_SIZE`): the paragraph-grade figure, whose
#: two-line row labels need the most height, fails first, at 57 documents; the
#: claims matrix at 95, the overlap heatmap at 98, the others at 137 or more.
#: Rounded down to 50 for labels longer than 40 characters.
DETAIL_MAX_DOCUMENTS = 50
#: A heatmap prints each cell's value when it has at most this many rows and
#: columns; beyond, an 8-point "100%" no longer fits in a cell of a figure
#: capped at MAX_WIDTH.
LABELLED_CELLS_MAX_ITEMS = 15
#: Share of the colour scale (viridis) below which a cell's text is white, above
#: black: at 0.6 white has a WCAG contrast of 3.0 on the cell, black 7.0, and
#: each side of it the colour chosen keeps at least 3.0.
DARK_CELL_SHARE = 0.6


def detailed(n_documents: int) -> bool:
    """Whether a report of ``n_documents`` documents draws one row or column per document.

    True up to :data:`DETAIL_MAX_DOCUMENTS`; above it, the report shows
    aggregates by outlet and by story, and top-N lists.
    """
    return n_documents <= DETAIL_MAX_DOCUMENTS


class Drawn(NamedTuple):
    """What a section's per-document figure draws (:func:`drawn_rows`)."""

    by_outlet: bool        # True above DETAIL_MAX_DOCUMENTS: rows are outlet groups
    docs: pd.DataFrame     # the corpus table, or the groups as one (analysis.corpus.outlets.outlet_groups)
    tables: tuple          # the tables given, as they are or per group


def drawn_rows(docs: pd.DataFrame, *tables: pd.DataFrame,
               aggregate: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame] = by_outlet) -> Drawn:
    """The corpus table and ``tables`` a figure drawing one row (column) per document is given.

    Up to :data:`DETAIL_MAX_DOCUMENTS` documents (:func:`detailed`) they are
    returned as they are. Above, each table is ``aggregate(table, docs)``
    (default :func:`analysis.corpus.outlets.by_outlet`: each document replaced
    by its outlet group) and the corpus table is
    :func:`analysis.corpus.outlets.outlet_groups`, so the same plot function
    draws one row per group. The sections' ``report_figures`` all go through here.
    """
    if detailed(len(docs)):
        return Drawn(False, docs, tables)
    return Drawn(True, outlet_groups(docs), tuple(aggregate(table, docs) for table in tables))


def page_height(height: float) -> float:
    """``height`` inches, at most :data:`PAGE_MAX_HEIGHT`."""
    return min(PAGE_MAX_HEIGHT, height)


def row_font_size(n_rows: int, wanted_height: float, largest: float = 10.0) -> dict:
    """Text settings of row labels when a figure wanted ``wanted_height`` inches but got a page.

    Empty (matplotlib's default size) when the figure fits a page, so small
    figures are drawn as before; else ``{"fontsize": size}``, the size at which
    ``n_rows`` labels share the page's rows (:func:`tick_font_size` over the
    page less a margin), at most ``largest``. Pass it as ``**row_font_size(...)``.
    """
    if wanted_height <= PAGE_MAX_HEIGHT:
        return {}
    return {"fontsize": tick_font_size(n_rows, PAGE_MAX_HEIGHT - 2.0, largest)}


def capped_width(base: float, per_item: float, n_items: int, minimum: float = 5.0) -> float:
    """``base + per_item * n_items`` inches, at least ``minimum``, at most :data:`MAX_WIDTH`."""
    return min(MAX_WIDTH, max(minimum, base + per_item * n_items))


def tick_font_size(n_items: int, inches: float, largest: float = 9.0) -> float:
    """A font size (points) at which ``n_items`` tick labels fit along ``inches`` without overlapping."""
    if n_items <= 0:
        return largest
    room = 72.0 * inches / n_items  # points available per label
    return max(MIN_FONT_SIZE, min(largest, 0.75 * room))


def short_label(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis, keeping a trailing ``" (...)"``.

    Document labels are made unique by a parenthesised doc_id
    (``"Market Herald (bbc_214)"``); cutting that part off would make two
    columns read the same, so the head is shortened instead.
    """
    if len(text) <= width:
        return text
    head, sep, tail = text.rpartition(" (")
    if sep and tail.endswith(")") and len(tail) + 2 < width - 1:
        keep = width - len(tail) - 3
        return head[:keep].rstrip() + "…" + sep + tail
    return text[: width - 1] + "…"
