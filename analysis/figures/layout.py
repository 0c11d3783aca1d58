"""Sizing rules that keep a figure readable whatever the number of outlets.

A report figure is shown scaled to the page width (HTML report, notebook), so a
figure that grows sideways with the number of outlets shrinks its text with it:
at 50 outlets a 55-inch-wide heatmap prints its labels at a tenth of their size.
Figures therefore keep their width within :data:`MAX_WIDTH` and grow downwards;
a matrix with more outlets than fit across puts the outlets on its rows.
"""

from __future__ import annotations

#: Widest figure, in inches, whose text stays legible scaled to a page.
MAX_WIDTH = 10.0
#: Most outlets drawn as columns of a matrix (beyond this they become rows).
MAX_COLUMNS = 12
#: Smallest tick-label font size, in points.
MIN_FONT_SIZE = 5.0
#: A heatmap prints each cell's value when it has at most this many rows and
#: columns; beyond, an 8-point "100%" no longer fits in a cell of a figure
#: capped at MAX_WIDTH.
LABELLED_CELLS_MAX_ITEMS = 15
#: Share of the colour scale (viridis) below which a cell's text is white, above
#: black: at 0.6 white has a WCAG contrast of 3.0 on the cell, black 7.0, and
#: each side of it the colour chosen keeps at least 3.0.
DARK_CELL_SHARE = 0.6


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
