"""Figures: one module per report section draws, this package styles and saves.

Plot functions (``analysis.figures.<section>.plot_*``) take tidy tables and
return a :class:`matplotlib.figure.Figure` built with the object API (no
``pyplot`` global state), so they are safe in notebooks, scripts and threads.
They never write files: :func:`analysis.figures.save.save_figure` does, under a
stable id, byte-identically on re-run.
"""

from __future__ import annotations

import contextlib
import functools
import warnings
from typing import NamedTuple

import matplotlib
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.text import Text

#: matplotlib settings of every kit figure, applied with ``matplotlib.rc_context``
#: while a plot function draws (:func:`kit_style`) and while a figure is saved
#: (:mod:`analysis.figures.save`); never set globally, so importing the kit
#: leaves a notebook's own settings alone. Labels carry article text (outlet
#: names, speakers, claims): two dollar signs in one would switch matplotlib to
#: mathtext, and an invalid formula fails at draw time. The kit draws no
#: mathematics, so text is always printed as written.
RC_PARAMS = {"text.parse_math": False}


def kit_style(plot):
    """Decorator: run a ``plot_*`` function inside ``matplotlib.rc_context(RC_PARAMS)``.

    Text objects keep the settings they were made with, so the figure shows
    article text as written wherever it is drawn or saved later.
    """
    @functools.wraps(plot)
    def styled(*args, **kwargs):
        with matplotlib.rc_context(RC_PARAMS):
            return plot(*args, **kwargs)

    return styled


@contextlib.contextmanager
def drawing(fig: Figure, rc: dict | None = None):
    """Context in which to render ``fig`` (``savefig``): the kit's settings, text as written.

    Every text of the figure, including those made outside :func:`kit_style`,
    is set to print as written; :data:`RC_PARAMS` (and ``rc``, if given) are
    in force; a missing glyph gives no warning (:func:`missing_glyphs_quiet`).
    """
    for text in fig.findobj(Text):
        text.set_parse_math(RC_PARAMS["text.parse_math"])
    with missing_glyphs_quiet(), matplotlib.rc_context({**RC_PARAMS, **(rc or {})}):
        yield


#: Warning text matplotlib gives for a character its font cannot draw (an emoji
#: in an outlet name): the glyph prints as an empty box, which is shown as is,
#: but the warning must not land in a report's output.
MISSING_GLYPH_WARNING = r"Glyph \d+ .* missing from font"


@contextlib.contextmanager
def missing_glyphs_quiet():
    """Context in which drawing a character the font lacks gives no warning (see above)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=MISSING_GLYPH_WARNING, category=UserWarning)
        yield


#: Colour-blind-safe qualitative palette (Okabe & Ito 2008), one colour per outlet.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7",
           "#56B4E9", "#F0E442", "#000000")
#: Further colours for a corpus of more than eight outlets (from Paul Tol's
#: "muted" scheme and matplotlib's tab10, each far from the eight above), so that
#: a 12-document figure still gives every outlet its own colour; past 16 they cycle.
EXTRA_PALETTE = ("#332288", "#882255", "#999933", "#8C564B", "#7F7F7F", "#AA4499", "#117733", "#BCBD22")

#: Least contrast against white of text drawn in a palette colour (WCAG 2 ratio for
#: large or bold text and graphics; :func:`text_color` darkens colours below it).
MIN_TEXT_CONTRAST = 3.0

#: Sequential colour map for heatmaps (perceptually uniform, prints in grey).
SEQUENTIAL_CMAP = "viridis"

def new_figure(width: float = 6.4, height: float = 4.0) -> Figure:
    """A blank figure of ``width`` x ``height`` inches with the kit's layout engine.

    The height is capped at a page (:data:`analysis.figures.layout.PAGE_MAX_HEIGHT`),
    the width at :data:`analysis.figures.layout.MAX_WIDTH`, whatever the corpus size.
    """
    from analysis.figures.layout import MAX_WIDTH, page_height

    return Figure(figsize=(min(width, MAX_WIDTH), page_height(height)), layout="constrained")


def outlet_colors(labels) -> dict[str, str]:
    """Stable colour per document label, in the order given: :data:`PALETTE`, then :data:`EXTRA_PALETTE`, cycling."""
    colors = PALETTE + EXTRA_PALETTE
    return {label: colors[i % len(colors)] for i, label in enumerate(labels)}


def relative_luminance(color) -> float:
    """WCAG 2 relative luminance of a matplotlib colour (0 for black, 1 for white)."""
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(color)]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_on_white(color) -> float:
    """WCAG 2 contrast ratio of ``color`` against white (1 to 21)."""
    return 1.05 / (relative_luminance(color) + 0.05)


def text_color(color, min_contrast: float = MIN_TEXT_CONTRAST):
    """The colour to draw text in for a palette colour: itself, or darkened until readable on white.

    Fills keep the palette colour; text (outlet tick labels, annotations) in a
    light colour such as the palette's yellow is unreadable on white, so it is
    scaled towards black, keeping its hue, until its contrast against white
    reaches ``min_contrast``.

    Parameters
    ----------
    color : matplotlib colour
        E.g. an entry of :data:`PALETTE` or of :func:`outlet_colors`.
    min_contrast : float
        WCAG 2 contrast ratio to reach (default :data:`MIN_TEXT_CONTRAST`).

    Returns
    -------
    matplotlib colour
        ``color`` unchanged when already readable, else the lightest darkened
        version (as "#rrggbb", in steps of 1% of brightness) that is.
    """
    if contrast_on_white(color) >= min_contrast:
        return color
    rgb = to_rgb(color)
    for percent in range(99, -1, -1):
        darker = to_hex([c * percent / 100 for c in rgb])
        if contrast_on_white(darker) >= min_contrast:
            return darker
    return "#000000"


class ReportFigure(NamedTuple):
    """A figure with its id, caption and alt text: what the report shows of it.

    Unpacks in the order :meth:`analysis.report.publish.Publisher.figure` takes
    (``report.figure(*report_figure)``).

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    fig_id : str
        Stable id, ``fig-NN-name``: the anchor in the report and the file stem.
    caption : str
        What the figure shows.
    alt : str
        Alt text stating its numbers (:mod:`analysis.report.narrative`).
    """

    figure: Figure
    fig_id: str
    caption: str
    alt: str
