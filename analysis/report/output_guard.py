"""Output folders: what ``--out`` may replace.

The first step of the output protocol (:class:`analysis.report.outputs.OutputFolder`):
:func:`check_output_folder` accepts a folder that does not exist yet, an empty
folder, or a folder the kit wrote itself: its ``manifest.json`` says so
(``"generator": "parallax"``, or the manifest format written before that key
existed) and lists every file in the folder. Anything else is refused, naming
the folder and the first unexpected file: ``--out thesis`` never deletes
``thesis/thesis.docx``. ``--out`` equal to the corpus, inside it or above it,
an existing file and a symbolic link are refused too.
:func:`check_failed_folder` does the same for ``<out>.failed``, which a failed
run's notebook replaces only when it carries the kit's marker file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from analysis.corpus.inputs import printable
from analysis.errors import OutputError

MANIFEST_NAME = "manifest.json"  # the same name as analysis.report.manifest.MANIFEST_NAME (that module imports pandas)
#: The figure index in ``figures/`` (written by :class:`analysis.report.publish.Publisher`, which imports matplotlib).
FIGURE_INDEX = "figures.csv"
#: What every manifest written by the kit says it was written by.
GENERATOR = "parallax"
#: The one manifest format written before :data:`GENERATOR` was recorded.
LEGACY_MANIFEST_VERSION = 1
#: Files and folders other programs drop into a folder they show (Finder,
#: JupyterLab); they never make a report folder foreign.
TOLERATED_NAMES = frozenset({".DS_Store", ".ipynb_checkpoints"})
FAILED_SUFFIX = ".failed"
#: The file that marks a ``<out>.failed`` folder as written by the kit.
FAILED_MARKER = ".parallax-failed"


def output_path(out: str | Path) -> Path:
    """``out`` as an absolute path whose parent is resolved and whose last part is kept as given.

    The last part is not resolved, so that a symbolic link named by ``--out``
    can be recognised (and refused) rather than followed.

    Raises
    ------
    OutputError
        ``out`` is the root of the file system.
    """
    absolute = Path(os.path.abspath(Path(out).expanduser()))
    if not absolute.name:
        raise OutputError(f"{printable(out)}: the root folder cannot be an output folder")
    return absolute.parent.resolve() / absolute.name


def failed_path(out: Path) -> Path:
    """``<out>.failed``: where a failed run's notebook is kept."""
    return out.with_name(out.name + FAILED_SUFFIX)


def _tolerated(relative: str) -> bool:
    return any(part in TOLERATED_NAMES for part in relative.split("/"))


def folder_entries(folder: Path):
    """Every file and symbolic link under ``folder``, hidden ones included, as relative POSIX paths.

    Walks top-down in name order without following links (a link to a folder
    is one entry), so a caller can stop at the first entry it does not expect.
    Folders themselves are not entries.
    """
    for top, dirs, files in os.walk(folder, onerror=_raise):
        dirs.sort()
        base = Path(top).relative_to(folder)
        links = [d for d in dirs if os.path.islink(os.path.join(top, d))]
        dirs[:] = [d for d in dirs if d not in links]
        for name in sorted(files + links):
            yield (base / name).as_posix()


def _raise(exc: OSError) -> None:
    raise exc


def manifest_outputs(manifest: object) -> set[str] | None:
    """The output paths a manifest written by the kit lists, or ``None`` when it is not one.

    Accepted: a JSON object saying ``"generator": "parallax"``, or the older
    format without that key (``manifest_version`` 1 with ``fingerprint``,
    ``inputs`` and ``outputs``). The outputs are records with a ``path``.
    """
    if not isinstance(manifest, dict):
        return None
    legacy = (manifest.get("manifest_version") == LEGACY_MANIFEST_VERSION and "generator" not in manifest
              and isinstance(manifest.get("fingerprint"), str) and isinstance(manifest.get("inputs"), list))
    if manifest.get("generator") != GENERATOR and not legacy:
        return None
    outputs = manifest.get("outputs", [])
    if not isinstance(outputs, list):
        return None
    return {r["path"] for r in outputs if isinstance(r, dict) and isinstance(r.get("path"), str)}


def _relation_to_corpus(out: Path, corpus: Path) -> str:
    """How ``out`` overlaps the corpus ("" when it does not)."""
    out_real, corpus_real = out.resolve(), corpus.resolve()
    if out_real == corpus_real:
        return "is the corpus"
    if out_real in corpus_real.parents:
        return "holds the corpus"
    if corpus.is_dir() and corpus_real in out_real.parents:
        return "is inside the corpus"
    return ""


def check_output_folder(out: str | Path, corpus: str | Path | None = None) -> Path:
    """Refuse an output path the kit must not replace.

    Parameters
    ----------
    out : str or pathlib.Path
        The folder named by ``--out``.
    corpus : str or pathlib.Path, optional
        The corpus folder or file the run reads.

    Returns
    -------
    pathlib.Path
        ``out`` made absolute (:func:`output_path`): a folder that does not
        exist, is empty, or is a folder the kit wrote (see
        :func:`manifest_outputs`) holding only files its manifest lists
        (and :data:`TOLERATED_NAMES`).

    Raises
    ------
    OutputError
        ``out`` is the corpus, inside it or above it; an existing file; a
        symbolic link; a folder that is not the kit's (named with its first
        unexpected file); or cannot be read.
    """
    path = output_path(out)
    shown = printable(out)
    if path.is_symlink():
        raise OutputError(f"{shown}: is a symbolic link; give the folder it points to, or another name")
    if corpus is not None:
        relation = _relation_to_corpus(path, Path(corpus))
        if relation:
            raise OutputError(f"{shown}: {relation} ({printable(corpus)}); write the report to a folder "
                              "outside the corpus")
    if not path.exists():
        return path
    if not path.is_dir():
        raise OutputError(f"{shown}: is a file, not a folder; give a new folder name for the output")
    try:
        top = sorted(name for name in os.listdir(path) if name not in TOLERATED_NAMES)
        if not top:
            return path
        manifest_file = path / MANIFEST_NAME
        listed = None
        if manifest_file.is_file() and not manifest_file.is_symlink():
            try:
                listed = manifest_outputs(json.loads(manifest_file.read_text(encoding="utf-8")))
            except (ValueError, UnicodeDecodeError):
                listed = None
        if listed is None:
            raise OutputError(f"{shown}: not a Parallax output folder (no manifest.json written by parallax) "
                              f"and not empty: it holds {printable(top[0])}; nothing was changed. "
                              "Give a new or empty folder")
        for entry in folder_entries(path):
            if entry != MANIFEST_NAME and entry not in listed and not _tolerated(entry):
                raise OutputError(f"{shown}: holds {printable(entry)}, which its manifest.json does not list; "
                                  "the kit replaces only a folder it wrote. Move that file, or give another folder")
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"{shown}: cannot be read ({exc.strerror})") from None
    return path


def check_failed_folder(failed: Path) -> None:
    """Refuse a ``<out>.failed`` path the kit did not write (it is replaced by the next failure).

    Raises
    ------
    OutputError
        It exists and is a file, a symbolic link, or a folder without the
        :data:`FAILED_MARKER` file.
    """
    if not (failed.exists() or failed.is_symlink()):
        return
    if failed.is_symlink() or not failed.is_dir() or not (failed / FAILED_MARKER).is_file():
        raise OutputError(f"{printable(failed)}: exists and was not written by parallax (the kit keeps a "
                          f"failed run's notebook there); move it, or give another --out")

