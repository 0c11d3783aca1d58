"""How the processes that run a report are set up: imports they skip, options of the kernel.

:func:`skip_unused_imports` is called by the processes that import papermill to
run reports (``parallax report``, ``parallax batch`` and its workers) before
they import it; never on import, so a notebook or script is left alone.
:data:`KERNEL_ARGUMENTS` are the report kernel's command-line options
(:func:`analysis.report.run.run_report`): they change how fast it runs, never
what it computes.
"""

from __future__ import annotations

import sys

#: Modules a dependency imports if they are installed although a report never uses them.
#: nbformat (so papermill) imports jsonschema, which imports rfc3987_syntax for its "iri"
#: format check; rfc3987_syntax compiles about 40 Lark grammars as it is imported: 1.4 s
#: of CPU, more than half of a whole bare papermill round trip
#: (python-jsonschema/jsonschema#1428; measured with bench/bench_report.py). No schema the
#: kit validates uses the "iri" formats (nbformat's use no "format" at all), so jsonschema
#: goes without that check, as it does when the package is not installed.
UNUSED_IMPORTS = ("rfc3987_syntax",)


def skip_unused_imports() -> None:
    """Make :data:`UNUSED_IMPORTS` import as not installed in this process (unless already imported).

    Call it before papermill is imported.
    """
    for name in UNUSED_IMPORTS:
        sys.modules.setdefault(name, None)  # importing a None entry raises ImportError


#: Thresholds of Python's cyclic garbage collector in the report kernel (gc.set_threshold;
#: Python's default is (700, 10, 10)). The analysis allocates millions of small objects
#: (spaCy tokens, pandas rows, the 126,052-word pronouncing dictionary) that live until
#: the end, and with the default every 700 allocations start a collection that walks
#: them again. Measured by running the notebook's cells in one process: on 100 BBC News
#: articles from ../shared/benchmarks (bench_report_scale's sample), collections took
#: 1.5 s of 26.6 s CPU, 1.2 s of it in 9 full ones; with these 0.6 s (24.4 s CPU) and a
#: peak of 519 MB instead of 575 MB. On the seeds 1.0-1.1 s -> 0.4 s (cell CPU 10.8 -> 9.9 s).
#: Garbage in reference cycles is still collected, after more allocations.
KERNEL_GC_THRESHOLD = (50_000, 20, 20)

#: The report kernel's options (ipykernel's command line): quiet logging (ipykernel logs a
#: TCP warning at start and an interrupt at shutdown, noise in a report; a failing cell is
#: still reported, by papermill) and :data:`KERNEL_GC_THRESHOLD`, set before the first cell
#: without adding a name to the notebook's namespace or a cell to its history.
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=CRITICAL",
                    f"--IPKernelApp.exec_lines=__import__('gc').set_threshold{KERNEL_GC_THRESHOLD}")
