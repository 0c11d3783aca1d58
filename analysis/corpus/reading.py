"""Corpus loading and cleaning: from a folder of articles to a corpus table.

A corpus is a folder holding one article per ``.txt`` file (``doc_id`` is the
file stem) and an optional ``sources.csv`` (``doc_id``, ``outlet`` and any other
columns, carried through); ``.csv`` and ``.jsonl`` files with a text column are
accepted too, in the folder or as the corpus path itself.

What is read, and what is refused (article text and file names are untrusted):

- **Inputs.** :func:`corpus_files` is the one list of the files that make up a
  corpus: the ``.txt``, ``.csv`` and ``.jsonl`` files directly in the folder,
  ``sources.csv`` and ``aliases.csv`` included. Sub-folders are not read.
- **Dot files are never documents.** A name starting with ``.`` (``.hidden.txt``,
  ``..txt``, an editor's ``.#a.txt``, ``.DS_Store``) is not an input, as in the
  Unix convention and in the manifest's fingerprint of the inputs. Other backup
  names (``a.txt~``) do not end in an article suffix and are ignored anyway.
- **Symbolic links.** The corpus path itself may be a link (it is resolved
  first). A link in the folder is read only when its target resolves inside
  the corpus folder: that file is part of what the user handed over (and is
  fingerprinted). A link leading out of the folder (``zz.txt -> /etc/passwd``)
  is refused with a :class:`CorpusError` naming the link and its target, as is
  a dangling link or a loop, rather than skipped: silently leaving out a file
  the user put in the folder would publish a report on a different corpus.
  :func:`check_inside_corpus` applies the rule; ``entities.load_aliases`` calls it too.
- **Size.** A document of more than :data:`MAX_DOCUMENT_CHARS` characters is
  refused, naming the file (or the table row) and the limit, before any
  analysis starts; a ``.txt`` file too big to hold fewer characters
  (:data:`MAX_FILE_BYTES`), or a table file over :data:`MAX_TABLE_BYTES`, is
  refused from its size alone, before it is read.
- **Invisible characters.** Bidirectional controls (which make "ybriK" display
  as "Kirby"), zero-width characters and C0/C1 control characters are removed
  from every line, title and outlet, and counted per document
  (``controls_removed`` in ``documents.csv``): the text was altered, visibly.
- **Language.** Each document's language is detected (:mod:`analysis.corpus.language`)
  into the ``language`` column; a ``language`` column of ``sources.csv`` or of
  tabular input may give it instead, as an ISO 639 code (anything else is
  refused, naming the file and row).
- **Names in messages.** Every message naming a file or a doc_id prints it
  through :func:`printable`, so a file name holding terminal escapes cannot
  recolour or rewrite the user's terminal; a doc_id that cannot be shown
  (blank, or holding control characters) is refused.

The flow is::

    read_corpus(path)  -> raw table: one row per document, the decoded text
    line_table(raw)    -> one row per line: its role (title, body, heading,
                          boilerplate, duplicate, blank) and the rule behind it
    clean_corpus(raw)  -> the corpus table every section uses (title, body ...)

:func:`load_corpus` does all three. Every line kept out of the analysed body is
reported with the rule that removed it (:func:`boilerplate_table`): the rules
are general patterns of site furniture, and a line that only half matches one
stays in the body with a flag, so nothing is dropped on a guess.
"""

from __future__ import annotations

import codecs
import errno
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.errors import CorpusError
from analysis.corpus.language import detect_language, document_languages, language_code
from analysis.text.paragraphs import paragraph_spans
from analysis.text.words import count_words, normalise_word, words

#: Files in a corpus folder that are metadata, not articles.
METADATA_FILES = frozenset({"sources.csv", "aliases.csv"})
#: Column names accepted as the article text in .csv/.jsonl input, in order.
TEXT_COLUMNS = ("text", "body", "content", "article")
#: Columns of the table returned by :func:`read_corpus` before sources.csv's.
RAW_COLUMNS = ["doc_id", "source_file", "encoding", "given_title", "text"]
#: Suffixes of the files that make up a corpus (articles and metadata tables).
CORPUS_SUFFIXES = frozenset({".txt", ".csv", ".jsonl"})

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
#: UTF-16 without a byte-order mark (:func:`_decode_utf16_without_bom`): at least this
#: share of one half of the byte pairs is NUL. English text in UTF-16 has a NUL
#: high byte in nearly every character; Russian text still in its spaces,
#: digits and punctuation (about 18% on a news article).
UTF16_MIN_NUL_SHARE = 0.1
#: ... and at most this share of the other half: a character U+xx00 (U+0100
#: "Ā", U+4E00 "一") puts a NUL there now and then; a binary file has many.
UTF16_MAX_STRAY_NUL_SHARE = 0.01
#: A decoded file with more control characters (other than tab, newlines and
#: form feed) than this share of its characters, and more than
#: BINARY_MIN_CONTROLS, is binary, not text. Set by hand with the reader: text
#: copied from web pages carries a stray control character or two; a binary
#: file decoded as cp1252 or latin-1 has several per hundred bytes.
BINARY_CONTROL_SHARE = 0.01
BINARY_MIN_CONTROLS = 2

#: Characters removed from every line, title and outlet (see :func:`normalize_line`):
#: zero-width characters and the BOM; bidirectional marks, embeddings, overrides
#: and isolates (U+200E/F, U+061C, U+202A-E, U+2066-9); C0 and C1 control
#: characters other than tab and newline (tab becomes a space). None of them is
#: text a reader sees; bidi controls make text display in another order than
#: the one analysed, and terminal escapes rewrite a terminal showing a table.
INVISIBLE_CHARACTERS = re.compile(r"[\u200b-\u200f\u2060\ufeff\u061c\u202a-\u202e\u2066-\u2069"
                                  r"\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
#: Characters that become a plain space: non-breaking and typographic spaces,
#: tab, and the control characters Python counts as white space.
SPACE_CHARACTERS = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\x0b\x0c\x1c-\x1f\x85]")
#: Unicode categories :func:`printable` escapes: controls, format characters
#: (bidi, zero-width), lone surrogates (undecodable bytes of a file name),
#: line and paragraph separators.
UNPRINTABLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


# ---------------------------------------------------------------------------
# Reading and decoding
# ---------------------------------------------------------------------------

def printable(name: object) -> str:
    """A file name or doc_id as it may be printed: invisible characters escaped.

    Control and format characters (terminal escapes, bidi controls, zero-width
    characters), lone surrogates (bytes of a file name that are not UTF-8) and
    line separators are written as Python escapes; everything else, accented
    letters and typographic quotes included, is kept.

    Examples
    --------
    >>> printable("a\\x1b[31m\\u202e.txt")
    'a\\\\x1b[31m\\\\u202e.txt'
    """
    return "".join(char.encode("unicode_escape").decode("ascii")
                   if unicodedata.category(char) in UNPRINTABLE_CATEGORIES else char
                   for char in str(name))


def _error(path: object, problem: str) -> CorpusError:
    """A CorpusError naming ``path`` (printed through :func:`printable`) and the problem."""
    return CorpusError(f"{printable(path)}: {problem}")


def check_inside_corpus(path: str | Path, root: str | Path) -> Path:
    """Refuse a symbolic link in a corpus folder that dangles, loops or leads out of it.

    Parameters
    ----------
    path : str or pathlib.Path
        A file of the corpus folder (it need not exist).
    root : str or pathlib.Path
        The corpus folder; it may itself be reached through a link.

    Returns
    -------
    pathlib.Path
        ``path``, unchanged: a file that is not a link, a missing file, or a
        link whose target resolves inside ``root``.

    Raises
    ------
    CorpusError
        Naming the link and where it points, when its target is outside
        ``root`` (``zz.txt -> /etc/passwd``), does not exist, or is a loop.
    """
    path = Path(path)
    if not path.is_symlink():
        return path
    target = printable(os.readlink(path))
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _error(path, f"a symbolic link to {target} that loops and never reaches a file; "
                               "put the file itself in the corpus folder") from None
        if exc.errno == errno.ENOENT:
            raise _error(path, f"a symbolic link to {target}, which does not exist") from None
        raise _error(path, f"a symbolic link to {target} that cannot be followed ({exc.strerror})") from None
    resolved = Path(os.path.realpath(path))
    if not resolved.is_relative_to(Path(root).resolve()):
        raise _error(path, f"a symbolic link to {printable(resolved)}, outside the corpus folder "
                           f"{printable(root)}; refused: copy the file into the folder if it belongs to the corpus")
    return path


def corpus_files(root: str | Path) -> list[Path]:
    """The files that make up a corpus: the one rule of what the kit reads.

    Parameters
    ----------
    root : str or pathlib.Path
        A corpus folder, or a single ``.txt``/``.csv``/``.jsonl`` corpus file.

    Returns
    -------
    list of pathlib.Path
        For a folder: every file directly in it whose suffix is one of
        :data:`CORPUS_SUFFIXES` (any case) and whose name does not start with
        ``.``: the articles, ``sources.csv`` and ``aliases.csv``; sorted by
        name, as ``root / name``. For a single file: that file, then
        ``aliases.csv`` beside it when there is one (the entity section reads
        it). Fingerprinting exactly these files covers every byte a report
        reads from its corpus.

    Raises
    ------
    CorpusError
        A symbolic link among them dangles, loops or leads out of the folder
        (:func:`check_inside_corpus`), or the folder cannot be listed.
    """
    root = Path(root)
    if not root.is_dir():
        aliases = check_inside_corpus(root.parent / "aliases.csv", root.parent)
        return [root] + ([aliases] if aliases.is_file() else [])
    try:
        entries = sorted(root.iterdir())
    except OSError as exc:
        raise _error(root, f"cannot be listed ({exc.strerror})") from None
    files = []
    for entry in entries:
        if entry.name.startswith(".") or entry.suffix.lower() not in CORPUS_SUFFIXES:
            continue
        if check_inside_corpus(entry, root).is_file():
            files.append(entry)
    return files


def _read_limited(path: Path, limit: int, what: str) -> bytes:
    """The bytes of ``path``, refused from its size alone when over ``limit``.

    ``what`` completes the message: ``"bytes per <what>"``.
    """
    try:
        size = path.stat().st_size
        if size > limit:
            raise _error(path, f"{size:,} bytes; the limit is {limit:,} bytes per {what}")
        return path.read_bytes()
    except OSError as exc:
        raise _error(path, f"cannot be read ({exc.strerror})") from None


def _check_length(text: str, where: str) -> None:
    """Refuse a text longer than :data:`MAX_DOCUMENT_CHARS`; ``where`` starts the message."""
    if len(text) > MAX_DOCUMENT_CHARS:
        raise CorpusError(f"{where} {len(text):,} characters; the limit is {MAX_DOCUMENT_CHARS:,} per document "
                          "(is it one article? split it, or trim what is not the article)")


def _check_doc_id(doc_id: str, source: object) -> None:
    """Refuse a doc_id that tables and messages cannot show as it is: blank or holding controls."""
    if not doc_id.strip() or printable(doc_id) != doc_id:
        raise _error(source, f"doc_id '{printable(doc_id)}' cannot be shown (it is blank or holds control "
                             "characters); rename the file or change the doc_id")


def _decode_utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """The text and ``"utf-16-le"``/``"utf-16-be"`` when ``data`` is UTF-16 without a byte-order mark, else None.

    Text of Latin (or Cyrillic, Greek ...) script in UTF-16 has a NUL byte in
    every character of U+0000-U+00FF (letters, spaces, digits), always in the
    same half of each byte pair: the high byte, second in little-endian order.
    A binary file has NUL bytes in both halves. The decoded text is still
    checked for control characters by :func:`decode_text`.
    """
    half = len(data) // 2
    if len(data) % 2 or not half:
        return None
    first, second = data[0::2].count(0) / half, data[1::2].count(0) / half
    if second >= UTF16_MIN_NUL_SHARE and first <= UTF16_MAX_STRAY_NUL_SHARE:
        encoding = "utf-16-le"
    elif first >= UTF16_MIN_NUL_SHARE and second <= UTF16_MAX_STRAY_NUL_SHARE:
        encoding = "utf-16-be"
    else:
        return None
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:  # an unpaired surrogate: not UTF-16 after all
        return None


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode an article file, detecting UTF-8 (with or without BOM), UTF-16 or cp1252.

    Parameters
    ----------
    data : bytes
        The file's content.
    name : str
        The file's name, used in error messages.

    Returns
    -------
    (str, str)
        The text (line endings normalised to ``\\n``) and the encoding used:
        ``utf-8``, ``utf-8-sig``, ``utf-16`` (with a byte-order mark),
        ``utf-16-le`` or ``utf-16-be`` (without one, see
        :func:`_decode_utf16_without_bom`), ``cp1252`` or ``latin-1``.

    Raises
    ------
    CorpusError
        If the file is empty or is not text.
    """
    if not data.strip():
        raise _error(name, "the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _decode_or_fail(data, "utf-16", name), "utf-16"
    elif b"\x00" in data:
        decoded = _decode_utf16_without_bom(data)
        if decoded is None:
            raise _error(name, "this is a binary file (it contains NUL bytes), not text")
        text, encoding = decoded
    elif data.startswith(codecs.BOM_UTF8):
        text, encoding = _decode_or_fail(data, "utf-8-sig", name), "utf-8-sig"
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
                text, encoding = data.decode("latin-1"), "latin-1"
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    if controls > max(BINARY_MIN_CONTROLS, int(len(text) * BINARY_CONTROL_SHARE)):
        raise _error(name, f"this looks like a binary file ({controls} control characters), not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _error(name, "the file holds only white space")
    return text, encoding


def _decode_or_fail(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _error(name, f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                           f"(byte {exc.start})") from None


def read_corpus(path: str | Path) -> pd.DataFrame:
    """Read every article of a corpus folder (or one .csv/.jsonl file).

    Parameters
    ----------
    path : str or pathlib.Path
        A folder of ``.txt`` (and/or ``.csv``/``.jsonl``) articles with an
        optional ``sources.csv``, or a single ``.csv``/``.jsonl`` file. The
        files read are those of :func:`corpus_files`.

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
        raise _error(root, "no such corpus folder or file")
    files = corpus_files(root)
    if root.is_dir():
        base, articles = root, [f for f in files if f.name.lower() not in METADATA_FILES]
    else:
        base, articles = root.parent, [root]
    rows: list[dict] = []
    for file in articles:
        if file.suffix.lower() == ".txt":
            data = _read_limited(file, MAX_FILE_BYTES, "document (a text of at most "
                                 f"{MAX_DOCUMENT_CHARS:,} characters takes at most that)")
            text, encoding = decode_text(data, str(file))
            _check_length(text, f"{printable(file)}:")
            _check_doc_id(file.stem, file)
            rows.append({"doc_id": file.stem, "source_file": file.relative_to(base).as_posix(),
                         "encoding": encoding, "given_title": "", "text": text})
        elif file.suffix.lower() in {".csv", ".jsonl"}:
            rows.extend(_read_table_file(file, base))
        else:
            raise _error(file, "not a corpus file (expected .txt, .csv or .jsonl)")
    if not rows:
        raise _error(root, "no documents found (expected .txt files, or .csv/.jsonl with a text column)")
    raw = pd.DataFrame(rows, columns=RAW_COLUMNS + [c for c in rows[0] if c not in RAW_COLUMNS])
    duplicated = raw.loc[raw["doc_id"].duplicated(), "doc_id"].tolist()
    if duplicated:
        raise _error(root, f"more than one document has doc_id {', '.join(map(repr, duplicated))}")
    raw = raw.sort_values("doc_id", kind="stable").reset_index(drop=True)
    if base / "sources.csv" in files:
        raw = _merge_sources(raw, base / "sources.csv")
    if "outlet" not in raw.columns:
        raw["outlet"] = ""
    raw["outlet"] = raw["outlet"].fillna("").astype(str).str.strip()
    return raw


def _read_table_file(file: Path, base: Path) -> list[dict]:
    """Rows of a .csv or .jsonl corpus file (one document per row)."""
    data = _read_limited(file, MAX_TABLE_BYTES, "table file")
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
                        raise _error(file, f"line {number} is not valid JSON ({exc.msg})") from None
                    if not isinstance(record, dict):
                        raise _error(file, f"line {number} is not a JSON object")
                    records.append(record)
            table = pd.DataFrame.from_records(records).fillna("").astype(str)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise _error(file, f"cannot be read as {file.suffix[1:].upper()} ({exc})") from None
    text_column = next((c for c in TEXT_COLUMNS if c in table.columns), None)
    if text_column is None:
        raise _error(file, f"no text column (expected one of {', '.join(TEXT_COLUMNS)}; "
                           f"found {printable(', '.join(map(str, table.columns))) or 'none'})")
    clash = _reserved([c for c in table.columns if c not in {text_column, "doc_id", "id", "title"}])
    if clash:
        raise _error(file, f"column names reserved by the kit: {', '.join(clash)}")
    _check_languages(table, file)
    rows = []
    for position, record in enumerate(table.to_dict("records")):
        doc_id = str(record.get("doc_id") or record.get("id") or f"{file.stem}-{position + 1:04d}")
        where = f"{printable(file)}: row {position + 1} (doc_id '{printable(doc_id)}')"
        for column, value in record.items():
            _check_length(str(value), f"{where}: column {printable(column)!r} has")
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
    data = _read_limited(sources, MAX_TABLE_BYTES, "table file")
    try:
        meta = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise _error(sources, f"cannot be read as CSV ({exc})") from None
    meta.columns = [str(c).strip() for c in meta.columns]
    if "doc_id" not in meta.columns:
        raise _error(sources, f"needs a 'doc_id' column (found {printable(', '.join(meta.columns))})")
    meta["doc_id"] = meta["doc_id"].str.strip()
    repeated = sorted(set(meta.loc[meta["doc_id"].duplicated(), "doc_id"]))
    if repeated:
        raise _error(sources, f"doc_id listed more than once: {printable(', '.join(repeated))}")
    unknown = sorted(set(meta["doc_id"]) - set(raw["doc_id"]))
    if unknown:
        raise _error(sources, f"rows name documents that are not in the corpus: {printable(', '.join(unknown))}")
    clash = _reserved([c for c in meta.columns if c != "doc_id"])
    if clash:
        raise _error(sources, f"column names reserved by the kit: {', '.join(clash)}")
    _check_languages(meta, sources)
    for position, record in enumerate(meta.to_dict("records")):
        for column, value in record.items():
            _check_length(value, f"{printable(sources)}: row {position + 1}: column {printable(column)!r} has")
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
            raise _error(file, f"row {position + 1}: language {printable(given)!r} is not an ISO 639 code such "
                               "as en or ru (leave it empty to have the language detected)")


def _reserved(columns) -> list[str]:
    """The given input columns that would overwrite a column the kit computes.

    ``outlet``, ``title`` and ``language`` may be supplied; ``label``, ``body``, the counts
    and ``flags`` of :func:`clean_corpus` and the raw columns may not.
    """
    reserved = (set(RAW_COLUMNS) | set(CORPUS_COLUMNS)) - {"doc_id", "outlet", "title", "language"}
    return [str(c) for c in columns if c in reserved]


# ---------------------------------------------------------------------------
# Line classification
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class BoilerplateRule:
    """A pattern of site furniture.

    A line matching ``pattern`` (case-insensitive, on the stripped line) is kept
    out of the body when it has at most ``max_words`` words; a longer match is
    likely prose that happens to start the same way, so it stays in the body
    and is flagged as uncertain.
    """

    name: str
    pattern: re.Pattern
    max_words: int


def _rule(name: str, pattern: str, max_words: int) -> BoilerplateRule:
    return BoilerplateRule(name, re.compile(pattern, re.IGNORECASE), max_words)


_SOCIAL = r"(telegram|twitter|x\.com|facebook|whatsapp|instagram|linkedin|youtube|tiktok|threads|reddit|newsletter|google news)"
_CREDIT = r"(getty|reuters|afp|\bap\b|associated press|epa|shutterstock|alamy|photo|images?|pixabay|unsplash|handout|file)"

#: Site-furniture rules, tried in order. Patterns describe kinds of lines, not
#: any one article's lines.
BOILERPLATE_RULES: tuple[BoilerplateRule, ...] = (
    _rule("audio_notice", r"(\b(voice|audio|narration)\b.*\b(ai|computer)[- ]generated\b)|"
                          r"^\W*listen to (this|the) (article|story)\b|^\W*audio (version|player)\b", 14),
    _rule("social_prompt", r"^\W*(follow|like|join|subscribe|sign up|share|find) (us|this|our|the)?\b.*" + _SOCIAL
                           + r"|^\W*(share|tweet|email|print)( this)?( article| story| page)?\W*$", 16),
    _rule("source_link", r"^\W*(source( link)?|original (article|story))\s*(:.*)?$", 6),
    _rule("comment_footer", r"^\W*(comments? (are|is) (closed|disabled)|(one|no|\d+) (thoughts?|comments?|responses?|repl(y|ies)) (on|to)\b"
                            r"|leave a (comment|reply)|post navigation|you must be logged in|view comments)", 40),
    _rule("read_also", r"^\W*(read\s*(also|more|next)|also\s*read|see also|don'?t miss|must read|you (may|might) also like"
                       r"|recommended( for you| reading)?\b|more from\b|watch\s*:)", 30),
    _rule("related", r"^\W*related(\s+(articles?|stories|posts|coverage|news|content|reading|links?|topics?))?\s*(:|$)", 30),
    _rule("similar_posts", r"^\W*(similar|more|popular|trending|latest|top)\s+(posts|stories|articles|news|reads)\s*:?\s*$", 4),
    _rule("about_author", r"^\W*about the (author|writer|reporter|contributor)s?\W*$", 5),
    _rule("image_credit", r"^\W*(\(\s*)?(top |featured |header |lead |main )?(photo|image|picture|illustration|credit|video)s?\b"
                          r"(\s*(:|via|by|courtesy|credit)).*" + _CREDIT
                          + r"|^\W*(top |featured |header |lead )?(image|photo|picture)s? (via|by|from|courtesy of)\b", 14),
    _rule("image_caption", r"\[[^\[\]]*" + _CREDIT + r"[^\[\]]*\]\s*$|\((photo|image|credit)\s*:[^()]*\)\s*$", 80),
    _rule("advertisement", r"^\W*(advertisement|sponsored( content)?|ad|story continues below( advertisement)?)\W*$", 5),
    _rule("read_more_teaser", r"\.\.\.\s*read more\s*$|…\s*read more\s*$", 60),
)

#: Characters a line may end with after which it is still a sentence.
_SENTENCE_END = ".!?:;…"
_CLOSERS = "\"'”’»)]"
_BULLETS = "-\u2013\u2014\u2022*"
#: A sub-heading has at most this many words.
HEADING_MAX_WORDS = 15
#: A first line is the headline when it has 2 to this many words (and no closing
#: full stop). Set by hand with the line rules: news headlines run to 15-20
#: words; 30 leaves room for long ones while a paragraph of prose is longer.
HEADLINE_MAX_WORDS = 30
#: Site furniture after a title separator ("... | Russia-Ukraine war News",
#: "... - Mothership.SG") is cut when it has at most this many words: section
#: and site names are a few words, the tail of a headline after a spaced dash
#: is usually longer. Set by hand on the seed pages' titles.
SITE_SUFFIX_MAX_WORDS = 5
#: Lines after an "About the author" heading are the bio when at most this many
#: are left before the end (a bio is a line or two; more is article text).
AUTHOR_BIO_MAX_LINES = 3
#: rapidfuzz ``partial_ratio`` (0-100) from which a line next to an image
#: caption is the image's alt text (a shortened copy of the caption). Set by
#: hand on the seed corpus: Al Jazeera's alt text scores 78.6 against its
#: caption, the prose lines around it 37-44.
ALT_TEXT_MIN_SIMILARITY = 75


def normalize_line(line: str) -> str:
    """Unicode NFC, non-breaking and exotic spaces as plain spaces, no invisible
    characters (:data:`INVISIBLE_CHARACTERS`: zero-width, bidi controls, C0/C1
    controls), no trailing space: what the body keeps of a line."""
    line = unicodedata.normalize("NFC", line)
    line = SPACE_CHARACTERS.sub(" ", line)
    line = INVISIBLE_CHARACTERS.sub("", line)
    return re.sub(r" {2,}", " ", line).strip()


def ends_like_sentence(text: str) -> bool:
    """True when ``text`` ends with sentence punctuation (closing quotes ignored)."""
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def is_heading(text: str) -> bool:
    """Whether a body paragraph is a sub-heading rather than running text.

    Rule: a single line of at most :data:`HEADING_MAX_WORDS` words, not
    starting with a list bullet (a list item is running text), whose last
    character, ignoring closing quotes and brackets, is a letter or a digit
    (so it ends without ``. ! ? : ; ,`` or an ellipsis). textstat would
    otherwise count it as (part of) a sentence.

    Examples
    --------
    >>> is_heading("Desperation on the part of Russia")
    True
    >>> is_heading("\u2018Gossip and Speculation\u2019")
    True
    >>> is_heading("Kirby said Wagner paid for the weapons.")
    False
    """
    stripped = text.strip()
    if not stripped or "\n" in stripped:
        return False
    if count_words(stripped) > HEADING_MAX_WORDS or stripped[0] in _BULLETS:
        return False
    core = stripped.rstrip(_CLOSERS)
    return bool(core) and core[-1].isalnum()


def is_headline(text: str, max_words: int = HEADLINE_MAX_WORDS) -> bool:
    """Whether the first line of an article reads as its headline.

    A headline has 2 to ``max_words`` words and does not end with a full stop
    (question and exclamation marks are allowed): a first line that is a
    sentence of prose is body, and the article has no headline.
    """
    n_words = count_words(text)
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    return 2 <= n_words <= max_words and not stripped.endswith((".", ":", ";", ","))


_SITE_SEPARATOR = re.compile(r"\s+[|\u2013\u2014-]\s+")


def strip_site_suffix(title: str, outlet: str = "", max_words: int = SITE_SUFFIX_MAX_WORDS) -> str:
    """A headline without the site furniture pages append to it.

    ``"N Korea denies arms | Russia-Ukraine war News"`` and ``"... to Russia -
    Mothership.SG"`` lose their last segment when it is short (at most
    ``max_words`` words) and is either behind a ``|`` (a section or site name),
    names the outlet, or looks like a domain. A dash inside a headline
    ("Russia-Ukraine") has no spaces around it and is left alone.
    """
    parts = _SITE_SEPARATOR.split(title)
    separators = _SITE_SEPARATOR.findall(title)
    while len(parts) > 1:
        last, separator = parts[-1].strip(), separators[-1].strip()
        site_like = (separator == "|" or "." in last
                     or (outlet and last.casefold() == outlet.casefold()))
        if not site_like or count_words(last) > max_words:
            break
        parts, separators = parts[:-1], separators[:-1]
    head = parts[0]
    for part, separator in zip(parts[1:], separators):
        head += separator + part
    return head


def _match_rule(text: str) -> tuple[str, str] | None:
    """(rule name, 'certain'|'uncertain') of the first boilerplate rule matching."""
    n_words = count_words(text)
    for rule in BOILERPLATE_RULES:
        if rule.pattern.search(text):
            return rule.name, "certain" if n_words <= rule.max_words else "uncertain"
    return None


def _paragraph_key(text: str) -> str:
    return " ".join(normalise_word(word) for word in words(text))


def classify_lines(text: str, given_title: str = "") -> pd.DataFrame:
    """Classify every line of one article.

    Parameters
    ----------
    text : str
        The decoded article (``\\n`` line ends).
    given_title : str
        A title supplied by tabular input; then no line is taken as title.

    Returns
    -------
    pandas.DataFrame
        One row per line: ``line`` (1-based), ``text`` (normalised), ``role``
        (``title``, ``body``, ``heading``, ``boilerplate``, ``duplicate`` or
        ``blank``), ``rule`` (why a line is not plain body: the boilerplate rule,
        ``repeated_paragraph``, ``caption_alt_text``, ``author_bio``,
        ``headline`` ...; empty for plain body) and ``flag`` (``uncertain:<rule>``
        for a line kept in the body that half matches a rule).
    """
    lines = [normalize_line(line) for line in text.split("\n")]
    roles = ["blank" if not line else "" for line in lines]
    rules = [""] * len(lines)
    flags = [""] * len(lines)

    for i, line in enumerate(lines):
        if roles[i]:
            continue
        match = _match_rule(line)
        if match is None:
            continue
        name, certainty = match
        if certainty == "certain":
            roles[i], rules[i] = "boilerplate", name
        else:
            flags[i] = f"uncertain:{name}"
        if name == "about_author" and certainty == "certain":
            _mark_author_bio(lines, roles, rules, i)

    _mark_caption_alt_text(lines, roles, rules)

    content = [i for i, line in enumerate(lines) if not roles[i]]
    if content and not given_title:
        first = content[0]
        if is_headline(lines[first]):
            roles[first], rules[first] = "title", "headline"

    seen: dict[str, int] = {}
    for i, line in enumerate(lines):
        if roles[i]:
            continue
        key = _paragraph_key(line)
        if key in seen:
            roles[i], rules[i] = "duplicate", "repeated_paragraph"
            flags[i] = f"repeats line {seen[key] + 1}"
        else:
            seen[key] = i
            roles[i] = "heading" if is_heading(line) else "body"
            if roles[i] == "heading":
                rules[i] = "heading"
    return pd.DataFrame({"line": range(1, len(lines) + 1), "text": lines,
                         "role": roles, "rule": rules, "flag": flags})


def _mark_author_bio(lines: list[str], roles: list[str], rules: list[str], heading: int) -> None:
    """Lines after an "About the author" heading are the bio, up to :data:`AUTHOR_BIO_MAX_LINES`."""
    rest = [j for j in range(heading + 1, len(lines)) if lines[j]]
    if len(rest) <= AUTHOR_BIO_MAX_LINES:
        for j in rest:
            roles[j], rules[j] = "boilerplate", "author_bio"


def _mark_caption_alt_text(lines: list[str], roles: list[str], rules: list[str]) -> None:
    """A line that repeats the next/previous image caption is the image's alt text.

    Pages often carry an image's short description and then its caption with
    the credit; only the caption matches a credit rule, so its neighbour is
    matched by similarity.
    """
    from rapidfuzz import fuzz

    captions = [i for i, rule in enumerate(rules) if rule in {"image_caption", "image_credit"}]
    for i in captions:
        for j in (i - 1, i + 1):
            if 0 <= j < len(lines) and not roles[j] and lines[j]:
                if not ends_like_sentence(lines[j]) and fuzz.partial_ratio(lines[j], lines[i]) >= ALT_TEXT_MIN_SIMILARITY:
                    roles[j], rules[j] = "boilerplate", "caption_alt_text"


def line_table(raw: pd.DataFrame) -> pd.DataFrame:
    """Classify the lines of every document of a raw corpus table.

    Returns
    -------
    pandas.DataFrame
        :func:`classify_lines` columns with ``doc_id`` first, in corpus order.
    """
    frames = []
    for doc_id, text, given_title in raw[["doc_id", "text", "given_title"]].itertuples(index=False):
        lines = classify_lines(text, given_title)
        lines.insert(0, "doc_id", doc_id)
        frames.append(lines)
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------------------
# The corpus table
# ---------------------------------------------------------------------------

#: Columns of the corpus table returned by :func:`clean_corpus`, before the
#: extra columns carried from ``sources.csv``.
CORPUS_COLUMNS = ["doc_id", "label", "outlet", "title", "body", "source_file", "encoding", "language",
                  "n_paragraphs", "n_words", "boilerplate_lines", "duplicate_paragraphs",
                  "controls_removed", "flags"]


def clean_corpus(raw: pd.DataFrame, lines: pd.DataFrame | None = None) -> pd.DataFrame:
    """Build the corpus table: title and cleaned body of every document.

    Parameters
    ----------
    raw : pandas.DataFrame
        From :func:`read_corpus`.
    lines : pandas.DataFrame, optional
        From :func:`line_table` (computed when not given).

    Returns
    -------
    pandas.DataFrame
        One row per document: ``doc_id``; ``label`` (display name: the outlet,
        made unique with the doc_id when two documents share one, or the doc_id
        when the outlet is unknown); ``outlet``; ``title`` (empty when the
        article has no headline); ``body`` (body and heading lines, each a
        paragraph, joined by a blank line; boilerplate and repeated paragraphs
        left out); ``source_file``; ``encoding``; ``language`` (ISO 639 code
        of the title and body, :func:`analysis.corpus.language.detect_language`, or
        ``"und"`` when undetermined; a ``language`` column of ``sources.csv``
        or of tabular input, where not empty, is taken instead); ``n_paragraphs``; ``n_words``;
        ``boilerplate_lines``; ``duplicate_paragraphs``; ``controls_removed``
        (invisible characters removed from the text, title and outlet, see
        :data:`INVISIBLE_CHARACTERS`); ``flags``
        (``;``-separated: ``no_title``, ``uncertain_line:<n>:<rule>``, ``encoding:<enc>``,
        ``empty_body``); then the other columns of ``sources.csv``.

    Raises
    ------
    CorpusError
        A body longer than :data:`MAX_DOCUMENT_CHARS` (lines become paragraphs
        joined by a blank line, so a body may be longer than its file), named
        by its source file, before any section parses it; a given ``language``
        that is not an ISO 639 code.
    """
    if lines is None:
        lines = line_table(raw)
    grouped = dict(tuple(lines.groupby("doc_id", sort=False)))
    records = []
    for row in raw.to_dict("records"):
        doc_lines = grouped[row["doc_id"]]
        kept = doc_lines[doc_lines["role"].isin(["body", "heading"])]
        body = "\n\n".join(kept["text"])
        _check_length(body, f"{printable(row['source_file'])}: the body to analyse has")
        outlet, given_title = normalize_line(row["outlet"]), normalize_line(row["given_title"])
        title_rows = doc_lines.loc[doc_lines["role"] == "title", "text"]
        title = given_title or (strip_site_suffix(title_rows.iloc[0], outlet) if len(title_rows) else "")
        flags = []
        if not title:
            flags.append("no_title")
        if not body:
            flags.append("empty_body")
        if row["encoding"] not in {"utf-8", "utf-8-sig"}:
            flags.append(f"encoding:{row['encoding']}")
        for number, flag in doc_lines.loc[doc_lines["flag"].str.startswith("uncertain"), ["line", "flag"]].itertuples(index=False):
            flags.append(f"uncertain_line:{number}:{flag.split(':', 1)[1]}")
        records.append({
            "doc_id": row["doc_id"], "outlet": outlet, "title": title, "body": body,
            "source_file": row["source_file"], "encoding": row["encoding"],
            "language": _language(row, title, body),
            "n_paragraphs": len(kept), "n_words": count_words(body),
            "boilerplate_lines": int((doc_lines["role"] == "boilerplate").sum()),
            "duplicate_paragraphs": int((doc_lines["role"] == "duplicate").sum()),
            "controls_removed": sum(len(INVISIBLE_CHARACTERS.findall(row[k]))
                                    for k in ("text", "given_title", "outlet")),
            "flags": ";".join(flags),
            **{k: v for k, v in row.items() if k not in RAW_COLUMNS and k not in ("outlet", "language")},
        })
    docs = pd.DataFrame.from_records(records)
    docs.insert(1, "label", display_labels(docs))
    return docs[CORPUS_COLUMNS + [c for c in docs.columns if c not in CORPUS_COLUMNS]]


def _language(row: dict, title: str, body: str) -> str:
    """The document's language: as given in its input table (checked on reading), else detected."""
    value = row.get("language")
    given = normalize_line(value) if isinstance(value, str) else ""
    return language_code(given) if given else detect_language(f"{title}\n\n{body}")


def display_labels(docs: pd.DataFrame) -> list[str]:
    """A unique, readable label per document: its outlet, else its doc_id.

    An outlet shared by two documents, or equal to the doc_id of a document
    without an outlet, is made unique as ``"<outlet> (<doc_id>)"``.

    Parameters
    ----------
    docs : pandas.DataFrame
        Table with ``doc_id`` and ``outlet`` (``""`` when unknown).

    Returns
    -------
    list of str
        One label per row, in row order.
    """
    counts = docs["outlet"].value_counts()
    bare_ids = set(docs.loc[docs["outlet"] == "", "doc_id"])
    labels = []
    for doc_id, outlet in docs[["doc_id", "outlet"]].itertuples(index=False):
        if not outlet:
            labels.append(doc_id)
        elif counts[outlet] > 1 or outlet in bare_ids:
            labels.append(f"{outlet} ({doc_id})")
        else:
            labels.append(outlet)
    return labels


def document_labels(docs: pd.DataFrame) -> dict[str, str]:
    """doc_id -> display label of each document, the one lookup every section and figure uses.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``doc_id`` and, optionally, ``label`` (see
        :func:`display_labels`); without a ``label`` column each document is
        labelled by its doc_id.

    Returns
    -------
    dict of str to str
        Keys and labels as strings, in corpus order.
    """
    ids = docs["doc_id"].astype(str)
    labels = docs["label"].astype(str) if "label" in docs.columns else ids
    return dict(zip(ids, labels))


def load_corpus(path: str | Path) -> pd.DataFrame:
    """Read and clean a corpus: :func:`read_corpus` then :func:`clean_corpus`."""
    return clean_corpus(read_corpus(path))


def boilerplate_table(lines: pd.DataFrame) -> pd.DataFrame:
    """Every line kept out of the analysed body, and why.

    Returns
    -------
    pandas.DataFrame
        ``boilerplate.csv``: ``doc_id``, ``line`` (1-based line number in the
        file), ``text``, ``rule`` (the boilerplate rule, ``headline`` for the
        title, or ``repeated_paragraph``).
    """
    out = lines[lines["role"].isin(["boilerplate", "duplicate", "title"])]
    return out[["doc_id", "line", "text", "rule"]].reset_index(drop=True)


def paragraph_table(docs: pd.DataFrame) -> pd.DataFrame:
    """One row per paragraph of each body (:func:`analysis.text.layer.paragraph_spans`).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``paragraph`` (0-based), ``start``, ``end`` (character
        offsets into ``body``), ``kind`` (``paragraph`` or ``heading``, see
        :func:`is_heading`), ``n_words`` (:func:`analysis.text.layer.count_words`)
        and ``text``.
    """
    rows = []
    for doc_id, body in docs[["doc_id", "body"]].itertuples(index=False):
        for index, (start, end) in enumerate(paragraph_spans(body)):
            text = body[start:end]
            rows.append((doc_id, index, start, end,
                         "heading" if is_heading(text) else "paragraph", count_words(text), text))
    return pd.DataFrame(rows, columns=["doc_id", "paragraph", "start", "end", "kind", "n_words", "text"])


def document_table(docs: pd.DataFrame, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """``documents.csv``: one row per document with its size and cleaning record.

    Parameters
    ----------
    docs : pandas.DataFrame
        The corpus table.
    sentences : pandas.DataFrame, optional
        :func:`analysis.text.layer.sentence_table` output; without it ``n_sentences``
        is left empty.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``outlet``, ``title``, ``language`` (ISO 639 code, ``"und"``
        when undetermined: documents in another language than English are
        left out of the English-only sections), ``n_paragraphs``, ``n_sentences``,
        ``n_words``, ``boilerplate_lines``, ``duplicate_paragraphs``,
        ``controls_removed`` (invisible characters such as bidi controls removed
        from the document: its text was altered), ``flags``.
    """
    out = docs[["doc_id", "outlet", "title"]].copy()
    out["language"] = document_languages(docs)
    out["n_paragraphs"] = docs["n_paragraphs"]
    if sentences is not None:
        counts = sentences.groupby("doc_id").size()
        out["n_sentences"] = docs["doc_id"].map(counts).fillna(0).astype(int)
    else:
        out["n_sentences"] = pd.NA
    for column in ["n_words", "boilerplate_lines", "duplicate_paragraphs", "controls_removed", "flags"]:
        out[column] = docs[column]
    return out
