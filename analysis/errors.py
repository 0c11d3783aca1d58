"""The kit's exceptions: one base class, one subclass per kind of fault.

Modelled on papermill's ``exceptions`` module: every fault the kit can
diagnose is a :class:`ParallaxError`, whose message is one line naming the
file or folder and the problem, and whose :attr:`~ParallaxError.exit_code` is
what ``parallax`` exits with. The command line prints ``parallax COMMAND:
error: MESSAGE`` and exits with that code; no traceback reaches the user.

Exit codes (documented in ``docs/reliability.md``):

===  =====================================================================
1    a report could not be produced (a notebook cell or the export failed)
2    bad input: the corpus, a table beside it, or a parameter
3    the output folder was refused, is busy, or could not be written
130  interrupted (Ctrl-C / SIGINT, SIGTERM)
===  =====================================================================
"""

from __future__ import annotations


class ParallaxError(Exception):
    """Base class of every fault the kit reports to its user."""

    #: What ``parallax`` exits with when this error ends a command.
    exit_code = 1


class CorpusError(ParallaxError, ValueError):
    """A corpus cannot be read; the message names the file and the problem."""

    exit_code = 2


class AliasTableError(CorpusError):
    """An ``aliases.csv`` beside a corpus is malformed."""


class InputTableError(ParallaxError, ValueError):
    """A table handed to an analysis function lacks columns or has bad values."""

    exit_code = 2


class ParameterError(ParallaxError, ValueError):
    """A parameter is unknown, of the wrong type, or out of range (named by its public name)."""

    exit_code = 2


class OutputError(ParallaxError, OSError):
    """An output folder was refused (it is not a report, or overlaps the corpus) or could not be written."""

    exit_code = 3


class OutputBusyError(OutputError):
    """Another run holds the output folder's lock."""


class ManifestError(OutputError, ValueError):
    """A report's ``manifest.json`` is missing, not JSON, or not a manifest the kit wrote."""


class ReportError(ParallaxError, RuntimeError):
    """A report could not be produced; the message says which step and why.

    Attributes
    ----------
    cell_index : int or None
        Index of the failing notebook cell, when a cell failed.
    ename : str
        The failing cell's exception name ("" when no cell failed).
    evalue : str
        The failing cell's exception message ("" when no cell failed).
    """

    exit_code = 1

    def __init__(self, message: str, cell_index: int | None = None, ename: str = "", evalue: str = "") -> None:
        super().__init__(message)
        self.cell_index = cell_index
        self.ename = ename
        self.evalue = evalue


class Interrupted(ParallaxError):
    """The run was stopped by SIGINT or SIGTERM; what was being written was removed."""

    exit_code = 130
