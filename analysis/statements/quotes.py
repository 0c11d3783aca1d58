"""Direct quotations: where they are and who said them.

:func:`extract_quotes` finds every quoted span of each body (curly or straight,
double or single marks, nested quotes, quotes running over several sentences or
paragraphs, quotes interrupted by an attribution), decides whether it is a
quotation or a scare quote, and attributes it to a speaker through spaCy's
dependency parse (:mod:`analysis.statements.speakers`).
:func:`analysis.statements.quote_variants.quote_variants` groups renderings of
the same statement across documents and diffs them word by word, so that a
reworded quotation (a misquote) stands out;
:func:`analysis.report.render.altered_quotes` renders those.

The quotation marks are read by the kit's one scanner
(:func:`analysis.text.quotation_marks.quotations`, every mark style); speech verbs and
statement nouns are recognised by spaCy's lemmas (:func:`analysis.text.lemmas.lemma`).
What this module adds on top: titles of works left out, interrupted
quotations joined, malformed unclosed ones dropped, speakers attributed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from analysis.corpus.cleaning import document_labels
from analysis.statements.speakers import (
    SPEECH_VERBS, UNKNOWN_SPEAKER, AttributionEvent, attribution_events, full_names, paragraph_index,
    resolve_speaker,
)
from analysis.tables import check_corpus_table
from analysis.text.lemmas import lemma
from analysis.text.paragraphs import paragraph_spans
from analysis.text.quotation_marks import QUOTATION_COLUMNS, quotation_rows
from analysis.text.words import words

#: Cue recorded when a quote paragraph carries on the previous paragraph's speaker.
CONTINUED_CUE = "(continued)"

#: A quoted span of at most this many words is a scare quote unless a cue
#: attributes it to a speaker (a partial quotation: called the claim “gossip
#: and speculation”). Four words: the issue-13 reading of the seeds found
#: attributed fragments of one to four words and unattributed scare phrases
#: of one to three ("bloodshed", "Putin's chef", "special military operation").
SCARE_MAX_WORDS = 4

#: Words right before a short quoted span that make it a scare quote even when
#: a speech verb governs the sentence ("so-called “library deserts”").
SCARE_CUES = ("so-called", "so called", "known as", "nicknamed", "dubbed", "self-styled",
              "self-described")

#: Rendering of a quotation standing on its own: it opens its sentence, or
#: follows a colon or a comma after the attribution (“…,” she said / said: “…”).
DIRECT = "direct"
#: Rendering of a quoted fragment woven into the reporter's own sentence.
PARTIAL = "partial"
#: The rendering column of a scare quote (no speaker, no quotation).
SCARE = "scare"

#: Paragraphs back a bare role ("the official said") looks for the person it
#: stands for: the reporter's next paragraph or the one after (003 of the seeds:
#: "National Security Council spokesman John Kirby stated ..." then "The official said").
ROLE_BACK_PARAGRAPHS = 2

#: Characters before an opening mark searched for a title cue ("the book “...”").
TITLE_CUE_WINDOW_CHARS = 40
#: Words of at least this many letters are the ones a Title Case work title
#: capitalises ("War and Peace": "and" is shorter and stays lower case).
TITLE_CASE_MIN_LETTERS = 4
#: Most words of attribution between the two halves of an interrupted quotation
#: (“A,” he said, “b.”) joined into one: an attribution is a few words
#: ("said the spokesman for the ministry"); more is prose between two quotes.
INTERRUPTION_MAX_WORDS = 10

#: Words that, right before a quoted span, mark it as the title of a work.
TITLE_CUES = frozenset("""
    titled entitled headlined book film movie novel song album article series show
    play documentary poem essay column op-ed podcast episode painting exhibition
    headline newsletter report
""".split())

QUOTE_COLUMNS = ["doc_id", "quote_id", "text", "speaker", "cue", "start", "end", "kind", "label",
                 "rendering", "sentence_start", "sentence_end"]


# --------------------------------------------------------------------------
# Finding quoted spans
# --------------------------------------------------------------------------

@dataclass
class _Span:
    """A quotation: inner offsets (without marks) and its pieces."""

    start: int            # first character of the quoted words
    end: int              # one past the last quoted word character
    mark: str             # family of the marks: "double", "single" or a corner bracket
    closed: bool
    open_at: int          # offset of the opening mark
    close_at: int         # offset of the closing mark (== end when unclosed)
    pieces: list = field(default_factory=list)   # [(start, end)] of quoted words


def _find_spans(body: str) -> list[tuple[_Span, int]]:
    """Quotations of a body with the index of the paragraph each starts in.

    The quotation marks are read by :func:`analysis.text.quotation_marks.quotations` (a
    quotation running over several paragraphs, each reopened, comes as one
    quotation in pieces). An unclosed quotation that does not end like a
    sentence is dropped here as malformed.
    """
    kept = []
    # rows come in quotation order, the pieces of one quotation together
    for _, group in itertools.groupby(quotation_rows(body), key=lambda row: row[0]):
        pieces = list(group)
        first, last = dict(zip(QUOTATION_COLUMNS, pieces[0])), dict(zip(QUOTATION_COLUMNS, pieces[-1]))
        span = _Span(int(first["start"]), int(last["end"]), str(first["family"]),
                     bool(last["closed"]), int(first["open_at"]), int(last["close_at"]),
                     [(int(row[4]), int(row[5])) for row in pieces])
        if not span.closed and not body[span.pieces[-1][0]:span.pieces[-1][1]].endswith((".", "!", "?")):
            continue
        kept.append((span, int(first["paragraph"])))
    return kept


# --------------------------------------------------------------------------
# Attribution of a quoted span
# --------------------------------------------------------------------------

def _choose_event(span: _Span, doc, events: list[AttributionEvent], paras,
                  para: int) -> AttributionEvent | None:
    """The attribution of a quoted span: a speech verb governing it, else the nearest
    speech verb in the sentences the quote touches (never beyond its paragraphs)."""
    first_para = para
    last_para = paragraph_index([s for s, _ in paras], span.end)
    lo_char, hi_char = paras[first_para][0], paras[last_para][1]
    sents = [s for s in doc.sents if s.end_char > span.open_at and s.start_char <= span.close_at]
    if sents:
        lo_char = max(lo_char, sents[0].start_char)
        hi_char = min(hi_char, sents[-1].end_char)
    inside = [t for t in doc if span.start <= t.idx < span.end]
    window = [e for e in events if lo_char <= e.pos < hi_char]
    if not window:
        return None

    def distance(e: AttributionEvent) -> int:
        if e.pos >= span.close_at:
            return e.pos - span.close_at
        return span.open_at - e.pos

    governing = [e for e in window if any(doc[e.token_i].is_ancestor(t) for t in inside)]
    pool = ([e for e in governing if e.speaker] or [e for e in window if e.speaker]
            or governing or window)
    return min(pool, key=lambda e: (distance(e), e.pos))


def _preceding_event(span: _Span, events: list[AttributionEvent], paras,
                     para: int) -> AttributionEvent | None:
    """Attribution carried over to an unattributed quotation: the last one earlier in
    its paragraph, or, for a quotation opening its paragraph, the last one of the
    previous paragraph (the newspaper convention for a speaker's continuing words)."""
    same = [e for e in events if e.para == para and e.pos < span.open_at]
    if same:
        return same[-1] if same[-1].speaker else None
    if span.open_at == paras[para][0] and para > 0:
        prior = [e for e in events if e.para == para - 1]
        if prior and prior[-1].speaker:
            return prior[-1]
    return None


# --------------------------------------------------------------------------
# Quotes table
# --------------------------------------------------------------------------

def _is_title(body: str, span: _Span) -> bool:
    """A quoted title of a work: announced by a cue word or written in Title Case."""
    before = body[max(0, span.open_at - TITLE_CUE_WINDOW_CHARS):span.open_at]
    prev_words = words(before.lower())[-2:]
    if prev_words and prev_words[-1] in TITLE_CUES:
        return True
    quoted = words(body[span.start:span.end])
    long_words = [w for w in quoted if len(w) >= TITLE_CASE_MIN_LETTERS]
    if len(quoted) >= 2 and len(long_words) >= 2 and quoted[0][0].isupper():
        caps = sum(w[0].isupper() for w in long_words)
        text = body[span.start:span.end].rstrip()
        if caps == len(long_words) and not text.endswith((".", ",", "!", "?")):
            return True
    return False


def _merge_interrupted(body: str, spans: list[tuple[_Span, int]], doc) -> list[tuple[_Span, int]]:
    """Join ``“A,” he said, “b.”`` into one quotation (the attribution left out)."""
    merged: list[tuple[_Span, int]] = []
    for span, p in spans:
        if merged:
            prev, pp = merged[-1]
            between = body[prev.close_at + 1:span.open_at]
            last_prev = body[prev.pieces[-1][0]:prev.pieces[-1][1]].rstrip()
            if ("\n" not in between and between.strip().endswith(",")
                    and (last_prev.endswith(",") or between.lstrip().startswith(","))
                    and len(words(between)) <= INTERRUPTION_MAX_WORDS
                    and any(lemma(t) in SPEECH_VERBS
                            for t in doc if prev.close_at < t.idx < span.open_at)):
                prev.pieces.extend(span.pieces)
                prev.end, prev.close_at, prev.closed = span.end, span.close_at, span.closed
                continue
        merged.append((span, p))
    return merged


def _span_text(body: str, span: _Span) -> str:
    parts = [body[s:e].strip() for s, e in span.pieces]
    text = " ".join(p for p in parts if p)
    return re.sub(r"\s+", " ", text)


def extract_quotes(docs: pd.DataFrame, parsed: Mapping | None = None,
                   canonicalize: Callable[[str], str] | None = None) -> pd.DataFrame:
    """Direct quotations and scare quotes of every document, with their speakers.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``body``; ``label`` used when present).
    parsed : mapping, optional
        ``doc_id`` -> spaCy ``Doc`` of the body (:func:`analysis.text.nlp.parse_bodies`).
        When omitted the bodies are parsed with :func:`analysis.text.nlp.load_pipeline`.
    canonicalize : callable, optional
        Maps a speaker name to its canonical form (e.g. ``"Kirby"`` ->
        ``"John Kirby"``); applied after this module's own resolution of a bare
        surname to a full name used in the same document.

    Returns
    -------
    pandas.DataFrame
        One row per quoted span, sorted by ``doc_id`` and ``start``:

        - ``doc_id`` (str), ``label`` (str, the document's display label);
        - ``quote_id`` (str): ``"<doc_id>-q<NN>"``, numbered in text order;
        - ``text`` (str): the quoted words without the outer quotation marks
          (inner, nested quotation marks are kept). It equals ``body[start:end]``
          except for a quotation interrupted by an attribution or running over
          several paragraphs, whose pieces are joined by a space;
        - ``speaker`` (str): the speaker, a full name where the document gives one,
          otherwise a description ("North Korean foreign ministry spokesperson");
          ``"unknown"`` when it cannot be determined;
        - ``cue`` (str): the attribution words ("said", "told reporters",
          "according to", "said in a statement"); ``"(continued)"`` for a quote
          paragraph that carries on the previous paragraph's speaker; ``""`` when
          the speaker is unknown;
        - ``start``, ``end`` (int): character offsets of the quoted words in ``body``;
        - ``kind`` (str): ``"quote"``, or ``"scare"`` for a quoted word or short
          phrase of at most :data:`SCARE_MAX_WORDS` words that no cue attributes
          (a short span whose speech verb governs it in the parse is a partial
          quotation; one after "so-called", "known as" ... stays a scare quote).
          A scare quote has no speaker (``"unknown"``);
        - ``rendering`` (str): ``"direct"`` (the quotation opens its sentence or
          follows a colon or comma), ``"partial"`` (a fragment woven into the
          reporter's sentence) or ``"scare"``;
        - ``sentence_start``, ``sentence_end`` (int): character span of the
          sentence(s) the quotation sits in, its marks included.

        Quoted titles of works ("the film “...”", Title Case phrases) are left out.

    Raises
    ------
    ValueError
        If ``docs`` lacks ``doc_id``/``body`` or ``parsed`` lacks a document.
    """
    check_corpus_table(docs)
    if parsed is None:
        from analysis.text.nlp import load_pipeline, parse_bodies
        parsed = parse_bodies(docs, load_pipeline())
    labels = document_labels(docs)
    canon = canonicalize or (lambda s: s)
    rows = []
    for doc_id, body in zip(docs["doc_id"].astype(str), docs["body"]):
        body = "" if body is None or (isinstance(body, float) and pd.isna(body)) else str(body)
        if doc_id not in parsed:
            raise ValueError(f"parsed has no spaCy Doc for document {doc_id!r}")
        doc = parsed[doc_id]
        if doc.text != body:
            raise ValueError(f"parsed Doc for {doc_id!r} is not a parse of its body")
        rows.extend(_doc_quotes(doc_id, body, doc, labels.get(doc_id, doc_id), canon))
    table = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    table = table.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)
    return table.astype({"start": "int64", "end": "int64", "sentence_start": "int64",
                         "sentence_end": "int64"})


def _doc_quotes(doc_id: str, body: str, doc, label: str, canon) -> list[dict]:
    paras = paragraph_spans(body)
    spans = [(s, p) for s, p in _find_spans(body) if not _is_title(body, s)]
    spans = _merge_interrupted(body, spans, doc)
    quoted = [(a - 1, b) for s, _ in spans for a, b in s.pieces]

    def in_quote(pos: int) -> bool:
        return any(a <= pos <= b for a, b in quoted)

    events = attribution_events(doc, in_quote, paras)
    names = full_names(doc)
    descriptions: list[str] = []
    for k, e in enumerate(events):
        person = next((p for p in reversed(events[:k]) if p.speaker and p.is_person
                       and e.para - p.para <= ROLE_BACK_PARAGRAPHS), None)
        e.speaker = resolve_speaker(e.speaker, names, descriptions,
                                    person.speaker if person else None)
        if person is not None and e.speaker == person.speaker:
            e.is_person = True
        if e.speaker and " " in e.speaker and not e.is_person:
            descriptions.append(e.speaker)

    rows = []
    for n, (span, para) in enumerate(spans, start=1):
        text = _span_text(body, span)
        event = _choose_event(span, doc, events, paras, para)
        if event is not None and not event.speaker and event.cue.startswith("according to a "):
            event = _statement_source(event, events)
        speaker, cue = (event.speaker, event.cue) if event and event.speaker else (None, "")
        sent_start, sent_end = _sentence_bounds(doc, span)
        kind = "quote"
        if len(words(text)) <= SCARE_MAX_WORDS and not _whole_sentence(body, span, sent_start) and not (
                speaker and _governs(doc, event, span) and not _has_scare_cue(body, span)):
            kind, speaker, cue = "scare", None, ""
        if event is None and kind == "quote":
            prior = _preceding_event(span, events, paras, para)
            if prior is not None:
                speaker, cue = prior.speaker, CONTINUED_CUE
        speaker = canon(speaker) if speaker else UNKNOWN_SPEAKER
        rows.append({"doc_id": doc_id, "quote_id": f"{doc_id}-q{n:02d}", "text": text,
                     "speaker": speaker, "cue": cue if speaker != UNKNOWN_SPEAKER else "",
                     "start": span.start, "end": span.end, "kind": kind, "label": label,
                     "rendering": SCARE if kind == "scare" else _rendering(body, span, sent_start),
                     "sentence_start": sent_start, "sentence_end": sent_end})
    return rows


def _governs(doc, event: AttributionEvent | None, span: _Span) -> bool:
    """Whether the attribution's speech verb governs the quoted words in the parse
    (called the claim “gossip”, said the report was “false”)."""
    if event is None:
        return False
    verb = doc[event.token_i]
    return any(verb.is_ancestor(t) for t in doc if span.start <= t.idx < span.end)


def _whole_sentence(body: str, span: _Span, sent_start: int) -> bool:
    """A short quotation that is a sentence of its own (“For what?”): it opens its
    sentence and ends with the sentence's punctuation inside the marks."""
    return (_rendering(body, span, sent_start) == DIRECT and span.closed
            and body[span.start:span.end].rstrip().endswith((".", "?", "!")))


def _has_scare_cue(body: str, span: _Span) -> bool:
    before = re.sub(r"\s+", " ", body[max(0, span.open_at - TITLE_CUE_WINDOW_CHARS):span.open_at])
    return before.lower().rstrip().endswith(SCARE_CUES)


def _statement_source(event: AttributionEvent, events: list[AttributionEvent]) -> AttributionEvent:
    """“According to a statement …” naming no source: the statement is the last
    speaker's, named in the same or the previous paragraph."""
    prior = [e for e in events if e.pos < event.pos and e.speaker and event.para - e.para <= 1]
    if not prior:
        return event
    return AttributionEvent(event.pos, prior[-1].speaker, prior[-1].is_person, event.cue,
                            event.token_i, event.para)


def _sentence_bounds(doc, span: _Span) -> tuple[int, int]:
    """Character span of the sentences the quotation touches, marks included."""
    sents = [s for s in doc.sents if s.end_char > span.open_at and s.start_char <= span.close_at]
    if not sents:
        return span.open_at, span.close_at + 1
    return sents[0].start_char, max(sents[-1].end_char, min(span.close_at + 1, len(doc.text)))


def _rendering(body: str, span: _Span, sent_start: int) -> str:
    """:data:`DIRECT` when the quotation opens its sentence or follows a colon or a
    comma (“…,” she said; she said: “…”; he said, “…”), else :data:`PARTIAL`."""
    before = body[min(sent_start, span.open_at):span.open_at].strip()
    if not before or before.endswith((":", ",", "—", "–")):
        return DIRECT
    return PARTIAL
