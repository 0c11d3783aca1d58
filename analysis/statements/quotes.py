"""Direct quotations, their speakers, and how outlets render the same statement.

:func:`extract_quotes` finds every quoted span of each body (curly or straight,
double or single marks, nested quotes, quotes running over several sentences or
paragraphs, quotes interrupted by an attribution), decides whether it is a
quotation or a scare quote, and attributes it to a speaker through spaCy's
dependency parse. :func:`quote_variants` groups renderings of the same
statement across documents and diffs them word by word, so that a reworded
quotation (a misquote) stands out; :func:`analysis.report.render.altered_quotes` renders those.

The quotation marks are read by the kit's one scanner
(:func:`analysis.text.layer.quotations`, every mark style); speech verbs and
statement nouns are recognised by spaCy's lemmas (:func:`analysis.text.layer.lemma`).
What this module adds on top: titles of works left out, interrupted
quotations joined, malformed unclosed ones dropped, speakers attributed.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.corpus.cleaning import document_labels
from analysis.tables import check_corpus_table
from analysis.text.lemmas import lemma, stop_words
from analysis.text.paragraphs import paragraph_spans
from analysis.text.quotation_marks import quotations
from analysis.text.words import normalise_word, words

#: Speaker value when no speaker can be determined (never a guess).
UNKNOWN_SPEAKER = "unknown"

#: Cue recorded when a quote paragraph carries on the previous paragraph's speaker.
CONTINUED_CUE = "(continued)"

#: A quoted span of at most this many words is a scare quote, not a quotation.
SCARE_MAX_WORDS = 4

#: Levels of clauses climbed from a speech verb to its subject (participles,
#: conjuncts: "said ... and added"); deeper chains are parser errors.
SUBJECT_MAX_CLIMB = 4
#: Characters before an opening mark searched for a title cue ("the book “...”").
TITLE_CUE_WINDOW_CHARS = 40
#: Words of at least this many letters are the ones a Title Case work title
#: capitalises ("War and Peace": "and" is shorter and stays lower case).
TITLE_CASE_MIN_LETTERS = 4
#: Most words of attribution between the two halves of an interrupted quotation
#: (“A,” he said, “b.”) joined into one: an attribution is a few words
#: ("said the spokesman for the ministry"); more is prose between two quotes.
INTERRUPTION_MAX_WORDS = 10

#: Lemmas of verbs that attribute words to a speaker.
SPEECH_VERBS = frozenset("""
    say tell add state claim call continue remark warn deny write tweet insist note
    explain argue describe announce respond reply declare stress affirm assert admit
    acknowledge comment confirm reveal ask answer urge suggest conclude dismiss denounce
    condemn quote post label brand reject rubbish allege accuse complain testify
    vow promise threaten boast predict recall charge contend maintain
""".split())

#: Nouns naming the written vehicle of a statement ("in a statement").
STATEMENT_NOUNS = frozenset("""
    statement tweet interview post briefing letter video release speech message
    report article email broadcast conference
""".split())

#: Words that, right before a quoted span, mark it as the title of a work.
TITLE_CUES = frozenset("""
    titled entitled headlined book film movie novel song album article series show
    play documentary poem essay column op-ed podcast episode painting exhibition
    headline newsletter report
""".split())

_HONORIFICS = re.compile(r"^(?:mr|mrs|ms|miss|dr|prof|sir|dame|gen|col|sen|rep)\.?\s+", re.I)
_DETERMINERS = re.compile(r"^(?:a|an|the)\s+", re.I)

QUOTE_COLUMNS = ["doc_id", "quote_id", "text", "speaker", "cue", "start", "end", "kind", "label"]
VARIANT_COLUMNS = ["group_id", "speaker", "doc_id", "quote_id", "text", "differs", "diff", "label"]


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

    The quotation marks are read by :func:`analysis.text.layer.quotations` (a
    quotation running over several paragraphs, each reopened, comes as one
    quotation in pieces). An unclosed quotation that does not end like a
    sentence is dropped here as malformed.
    """
    table = quotations(body)
    kept = []
    for _, pieces in table.groupby("quotation", sort=True):
        first, last = pieces.iloc[0], pieces.iloc[-1]
        span = _Span(int(first["start"]), int(last["end"]), str(first["family"]),
                     bool(last["closed"]), int(first["open_at"]), int(last["close_at"]),
                     list(zip(pieces["start"].tolist(), pieces["end"].tolist())))
        if not span.closed and not body[span.pieces[-1][0]:span.pieces[-1][1]].endswith((".", "!", "?")):
            continue
        kept.append((span, int(first["paragraph"])))
    return kept


# --------------------------------------------------------------------------
# Speakers
# --------------------------------------------------------------------------

@dataclass
class _Event:
    """An attribution found in the text: a speech verb and who it belongs to."""

    pos: int
    speaker: str | None
    is_person: bool
    cue: str
    token_i: int
    para: int


def _entity_of(tok) -> object | None:
    doc = tok.doc
    for ent in doc.ents:
        if ent.start <= tok.i < ent.end:
            return ent
    return None


def _speaker_phrase(tok) -> tuple[str, bool]:
    """Name of the speaker headed by ``tok`` and whether it is a person."""
    appositions = [t for t in tok.subtree if t.dep_ == "appos" and t.ent_type_ == "PERSON"]
    if appositions and tok.ent_type_ != "PERSON":   # "the UK's foreign minister, James Cleverly"
        ent = _entity_of(appositions[0])
        if ent is not None:
            return ent.text, True
    if tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC"):
        ent = _entity_of(tok)
        if ent is not None and not (ent.label_ == "NORP" and tok.pos_ == "NOUN"):
            return ent.text, ent.label_ == "PERSON"
    keep = {tok.i}
    for child in tok.children:
        if child.dep_ in ("det", "amod", "compound", "poss", "nmod", "nummod", "case", "quantmod"):
            keep.update(t.i for t in child.subtree)
        elif child.dep_ == "prep" and child.lower_ in ("for", "of", "at", "from", "with"):
            keep.update(t.i for t in child.subtree if t.dep_ not in ("relcl", "acl", "appos"))
    lo, hi = min(keep), max(keep)
    text = tok.doc[lo:hi + 1].text
    text = re.split(r"\s*[,(–—]\s*", text)[0]
    return text.strip(), tok.pos_ == "PROPN" and tok.ent_type_ == "PERSON"


def _subject_of(verb, para_start: int, para_end: int):
    """The subject token of a speech verb, climbing participles and conjuncts.

    A subject outside the verb's paragraph is a parser error (spaCy can run a
    sentence over a caption or heading); then the first person named earlier in
    the verb's sentence stands in.
    """
    v = verb
    for _ in range(SUBJECT_MAX_CLIMB):
        for child in v.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                if child.tag_ in ("WP", "WDT") and v.dep_ == "relcl":
                    return v.head
                if para_start <= child.idx < para_end:
                    return child
                return _first_person_before(verb, para_start)
        if _speech_verb(v):
            for child in v.children:   # inverted order: "..., added Prigozhin"
                if (child.i > v.i and child.dep_ in ("dobj", "npadvmod", "attr", "oprd")
                        and child.ent_type_ == "PERSON"):
                    return child
        if v.dep_ in ("advcl", "xcomp", "conj", "pcomp", "acl", "ccomp", "prep") and v.head is not v:
            v = v.head
            continue
        break
    return None


def _first_person_before(verb, para_start: int):
    start = max(para_start, verb.sent.start_char)
    for ent in verb.doc.ents:
        if ent.label_ == "PERSON" and start <= ent.start_char < verb.idx:
            return ent.root
    return None


def _speech_verb(tok) -> bool:
    return tok.pos_ in ("VERB", "AUX") and lemma(tok) in SPEECH_VERBS


def _cue_text(verb) -> str:
    parts = [verb]
    for child in verb.children:
        if child.dep_ == "prt":
            parts.append(child)
        elif child.dep_ in ("dative", "dobj") and lemma(verb) == "tell":
            parts.append(child)
    cue = " ".join(t.text for t in sorted(parts, key=lambda t: t.i))
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "via", "on"):
            for obj in child.children:
                if obj.dep_ == "pobj" and lemma(obj) in STATEMENT_NOUNS:
                    det = next((d.text for d in obj.children if d.dep_ in ("det", "poss")), "")
                    cue += " " + " ".join(x for x in (child.text, det, obj.text) if x).lower()
    return cue


def _according_to(tok):
    """(speaker token, cue) for an "according to X" phrase at ``tok``, or None."""
    if tok.lower_ != "according":
        return None
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None:
        return None
    obj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if obj is None:
        return None
    noun = lemma(obj)
    if noun in STATEMENT_NOUNS:
        for prep in obj.children:
            if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
                src = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if src is not None:
                    return src, f"according to a {noun}"
        return None, f"according to a {noun}"
    return obj, "according to"


_PRONOUNS_PERSON = {"he", "she", "him", "her"}
_PRONOUNS_OTHER = {"it", "they", "we", "i", "you"}


def _events(doc, in_quote, paras) -> list[_Event]:
    """Attribution events of a parsed body, pronouns resolved, in text order."""
    events: list[_Event] = []
    para_starts = [s for s, _ in paras]
    for tok in doc:
        if in_quote(tok.idx):
            continue
        acc = _according_to(tok)
        if acc is not None:
            subj, cue = acc
        elif _speech_verb(tok):
            p = _para_index(para_starts, tok.idx)
            subj, cue = _subject_of(tok, *paras[p]), _cue_text(tok)
        else:
            continue
        para = _para_index(para_starts, tok.idx)
        if subj is None or in_quote(subj.idx):
            events.append(_Event(tok.idx, None, False, cue, tok.i, para))
            continue
        if subj.lower_ in _PRONOUNS_PERSON:
            prior = next((e for e in reversed(events) if e.speaker and e.is_person), None)
            speaker, person = (prior.speaker, True) if prior else (None, True)
        elif subj.lower_ in _PRONOUNS_OTHER or subj.pos_ == "PRON":
            prior = next((e for e in reversed(events) if e.speaker), None)
            speaker, person = (prior.speaker, prior.is_person) if prior else (None, False)
        else:
            speaker, person = _speaker_phrase(subj)
        events.append(_Event(tok.idx, speaker or None, person, cue, tok.i, para))
    return events


def _para_index(starts: list[int], pos: int) -> int:
    return bisect.bisect_right(starts, pos) - 1


def _choose_event(span: _Span, doc, events: list[_Event], paras, para: int) -> _Event | None:
    """The attribution of a quoted span: a speech verb governing it, else the nearest
    speech verb in the sentences the quote touches (never beyond its paragraphs)."""
    first_para = para
    last_para = _para_index([s for s, _ in paras], span.end)
    lo_char, hi_char = paras[first_para][0], paras[last_para][1]
    sents = [s for s in doc.sents if s.end_char > span.open_at and s.start_char <= span.close_at]
    if sents:
        lo_char = max(lo_char, sents[0].start_char)
        hi_char = min(hi_char, sents[-1].end_char)
    inside = [t for t in doc if span.start <= t.idx < span.end]
    window = [e for e in events if lo_char <= e.pos < hi_char]
    if not window:
        return None

    def distance(e: _Event) -> int:
        if e.pos >= span.close_at:
            return e.pos - span.close_at
        return span.open_at - e.pos

    governing = [e for e in window if any(doc[e.token_i].is_ancestor(t) for t in inside)]
    pool = ([e for e in governing if e.speaker] or [e for e in window if e.speaker]
            or governing or window)
    return min(pool, key=lambda e: (distance(e), e.pos))


def _preceding_event(span: _Span, events: list[_Event], paras, para: int) -> _Event | None:
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


def _full_names(doc) -> dict[str, str]:
    """Map a surname (and honorific + surname) to the longest full name in the doc."""
    names: dict[str, str] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        name = _clean_name(ent.text)
        parts = name.split()
        if len(parts) >= 2:
            best = names.get(parts[-1])
            if best is None or len(name) > len(best):
                names[parts[-1]] = name
    return names


def _clean_name(text: str) -> str:
    text = re.sub(r"[’']s$", "", text.strip())
    return _HONORIFICS.sub("", text).strip()


def _resolve(speaker: str | None, names: dict[str, str], descriptions: list[str]) -> str | None:
    if not speaker:
        return None
    name = _clean_name(speaker)
    if name in names:
        return names[name]
    if re.match(r"(?i)^the\s", name):
        head = name.split()[-1]
        fuller = [d for d in descriptions if re.search(rf"(?i)\b{re.escape(head)}\b", d)
                  and len(d) > len(_DETERMINERS.sub("", name))]
        if fuller:
            return fuller[0]
    name = _DETERMINERS.sub("", name)
    return name or None


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
          phrase of at most :data:`SCARE_MAX_WORDS` words.

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
    return table.astype({"start": "int64", "end": "int64"})


def _doc_quotes(doc_id: str, body: str, doc, label: str, canon) -> list[dict]:
    paras = paragraph_spans(body)
    spans = [(s, p) for s, p in _find_spans(body) if not _is_title(body, s)]
    spans = _merge_interrupted(body, spans, doc)
    quoted = [(a - 1, b) for s, _ in spans for a, b in s.pieces]

    def in_quote(pos: int) -> bool:
        return any(a <= pos <= b for a, b in quoted)

    events = _events(doc, in_quote, paras)
    names = _full_names(doc)
    descriptions: list[str] = []
    for e in events:
        e.speaker = _resolve(e.speaker, names, descriptions)
        if e.speaker and " " in e.speaker and not e.is_person:
            descriptions.append(e.speaker)

    rows = []
    for n, (span, para) in enumerate(spans, start=1):
        text = _span_text(body, span)
        kind = "scare" if len(words(text)) <= SCARE_MAX_WORDS else "quote"
        event = _choose_event(span, doc, events, paras, para)
        speaker, cue = (event.speaker, event.cue) if event and event.speaker else (None, "")
        if event is None and kind == "quote":
            prior = _preceding_event(span, events, paras, para)
            if prior is not None:
                speaker, cue = prior.speaker, CONTINUED_CUE
        speaker = canon(speaker) if speaker else UNKNOWN_SPEAKER
        rows.append({"doc_id": doc_id, "quote_id": f"{doc_id}-q{n:02d}", "text": text,
                     "speaker": speaker, "cue": cue if speaker != UNKNOWN_SPEAKER else "",
                     "start": span.start, "end": span.end, "kind": kind, "label": label})
    return rows


# --------------------------------------------------------------------------
# Quote variants across documents
# --------------------------------------------------------------------------

#: Words of context kept either side of a change in a compact diff.
DIFF_CONTEXT = 3

#: Matching thresholds (share of the shorter quote's words matched in order,
#: words matched, content words matched) by how the two speakers compare.
#: Set by hand when quote variants were written, checked on the seed corpus
#: and the hand-made articles of tests/data/quotes_numbers (a reworded and a
#: shortened quotation, tests/test_quotes.py): when the
#: speakers agree the attribution already links the quotes, so half the words
#: in order will do; a speaker unknown or different needs more of the words,
#: since two people seldom say the same words but a stock phrase recurs.
MATCH_RULES = {
    "same_speaker": (0.5, 2, 1),
    "unknown_speaker": (0.6, 3, 2),
    "different_speaker": (0.8, 4, 2),
}

#: rapidfuzz ``token_set_ratio`` (0-100) from which two speaker names are one
#: person. Transliterations score above it ("kim jong un" / "kim jong-un" 90.9,
#: "yevgeny" / "yevgeniy prigozhin" 97.1), different people just below ("kim
#: jong un" / "kim yo jong" 84.2, "john kirby" / "john kerry" 80.0).
SPEAKER_MIN_SIMILARITY = 85

_DIFF_MARK = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}")


def _display_words(text: str) -> list[str]:
    """The quotation's words as displayed in a diff: with their punctuation attached."""
    return text.split()


def _norm(display_word: str) -> str:
    """What a displayed word is compared by: its words (:func:`analysis.text.layer.words`),
    normalised, so punctuation, case and the apostrophe's shape do not count."""
    return " ".join(normalise_word(word) for word in words(display_word))


def _speaker_key(speaker: str) -> str:
    return _DETERMINERS.sub("", speaker.strip()).lower()


def speakers_agree(a: str, b: str) -> bool | None:
    """Whether two speaker strings name the same speaker; None when either is unknown.

    Names agree when equal, when one is the other's surname, or when their word
    sets overlap strongly (:data:`SPEAKER_MIN_SIMILARITY`).

    Parameters
    ----------
    a, b : str
        Speaker strings as in the quotes table.

    Returns
    -------
    bool or None
        None when either is ``"unknown"`` or blank.
    """
    from rapidfuzz import fuzz

    if a == UNKNOWN_SPEAKER or b == UNKNOWN_SPEAKER:
        return None
    ka, kb = _speaker_key(a), _speaker_key(b)
    if not ka or not kb:   # blank after stripping: no name to compare
        return None
    if ka == kb:
        return True
    if ka.split()[-1] == kb.split()[-1] and (a.split()[-1][:1].isupper()):
        return True
    return fuzz.token_set_ratio(ka, kb) >= SPEAKER_MIN_SIMILARITY


def _alignment(a: list[str], b: list[str], stop: frozenset) -> tuple[float, int, int]:
    """(coverage of the shorter, words matched, content words matched) in order."""
    if not a or not b:
        return 0.0, 0, 0
    blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    matched = sum(m.size for m in blocks)
    content = sum(1 for m in blocks for w in a[m.a:m.a + m.size] if w and w not in stop)
    return matched / min(len(a), len(b)), matched, content


def _core_opcodes(ref: list[str], row: list[str]) -> list[tuple]:
    """Opcodes turning ``ref`` into ``row``, without the pure additions or omissions
    at either end (a longer or shorter excerpt of the same words is no alteration)."""
    ops = difflib.SequenceMatcher(None, ref, row, autojunk=False).get_opcodes()
    while ops and ops[0][0] in ("insert", "delete"):
        ops.pop(0)
    while ops and ops[-1][0] in ("insert", "delete"):
        ops.pop()
    if ops and ops[0][0] == "replace":          # excerpt starts inside a reworded stretch
        tag, i1, i2, j1, j2 = ops[0]
        keep = min(i2 - i1, j2 - j1)
        ops[0] = (tag, i2 - keep, i2, j2 - keep, j2)
    if ops and ops[-1][0] == "replace":
        tag, i1, i2, j1, j2 = ops[-1]
        keep = min(i2 - i1, j2 - j1)
        ops[-1] = (tag, i1, i1 + keep, j1, j1 + keep)
    return ops


def _diff_string(ref_display, row_display, ops) -> str:
    if all(op[0] == "equal" for op in ops):
        return ""
    out: list[str] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            words = row_display[j1:j2]
            first, last = k == 0, k == len(ops) - 1
            if first:
                words = (["…"] if len(words) > DIFF_CONTEXT else []) + words[-DIFF_CONTEXT:]
            elif last:
                words = words[:DIFF_CONTEXT] + (["…"] if len(words) > DIFF_CONTEXT else [])
            elif len(words) > 2 * DIFF_CONTEXT:
                words = words[:DIFF_CONTEXT] + ["…"] + words[-DIFF_CONTEXT:]
            out.extend(words)
            continue
        if i2 > i1:
            out.append("[-" + " ".join(ref_display[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(row_display[j1:j2]) + "+}")
    return " ".join(out)


def quote_variants(quotes: pd.DataFrame) -> pd.DataFrame:
    """Group renderings of the same statement across documents and diff them.

    Two quoted spans (quotations or scare phrases of two words or more) render
    the same statement when their words match in order over most of the shorter
    one (:data:`MATCH_RULES`: looser when the speakers agree, stricter when a
    speaker is unknown or the speakers differ). Groups are the connected
    components of that relation; only groups spanning two documents or more are
    kept. Each group's reference rendering is the one most other members agree
    with word for word (ties: the longest, then the first in corpus order).

    Parameters
    ----------
    quotes : pandas.DataFrame
        Output of :func:`extract_quotes`.

    Returns
    -------
    pandas.DataFrame
        One row per member quote, sorted by ``group_id`` then ``doc_id`` and
        ``quote_id``: ``group_id`` (str, ``"qv<NN>"`` numbered by first
        appearance), ``speaker``, ``doc_id``, ``quote_id``, ``text`` (as in the
        quotes table), ``differs`` (bool: its wording departs from the
        reference's where the two overlap; punctuation, case and a longer or
        shorter excerpt do not count), ``diff`` (str: compact word diff against
        the reference, ``"[-reference words-] {+this rendering's words+}"`` with
        up to :data:`DIFF_CONTEXT` words of context and ``…`` for elisions; ``""``
        when it does not differ) and ``label``.
    """
    needed = ["doc_id", "quote_id", "text", "speaker", "kind"]
    missing = [c for c in needed if c not in quotes.columns]
    if missing:
        raise ValueError(f"quotes table is missing column(s): {', '.join(missing)}")
    stop = stop_words()
    rows = quotes.reset_index(drop=True)
    if "label" not in rows.columns:
        rows = rows.assign(label=rows["doc_id"])
    display = [_display_words(str(t)) for t in rows["text"]]
    norm = [[_norm(w) for w in words] for words in display]
    candidates = [i for i, words in enumerate(norm) if sum(1 for w in words if w) >= 2]

    index: dict[str, set[int]] = {}
    for i in candidates:
        for w in set(norm[i]):
            if w and w not in stop:
                index.setdefault(w, set()).add(i)
    edges = []
    for i in candidates:
        partners = set().union(*(index.get(w, set()) for w in set(norm[i]) if w and w not in stop))
        edges += [(i, j) for j in sorted(p for p in partners if p > i)
                  if _matches(rows, norm, i, j, stop)]
    component = connected_groups(len(rows), edges)
    groups: dict[int, list[int]] = {}
    for i in candidates:
        groups.setdefault(component[i], []).append(i)
    kept = [sorted(m) for m in groups.values() if rows.loc[m, "doc_id"].nunique() >= 2]
    kept.sort(key=lambda m: (rows.loc[m[0], "doc_id"], m[0]))

    out = []
    for g, members in enumerate(kept, start=1):
        ref = _reference(members, norm, rows)
        for i in members:
            ops = _core_opcodes(norm[ref], norm[i])
            diff = _diff_string(display[ref], display[i], ops) if i != ref else ""
            out.append({"group_id": f"qv{g:02d}", "speaker": rows.at[i, "speaker"],
                        "doc_id": rows.at[i, "doc_id"], "quote_id": rows.at[i, "quote_id"],
                        "text": rows.at[i, "text"], "differs": bool(diff), "diff": diff,
                        "label": rows.at[i, "label"], "_group": g})
    # sort on the group's number: as strings "qv100" would come before "qv11"
    table = pd.DataFrame(out, columns=VARIANT_COLUMNS + ["_group"])
    table = table.sort_values(["_group", "doc_id", "quote_id"], kind="stable")
    return table.drop(columns="_group").reset_index(drop=True).astype({"differs": bool})


def connected_groups(n_items: int, links: list[tuple[int, int]]) -> np.ndarray:
    """Group number of each item, items joined by ``links`` (directly or through others).

    Parameters
    ----------
    n_items : int
        Items are ``0 .. n_items - 1``.
    links : list of (int, int)
        Pairs of linked items (the direction does not matter).

    Returns
    -------
    numpy.ndarray
        One group number per item (scipy's connected components of the
        undirected graph); an item without links is a group of its own.
    """
    # imported here: 0.4 s on its own, already loaded by the overlap section in a report
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    first = np.array([a for a, _ in links], dtype=np.int64)
    second = np.array([b for _, b in links], dtype=np.int64)
    graph = coo_array((np.ones(len(links)), (first, second)), shape=(n_items, n_items))
    return connected_components(graph, directed=False)[1]


def _matches(rows, norm, i, j, stop) -> bool:
    agree = speakers_agree(str(rows.at[i, "speaker"]), str(rows.at[j, "speaker"]))
    rule = {True: "same_speaker", None: "unknown_speaker", False: "different_speaker"}[agree]
    min_cov, min_words, min_content = MATCH_RULES[rule]
    cov, words, content = _alignment(norm[i], norm[j], stop)
    return cov >= min_cov and words >= min_words and content >= min_content


def _reference(members: list[int], norm, rows) -> int:
    def agreements(i: int) -> int:
        return len({rows.at[j, "doc_id"] for j in members
                    if rows.at[j, "doc_id"] != rows.at[i, "doc_id"]
                    and all(op[0] == "equal" for op in _core_opcodes(norm[i], norm[j]))})
    return max(members, key=lambda i: (agreements(i), len(norm[i]), -i))


def diff_segments(diff: str) -> list[tuple[str, str]]:
    """Split a compact diff (the ``diff`` column of :func:`quote_variants`) into its parts.

    Parameters
    ----------
    diff : str
        ``"context [-reference words-] {+this rendering's words+} context"``.

    Returns
    -------
    list of (str, str)
        ``(kind, text)`` in order: kind ``"same"`` for context, ``"removed"``
        for the reference's words, ``"added"`` for this rendering's; the texts
        joined in order give back ``diff`` without its markers.
    """
    segments, pos = [], 0
    for m in _DIFF_MARK.finditer(diff):
        if m.start() > pos:
            segments.append(("same", diff[pos:m.start()]))
        segments.append(("removed", m.group(1)) if m.group(1) is not None else ("added", m.group(2)))
        pos = m.end()
    if pos < len(diff):
        segments.append(("same", diff[pos:]))
    return segments
