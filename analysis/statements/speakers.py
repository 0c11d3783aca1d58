"""Speakers: who a quotation is attributed to, and whether two speaker names agree.

An attribution is a speech verb ("said", "told reporters") or an "according
to" phrase outside the quotation marks; its speaker is the verb's subject read
from spaCy's dependency parse, a pronoun carried back to the last speaker
named, a bare surname resolved to the full name used in the same document.
:mod:`analysis.statements.quotes` picks the attribution of each quoted span
from these; :func:`speakers_agree` compares speaker names across documents.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from analysis.text.lemmas import lemma

#: Speaker value when no speaker can be determined (never a guess).
UNKNOWN_SPEAKER = "unknown"

#: Levels of clauses climbed from a speech verb to its subject (participles,
#: conjuncts: "said ... and added"); deeper chains are parser errors.
SUBJECT_MAX_CLIMB = 4

#: Lemmas of verbs that attribute words to a speaker.
SPEECH_VERBS = frozenset("""
    say tell add state claim call continue remark warn deny write tweet insist note
    explain argue describe announce respond reply declare stress affirm assert admit
    acknowledge comment confirm reveal ask answer urge suggest conclude dismiss denounce
    condemn quote post label brand reject rubbish allege accuse complain testify
    vow promise threaten boast predict recall charge contend maintain blame
""".split())

#: Nouns naming the written vehicle of a statement ("in a statement").
STATEMENT_NOUNS = frozenset("""
    statement tweet interview post briefing letter video release speech message
    report article email broadcast conference
""".split())
#: rapidfuzz ``token_set_ratio`` (0-100) from which two speaker names are one
#: person. Transliterations score above it ("kim jong un" / "kim jong-un" 90.9,
#: "yevgeny" / "yevgeniy prigozhin" 97.1), different people just below ("kim
#: jong un" / "kim yo jong" 84.2, "john kirby" / "john kerry" 80.0).
SPEAKER_MIN_SIMILARITY = 85

_HONORIFICS = re.compile(r"^(?:mr|mrs|ms|miss|dr|prof|sir|dame|gen|col|sen|rep)\.?\s+", re.I)
_DETERMINERS = re.compile(r"^(?:a|an|the)\s+", re.I)


# --------------------------------------------------------------------------
# Attribution events
# --------------------------------------------------------------------------

@dataclass
class AttributionEvent:
    """An attribution found in the text: a speech verb and who it belongs to.

    Attributes
    ----------
    pos : int
        Character offset of the speech verb (or of "according").
    speaker : str or None
        Who the words belong to; None when no speaker was found.
    is_person : bool
        Whether the speaker is a person (a pronoun "he"/"she" refers back to one).
    cue : str
        The attribution words, the cue column of the quotes table.
    token_i : int
        Index of the speech verb's token in the parsed ``Doc``.
    para : int
        Index of the paragraph the attribution is in.
    """

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


def attribution_events(doc, in_quote, paras) -> list[AttributionEvent]:
    """Attribution events of a parsed body, pronouns resolved, in text order.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parsed body.
    in_quote : callable
        ``in_quote(offset)`` is True for a character offset inside quotation
        marks; speech verbs there are quoted words, not attributions.
    paras : list of (int, int)
        Paragraph spans of the body (:func:`analysis.text.paragraphs.paragraph_spans`).

    Returns
    -------
    list of AttributionEvent
        In text order; ``speaker`` None when no speaker was found.
    """
    events: list[AttributionEvent] = []
    para_starts = [s for s, _ in paras]
    for tok in doc:
        if in_quote(tok.idx):
            continue
        acc = _according_to(tok)
        if acc is not None:
            subj, cue = acc
        elif _speech_verb(tok):
            p = paragraph_index(para_starts, tok.idx)
            subj, cue = _subject_of(tok, *paras[p]), _cue_text(tok)
        else:
            continue
        para = paragraph_index(para_starts, tok.idx)
        if subj is None or in_quote(subj.idx):
            events.append(AttributionEvent(tok.idx, None, False, cue, tok.i, para))
            continue
        if subj.lower_ in _PRONOUNS_PERSON:
            prior = next((e for e in reversed(events) if e.speaker and e.is_person), None)
            speaker, person = (prior.speaker, True) if prior else (None, True)
        elif subj.lower_ in _PRONOUNS_OTHER or subj.pos_ == "PRON":
            prior = next((e for e in reversed(events) if e.speaker), None)
            speaker, person = (prior.speaker, prior.is_person) if prior else (None, False)
        else:
            speaker, person = _speaker_phrase(subj)
        events.append(AttributionEvent(tok.idx, speaker or None, person, cue, tok.i, para))
    return events


def paragraph_index(starts: list[int], pos: int) -> int:
    """Index of the paragraph holding character offset ``pos``.

    Parameters
    ----------
    starts : list of int
        First character of each paragraph, ascending.
    pos : int
        A character offset of the body.

    Returns
    -------
    int
        Index into ``starts`` (-1 before the first paragraph).
    """
    return bisect.bisect_right(starts, pos) - 1


def full_names(doc) -> dict[str, str]:
    """Map a surname (and honorific + surname) to the longest full name in the doc.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parsed body.

    Returns
    -------
    dict of str to str
        Surname -> the longest PERSON name of two words or more ending in it.
    """
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


#: Nouns of a role that, alone after "the" ("the official said"), stand for the
#: person last quoted when no fuller description of that role is in the document.
ROLE_NOUNS = frozenset("""
    official spokesman spokeswoman spokesperson representative minister secretary
    ambassador envoy diplomat aide adviser advisor
""".split())


def resolve_speaker(speaker: str | None, names: dict[str, str], descriptions: list[str],
                    last_person: str | None = None) -> str | None:
    """A speaker phrase as the quotes table gives it: the full name or fullest description.

    Parameters
    ----------
    speaker : str or None
        The speaker phrase of an attribution.
    names : dict of str to str
        Output of :func:`full_names` for the same document.
    descriptions : list of str
        Descriptions of non-person speakers met earlier in the document
        ("the ministry" becomes "North Korean foreign ministry").
    last_person : str, optional
        The person quoted last nearby: "the official" with no fuller
        description of that role stands for them (:data:`ROLE_NOUNS`).

    Returns
    -------
    str or None
        None when ``speaker`` is empty.
    """
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
        if last_person and len(name.split()) == 2 and head.lower() in ROLE_NOUNS:
            return last_person
    name = _DETERMINERS.sub("", name)
    return name or None



# --------------------------------------------------------------------------
# Speaker names across documents
# --------------------------------------------------------------------------

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
