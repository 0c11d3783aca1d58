"""Running report notebooks: papermill execution, HTML export, manifest, atomic placement.

:func:`run_report` executes a parameterized notebook into a staging folder of
its own next to the destination, scrubs run timestamps from it, exports the
HTML report, writes the manifest last, and only then moves the folder into
place (:class:`analysis.report.outputs.OutputFolder`: what may be replaced, one
writer per folder). A failed cell leaves the destination untouched and keeps
the failed notebook in ``<out>.failed/`` for inspection.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import logging
import os
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from analysis.corpus.inputs import printable
from analysis.errors import OutputError, ParameterError, ReportError
from analysis.report.outputs import OutputFolder, is_disk_fault
from analysis.corpus.paths import resolve_corpus_path
from analysis.report.output_guard import FIGURE_INDEX
from analysis.report.process_setup import KERNEL_ARGUMENTS

# Heavier modules (papermill, pandas, the manifest, nbconvert) are imported where they are used:
# everything `parallax report` imports before the kernel starts delays the kernel.

PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
DEFAULT_NOTEBOOK = NOTEBOOK_DIR / "report.ipynb"
TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"
#: Parameters the runner sets itself; users give the corpus and --out instead.
RUNNER_PARAMETERS = ("corpus", "output_dir", "staging_dir", "scheduler")
#: Cell and notebook metadata that records when and how long a run took.
_VOLATILE_KEYS = ("start_time", "end_time", "duration", "input_path", "output_path")


@dataclass(frozen=True)
class NotebookParameter:
    """A parameter declared in a notebook's ``parameters`` cell."""

    name: str
    type: str
    default: object
    help: str


def notebook_parameters(notebook: str | Path = DEFAULT_NOTEBOOK) -> list[NotebookParameter]:
    """The parameters a report notebook declares, in order, with defaults and types.

    Uses papermill's own parser of the ``parameters`` cell, so what this
    lists is exactly what ``papermill -p`` accepts.
    """
    import papermill

    notebook = Path(notebook)
    if not notebook.is_file():
        raise ReportError(f"{notebook}: no such notebook")
    params = papermill.inspect_notebook(str(notebook))
    out = []
    for name, spec in params.items():
        try:
            default = ast.literal_eval(spec["default"])
        except (ValueError, SyntaxError):
            default = spec["default"]
        out.append(NotebookParameter(name, type(default).__name__, default, spec.get("help", "")))
    return out


def coerce_parameters(overrides: dict[str, str], notebook: str | Path = DEFAULT_NOTEBOOK) -> dict:
    """Check ``-p NAME VALUE`` overrides against the notebook, convert their types, check their ranges.

    Papermill only warns about a parameter the notebook does not declare;
    here an unknown name is an error. The kit's parameters are parsed and
    checked by :mod:`analysis.report.parameters` (type and allowed range, named as
    the user wrote them); a parameter only a custom notebook declares must
    parse as the type of its default (``true``/``false`` for booleans).

    Raises
    ------
    ParameterError
        Unknown name, a runner-set name, a value of the wrong type or out of range.
    """
    from analysis.report.parameters import PARAMETERS, convert_like, unknown_parameter_error

    declared = {p.name: p for p in notebook_parameters(notebook)}
    out = {}
    for name, value in overrides.items():
        if name in RUNNER_PARAMETERS:
            how = "use --scheduler" if name == "scheduler" else "give the corpus as an argument and the folder with --out"
            raise ParameterError(f"parameter {name!r} is set by the command itself ({how})")
        if name not in declared:
            raise unknown_parameter_error(name, [p for p in declared if p not in RUNNER_PARAMETERS])
        if name in PARAMETERS:
            out[name] = PARAMETERS[name].parse(value)
        else:
            out[name] = convert_like(name, value, declared[name].default)
    return out


def scrub_notebook(path: str | Path) -> None:
    """Remove run timestamps, durations and random cell ids from an executed notebook."""
    import nbformat

    nb = nbformat.read(str(path), as_version=4)
    meta = nb.metadata.get("papermill", {})
    for key in _VOLATILE_KEYS:
        meta.pop(key, None)
    meta.get("parameters", {}).pop("staging_dir", None)
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id
            # the run's staging folder has a random name and is gone once the report is in place
            cell["source"] = "\n".join(line for line in cell["source"].splitlines()
                                       if not line.startswith("staging_dir = "))
        cell.metadata.pop("execution", None)
        cell_meta = cell.metadata.get("papermill", {})
        for key in _VOLATILE_KEYS:
            cell_meta.pop(key, None)
    nbformat.write(nb, str(path))


def export_html(notebook: str | Path, destination: str | Path, title: str) -> Path:
    """Export an executed notebook as a standalone HTML report with code hidden.

    The ``parallax`` template is JupyterLab's without its scripts (no
    require.js, MathJax or Mermaid from a CDN): the page reads offline and runs
    nothing.
    """
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    nb.metadata["title"] = title
    body, _ = _html_exporter().from_notebook_node(nb)
    destination = Path(destination)
    destination.write_text(body, encoding="utf-8")
    return destination


@functools.cache
def _html_exporter():
    """The configured exporter (cached: importing nbconvert and loading the template take ~1 s)."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="parallax", extra_template_basedirs=[str(TEMPLATE_DIR)],
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.from_notebook_node(nbformat.v4.new_notebook())  # loads and compiles the template now
    return exporter


def _warm_html_exporter() -> None:
    with contextlib.suppress(Exception):  # the export itself reports the problem
        _html_exporter()


@dataclass(frozen=True)
class ReportResult:
    """Where a finished report is and its manifest."""

    path: Path
    manifest: dict


def run_report(corpus: str | Path, out: str | Path, parameters: dict | None = None,
               notebook: str | Path = DEFAULT_NOTEBOOK, wait: bool = True, progress: bool = False,
               scheduler: str = "") -> ReportResult:
    """Execute a report notebook on a corpus and write the complete report folder.

    Parameters
    ----------
    corpus : str or pathlib.Path
        Corpus folder or file.
    out : str or pathlib.Path
        Report folder to create or replace: ``report.ipynb``, ``report.html``,
        ``figures/``, ``tables/``, ``manifest.json``. Only a new or empty
        folder, or one the kit wrote, is replaced (see :mod:`analysis.report.outputs`).
    parameters : dict, optional
        Notebook parameters (already coerced; see :func:`coerce_parameters`).
    notebook : str or pathlib.Path
        The report notebook.
    wait : bool
        When another run is writing ``out``: wait for it (True) or raise
        :class:`~analysis.errors.OutputBusyError` at once (False).
    progress : bool
        Show a bar over the notebook's sections on standard error (:class:`~analysis.report.progress.SectionProgress`).
    scheduler : str
        A Dask scheduler's address: the notebook runs the analysis's stages there
        (its ``scheduler`` parameter; not in the manifest: the tables do not depend on it).

    Returns
    -------
    ReportResult

    Raises
    ------
    CorpusError
        The corpus cannot be read (checked before any kernel starts).
    OutputError
        ``out`` was refused, is busy, or could not be written (a full or
        read-only disk); ``out`` is left as it was.
    ReportError
        A cell failed (named in the message; the notebook is kept in
        ``<out>.failed/``) or the export failed.
    KeyboardInterrupt
        On Ctrl-C, after removing the staging folder; ``out`` is left as it was.
    """
    parameters = dict(parameters or {}, **({"scheduler": scheduler} if scheduler else {}))
    corpus_path = resolve_corpus_path(corpus)
    _preflight(corpus_path)
    with OutputFolder(out, corpus_path, wait=wait) as folder:
        manifest = _write_report(folder, corpus, corpus_path, Path(out), parameters, Path(notebook), progress)
        folder.commit()
    return ReportResult(Path(out), manifest)


def _write_report(folder: OutputFolder, corpus: str | Path, corpus_path: Path, out: Path, parameters: dict,
                  notebook: Path, progress: bool = False) -> dict:
    """Execute the notebook into ``folder.staging``, export it and write the manifest last; return it."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from analysis.report import manifest as manifest_mod
    from analysis.report.progress import SectionProgress

    staging = folder.staging
    sections = SectionProgress(notebook, enabled=progress)
    executed = staging / "report.ipynb"
    # papermill logs every cell at INFO: quiet while this report runs, as it was after
    papermill_log = logging.getLogger("papermill")
    previous_level = papermill_log.level
    papermill_log.setLevel(logging.WARNING)
    # This process only waits while the kernel runs: prepare the HTML export meanwhile.
    warm_up = threading.Thread(target=_warm_html_exporter, name="parallax-html-warm-up", daemon=True)
    warm_up.start()
    kernel_stderr = tempfile.TemporaryFile()
    notebook_ran = False
    stopped = False  # interrupted or a disk fault: one line says so, the kernel's exit noise is dropped
    try:
        papermill.execute_notebook(
            str(notebook), str(executed),
            parameters={"corpus": str(corpus), "output_dir": str(out), "staging_dir": str(staging), **parameters},
            progress_bar=False, request_save_on_cell_execute=False, cwd=os.getcwd(),
            extra_arguments=list(KERNEL_ARGUMENTS),
            kernel_manager_class=_kernel_manager_writing_stderr_to(kernel_stderr), on_cell_start=sections.cell_started,
        )
        notebook_ran = True
    except PapermillExecutionError as exc:
        first_line = str(exc.evalue).strip().splitlines()[0] if str(exc.evalue).strip() else ""
        if is_disk_fault(str(exc.evalue)):  # the disk failed, not the analysis: nothing to inspect
            stopped = True
            raise OutputError(f"{printable(out)}: could not be written: {first_line} "
                              f"(in {printable(staging)}); nothing was changed there") from None
        kept = folder.keep_failed()
        where = f"\nThe failed notebook is kept at {kept / 'report.ipynb'}" if kept else ""
        raise ReportError(
            f"{notebook.name}: cell {exc.exec_count} (cell index {exc.cell_index}) failed with "
            f"{exc.ename}: {first_line}{where}",
            cell_index=exc.cell_index, ename=exc.ename, evalue=str(exc.evalue),
        ) from None
    except KeyboardInterrupt:
        # nbclient's cell task is abandoned mid-flight; when the kernel's reply to the shutdown
        # interrupt completes it, asyncio would log "Task exception was never retrieved" with
        # two tracebacks at exit. The interruption itself is reported by the caller.
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        stopped = True
        raise
    except OSError:  # the output folder could not be written (OutputFolder says so in one line)
        stopped = True
        raise
    finally:
        papermill_log.setLevel(previous_level)
        if not notebook_ran:
            sections.close()
        _relay_kernel_stderr(kernel_stderr, show=not stopped)

    sections.finishing()
    warm_up.join()
    scrub_notebook(executed)
    corpus_name = corpus_path.stem if corpus_path.is_file() else corpus_path.resolve().name
    export_html(executed, staging / "report.html", f"Parallax report: {corpus_name}")
    figures = figure_records(staging)
    analysis_parameters = {k: v for k, v in _executed_parameters(executed).items() if k not in RUNNER_PARAMETERS}
    manifest = manifest_mod.build_manifest(staging, str(corpus), corpus_path, analysis_parameters,
                                           manifest_mod.package_versions(), figures,
                                           models_used(analysis_parameters))
    manifest_mod.write_manifest(staging, manifest)  # last: it records the hash of every other file
    sections.close()
    return manifest


def _kernel_manager_writing_stderr_to(log) -> type:
    """nbclient's kernel manager, starting the kernel with its standard error going to ``log``.

    A kernel stopped mid-cell (Ctrl-C, or a disk fault ending the run)
    prints asyncio's "Task was destroyed but it is pending!" as it exits;
    that must not follow the one line saying why the run stopped. Whatever
    the kernel prints outside a cell in any other run (a crash at start-up)
    is shown after the run (:func:`_relay_kernel_stderr`).
    """
    from jupyter_client.manager import AsyncKernelManager

    class KernelManagerWithStderrLog(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw["stderr"] = log
            await super()._async_launch_kernel(kernel_cmd, **kw)

    return KernelManagerWithStderrLog


def _relay_kernel_stderr(log, show: bool) -> None:
    """Copy what the kernel printed on standard error to ours (unless ``show`` is False), close ``log``."""
    with log:
        if show:
            log.seek(0)
            text = log.read().decode("utf-8", errors="replace")
            if text:
                sys.stderr.write(text)
                sys.stderr.flush()


def _preflight(corpus_path: Path) -> None:
    """Check the corpus and its alias table before any kernel starts.

    The same checks run again inside the notebook; here they fail in a second
    with the corpus module's message instead of as a failed cell.
    """
    from analysis.corpus.reading import read_corpus
    from analysis.measures.name_matching import load_aliases

    read_corpus(corpus_path)
    load_aliases(corpus_path if corpus_path.is_dir() else corpus_path.parent)


def models_used(parameters: dict) -> dict[str, str]:
    """Names and versions of the spaCy pipeline and sentence encoder a run with ``parameters`` uses."""
    from importlib import metadata

    from analysis.overlap.embedding_model import model_info
    from analysis.resources import resolve_spacy_model

    spacy_model = resolve_spacy_model(parameters.get("spacy_model", "auto"))
    models = {"spacy_model": spacy_model,
              "spacy_model_version": metadata.version(spacy_model.replace("_", "-"))}
    models.update(model_info(parameters.get("embedding_backend", "numpy")))
    return models


def _executed_parameters(executed: Path) -> dict:
    """Parameter values the notebook actually ran with (defaults plus injected)."""
    import nbformat
    import papermill

    nb = nbformat.read(str(executed), as_version=4)
    values = {}
    for name, spec in papermill.inspect_notebook(str(executed)).items():
        try:
            values[name] = ast.literal_eval(spec["default"])
        except (ValueError, SyntaxError):
            values[name] = spec["default"]
    for cell in nb.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            tree = ast.parse(cell.source)
            for node in tree.body:
                if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                    values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def figure_records(report_dir: Path) -> list[dict]:
    """The figure index the notebook wrote in ``report_dir`` (``figures/figures.csv``) as manifest records.

    One record per figure: ``id``, ``caption``, ``alt`` and ``files`` (paths
    relative to ``report_dir``); none without an index. Raises
    :class:`ReportError` if the index lists a file that was not written.
    """
    from analysis.tables import read_table

    index = report_dir / "figures" / FIGURE_INDEX
    if not index.is_file():
        return []
    table = read_table(index)
    missing = [name for names in table["files"] for name in names.split()
               if not (report_dir / "figures" / name).is_file()]
    if missing:
        raise ReportError(f"figures/{FIGURE_INDEX} lists files that were not written: {', '.join(missing)}. "
                          "A report notebook must end with report.wait_for_figures().")
    return [{"id": r.fig_id, "caption": r.caption, "alt": r.alt, "files": [f"figures/{f}" for f in r.files.split()]}
            for r in table.itertuples(index=False)]
