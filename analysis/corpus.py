"""Corpus loading and cleaning: from a folder of articles to a corpus table.

A corpus is a folder holding one article per ``.txt`` file (``doc_id`` is the
file stem) and an optional ``sources.csv`` (``doc_id``, ``outlet`` and any other
columns, carried through); ``.csv`` and ``.jsonl`` files with a text column are
accepted too, in the folder or as the corpus path itself.

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
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import CorpusError

#: Files in a corpus folder that are metadata, not articles.
METADATA_FILES = frozenset({"sources.csv", "aliases.csv"})
#: Column names accepted as the article text in .csv/.jsonl input, in order.
TEXT_COLUMNS = ("text", "body", "content", "article")
#: Columns of the table returned by :func:`read_corpus` before sources.csv's.
RAW_COLUMNS = ["doc_id", "source_file", "encoding", "given_title", "text"]


# ---------------------------------------------------------------------------
# Reading and decoding
# ---------------------------------------------------------------------------

def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode an article file, detecting UTF-8 (with or without BOM) or cp1252.

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
        ``utf-8``, ``utf-8-sig``, ``utf-16``, ``cp1252`` or ``latin-1``.

    Raises
    ------
    CorpusError
        If the file is empty or is not text.
    """
    if not data.strip():
        raise CorpusError(f"{name}: the file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _decode_or_fail(data, "utf-16", name), "utf-16"
    elif b"\x00" in data:
        raise CorpusError(f"{name}: this is a binary file (it contains NUL bytes), not text")
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
    if controls > max(2, len(text) // 100):
        raise CorpusError(f"{name}: this looks like a binary file ({controls} control characters), not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise CorpusError(f"{name}: the file holds only white space")
    return text, encoding


def _decode_or_fail(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{name}: starts with a {encoding} byte-order mark but is not valid {encoding} "
                          f"(byte {exc.start})") from None


def read_corpus(path: str | Path) -> pd.DataFrame:
    """Read every article of a corpus folder (or one .csv/.jsonl file).

    Parameters
    ----------
    path : str or pathlib.Path
        A folder of ``.txt`` (and/or ``.csv``/``.jsonl``) articles with an
        optional ``sources.csv``, or a single ``.csv``/``.jsonl`` file.

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
        Missing path, unreadable or empty files, no documents, duplicate
        ``doc_id``, or a ``sources.csv`` that does not match the documents.
    """
    root = Path(path)
    if not root.exists():
        raise CorpusError(f"{root}: no such corpus folder or file")
    if root.is_file():
        files, base = [root], root.parent
    else:
        base = root
        files = sorted(p for p in root.iterdir()
                       if p.is_file() and p.suffix.lower() in {".txt", ".csv", ".jsonl"}
                       and p.name.lower() not in METADATA_FILES)
    rows: list[dict] = []
    for file in files:
        if file.suffix.lower() == ".txt":
            text, encoding = decode_text(file.read_bytes(), str(file))
            rows.append({"doc_id": file.stem, "source_file": file.relative_to(base).as_posix(),
                         "encoding": encoding, "given_title": "", "text": text})
        elif file.suffix.lower() in {".csv", ".jsonl"}:
            rows.extend(_read_table_file(file, base))
        else:
            raise CorpusError(f"{file}: not a corpus file (expected .txt, .csv or .jsonl)")
    if not rows:
        raise CorpusError(f"{root}: no documents found (expected .txt files, or .csv/.jsonl with a text column)")
    raw = pd.DataFrame(rows, columns=RAW_COLUMNS + [c for c in rows[0] if c not in RAW_COLUMNS])
    duplicated = raw.loc[raw["doc_id"].duplicated(), "doc_id"].tolist()
    if duplicated:
        raise CorpusError(f"{root}: more than one document has doc_id {', '.join(map(repr, duplicated))}")
    raw = raw.sort_values("doc_id", kind="stable").reset_index(drop=True)
    sources = base / "sources.csv" if root.is_dir() else None
    if sources is not None and sources.is_file():
        raw = _merge_sources(raw, sources)
    if "outlet" not in raw.columns:
        raw["outlet"] = ""
    raw["outlet"] = raw["outlet"].fillna("").astype(str).str.strip()
    return raw


def _read_table_file(file: Path, base: Path) -> list[dict]:
    """Rows of a .csv or .jsonl corpus file (one document per row)."""
    try:
        if file.suffix.lower() == ".csv":
            table = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        else:
            records = []
            for number, line in enumerate(file.read_text(encoding="utf-8-sig").splitlines(), start=1):
                if line.strip():
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise CorpusError(f"{file}: line {number} is not valid JSON ({exc.msg})") from None
                    if not isinstance(record, dict):
                        raise CorpusError(f"{file}: line {number} is not a JSON object")
                    records.append(record)
            table = pd.DataFrame.from_records(records).fillna("").astype(str)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CorpusError(f"{file}: cannot be read as {file.suffix[1:].upper()} ({exc})") from None
    text_column = next((c for c in TEXT_COLUMNS if c in table.columns), None)
    if text_column is None:
        raise CorpusError(f"{file}: no text column (expected one of {', '.join(TEXT_COLUMNS)}; "
                          f"found {', '.join(map(str, table.columns)) or 'none'})")
    clash = _reserved([c for c in table.columns if c not in {text_column, "doc_id", "id", "title"}])
    if clash:
        raise CorpusError(f"{file}: column names reserved by the kit: {', '.join(clash)}")
    rows = []
    for position, record in enumerate(table.to_dict("records")):
        doc_id = str(record.get("doc_id") or record.get("id") or f"{file.stem}-{position + 1:04d}")
        text = str(record[text_column]).replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise CorpusError(f"{file}: row {position + 1} (doc_id {doc_id!r}) has an empty {text_column!r}")
        extra = {k: str(v) for k, v in record.items()
                 if k not in {text_column, "doc_id", "id", "title"}}
        rows.append({"doc_id": doc_id, "source_file": f"{file.relative_to(base).as_posix()}#{position + 1}",
                     "encoding": "utf-8", "given_title": str(record.get("title", "")).strip(),
                     "text": text, **extra})
    return rows


def _merge_sources(raw: pd.DataFrame, sources: Path) -> pd.DataFrame:
    """Join ``sources.csv`` onto the raw table by ``doc_id``."""
    try:
        meta = pd.read_csv(sources, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CorpusError(f"{sources}: cannot be read as CSV ({exc})") from None
    meta.columns = [str(c).strip() for c in meta.columns]
    if "doc_id" not in meta.columns:
        raise CorpusError(f"{sources}: needs a 'doc_id' column (found {', '.join(meta.columns)})")
    meta["doc_id"] = meta["doc_id"].str.strip()
    repeated = sorted(set(meta.loc[meta["doc_id"].duplicated(), "doc_id"]))
    if repeated:
        raise CorpusError(f"{sources}: doc_id listed more than once: {', '.join(repeated)}")
    unknown = sorted(set(meta["doc_id"]) - set(raw["doc_id"]))
    if unknown:
        raise CorpusError(f"{sources}: rows name documents that are not in the corpus: {', '.join(unknown)}")
    clash = _reserved([c for c in meta.columns if c != "doc_id"])
    if clash:
        raise CorpusError(f"{sources}: column names reserved by the kit: {', '.join(clash)}")
    merged = raw.drop(columns=[c for c in meta.columns if c != "doc_id" and c in raw.columns])
    merged = merged.merge(meta, on="doc_id", how="left")
    extra = [c for c in meta.columns if c != "doc_id"]
    merged[extra] = merged[extra].fillna("")
    return merged


def _reserved(columns) -> list[str]:
    """The given input columns that would overwrite a column the kit computes.

    ``outlet`` and ``title`` may be supplied; ``label``, ``body``, the counts
    and ``flags`` of :func:`clean_corpus` and the raw columns may not.
    """
    reserved = (set(RAW_COLUMNS) | set(CORPUS_COLUMNS)) - {"doc_id", "outlet", "title"}
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
#: A sub-heading has at most this many whitespace-separated words.
HEADING_MAX_WORDS = 15
_WORD = re.compile(r"\w+(?:[’'.-]\w+)*")


def word_count(text: str) -> int:
    """Number of words (``\\w+`` runs, keeping contractions and hyphenations whole)."""
    return len(_WORD.findall(text))


def normalize_line(line: str) -> str:
    """Unicode NFC, non-breaking and exotic spaces as plain spaces, no zero-width
    characters, no trailing space: what the body keeps of a line."""
    line = unicodedata.normalize("NFC", line)
    line = re.sub(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]", " ", line)
    line = re.sub(r"[\u200b-\u200d\u2060\ufeff]", "", line)
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
    if len(stripped.split()) > HEADING_MAX_WORDS or stripped[0] in _BULLETS:
        return False
    core = stripped.rstrip(_CLOSERS)
    return bool(core) and core[-1].isalnum()


def is_headline(text: str, max_words: int = 30) -> bool:
    """Whether the first line of an article reads as its headline.

    A headline has 2 to ``max_words`` words and does not end with a full stop
    (question and exclamation marks are allowed): a first line that is a
    sentence of prose is body, and the article has no headline.
    """
    words = word_count(text)
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    return 2 <= words <= max_words and not stripped.endswith((".", ":", ";", ","))


_SITE_SEPARATOR = re.compile(r"\s+[|\u2013\u2014-]\s+")


def strip_site_suffix(title: str, outlet: str = "", max_words: int = 5) -> str:
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
        if not site_like or word_count(last) > max_words:
            break
        parts, separators = parts[:-1], separators[:-1]
    head = parts[0]
    for part, separator in zip(parts[1:], separators):
        head += separator + part
    return head


def _match_rule(text: str) -> tuple[str, str] | None:
    """(rule name, 'certain'|'uncertain') of the first boilerplate rule matching."""
    words = word_count(text)
    for rule in BOILERPLATE_RULES:
        if rule.pattern.search(text):
            return rule.name, "certain" if words <= rule.max_words else "uncertain"
    return None


def _paragraph_key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


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
    """Lines after an "About the author" heading are the bio, up to 3 lines to the end."""
    rest = [j for j in range(heading + 1, len(lines)) if lines[j]]
    if len(rest) <= 3:
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
                if not ends_like_sentence(lines[j]) and fuzz.partial_ratio(lines[j], lines[i]) >= 75:
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
CORPUS_COLUMNS = ["doc_id", "label", "outlet", "title", "body", "source_file", "encoding",
                  "n_paragraphs", "n_words", "boilerplate_lines", "duplicate_paragraphs", "flags"]


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
        left out); ``source_file``; ``encoding``; ``n_paragraphs``; ``n_words``;
        ``boilerplate_lines``; ``duplicate_paragraphs``; ``flags``
        (``;``-separated: ``no_title``, ``uncertain_line:<n>:<rule>``, ``encoding:<enc>``,
        ``empty_body``); then the other columns of ``sources.csv``.
    """
    if lines is None:
        lines = line_table(raw)
    grouped = dict(tuple(lines.groupby("doc_id", sort=False)))
    records = []
    for row in raw.to_dict("records"):
        doc_lines = grouped[row["doc_id"]]
        kept = doc_lines[doc_lines["role"].isin(["body", "heading"])]
        body = "\n\n".join(kept["text"])
        title_rows = doc_lines.loc[doc_lines["role"] == "title", "text"]
        title = row["given_title"] or (strip_site_suffix(title_rows.iloc[0], row["outlet"])
                                       if len(title_rows) else "")
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
            "doc_id": row["doc_id"], "outlet": row["outlet"], "title": title, "body": body,
            "source_file": row["source_file"], "encoding": row["encoding"],
            "n_paragraphs": len(kept), "n_words": word_count(body),
            "boilerplate_lines": int((doc_lines["role"] == "boilerplate").sum()),
            "duplicate_paragraphs": int((doc_lines["role"] == "duplicate").sum()),
            "flags": ";".join(flags),
            **{k: v for k, v in row.items() if k not in RAW_COLUMNS and k != "outlet"},
        })
    docs = pd.DataFrame.from_records(records)
    docs.insert(1, "label", display_labels(docs))
    return docs[CORPUS_COLUMNS + [c for c in docs.columns if c not in CORPUS_COLUMNS]]


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
    """One row per paragraph of each body.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``paragraph`` (0-based), ``start``, ``end`` (character
        offsets into ``body``), ``kind`` (``paragraph`` or ``heading``, see
        :func:`is_heading`), ``n_words`` and ``text``.
    """
    rows = []
    for doc_id, body in docs[["doc_id", "body"]].itertuples(index=False):
        start = 0
        for index, text in enumerate(body.split("\n\n") if body else []):
            rows.append((doc_id, index, start, start + len(text),
                         "heading" if is_heading(text) else "paragraph", word_count(text), text))
            start += len(text) + 2
    return pd.DataFrame(rows, columns=["doc_id", "paragraph", "start", "end", "kind", "n_words", "text"])


def document_table(docs: pd.DataFrame, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """``documents.csv``: one row per document with its size and cleaning record.

    Parameters
    ----------
    docs : pandas.DataFrame
        The corpus table.
    sentences : pandas.DataFrame, optional
        :func:`analysis.nlp.sentence_table` output; without it ``n_sentences``
        is left empty.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``outlet``, ``title``, ``n_paragraphs``, ``n_sentences``,
        ``n_words``, ``boilerplate_lines``, ``duplicate_paragraphs``, ``flags``.
    """
    out = docs[["doc_id", "outlet", "title", "n_paragraphs"]].copy()
    if sentences is not None:
        counts = sentences.groupby("doc_id").size()
        out["n_sentences"] = docs["doc_id"].map(counts).fillna(0).astype(int)
    else:
        out["n_sentences"] = pd.NA
    for column in ["n_words", "boilerplate_lines", "duplicate_paragraphs", "flags"]:
        out[column] = docs[column]
    return out
