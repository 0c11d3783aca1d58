"""Omission findings: a fact most documents of a story report, and one leaves out.

A *fact* here is something the kit already finds across documents: a figure
shared by several outlets (a group of ``number_conflicts``), a dated event (a
group of ``date_conflicts`` with a known date), a quoted statement (a group of
``quote_variants``). The evidence is read two ways (:func:`_reports`):

**Who reports it** (to decide whether most of the story does): the documents
the fact's group names; those that render the quotation without its marks
(``quote_renderings``: the same words, or indirect speech); a document whose
sentence, linked by the sentence alignment to one stating the fact, states the
same value; a document that writes the fact's date with a number ("3 June").

**Whether a document leaves it out** (once most report it): it does not when
it is among those, nor when it states the same value anywhere (a figure of the
same normalised value and kind, money in the same currency, a percentage, a
count of people or things, whatever its wording: "€4.5m", "4.5 million euros",
"one hundred and twenty"; a date of the same resolved value), nor when one of
its sentences is linked to a sentence stating the fact (``sentence_alignment``,
any linked kind: copy, near copy, paraphrase, partial, distorted) and, for a
figure or a date, that sentence states a figure of the kind (a vague one too:
"dozens of workers") or a date: the fact told in other words, or with a detail
changed, which is a conflict and not an omission. A linked sentence without any
figure is the statement with its figure left out (the clause a copy kept).
``related`` is not a link: the aligner gives it to sentences of one story that
are merely close.

The rule (:func:`omission_findings`) is deliberately one-sided: an omission is
a claim of absence, so the evidence of presence is read loosely, and the
evidence that most of the story reports a fact strictly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import pandas as pd

from analysis.corpus.language import is_english
from analysis.findings.reuse import BUILT_COLUMNS, join_evidence, rows_evidence
from analysis.findings.topics import join_topics
from analysis.overlap.sequence import counterpart_links
from analysis.tables import require_columns

#: A fact is one "most documents of the story report" when more than this share of the story's
#: documents report it (identical texts counted once). Set on principle, from the issue's
#: definition ("a fact most outlets report and one leaves out"): more than half. Not tuned on any
#: data; tests/data/omissions measures the rule with it.
OMISSION_MIN_SHARE = 0.5
#: Fewest documents that must report a fact for its absence elsewhere to be an omission: one
#: document's detail is that document's, not the story's (on principle).
OMISSION_MIN_REPORTING = 2
#: Fewest documents a story (and the corpus) must hold: with two, "most" is both, and one
#: leaving a fact out is a difference between two texts, not an omission against the rest.
OMISSION_MIN_DOCUMENTS = 3
#: Number units compared as one kind of figure when a document states the same value in other words.
COUNT_UNITS = ("people", "casualties", "count")
#: Number units a figure fact can have (those of :func:`analysis.statements.number_claims.number_conflicts`).
FIGURE_UNITS = ("money", "percent", *COUNT_UNITS)


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=BUILT_COLUMNS).astype({"strength": "float64"})


def _sentence_of(sentences: pd.DataFrame | None):
    """A function (doc_id, character offset) -> index of the sentence holding it (-1: unknown)."""
    if sentences is None or sentences.empty:
        return lambda doc_id, start: -1
    spans: dict[str, list[tuple[int, int, int]]] = {}
    for doc_id, sent, start, end in zip(sentences["doc_id"].astype(str), sentences["sent"], sentences["start"],
                                        sentences["end"]):
        spans.setdefault(doc_id, []).append((int(start), int(end), int(sent)))

    def find(doc_id: str, start) -> int:
        if pd.isna(start):
            return -1
        return next((sent for s, e, sent in spans.get(str(doc_id), []) if s <= int(start) < e), -1)

    return find


def _figure_kind(unit: str, currency: str) -> tuple[str, str]:
    """What two figures of one value must share to state the same fact: money and its currency, percent, a count."""
    if unit == "money":
        return ("money", currency or "")
    return ("count", "") if unit in COUNT_UNITS else (unit, "")


def _figure_facts(tables, sentence_of) -> list[dict]:
    """One fact per ``number_conflicts`` group: reporting documents, their sentences, the values stated."""
    conflicts, numbers = tables.get("number_conflicts"), tables.get("numbers")
    if conflicts is None or conflicts.empty:
        return []
    conflicts = conflicts.reset_index(drop=True)
    require_columns(conflicts, ("group_id", "doc_id", "value", "text", "unit", "claim"), "number_conflicts")
    starts: dict[tuple[str, str], list] = {}
    currencies: dict[tuple[str, str], str] = {}  # number_conflicts has no currency column: numbers.csv does
    if numbers is not None and not numbers.empty and "start" in numbers.columns:
        currency_column = numbers["currency"] if "currency" in numbers.columns else pd.Series("", index=numbers.index)
        for doc_id, text, start, cur in zip(numbers["doc_id"].astype(str), numbers["text"].astype(str),
                                            numbers["start"], currency_column.fillna("").astype(str)):
            starts.setdefault((doc_id, text), []).append(start)
            currencies.setdefault((doc_id, text), cur)
    facts = []
    for group_id, group in conflicts.groupby("group_id", sort=False):
        if "currency" in group:
            currency = group["currency"].iloc[0]
        else:
            currency = next((currencies[key] for key in zip(group["doc_id"].astype(str), group["text"].astype(str))
                             if currencies.get(key)), "")
        facts.append({
            "type": "figure", "name": str(group["claim"].iloc[0]), "table": "number_conflicts",
            "rows": list(group.index),
            "row_docs": list(group["doc_id"].astype(str)), "docs": set(group["doc_id"].astype(str)),
            "sentences": {(str(d), sentence_of(d, s)) for d, t in zip(group["doc_id"], group["text"])
                          for s in starts.get((str(d), str(t)), [])},
            "values": {(float(v), _figure_kind(str(u), str(currency))) for v, u in zip(group["value"], group["unit"])
                       if pd.notna(v)},
        })
    return facts


def _date_facts(tables) -> list[dict]:
    """One fact per ``date_conflicts`` group with a known reference date."""
    conflicts = tables.get("date_conflicts")
    if conflicts is None or conflicts.empty:
        return []
    conflicts = conflicts.reset_index(drop=True)
    require_columns(conflicts, ("group_id", "doc_id", "value", "conflict", "claim", "sentence"), "date_conflicts")
    facts = []
    for _, group in conflicts.groupby("group_id", sort=False):
        known = group[(group["conflict"] != "unresolved") & group["value"].fillna("").astype(str).ne("")]
        if known.empty:
            continue  # a date nobody could resolve: nothing to look for elsewhere
        facts.append({"type": "date", "name": str(group["claim"].iloc[0]), "table": "date_conflicts",
                      "rows": list(group.index),
                      "row_docs": list(group["doc_id"].astype(str)), "docs": set(group["doc_id"].astype(str)),
                      "sentences": {(str(d), int(s)) for d, s in zip(group["doc_id"], group["sentence"])},
                      "dates": set(known["value"].astype(str))})
    return facts


def _quote_facts(tables, sentence_of) -> list[dict]:
    """One fact per ``quote_variants`` group; its renderings without marks (``quote_renderings``) report it too."""
    variants, quotes = tables.get("quote_variants"), tables.get("quotes")
    if variants is None or variants.empty:
        return []
    variants = variants.reset_index(drop=True)
    require_columns(variants, ("group_id", "speaker", "doc_id", "quote_id", "text"), "quote_variants")
    start = {}
    if quotes is not None and not quotes.empty and {"quote_id", "start"} <= set(quotes.columns):
        start = dict(zip(quotes["quote_id"].astype(str), quotes["start"]))
    renderings = tables.get("quote_renderings")
    rendered: dict[str, set] = {}
    rendering_rows: dict[str, list] = {}
    if renderings is not None and not renderings.empty:
        for row, (quote_id, doc_id, at) in enumerate(zip(renderings["quote_id"].astype(str),
                                                         renderings["rendering_doc_id"].astype(str),
                                                         renderings["start"])):
            rendered.setdefault(quote_id, set()).add((doc_id, sentence_of(doc_id, at)))
            rendering_rows.setdefault(quote_id, []).append((row, doc_id))
    facts = []
    for _, group in variants.groupby("group_id", sort=False):
        speaker = str(group["speaker"].iloc[0])
        text = str(group["text"].iloc[0])
        also = set().union(*(rendered.get(q, set()) for q in group["quote_id"].astype(str)))
        facts.append({
            "type": "quote", "name": text if speaker in ("", "unknown") else f"{speaker}: {text}",
            "table": "quote_variants",
            "rows": list(group.index), "row_docs": list(group["doc_id"].astype(str)),
            "docs": set(group["doc_id"].astype(str)) | {d for d, _ in also},
            "more_rows": [row for q in group["quote_id"].astype(str) for row in rendering_rows.get(q, [])],
            "sentences": {(str(d), sentence_of(d, start.get(str(q)))) for d, q in zip(group["doc_id"],
                                                                                    group["quote_id"])} | also})
    return facts


class _Seen(NamedTuple):
    """What each document and sentence states, to look for a fact in a document (copies mapped to first copies)."""

    figures: dict[str, set]             # doc -> {(value, kind)}
    sentence_figures: dict[tuple, set]  # (doc, sentence) -> {(value, kind)}, a vague figure's value NaN
    dates: dict[str, set]               # doc -> {resolved value}
    written_dates: dict[str, set]       # doc -> {resolved value of a date written with a number: "3 June", "2028"}
    sentence_dates: dict[tuple, set]    # (doc, sentence) -> {value, "" when unresolved}
    linked: dict[tuple, set]            # (doc, sentence) -> {(doc, sentence)} the alignment links, either way


def _seen(tables, sentence_of, copy_of) -> _Seen:
    figures, sentence_figures, dates, written_dates, sentence_dates, linked = {}, {}, {}, {}, {}, {}
    numbers = tables.get("numbers")
    if numbers is not None and not numbers.empty:
        vague = numbers["vague"].astype(bool) if "vague" in numbers else pd.Series(False, index=numbers.index)
        usable = numbers[numbers["unit"].isin(FIGURE_UNITS) & (numbers["value"].notna() | vague)]
        currency = usable["currency"].fillna("") if "currency" in usable else pd.Series("", index=usable.index)
        start = usable["start"] if "start" in usable else pd.Series(float("nan"), index=usable.index)
        for doc_id, value, unit, cur, at in zip(usable["doc_id"].astype(str), usable["value"], usable["unit"],
                                                currency, start):
            figure = (float(value), _figure_kind(str(unit), str(cur)))
            if pd.notna(value):
                figures.setdefault(copy_of(doc_id), set()).add(figure)
            sentence_figures.setdefault((copy_of(doc_id), sentence_of(doc_id, at)), set()).add(figure)
    date_table = tables.get("dates")
    if date_table is not None and not date_table.empty:
        for doc_id, value, sent, text in zip(date_table["doc_id"].astype(str),
                                             date_table["value"].fillna("").astype(str), date_table["sentence"],
                                             date_table["text"].fillna("").astype(str)):
            if value:
                dates.setdefault(copy_of(doc_id), set()).add(value)
                if any(c.isdigit() for c in text):
                    written_dates.setdefault(copy_of(doc_id), set()).add(value)
            sentence_dates.setdefault((copy_of(doc_id), int(sent)), set()).add(value)
    alignment = tables.get("sentence_alignment")
    if alignment is not None and not alignment.empty:
        links = counterpart_links(alignment)
        for doc_a, sent_a, doc_b, sent_b in zip(links["doc_a"], links["sent_a"], links["doc_b"], links["sent_b"]):
            a, b = (copy_of(doc_a), int(sent_a)), (copy_of(doc_b), int(sent_b))
            linked.setdefault(a, set()).add(b)
            linked.setdefault(b, set()).add(a)
    return _Seen(figures, sentence_figures, dates, written_dates, sentence_dates, linked)


def _reports(fact: dict, doc: str, seen: _Seen, strict: bool) -> bool:
    """Whether ``doc`` states ``fact`` in other words than the fact's own table shows.

    Strictly (to count the documents that report it): a sentence of ``doc``
    the alignment links to one stating the fact states the same value, or
    ``doc`` writes the fact's date with a number anywhere ("3 June", "June 3",
    "2028" name a date by themselves; "Tuesday" names one only through the
    article's date, and another event of that day would match). Not
    strictly (to tell whether ``doc`` leaves it out): ``doc`` states the same
    value anywhere, or such a linked sentence states any figure of the kind
    (a vague one too) or any date, or, for a quotation, is linked at all.
    """
    mine = {s for fact_sentence in fact["sentences"] for s in seen.linked.get(fact_sentence, ()) if s[0] == doc}
    if fact["type"] == "figure":
        stated = set().union(*(seen.sentence_figures.get(s, set()) for s in mine))
        if fact["values"] & stated:
            return True
        return not strict and bool(fact["values"] & seen.figures.get(doc, set())
                                   or {kind for _, kind in fact["values"]} & {kind for _, kind in stated})
    if fact["type"] == "date":
        stated = set().union(*(seen.sentence_dates.get(s, set()) for s in mine))
        if fact["dates"] & (stated | seen.written_dates.get(doc, set())):
            return True
        return not strict and bool(fact["dates"] & seen.dates.get(doc, set()) or stated)
    return not strict and bool(mine)


def _stories(tables) -> tuple[dict[str, list[str]], dict[str, str]]:
    """story_id -> its documents the English-only tables read, in corpus order, each identical copy left out;
    and each later identical copy -> its first copy."""
    stories = tables["stories"]
    require_columns(stories, ("story_id", "doc_id"), "stories")
    documents = tables.get("documents")
    english = None
    if documents is not None and "language" in documents.columns:
        english = {d for d, lang in zip(documents["doc_id"].astype(str), documents["language"].fillna("und"))
                   if is_english(str(lang))}
    edges = tables.get("derivation")
    copies: dict[str, str] = {}
    if edges is not None and not edges.empty and "relation" in edges.columns:
        identical = edges[edges["relation"] == "identical"]
        copies = dict(zip(identical["derived"].astype(str), identical["source"].astype(str)))
    out: dict[str, list[str]] = {}
    for story, doc_id in zip(stories["story_id"].astype(str), stories["doc_id"].astype(str)):
        if (english is None or doc_id in english) and doc_id not in copies:
            out.setdefault(story, []).append(doc_id)
    return out, copies


def omission_findings(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One finding per document of a story that leaves out a fact most of the story's documents report.

    Within each story (``stories``; the documents the English-only tables
    read, a later identical copy counted as its first copy, never as a
    document of its own), a fact (see the module docstring: a shared figure,
    dated event or quotation) is reported by the documents that state it in
    any wording. It is an omission of each other document of the story when
    at least :data:`OMISSION_MIN_REPORTING` documents report it and more than
    :data:`OMISSION_MIN_SHARE` of the story's documents do; stories (and
    corpora) of fewer than :data:`OMISSION_MIN_DOCUMENTS` documents have none.
    The facts one document leaves out that are stated in one same sentence
    elsewhere (a vote's two figures, a quotation and the figure inside it) are
    one finding.

    ``strength`` is the share of the story's documents that report the fact
    (the largest, for merged facts): 4 of 5 is 0.8. It says how much the
    story as told elsewhere holds what this document leaves out; it is always
    above :data:`OMISSION_MIN_SHARE` and below 1 (the omitting document is one
    of the story's).

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        ``stories`` (:func:`analysis.overlap.stories.find_stories`); the facts
        from ``number_conflicts`` (with ``numbers``), ``date_conflicts`` (with
        ``dates``), ``quote_variants`` (with ``quotes`` and
        ``quote_renderings``); optional ``documents`` (its ``language``),
        ``derivation`` (identical copies), ``sentence_alignment`` and
        ``sentences`` (:func:`analysis.text.sentences.sentence_table`, to place
        figures and quotations in their sentences).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`analysis.findings.reuse.BUILT_COLUMNS`: ``kind``
        ``omission``, ``doc_id`` the omitting document, ``other_doc_id`` the
        first reporting document (corpus order) as the reference, ``topic`` the
        fact (a claim's name, a date with its event, a speaker and quotation;
        merged facts ``"; "``-separated, :func:`analysis.findings.topics.join_topics`:
        a ``;`` of the text escaped), ``text`` ``""`` (the document has no
        wording of it), ``other_text`` the reference's sentence stating it (its
        quotation when the sentence is unknown), ``evidence`` the rows of the
        fact's table(s) naming the reporting documents (and, for a quotation,
        the ``quote_renderings`` rows of its renderings without marks).
    """
    stories, copies = _stories(tables)
    if sum(len(docs) for docs in stories.values()) < OMISSION_MIN_DOCUMENTS:
        return _empty()
    sentence_table = tables.get("sentences")
    sentence_of = _sentence_of(sentence_table)
    facts = _figure_facts(tables, sentence_of) + _date_facts(tables) + _quote_facts(tables, sentence_of)
    if not facts:
        return _empty()
    def copy_of(doc_id: str) -> str:
        return copies.get(doc_id, doc_id)

    for fact in facts:  # a copy's mention is its first copy's
        fact["docs"] = {copy_of(d) for d in fact["docs"]}
        fact["sentences"] = {(copy_of(d), k) for d, k in fact["sentences"]}
    seen = _seen(tables, sentence_of, copy_of)
    texts = {}
    if sentence_table is not None and not sentence_table.empty:
        texts = {(str(d), int(s)): str(t) for d, s, t in zip(sentence_table["doc_id"], sentence_table["sent"],
                                                             sentence_table["text"])}
    story_of = {doc: story for story, docs in stories.items() for doc in docs}
    facts_of: dict[str, list[dict]] = {}  # a fact belongs to the stories of the documents its table names
    for fact in facts:
        for story in dict.fromkeys(story_of[d] for d in sorted(fact["docs"]) if d in story_of):
            facts_of.setdefault(story, []).append(fact)
    omitted: dict[str, list[tuple]] = {}
    for story_id, docs in stories.items():
        if len(docs) < OMISSION_MIN_DOCUMENTS:
            continue
        story = set(docs)
        for fact in facts_of.get(story_id, []):
            reporting = fact["docs"] & story
            reporting |= {d for d in story - reporting if _reports(fact, d, seen, strict=True)}
            if len(reporting) < OMISSION_MIN_REPORTING or len(reporting) <= OMISSION_MIN_SHARE * len(docs):
                continue
            reference = next(d for d in docs if d in reporting)
            for doc in docs:
                if doc not in reporting and not _reports(fact, doc, seen, strict=False):
                    omitted.setdefault(doc, []).append((fact, len(reporting), len(docs), reference, reporting))
    rows = []
    for doc in (d for docs in stories.values() for d in docs):
        for merged in _merged(omitted.get(doc, [])):
            fact, k, n, reference, _ = max(merged, key=lambda item: item[1] / item[2])
            sentence = next((texts[s] for s in sorted(fact["sentences"]) if s[0] == reference and s in texts), "")
            evidence: dict[str, set] = {}
            for item in merged:  # the rows of the reporting documents, table by table
                evidence.setdefault(item[0]["table"], set()).update(
                    row for row, d in zip(item[0]["rows"], item[0]["row_docs"]) if copies.get(d, d) in item[4])
                evidence.setdefault("quote_renderings", set()).update(  # quotations rendered without marks
                    row for row, d in item[0].get("more_rows", []) if copies.get(d, d) in item[4])
            rows.append(("omission", doc, reference, round(k / n, 6), "",
                         join_topics(dict.fromkeys(item[0]["name"] for item in merged)), "",
                         sentence or fact["name"],
                         join_evidence(*(rows_evidence(table, found) for table, found in evidence.items()))))
    return pd.DataFrame(rows, columns=BUILT_COLUMNS) if rows else _empty()


def _merged(items: list[tuple]) -> list[list[tuple]]:
    """The facts one document leaves out, grouped when they share a reporting sentence; first-seen order."""
    first = {id(item): k for k, item in enumerate(items)}
    groups: list[list] = []
    for item in items:
        known = {s for s in item[0]["sentences"] if s[1] >= 0}
        joined = [g for g in groups if known & {s for other in g for s in other[0]["sentences"] if s[1] >= 0}]
        groups = [g for g in groups if not any(g is j for j in joined)]
        groups.append(sorted([x for g in joined for x in g] + [item], key=lambda x: first[id(x)]))
    return sorted(groups, key=lambda g: first[id(g[0])])
