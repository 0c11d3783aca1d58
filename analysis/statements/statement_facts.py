"""What a sentence states, read from its parse: speakers, roles, figures, times, places, polarity, quotes.

:class:`DocumentFacts` reads what needs the whole document once (who speaks
where, with pronouns carried back to the last speaker named; the quoted
spans; the figures of :func:`analysis.statements.numbers.extract_numbers`);
:meth:`DocumentFacts.sentence` then gives the :class:`SentenceFacts` of one
sentence, which :mod:`analysis.statements.change_rules` compares across
documents.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import pandas as pd

from analysis.statements.numbers import extract_numbers
from analysis.statements.sentence_figures import figure_rows
from analysis.statements.statement_speakers import (affiliations, cited_sources, entity_of,
                                                    resolved_events, speaker_entity_function)
from analysis.statements.time_anchors import is_time_word, time_anchors
from analysis.text.lemmas import lemma
from analysis.text.quotation_marks import quoted_spans
from analysis.text.words import WORD_RE, normalise_word

#: Entity types that are places.
PLACE_LABELS = ("GPE", "LOC")
#: Prepositions giving a place a role: where to, where from, where.
PLACE_ROLES = {"to": "to", "into": "to", "towards": "to", "toward": "to", "onto": "to",
               "from": "from", "out": "from"}
#: Words that negate a clause, read from the parse (``neg`` dependents) or as words.
NEGATION_WORDS = frozenset("not n't never no nobody nothing none neither nor without".split())
#: Dependents of a negated word that belong to its scope (its subject, object, complement).
_SCOPE_DEPS = frozenset("nsubj nsubjpass dobj attr acomp xcomp oprd prt".split())
#: Lemmas that deny or reject what follows: "denied it sent arms" has the
#: polarity of "said it did not send arms", so a rewrite between the two is no
#: change of polarity. They only ever excuse a difference: a negation change
#: needs a grammatical negation on one side ("confirmed" -> "denied" is a
#: change of word, like "rose" -> "fell", which this table does not judge).
NEGATIVE_LEMMAS = frozenset("deny refute reject dismiss refuse fail false untrue baseless "
                            "groundless unfounded fake".split())
@dataclass(frozen=True)
class Party:
    """A participant of a clause (an agent or patient), ready to compare.

    ``head`` is the lower-cased head word (the last word of a name); ``mods``
    the lower-cased modifier words ("home" of "home fans", "john" of "John
    Kirby"); ``text`` the words as written.
    """

    head: str
    mods: frozenset
    text: str
    entity: str = ""

    def same_as(self, other: "Party") -> bool:
        """The same canonical entity (a name the alias table knows: "the Tories" = "the
        Conservatives", "the US" = "America"), or the same head word (singular or plural)
        with compatible modifiers (one set inside the other)."""
        if self.entity and self.entity == other.entity:
            return True
        return (_singular(self.head) == _singular(other.head)
                and (self.mods <= other.mods or other.mods <= self.mods))


def _singular(word: str) -> str:
    """A plural's singular for comparison ("ministers" = "minister"); the lemmatizer leaves a
    capitalised plural ("Ministers" opening a sentence, tagged a proper noun) as it is."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


@dataclass
class SentenceFacts:
    """What one sentence states, as :mod:`analysis.statements.change_rules` compares it.

    Attributes
    ----------
    text : str
        The sentence.
    span : spacy.tokens.Span or None
        Its parse.
    aliases : dict of str to str
        Place alias -> canonical name, as in ``places``.
    affiliations : dict of str to frozenset
        Surname -> words of what the document describes the person as part
        of (:func:`affiliations`).
    speakers : list of str
        Who its words are attributed to (speech verbs, "according to"), pronouns resolved.
    speaker_entities : list of str
        The canonical entity of each speaker
        (:func:`~analysis.statements.statement_speakers.speaker_entity_function`): "the
        Tories" and "the Conservatives" are both ``Conservative Party``.
    sources : list of str
        Who it gives as the source of a clause
        (:func:`~analysis.statements.statement_speakers.cited_sources`).
    roles : list of (Party, Party, str)
        (agent, patient, verb lemma) of each clause with both (passives turned active).
    numbers : list of dict
        Its figures (rows of :func:`~analysis.statements.numbers.extract_numbers`), dates excluded.
    times : list of TimeAnchor
        :func:`~analysis.statements.time_anchors.time_anchors`.
    places : list of (str, str, str)
        (key, role, text) of each place: key the canonical name, role ``to``,
        ``from`` or ``""``.
    negations : list of str
        The grammatical negations ("not expected", "never", "no").
    denials : list of str
        Words that deny or reject (:data:`NEGATIVE_LEMMAS`).
    negation_scopes : list of frozenset
        For each negation, the content lemmas of what it negates (:func:`_negations`).
    lemmas : frozenset
        The sentence's content lemmas (no stop words, pronouns or auxiliaries).
    quoted : list of (str, list of str)
        The quoted pieces inside the sentence: text and normalised words.
    words_quoted, words_unquoted : set of str
        Its normalised words inside and outside quotation marks.
    """

    text: str
    span: object = None
    aliases: dict = field(default_factory=dict)
    affiliations: dict = field(default_factory=dict)
    speakers: list = field(default_factory=list)
    speaker_entities: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    roles: list = field(default_factory=list)
    numbers: list = field(default_factory=list)
    times: list = field(default_factory=list)
    places: list = field(default_factory=list)
    negations: list = field(default_factory=list)
    denials: list = field(default_factory=list)
    negation_scopes: list = field(default_factory=list)
    lemmas: frozenset = frozenset()
    quoted: list = field(default_factory=list)
    words_quoted: set = field(default_factory=set)
    words_unquoted: set = field(default_factory=set)


def place_key(name: str, aliases: dict[str, str]) -> str:
    """Canonical key of a place name: the alias table's entity, else the name without "the", casefolded."""
    name = re.sub(r"[’']s$", "", name.strip())
    for candidate in (name, name.removeprefix("the ").removeprefix("The ")):
        if candidate in aliases:
            return aliases[candidate].casefold()
    return name.removeprefix("the ").removeprefix("The ").casefold()


def _party(tok, entity_of_name=None) -> Party | None:
    """The participant headed by ``tok``; None for pronouns and relative words.

    ``entity_of_name`` (name -> canonical entity) gives a name its ``entity``.
    """
    if tok.pos_ == "PRON" or tok.tag_ in ("WP", "WDT", "PRP", "PRP$", "EX"):
        return None
    ent = entity_of(tok)
    if ent is not None:
        words = [t.lower_ for t in ent if not t.is_punct and t.lower_ not in ("the", "'s", "’s")]
        if not words:
            return None
        return Party(words[-1], frozenset(words[:-1]), ent.text,
                     entity_of_name(ent.text) if entity_of_name else "")
    mods = [c for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i]
    parts = sorted(mods + [tok], key=lambda t: t.i)
    return Party(lemma(tok).lower(), frozenset(lemma(m).lower() for m in mods),
                 " ".join(t.text for t in parts))


def _with_conjuncts(tok) -> list:
    return [tok, *[c for c in tok.children if c.dep_ == "conj"]]


def clause_roles(span, entity_of_name=None) -> list[tuple[Party, Party, str]]:
    """(agent, patient, verb lemma) of each clause of a parsed sentence that has both.

    The agent is the active subject (``nsubj``) or the ``by`` phrase of a
    passive (``agent``); the patient is the direct object (``dobj``) or the
    passive subject (``nsubjpass``) or the indirect object (``dative``). A
    relative pronoun stands for the noun its clause describes; other pronouns
    are left out.
    """
    roles = []
    for verb in span:
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        agents, patients = [], []
        for child in verb.children:
            if child.dep_ == "nsubj":
                agents.extend(_with_conjuncts(verb.head if child.tag_ in ("WP", "WDT")
                                              and verb.dep_ == "relcl" else child))
            elif child.dep_ == "nsubjpass":
                patients.extend(_with_conjuncts(verb.head if child.tag_ in ("WP", "WDT")
                                                and verb.dep_ == "relcl" else child))
            elif child.dep_ in ("dobj", "dative"):      # "fined the bank €20m": the bank
                patients.extend(_with_conjuncts(child))
            elif child.dep_ == "agent":
                agents.extend(t for c in child.children if c.dep_ == "pobj" for t in _with_conjuncts(c))
        for agent in filter(None, (_party(t, entity_of_name) for t in agents)):
            for patient in filter(None, (_party(t, entity_of_name) for t in patients)):
                if not agent.same_as(patient):
                    roles.append((agent, patient, lemma(verb)))
    return roles


def _preposition_of(root) -> str | None:
    """The preposition a place hangs from ("in", "to"), through conjuncts; None outside a prepositional phrase."""
    tok = root
    while tok.dep_ == "conj" and tok.head is not tok:
        tok = tok.head
    if tok.dep_ != "pobj" or tok.head.dep_ not in ("prep", "pcomp"):
        return None
    prep = tok.head
    if prep.lower_ == "of" or (prep.lower_ == "to" and prep.head.lower_ == "according"):
        return None                       # "the name of North Korea", "according to Washington"
    return prep.lower_


def _places(span, aliases: dict[str, str]) -> list[tuple[str, str, str]]:
    """Places in a prepositional phrase ("in Ukraine", "from Odesa to Egypt"): (key, role, text).

    A place named as an actor ("Moscow said") or a modifier ("US officials")
    is not where something happens; the rule of replaced proper nouns
    (:mod:`analysis.statements.change_rules`) covers those.
    """
    places = []
    for tok in span:
        if tok.ent_iob_ != "B" or tok.ent_type_ not in PLACE_LABELS:
            continue
        ent = entity_of(tok)
        if is_time_word(ent.text):
            continue                      # "in November" tagged a place
        prep = _preposition_of(ent.root)
        if prep is None:
            continue
        role = PLACE_ROLES.get(prep, "")
        if prep == "of" and ent.root.head.head.lower_ == "out":
            role = "from"
        places.append((place_key(ent.text, aliases), role, ent.text))
    return places


def _content_lemmas(tokens) -> frozenset:
    return frozenset(lemma(t).lower() for t in tokens
                     if t.is_alpha and not t.is_stop and t.pos_ not in ("PRON", "AUX"))


def _negations(span) -> tuple[list[str], list[str], list[frozenset]]:
    """(grammatical negations, denying words, the scope of each negation) of a sentence.

    A negation's scope is the content lemmas of the word it negates and of that
    word's subject, object and complement ("the crew did not leave the ship":
    leave, crew, ship), which tells a negation in a clause the other sentence
    leaves out from one in the statement both make.
    """
    negations, denials, scopes = [], [], []
    for tok in span:
        if tok.dep_ == "neg" or tok.lower_ in NEGATION_WORDS:
            negations.append(f"{tok.text} {tok.head.text}" if tok.head is not tok else tok.text)
            head = tok.head
            scopes.append(_content_lemmas([head, *(c for c in head.children if c.dep_ in _SCOPE_DEPS)]))
        elif lemma(tok).lower() in NEGATIVE_LEMMAS:
            denials.append(tok.text)
    return negations, denials, scopes


class DocumentFacts:
    """The parts of one parsed document that sentences need their context for.

    Parameters
    ----------
    doc : spacy.tokens.Doc
        The parsed body.
    figures : list of dict
        The document's figures, in text order (:func:`~analysis.statements.sentence_figures.figure_rows`).
    aliases : dict of str to str
        Place alias -> canonical name (:func:`place_aliases`).
    entity_of_name : callable, optional
        Speaker as written -> canonical entity (:func:`speaker_entity_function`);
        without it a speaker is its own entity.
    """

    def __init__(self, doc, figures: list[dict], aliases: dict[str, str], entity_of_name=None):
        self.doc = doc
        self.aliases = aliases
        self.entity_of_name = entity_of_name or str
        self.body = body = doc.text
        self.quoted = quoted_spans(body)
        quoted = self.quoted

        starts = [a for a, _ in quoted]

        def in_quote(pos: int) -> bool:
            k = bisect.bisect_right(starts, pos) - 1
            return k >= 0 and pos < quoted[k][1]

        self.events = resolved_events(doc, in_quote)
        self.affiliations = affiliations(doc)
        self.numbers = figures

    def sentence(self, start: int, end: int) -> SentenceFacts:
        """:class:`SentenceFacts` of the sentence at character offsets ``start``..``end``."""
        doc = self.doc
        span = doc.char_span(start, end, alignment_mode="expand")
        body = self.body                      # Doc.text joins every token on each call
        text = body[start:end]
        facts = SentenceFacts(text, span, self.aliases, self.affiliations)
        if span is None:
            return facts
        facts.speakers = [e.speaker for e in self.events if e.speaker and start <= e.pos < end]
        facts.speaker_entities = [self.entity_of_name(s) for s in facts.speakers]
        facts.sources = cited_sources(span)
        facts.roles = clause_roles(span, self.entity_of_name)
        facts.numbers = [n for n in self.numbers if n["start"] >= start and n["end"] <= end]
        facts.times = time_anchors(span)
        facts.places = _places(span, self.aliases)
        facts.negations, facts.denials, facts.negation_scopes = _negations(span)
        facts.lemmas = _content_lemmas(span)
        pieces = [(max(a, start), min(b, end)) for a, b in self.quoted if a < end and b > start]
        facts.quoted = [(body[a:b], [normalise_word(w) for w in WORD_RE.findall(body[a:b])])
                        for a, b in pieces]
        for match in WORD_RE.finditer(text):
            at = start + match.start()
            inside_quote = any(a <= at < b for a, b in pieces)
            (facts.words_quoted if inside_quote else facts.words_unquoted).add(normalise_word(match.group()))
        return facts


def place_aliases(aliases: pd.DataFrame | None) -> dict[str, str]:
    """Place alias -> canonical place from an alias table (:func:`analysis.measures.name_matching.load_aliases`).

    Rows whose ``entity_type`` is GPE or LOC, aliases and capitals alike: a
    capital lies in its country, so "in Moscow" and "in Russia" are no change of place.
    """
    if aliases is None or aliases.empty:
        return {}
    rows = aliases[aliases["entity_type"].isin(PLACE_LABELS)] if "entity_type" in aliases else aliases
    return dict(zip(rows["alias"].astype(str), rows["entity"].astype(str)))


def document_facts(parsed: dict, doc_ids, aliases: pd.DataFrame | None = None,
                   numbers: pd.DataFrame | None = None) -> dict[str, DocumentFacts]:
    """:class:`DocumentFacts` of the named documents.

    Parameters
    ----------
    parsed : dict
        doc_id -> parsed spaCy ``Doc``.
    doc_ids : iterable of str
        The documents needed (ids missing from ``parsed`` are skipped).
    aliases : pandas.DataFrame, optional
        Alias table (:func:`analysis.measures.name_matching.load_aliases`): its
        places are one place (:func:`place_aliases`), and every alias names
        its entity as a speaker ("the Tories" and "the Conservatives" speak
        for one party).
    numbers : pandas.DataFrame, optional
        :func:`analysis.statements.numbers.extract_numbers` of (at least) these
        documents: a document's figures are read from its own parse alone, so
        the per-document stage's table serves (8 s of the main process at
        21,578 Reuters stories went into extracting them again). Extracted
        from ``parsed`` when None.

    Returns
    -------
    dict of str to DocumentFacts
    """
    wanted = [d for d in dict.fromkeys(doc_ids) if d in parsed]
    if numbers is None:
        docs = pd.DataFrame({"doc_id": wanted, "body": [parsed[d].text for d in wanted]})
        numbers = extract_numbers(docs, {d: parsed[d] for d in wanted})
    else:
        numbers = numbers[numbers["doc_id"].astype(str).isin(wanted)]
    places = place_aliases(aliases)
    names = speaker_entity_function(aliases) if aliases is not None and not aliases.empty else None
    figures = figure_rows(numbers)
    return {d: DocumentFacts(parsed[d], figures.get(d, []), places, names) for d in wanted}
