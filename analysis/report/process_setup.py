"""How the processes that run a report are set up: imports they skip, options of the kernel.

:func:`skip_unused_imports` is called by the processes that import papermill to
run reports (``parallax report``, ``parallax batch`` and its workers) before
they import it; never on import, so a notebook or script is left alone.
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
