"""Saving figures: stable ids, three formats, byte-identical on re-run."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

#: Formats every figure is saved in, and the resolution of the raster one.
FORMATS = ("png", "svg", "pdf")
PNG_DPI = 300
_ID = re.compile(r"^fig-\d{2}-[a-z0-9]+(-[a-z0-9]+)*$")

# SVG element ids are random unless salted; a fixed salt makes them stable.
matplotlib.rcParams["svg.hashsalt"] = "parallax"


@dataclass(frozen=True)
class FigureRecord:
    """A saved figure: its id, caption, alt text and files (relative names)."""

    fig_id: str
    caption: str
    alt: str
    files: tuple[str, ...]


def _metadata(fmt: str) -> dict:
    """Metadata that carries no timestamp or version string.

    With ``SOURCE_DATE_EPOCH`` set, matplotlib dates PDF and SVG by it (the
    reproducible-builds convention), so the date is left for it to fill.
    """
    dated = "SOURCE_DATE_EPOCH" in os.environ
    if fmt == "png":
        return {"Software": None}
    if fmt == "svg":
        return {"Creator": None} if dated else {"Creator": None, "Date": None}
    if fmt == "pdf":
        meta = {"Creator": None, "Producer": None}
        return meta if dated else {**meta, "CreationDate": None, "ModDate": None}
    raise ValueError(f"unknown figure format {fmt!r}")


def save_figure(fig: Figure, directory: str | Path, fig_id: str, caption: str, alt: str) -> FigureRecord:
    """Save ``fig`` as ``<fig_id>.png`` (300 dpi), ``.svg`` and ``.pdf``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure (from a ``plot_*`` function).
    directory : str or pathlib.Path
        The report's ``figures/`` folder (created if needed).
    fig_id : str
        Stable id such as ``fig-01-readability``: ``fig-``, two digits, a slug.
    caption, alt : str
        What the figure shows (for readers) and a text alternative (for
        screen readers and for citing without the image).

    Returns
    -------
    FigureRecord
    """
    if not _ID.match(fig_id):
        raise ValueError(f"figure id {fig_id!r} must look like 'fig-01-readability'")
    if not caption.strip() or not alt.strip():
        raise ValueError(f"figure {fig_id} needs a caption and alt text")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for fmt in FORMATS:
        path = directory / f"{fig_id}.{fmt}"
        tmp = path.with_name(path.name + ".tmp")
        fig.savefig(tmp, format=fmt, dpi=PNG_DPI if fmt == "png" else None, metadata=_metadata(fmt))
        tmp.replace(path)
        files.append(path.name)
    return FigureRecord(fig_id, caption.strip(), alt.strip(), tuple(files))
