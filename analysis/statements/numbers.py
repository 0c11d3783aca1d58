"""Numeric facts (people, money, casualties, percentages, dates) found in each document.

:func:`extract_numbers` finds each figure in a body, normalises its value
("$100m" = "100 million dollars" = 1e8; "a thousand" = 1000), and records what
it counts (the noun it quantifies, or for money the verb it is spent/received
through), its currency, period, hedge and place. The claims shared across
documents and their conflicts are in :mod:`analysis.statements.number_claims`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import pandas as pd

from analysis.corpus.cleaning import document_labels
from analysis.statements.date_rules import read_date
from analysis.statements.dates import date_spans, is_month_word
from analysis.statements.number_labels import name_number, noun_as_written, noun_key, percent_of
from analysis.statements.number_words import WORD_NUMBER_RE, parse_number_words
from analysis.tables import check_corpus_table
from analysis.text.lemmas import lemma

NUMBER_COLUMNS = ["doc_id", "value", "unit", "what", "text", "start", "end", "label",
                  "currency", "period", "qualifier", "scope", "is_conversion", "vague", "noun"]

#: Nouns (lemmas) counting people; a figure quantifying one of these has unit "people".
PEOPLE_NOUNS = frozenset("""
    people person individual personnel troop soldier fighter mercenary contractor convict
    prisoner criminal inmate employee civilian member worker resident refugee child man
    woman official volunteer recruit staff veteran citizen migrant voter student patient
    victim hostage officer police militant combatant casualty death fatality adult
    mp mep senator lawmaker legislator peer minister councillor rebel shareholder
""".split())
#: Stems marking a count of people as casualties.
CASUALTY_STEMS = ("kill", "die", "dead", "death", "wound", "injur", "casualt", "fatalit")
#: Nouns of time, skipped when looking for what a bare figure counts.
TIME_NOUNS = frozenset("day week month year hour minute decade century".split())

_CURRENCY = {"US$": "USD", "$": "USD", "S$": "SGD", "A$": "AUD", "C$": "CAD", "HK$": "HKD",
             "NZ$": "NZD", "€": "EUR", "£": "GBP", "¥": "JPY", "dollar": "USD", "euro": "EUR",
             "pound": "GBP", "yuan": "CNY", "won": "KRW", "rouble": "RUB", "ruble": "RUB",
             "yen": "JPY"}
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9,
          "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "dozen": 12, "hundred": 100}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_RE = r"(?:\s?(?P<scale>million|billion|trillion|thousand|bn|mn|tn|m|k)\b)"
MONEY_RE = re.compile(
    r"(?P<cur>US\$|S\$|A\$|C\$|HK\$|NZ\$|\$|€|£|¥)\s?(?P<num>" + _NUM + ")" + _SCALE_RE + "?")
PLAIN_RE = re.compile(
    r"(?<![\w$€£¥.,/-])(?P<num>" + _NUM + r")(?![\w/-]|[.,]\d)"
    r"(?:\s(?P<scale>million|billion|trillion|thousand)\b)?"
    r"(?:\s?(?P<pct>%|per ?cent\b|percent\b))?"
    r"(?:\s(?P<curword>dollars?|euros?|pounds?|yuan|won|roubles?|rubles?|yen)\b)?", re.I)
_QUALIFIER_RE = re.compile(
    r"(?P<q>more than|less than|fewer than|over|under|about|around|nearly|almost|at least|"
    r"at most|up to|as many as|as much as|as high as|as few as|roughly|approximately|some|"
    r"an estimated|estimated)\s+$", re.I)
#: Characters before a figure searched for its hedge ("more than", "as many as"):
#: the longest hedge and a few spaces.
QUALIFIER_WINDOW_CHARS = 30
#: A rate's period ("$100m a month") may follow the figure after a bracketed
#: conversion of at most PERIOD_BRACKET_MAX_CHARS characters and at most
#: PERIOD_MAX_WORDS_BETWEEN words ("$100 million (S$135 million) on the war a
#: month"); further on, "a month" belongs to another phrase.
PERIOD_BRACKET_MAX_CHARS = 40
PERIOD_MAX_WORDS_BETWEEN = 4
_BRACKET = r"(?:\s*\([^)]{0,%d}\))?" % PERIOD_BRACKET_MAX_CHARS
_PERIOD_RE = re.compile(
    r"^" + _BRACKET + r"(?:\s+[\w'’-]+){0,%d}?\s+(?:per|a|an|each|every)\s+" % PERIOD_MAX_WORDS_BETWEEN
    + r"(?P<p>day|week|month|year)\b|^" + _BRACKET + r"\s+(?P<adv>daily|weekly|monthly|"
    r"annually|yearly)\b", re.I)
_YEAR_RE = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_CURRENCY_IN_DATE = re.compile(r"[$€£¥]|\b(?:dollars?|euros?|pounds?)\b", re.I)
_PERIOD_ONLY = re.compile(r"^(?:a|an|per|each|every)\s+(?:day|week|month|year)$|^(?:daily|"
                          r"weekly|monthly|annually|yearly)$", re.I)


def _currency_code(word: str) -> str:
    """ISO code of a currency word matched by the patterns above ("dollars" -> "USD").

    The patterns admit a closed list of words whose plural adds an "s"; no
    parse is at hand here, and none is needed.
    """
    return _CURRENCY[word.lower().removesuffix("s")]


def extract_numbers(docs: pd.DataFrame, parsed: Mapping | None = None) -> pd.DataFrame:
    """Numeric facts of every document, normalised.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``body``; ``label`` used when present).
    parsed : mapping, optional
        ``doc_id`` -> spaCy ``Doc`` of the body (:func:`analysis.text.nlp.parse_bodies`);
        parsed here when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per figure, sorted by ``doc_id`` and ``start``:

        - ``doc_id``, ``label`` (str);
        - ``value`` (float): the normalised value (``"$100m"`` -> 1e8, ``"a
          thousand"`` -> 1000, ``"40%"`` -> 40); for dates the year when one is
          given, else NaN;
        - ``unit`` (str): ``money``, ``percent``, ``people``, ``casualties``
          (people killed, wounded or dead), ``count`` (anything else counted),
          ``date`` (an absolute date) or ``relative_date`` ("last month"), the
          date phrases of :func:`analysis.statements.dates.date_spans` (so
          "the 30's" is a decade, not 30 of something); ``duration`` ("10
          years"); ``name`` (a number that is part of a name: "Chapter 11",
          "Radio 4");
        - ``what`` (str): what the figure counts, the singular of the noun it
          quantifies (``"contractor"``), a name as written (``"Yukos"``), an
          acronym in the singular (``"MP"``); for money the verb it goes with
          (``"spend"``, ``"receive"``); for a name the name (``"Chapter 11"``);
          ``""`` for dates or when unknown;
        - ``text`` (str): the figure as written, ``start``/``end`` (int) its offsets;
        - ``currency`` (str): ISO code for money (``$`` is read as USD), else ``""``;
        - ``period`` (str): ``day|week|month|year`` for a rate ("per month"), else ``""``;
        - ``qualifier`` (str): hedge written before it ("more than", "about"), else ``""``;
        - ``scope`` (str): the place the figure applies to ("Ukraine",
          "Bakhmut alone"), from an "in <place>" phrase of its clause, else ``""``;
        - ``is_conversion`` (bool): a currency conversion in brackets after
          another amount ("US$100 million (S$135 million)");
        - ``vague`` (bool): an order of magnitude written as a plural
          ("thousands of troops", "dozens", "scores of"); its ``value`` is NaN
          and it takes part in no claim
          (:data:`analysis.statements.number_words.VAGUE_QUANTITY`);
        - ``noun`` (str): what it counts as written in the text (``"employees"``,
          ``"Labour MPs"``'s noun ``"MPs"``, ``"Yukos"``), for naming claims.
    """
    check_corpus_table(docs)
    if parsed is None:
        from analysis.text.nlp import load_pipeline, parse_bodies
        parsed = parse_bodies(docs, load_pipeline())
    labels = document_labels(docs)
    rows = []
    for doc_id, body in zip(docs["doc_id"].astype(str), docs["body"]):
        if doc_id not in parsed:
            raise ValueError(f"parsed has no spaCy Doc for document {doc_id!r}")
        body = "" if not isinstance(body, str) else body
        doc = parsed[doc_id]
        if doc.text != body:
            raise ValueError(f"parsed Doc for {doc_id!r} is not a parse of its body")
        for row in _doc_numbers(body, doc):
            row.update(doc_id=doc_id, label=labels.get(doc_id, doc_id))
            rows.append(row)
    table = pd.DataFrame(rows, columns=NUMBER_COLUMNS)
    table = table.sort_values(["doc_id", "start"], kind="stable").reset_index(drop=True)
    return table.astype({"value": "float64", "start": "int64", "end": "int64",
                         "is_conversion": bool, "vague": bool})


def _doc_numbers(body: str, doc) -> list[dict]:
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    rows = []
    for start, end in date_spans(body, doc):
        text = body[start:end]
        year = _YEAR_RE.search(text)
        value = read_date(text)
        # absolute: the phrase names its time ("the 1930s", "November 20"), even without a year
        absolute = (value is not None and not value.relative) or bool(year) or (
            re.search(r"\d", text) and any(is_month_word(w) for w in re.findall(r"[A-Za-z]+", text)))
        rows.append(_row(start, end, text, float(year.group(1)) if year else math.nan,
                         "date" if absolute else "relative_date", "", body))
        taken.append((start, end))
    for ent in doc.ents:               # durations: "10 years", "three months"
        if ent.label_ != "DATE" or _PERIOD_ONLY.match(ent.text.strip()) \
                or not free(ent.start_char, ent.end_char) or read_date(ent.text) is not None:
            continue
        if _CURRENCY_IN_DATE.search(ent.text):
            continue           # the small model tags "two and a half million dollars" DATE
        rows.append(_row(ent.start_char, ent.end_char, ent.text, math.nan, "duration", "", body))
        taken.append((ent.start_char, ent.end_char))

    for m in MONEY_RE.finditer(body):
        if not free(m.start(), m.end()):
            continue
        value = float(m.group("num").replace(",", "")) * _SCALE.get(
            (m.group("scale") or "").lower(), 1)
        row = _row(m.start(), m.end(), m.group(0), value, "money", "", body)
        row["currency"] = _CURRENCY[m.group("cur")]
        rows.append(row)
        taken.append((m.start(), m.end()))

    for m in PLAIN_RE.finditer(body):
        if not free(m.start(), m.end()):
            continue
        value = float(m.group("num").replace(",", "")) * _SCALE.get(
            (m.group("scale") or "").lower(), 1)
        unit = "percent" if m.group("pct") else "money" if m.group("curword") else ""
        name = "" if unit or m.group("scale") else name_number(body, m.start(), doc)
        if name:
            row = _row(m.start(), m.end(), m.group(0), value, "name", name, body)
            row["noun"] = name
            rows.append(row)
            taken.append((m.start(), m.end()))
            continue
        if not unit and _is_bare_year(m, body, doc):
            row = _row(m.start(), m.end(), m.group(0), value, "date", "", body)
            rows.append(row)
            taken.append((m.start(), m.end()))
            continue
        row = _row(m.start(), m.end(), m.group(0), value, unit, "", body)
        if m.group("curword"):
            row["currency"] = _currency_code(m.group("curword"))
        rows.append(row)
        taken.append((m.start(), m.end()))

    for m in WORD_NUMBER_RE.finditer(body):
        if not free(m.start(), m.end()):
            continue
        phrase = m.group("num")
        words = phrase.lower().split()
        if words[0] in ("a", "an") and len(words) == 1:
            continue
        if words == ["one"]:
            continue           # mostly a pronoun ("one of the ...")
        vague = m.group("vague") is not None
        value = math.nan if vague else parse_number_words(phrase)
        if value is None:
            continue
        row = _row(m.start(), m.end(), m.group(0), value, "money" if m.group("curword") else "",
                   "", body)
        row["vague"] = vague
        if m.group("curword"):
            row["currency"] = _currency_code(m.group("curword"))
        rows.append(row)
        taken.append((m.start(), m.end()))

    for row in rows:
        _describe(row, body, doc)
    _mark_conversions(rows, body)
    return rows


def _row(start, end, text, value, unit, what, body) -> dict:
    before = body[max(0, start - QUALIFIER_WINDOW_CHARS):start]
    q = _QUALIFIER_RE.search(before)
    return {"value": value, "unit": unit, "what": what, "text": text, "start": start,
            "end": end, "currency": "", "period": "", "qualifier": q.group("q").lower() if q else "",
            "scope": "", "is_conversion": False, "vague": False, "noun": ""}


def _is_bare_year(m, body: str, doc) -> bool:
    """A four-digit year written as a plain number ("in 2014") is a date, not a count."""
    num = m.group("num")
    if m.group("scale") or not re.fullmatch(r"1[89]\d\d|20\d\d", num):
        return False
    span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
    if span is not None and span.root.dep_ == "nummod" and span.root.head.pos_ == "NOUN":
        return False          # "2014 soldiers"
    return True


def _describe(row: dict, body: str, doc) -> None:
    """Fill in unit, what, period and scope of a figure from its clause."""
    span = doc.char_span(row["start"], row["end"], alignment_mode="expand")
    if span is None or len(span) == 0:
        row["unit"] = row["unit"] or "count"
        return
    root = span.root
    if row["unit"] in ("date", "relative_date", "duration", "name"):
        return
    if row["unit"] == "money":
        verb = next((t for t in [root, *root.ancestors] if t.pos_ in ("VERB", "AUX")), None)
        row["what"] = lemma(verb) if verb is not None else ""
        tail = body[row["end"]:span.sent.end_char]
        p = _PERIOD_RE.match(tail)
        if p:
            word = (p.group("p") or p.group("adv") or "").lower()
            row["period"] = {"daily": "day", "weekly": "week", "monthly": "month",
                             "annually": "year", "yearly": "year"}.get(word, word)
        row["scope"] = _scope(verb if verb is not None else root)
        return
    if row["unit"] == "percent":
        obj = percent_of(root)
        if obj is None:                # "shares fell 12%": what fell
            verb = next((t for t in root.ancestors if t.pos_ == "VERB"), None)
            obj = next((c for c in verb.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")),
                       None) if verb is not None else None
        row["what"] = _noun_phrase(obj) if obj is not None else ""
        row["noun"] = noun_as_written(obj) if obj is not None else ""
        row["scope"] = _scope(root.head)
        return
    noun = _counted_noun(root, span)
    row["what"] = _noun_phrase(noun) if noun is not None else ""
    row["noun"] = noun_as_written(noun) if noun is not None else ""
    casualty = noun is not None and _is_casualty(noun)
    if casualty:
        row["unit"] = "casualties"
    elif row["what"].split()[-1:] and row["what"].split()[-1].lower() in PEOPLE_NOUNS:
        row["unit"] = "people"
    else:
        row["unit"] = "count"
    head = noun if noun is not None else root
    verb = next((t for t in [head, *head.ancestors] if t.pos_ in ("VERB", "AUX")), head)
    row["scope"] = _scope(verb)


def _counted_noun(root, span):
    """The noun a figure quantifies, or the nearest one before it in its sentence."""
    if root.dep_ in ("nummod", "quantmod", "compound", "amod") and root.head.pos_ in ("NOUN",
                                                                                      "PROPN"):
        return root.head
    if root.pos_ == "NOUN" and root not in span:
        return root
    if root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.pos_ == "NOUN":
        return root.head.head          # "224 votes to 64"
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN":
        return root.head.head          # "a majority of 160", "a total of 300"
    for child in root.children:        # "1,000 of the fighters"
        if child.dep_ == "prep" and child.lower_ == "of":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and obj.pos_ != "PRON":
                return obj
    verb = next((t for t in root.ancestors if t.pos_ == "VERB"), None)
    if verb is not None:                # "places the casualty rate as high as a thousand"
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")
                    and c.pos_ == "NOUN"), None)
        if obj is not None:
            return obj
    for tok in reversed(list(span.sent)[: span.start - span.sent.start]):
        if tok.pos_ == "NOUN" and lemma(tok) not in TIME_NOUNS:
            return tok
    return None


def _noun_phrase(noun) -> str:
    """Lemma of a counted noun with its common-noun compounds ("casualty rate")."""
    parts = [c.text for c in noun.children if c.dep_ == "compound" and c.text[:1].islower()
             and c.i < noun.i]
    return " ".join(parts + [noun_key(noun)])


def _is_casualty(noun) -> bool:
    words = [noun, noun.head, *noun.children, *[c for c in noun.head.children if c.pos_ == "VERB"]]
    words += [c for c in noun.children if c.dep_ == "compound"]
    return any(w.lower_.startswith(CASUALTY_STEMS) for w in words)


def _scope(anchor) -> str:
    """Place of an "in <place>" phrase under ``anchor`` ("Ukraine", "Bakhmut alone")."""
    doc = anchor.doc
    for tok in anchor.subtree:
        if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "inside", "across") \
                and tok.ent_type_ in ("GPE", "LOC", "FAC"):
            ent = next((e for e in doc.ents if e.start <= tok.i < e.end), None)
            text = ent.text if ent is not None else tok.text
            end = ent.end if ent is not None else tok.i + 1
            if end < len(doc) and doc[end].lower_ in ("alone", "only"):
                text += " " + doc[end].lower_
            return text
    return ""


def _mark_conversions(rows: list[dict], body: str) -> None:
    money = sorted((r for r in rows if r["unit"] == "money"), key=lambda r: r["start"])
    for prev, row in zip(money, money[1:]):
        between = body[prev["end"]:row["start"]]
        if re.fullmatch(r"\s*\(\s*(?:about|around|approx\.?|roughly|~)?\s*", between) \
                and row["currency"] != prev["currency"]:
            row["is_conversion"] = True
            row["what"], row["scope"] = prev["what"], prev["scope"]
            row["period"] = row["period"] or prev["period"]
            prev["period"] = prev["period"] or row["period"]
