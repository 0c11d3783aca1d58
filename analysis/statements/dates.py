"""Dates in each document, resolved against its publication date, and what they date.

:func:`extract_dates` finds every date phrase of a body (spaCy's DATE entities,
plus the decades and day names the small model misses), reads it with
:func:`analysis.statements.date_rules.read_date` against the document's
reference date and records the event it dates. The reference is the
``published`` column of sources.csv, else a dateline at the head of the text
("22 December 2022", "LONDON, Dec 22 (Reuters) -"), else there is none and
relative dates stay unresolved, which the ``resolution`` column says.
Durations ("10 years", "recent weeks") are not dates and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from analysis.corpus.cleaning import document_labels
from analysis.statements.date_rules import MONTHS, Reference, read_date, strip_lead
from analysis.statements.speakers import SPEECH_VERBS
from analysis.tables import check_corpus_table
from analysis.text.lemmas import lemma
from analysis.text.sentences import sentence_spans

DATE_COLUMNS = ["doc_id", "label", "sentence", "text", "start", "end", "value", "granularity",
                "resolution", "reference", "event", "event_kind", "tense", "keywords"]

#: Characters at the head of a body searched for a dateline: a date line of its
#: own ("22 December 2022", "Published: 3 May 2021") or a wire dateline
#: ("LONDON, Dec 22 (Reuters) -") comes first, before the first sentence ends.
DATELINE_WINDOW_CHARS = 120
_DATE_LINE = re.compile(r"^\s*(?:(?:published|updated|last\s+updated|posted)\s*(?:on\s*)?:?\s*)?"
                        r"(?P<date>[^\n]{6,40}?)\s*(?:\n|$)", re.I)
_WIRE_DATELINE = re.compile(r"^\s*(?:[A-Z][A-Za-z .'-]*,\s*)?(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2}"
                            r"(?:,\s*\d{4})?)\s*\([A-Z][\w .&-]{1,30}\)\s*[-\u2013\u2014]")
#: Date phrases spaCy's small model tags as numbers or misses: decades
#: ("the 30's", "the '90s", "the 1930s"), days ("yesterday", "on Thursday") and
#: years after a preposition ("in 2014").
_EXTRA_DATES = re.compile(
    r"(?i:\bthe\s+(?:early\s+|late\s+|mid-?)?(?:'?\d0'?s|1[5-9]\d0'?s|20[0-2]0'?s)\b"
    r"|\b(?:yesterday|today|tomorrow)\b)"
    r"|\b(?i:in|since|by|until|from|before|after)\s+(?P<year>1[89]\d\d|20\d\d)\b(?![,.]?\d|%)"
    r"|\b(?:on\s+)?(?P<day>(?:last\s+|next\s+|this\s+)?(?:Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday))\b")
#: Columns of sources.csv read as the publication date, first found first (the
#: report's :data:`analysis.report.columns.DATE_COLUMNS`, which this layer may not import).
PUBLISHED_COLUMNS = ("published", "date", "published_at", "publication_date")
#: Governing verbs marking a date as one to come ("expected to debate it in March").
FUTURE_HEADS = frozenset("expect plan schedule due set hope intend aim prepare".split())
#: Verbs that report a statement; a date attached to one dates the statement, not its content.
STATEMENT_VERBS = SPEECH_VERBS | frozenset("report reveal claim allege announce".split())


def document_reference(body: str, published: object = None) -> Reference:
    """Reference date of a document: ``published`` when it parses, else its dateline, else none.

    Parameters
    ----------
    body : str
        The document's text.
    published : object
        The ``published`` value of sources.csv (any form pandas reads as a
        date), or None / empty.
    """
    if isinstance(published, str) and published.strip() or isinstance(published, pd.Timestamp):
        stamp = pd.to_datetime(published, errors="coerce")
        if not pd.isna(stamp):
            return Reference(stamp.year, stamp.month, stamp.day, "published")
    return dateline(body) or Reference()


def dateline(body: str) -> Reference | None:
    """The date of a dateline at the head of ``body``, or None (see :data:`DATELINE_WINDOW_CHARS`)."""
    head = body[:DATELINE_WINDOW_CHARS]
    for pattern in (_WIRE_DATELINE, _DATE_LINE):
        m = pattern.match(head)
        if not m:
            continue
        value = read_date(m.group("date"))
        if value is not None and value.granularity == "day":
            year, month, day = value.value.split("-")
            return Reference(int(year) if year.isdigit() else None, int(month), int(day),
                             "dateline")
    return None


def extract_dates(docs: pd.DataFrame, parsed: Mapping) -> pd.DataFrame:
    """Every date of every document, resolved, with the event it dates.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``body``; ``label`` and the publication date,
        :data:`PUBLISHED_COLUMNS`, used when present).
    parsed : mapping
        ``doc_id`` -> spaCy ``Doc`` of the body.

    Returns
    -------
    pandas.DataFrame
        One row per date phrase, sorted by ``doc_id`` and ``start``:

        - ``doc_id``, ``label`` (str); ``sentence`` (int): index of its sentence
          in the document (:func:`analysis.text.sentences.sentence_spans`);
        - ``text`` (str): the phrase as written, ``start``/``end`` (int) its offsets;
        - ``value`` (str): the date as a TimeML value: ``2022-11-20``, ``2022-W50``,
          ``2022-11``, ``2022-Q3``, ``2022``, ``193`` (the 1930s); ``X`` for each
          digit left unknown (``XXXX-11``), ``""`` when nothing is known;
        - ``granularity`` (str): ``day``, ``week``, ``month``, ``quarter``, ``year``, ``decade``;
        - ``resolution`` (str): ``explicit`` (the phrase gives the full date),
          ``published`` or ``dateline`` (read against that reference),
          ``unresolved`` (relative, and the document has no reference, or it
          lacks the year this phrase needs);
        - ``reference`` (str): the reference date used (``2022-12-23``,
          ``XXXX-02-09`` for a dateline without year), ``""`` when none;
        - ``event`` (str): what it dates: the lemma of the verb or noun the
          phrase attaches to, with the verb's object (``"deliver rocket"``,
          ``"seizure"``); ``event_kind`` (str): ``statement`` (a verb of saying:
          the date is when it was said), ``action`` (another verb), ``noun``,
          ``dateline`` (the article's own dateline, dating no event) or ``""``; ``tense`` (str): ``future`` for a date to come, else ``past``;
        - ``keywords`` (str): the lemmas of the content words of its sentence
          (nouns, names, verbs, adjectives, numbers; stop words, verbs of
          saying and the date phrases left out), sorted and space-separated: what
          :mod:`analysis.statements.date_claims` compares across outlets.
    """
    check_corpus_table(docs)
    labels = document_labels(docs)
    column = next((c for c in PUBLISHED_COLUMNS if c in docs.columns), None)
    published = docs[column] if column else pd.Series(None, index=docs.index)
    rows = []
    for doc_id, body, pub in zip(docs["doc_id"].astype(str), docs["body"], published):
        if doc_id not in parsed:
            raise ValueError(f"parsed has no spaCy Doc for document {doc_id!r}")
        body = body if isinstance(body, str) else ""
        ref = document_reference(body, pub)
        for row in doc_dates(body, parsed[doc_id], ref):
            rows.append({"doc_id": doc_id, "label": labels.get(doc_id, doc_id), **row})
    table = pd.DataFrame(rows, columns=DATE_COLUMNS)
    table = table.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)
    return table.astype({"sentence": "int64", "start": "int64", "end": "int64"})


def date_spans(body: str, doc) -> list[tuple[int, int]]:
    """Character spans of the date phrases of a parsed body (durations left out)."""
    found = []
    for ent in doc.ents:
        if ent.label_ == "DATE" and read_date(ent.text) is not None and not _is_name(ent.text, ent.start_char, body):
            found.append((ent.start_char, ent.end_char))
    for m in _EXTRA_DATES.finditer(body):
        start = m.start("day") if m.group("day") else m.start("year") if m.group("year") else m.start()
        if all(m.end() <= s or start >= e for s, e in found) and not _is_name(m.group(0), m.start(), body):
            found.append((start, m.end()))
    return sorted(found)


def _is_name(text: str, start: int, body: str) -> bool:
    """A capitalised "Today" inside a sentence is a name (BBC Radio 4's Today programme)."""
    word = strip_lead(text)
    if word not in ("Today", "Tomorrow", "Yesterday"):
        return False
    before = body[:start].rstrip()
    return bool(before) and before[-1] not in ".!?\n\"\u201c"


def doc_dates(body: str, doc, ref: Reference) -> list[dict]:
    """Date rows (see :func:`extract_dates`) of one parsed body."""
    sentences = sentence_spans(doc)
    spans = date_spans(body, doc)
    rows = []
    for start, end in spans:
        text = body[start:end]
        span = doc.char_span(start, end, alignment_mode="expand")
        event, kind, future = ("", "dateline", False) if _is_dateline_span(body, start) else _event(span)
        value = read_date(text, ref, future)
        if value is None:
            continue
        known = value.value and "X" not in value.value
        if not value.relative:
            resolution = "explicit" if known else "unresolved"
        else:
            resolution = ref.source if known and ref.source else "unresolved"
        if kind == "dateline":
            resolution = "dateline"
        if ref.source and value.value and "X" in value.value and value.relative and ref.month:
            resolution = ref.source          # month known from a dateline without year
        sentence = next((i for i, (s, e) in enumerate(sentences) if s <= start < e), -1)
        rows.append({"sentence": sentence, "text": text, "start": start, "end": end,
                     "value": value.value, "granularity": value.granularity,
                     "resolution": resolution, "reference": _reference_text(ref),
                     "event": event, "event_kind": kind, "tense": "future" if future else "past",
                     "keywords": _keywords(doc, sentences[sentence] if sentence >= 0 else (start, end),
                                           spans)})
    return rows


def _keywords(doc, bounds: tuple[int, int], dates: list[tuple[int, int]]) -> str:
    """Content lemmas of a sentence, date phrases left out (see :func:`extract_dates`)."""
    words = set()
    for tok in doc.char_span(bounds[0], bounds[1], alignment_mode="expand") or []:
        if tok.is_stop or tok.pos_ not in ("NOUN", "PROPN", "VERB", "ADJ", "NUM") \
                or lemma(tok) in STATEMENT_VERBS \
                or any(s <= tok.idx < e for s, e in dates):
            continue
        words.add(lemma(tok).lower())
    return " ".join(sorted(words))


def _is_dateline_span(body: str, start: int) -> bool:
    """Whether the phrase at ``start`` is the date of the body's dateline."""
    if dateline(body) is None:
        return False
    head = body[:DATELINE_WINDOW_CHARS]
    m = _WIRE_DATELINE.match(head) or _DATE_LINE.match(head)
    return bool(m) and m.start("date") <= start < m.end("date")


def _reference_text(ref: Reference) -> str:
    if not ref.source:
        return ""
    year = f"{ref.year:04d}" if ref.year else "XXXX"
    return f"{year}-{ref.month:02d}-{ref.day:02d}"


def _event(span) -> tuple[str, str, bool]:
    """What a date phrase dates: (event, event_kind, future)."""
    if span is None or len(span) == 0:
        return "", "", False
    # spaCy makes a new Token object on each access: "tok.head is not tok" is always true, and a
    # date phrase holding the sentence root (a title-only story, "March 5, 1987") looped forever.
    tok = span.root
    while tok.head.i != tok.i and (tok in span or tok.dep_ in ("prep", "pobj", "npadvmod",
                                                               "advmod", "amod", "compound", "conj",
                                                               "appos")
                                   or tok.pos_ == "ADP"):
        if tok.pos_ in ("VERB", "AUX", "NOUN") and tok not in span:
            break
        tok = tok.head
    if tok in span or tok.pos_ not in ("VERB", "AUX", "NOUN", "PROPN"):
        return "", "", False
    if tok.pos_ in ("NOUN", "PROPN"):
        return lemma(tok), "noun", False
    future = any(c.lower_ in ("will", "shall", "'ll", "would") for c in tok.children) \
        or (tok.dep_ == "xcomp" and lemma(tok.head) in FUTURE_HEADS) \
        or any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) and lemma(tok.head) in FUTURE_HEADS
    obj = next((c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr")
                and c.pos_ in ("NOUN", "PROPN") and not any(ch.isdigit() for ch in c.text)), None)
    event = lemma(tok) + (f" {lemma(obj)}" if obj is not None else "")
    return event, "statement" if lemma(tok) in STATEMENT_VERBS else "action", future


def is_month_word(word: str) -> bool:
    """Whether ``word`` names a month ("Nov.", "December")."""
    return word.lower().rstrip(".") in MONTHS
