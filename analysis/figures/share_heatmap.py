"""The share heatmap both overlap heatmaps draw: document x document, or outlet x outlet.

:func:`analysis.figures.overlap.plot_overlap_heatmap` (one row and column per
document) and :func:`analysis.figures.overlap_outlets.plot_outlet_heatmap`
(per outlet group, above :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS`
documents) build their matrix and names and draw it here.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from analysis.figures import SEQUENTIAL_CMAP, new_figure
from analysis.figures.layout import DARK_CELL_SHARE, LABELLED_CELLS_MAX_ITEMS, MAX_COLUMNS, MAX_WIDTH, tick_font_size


def _cell_text(cell: float, tiny_as_under_1: bool) -> str:
    if tiny_as_under_1 and 0 < cell < 0.01:
        return "<1%"
    return f"{cell:.0%}"


def draw_share_heatmap(matrix: np.ndarray, names: list[str], unit: str, title: str, *, vmax: float = 1.0,
                       min_size: float, inches_per_item: float, missing_color: str | None = None,
                       tiny_as_under_1: bool = False) -> Figure:
    """A square heatmap of shares (0..1): row item a, column item b.

    Parameters
    ----------
    matrix : numpy.ndarray
        n x n shares; NaN cells are masked (shown in ``missing_color``).
    names : list of str
        Tick labels of the n rows and columns, in order.
    unit : str
        What an item is (``"document"``, ``"outlet"``): the axes read "<unit> a"
        (rows) and "<unit> b" (columns).
    title : str
        Title of the figure.
    vmax : float
        Top of the colour scale (0 is the bottom); a cell's text turns black
        from :data:`analysis.figures.layout.DARK_CELL_SHARE` of it.
    min_size, inches_per_item : float
        The plot is ``inches_per_item * n + 2.5`` inches square, at least
        ``min_size``, at most :data:`analysis.figures.layout.MAX_WIDTH` less
        the colour bar's inch.
    missing_color : str, optional
        Background shown in masked cells (default: matplotlib's).
    tiny_as_under_1 : bool
        Print a share above 0 and under 1% as "<1%" rather than "0%".

    Returns
    -------
    matplotlib.figure.Figure
        Each cell's share printed when there are at most
        :data:`analysis.figures.layout.LABELLED_CELLS_MAX_ITEMS` items; ticks
        turned upright past :data:`analysis.figures.layout.MAX_COLUMNS`.
    """
    n = len(names)
    size = min(MAX_WIDTH - 1.0, max(min_size, inches_per_item * n + 2.5))
    fig = new_figure(size + 1.0, size)
    ax = fig.add_subplot()
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=SEQUENTIAL_CMAP, vmin=0.0, vmax=vmax)
    if missing_color is not None:
        ax.set_facecolor(missing_color)
    font_size = tick_font_size(n, 0.7 * size)
    wide = n > MAX_COLUMNS
    ax.set_xticks(range(n), names, rotation=90 if wide else 40, ha="center" if wide else "right", fontsize=font_size)
    ax.set_yticks(range(n), names, fontsize=font_size)
    ax.set_xlabel(f"{unit} b")
    ax.set_ylabel(f"{unit} a")
    if n <= LABELLED_CELLS_MAX_ITEMS:
        for (row, col), cell in np.ndenumerate(matrix):
            if np.isfinite(cell):
                ax.text(col, row, _cell_text(cell, tiny_as_under_1), ha="center", va="center", fontsize=8,
                        color="white" if cell < DARK_CELL_SHARE * vmax else "black")
    ax.set_title(title)
    fig.colorbar(image, ax=ax, shrink=0.8, format=PercentFormatter(xmax=1, decimals=0))
    return fig
