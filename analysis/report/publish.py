"""Publishing from the report notebook: save tables and figures.

A :class:`Publisher` writes into the report folder (``tables/``, ``figures/``)
and returns what the notebook displays; the markup comes from
:mod:`analysis.report.render`, which escapes all text.

When ``parallax report`` runs the notebook it passes the hidden parameter
``staging_dir``: files then go to the run's staging folder, moved into place
only once the whole report is complete, while the notebook still names the
final folder.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.report import render
from analysis.report.citation import cite_figure
from analysis.figures import drawing
from analysis.figures.save import BackgroundFigureWriter, FigureRecord
from analysis.report.output_guard import FIGURE_INDEX
from analysis.tables import write_table

#: Resolution of the figure embedded in the notebook and HTML report (the
#: saved PNG is 300 dpi and is written in the background, see
#: :meth:`Publisher.wait_for_figures`).
INLINE_DPI = 110


@dataclass
class Publisher:
    """Saves a report's tables and figures and renders them for display.

    Parameters
    ----------
    output_dir : str
        The report folder; empty to only display (nothing is written).
    corpus_name : str
        Used in figure citations.
    fingerprint : str
        The run's fingerprint (see :func:`analysis.report.manifest.fingerprint`).
    staging_dir : str
        Where files are written instead of ``output_dir`` until the report is
        complete (set by :func:`analysis.report.run.run_report`); empty: ``output_dir``.
    """

    output_dir: str
    corpus_name: str
    fingerprint: str
    staging_dir: str = ""
    figures: list[FigureRecord] = field(default_factory=list)
    _writer: BackgroundFigureWriter = field(default_factory=BackgroundFigureWriter, repr=False)

    def __post_init__(self) -> None:
        if self.directory is not None:
            self._writer.start()  # the worker's imports overlap with the analysis before the first figure

    @property
    def directory(self) -> Path | None:
        if self.staging_dir:
            return Path(self.staging_dir)
        return Path(self.output_dir) if self.output_dir else None

    def tables(self, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
        """Write each table as ``tables/<name>.csv`` (when writing) and return them.

        Files are written by :func:`analysis.tables.write_table` (formula cells
        neutralised with a leading ``'``); the returned tables hold the exact text.
        """
        if self.directory is not None:
            for name, table in tables.items():
                write_table(table, self.directory / "tables" / f"{name}.csv")
        return tables

    def figure(self, fig, fig_id: str, caption: str, alt: str) -> render.RichHTML:
        """Save ``fig`` under its id (when writing) and return its display block.

        The block (:func:`analysis.report.render.figure`) is a ``<figure>`` anchored
        by ``fig_id`` with the image (rendered here at :data:`INLINE_DPI`),
        caption, alt text and how to cite it. The files are queued for the
        background writer: call :meth:`wait_for_figures` before relying on them.
        """
        if self.directory is not None:
            record = self._writer.submit(fig, self.directory / "figures", fig_id, caption, alt)
            self.figures = [f for f in self.figures if f.fig_id != fig_id] + [record]
            index = pd.DataFrame([{"fig_id": f.fig_id, "caption": f.caption, "alt": f.alt,
                                   "files": " ".join(f.files)} for f in self.figures])
            write_table(index.sort_values("fig_id"), self.directory / "figures" / FIGURE_INDEX)
        buffer = io.BytesIO()
        with drawing(fig):
            fig.savefig(buffer, format="png", dpi=INLINE_DPI, metadata={"Software": None})
        return render.figure(buffer.getvalue(), fig_id, caption, alt,
                             cite_figure(fig_id, self.corpus_name, self.fingerprint))

    def wait_for_figures(self) -> None:
        """Block until every figure file is written (they render in a helper process).

        A report notebook calls this in its last cell, so that the kernel does
        not stop while PNG, SVG and PDF files are still being written.

        Raises
        ------
        analysis.figures.save.FigureSaveError
            Naming the figure that could not be saved.
        """
        self._writer.wait()

