"""Checks on an aligned sentence pair: what must match for the pair to carry the same content.

A reworded sentence keeps its facts when its numbers, names, speaker and the
roles of its participants are those of its source. These checks find the
changes that turn a rewrite into a *distortion* (issue 12): a changed figure,
a name put in place of another, a statement given to another speaker, who
accused whom swapped. They also measure how much of one sentence the other
carries, which separates a *partial* copy (one clause of the source, or the
source plus a new claim) from a paraphrase.

All checks read the two texts only (the text layer's words, spaCy's English
stop words and, for roles, its parse): the alignment stage runs them on every aligned pair, so they stay
cheap (only the role check parses, and only pairs whose word order already
suggests a swap). They are deliberately conservative: a pronoun speaker ("he said") or a
role noun ("the official") is never taken to differ from a named one, since
the aligner cannot resolve who it refers to.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from analysis.overlap.paraphrase import numbers_conflict
from analysis.text.lemmas import stop_words
from analysis.text.words import normalise_word, words

__all__ = ["numbers_conflict", "names_conflict", "speaker_phrases", "speakers", "speakers_in_context", "speaker_conflict", "roles_swapped",
           "content_words", "carried_share", "extra_content"]

#: Letters a content word is cut to before comparison ("sanctions"/"sanctioned").
STEM = 5

#: Verbs that attribute a statement (the speaker is their subject).
SPEECH_VERBS = ("said", "says", "say", "stated", "states", "told", "tells", "added", "adds", "warned",
                "warns", "confirmed", "confirms", "claimed", "claims", "announced", "announces",
                "argued", "argues", "insisted", "insists", "remarked", "asserted", "asserts",
                "noted", "explained", "denied", "denies", "alleged", "alleges", "reported",
                "reports", "acknowledged", "admitted", "wrote", "writes", "tweeted", "posted")
#: Verbs that state a judgement: their subject is the one who said it, but
#: unlike the reporting verbs above they can be the pivot of swapped roles.
JUDGEMENT_VERBS = ("condemned", "condemns", "criticised", "criticized", "accused", "accuses",
                "dismissed", "dismisses", "rejected", "rejects", "welcomed", "welcomes", "praised",
                "urged", "urges", "vowed", "vows", "promised", "predicted", "estimated", "believes")
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
    "owner", "founder", "member", "members", "people", "person", "man", "woman",
})
#: Words after a reporting verb that do not start a speaker ("..., Varga, said on Tuesday").
_NOT_SPEAKER_START = frozenset({
    "on", "in", "at", "during", "after", "before", "last", "this", "yesterday", "today", "earlier", "later",
    "that", "it", "there", "in", "by", "to", "from", "with", "when", "while", "monday", "tuesday",
    "wednesday", "thursday", "friday", "saturday", "sunday", "so", "again", "also", "then", "previously",
})
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "who", "which", "that", "this"})

_VERBS = "|".join(SPEECH_VERBS + JUDGEMENT_VERBS)
# "X said", "X has said", "X told reporters"; X = up to five words after a clause start.
_SPEAKER_BEFORE = re.compile(
    r"(?:^|[,;:\u201c\u201d\"]\s*|\bthat\s+)((?:[\w'\u2019.-]+\s+){0,4}?[\w'\u2019.-]+),?\s+"
    r"(?:has\s+|have\s+|had\s+|also\s+|later\s+|previously\s+|repeatedly\s+)?(?:" + _VERBS + r")\b",
    re.IGNORECASE)
# "..., said X." (after a comma or closing quotation mark) and "according to X"
_SPEAKER_AFTER = re.compile(r"(?:[,\u201d\"]\s*(?:" + "|".join(SPEECH_VERBS) + r")|\baccording\s+to)\s+"
                            r"((?:[\w'\u2019.-]+,?\s*){1,9})", re.IGNORECASE)
_NATIONALITY = re.compile(r"(?:ish|ese|ian|ean|can)$")  # British, Chinese, Russian, Korean, American
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


def names(text: str, openers: bool = False, nationalities: bool = True) -> set[str]:
    """Capitalised words that are not stop words, casefolded and cut to :data:`STEM` letters.

    Words capitalised only because they open the sentence or a quotation are
    left out unless ``openers`` is true; nationality adjectives ("British",
    "Chinese", "Israeli") unless ``nationalities`` is true.
    """
    stops = stop_words()
    text = _normalise(text)
    found = set()
    for match in _NAME.finditer(text):
        word = match.group(0).rstrip("'").removesuffix("'s")
        if word.casefold() in stops:
            continue
        before = text[:match.start()].rstrip()
        if not openers and (not before or before[-1] in ".!?\"\u201c'(:"):
            continue
        if not nationalities and _NATIONALITY.search(word) and len(word) > STEM:
            continue
        found.add(word.casefold()[:STEM])
    return found


def _initials(text: str) -> set[str]:
    """Initials of runs of capitalised words ("United Nations Security Council" -> un, uns, unsc, ns, ...)."""
    runs, run = [], []
    for token in words(_normalise(text)):
        if token[:1].isupper() and token.casefold() not in ("of", "the", "and"):
            run.append(token[0].casefold())
        elif token.casefold() in ("of", "the", "and") and run:
            continue
        else:
            if run:
                runs.append(run)
            run = []
    if run:
        runs.append(run)
    return {"".join(r[i:j]) for r in runs for i in range(len(r)) for j in range(i + 2, len(r) + 1)}


def names_conflict(text_a: str, text_b: str) -> bool:
    """True when each text names someone or something the other does not ("Oslo" vs "Bergen").

    A name of one side (:func:`names`) is missing from the other when no
    capitalised word there has the same first :data:`STEM` letters, openers
    included ("Ruth Callan, the chief executive of Aldmere Water" and
    "Aldmere Water's chief executive, Ruth Callan" agree), and, for an
    abbreviation, no run of capitalised words there has its initials ("UN" and
    "United Nations"). Nationality adjectives (capitalised words of more than
    five letters ending in -ish, -ese, -ian, -ean or -can: "British",
    "Russian") are left out, since a rewrite may name the country instead
    ("the UK's"): a changed nationality is not caught, nor is a changed
    personal name with such an ending ("Adrian"). A name on one side only (an added detail) is
    not a conflict.
    """
    def missing(text: str, other: str) -> set[str]:
        own = names(text, nationalities=False) - names(other, openers=True)
        return {n for n in own if n not in _initials(other)}

    return bool(missing(text_a, text_b)) and bool(missing(text_b, text_a))


def _speaker_words(phrase: str) -> frozenset[str] | None:
    """Content words of a speaker phrase; None for a pronoun or role-only phrase (unresolvable)."""
    tokens = [normalise_word(w).removesuffix("'s") for w in words(_normalise(phrase))]
    stops = stop_words()
    content = [t for t in tokens if t not in stops and t not in _PRONOUNS]
    if not content or all(t in ROLE_NOUNS for t in content):
        return None
    return frozenset(t[:STEM] for t in content if t not in ROLE_NOUNS) or None


def speaker_phrases(text: str) -> set[tuple[frozenset[str], bool]]:
    """Who the sentence attributes its statement to: ``(content stems, named)`` per speaker phrase.

    Found by pattern: the subject of a speech or judgement verb
    (:data:`SPEECH_VERBS`, :data:`JUDGEMENT_VERBS`: "Kirby said", "The army
    has confirmed", "Peter Hale, condemned") or what follows a reporting verb
    after a comma or quotation mark ("..., said Kirby") or "according to".
    Pronouns and role nouns alone (:data:`ROLE_NOUNS`) are left out: they
    cannot be compared. ``named``: the phrase has a capitalised word that does
    not open the sentence (a proper name, not "Emergency services" at the start).
    """
    text = _normalise(text)
    found = set()
    for pattern in (_SPEAKER_BEFORE, _SPEAKER_AFTER):
        for match in pattern.finditer(text):
            if pattern is _SPEAKER_AFTER and _starts_with(match.group(1), _NOT_SPEAKER_START):
                continue  # "..., said on Tuesday": no speaker after the verb
            if pattern is _SPEAKER_BEFORE and "," in text[match.end(1):match.end()]:
                # an appositive comma: "Peter Hale, condemned" or "Elena Varga, said on Tuesday";
                # not "..., said Kirby", where Kirby is the speaker (the other pattern)
                verb = match.group(0).rsplit(None, 1)[-1].casefold()
                follows = text[match.end():]
                if verb in SPEECH_VERBS and follows.strip()[:1].isalpha() \
                        and not _starts_with(follows, _NOT_SPEAKER_START):
                    continue
            phrase = match.group(1)
            if pattern is _SPEAKER_BEFORE:
                phrase = re.split(r"[,;:.]", phrase)[0]
            else:  # "according to a statement from the UK's foreign minister, James Cleverly"
                phrase = re.split(r"[;:.](?:\s|$)", phrase)[0]
            speaker = _speaker_words(phrase)
            if not speaker:
                continue
            offset = match.start(1)
            named = any(m.start() + offset > 0 and text[:m.start() + offset].strip()
                        for m in _NAME.finditer(phrase))
            found.add((speaker, named))
    return found


def _starts_with(text: str, first_words: frozenset[str]) -> bool:
    found = words(text)
    return bool(found) and normalise_word(found[0]) in first_words


def speakers(text: str) -> set[frozenset[str]]:
    """Content stems of each speaker phrase of ``text`` (:func:`speaker_phrases`)."""
    return {words_ for words_, _ in speaker_phrases(text)}


_PRONOUN_SPEAKER = re.compile(
    r"(?:^|[,;:\u201c\u201d\"]\s*)(?:he|she)\s+(?:also\s+|later\s+|has\s+|had\s+)?(?:" + "|".join(SPEECH_VERBS)
    + r")\b|[,\u201d\"]\s*(?:" + "|".join(SPEECH_VERBS) + r")\s+(?:he|she)\b", re.IGNORECASE)
#: How many sentences back a "he said" is resolved to the last named speaker.
PRONOUN_LOOKBACK = 3


def speakers_in_context(text: str, previous: tuple[str, ...] = ()) -> set[tuple[frozenset[str], bool]]:
    """:func:`speaker_phrases`, with "..., he said" resolved to the last named speaker before it.

    ``previous``: the sentences before ``text`` in its document, in order;
    the last :data:`PRONOUN_LOOKBACK` are searched for a named speaker
    ("..., Kirby said." then "..., he said." -> Kirby).
    """
    found = speaker_phrases(text)
    if found or not _PRONOUN_SPEAKER.search(_normalise(text)):
        return found
    for sentence in reversed(previous[-PRONOUN_LOOKBACK:]):
        named = {phrase for phrase in speaker_phrases(sentence) if phrase[1]}
        if named:
            return named
    return found


def speaker_conflict(text_a: str, text_b: str, previous_a: tuple[str, ...] = (),
                     previous_b: tuple[str, ...] = ()) -> bool:
    """True when both sentences name a speaker, no speaker of one shares a word with one of the
    other, and at least one of them is a proper name.

    "The club's chairman, Peter Hale, condemned ... and said" vs "Police
    condemned ... and said": a conflict. "trade minister Dana Whitlock said" vs
    "Whitlock warned": no conflict. "Emergency services said" vs "Rescue
    workers stated" (a synonym spin, no name): no conflict. A role noun is
    never a conflict; a pronoun ("he said") only when ``previous_a`` /
    ``previous_b`` (the sentences before, :func:`speakers_in_context`) name
    who "he" is.
    """
    a, b = speakers_in_context(text_a, previous_a), speakers_in_context(text_b, previous_b)
    if not a or not b or not any(named for _, named in a | b):
        return False
    if any(x & y for x, _ in a for y, _ in b):
        return False
    # A speaker named elsewhere in the other sentence is an apposition the
    # pattern cut off ("Barbara Woodward, the British ambassador to the UN,
    # stated" vs "the UK's UN ambassador, Barbara Woodward, said"), unless the
    # other side's speaker is missing from this one.
    words_a, words_b = set(content_words(text_a)), set(content_words(text_b))
    a_missing = all(not (x & words_b) for x, _ in a)
    b_missing = all(not (y & words_a) for y, _ in b)
    return a_missing or b_missing


def _order_swapped(a: list[str], b: list[str]) -> bool:
    """Word-order prefilter: around a shared word, shared words move both ways."""
    shared = set(a) & set(b)
    speech = {v[:STEM] for v in SPEECH_VERBS}
    for pivot in sorted(shared):
        if a.count(pivot) != 1 or b.count(pivot) != 1 or pivot in speech:
            continue
        pa, pb = a.index(pivot), b.index(pivot)
        before_a, after_a = set(a[:pa]) & shared, set(a[pa + 1:]) & shared
        before_b, after_b = set(b[:pb]) & shared, set(b[pb + 1:]) & shared
        if (before_a & after_b) - before_b and (after_a & before_b) - after_b:
            return True
    return False


def _head_words(token) -> frozenset[str]:
    """Lemma of a noun phrase's head and its compounds, casefolded; empty for a pronoun."""
    if token.pos_ == "PRON":
        return frozenset()
    return frozenset(t.lemma_.casefold() for t in [token, *token.children] if t is token or t.dep_ == "compound")


@functools.lru_cache(maxsize=4096)
def verb_roles(text: str, spacy_model: str = "auto") -> tuple[tuple[str, frozenset[str], frozenset[str]], ...]:
    """``(verb lemma, subject words, object words)`` of each verb of ``text``, by spaCy's parse.

    ``spacy_model``: the run's English pipeline (the ``spacy_model`` parameter,
    :func:`analysis.text.nlp.load_pipeline`). The passive is read as the
    active: the subject of "were accused" is its object, the ``by`` agent its
    subject.
    """
    from analysis.text.nlp import load_pipeline

    out = []
    for token in load_pipeline(spacy_model)(text):
        if token.pos_ not in ("VERB", "AUX"):
            continue
        subject, obj = set(), set()
        for child in token.children:
            if child.dep_ in ("nsubj", "csubj"):
                subject |= _head_words(child)
            elif child.dep_ in ("dobj", "obj", "nsubjpass"):
                obj |= _head_words(child)
            elif child.dep_ == "agent":
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        subject |= _head_words(grand)
        if subject and obj:
            out.append((token.lemma_.casefold(), frozenset(subject), frozenset(obj)))
    return tuple(out)


def roles_swapped(text_a: str, text_b: str, spacy_model: str = "auto") -> bool:
    """True when the subject and the object of a shared verb trade places.

    "Home fans accused the visiting supporters" vs "Visiting supporters
    accused the home fans". A cheap word-order test comes first (around a
    shared word, content words move both ways); only pairs that pass it are
    parsed (spaCy, the run's English pipeline ``spacy_model``): a verb with the same lemma on
    both sides whose subject on one side is its object on the other, and the
    other way round. The passive keeps the roles ("Y was accused by X").
    """
    if not _order_swapped(content_words(text_a), content_words(text_b)):
        return False
    roles_b = verb_roles(_normalise(text_b), spacy_model)
    for verb, subject_a, object_a in verb_roles(_normalise(text_a), spacy_model):
        for other, subject_b, object_b in roles_b:
            if verb == other and subject_a & object_b and object_a & subject_b:
                return True
    return False
