"""Reading a corpus: from a folder of articles to the raw table, one row per document.

A corpus is a folder holding one article per ``.txt`` file (``doc_id`` is the
file stem) and an optional ``sources.csv`` (``doc_id``, ``outlet`` and any other
columns, carried through); ``.csv`` and ``.jsonl`` files with a text column are
accepted too, in the folder or as the corpus path itself.

What is read, and what is refused (article text and file names are untrusted):

- **Inputs and symbolic links.** The files read are those of
  :func:`analysis.corpus.inputs.corpus_files`; a symbolic link leading out of
  the folder, dangling or looping is refused
  (:func:`analysis.corpus.inputs.check_inside_corpus`).
- **Size.** A document of more than :data:`MAX_DOCUMENT_CHARS` characters is
  refused, naming the file (or the table row) and the limit, before any
  analysis starts; a ``.txt`` file too big to hold fewer characters
  (:data:`MAX_FILE_BYTES`), or a table file over :data:`MAX_TABLE_BYTES`, is
  refused from its size alone, before it is read.
- **Encoding.** A ``.txt`` file is decoded by
  :func:`analysis.corpus.decoding.decode_text`; an empty or binary file is refused.
- **Invisible characters.** Bidirectional controls (which make "ybriK" display
  as "Kirby"), zero-width characters and C0/C1 control characters are removed
  from every line, title and outlet (:func:`analysis.corpus.boilerplate.normalize_line`),
  and counted per document (``controls_removed`` in ``documents.csv``): the
  text was altered, visibly.
- **Language.** Each document's language is detected (:mod:`analysis.corpus.language`)
  into the ``language`` column; a ``language`` column of ``sources.csv`` or of
  tabular input may give it instead, as an ISO 639 code (anything else is
  refused, naming the file and row).
- **Names in messages.** Every message naming a file or a doc_id prints it
  through :func:`analysis.corpus.inputs.printable`; a doc_id that cannot be
  shown (blank, or holding control characters) is refused.

The flow is::

    read_corpus(path)  -> raw table: one row per document, the decoded text
    line_table(raw)    -> one row per line: its role (title, body, heading,
                          boilerplate, duplicate, blank) and the rule behind it
                          (analysis.corpus.boilerplate)
    clean_corpus(raw)  -> the corpus table every section uses (title, body ...)
                          (analysis.corpus.cleaning)

:func:`analysis.corpus.cleaning.load_corpus` does all three.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from analysis.errors import CorpusError
from analysis.corpus.boilerplate import normalize_line
from analysis.corpus.decoding import decode_text
from analysis.corpus.inputs import (METADATA_FILES, check_inside_corpus, corpus_error, corpus_files, printable,
                                    read_limited)
from analysis.corpus.language import language_code

#: Column names accepted as the article text in .csv/.jsonl input, in order.
TEXT_COLUMNS = ("text", "body", "content", "article")
#: Columns of the table returned by :func:`read_corpus` before sources.csv's.
RAW_COLUMNS = ["doc_id", "source_file", "encoding", "given_title", "text"]
#: Columns of the corpus table returned by
#: :func:`analysis.corpus.cleaning.clean_corpus`, before the extra columns
#: carried from ``sources.csv`` (input columns may not overwrite them).
CORPUS_COLUMNS = ["doc_id", "label", "outlet", "title", "body", "source_file", "encoding", "language",
                  "n_paragraphs", "n_words", "boilerplate_lines", "duplicate_paragraphs",
                  "controls_removed", "flags"]

#: Most characters one document (a file, a table row's field, a cleaned body)
#: may have. The longest article of the benchmark sets has 25,485 characters
#: (BBC, 2,225 articles; Reuters-21578's longest of 19,043 stories has 13,396);
#: a 30,000-word long read has about 180,000. Parsing is what a longer text
#: costs: en_core_web_sm took 27.6 s and 0.52 GB peak for 100,000 characters of
#: BBC text and 100 s and 1.5 GB for 400,000 (the 2-core development machine),
#: so spaCy's own ceiling (``nlp.max_length``, 1,000,000, which analysis/text/nlp.py
#: keeps; [E088] beyond it) would mean about 3.5 GB and 4 minutes for one
#: document. A longer text is refused up front, naming it.
MAX_DOCUMENT_CHARS = 200_000
#: A ``.txt`` file of more bytes holds more than MAX_DOCUMENT_CHARS characters
#: in any encoding the kit reads (4 bytes a character at most), so it is
#: refused from its size, before it is read into memory.
MAX_FILE_BYTES = 4 * MAX_DOCUMENT_CHARS
#: Largest ``.csv``/``.jsonl`` file read (corpus table, ``sources.csv``): eight
#: times the text of all 19,043 Reuters-21578 stories (about 16 MB), far more
#: than any one story's coverage; refused from its size before pandas reads it.
MAX_TABLE_BYTES = 128 * 2**20


def check_document_length(text: str, where: str) -> None:
    """Refuse a text longer than :data:`MAX_DOCUMENT_CHARS`.

    Parameters
    ----------
    text : str
        A document, a field of a table row, or a cleaned body.
    where : str
        Starts the message: what the text is and where it is from.

    Raises
    ------
    CorpusError
        The text has more than :data:`MAX_DOCUMENT_CHARS` characters.
    """
    if len(text) > MAX_DOCUMENT_CHARS:
        raise CorpusError(f"{where} {len(text):,} characters; the limit is {MAX_DOCUMENT_CHARS:,} per document "
                          "(is it one article? split it, or trim what is not the article)")


def _check_doc_id(doc_id: str, source: object) -> None:
    """Refuse a doc_id that tables and messages cannot show as it is: blank or holding controls."""
    if not doc_id.strip() or printable(doc_id) != doc_id:
        raise corpus_error(source, f"doc_id '{printable(doc_id)}' cannot be shown (it is blank or holds control "
                                   "characters); rename the file or change the doc_id")


def read_corpus(path: str | Path) -> pd.DataFrame:
    """Read every article of a corpus folder (or one .csv/.jsonl file).

    Parameters
    ----------
    path : str or pathlib.Path
        A folder of ``.txt`` (and/or ``.csv``/``.jsonl``) articles with an
        optional ``sources.csv``, or a single ``.csv``/``.jsonl`` file. The
        files read are those of :func:`analysis.corpus.inputs.corpus_files`.

    Returns
    -------
    pandas.DataFrame
        One row per document, sorted by ``doc_id``: ``doc_id``, ``source_file``
        (path relative to the corpus), ``encoding``, ``given_title`` (a title
        column of tabular input, else empty), ``text`` (decoded, ``\\n`` line
        ends), then ``outlet`` and every other column of ``sources.csv``.

    Raises
    ------
    CorpusError
        Missing path, unreadable, empty, binary or oversized files (see
        :data:`MAX_DOCUMENT_CHARS`), symbolic links leading out of the folder,
        no documents, a blank or unprintable or duplicate ``doc_id``, or a
        ``sources.csv`` that does not match the documents.
    """
    root = Path(path)
    if not root.exists():
        check_inside_corpus(root, root.parent)  # a dangling or looping link says so
        raise corpus_error(root, "no such corpus folder or file")
    files = corpus_files(root)
    if root.is_dir():
        base, articles = root, [f for f in files if f.name.lower() not in METADATA_FILES]
    else:
        base, articles = root.parent, [root]
    rows: list[dict] = []
    for file in articles:
        if file.suffix.lower() == ".txt":
            data = read_limited(file, MAX_FILE_BYTES, "document (a text of at most "
                                f"{MAX_DOCUMENT_CHARS:,} characters takes at most that)")
            text, encoding = decode_text(data, str(file))
            check_document_length(text, f"{printable(file)}:")
            _check_doc_id(file.stem, file)
            rows.append({"doc_id": file.stem, "source_file": file.relative_to(base).as_posix(),
                         "encoding": encoding, "given_title": "", "text": text})
        elif file.suffix.lower() in {".csv", ".jsonl"}:
            rows.extend(_read_table_file(file, base))
        else:
            raise corpus_error(file, "not a corpus file (expected .txt, .csv or .jsonl)")
    if not rows:
        raise corpus_error(root, "no documents found (expected .txt files, or .csv/.jsonl with a text column)")
    raw = pd.DataFrame(rows, columns=RAW_COLUMNS + [c for c in rows[0] if c not in RAW_COLUMNS])
    duplicated = raw.loc[raw["doc_id"].duplicated(), "doc_id"].tolist()
    if duplicated:
        raise corpus_error(root, f"more than one document has doc_id {', '.join(map(repr, duplicated))}")
    raw = raw.sort_values("doc_id", kind="stable").reset_index(drop=True)
    if base / "sources.csv" in files:
        raw = _merge_sources(raw, base / "sources.csv")
    if "outlet" not in raw.columns:
        raw["outlet"] = ""
    raw["outlet"] = raw["outlet"].fillna("").astype(str).str.strip()
    return raw


def _read_table_file(file: Path, base: Path) -> list[dict]:
    """Rows of a .csv or .jsonl corpus file (one document per row)."""
    data = read_limited(file, MAX_TABLE_BYTES, "table file")
    try:
        if file.suffix.lower() == ".csv":
            table = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
        else:
            records = []
            for number, line in enumerate(data.decode("utf-8-sig").splitlines(), start=1):
                if line.strip():
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise corpus_error(file, f"line {number} is not valid JSON ({exc.msg})") from None
                    if not isinstance(record, dict):
                        raise corpus_error(file, f"line {number} is not a JSON object")
                    records.append(record)
            table = pd.DataFrame.from_records(records).fillna("").astype(str)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise corpus_error(file, f"cannot be read as {file.suffix[1:].upper()} ({exc})") from None
    text_column = next((c for c in TEXT_COLUMNS if c in table.columns), None)
    if text_column is None:
        raise corpus_error(file, f"no text column (expected one of {', '.join(TEXT_COLUMNS)}; "
                                 f"found {printable(', '.join(map(str, table.columns))) or 'none'})")
    clash = _reserved([c for c in table.columns if c not in {text_column, "doc_id", "id", "title"}])
    if clash:
        raise corpus_error(file, f"column names reserved by the kit: {', '.join(clash)}")
    _check_languages(table, file)
    rows = []
    for position, record in enumerate(table.to_dict("records")):
        doc_id = str(record.get("doc_id") or record.get("id") or f"{file.stem}-{position + 1:04d}")
        where = f"{printable(file)}: row {position + 1} (doc_id '{printable(doc_id)}')"
        for column, value in record.items():
            check_document_length(str(value), f"{where}: column {printable(column)!r} has")
        _check_doc_id(doc_id, f"{file}: row {position + 1}")
        text = str(record[text_column]).replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise CorpusError(f"{where} has an empty {text_column!r}")
        extra = {k: str(v) for k, v in record.items()
                 if k not in {text_column, "doc_id", "id", "title"}}
        rows.append({"doc_id": doc_id, "source_file": f"{file.relative_to(base).as_posix()}#{position + 1}",
                     "encoding": "utf-8", "given_title": str(record.get("title", "")).strip(),
                     "text": text, **extra})
    return rows


def _merge_sources(raw: pd.DataFrame, sources: Path) -> pd.DataFrame:
    """Join ``sources.csv`` onto the raw table by ``doc_id``."""
    data = read_limited(sources, MAX_TABLE_BYTES, "table file")
    try:
        meta = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise corpus_error(sources, f"cannot be read as CSV ({exc})") from None
    meta.columns = [str(c).strip() for c in meta.columns]
    if "doc_id" not in meta.columns:
        raise corpus_error(sources, f"needs a 'doc_id' column (found {printable(', '.join(meta.columns))})")
    meta["doc_id"] = meta["doc_id"].str.strip()
    repeated = sorted(set(meta.loc[meta["doc_id"].duplicated(), "doc_id"]))
    if repeated:
        raise corpus_error(sources, f"doc_id listed more than once: {printable(', '.join(repeated))}")
    unknown = sorted(set(meta["doc_id"]) - set(raw["doc_id"]))
    if unknown:
        raise corpus_error(sources, f"rows name documents that are not in the corpus: {printable(', '.join(unknown))}")
    clash = _reserved([c for c in meta.columns if c != "doc_id"])
    if clash:
        raise corpus_error(sources, f"column names reserved by the kit: {', '.join(clash)}")
    _check_languages(meta, sources)
    for position, record in enumerate(meta.to_dict("records")):
        for column, value in record.items():
            check_document_length(value, f"{printable(sources)}: row {position + 1}: column {printable(column)!r} has")
    merged = raw.drop(columns=[c for c in meta.columns if c != "doc_id" and c in raw.columns])
    merged = merged.merge(meta, on="doc_id", how="left")
    extra = [c for c in meta.columns if c != "doc_id"]
    merged[extra] = merged[extra].fillna("")
    return merged


def _check_languages(table: pd.DataFrame, file: Path) -> None:
    """Refuse a ``language`` column holding something other than ISO 639 codes (or blanks)."""
    if "language" not in table.columns:
        return
    for position, value in enumerate(table["language"].astype(str)):
        given = normalize_line(value)
        if given and language_code(given) is None:
            raise corpus_error(file, f"row {position + 1}: language {printable(given)!r} is not an ISO 639 code such "
                                     "as en or ru (leave it empty to have the language detected)")


def _reserved(columns) -> list[str]:
    """The given input columns that would overwrite a column the kit computes.

    ``outlet``, ``title`` and ``language`` may be supplied; ``label``, ``body``, the counts
    and ``flags`` of :func:`analysis.corpus.cleaning.clean_corpus` and the raw columns may not.
    """
    reserved = (set(RAW_COLUMNS) | set(CORPUS_COLUMNS)) - {"doc_id", "outlet", "title", "language"}
    return [str(c) for c in columns if c in reserved]
