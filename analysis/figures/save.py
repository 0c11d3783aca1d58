"""Saving figures: stable ids, three formats, byte-identical on re-run.

:func:`save_figure` writes one figure; :class:`BackgroundFigureWriter` writes
them in a helper process, so a notebook goes on with its analysis while the
files render on a second core.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import re
from concurrent.futures import Future, ProcessPoolExecutor
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
    record = figure_record(fig_id, caption, alt)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name in record.files:
        path = directory / name
        fmt = path.suffix[1:]
        tmp = path.with_name(path.name + ".tmp")
        fig.savefig(tmp, format=fmt, dpi=PNG_DPI if fmt == "png" else None, metadata=_metadata(fmt))
        tmp.replace(path)
    return record


def figure_record(fig_id: str, caption: str, alt: str) -> FigureRecord:
    """Check a figure's id, caption and alt text and name its files (nothing is written).

    Raises
    ------
    ValueError
        If the id does not look like ``fig-01-readability`` or caption or alt is empty.
    """
    if not _ID.match(fig_id):
        raise ValueError(f"figure id {fig_id!r} must look like 'fig-01-readability'")
    if not caption.strip() or not alt.strip():
        raise ValueError(f"figure {fig_id} needs a caption and alt text")
    return FigureRecord(fig_id, caption.strip(), alt.strip(), tuple(f"{fig_id}.{fmt}" for fmt in FORMATS))


def _save_pickled(figure: bytes, directory: str, fig_id: str, caption: str, alt: str) -> FigureRecord:
    """:func:`save_figure` of a pickled figure (runs in the writer's process)."""
    return save_figure(pickle.loads(figure), directory, fig_id, caption, alt)


class FigureSaveError(RuntimeError):
    """A figure could not be written by the background writer."""


class BackgroundFigureWriter:
    """Save figures with :func:`save_figure` in one helper process.

    A figure in three formats takes about half a second to render, and a
    report has several; the notebook needs none of those files to go on. Each
    :meth:`submit` pickles the figure (matplotlib figures pickle) and queues it
    for a single spawned worker, which saves figures in submission order, so
    a figure saved twice under one id ends with the later version.
    :meth:`wait` returns once every file is on disk and raises if any failed.
    The worker imports the same ``analysis.figures`` (same rcParams and SVG
    salt), so the files are the bytes :func:`save_figure` writes in-process.
    """

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._pending: list[tuple[str, Future]] = []

    def submit(self, fig: Figure, directory: str | Path, fig_id: str, caption: str, alt: str) -> FigureRecord:
        """Queue ``fig`` to be saved; same parameters and record as :func:`save_figure`.

        The id, caption and alt text are checked now, so a bad one fails in the
        caller's cell; the figure is pickled now, so later changes to it are
        not saved.
        """
        record = figure_record(fig_id, caption, alt)
        if self._pool is None:
            # spawn, not fork: the caller may be a Jupyter kernel with threads running
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        future = self._pool.submit(_save_pickled, pickle.dumps(fig), str(directory), fig_id, caption, alt)
        self._pending.append((fig_id, future))
        return record

    def wait(self) -> None:
        """Block until every queued figure is written, then stop the worker.

        Raises
        ------
        FigureSaveError
            Naming the first figure that failed and why.
        """
        pending, self._pending = self._pending, []
        try:
            for fig_id, future in pending:
                error = future.exception()
                if error is not None:
                    raise FigureSaveError(f"figure {fig_id} could not be saved: "
                                          f"{type(error).__name__}: {error}") from error
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None
