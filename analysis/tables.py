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


def require_columns(table, columns, what: str = "table") -> None:
    """Raise ValueError unless ``table`` is a DataFrame holding ``columns``.

    Parameters
    ----------
    table : object
        What a caller passed as a table.
    columns : iterable of str
        Columns the caller needs.
    what : str
        How to name the table in the message ("corpus table", "passages" ...).
    """
    if not isinstance(table, pd.DataFrame):
        raise ValueError(f"{what} must be a pandas DataFrame, got {type(table).__name__}")
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"{what} is missing column(s) {missing}")


def check_corpus_table(docs, columns=("doc_id", "body")) -> None:
    """Raise ValueError unless ``docs`` is a corpus table: ``columns`` present,
    ``doc_id`` unique, and ``body`` (when required) holding strings."""
    require_columns(docs, columns, "corpus table")
    if docs["doc_id"].duplicated().any():
        dupes = sorted(docs.loc[docs["doc_id"].duplicated(), "doc_id"].astype(str).unique())
        raise ValueError(f"corpus table has duplicate doc_id(s): {dupes[:5]}")
    if "body" in columns:
        bad = [str(d) for d, b in zip(docs["doc_id"], docs["body"]) if not isinstance(b, str)]
        if bad:
            raise ValueError(f"corpus table body must be a string (use \"\" for no text); "
                             f"not a string for {bad[:5]}")
