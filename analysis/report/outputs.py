"""Output folders: what ``--out`` may replace, one writer per folder, atomic replacement.

A report (or ``parallax analyze`` tables) is written into a staging folder of
its own and moved into place only when complete, so the folder named by
``--out`` always holds either the previous output or the new one, never a mix.
:class:`OutputFolder` does the whole protocol:

1. **What may be replaced** (:func:`analysis.report.output_guard.check_output_folder`):
   a folder that does not exist yet, an empty folder, or a folder the kit
   wrote itself (its ``manifest.json`` says so and lists every file in the
   folder). Anything else is refused, naming the folder and the first
   unexpected file: ``--out thesis`` never deletes ``thesis/thesis.docx``.
   ``--out`` equal to the corpus, inside it or above it, an existing file and
   a symbolic link are refused too.
2. **One writer per folder** (:func:`acquire_lock`): an ``fcntl.flock`` lock on
   ``<parent>/.<name>.parallax-lock``, held for the whole run. A second run
   on the same folder says it is waiting and waits, or with ``wait=False``
   (``--no-wait``) fails at once with :class:`~analysis.errors.OutputBusyError`.
   The lock files stay on disk by design: deleting a lock file while another
   run waits on it would let a third run lock a new file of the same name and
   write alongside. The kernel releases the lock when its holder dies,
   however it dies.
3. **Staging** (:func:`make_staging`): each run writes into its own
   ``<parent>/.<name>.parallax-staging-XXXXXXXX`` (same file system, so the
   final move is a rename). Staging folders left by a killed run are removed
   by the next run that takes the lock (:func:`remove_leftovers`).
4. **Replacement** (:meth:`OutputFolder.commit`): the folder is checked once
   more, the old output renamed aside to ``<parent>/.<name>.parallax-retired-XXXXXXXX``,
   the staging folder renamed to ``<out>``, the old output deleted. If the
   second rename fails the old output is renamed back; a run killed between
   the two renames leaves the old output in the retired folder, and the next
   run that takes the lock puts it back.
5. **Failed runs** keep their notebook in ``<out>.failed/`` (:meth:`OutputFolder.keep_failed`),
   marked by a ``.parallax-failed`` file; a ``<out>.failed`` without that
   marker is not the kit's and is never replaced
   (:func:`analysis.report.output_guard.check_failed_folder`).

Every operating-system error while the folder is prepared, written or
replaced ends as an :class:`~analysis.errors.OutputError` naming the path
and the error (exit status 3), with the staging folder removed and the old
output untouched.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import os
import shutil
import sys
import tempfile
from pathlib import Path

from analysis.corpus.inputs import printable
from analysis.errors import OutputBusyError, OutputError
from analysis.report.output_guard import (
    FAILED_MARKER, check_failed_folder, check_output_folder, failed_path, output_path,
)

LOCK_SUFFIX = ".parallax-lock"
STAGING_MARK = ".parallax-staging-"
RETIRED_MARK = ".parallax-retired-"

#: Errors of a cell that mean the disk, not the analysis, failed: reported as
#: an :class:`OutputError` (exit 3), not as a failed notebook to inspect.
DISK_FAULTS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EIO})


def lock_path(out: Path) -> Path:
    """``<parent>/.<name>.parallax-lock``: the lock file of output folder ``out``."""
    return out.parent / f".{out.name}{LOCK_SUFFIX}"


def acquire_lock(out: Path, wait: bool = True) -> int:
    """Take the lock of output folder ``out`` (:func:`lock_path`); return its file descriptor.

    The parent folder is created if needed. Close the descriptor (or let the
    process end) to release the lock.

    Parameters
    ----------
    out : pathlib.Path
        From :func:`analysis.report.output_guard.output_path`.
    wait : bool
        When another run holds the lock: print one line on standard error and
        wait for it (True), or fail at once (False).

    Raises
    ------
    OutputBusyError
        ``wait`` is False and another run holds the lock.
    OSError
        The parent folder or the lock file cannot be created.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(out)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                raise OutputBusyError(f"{printable(out)}: another parallax run is writing this folder "
                                      f"(it holds {printable(path.name)}); try again when it has finished, "
                                      "or leave out --no-wait to wait for it") from None
            print(f"waiting for another parallax run writing {printable(out)}", file=sys.stderr, flush=True)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def remove_leftovers(out: Path) -> None:
    """Remove the staging folders of runs on ``out`` that were killed; restore a retired output.

    Call only while holding ``out``'s lock: no live run then owns them. An
    old output renamed aside by a run killed before it put the new one in
    place is renamed back when ``out`` is missing, deleted otherwise.
    """
    for mark in (RETIRED_MARK, STAGING_MARK):
        for leftover in sorted(out.parent.glob(f".{glob.escape(out.name)}{mark}*")):
            if not leftover.is_dir() or leftover.is_symlink():
                continue
            if mark == RETIRED_MARK and not (out.exists() or out.is_symlink()):
                os.rename(leftover, out)
            else:
                shutil.rmtree(leftover)


def clean_leftovers(out: str | Path) -> bool:
    """:func:`remove_leftovers` for ``out`` if no run holds its lock now; return whether it could."""
    out = output_path(out)
    if not out.parent.is_dir():
        return False
    try:
        descriptor = acquire_lock(out, wait=False)
    except OSError:
        return False
    try:
        remove_leftovers(out)
    except OSError:
        return False
    finally:
        os.close(descriptor)
    return True


def make_staging(out: Path) -> Path:
    """A new, unique staging folder beside ``out`` (mode as ``mkdir`` would give it)."""
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}{STAGING_MARK}", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    return staging


def is_disk_fault(message: str) -> bool:
    """Whether an error message (an ``OSError`` printed by Python) names one of :data:`DISK_FAULTS`."""
    return any(f"[Errno {code}]" in message for code in DISK_FAULTS)


class OutputFolder:
    """Guard, lock, stage and replace one output folder (see the module docstring).

    Use as a context manager; write into :attr:`staging`, then call
    :meth:`commit` (or :meth:`keep_failed`). Leaving the block any other way
    removes the staging folder, releases the lock and leaves ``out`` as it
    was; an ``OSError`` leaving it becomes an :class:`OutputError`.

    Parameters
    ----------
    out : str or pathlib.Path
        The folder named by ``--out``.
    corpus : str or pathlib.Path, optional
        The corpus the run reads (``out`` must not overlap it).
    wait : bool
        Wait for another run writing ``out`` (True) or fail at once (False).

    Examples
    --------
    >>> with OutputFolder(out, corpus) as folder:  # doctest: +SKIP
    ...     write_everything(folder.staging)
    ...     folder.commit()
    """

    def __init__(self, out: str | Path, corpus: str | Path | None = None, wait: bool = True) -> None:
        self.given = out
        self.out = output_path(out)
        self.corpus = corpus
        self.wait = wait
        self.failed = failed_path(self.out)
        self.staging: Path | None = None
        self._lock: int | None = None

    def __enter__(self) -> OutputFolder:
        # Refused before waiting for a lock or creating anything; checked again under the lock.
        self._check()
        try:
            self._lock = acquire_lock(self.out, self.wait)
            self._check()
            remove_leftovers(self.out)
            self.staging = make_staging(self.out)
        except OSError as exc:
            self._release()
            raise self._as_output_error(exc) from None
        except BaseException:
            self._release()
            raise
        return self

    def _check(self) -> None:
        check_output_folder(self.out, self.corpus)
        check_failed_folder(self.failed)

    def commit(self) -> Path:
        """Put the staging folder in place of ``out``; return ``out``.

        Also removes a ``<out>.failed`` folder of an earlier failed run: it no
        longer describes the folder's state.
        """
        self._check()  # someone may have put a file into it during the run
        staging, out = self.staging, self.out
        retired = None
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}{RETIRED_MARK}", dir=out.parent))
            os.rename(out, retired)  # onto the empty folder mkdtemp made: a rename may replace one
        try:
            os.rename(staging, out)
        except OSError:
            if retired is not None:
                os.rename(retired, out)
            raise
        self.staging = None
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)  # what remains is removed by the next run
        if self.failed.is_dir():
            shutil.rmtree(self.failed, ignore_errors=True)
        return out

    def keep_failed(self) -> Path | None:
        """Move the staging folder to ``<out>.failed`` for inspection; return it (None if it cannot be kept)."""
        staging = self.staging
        try:
            (staging / FAILED_MARKER).write_text("written by parallax: the notebook of a failed run\n",
                                                 encoding="utf-8")
            if self.failed.is_dir():
                shutil.rmtree(self.failed)  # checked to be the kit's own under the lock
            os.rename(staging, self.failed)
        except OSError:
            return None
        self.staging = None
        return self.failed

    def __exit__(self, exc_type, exc, traceback) -> bool:
        try:
            if self.staging is not None:
                shutil.rmtree(self.staging, ignore_errors=True)
                self.staging = None
        finally:
            self._release()
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise self._as_output_error(exc) from None
        return False

    def _release(self) -> None:
        if self._lock is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock)
            self._lock = None

    def _as_output_error(self, exc: OSError) -> OSError:
        if isinstance(exc, OutputError):
            return exc
        where = f" ({printable(exc.filename)})" if exc.filename else ""
        reason = exc.strerror or str(exc) or type(exc).__name__
        return OutputError(f"{printable(self.given)}: could not be written: {reason}{where}; "
                           "nothing was changed there")
