"""What ``parallax report`` says while it runs and when it is done.

On a terminal, :class:`SectionProgress` shows a tqdm bar over the report's
sections (the notebook's ``##`` headings, in order), named as the section
whose cells are running; nbclient calls :meth:`SectionProgress.cell_started`
before each cell (its ``on_cell_start`` hook). Off a terminal (a pipe, a log,
a batch worker) nothing is drawn. :func:`report_summary` is the one line
printed at the end, read from the report's own tables.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from analysis.findings.reuse import REUSE_KINDS

#: Name of the cells above the notebook's first ``##`` heading.
OPENING_SECTION = "Reading the corpus"
#: Name of the last step, after the notebook: HTML export and manifest.
CLOSING_SECTION = "Writing report.html and the manifest"
_HEADING = re.compile(r"^##\s+(.+?)\s*$", re.MULTILINE)


def notebook_sections(notebook: str | Path) -> tuple[list[str], dict[str, int]]:
    """The notebook's sections in order, and the section of each code cell.

    Returns
    -------
    tuple
        ``(names, position)``: section names (:data:`OPENING_SECTION` first
        when code runs before the first heading; sections without code
        cells left out), and cell key (its id, and its source) -> index in
        ``names``.
    """
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    names: list[str] = []
    position: dict[str, int] = {}
    current = OPENING_SECTION
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            found = _HEADING.search(cell.source)
            if found:
                current = found.group(1)
            continue
        if cell.cell_type != "code":
            continue
        if not names or names[-1] != current:
            names.append(current)
        for key in (cell.get("id"), cell.source):
            if key:
                position[key] = len(names) - 1
    return names, position


class SectionProgress:
    """A tqdm bar over a report notebook's sections (drawn only on a terminal).

    Parameters
    ----------
    notebook : str or pathlib.Path
        The notebook being executed.
    enabled : bool, optional
        Draw the bar; default: when standard error is a terminal.
    stream : file, optional
        Where to draw (default standard error).
    """

    def __init__(self, notebook: str | Path, enabled: bool | None = None, stream=None) -> None:
        from tqdm import tqdm

        stream = sys.stderr if stream is None else stream
        enabled = stream.isatty() if enabled is None else enabled
        self.names, self.position = notebook_sections(notebook) if enabled else ([], {})
        self.current = -1
        self.bar = tqdm(total=len(self.names) + 1, unit="section", file=stream, disable=not enabled,
                        bar_format="{l_bar}{bar:20}| {n_fmt}/{total_fmt} sections [{elapsed}]", leave=False)

    def _move_to(self, index: int, name: str) -> None:
        if index > self.current:  # sections only move forward; the bar counts those done
            self.bar.update(index - self.bar.n)
            self.current = index
            self.bar.set_description_str(name)

    def cell_started(self, cell, cell_index: int, **_) -> None:
        """nbclient's ``on_cell_start`` hook: move the bar to the section of ``cell``."""
        index = self.position.get(cell.get("id", "")) or self.position.get(cell.get("source", ""))
        if index is not None:
            self._move_to(index, self.names[index])

    def finishing(self) -> None:
        """The notebook has run: the last step (export, manifest) starts."""
        self._move_to(len(self.names), CLOSING_SECTION)

    def close(self) -> None:
        """Remove the bar (the summary line takes its place)."""
        self.bar.close()


#: What the end summary counts of ``findings.csv``: a name (singular, plural) for each group of
#: finding kinds (:data:`analysis.findings.registry.KINDS`). The findings are the one source: a
#: ``number_conflicts.csv`` row that is no finding (the same figure in other words) is not counted.
SUMMARY_KINDS = (("derived pair", "derived pairs", REUSE_KINDS),
                 ("altered quotation", "altered quotations", ("altered_quote",)),
                 ("conflicting number", "conflicting numbers", ("number_conflict",)),
                 ("omission", "omissions", ("omission",)))


def report_summary(path: str | Path, manifest: dict, seconds: float) -> str:
    """One line saying what the report found and where it is.

    Read from the report's tables: the documents (``documents.csv``), then the
    findings (``findings.csv``) and, of them, each group of :data:`SUMMARY_KINDS`;
    then the folder, the time and the fingerprint. A report without
    ``findings.csv`` counts its documents only.
    """
    from analysis.tables import read_table

    tables = Path(path) / "tables"

    def read(name: str):
        file = tables / f"{name}.csv"
        return read_table(file) if file.is_file() else None

    documents, findings = read("documents"), read("findings")
    counts = [(None if documents is None else len(documents), "document", "documents")]
    if findings is not None:
        kinds = findings["kind"].astype(str)
        counts.append((len(findings), "finding", "findings"))
        counts += [(int(kinds.isin(group).sum()), one, many) for one, many, group in SUMMARY_KINDS]
    found = ", ".join(f"{n:,} {one if n == 1 else many}" for n, one, many in counts if n is not None)
    return (f"{found}; report written to {path} in {seconds:.1f} s "
            f"(fingerprint {manifest['fingerprint'][:12]}, {len(manifest['figures'])} figures, "
            f"{len(manifest['outputs'])} files)")
