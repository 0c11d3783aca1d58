"""The corpus table every section uses: title and cleaned body of every document.

:func:`clean_corpus` builds it from the raw table of
:func:`analysis.corpus.reading.read_corpus` and the line roles of
:func:`analysis.corpus.boilerplate.line_table`; :func:`load_corpus` does all
three. This module also gives each document its display label
(:func:`document_labels`) and builds the corpus section's tables
(``documents.csv``, ``boilerplate.csv``, ``paragraphs.csv``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.corpus.boilerplate import INVISIBLE_CHARACTERS, is_heading, line_table, normalize_line, strip_site_suffix
from analysis.corpus.dates import publication_times
from analysis.corpus.inputs import printable
from analysis.corpus.language import detect_language, document_languages, language_code
from analysis.corpus.reading import CORPUS_COLUMNS, RAW_COLUMNS, check_document_length, read_corpus
from analysis.text.paragraphs import paragraph_spans
from analysis.text.words import count_words


def clean_corpus(raw: pd.DataFrame, lines: pd.DataFrame | None = None) -> pd.DataFrame:
    """Build the corpus table: title and cleaned body of every document.

    Parameters
    ----------
    raw : pandas.DataFrame
        From :func:`analysis.corpus.reading.read_corpus`.
    lines : pandas.DataFrame, optional
        From :func:`analysis.corpus.boilerplate.line_table` (computed when not given).

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
        :data:`analysis.corpus.boilerplate.INVISIBLE_CHARACTERS`); ``flags``
        (``;``-separated: ``no_title``, ``uncertain_line:<n>:<rule>``, ``encoding:<enc>``,
        ``empty_body``); then the other columns of ``sources.csv`` (a
        ``published`` column is the publication time, ISO 8601: see
        :mod:`analysis.corpus.dates`).

    Raises
    ------
    CorpusError
        A body longer than :data:`analysis.corpus.reading.MAX_DOCUMENT_CHARS` (lines become paragraphs
        joined by a blank line, so a body may be longer than its file), named
        by its source file, before any section parses it; a given ``language``
        that is not an ISO 639 code; a ``published`` value that is not an ISO 8601
        date or date-time.
    """
    if lines is None:
        lines = line_table(raw)
    # plain tuples per document: five pandas masks per document cost more than the cleaning
    grouped: dict[str, list[tuple]] = {}
    for doc_id, *line in zip(lines["doc_id"], lines["role"], lines["text"], lines["line"], lines["flag"]):
        grouped.setdefault(doc_id, []).append(line)
    records = []
    for row in raw.to_dict("records"):
        doc_lines = grouped[row["doc_id"]]
        kept = [text for role, text, _, _ in doc_lines if role in ("body", "heading")]
        body = "\n\n".join(kept)
        check_document_length(body, f"{printable(row['source_file'])}: the body to analyse has")
        outlet, given_title = normalize_line(row["outlet"]), normalize_line(row["given_title"])
        title_rows = [text for role, text, _, _ in doc_lines if role == "title"]
        title = given_title or (strip_site_suffix(title_rows[0], outlet) if title_rows else "")
        flags = []
        if not title:
            flags.append("no_title")
        if not body:
            flags.append("empty_body")
        if row["encoding"] not in {"utf-8", "utf-8-sig"}:
            flags.append(f"encoding:{row['encoding']}")
        for _, _, number, flag in doc_lines:
            if isinstance(flag, str) and flag.startswith("uncertain"):
                flags.append(f"uncertain_line:{number}:{flag.split(':', 1)[1]}")
        records.append({
            "doc_id": row["doc_id"], "outlet": outlet, "title": title, "body": body,
            "source_file": row["source_file"], "encoding": row["encoding"],
            "language": _language(row, title, body),
            "n_paragraphs": len(kept), "n_words": count_words(body),
            "boilerplate_lines": sum(role == "boilerplate" for role, _, _, _ in doc_lines),
            "duplicate_paragraphs": sum(role == "duplicate" for role, _, _, _ in doc_lines),
            "controls_removed": sum(len(INVISIBLE_CHARACTERS.findall(row[k]))
                                    for k in ("text", "given_title", "outlet")),
            "flags": ";".join(flags),
            **{k: v for k, v in row.items() if k not in RAW_COLUMNS and k not in ("outlet", "language")},
        })
    docs = pd.DataFrame.from_records(records)
    publication_times(docs)  # a published value that is not ISO 8601 stops here, named
    docs.insert(1, "label", display_labels(docs))
    return docs[CORPUS_COLUMNS + [c for c in docs.columns if c not in CORPUS_COLUMNS]]


def _language(row: dict, title: str, body: str) -> str:
    """The document's language: as given in its input table (checked on reading), else detected."""
    value = row.get("language")
    given = normalize_line(value) if isinstance(value, str) else ""
    return language_code(given) if given else detect_language(f"{title}\n\n{body}")


#: Words of the headline a document without an outlet is labelled by ("a few
#: words", issue 14): four tell the seed corpus's headlines apart and fit a
#: figure's tick label; more are taken only to keep two labels apart.
HEADLINE_LABEL_WORDS = 4
#: Most headline words a label grows to before the doc_id is added instead.
HEADLINE_LABEL_MAX_WORDS = 8


def _headline_words(title: str, n_words: int) -> str:
    """The first ``n_words`` words of ``title``, with "…" when some were cut."""
    words = str(title).split()
    if len(words) <= n_words:
        return " ".join(words)
    return " ".join(words[:n_words]).rstrip(",;:.-–—|") + "…"


def display_labels(docs: pd.DataFrame) -> list[str]:
    """A unique, readable label per document: its outlet, else a few words of its headline.

    - A document with an outlet no other document has: the outlet.
    - Without an outlet: the first :data:`HEADLINE_LABEL_WORDS` words of its
      title ("N. Korea disputes that…"), more (up to
      :data:`HEADLINE_LABEL_MAX_WORDS`) where two labels would read the same;
      the doc_id when it has no title.
    - An outlet shared by several documents: ``"<outlet>: <headline words>"``.
    - A label still equal to another one is the short one (four words) with
      ``" (<doc_id>)"``.

    Parameters
    ----------
    docs : pandas.DataFrame
        Table with ``doc_id``, ``outlet`` (``""`` when unknown) and, optionally,
        ``title`` (``""`` when none).

    Returns
    -------
    list of str
        One label per row, in row order.
    """
    counts = docs["outlet"].value_counts()
    titles = docs["title"].fillna("").astype(str) if "title" in docs.columns else pd.Series("", index=docs.index)
    rows = list(docs[["doc_id", "outlet"]].astype({"doc_id": str}).assign(title=titles).itertuples(index=False))

    def label(doc_id: str, outlet: str, title: str, n_words: int) -> str:
        if outlet and counts[outlet] == 1:
            return outlet
        if not title.strip():
            return f"{outlet} ({doc_id})" if outlet else doc_id
        words = _headline_words(title, n_words)
        return f"{outlet}: {words}" if outlet else words

    labels = [label(*row, HEADLINE_LABEL_WORDS) for row in rows]
    for n_words in range(HEADLINE_LABEL_WORDS + 1, HEADLINE_LABEL_MAX_WORDS + 1):
        taken = pd.Series(labels).value_counts()
        clashing = [k for k, text in enumerate(labels) if taken[text] > 1]
        if not clashing:
            break
        for k in clashing:
            labels[k] = label(*rows[k], n_words)
    taken = pd.Series(labels).value_counts()
    # headlines that more words do not tell apart (a republished article): the short label and the doc_id
    return [f"{label(*row, HEADLINE_LABEL_WORDS)} ({row[0]})" if taken[text] > 1 and text != row[0] else text
            for text, row in zip(labels, rows)]


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
    """Read and clean a corpus: :func:`analysis.corpus.reading.read_corpus` then :func:`clean_corpus`."""
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
    """One row per paragraph of each body (:func:`analysis.text.paragraphs.paragraph_spans`).

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``paragraph`` (0-based), ``start``, ``end`` (character
        offsets into ``body``), ``kind`` (``paragraph`` or ``heading``, see
        :func:`analysis.corpus.boilerplate.is_heading`), ``n_words`` (:func:`analysis.text.words.count_words`)
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
        :func:`analysis.text.sentences.sentence_table` output; without it ``n_sentences``
        is left empty.

    Returns
    -------
    pandas.DataFrame
        ``doc_id``, ``outlet``, ``title``, ``language`` (ISO 639 code, ``"und"``
        when undetermined: documents in another language than English are
        left out of the English-only sections), ``n_paragraphs``, ``n_sentences``,
        ``n_words``, ``boilerplate_lines``, ``duplicate_paragraphs``,
        ``controls_removed`` (invisible characters such as bidi controls removed
        from the document: its text was altered), ``flags``; then every other
        column of ``sources.csv`` (or of tabular input: dates, URLs, ...) as given.
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
    for column in [c for c in docs.columns if c not in CORPUS_COLUMNS and c not in out.columns]:
        out[column] = docs[column]
    return out
