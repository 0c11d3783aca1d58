"""Rules on names as written: which NER labels count, bare names, headline case, honorifics.

Which NER labels count
    :data:`COUNTED_LABELS`: people, nationalities/groups (NORP), organisations,
    places (GPE, LOC, FAC), products, events, works of art, laws and languages.
    DATE, TIME, MONEY, PERCENT, QUANTITY, ORDINAL and CARDINAL are left to the
    numbers section.

Used by the extraction of mentions (:mod:`analysis.measures.entity_mentions`),
their merging (:mod:`analysis.measures.canonical_entities`) and the alias table
(:mod:`analysis.measures.name_matching`).
"""

from __future__ import annotations

import re
from collections import Counter

from analysis.text.words import words as text_words

#: NER labels counted as entities (the rest are numbers, dates and amounts).
COUNTED_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
                  "WORK_OF_ART", "LAW", "LANGUAGE")

#: Labels that name a place; a name tagged so anywhere is a place everywhere.
PLACE_LABELS = ("GPE", "LOC")

#: Tie-break order when a name is tagged with several labels equally often.
LABEL_PRIORITY = ("GPE", "PERSON", "ORG", "NORP", "LOC", "FAC", "EVENT", "PRODUCT",
                  "WORK_OF_ART", "LAW", "LANGUAGE")

#: Words that end an organisation's full name, so "Wagner" can stand for "Wagner Group".
ORG_DESIGNATORS = ("Group", "Company", "Corporation", "Corp", "Inc", "Ltd", "Party",
                   "Organization", "Organisation", "Foundation", "Institute")

_DETERMINERS = ("the", "a", "an")
#: Honorifics before a name, each with or without a full stop ("Ms", "Ms.").
HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Dame", "Lord", "Lady")
_HONORIFICS = frozenset(h + stop for h in HONORIFICS for stop in ("", "."))
# lower-case words that may sit inside a surname ("Dr de Vries", "Mr bin Salman")
_NAME_PARTICLES = frozenset("de da di du del della der den van von ter la le al bin ibn".split())
_FUNCTION_WORDS = frozenset(
    "a an the of and or for to in on at by with from as into via vs is are was be "
    "it its s de la le du von van al".split())
#: Curly apostrophes made straight in names and aliases ("Russia\u2019s" -> "Russia's").
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})

#: A headline-case line has at most this many words. Headlines are short (BBC's
#: 2,225 titles: 9 words at most); a paragraph of prose in which most words
#: happen to be names is longer.
HEADLINE_CASE_MAX_WORDS = 20
#: ... and at least this share of its content words capitalised. Set by hand on
#: the seed corpus's titles and sub-headings: "Pyongyang Denies US Intelligence
#: Report" (4 of 4) is headline case, "Desperation on the part of Russia" (2 of
#: 3: a sentence-case line with a name) is not; one lower-case content word in
#: four still reads as a headline.
HEADLINE_CASE_MIN_CAPITALISED = 0.75
#: An honorific is followed by at most this many name words ("Dr Maria de
#: Vries"); more is a title of something else ("Lord of the Rings Trilogy").
HONORIFIC_NAME_MAX_WORDS = 3


# --------------------------------------------------------------------------- text rules

def is_headline_case(line: str) -> bool:
    """Whether a line reads as a headline: short, no closing full stop, content words capitalised.

    Parameters
    ----------
    line : str
        One paragraph or title.

    Returns
    -------
    bool
        True when at most :data:`HEADLINE_CASE_MAX_WORDS` words, not ending in
        ".", and at least :data:`HEADLINE_CASE_MIN_CAPITALISED` of the (at least
        two) content words start with a capital letter.
    """
    stripped = line.strip().rstrip("\"'\u201d\u2019")
    words = [w for w in text_words(stripped) if w[0].isalpha()]   # figures are neither case
    if not words or len(words) > HEADLINE_CASE_MAX_WORDS or stripped.endswith("."):
        return False
    content = [w for w in words if w.lower() not in _FUNCTION_WORDS]
    if len(content) < 2:
        return False
    return sum(w[0].isupper() for w in content) / len(content) >= HEADLINE_CASE_MIN_CAPITALISED


def normalize_name(text: str, label: str = "") -> tuple[str, list[str]]:
    """Strip what does not belong to a name: quotes, determiners, honorifics, possessives.

    Parameters
    ----------
    text : str
        A mention as written ("the White House", "Russia\u2019s", "Mr Prigozhin").
    label : str
        Its NER label; honorifics are stripped from PERSON names only.

    Returns
    -------
    (str, list of str)
        The bare name (curly apostrophes made straight, whitespace collapsed) and
        the list of what was stripped, for the ``how`` column.
    """
    how = []
    name = " ".join(text.translate(APOSTROPHES).split())
    if "(" in name and ")" not in name:
        name = name[:name.index("(")]
        how.append("unclosed parenthesis cut")
    name = name.strip(" \"'\u201c\u201d()[],;:")
    first, _, rest = name.partition(" ")
    if rest and first.lower() in _DETERMINERS:
        name = rest
        how.append("determiner stripped")
    first, _, rest = name.partition(" ")
    if rest and label == "PERSON" and first in _HONORIFICS:
        name = rest
        how.append("honorific stripped")
    # a name of two letters or more keeps what is left ("UK's"; not "A's")
    if name.endswith("'s") and len(name) > len("'s") + 1:
        name = name[:-2]
        how.append("possessive stripped")
    elif name.endswith("s'") and len(name) > len("s'") + 1:
        name = name[:-1]
        how.append("possessive stripped")
    return name, how


def is_honorific_name(text: str) -> bool:
    """Whether ``text`` is an honorific followed by a capitalised name ("Ms Lomax", "Dr. de Vries's").

    Parameters
    ----------
    text : str
        A mention as written.

    Returns
    -------
    bool
        True when the first word is one of :data:`HONORIFICS` (with or without a
        full stop, case as written) and the one to three words after it are
        capitalised (name particles such as "de" or "van" allowed inside), the
        last one capitalised and not an organisation designator ("Mr Price Group"
        is a company).
    """
    words = text.translate(APOSTROPHES).strip(" \"'\u201c\u201d()[],;:").split()
    if len(words) < 2 or words[0] not in _HONORIFICS:
        return False
    rest = words[1:]
    rest[-1] = re.sub(r"'s?$", "", rest[-1])
    if (len(rest) > HONORIFIC_NAME_MAX_WORDS or not _is_capitalised(rest[-1])
            or rest[-1] in ORG_DESIGNATORS):
        return False
    return all(_is_capitalised(w) or w in _NAME_PARTICLES for w in rest)


def _is_capitalised(word: str) -> bool:
    """A capital letter then at least one letter ("Lomax", "O'Neill", "Smith-Jones"; not "UK")."""
    return bool(re.fullmatch(r"[^\W\d_][\w'-]*[^\W\d_]", word)) and word[0].isupper() \
        and not word.isupper()


def initials(name: str) -> str:
    """Initial letters of the capitalised words of ``name`` ("People's" counts as P).

    Parameters
    ----------
    name : str
        A name of several words ("Korean Central News Agency").

    Returns
    -------
    str
        One letter per word starting with a capital, words split at spaces and
        hyphens ("KCNA").
    """
    words = re.split(r"[\s-]+", name)
    return "".join(w[0] for w in words if w and w[0].isupper())


def majority_label(counts: Counter) -> str:
    """The label a name has most often; ties broken by :data:`LABEL_PRIORITY`.

    Parameters
    ----------
    counts : collections.Counter
        NER label -> number of mentions with it.

    Returns
    -------
    str
        The most frequent label (a label outside :data:`LABEL_PRIORITY` loses ties).
    """
    return min(counts, key=lambda lab: (-counts[lab], LABEL_PRIORITY.index(lab)
                                        if lab in LABEL_PRIORITY else len(LABEL_PRIORITY)))
