"""Rules that say what changed between two aligned sentences, one rule per kind of change.

Each rule takes the :class:`~analysis.statements.statement_facts.SentenceFacts`
of sentence a and sentence b and returns the changes it finds as
:class:`Change` (kind, evidence naming the differing words, and those words on
each side). Directional kinds read from a to b: ``quote_marks_lost`` means a
has the words inside quotation marks and b the same words without;
``dropped_qualifier`` means a hedges the figure and b does not. Every rule
is conservative: a detail that only one side gives (a date, a place, a
speaker the other leaves out) is an omission, not a change, and is not reported.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.statements.place_rules import changed_places
from analysis.statements.statement_facts import SentenceFacts
from analysis.statements.statement_speakers import names_one_source, same_source
from analysis.statements.time_anchors import conflicting_anchors
from analysis.text.lemmas import is_stop_word

#: The kinds of change, in the order rows are listed for one sentence pair
#: (the vocabulary the findings share, issue 14).
CHANGE_KINDS = ("attribution_change", "role_reversal", "changed_number", "dropped_qualifier",
                "added_qualifier", "changed_qualifier", "changed_date", "changed_place",
                "negation", "quote_marks_lost", "quote_marks_added")

#: Hedges that say the same thing ("more than" = "over"): a figure whose hedge
#: moves to another word of the same group is not a changed qualifier.
QUALIFIER_GROUPS = {
    "more than": "above", "over": "above",
    "less than": "below", "fewer than": "below", "under": "below",
    "about": "approximately", "around": "approximately", "roughly": "approximately",
    "approximately": "approximately", "some": "approximately", "an estimated": "approximately",
    "estimated": "approximately",
    "nearly": "nearly", "almost": "nearly",
    "at least": "at least",
    "at most": "at most", "up to": "at most", "as many as": "at most", "as much as": "at most",
    "as high as": "at most", "as few as": "as few as",
}
#: Share of a quoted piece's content words that must appear unquoted in the
#: other sentence for its quotation marks to count as lost (and at most this
#: share may appear quoted there). Set by hand: half the words keeps a quote
#: rendered with a few synonyms ("gossip and speculation" -> "gossip and
#: rumour") and leaves out a sentence that merely shares a word with it; the
#: hand-annotated set in tests/data/changes measures it.
QUOTE_SHARED_MIN = 0.5
#: Figure units (:func:`analysis.statements.numbers.extract_numbers`) whose
#: figures are one quantity only when they count the same noun: ``count`` is
#: "anything else counted" (votes, a majority, ships), where two figures of a
#: sentence often count different things; people and money keep their pairing
#: by unit (a rewrite names them with other words: "staff" / "employees").
COUNTED_BY_NOUN = ("count",)
#: Relative tolerance under which two figures are one value ($100m = 100 million dollars).
VALUE_TOLERANCE = 1e-9

#: Share of a negation's scope (the negated word, its subject, object and complement)
#: that the other sentence must state, strictly more, for the negation to count. Set by
#: hand: half keeps "the scheme would not cost more than £5.8bn" opposite a sentence on
#: what each card costs (tests/data/numbers13, 1 of 2: another clause) out and every
#: negation of tests/data/changes in (all shared); "did not confirm the deal" ->
#: "affirmed the deal" (1 of 2) is the price, a synonym changed with the polarity.
NEGATION_SCOPE_SHARED = 0.5
#: A lemma and a longer word beginning with it are one word when the longer has at most
#: this many more letters ("unload"/"unloaded": 2; "-ing", "-ed", "-es" endings)
#: and the lemma at least :data:`STEM_MIN_CHARS` letters. Set by hand on those endings.
STEM_SLACK_CHARS = 3
STEM_MIN_CHARS = 4

_EVIDENCE_MAX_CHARS = 80


@dataclass(frozen=True)
class Change:
    """One change between two aligned sentences.

    ``evidence`` names the change in a few words ("speaker: John Kirby ->
    Wagner"); ``detail_a`` and ``detail_b`` are the differing words of each side.
    """

    kind: str
    evidence: str
    detail_a: str
    detail_b: str


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EVIDENCE_MAX_CHARS else text[:_EVIDENCE_MAX_CHARS - 1] + "…"


def _change(kind: str, label: str, a: str, b: str) -> Change:
    a, b = _clip(a) or "(none)", _clip(b) or "(none)"
    return Change(kind, f"{label}: {a} -> {b}", a, b)


def attribution(a: SentenceFacts, b: SentenceFacts) -> list[Change]:
    """``attribution_change``: both sentences name who speaks, and no two speakers are one source.

    One source: the same canonical entity (the alias table: "the Tories" and
    "the Conservatives"), or :func:`same_source` (a surname and the full name,
    two descriptions of one body, a person and the body they speak for). A
    speaker of one side that the other cites as the source of its clause
    ("US intelligence indicates ..., Kirby said" / "US intelligence states
    ...") is no change either: one side names a layer of attribution the other
    leaves out, an omission.
    """
    sa, sb = list(dict.fromkeys(a.speakers)), list(dict.fromkeys(b.speakers))
    if not sa or not sb:
        return []
    if set(a.speaker_entities) & set(b.speaker_entities):
        return []
    affiliations = {k: a.affiliations.get(k, frozenset()) | b.affiliations.get(k, frozenset())
                    for k in a.affiliations.keys() | b.affiliations.keys()}
    if any(same_source(x, y, affiliations) for x in sa for y in sb):
        return []
    if any(names_one_source(x, y) for x in sa for y in b.sources) or any(
            names_one_source(x, y) for x in a.sources for y in sb):
        return []
    return [_change("attribution_change", "speaker", "; ".join(sa), "; ".join(sb))]


def roles(a: SentenceFacts, b: SentenceFacts) -> list[Change]:
    """``role_reversal``: the agent of a clause of a is the patient in b and the patient the agent."""
    for agent_a, patient_a, verb_a in a.roles:
        forward = any(agent_a.same_as(ag) and patient_a.same_as(pa) for ag, pa, _ in b.roles)
        if forward:
            continue
        for agent_b, patient_b, verb_b in b.roles:
            if agent_a.same_as(patient_b) and patient_a.same_as(agent_b):
                return [_change("role_reversal", "who did what to whom",
                                f"{agent_a.text} {verb_a} {patient_a.text}",
                                f"{agent_b.text} {verb_b} {patient_b.text}")]
    return []


def _same_value(x: float, y: float) -> bool:
    return abs(x - y) <= VALUE_TOLERANCE * max(abs(x), abs(y), 1.0)


def numbers(a: SentenceFacts, b: SentenceFacts) -> list[Change]:
    """``changed_number`` and the qualifier kinds.

    Figures of equal value are matched; a matched pair whose hedge differs is
    a ``dropped_qualifier`` (a hedges, b does not), ``added_qualifier`` (the
    reverse) or ``changed_qualifier`` (hedges of different groups,
    :data:`QUALIFIER_GROUPS`). Figures left unmatched on both sides are
    changed numbers, paired in text order when they can be one quantity
    (:func:`_same_quantity`); a figure with no counterpart of its sort on the
    other side is an omission.
    """
    changes = []
    left_b = list(b.numbers)
    unmatched_a = []
    for x in a.numbers:
        match = next((y for y in left_b if _same_value(x["value"], y["value"])), None)
        if match is None:
            unmatched_a.append(x)
            continue
        left_b.remove(match)
        qa, qb = x["qualifier"], match["qualifier"]
        if qa and not qb:
            changes.append(_change("dropped_qualifier", "qualifier", f"{qa} {x['text']}", match["text"]))
        elif qb and not qa:
            changes.append(_change("added_qualifier", "qualifier", x["text"], f"{qb} {match['text']}"))
        elif qa and qb and QUALIFIER_GROUPS.get(qa, qa) != QUALIFIER_GROUPS.get(qb, qb):
            changes.append(_change("changed_qualifier", "qualifier", f"{qa} {x['text']}",
                                   f"{qb} {match['text']}"))
    for x in unmatched_a:
        y = next((y for y in left_b if _same_quantity(x, y)), None)
        if y is None:
            continue                # no figure of its sort on the other side: an omission
        left_b.remove(y)
        changes.append(_change("changed_number", "number", x["text"], y["text"]))
    return changes


def _same_quantity(x: dict, y: dict) -> bool:
    """Whether two figures of different value can be one quantity told differently: the same
    unit, and for things counted (:data:`COUNTED_BY_NOUN`) the same noun when both name one
    ("224 votes" and "a majority of 160" are two quantities)."""
    if x["unit"] != y["unit"]:
        return False
    return x["unit"] not in COUNTED_BY_NOUN or not (x["what"] and y["what"]) or x["what"] == y["what"]


def dates(a: SentenceFacts, b: SentenceFacts) -> list[Change]:
    """``changed_date``: a time slot both fill with no value in common (see :mod:`~analysis.statements.time_anchors`)."""
    ta, tb = conflicting_anchors(a.times, b.times)
    if not ta:
        return []
    return [_change("changed_date", "date", ", ".join(t.text for t in ta), ", ".join(t.text for t in tb))]


def places(a: SentenceFacts, b: SentenceFacts) -> list[Change]:
    """``changed_place``: a place replaced by another, or two places swapping roles
    (:func:`~analysis.statements.place_rules.changed_places`)."""
    changed = changed_places(a, b)
    return [_change("changed_place", "place", *changed)] if changed else []


def _shared_negations(facts: SentenceFacts, other: SentenceFacts) -> list[str]:
    """Negations of ``facts`` in the statement both sentences make: more than
    :data:`NEGATION_SCOPE_SHARED` of the content words of what they negate are in ``other``
    (a negation in a clause ``other`` leaves out is an omission)."""
    return [n for n, scope in zip(facts.negations, facts.negation_scopes)
            if not scope or sum(any(_same_stem(x, y) for y in other.lemmas) for x in scope)
            > NEGATION_SCOPE_SHARED * len(scope)]


def _same_stem(x: str, y: str) -> bool:
    """One lemma, or one the other plus an ending the lemmatizer left ("unload" / "unloaded",
    a past participle tagged an adjective): at most :data:`STEM_SLACK_CHARS` more letters."""
    short, long_ = sorted((x, y), key=len)
    return x == y or (len(short) >= STEM_MIN_CHARS and long_.startswith(short)
                      and len(long_) - len(short) <= STEM_SLACK_CHARS)


def negation(a: SentenceFacts, b: SentenceFacts) -> list[Change]:
    """``negation``: one sentence is negated ("not", "never", "no") and the other neither negated nor denying.

    Only negations of what both sentences state count (:func:`_shared_negations`):
    "the ship docked, and the crew did not leave it" -> "the ship docked" omits a clause.
    """
    shared_a, shared_b = _shared_negations(a, b), _shared_negations(b, a)
    negated_a, negated_b = bool(a.negations), bool(b.negations)
    if negated_a == negated_b or (a.denials if negated_b else b.denials) or not (shared_a or shared_b):
        return []
    return [_change("negation", "negated", ", ".join(a.negations), ", ".join(b.negations))]


def _content(words: list[str]) -> list[str]:
    content = [w for w in words if not is_stop_word(w)]
    return content or words


def _marks_gone(quoted: SentenceFacts, plain: SentenceFacts) -> list[str]:
    """Quoted pieces of ``quoted`` whose words ``plain`` has without quotation marks."""
    gone = []
    for text, words in quoted.quoted:
        content = set(_content(words))
        if not content:
            continue
        unquoted = len(content & plain.words_unquoted) / len(content)
        still_quoted = len(content & plain.words_quoted) / len(content)
        if unquoted >= QUOTE_SHARED_MIN and still_quoted < QUOTE_SHARED_MIN:
            gone.append(text)
    return gone


def quote_marks(a: SentenceFacts, b: SentenceFacts) -> list[Change]:
    """``quote_marks_lost`` (a quotes words b has unquoted) and ``quote_marks_added`` (the reverse)."""
    changes = []
    lost = _marks_gone(a, b)
    if lost:
        text = "; ".join(f"“{t}”" for t in lost)
        changes.append(Change("quote_marks_lost", _clip(f"unquoted in b: {text}"), _clip(text), ""))
    added = _marks_gone(b, a)
    if added:
        text = "; ".join(f"“{t}”" for t in added)
        changes.append(Change("quote_marks_added", _clip(f"quoted in b only: {text}"), "", _clip(text)))
    return changes


#: The rules, each returning zero or more :class:`Change`.
RULES = (attribution, roles, numbers, dates, places, negation, quote_marks)


def compare(a: SentenceFacts, b: SentenceFacts) -> list[Change]:
    """Every change between two aligned sentences, in :data:`CHANGE_KINDS` order."""
    found = [change for rule in RULES for change in rule(a, b)]
    if any(c.kind == "role_reversal" for c in found):
        # "A accused B" -> "B accused A": the speaker changes with the roles; one change, not two
        found = [c for c in found if c.kind != "attribution_change"]
    return sorted(found, key=lambda c: CHANGE_KINDS.index(c.kind))
