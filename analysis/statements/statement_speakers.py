"""Who speaks in a sentence, and whether two speakers are one source.

:func:`resolved_events` gives a document's attributions
(:func:`analysis.statements.speakers.attribution_events`) with names made
whole and pronouns resolved; :func:`same_source` compares the speakers of two
aligned sentences, names and descriptions alike.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from analysis.statements.speakers import (
    SPEECH_VERBS, AttributionEvent, attribution_events, full_names, resolve_speaker, speakers_agree,
)
from analysis.measures.entity_names import initials
from analysis.text.lemmas import is_stop_word, lemma
from analysis.text.paragraphs import paragraph_spans
from analysis.text.words import WORD_RE, normalise_word

#: Lower-case words inside a person's name ("Erik ten Hag", "Ursula von der Leyen").
NAME_PARTICLES = frozenset("ten van von der de den da di du la le al el bin ibn".split())
#: Subjects that make a speech verb no attribution ("This suggests that ...").
DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
#: Personal pronouns whose speaker is the nearest person named before them.
PERSON_PRONOUNS = frozenset({"he", "she"})
#: Words that say someone speaks for a source, not who the source is: "a
#: spokesperson for the ministry" and "the ministry" are one source.
SPOKESPERSON_WORDS = frozenset("""spokesperson spokesman spokeswoman spokespeople representative
    representatives official officials source sources aide aides""".split())
_ACRONYM_RE = re.compile(r"[A-Z]{2,7}")
_DETERMINER_RE = re.compile(r"^(?:the|a|an)\s+", re.I)
#: Words a rewrite uses for one another when it names a business by its trade ("ferry
#: companies" / "ferry operators" / "ferry firms"): read as one word in speaker descriptions.
#: Only the words for a business: "the company" and "the union" stay two sources.
BUSINESS_WORDS = {w: "company" for w in "company companies firm firms operator operators "
                  "business businesses".split()}
#: Verbs through which a source vouches for a clause without being quoted ("US
#: intelligence indicates that ...", "the report found ..."): with the speech
#: verbs, the verbs of :func:`cited_sources`.
EVIDENCE_VERBS = frozenset("indicate show find estimate assess believe report conclude think judge "
                           "determine suggest".split())
_CITING_VERBS = EVIDENCE_VERBS | SPEECH_VERBS
#: rapidfuzz ``ratio`` (0-100) from which two words of speaker descriptions are
#: one word spelt two ways: "korea"/"korean" 90.9, a typo "norther"/"north"
#: 83.3; different places stay apart ("russia"/"prussia" is 92 but
#: "russia"/"ukraine" 46). Set by hand on those examples.
DESCRIPTION_WORD_MIN_RATIO = 80


def entity_of(tok):
    """The named-entity span ``tok`` is part of (None outside entities), read from its IOB tags.

    Reading the tags is cheaper than ``doc.ents``, which builds every span of the document.
    """
    if not tok.ent_type_:
        return None
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def _phrase(tok) -> str:
    """The name (entity) or the noun with its modifiers headed by ``tok``."""
    ent = entity_of(tok)
    if ent is not None:
        return ent.text
    parts = [c for c in tok.children if c.dep_ in ("compound", "amod", "poss") and c.i < tok.i]
    return " ".join(t.text for t in sorted([*parts, tok], key=lambda t: t.i))


def _name_run(doc, start: int, end: int) -> str | None:
    """The whole name around the characters ``start``..``end``: neighbouring proper nouns and particles.

    spaCy's small model often cuts a name ("Erik" of "Erik ten Hag"); the
    speaker is carried to the run of proper nouns around it.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not any(t.pos_ == "PROPN" for t in span):
        return None
    lo, hi = span.start, span.end
    while lo > 0 and (doc[lo - 1].pos_ == "PROPN" or (doc[lo - 1].lower_ in NAME_PARTICLES
                                                      and lo > 1 and doc[lo - 2].pos_ == "PROPN")):
        lo -= 1
    while hi < len(doc) and (doc[hi].pos_ == "PROPN" or (doc[hi].lower_ in NAME_PARTICLES
                                                         and hi + 1 < len(doc) and doc[hi + 1].pos_ == "PROPN")):
        hi += 1
    return doc[lo:hi].text


def affiliations(doc) -> dict[str, frozenset]:
    """Surname -> proper-noun words of the phrases describing each person named in a document.

    "John Kirby, a spokesman for the White House National Security Council"
    and "White House National Security Council spokesperson John Kirby" both
    give ``kirby`` -> {white, house, national, security, council}: the name's
    own phrase, with its apposition, or the phrase it stands in apposition to.
    """
    found: dict[str, set] = {}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        root = ent.root
        tokens = list(root.subtree)
        if root.dep_ == "appos" and root.head.pos_ in ("NOUN", "PROPN"):
            tokens += [t for t in root.head.subtree if t.dep_ not in ("relcl", "acl")]
        words = {normalise_word(t.text) for t in tokens
                 if t.pos_ == "PROPN" and not ent.start <= t.i < ent.end}
        if words:
            found.setdefault(normalise_word(ent[-1].text), set()).update(words)
    return {name: frozenset(words) for name, words in found.items()}


def _is_passive(verb) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _passive_speaker(verb) -> str | None:
    """Speaker of a passive speech verb: its ``by`` phrase ("was accused by the union"), else unknown."""
    for child in verb.children:
        if child.dep_ == "agent":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and obj.pos_ != "PRON":
                return _phrase(obj)
    return None


def _subject_pronoun(verb) -> str | None:
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject.lower_ if subject is not None and subject.pos_ == "PRON" else None


def _person_before(doc, i: int, names: dict[str, str]) -> str | None:
    """The last person named before token ``i`` (full name where the document gives one)."""
    last = None
    for tok in doc[:i]:
        if tok.ent_iob_ == "B" and tok.ent_type_ == "PERSON":
            last = entity_of(tok).text
    return resolve_speaker(last, names, []) if last else None


def resolved_events(doc, in_quote) -> list[AttributionEvent]:
    """A document's attributions, speakers resolved as the statement comparison needs them.

    On top of :func:`~analysis.statements.speakers.attribution_events` and
    :func:`~analysis.statements.speakers.resolve_speaker`: a name cut by the
    parser is made whole ("Erik" -> "Erik ten Hag"); "he"/"she" left
    without a speaker takes the last speaker named, or before any speaker
    the last person named; a passive speech verb's
    speaker is its ``by`` phrase ("was accused by the union"), not its
    subject; a demonstrative subject ("this suggests") is no speaker.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parsed body.
    in_quote : callable
        ``in_quote(offset)``: whether a character offset lies inside quotation marks.

    Returns
    -------
    list of AttributionEvent
    """
    body = doc.text
    events = attribution_events(doc, in_quote, paragraph_spans(body))
    names = full_names(doc)
    descriptions: list[str] = []
    named: list = []                 # (position, speaker) of speakers named so far
    for e in events:
        if _subject_pronoun(doc[e.token_i]) in DEMONSTRATIVES:
            e.speaker = None                                # "this suggests that": no speaker
        elif e.speaker is not None and _is_passive(doc[e.token_i]):
            e.speaker = _passive_speaker(doc[e.token_i])   # "X was accused by Y": Y speaks
        e.speaker = resolve_speaker(e.speaker, names, descriptions)
        if e.speaker and " " in e.speaker and not e.is_person:
            descriptions.append(e.speaker)
        if e.speaker is None and _subject_pronoun(doc[e.token_i]) in PERSON_PRONOUNS:
            # "he said" after a speaker the parse did not mark a person, else after a person named
            e.speaker = named[-1] if named else _person_before(doc, e.token_i, names)
        elif e.speaker:
            at = body.find(e.speaker, doc[e.token_i].sent.start_char, doc[e.token_i].sent.end_char)
            fuller = _name_run(doc, at, at + len(e.speaker)) if at >= 0 else None
            if fuller and len(fuller) > len(e.speaker):
                e.speaker = fuller
            named.append(e.speaker)
    return events


def speaker_entity_function(aliases):
    """Speaker as written -> the canonical entity the alias table names it by.

    :func:`analysis.measures.canonical_entities.canonical_name_function` of the
    alias table (determiner, honorific and possessive stripped: "the Tories"
    -> ``Conservative Party``), then, for a name it does not know, the table's
    aliases without regard to case ("the Tory party"). A name the table does
    not know comes back bare.

    Parameters
    ----------
    aliases : pandas.DataFrame
        Alias table (:func:`analysis.measures.name_matching.load_aliases`).

    Returns
    -------
    callable
        ``str -> str``.
    """
    from analysis.measures.canonical_entities import canonical_name_function
    from analysis.measures.entity_names import normalize_name

    canonical = canonical_name_function(aliases)
    folded = {normalize_name(a, t)[0].casefold(): e
              for a, e, t in zip(aliases["alias"], aliases["entity"], aliases["entity_type"])}
    folded.update({e.casefold(): e for e in aliases["entity"]})

    def entity(speaker: str) -> str:
        name = canonical(speaker)
        return folded.get(name.casefold(), name)

    return entity


def cited_sources(span) -> list[str]:
    """Who a sentence gives as the source of a clause: subjects of speech or evidence verbs with a clause.

    "US intelligence indicates Wagner mercenaries have played a leading role
    ..., Kirby said" cites US intelligence as well as Kirby, its speaker
    (:func:`resolved_events` finds speakers; an evidence verb
    (:data:`EVIDENCE_VERBS`) makes no quotation, so it is no speaker there).
    Pronouns are left out.

    Parameters
    ----------
    span : spacy.tokens.Span
        A parsed sentence.

    Returns
    -------
    list of str
        The subjects' phrases (names, or nouns with their modifiers), in text order.
    """
    found = []
    for verb in span:
        if verb.pos_ not in ("VERB", "AUX") or lemma(verb) not in _CITING_VERBS:
            continue
        if not any(c.dep_ == "ccomp" for c in verb.children):
            continue
        for child in verb.children:
            if child.dep_ == "nsubj" and child.pos_ != "PRON" and child.tag_ not in ("WP", "WDT"):
                found.append(_phrase(child))
    return found


def _acronym_of(short: str, long_: str) -> bool:
    """Whether ``short`` is the acronym of ``long_`` ("NUT", "the National Union of Teachers"):
    the capitals of a name, each initial of ``long_``'s capitalised words in order."""
    letters = _DETERMINER_RE.sub("", short.strip()).replace(".", "")
    return (_ACRONYM_RE.fullmatch(letters) is not None
            and initials(_DETERMINER_RE.sub("", long_.strip())) == letters)


def names_one_source(x: str, y: str) -> bool:
    """Whether two source strings name one source by their words alone: the stricter half of
    :func:`same_source` (no affiliations; a description left empty by its
    spokesperson and stop words, "officials", agrees with nothing)."""
    if speakers_agree(x, y) or _acronym_of(x, y) or _acronym_of(y, x):
        return True
    wx, wy = _description_words(x), _description_words(y)
    if not wx or not wy:
        return False
    small, large = sorted((wx, wy), key=len)
    return all(any(fuzz.ratio(w, v) >= DESCRIPTION_WORD_MIN_RATIO for v in large) for w in small)


def _description_words(speaker: str) -> set[str]:
    words = {normalise_word(w) for w in WORD_RE.findall(speaker)}
    words = {re.sub(r"['’]s$", "", w) for w in words}
    return {BUSINESS_WORDS.get(w, w) for w in words if w not in SPOKESPERSON_WORDS and not is_stop_word(w)}


def _is_spokesperson(speaker: str) -> bool:
    return any(normalise_word(w) in SPOKESPERSON_WORDS for w in WORD_RE.findall(speaker))


def _affiliated(person: str, body: str, affiliations: dict) -> bool:
    """Whether ``body`` (a speaker description) names what ``person`` is described as part of."""
    words = WORD_RE.findall(person)
    known = affiliations.get(normalise_word(words[-1])) if words else None
    described = _description_words(body)
    return bool(known and described) and all(
        any(fuzz.ratio(w, v) >= DESCRIPTION_WORD_MIN_RATIO for v in known) for w in described)


def same_source(x: str, y: str, affiliations: dict | None = None) -> bool:
    """Whether two speaker strings name one source.

    :func:`~analysis.statements.speakers.speakers_agree` (names), a name and
    its acronym ("the NUT", "the National Union of Teachers"), or two
    descriptions whose words, spokesperson words (:data:`SPOKESPERSON_WORDS`)
    and stop words set aside, are one inside the other up to spelling
    (rapidfuzz ratio :data:`DESCRIPTION_WORD_MIN_RATIO`): "a representative
    for the North Korean foreign ministry" and "North Korean foreign ministry
    spokesperson" are one source; "Ukraine's foreign minister" and "Russia's
    foreign minister" are two. A description left empty ("a spokesman"),
    or one naming a spokesperson opposite a name ("a White House official",
    "John Kirby"), agrees with any speaker: it cannot be told apart. A person
    and the body a document describes them as part of (``affiliations``,
    surname -> words of their description, "John Kirby, a spokesman for the
    White House") are one source.
    """
    if speakers_agree(x, y) or _acronym_of(x, y) or _acronym_of(y, x):
        return True
    affiliations = affiliations or {}
    if _affiliated(x, y, affiliations) or _affiliated(y, x, affiliations):
        return True       # "John Kirby, a spokesman for the White House" and "the White House"
    if _is_spokesperson(x) != _is_spokesperson(y):
        return True       # "a White House official" may be the "John Kirby" of the other side
    wx, wy = _description_words(x), _description_words(y)
    if not wx or not wy:
        return True
    small, large = sorted((wx, wy), key=len)
    return all(any(fuzz.ratio(w, v) >= DESCRIPTION_WORD_MIN_RATIO for v in large) for w in small)


