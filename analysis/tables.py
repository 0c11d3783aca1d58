"""Writing tidy tables: byte-identical CSV for identical data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

#: Significant digits kept for floats: enough for any score the kit reports,
#: few enough that last-bit differences between runs never reach the file.
FLOAT_FORMAT = "%.6g"


def write_table(table: pd.DataFrame, path: str | Path) -> Path:
    """Write ``table`` as UTF-8 CSV with ``\\n`` line ends and no index.

    Parameters
    ----------
    table : pandas.DataFrame
        A tidy table.
    path : str or pathlib.Path
        Destination; parent folders are created. The file is written to a
        temporary name and renamed, so a reader never sees half a table.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    table.to_csv(tmp, index=False, lineterminator="\n", float_format=FLOAT_FORMAT, encoding="utf-8")
    tmp.replace(path)
    return path
