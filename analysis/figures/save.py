"""Saving figures: stable ids, three formats, byte-identical on re-run.

:func:`save_figure` writes one figure; :class:`BackgroundFigureWriter` writes
them in a helper process, so a notebook goes on with its analysis while the
files render on a second core.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import queue
import re
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure

from analysis.errors import ParallaxError
from analysis.figures import RC_PARAMS, drawing

#: Formats every figure is saved in, and the resolution of the raster one.
FORMATS = ("png", "svg", "pdf")
PNG_DPI = 300
_ID = re.compile(r"^fig-\d{2}-[a-z0-9]+(-[a-z0-9]+)*$")
#: The figure worker's garbage-collector thresholds (gc.set_threshold; Python's default is
#: (700, 10, 10)): matplotlib allocates many small objects per figure, and with the default
#: 330 collections ran while the seeds report's 9 figures were saved; with these, 4, and
#: saving took 4-5 % less CPU (5.85 -> 5.61 s and 6.05 -> 5.71 s in two interleaved runs).
#: The worker holds one figure at a time, so memory is not at stake.
WORKER_GC_THRESHOLD = (50_000, 20, 20)

#: Settings while a figure is written: the kit's (:data:`analysis.figures.RC_PARAMS`)
#: and a fixed salt for SVG element ids, which are random unless salted.
SAVE_RC_PARAMS = {**RC_PARAMS, "svg.hashsalt": "parallax"}


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
    layout = fig.get_layout_engine()
    try:
        with drawing(fig, SAVE_RC_PARAMS):  # once for the three formats (3 % of the time saved)
            for name in record.files:
                path = directory / name
                fmt = path.suffix[1:]
                tmp = path.with_name(path.name + ".tmp")
                fig.savefig(tmp, format=fmt, dpi=PNG_DPI if fmt == "png" else None, metadata=_metadata(fmt))
                tmp.replace(path)
                # The first format fixed the layout; the others reuse it (a fifth of the time saved).
                fig.set_layout_engine("none")
    finally:
        fig.set_layout_engine(layout)
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


class FigureSaveError(ParallaxError, RuntimeError):
    """A figure could not be written by the background writer."""


#: The figure worker's command: ``python -m analysis.figures.save``, ignoring SIGINT from
#: its first instruction. Ctrl-C in a terminal reaches it, and so does jupyter_client's
#: interrupt of the kernel's process group before it shuts a kernel down (as when a batch
#: is stopped); with ``-m`` it would arrive during the second or two of importing
#: matplotlib and print a KeyboardInterrupt traceback. The worker ends when its input closes.
_WORKER_BOOTSTRAP = ("import signal; signal.signal(signal.SIGINT, signal.SIG_IGN); import runpy; "
                     "runpy.run_module('analysis.figures.save', run_name='__main__', alter_sys=True)")


class BackgroundFigureWriter:
    """Save figures with :func:`save_figure` in one helper process.

    A figure in three formats takes about half a second to render, and a
    report has several; the notebook needs none of those files to go on. Each
    :meth:`submit` pickles the figure (matplotlib figures pickle) and sends it
    to one worker process (``python -m analysis.figures.save``), which saves
    figures in the order they came, so a figure saved twice under one id ends
    with the later version. :meth:`wait` returns once every file is on disk and
    raises if any failed. The worker saves with the same
    :data:`SAVE_RC_PARAMS` (settings and SVG salt), so the files are the bytes
    :func:`save_figure` writes in-process.

    The worker is a plain subprocess, not :mod:`multiprocessing`: spawning
    that way re-imports the caller's ``__main__``, which breaks in scripts
    without a ``__main__`` guard.
    """

    def __init__(self) -> None:
        self._worker: subprocess.Popen | None = None
        self._threads: list[threading.Thread] = []
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._pending: list[str] = []
        self._done: dict[int, str | None] = {}  # job -> error, filled by the result thread

    def submit(self, fig: Figure, directory: str | Path, fig_id: str, caption: str, alt: str) -> FigureRecord:
        """Queue ``fig`` to be saved; same parameters and record as :func:`save_figure`.

        The id, caption and alt text are checked now, so a bad one fails in the
        caller's cell; the figure is pickled now, so later changes to it are
        not saved. Never blocks on the worker (a thread feeds it), except for
        a figure that cannot be pickled: that one is saved here, once the
        figures queued before it are written.
        """
        record = figure_record(fig_id, caption, alt)
        try:
            figure = pickle.dumps(fig)
        except Exception:  # noqa: BLE001 - e.g. a tick formatter that is a lambda
            # Save it here instead, after what is queued, so that the newest version of an id wins.
            self.wait()
            return save_figure(fig, directory, fig_id, caption, alt)
        self.start()
        self._jobs.put((len(self._pending), figure, str(directory), fig_id, caption, alt))
        self._pending.append(fig_id)
        return record

    def wait(self) -> None:
        """Block until every queued figure is written, then stop the worker.

        Raises
        ------
        FigureSaveError
            Naming the first figure that failed and why.
        """
        if self._worker is None:
            return
        worker, threads, pending = self._worker, self._threads, self._pending
        self._worker, self._threads, self._pending = None, [], []
        self._jobs.put(None)  # the feeder closes the worker's input: it finishes and exits
        returncode = worker.wait()
        for thread in threads:
            thread.join()
        worker.stdout.close()
        done, self._done = self._done, {}
        for job, fig_id in enumerate(pending):
            if job not in done:
                raise FigureSaveError(f"figure {fig_id} was not saved: the figure writer process stopped "
                                      f"(exit code {returncode}); see its messages above")
            if done[job] is not None:
                raise FigureSaveError(f"figure {fig_id} could not be saved: {done[job]}")

    def start(self) -> None:
        """Start the worker now (it imports matplotlib meanwhile); :meth:`submit` does it otherwise."""
        if self._worker is not None:
            return
        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [package_root] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])}
        self._worker = subprocess.Popen([sys.executable, "-c", _WORKER_BOOTSTRAP], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._threads = [
            threading.Thread(target=self._feed, args=(self._worker.stdin,), name="parallax-figure-jobs", daemon=True),
            threading.Thread(target=self._collect, args=(self._worker.stdout,), name="parallax-figure-results",
                             daemon=True)]
        for thread in self._threads:
            thread.start()

    def _feed(self, jobs) -> None:
        """Send queued jobs to the worker until the ``None`` that :meth:`wait` puts."""
        broken = False
        while (job := self._jobs.get()) is not None:
            if broken:
                continue  # the worker has stopped; wait() names the unsaved figures
            try:
                pickle.dump(job, jobs)
                jobs.flush()
            except OSError:
                broken = True
        with contextlib.suppress(OSError):
            jobs.close()

    def _collect(self, results) -> None:
        """Read ``(job, error or None)`` pairs until the worker closes its output."""
        while True:
            try:
                job, error = pickle.load(results)
            except (EOFError, OSError, pickle.UnpicklingError):
                return
            self._done[job] = error


def _serve() -> None:
    """The worker's loop: save each pickled figure from stdin, report ``(job, error)`` on stdout.

    Ctrl-C in a terminal reaches the whole process group, this worker too; it
    ignores it (no KeyboardInterrupt traceback on the user's terminal) and
    ends when its parent closes its input, as the parent does when it stops.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*WORKER_GC_THRESHOLD)
    jobs, results = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # stray prints must not corrupt the result stream
    while True:
        try:
            job, figure, directory, fig_id, caption, alt = pickle.load(jobs)
        except EOFError:
            return
        try:
            save_figure(pickle.loads(figure), directory, fig_id, caption, alt)
            error = None
        except Exception as exc:  # noqa: BLE001 - reported to the caller, who raises
            error = f"{type(exc).__name__}: {exc}"
        pickle.dump((job, error), results)
        results.flush()


if __name__ == "__main__":
    _serve()
