"""One speaker, many names: descriptive speakers of one source merged, every merge recorded.

Outlets name an institution's voice in many ways: "North Korean foreign ministry
spokesperson", "a representative for the North Korean foreign ministry",
"ministry spokesperson", "North Korea", a misspelt "Norther Korean official".
:func:`speaker_aliases` reads each descriptive speaker of the quotes table as a
*place* (a state, from the corpus's place entities and their demonyms), an
*organisation* (words ending in an institution noun: "foreign ministry") and a
*voice* role (spokesperson, representative, official), and merges descriptions
of the same place and organisation, anchored like the entity aliases
(:mod:`analysis.measures.canonical_entities`):

1. spelling: a place name in a speaker that is no name of the corpus, within
   :data:`PLACE_MIN_SIMILARITY` of one that is, is read as it (rapidfuzz OSA);
2. document: a description without a place ("ministry spokesperson") takes the
   place and organisation the same document names ("North Korea's foreign
   ministry"), or the one place of the document's other descriptive speakers;
3. corpus: a description merges into the only more specific description it is
   compatible with (same place or none, organisation words a subset): "North
   Korea" into the North Korean foreign ministry when that is the only North
   Korean institution quoted; when two are quoted ("Japanese official", with
   Japan's defence and foreign ministries both speaking), nothing is merged.

People are never merged here (their names are resolved by
:func:`analysis.measures.canonical_entities.canonical_name_function`), nor is
a description naming a person's office ("defence minister").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from analysis.statements.speakers import UNKNOWN_SPEAKER
from analysis.tables import check_corpus_table, require_columns

SPEAKER_ALIAS_COLUMNS = ["speaker", "canonical_speaker", "reason", "documents", "quotes"]

#: Similarity (rapidfuzz OSA ``normalized_similarity``: edits, a swap of two
#: letters counting one, over the longer length) from which an unknown place
#: word in a speaker is a misspelling of a corpus place name. Chosen by
#: bench/bench_thresholds.py on every one-edit typo (a letter dropped, added,
#: replaced or two swapped) of 148 place names and demonyms of at least
#: :data:`PLACE_MIN_CHARS` letters: a typo scores 1 - 1/length against its name,
#: 0.80-0.93 (n=55,972), so 0.80 = 1 - 1/:data:`PLACE_MIN_CHARS` keeps every one;
#: names of different places score up to 0.857 (n=10,660; above 0.80 only
#: "iceland" / "ireland" 0.857, "north korean" / "south korean" 0.833, "north
#: korea" / "south korea" 0.818, and "austrian" / "australian" at 0.80). F1 is
#: highest from 0.78 to 0.80; the top of that range merges the fewest distinct
#: places. Only words naming nothing in the corpus are corrected, and each to
#: its most similar corpus name, which keeps those four apart when both are
#: named in the corpus. tests/data/quotes13: "norwegien" / "norwegian" 0.889.
PLACE_MIN_SIMILARITY = 0.80
#: Shortest place word corrected by spelling (shorter ones match too much).
PLACE_MIN_CHARS = 5
#: A demonym names the corpus place it shares a prefix with, the prefix at
#: least the place's length minus this many letters ("norwegian" / "norway":
#: "norw", 6 - 2); irregular ones are in :data:`IRREGULAR_DEMONYMS`.
DEMONYM_SUFFIX_SLACK = 2
#: ... and at least this many letters.
DEMONYM_MIN_PREFIX = 3

IRREGULAR_DEMONYMS = {
    "british": "United Kingdom", "english": "United Kingdom", "french": "France",
    "dutch": "Netherlands", "swiss": "Switzerland", "irish": "Ireland", "thai": "Thailand",
    "filipino": "Philippines", "emirati": "United Arab Emirates", "saudi": "Saudi Arabia",
    "danish": "Denmark", "finnish": "Finland", "polish": "Poland", "portuguese": "Portugal",
    "czech": "Czech Republic", "lao": "Laos", "malagasy": "Madagascar",
}

#: Nouns ending the name of an institution that speaks through a voice.
ORG_HEADS = frozenset("""
    ministry department office embassy government agency council commission committee
    military army navy police parliament administration mission cabinet presidency
    secretariat court union party company authority authorities regulator bank
    directorate bureau service services command
""".split())
#: Roles that speak for their institution, interchangeable for merging.
VOICE_ROLES = frozenset("""
    spokesperson spokesman spokeswoman spokespeople spokesmen representative representatives
    official officials source sources
""".split())
#: Words that carry no identity in a description.
_FILLER = frozenset("a an the for of at from to in on with and its their".split())
#: Spelling variants of organisation words.
_ORG_SPELLING = {"defense": "defence", "affairs": ""}
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


@dataclass(frozen=True)
class Description:
    """A speaker read as place, organisation and voice."""

    place: str | None
    org: frozenset
    voice: bool
    note: str = ""
    named: bool = False     # the organisation is a proper name ("European Commission")

    @property
    def key(self) -> tuple:
        return (self.place, self.org)


def place_names(mentions: pd.DataFrame) -> dict[str, str]:
    """Lower-case place names and demonyms of the corpus -> the place entity.

    Parameters
    ----------
    mentions : pandas.DataFrame
        Canonical entity mentions (``text``, ``entity``, ``entity_type``; ``name``
        used when present), from :func:`analysis.measures.canonical_entities.canonicalize_mentions`.

    Returns
    -------
    dict of str to str
        ``"north korea"``, ``"pyongyang"``, ``"north korean"`` -> ``"North Korea"``.
    """
    require_columns(mentions, ("text", "entity", "entity_type"), "mentions")
    names: dict[str, str] = {}
    gpe = mentions[mentions["entity_type"] == "GPE"]
    for column in ("entity", "name", "text"):
        if column in gpe:
            for value, entity in sorted(zip(gpe[column].astype(str), gpe["entity"].astype(str))):
                names.setdefault(_normal(value), entity)
    places = sorted(set(gpe["entity"].astype(str)))
    norp = mentions[mentions["entity_type"] == "NORP"]
    for value in sorted(set(norp.get("name", norp["text"]).astype(str))):
        demonym = _normal(value)
        if demonym in names:
            continue
        match = [p for p in places if _is_demonym(demonym, p.lower())]
        if match:
            names[demonym] = max(match, key=lambda p: (len(p), p))
    for demonym, place in IRREGULAR_DEMONYMS.items():
        names.setdefault(demonym, place)
    names.pop("", None)
    return names


def _is_demonym(word: str, place: str) -> bool:
    prefix = 0
    for a, b in zip(word, place):
        if a != b:
            break
        prefix += 1
    return prefix >= max(DEMONYM_MIN_PREFIX, len(place) - DEMONYM_SUFFIX_SLACK) and word != place


def _normal(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"'s\b|'", " ", text)
    return " ".join(_WORD.findall(text))


def describe(speaker: str, places: dict[str, str]) -> Description | None:
    """Read a speaker as place, organisation and voice; None when it is no description.

    Parameters
    ----------
    speaker : str
        A speaker as in the quotes table.
    places : dict of str to str
        Output of :func:`place_names`.

    Returns
    -------
    Description or None
        None for a person's name, an office held by a person ("defence
        minister") or words naming neither a place nor an organisation.
    """
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    tokens = _normal(speaker).split()
    place, note, used = None, "", set()
    for n in range(min(4, len(tokens)), 0, -1):
        for i in range(len(tokens) - n + 1):
            phrase = " ".join(tokens[i:i + n])
            if place is None and phrase in places and not used & set(range(i, i + n)):
                place, used = places[phrase], used | set(range(i, i + n))
    heads = [i for i, t in enumerate(tokens) if t in ORG_HEADS]
    org: list[str] = []
    if heads:
        h = heads[-1]
        org = [tokens[h]]
        k = h - 1
        while k >= 0 and k not in used and tokens[k] not in _FILLER | VOICE_ROLES:
            org.insert(0, tokens[k])
            k -= 1
        if h + 2 < len(tokens) and tokens[h + 1] == "of":
            org += [t for j, t in enumerate(tokens[h + 2:], h + 2) if j not in used and t not in _FILLER]
        used |= set(range(k + 1, h + 1)) | {j for j in range(h + 1, len(tokens)) if tokens[j] in org}
    voice = any(t in VOICE_ROLES for t in tokens)
    left = [i for i, t in enumerate(tokens) if i not in used and t not in _FILLER | VOICE_ROLES]
    if place is None and left:
        phrase = " ".join(tokens[i] for i in left)
        if len(phrase) >= PLACE_MIN_CHARS and phrase not in places:
            best = process.extractOne(phrase, sorted(places), scorer=OSA.normalized_similarity,
                                      score_cutoff=PLACE_MIN_SIMILARITY)
            if best is not None:
                place, left = places[best[0]], []
                note = f"spelling: '{phrase}' read as '{best[0]}' (similarity {best[1]:.2f})"
    if left or (place is None and not org):
        return None
    org_words = frozenset(w for w in (_ORG_SPELLING.get(t, t) for t in org) if w)
    named = any(w[:1].isupper() for w in re.findall(r"[\w-]+", speaker) if w.lower() in org)
    return Description(place, org_words, voice, note, named)


def _phrase_pattern(places: dict[str, str]) -> re.Pattern | None:
    """The regex of :func:`_document_phrases` for these places (None when there are none)."""
    keys = "|".join(re.escape(k) for k in sorted(places, key=lambda k: (-len(k), k)))
    heads = "|".join(sorted(ORG_HEADS))
    if not keys:
        return None
    return re.compile(rf"\b(?:{keys})\s+(?:[a-z-]+\s+){{0,2}}?(?:{heads})\b"
                      rf"|\b(?:[a-z-]+\s+){{0,2}}(?:{heads})\s+of\s+(?:the\s+)?(?:{keys})\b")


def _document_phrases(body: str, places: dict[str, str],
                      pattern: re.Pattern | None) -> list[tuple[Description, str]]:
    """Place-and-organisation phrases a body names: "North Korea's foreign ministry",
    "the fisheries ministry of Norway" (``pattern``: :func:`_phrase_pattern` of ``places``)."""
    found = []
    if pattern is None:
        return found
    for m in pattern.finditer(_normal(body)):
        described = describe(m.group(0), places)
        if described is not None and described.place and described.org:
            found.append((described, m.group(0)))
    return found


def _anchor(desc: Description, phrases: Callable[[], list], doc_places: set) -> tuple[Description, str]:
    """A description without a place, completed from its document (rule 2); ``phrases`` gives
    the document's :func:`_document_phrases`, read only for such a description."""
    if desc.place is not None or desc.named:
        return desc, ""
    fits = {d.key: text for d, text in phrases() if desc.org <= d.org}
    if len(fits) == 1:
        (place, org), text = next(iter(fits.items()))
        return replace(desc, place=place, org=org), f"the {' '.join(sorted(org))} its document names ('{text}')"
    if not fits and len(doc_places) == 1:
        place = next(iter(doc_places))
        return replace(desc, place=place), f"the one place of its document's other speakers ({place})"
    return desc, ""


def _target(key: tuple, keys: set) -> tuple | None:
    """The only most specific description compatible with ``key`` (rule 3), else None."""
    place, org = key
    fits = {k for k in keys if (place is None or k[0] == place) and org <= k[1] and k[1]}
    if place is None and not org:
        return None
    maximal = {k for k in fits if not any(k != o and k[0] == o[0] and k[1] < o[1] for o in fits)}
    return next(iter(maximal)) if len(maximal) == 1 else None


def speaker_aliases(quotes: pd.DataFrame, docs: pd.DataFrame,
                    mentions: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge the descriptive speakers that name one source; record every merge.

    Parameters
    ----------
    quotes : pandas.DataFrame
        Output of :func:`analysis.statements.quotes.extract_quotes` (``doc_id``, ``speaker``).
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``body``) the quotes come from.
    mentions : pandas.DataFrame
        Canonical entity mentions, for the place names (:func:`place_names`).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The quotes table with a ``canonical_speaker`` column added (the speaker
        itself when nothing was merged; for a merged source, the institution's
        own name where an outlet uses one, "North Korea's foreign ministry",
        else its most quoted name), and ``speaker_aliases``: one row per
        speaker name merged into another, and per canonical name that others
        were merged into: ``speaker``, ``canonical_speaker``, ``reason`` (the
        rules applied), ``documents`` (``;``-joined doc_ids, corpus order) and
        ``quotes`` (int). Sorted by ``canonical_speaker``, ``speaker``.
    """
    require_columns(quotes, ("doc_id", "speaker"), "quotes")
    check_corpus_table(docs)
    places = place_names(mentions)
    bodies = dict(zip(docs["doc_id"].astype(str), docs["body"].fillna("").astype(str)))
    pairs = sorted({(d, s) for d, s in zip(quotes["doc_id"].astype(str), quotes["speaker"].astype(str))
                    if s != UNKNOWN_SPEAKER})
    read = {pair: describe(pair[1], places) for pair in pairs}
    read = {pair: d for pair, d in read.items() if d is not None}
    doc_places: dict[str, set] = defaultdict(set)
    for (doc_id, _), d in read.items():
        if d.place:
            doc_places[doc_id].add(d.place)
    anchored, reasons = {}, {}
    pattern, phrases = _phrase_pattern(places), {}

    def document_phrases(doc_id: str) -> list:
        if doc_id not in phrases:  # read once per document
            phrases[doc_id] = _document_phrases(bodies.get(doc_id, ""), places, pattern)
        return phrases[doc_id]

    for (doc_id, speaker), d in read.items():
        why = [d.note] if d.note else []
        d, note = _anchor(d, lambda doc_id=doc_id: document_phrases(doc_id), doc_places[doc_id])
        anchored[(doc_id, speaker)] = d
        reasons[(doc_id, speaker)] = why + ([note] if note else [])
    keys = {d.key for d in anchored.values()}
    group = {}
    for pair, d in anchored.items():
        target = _target(d.key, keys)
        if target is None:
            continue
        group[pair] = target
        if target != d.key:
            what = "state" if not d.org else "organisation"
            where = f" ({target[0]})" if target[0] else ""
            reasons[pair].append(f"its {what} has one institution quoted: "
                                 f"{' '.join(sorted(target[1]))}{where}")
        if d.voice:
            reasons[pair].append("a spokesperson, representative or official speaks for it")
    counts = Counter(zip(quotes["doc_id"].astype(str), quotes["speaker"].astype(str)))
    canonical = {}
    for key in sorted(set(group.values()), key=str):
        members = [p for p, k in group.items() if k == key]
        exact = [p for p in members if anchored[p].key == key and not anchored[p].note] or members
        per_name, voice = Counter(), {}
        for p in exact:
            per_name[p[1]] += counts[p]
            voice[p[1]] = voice.get(p[1], False) or anchored[p].voice
        # the institution itself ("North Korea's foreign ministry") before a voice of it
        canonical[key] = min(per_name, key=lambda n: (voice[n], -per_name[n], len(n), n))
    names = {p: canonical[k] for p, k in group.items()}
    multi = {k for k in canonical if len({p[1] for p, g in group.items() if g == k}) > 1}
    out = quotes.copy()
    out["canonical_speaker"] = [names.get((d, s), s) if (d, s) in group and group[(d, s)] in multi else s
                                for d, s in zip(out["doc_id"].astype(str), out["speaker"].astype(str))]
    order = {doc_id: k for k, doc_id in enumerate(docs["doc_id"].astype(str))}
    rows: dict[tuple, dict] = {}
    for pair, key in group.items():
        if key not in multi:
            continue
        name = canonical[key]
        reason = "; ".join(reasons[pair]) or "same place and organisation"
        if pair[1] == name:
            reason = (f"canonical: the most quoted name of the {' '.join(sorted(key[1]))}"
                      + (f" ({key[0]})" if key[0] else "") + ", the institution's own before its voices'")
        row = rows.setdefault((pair[1], name, reason), {"docs": set(), "quotes": 0})
        row["docs"].add(pair[0])
        row["quotes"] += counts[pair]
    table = pd.DataFrame([{"speaker": s, "canonical_speaker": c, "reason": r,
                           "documents": ";".join(sorted(v["docs"], key=lambda d: (order.get(d, 0), d))),
                           "quotes": v["quotes"]} for (s, c, r), v in rows.items()],
                         columns=SPEAKER_ALIAS_COLUMNS)
    table = table.sort_values(["canonical_speaker", "speaker", "reason"], kind="stable", ignore_index=True)
    return out, table.astype({"quotes": "int64"})
