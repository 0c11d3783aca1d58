"""Figures: one module per report section draws, this package styles and saves.

Plot functions (``analysis.figures.<section>.plot_*``) take tidy tables and
return a :class:`matplotlib.figure.Figure` built with the object API (no
``pyplot`` global state), so they are safe in notebooks, scripts and threads.
They never write files: :func:`analysis.figures.save.save_figure` does, under a
stable id, byte-identically on re-run.
"""

from __future__ import annotations

from matplotlib.figure import Figure

#: Colour-blind-safe qualitative palette (Okabe & Ito 2008), one colour per outlet.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7",
           "#56B4E9", "#F0E442", "#000000")

#: Sequential colour map for heatmaps (perceptually uniform, prints in grey).
SEQUENTIAL_CMAP = "viridis"

#: rcParams applied to every figure the kit draws (fonts shipped with matplotlib).
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "figure.dpi": 100,
}


def new_figure(width: float = 6.4, height: float = 4.0) -> Figure:
    """A blank figure of ``width`` x ``height`` inches with the kit's layout engine."""
    return Figure(figsize=(width, height), layout="constrained")


def outlet_colors(labels) -> dict[str, str]:
    """Stable colour per document label, in the order given (cycling the palette)."""
    return {label: PALETTE[i % len(PALETTE)] for i, label in enumerate(labels)}


def alt_text(kind: str, values: dict[str, float], unit: str = "", digits: int = 1) -> str:
    """Alt text that states a figure's numbers: ``"<kind>: A 1.2, B 3.4 <unit>."``."""
    parts = ", ".join(f"{label} {value:.{digits}f}" for label, value in values.items())
    return f"{kind}: {parts}{(' ' + unit) if unit else ''}."
