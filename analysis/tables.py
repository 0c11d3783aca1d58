"""Writing and reading tidy tables: byte-identical CSV for identical data, safe in a spreadsheet.

Researchers open the kit's CSV tables in spreadsheets, and the text in them
(outlets, titles, names, quotations) comes from the articles: it is
untrusted. A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula (``=HYPERLINK("http://evil.example","x")`` becomes a
link, ``+cmd|' /C calc'!A0`` asks to start a program). Following the OWASP
guidance on CSV injection, :func:`write_table` neutralises such cells in the
text columns by putting a single quote in front, which spreadsheets take as
"this cell is text" (see :data:`FORMULA_TRIGGERS` and :func:`neutralise_cell`);
numeric columns are written as they are (-3 stays -3). The exact text stays
recoverable: :func:`read_table` undoes the escape, and a cell that already
started with quotes before a trigger gets one more, so reading back is never
ambiguous.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

#: Significant digits kept for floats: enough for any score the kit reports,
#: few enough that last-bit differences between runs never reach the file.
FLOAT_FORMAT = "%.6g"


def plain_float(value: float, float_format: str = FLOAT_FORMAT) -> str:
    """``value`` in ``float_format``, but never in exponent notation when it is large.

    "%.6g" writes 1e8 as ``1e+08`` and 123456789 as ``1.23457e+08``; a whole
    number is written whole (``100000000``), any other large one as a plain
    decimal of the same significant digits. Small values (``1.5e-07``) keep
    the exponent.
    """
    text = float_format % value
    if "e+" not in text:
        return text
    if float(value).is_integer():
        return "%d" % value
    return np.format_float_positional(value, precision=6, unique=False, fractional=False, trim="-")

#: First characters that make a spreadsheet read a cell as a formula: the
#: OWASP CSV-injection list (= + - @, tab, carriage return), NUL (which OWASP's
#: verification standard adds), and the full-width forms of = + - @, which
#: spreadsheets in East Asian locales convert to their ASCII forms on entry.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: Put in front of a text cell starting with a formula trigger; a spreadsheet
#: shows the rest as text and hides the quote.
TEXT_MARK = "'"


def _needs_mark(text: str) -> bool:
    """Whether ``text``, past any leading :data:`TEXT_MARK` quotes, starts with a trigger."""
    return text.lstrip(TEXT_MARK).startswith(FORMULA_TRIGGERS)


def neutralise_cell(value):
    """``value`` as written to a text column: :data:`TEXT_MARK` in front when needed.

    A string starting with a :data:`FORMULA_TRIGGERS` character, or with
    quotes followed by one, gets one more quote in front; anything else
    (other strings, numbers, missing values) is returned unchanged.
    :func:`restore_cell` is its inverse.
    """
    if isinstance(value, str) and _needs_mark(value):
        return TEXT_MARK + value
    return value


def restore_cell(value):
    """The text :func:`neutralise_cell` was given (the inverse of it)."""
    if isinstance(value, str) and value.startswith(TEXT_MARK) and _needs_mark(value):
        return value[len(TEXT_MARK):]
    return value


def _is_text_column(column: pd.Series) -> bool:
    return column.dtype == object or pd.api.types.is_string_dtype(column.dtype)


def _string_test(column: pd.Series, found: pd.Series | None) -> np.ndarray:
    """``found`` (a ``Series.str`` result: True/False for strings, missing for other cells) as a mask."""
    if found is None:
        return np.zeros(len(column), dtype=bool)
    return found.to_numpy(dtype=bool, na_value=False)


def _str_or_none(column: pd.Series, method: str, *args, **kwargs) -> pd.Series | None:
    """``column.str.<method>(...)``, or None for an object column without a single string."""
    try:
        return getattr(column.str, method)(*args, **kwargs)
    except AttributeError:  # pandas' .str refuses a column that holds no string
        return None


def formula_cells(column: pd.Series) -> np.ndarray:
    """Which cells of a text column :func:`neutralise_cell` changes (vectorised: one ``Series.str`` pass)."""
    stripped = _str_or_none(column, "lstrip", TEXT_MARK)
    starts = None if stripped is None else _str_or_none(stripped, "startswith", FORMULA_TRIGGERS)
    return _string_test(column, starts)


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with every text cell and column name passed through :func:`neutralise_cell`.

    Text columns are those of ``object`` or string dtype; numeric, boolean
    and other columns are left as they are. A text column is changed only
    where a cell needs the mark (:func:`formula_cells`), as a copy.
    """
    out = table.copy()
    for position in range(table.shape[1]):
        column = table.iloc[:, position]
        if _is_text_column(column):
            marked = formula_cells(column)
            if marked.any():
                values = column.to_numpy(dtype=object).copy()  # to_numpy(copy=True) may share a str array's memory
                values[marked] = [TEXT_MARK + value for value in values[marked]]
                out.isetitem(position, pd.Series(values, index=column.index, dtype=object))
    out.columns = [neutralise_cell(name) for name in table.columns]
    return out


def _holds_carriage_return(table: pd.DataFrame) -> bool:
    names = any(isinstance(name, str) and "\r" in name for name in table.columns)
    return names or any(_string_test(column, _str_or_none(column, "contains", "\r", regex=False)).any()
                        for column in (table.iloc[:, i] for i in range(table.shape[1])) if _is_text_column(column))


def write_table(table: pd.DataFrame, path: str | Path, float_format: str | None = FLOAT_FORMAT) -> Path:
    """Write ``table`` as UTF-8 CSV with ``\\n`` line ends and no index, safe to open in a spreadsheet.

    Every CSV file the kit writes goes through here. Text cells (and column
    names) that a spreadsheet would run as a formula get a leading ``'``
    (:func:`neutralise_formulas`); :func:`read_table` gives the exact text back.
    Fields are quoted only where needed, except that a table with a carriage
    return in some text cell has every field quoted, so the cell stays whole.

    Parameters
    ----------
    table : pandas.DataFrame
        A tidy table.
    path : str or pathlib.Path
        Destination; parent folders are created. The file is written to a
        temporary name and renamed, so a reader never sees half a table.
    float_format : str or None
        printf-style format of floats (:data:`FLOAT_FORMAT`), large values
        written as plain decimals (:func:`plain_float`: ``100000000``, not
        ``1e+08``); None writes Python's shortest exact form (``0.0``, ``12.3``).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    safe = neutralise_formulas(table)
    # Python's csv writer quotes a field holding "\n" but not one holding a bare
    # "\r", which a reader then takes for a line end: quote every field then.
    quoting = csv.QUOTE_ALL if _holds_carriage_return(safe) else csv.QUOTE_MINIMAL
    fmt = (lambda v: plain_float(v, float_format)) if float_format else None
    safe.to_csv(tmp, index=False, lineterminator="\n", float_format=fmt, encoding="utf-8",
                quoting=quoting)
    tmp.replace(path)
    return path


def read_table(path: str | Path, **read_csv_options) -> pd.DataFrame:
    """Read a table written by :func:`write_table`, with the exact text of every cell.

    By default every cell is read as the string in the file (``dtype=str``,
    no value taken as missing), so text is exactly what the analysis wrote;
    pass pandas ``read_csv`` options (``dtype=None`` to let pandas infer
    numbers) to change that. The ``'`` that :func:`write_table` put before a
    formula is removed from text cells and column names (:func:`restore_cell`).

    Parameters
    ----------
    path : str or pathlib.Path
        A CSV table the kit wrote (``tables/*.csv``, ``figures/figures.csv``,
        ``batch.csv``).
    **read_csv_options
        Passed to :func:`pandas.read_csv`.

    Returns
    -------
    pandas.DataFrame
    """
    options = {"dtype": str, "keep_default_na": False, "encoding": "utf-8", **read_csv_options}
    table = pd.read_csv(path, **options)
    for position in range(table.shape[1]):
        column = table.iloc[:, position]
        if _is_text_column(column):
            table.isetitem(position, column.map(restore_cell))
    table.columns = [restore_cell(name) for name in table.columns]
    return table


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
