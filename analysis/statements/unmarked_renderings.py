"""Renderings without quotation marks: a quotation in one outlet, its words unmarked in another.

A rewrite may drop a quotation's marks (000 of the seeds: “We can confirm …”
becomes "We can attest …, Kirby told reporters") or turn it into reported
speech ("Kirby said that the U.S. could confirm …"). :func:`unmarked_renderings`
links each quotation to such renderings through the sentence alignment
(:func:`analysis.overlap.alignment.align_sentences`): a sentence of another
document aligned with the quotation's sentence, holding no quotation of the
same statement, attributed to the same speaker (named with a speech verb in
the sentence; "he said" after a sentence naming them; or the speaker's own
first-person words with the attribution in the next sentence), is a rendering:
``marks_lost`` when it keeps the speaker's own voice (a first-person word) or
most of the quoted words, else ``indirect``.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.statements.speaker_aliases import describe, place_names
from analysis.statements.speakers import SPEECH_VERBS
from analysis.tables import check_corpus_table, require_columns

RENDERING_COLUMNS = ["quote_id", "doc_id", "speaker", "text", "rendering_doc_id", "rendering",
                     "sentence", "start", "end", "similarity"]

#: Embedding cosine (the alignment's ``semantic``) from which an aligned
#: sentence may render a quotation. Chosen on tests/data/alignment
#: (bench/bench_thresholds.py): the best-aligned source sentence of each
#: derived sentence scores 0.43-1.0 (median 0.94, n=38) when the annotation
#: makes it the sentence's source (copy, paraphrase, partial, distorted) and
#: 0.10-0.63 (median 0.39, n=13) when it does not; F1 is highest (0.96) from
#: 0.55 to 0.57, between the negative at 0.541 and the positive at 0.577, and
#: this is the midpoint. Read afterwards on the seeds: Mothership's "He added
#: that North Korea had never supplied the group ..." scores 0.57.
RENDERING_MIN_SEMANTIC = 0.56
#: rapidfuzz ``partial_ratio`` (0-100) of the quotation within the unmarked
#: sentence from which the sentence keeps the quoted words (marks lost, not
#: reported speech). Chosen on tests/data/unmarked/pairs.csv (hand-labelled
#: before measuring, bench/bench_thresholds.py): marks dropped score 100
#: (n=6), reported speech 65.7-94.7 (n=6; tense shifted, a word replaced);
#: midpoint of the gap 94.7-100. tests/data/quotes13's two agree (n2's dropped
#: marks 100, n3's indirect rendering 84.4). Read afterwards on the seeds:
#: 000's Cleverly sentence scores 85 (``marks_lost`` under the previous 80).
MARKS_LOST_MIN_RATIO = 97
#: Words of the speaker's own voice: kept, they show the marks were dropped,
#: since reported speech shifts to the third person.
FIRST_PERSON = frozenset("i we me us my our mine ours myself ourselves".split())
#: Fewest words of a quotation looked for without marks: the sentence around a
#: shorter, partial quotation is the reporter's, and its aligned sentences
#: render the reporter's words, not the quotation (seeds: "gossip and
#: speculation" aligned with a sentence on Wagner's spending).
MIN_QUOTE_WORDS = 5
#: Subjects that carry a speaker named in the sentence before ("He added that ...").
_PRONOUN_START = re.compile(r"^\W*(?:[\w’'-]+\W+){0,4}?(?:he|she|they)\b", re.I)

_WORD = re.compile(r"[\w’'-]+")


def _names(speakers: set[str], places: dict[str, str]) -> set[str]:
    """Lower-case words that name a speaker in a sentence: a surname, or its place and demonyms."""
    found = set()
    for speaker in speakers:
        described = describe(speaker, places)
        if described is not None and described.place:
            found |= {k for k, v in places.items() if v == described.place}
            continue
        capitalised = [w for w in _WORD.findall(speaker) if w[:1].isupper()]
        if capitalised:
            found.add(capitalised[-1].lower())
    return found


def _speech_forms() -> frozenset:
    """Inflected forms of the speech verbs, for text that is not parsed."""
    irregular = {"said", "says", "saying", "told", "telling", "wrote", "written", "according"}
    forms = set(irregular)
    for verb in SPEECH_VERBS:
        stem = verb[:-1] if verb.endswith("e") else verb
        forms |= {verb, verb + "s", verb + "ed", stem + "ed", verb + "ing", stem + "ing"}
        if verb.endswith("y"):
            forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    return frozenset(forms)


_SPEECH_FORMS = _speech_forms()


def _attributes(text: str, names: set[str]) -> tuple[bool, bool]:
    """(names the speaker, has a speech verb) for a piece of text outside quotation marks."""
    said = [w.lower() for w in _WORD.findall(text)]
    present = set(said)
    named = any(all(part in present for part in name.split()) for name in names)
    return named, bool(present & _SPEECH_FORMS)


def _unquoted(body: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    text = list(body[start:end])
    for a, b in spans:
        for k in range(max(a - 1, start), min(b + 1, end)):
            text[k - start] = " "
    return "".join(text)


def unmarked_renderings(quotes: pd.DataFrame, variants: pd.DataFrame, alignment: pd.DataFrame,
                        sentences: pd.DataFrame, docs: pd.DataFrame,
                        mentions: pd.DataFrame) -> pd.DataFrame:
    """Link quotations to their renderings without quotation marks in other documents.

    Parameters
    ----------
    quotes : pandas.DataFrame
        Quotes table with ``canonical_speaker``
        (:func:`analysis.statements.speaker_aliases.speaker_aliases`).
    variants : pandas.DataFrame
        :func:`analysis.statements.quote_variants.quote_variants` of ``quotes``:
        a document quoting the statement in marks is not searched for it.
    alignment : pandas.DataFrame
        Sentence alignment (``doc_a``, ``sent_a``, ``doc_b``, ``sent_b``,
        ``semantic``); without these columns the table is empty.
    sentences : pandas.DataFrame
        The sentence table the alignment numbers (``doc_id``, ``sent``, ``start``, ``end``).
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``body``).
    mentions : pandas.DataFrame
        Canonical entity mentions, for the place names of descriptive speakers.

    Returns
    -------
    pandas.DataFrame
        One row per (quotation, document) linked, its best-aligned sentence:
        ``quote_id``, ``doc_id``, ``speaker`` (canonical), ``text`` (the
        quotation), ``rendering_doc_id``, ``rendering`` (``marks_lost`` or
        ``indirect``), ``sentence`` (the rendering sentence), ``start``,
        ``end`` (its offsets in that document's body), ``similarity`` (the
        alignment's ``semantic``). Sorted by ``quote_id``, ``rendering_doc_id``.
    """
    from rapidfuzz import fuzz

    from analysis.text.quotation_marks import quoted_spans
    from analysis.text.words import words

    check_corpus_table(docs)
    require_columns(quotes, ("quote_id", "doc_id", "text", "kind", "start", "speaker"), "quotes")
    needed = {"doc_a", "sent_a", "doc_b", "sent_b", "semantic"}
    if quotes.empty or not needed <= set(alignment.columns) or alignment.empty:
        return pd.DataFrame(columns=RENDERING_COLUMNS)
    places = place_names(mentions)
    bodies = dict(zip(docs["doc_id"].astype(str), docs["body"].fillna("").astype(str)))
    spans: dict[str, list] = {}   # quoted spans of the documents that render a quote, read when first needed
    sents = sentences.sort_values(["doc_id", "start"]).reset_index(drop=True)
    sentences_of: dict[str, list[tuple]] = {}   # doc_id -> (start, end, sent), in the order of sents
    for d, s0, e0, n in zip(sents["doc_id"], sents["start"], sents["end"], sents["sent"]):
        sentences_of.setdefault(d, []).append((s0, e0, n))
    where = {(d, int(s)): k for k, (d, s) in enumerate(zip(sents["doc_id"], sents["sent"]))}
    quoted_in = {(g, d) for g, d in zip(variants.get("group_id", []), variants.get("doc_id", []))}
    group_of = dict(zip(variants.get("quote_id", []), variants.get("group_id", [])))
    pairs = pd.concat([
        alignment[["doc_a", "sent_a", "doc_b", "sent_b", "semantic"]].set_axis(
            ["doc", "sent", "other", "other_sent", "semantic"], axis=1),
        alignment[["doc_b", "sent_b", "doc_a", "sent_a", "semantic"]].set_axis(
            ["doc", "sent", "other", "other_sent", "semantic"], axis=1)])
    pairs = pairs[pairs["semantic"] >= RENDERING_MIN_SEMANTIC]
    by_sentence = {key: group for key, group in pairs.groupby(["doc", "sent"], sort=False)}
    speaker_col = "canonical_speaker" if "canonical_speaker" in quotes.columns else "speaker"
    rows = []
    for q in quotes[quotes["kind"] == "quote"].itertuples(index=False):
        if len(words(q.text)) < MIN_QUOTE_WORDS or q.speaker == "unknown":
            continue
        own = next((n for s0, e0, n in sentences_of.get(q.doc_id, []) if s0 <= q.start < e0), None)
        if own is None or (q.doc_id, int(own)) not in by_sentence:
            continue
        names = _names({str(q.speaker), str(getattr(q, speaker_col))}, places)
        best: dict[str, dict] = {}
        for m in by_sentence[(q.doc_id, int(own))].itertuples(index=False):
            if m.other == q.doc_id or (group_of.get(q.quote_id), m.other) in quoted_in:
                continue
            k = where.get((m.other, int(m.other_sent)))
            if k is None:
                continue
            body, start, end = bodies[m.other], int(sents.at[k, "start"]), int(sents.at[k, "end"])
            if m.other not in spans:
                spans[m.other] = quoted_spans(body)
            unquoted = _unquoted(body, start, end, spans[m.other])
            around = [_unquoted(body, int(sents.at[j, "start"]), int(sents.at[j, "end"]), spans[m.other])
                      if 0 <= j < len(sents) and sents.at[j, "doc_id"] == m.other else ""
                      for j in (k - 1, k + 1)]
            voice = any(w.lower() in FIRST_PERSON for w in _WORD.findall(unquoted))
            named, speech = _attributes(unquoted, names)
            before, after = (_attributes(t, names) for t in around)
            if not ((named and speech)
                    or (speech and _PRONOUN_START.match(unquoted) and before[0])
                    or (voice and (all(before) or all(after)))):
                continue
            if len(words(unquoted)) < len(words(body[start:end])) / 2:
                continue        # mostly quoted: a quotation of something else
            kept = fuzz.partial_ratio(str(q.text).lower(), unquoted.lower()) >= MARKS_LOST_MIN_RATIO
            row = {"quote_id": q.quote_id, "doc_id": q.doc_id, "speaker": getattr(q, speaker_col),
                   "text": q.text, "rendering_doc_id": m.other,
                   "rendering": "marks_lost" if voice or kept else "indirect",
                   "sentence": re.sub(r"\s+", " ", body[start:end]).strip(), "start": start, "end": end,
                   "similarity": round(float(m.semantic), 4)}
            if m.other not in best or row["similarity"] > best[m.other]["similarity"]:
                best[m.other] = row
        rows.extend(best.values())
    table = pd.DataFrame(rows, columns=RENDERING_COLUMNS)
    table = table.sort_values(["quote_id", "rendering_doc_id"], kind="stable", ignore_index=True)
    return table.astype({"start": "int64", "end": "int64", "similarity": "float64"})
