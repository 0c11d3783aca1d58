"""What a figure counts, as a grouping key and as written: "1,000 employees", "51% of Yukos".

:mod:`analysis.statements.numbers` groups figures on the lemma of the counted
noun ("employee"), but a claim is named with the words of the text
("1,000 employees"), a name is kept as written ("Yukos", not "yuko"), an
acronym in its singular ("MP", not "mp"), and a number that is part of a name
("Chapter 11", "Radio 4") is recognised as such, not as a count of chapters.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from analysis.statements.date_rules import MONTHS, WEEKDAYS
from analysis.text.lemmas import lemma

#: Nouns of ownership: "51% of Norvik's shares" counts a share of Norvik, as "51% of Norvik" does.
OWNERSHIP_NOUNS = frozenset("share stake equity stock holding capital".split())
_ACRONYM_PLURAL = re.compile(r"^[A-Z]{2,}s$")
_NAME_BEFORE = re.compile(r"(?<![\w'’-])(?P<word>[A-Z][a-z]+)\s$")


def noun_key(noun) -> str:
    """Grouping form of a counted noun: a name as written, an acronym's singular, else the lemma."""
    if _ACRONYM_PLURAL.match(noun.text):
        return noun.text[:-1]
    if noun.pos_ == "PROPN" or noun.ent_type_ in ("ORG", "GPE", "PERSON", "NORP"):
        return _entity_text(noun)
    return lemma(noun)


def noun_as_written(noun) -> str:
    """The counted noun as written, with its lower-case compounds ("casualty rate", "employees")."""
    parts = [c.text for c in noun.children if c.dep_ == "compound" and c.text[:1].islower()
             and c.i < noun.i]
    return " ".join(parts + [_entity_text(noun) if noun.pos_ == "PROPN" else noun.text])


def percent_of(root):
    """The noun a percentage is "of" ("80% of adults" -> adults; "51% of Norvik's shares" -> Norvik)."""
    prep = next((c for c in root.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
    if obj is not None and lemma(obj) in OWNERSHIP_NOUNS:
        owner = next((c for c in obj.children if c.dep_ == "poss"), None)
        if owner is not None:
            return owner
    return obj


def name_number(body: str, start: int, doc) -> str:
    """The name a figure belongs to ("Chapter 11", "Radio 4"), or "" when it is a figure of its own.

    A figure is part of a name when it right follows a capitalised word that
    is neither a stop word ("In 2003", "About 30"), a month nor a day, and the
    parse attaches it to that word ("Chapter 11", not "in Ukraine 50,000
    individuals", where 50,000 counts the individuals).
    """
    m = _NAME_BEFORE.search(body[max(0, start - 30):start])
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if not m or span is None or span.root.head.i != span.root.i - 1:
        return ""
    word = m.group("word")
    if word.lower() in STOP_WORDS or word.lower() in MONTHS or word.lower() in WEEKDAYS:
        return ""
    end = re.match(r"[\d.,]*\d", body[start:])
    return f"{word} {end.group(0)}" if end else ""


def _entity_text(tok) -> str:
    """The whole named entity a token is part of ("Yukos", "Baltic Finance"), without a possessive."""
    ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    text = ent.text if ent is not None else tok.text
    return re.sub(r"['’]s?$", "", text)
