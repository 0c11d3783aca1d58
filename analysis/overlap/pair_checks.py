"""Checks on an aligned sentence pair: what must match for the pair to carry the same content.

A reworded sentence keeps its facts when its numbers, names, speaker and the
roles of its participants are those of its source. These checks find the
changes that turn a rewrite into a *distortion* (issue 12): a changed figure,
a name put in place of another, a statement given to another speaker, who
accused whom swapped. They also measure how much of one sentence the other
carries, which separates a *partial* copy (one clause of the source, or the
source plus a new claim) from a paraphrase.

All checks read the two texts only (the text layer's words, spaCy's English
stop words): the alignment stage runs them on every aligned pair, so they stay
cheap. They are deliberately conservative: a pronoun speaker ("he said") or a
role noun ("the official") is never taken to differ from a named one, since
the aligner cannot resolve who it refers to.
"""

from __future__ import annotations

import re
import unicodedata

from analysis.overlap.paraphrase import numbers_conflict
from analysis.text.lemmas import stop_words
from analysis.text.words import normalise_word, words

__all__ = ["numbers_conflict", "names_conflict", "speakers", "speaker_conflict", "roles_swapped",
           "content_words", "carried_share", "extra_content"]

#: Letters a content word is cut to before comparison ("sanctions"/"sanctioned").
STEM = 5

#: Verbs that attribute a statement (the speaker is their subject).
SPEECH_VERBS = ("said", "says", "say", "stated", "states", "told", "tells", "added", "adds", "warned",
                "warns", "confirmed", "confirms", "claimed", "claims", "announced", "announces",
                "argued", "argues", "insisted", "insists", "remarked", "asserted", "asserts",
                "noted", "explained", "denied", "denies", "alleged", "alleges", "reported",
                "reports", "acknowledged", "admitted", "wrote", "writes", "tweeted", "posted")
#: Words that name a role rather than a person ("the official", "a spokesman"):
#: the aligner cannot tell which person they refer to, so a role noun never
#: conflicts with a name.
ROLE_NOUNS = frozenset({
    "official", "officials", "spokesman", "spokeswoman", "spokesperson", "representative",
    "minister", "secretary", "president", "chairman", "chairwoman", "chair", "director",
    "executive", "chief", "head", "leader", "ambassador", "diplomat", "source", "sources",
    "analyst", "analysts", "adviser", "advisor", "governor", "envoy", "aide", "statement",
    "report", "reports", "document", "ministry", "department", "office", "agency",
    "government", "administration", "authorities", "authority", "company", "firm", "group",
})
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "who", "which", "that", "this"})

_VERBS = "|".join(SPEECH_VERBS)
# "X said", "X has said", "X told reporters"; X = up to five words after a clause start.
_SPEAKER_BEFORE = re.compile(
    r"(?:^|[,;:\u201c\u201d\"]\s*|\bthat\s+)((?:[\w'\u2019.-]+\s+){0,4}?[\w'\u2019.-]+)\s+"
    r"(?:has\s+|have\s+|had\s+|also\s+|later\s+|previously\s+|repeatedly\s+)?(?:" + _VERBS + r")\b",
    re.IGNORECASE)
# "..., said X." and "according to X"
_SPEAKER_AFTER = re.compile(r"(?:\b(?:" + _VERBS + r")|\baccording\s+to)\s+((?:[\w'\u2019.-]+\s*){1,5})",
                            re.IGNORECASE)
_NAME = re.compile(r"\b[A-Z][\w\u2019'-]*[a-z][\w\u2019'-]*|\b[A-Z]{2,}\b")


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("\u2019", "'").replace("\u2018", "'")


def content_words(text: str) -> list[str]:
    """Non-stop words of ``text``, casefolded, cut to :data:`STEM` letters, in order."""
    stops = stop_words()
    out = []
    for word in words(_normalise(text)):
        for part in normalise_word(word).split("-"):
            if part and part not in stops and not part.isdigit():
                out.append(part[:STEM])
    return out


def carried_share(text: str, other: str) -> float:
    """Share of ``text``'s content stems that ``other`` has too (1.0 when ``text`` has none)."""
    mine = set(content_words(text))
    return len(mine & set(content_words(other))) / len(mine) if mine else 1.0


def extra_content(text: str, other: str) -> int:
    """Number of distinct content stems of ``text`` that ``other`` lacks."""
    return len(set(content_words(text)) - set(content_words(other)))


def names(text: str) -> set[str]:
    """Capitalised words that are neither sentence or quotation openers nor stop words, casefolded."""
    stops = stop_words()
    text = _normalise(text)
    found = set()
    for match in _NAME.finditer(text):
        word = match.group(0).rstrip("'").removesuffix("'s")
        if word.casefold() in stops:
            continue
        before = text[:match.start()].rstrip()
        if not before or before[-1] in ".!?\"\u201c'(:":
            continue
        found.add(word.casefold()[:STEM])
    return found


def names_conflict(text_a: str, text_b: str) -> bool:
    """True when each text names someone or something the other does not ("Oslo" vs "Bergen").

    Names are compared cut to :data:`STEM` letters, so "Norway" and "Norway's"
    agree; a name on one side only (an added detail) is not a conflict.
    """
    a, b = names(text_a), names(text_b)
    return bool(a - b) and bool(b - a)


def _speaker_words(phrase: str) -> frozenset[str] | None:
    """Content words of a speaker phrase; None for a pronoun or role-only phrase (unresolvable)."""
    tokens = [normalise_word(w) for w in words(phrase)]
    stops = stop_words()
    content = [t for t in tokens if t not in stops and t not in _PRONOUNS]
    if not content or all(t in ROLE_NOUNS for t in content):
        return None
    return frozenset(t[:STEM] for t in content if t not in ROLE_NOUNS) or None


def speakers(text: str) -> set[frozenset[str]]:
    """Who the sentence attributes its statement to: one set of content stems per speaker phrase.

    Found by pattern: the subject of a speech verb (:data:`SPEECH_VERBS`)
    ("Kirby said", "The army has confirmed") or what follows one ("..., said
    Kirby"; "according to the ministry"). Pronouns and role nouns alone
    (:data:`ROLE_NOUNS`) are left out: they cannot be compared.
    """
    text = _normalise(text)
    found = set()
    for pattern in (_SPEAKER_BEFORE, _SPEAKER_AFTER):
        for match in pattern.finditer(text):
            phrase = re.split(r"[,;:.]", match.group(1))[0]
            speaker = _speaker_words(phrase)
            if speaker:
                found.add(speaker)
    return found


def speaker_conflict(text_a: str, text_b: str) -> bool:
    """True when both sentences name a speaker and no speaker of one shares a word with one of the other.

    "The club's chairman, Peter Hale, condemned ... and said" vs "Police
    condemned ... and said": a conflict. "trade minister Dana Whitlock said" vs
    "Whitlock warned": no conflict. A pronoun or role noun is never a conflict.
    """
    a, b = speakers(text_a), speakers(text_b)
    if not a or not b:
        return False
    return not any(x & y for x in a for y in b)


def roles_swapped(text_a: str, text_b: str) -> bool:
    """True when the participants on either side of a shared verb trade places.

    "Home fans accused the visiting supporters" vs "Visiting supporters
    accused the home fans": around the shared word "accused", a content word
    before it in one sentence is after it in the other, and another goes the
    other way. Speech verbs are not pivots ("X said Y" and "Y, X said" keep
    their roles), nor is a pivot followed by "by" on either side (the passive
    "Y was accused by X" keeps them too). The pivot must occur once on each side.
    """
    a, b = content_words(text_a), content_words(text_b)
    shared = set(a) & set(b)
    passive = re.compile(r"\b(\w+)\s+by\b", re.IGNORECASE)
    passive_stems = {normalise_word(m.group(1))[:STEM] for t in (text_a, text_b)
                     for m in passive.finditer(_normalise(t))}
    speech = {v[:STEM] for v in SPEECH_VERBS}
    for pivot in sorted(shared):
        if a.count(pivot) != 1 or b.count(pivot) != 1 or pivot in speech or pivot in passive_stems:
            continue
        pa, pb = a.index(pivot), b.index(pivot)
        before_a, after_a = set(a[:pa]) & shared, set(a[pa + 1:]) & shared
        before_b, after_b = set(b[:pb]) & shared, set(b[pb + 1:]) & shared
        if (before_a & after_b) - before_b and (after_a & before_b) - after_b:
            return True
    return False
