"""Publishing from the report notebook: save tables and figures, show them escaped.

A :class:`Publisher` writes into the report folder (``tables/``, ``figures/``)
and returns what the notebook displays. Article text reaches the page only
through :func:`html_table` and the figure blocks here, which escape it.

When ``parallax report`` runs the notebook it sets ``PARALLAX_STAGING_DIR``:
files then go to the staging folder that is moved into place only once the
whole report is complete, while the notebook still names the final folder.
"""

from __future__ import annotations

import base64
import html
import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .citation import cite_figure
from .figures import missing_glyphs_quiet
from .figures.save import BackgroundFigureWriter, FigureRecord
from .tables import write_table

STAGING_ENV = "PARALLAX_STAGING_DIR"
#: Resolution of the figure embedded in the notebook and HTML report (the
#: saved PNG is 300 dpi and is written in the background, see
#: :meth:`Publisher.wait_for_figures`).
INLINE_DPI = 110
FIGURE_INDEX = "figures.csv"


class RichHTML:
    """HTML for Jupyter's display machinery, with a plain-text fallback.

    The markup is shown inside a ``mathjax_ignore`` block: JupyterLab typesets
    ``$...$`` in HTML outputs as TeX, which would turn "$5 or $10" in an
    article into mathematics. (``tex2jax_ignore`` is the same switch for
    MathJax 2, as in the classic notebook.)
    """

    def __init__(self, markup: str, text: str = "") -> None:
        self.markup = markup
        self.text = text

    def _repr_html_(self) -> str:
        return f'<div class="mathjax_ignore tex2jax_ignore">{self.markup}</div>'

    def __repr__(self) -> str:
        return self.text or self.markup


def _format_number(x: float) -> str:
    """Whole numbers with thousands separators, others to three significant digits."""
    if not math.isfinite(x):
        return str(x)
    if x == int(x):
        return f"{x:,.0f}"
    return f"{x:.3g}" if abs(x) < 100 else f"{x:,.1f}"


def html_table(table: pd.DataFrame, max_rows: int = 30, caption: str = "") -> RichHTML:
    """An escaped HTML rendering of ``table`` (first ``max_rows`` rows).

    Parameters
    ----------
    table : pandas.DataFrame
        Any table; cells, column names and caption are escaped.
    max_rows : int
        Rows shown; a note says how many there are when some are left out.
    caption : str
        Text above the table (optional).

    Returns
    -------
    RichHTML
        The markup for Jupyter, with ``table.to_string`` as plain-text fallback.
    """
    shown = table.head(max_rows)
    markup = shown.to_html(index=False, escape=True, border=0, classes="parallax-table", na_rep="",
                           float_format=_format_number)
    note = ""
    if len(table) > max_rows:
        note = f"<p class='parallax-note'>First {max_rows} of {len(table)} rows.</p>"
    head = f"<p class='parallax-caption'>{html.escape(caption)}</p>" if caption else ""
    return RichHTML(head + markup + note, shown.to_string(index=False))


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
        The run's fingerprint (see :func:`analysis.manifest.fingerprint`).
    """

    output_dir: str
    corpus_name: str
    fingerprint: str
    figures: list[FigureRecord] = field(default_factory=list)
    _writer: BackgroundFigureWriter = field(default_factory=BackgroundFigureWriter, repr=False)

    def __post_init__(self) -> None:
        if self.directory is not None:
            self._writer.start()  # the worker's imports overlap with the analysis before the first figure

    @property
    def directory(self) -> Path | None:
        staging = os.environ.get(STAGING_ENV)
        if staging:
            return Path(staging)
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

    def figure(self, fig, fig_id: str, caption: str, alt: str) -> RichHTML:
        """Save ``fig`` under its id (when writing) and return its display block.

        The block is a ``<figure>`` anchored by ``fig_id`` with the image
        (rendered here at :data:`INLINE_DPI`), caption, alt text and how to
        cite it; all text is escaped. The files are queued for the background
        writer: call :meth:`wait_for_figures` before relying on them.
        """
        if self.directory is not None:
            record = self._writer.submit(fig, self.directory / "figures", fig_id, caption, alt)
            self.figures = [f for f in self.figures if f.fig_id != fig_id] + [record]
            index = pd.DataFrame([{"fig_id": f.fig_id, "caption": f.caption, "alt": f.alt,
                                   "files": " ".join(f.files)} for f in self.figures])
            write_table(index.sort_values("fig_id"), self.directory / "figures" / FIGURE_INDEX)
        buffer = io.BytesIO()
        with missing_glyphs_quiet():
            fig.savefig(buffer, format="png", dpi=INLINE_DPI, metadata={"Software": None})
        png = buffer.getvalue()
        image = base64.b64encode(png).decode("ascii")
        citation = cite_figure(fig_id, self.corpus_name, self.fingerprint)
        esc = html.escape
        markup = (
            f'<figure id="{esc(fig_id)}" class="parallax-figure">'
            f'<img src="data:image/png;base64,{image}" alt="{esc(alt)}" style="max-width:100%">'
            f"<figcaption><strong>Figure {esc(fig_id)}.</strong> {esc(caption)}"
            f'<br><small class="parallax-cite">Cite as: {esc(citation)}</small></figcaption></figure>'
        )
        return RichHTML(markup, f"Figure {fig_id}. {caption}")

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


def note(text: str) -> RichHTML:
    """A sentence of interpretation, escaped (it may quote article text)."""
    return RichHTML(f"<p class='parallax-note'>{html.escape(text)}</p>", text)
