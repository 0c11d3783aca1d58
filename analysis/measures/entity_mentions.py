"""Mentions of named entities in parsed documents, each with the rule that kept or dropped it.

Corrections of obvious NER mistakes (general rules, never a list of strings)
    * a span that crosses a line break, contains an emoji/symbol, has no capital
      letter, or sits in a line that starts with an emoji (a notice) is dropped;
    * in headline-case lines (and headline-case titles) the small model's spans
      are unreliable ("Pyongyang Denies US Intelligence Report" as one ORG), so
      they are replaced by the names found in ordinary body text elsewhere in
      the corpus;
    * a name the model tagged in ordinary body text elsewhere in the corpus (or
      the surname of a full name it tagged) is also found where the model
      missed it; a one-word name that also occurs in lower case is not;
    * an acronym in parentheses right after the name it abbreviates,
      "Korean Central News Agency (KCNA)", is added when the model missed it.

The labels of the mentions are corrected across the corpus when they are merged
(:func:`analysis.measures.canonical_entities.canonicalize_mentions`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping

import pandas as pd

from analysis.measures.entity_names import (COUNTED_LABELS, initials, is_headline_case,
                                            majority_label, normalize_name)
from analysis.measures.name_matching import gazetteer_ruler
from analysis.tables import require_columns
from analysis.text.paragraphs import paragraph_spans
from analysis.text.words import words as text_words

MENTION_COLUMNS = ["doc_id", "where", "para", "start", "end", "text", "ner_label",
                   "entity_type", "kept", "rule"]


def _starts_with_symbol(line: str) -> bool:
    """A notice line: the first visible character is an emoji or other symbol."""
    stripped = line.lstrip()
    return bool(stripped) and unicodedata.category(stripped[0]) == "So"


def _has_symbol(text: str) -> bool:
    return any(unicodedata.category(ch) in ("So", "Sk", "Co", "Cs") for ch in text)


def _drop_reason(text: str, line: str) -> str:
    """Why an NER span is not a name ("" when it is kept)."""
    if "\n" in text:
        return "dropped: spans a line break"
    if _has_symbol(text):
        return "dropped: contains an emoji or symbol"
    if not any(ch.isupper() for ch in text):
        return "dropped: no capital letter"
    if _starts_with_symbol(line):
        return "dropped: notice line starting with a symbol"
    if is_headline_case(line):
        return "dropped: headline case, re-detected from corpus names"
    return ""


def _ner_rows(doc_id: str, where: str, doc) -> list[dict]:
    text = doc.text
    paragraphs = paragraph_spans(text)
    rows = []
    para = 0
    for ent in doc.ents:
        if ent.label_ not in COUNTED_LABELS:
            # numbers and dates stay out, but keep their text from being re-read as names
            rows.append(dict(doc_id=doc_id, where=where, para=-1, start=ent.start_char,
                             end=ent.end_char, text=ent.text, ner_entity_type=ent.label_,
                             entity_type=ent.label_, rule="dropped: not a counted label"))
            continue
        while paragraphs[para][1] < ent.start_char:
            para += 1
        p_start, p_end = paragraphs[para]
        start, end = ent.start_char, ent.end_char
        if "(" in ent.text and ")" not in ent.text:
            # "World Health Organization (WHO": the acronym is a mention of its own
            end = start + len(ent.text[:ent.text.index("(")].rstrip())
        rows.append(dict(doc_id=doc_id, where=where, para=para, start=start,
                         end=end, text=text[start:end], ner_entity_type=ent.label_,
                         entity_type=ent.label_,
                         rule=_drop_reason(text[start:end], text[p_start:p_end])))
    rows.extend(_parenthesised_acronyms(doc_id, where, text, paragraphs, rows))
    return rows


def _parenthesised_acronyms(doc_id, where, text, paragraphs, rows) -> list[dict]:
    """Acronyms the model missed, defined as "Full Name ... (ACRONYM)" in one paragraph."""
    tagged = {(r["start"], r["end"]) for r in rows}
    added = []
    for match in re.finditer(r"\(((?:[A-Z]\.?){2,7})\)", text):
        start, end = match.span(1)
        if (start, end) in tagged or any(r["start"] < end and start < r["end"] for r in rows
                                         if r["rule"] == "dropped: not a counted label"):
            continue
        letters = match.group(1).replace(".", "")
        para = next(i for i, (s, e) in enumerate(paragraphs) if s <= start <= e)
        for row in rows:
            name, _ = normalize_name(row["text"])
            if (row["para"] == para and row["end"] <= start and not row["rule"]
                    and row["entity_type"] in COUNTED_LABELS
                    and " " in name and initials(name) == letters):
                added.append(dict(doc_id=doc_id, where=where, para=para, start=start,
                                  end=end, text=match.group(1), ner_label="",
                                  entity_type=row["entity_type"],
                                  rule="added: acronym in parentheses after its name"))
                break
    return added


def _gazetteer(rows: list[dict], texts) -> dict[str, str]:
    """Names tagged in ordinary body text, with their usual label.

    Names as written with determiners/possessives stripped; a one-word name that
    also occurs in lower case in the corpus ("Will", "May") is left out, as its
    capitalised form may just start a sentence.
    """
    labels: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        if row["where"] == "body" and not row["rule"]:
            name, _ = normalize_name(row["text"], row["entity_type"])
            if len(name) >= 2 and name[0].isupper():
                labels[name][row["entity_type"]] += 1
    for name in [n for n, counts in labels.items() if "PERSON" in counts]:
        surname = name.split()[-1]
        if " " in name and surname[0].isupper() and surname not in labels:
            labels[surname]["PERSON"] += 1
    lower_words = {w for text in texts for w in text_words(text) if w.islower()}
    return {name: majority_label(counts) for name, counts in labels.items()
            if " " in name or name.lower() not in lower_words}


_NOT_BEFORE_NAME = frozenset(".$_")      # "$Wagner", ".Iran" are not names
_POSSESSIVE = re.compile(r"(?:['\u2019]s?)?(?!\w)")


def _gazetteer_rows(doc_id, where, doc, ruler, occupied) -> list[dict]:
    """Corpus names the model did not tag in ``doc`` (outside notice lines and other spans).

    Left to right, the longest name first at each place; a possessive ending
    belongs to the mention ("Wagner's").
    """
    text = doc.text
    paragraphs = paragraph_spans(text)
    para_starts = [start for start, _ in paragraphs]
    found, position = [], 0
    matches = {(span.start_char, span.start_char + len(span.id_), span.label_)
               for span in ruler.match(doc)}     # the id is the name: a match without its stop
    for start, name_end, label in sorted(matches, key=lambda m: (m[0], -m[1], m[2])):
        before = text[start - 1] if start else " "
        if start < position or before.isalnum() or before in _NOT_BEFORE_NAME:
            continue
        para = bisect.bisect_right(para_starts, start) - 1
        p_start, p_end = paragraphs[para]
        line = text[p_start:p_end]
        tail = _POSSESSIVE.match(line, name_end - p_start)
        if tail is None or _starts_with_symbol(line):
            continue
        end = p_start + tail.end()
        position = end
        if any(s < end and start < e for s, e in occupied):
            continue
        found.append(dict(doc_id=doc_id, where=where, para=para, start=start, end=end,
                          text=text[start:end], ner_label="", entity_type=label,
                          rule="added: corpus name in a headline-case line"
                          if is_headline_case(line)
                          else "added: untagged name tagged elsewhere in the corpus"))
    return found


def document_ner_rows(parsed: Mapping[str, object], where: str = "body") -> list[dict]:
    """The model's mentions (and parenthesised acronyms) of each document, read from its parse alone.

    The per-document part of :func:`extract_mentions`, which a batch of
    documents can run on its own (:func:`analysis.report.stages.document_batch`);
    ``where`` is ``"body"`` or ``"title"``. Rows in the order of ``parsed``.
    """
    rows: list[dict] = []
    for doc_id, doc in parsed.items():
        rows.extend(_ner_rows(str(doc_id), where, doc))
    return rows


def extract_mentions(parsed: Mapping[str, object],
                     titles: Mapping[str, object] | None = None,
                     ner_rows: list[dict] | None = None) -> pd.DataFrame:
    """Every named-entity mention of the corpus, with the rule that kept or dropped it.

    Parameters
    ----------
    parsed : mapping
        ``doc_id`` -> spaCy ``Doc`` of the cleaned body (:func:`analysis.text.nlp.parse_bodies`).
        Only ``doc.ents`` and ``doc.text`` are used, so an NER-only parse will do.
    titles : mapping, optional
        ``doc_id`` -> spaCy ``Doc`` of the title (:func:`parse_titles`).
    ner_rows : list of dict, optional
        :func:`document_ner_rows` of ``parsed`` then of ``titles``, already
        read (by batches of documents); read here when None.

    Returns
    -------
    pandas.DataFrame
        One row per mention, columns:
        ``doc_id``; ``where`` ("body" or "title"); ``para`` (0-based paragraph
        index); ``start``, ``end`` (character offsets into the body or title);
        ``text`` (as written); ``ner_label`` (spaCy's label, "" for mentions a
        rule added); ``entity_type`` (the entity type used from here on: spaCy's label, corrected); ``kept`` (bool);
        ``rule`` ("" for a plain NER mention, else "dropped: <why>" or
        "added: <why>"). Sorted by doc_id, where, start.
    """
    if ner_rows is None:
        rows = document_ner_rows(parsed) + document_ner_rows(titles or {}, "title")
    else:
        rows = [dict(row) for row in ner_rows]
    for row in rows:
        row["kept"] = not row["rule"].startswith("dropped")
    gazetteer = _gazetteer(rows, [doc.text for doc in parsed.values()])
    ruler = gazetteer_ruler(gazetteer) if gazetteer else None
    occupied: dict[tuple[str, str], list] = defaultdict(list)
    for r in rows:
        if r["kept"] or r["rule"] == "dropped: not a counted label":
            occupied[(r["doc_id"], r["where"])].append((r["start"], r["end"]))
    added = []
    for where, docs in (("body", parsed), ("title", titles or {})):
        for doc_id, doc in docs.items() if ruler is not None else ():
            added.extend(_gazetteer_rows(str(doc_id), where, doc, ruler,
                                         occupied[(str(doc_id), where)]))
    for row in added:
        row["kept"] = True
    rows = [r for r in rows + added if r["rule"] != "dropped: not a counted label"]
    # astype: with no mention at all, an empty object "kept" column would make
    # mentions[mentions["kept"]] select columns instead of rows downstream
    table = pd.DataFrame(rows, columns=MENTION_COLUMNS).astype({"kept": bool})
    return table.sort_values(["doc_id", "where", "start", "end"], kind="stable",
                             ignore_index=True)


def parse_titles(docs: pd.DataFrame, nlp, *, batch_size: int = 64) -> dict:
    """Parse every non-empty title (for :func:`extract_mentions`' ``titles``).

    Returns
    -------
    dict
        ``doc_id`` -> spaCy ``Doc`` of the title, for documents with a title.
    """
    require_columns(docs, ("doc_id", "title"), "docs")
    with_title = docs[docs["title"].fillna("").str.strip() != ""]
    texts = with_title["title"].str.strip().tolist()
    return dict(zip(with_title["doc_id"].tolist(), nlp.pipe(texts, batch_size=batch_size),
                    strict=True))


def ner_components(nlp) -> list[str]:
    """The pipeline components NER needs: ``ner`` and any shared embedding layer it listens to."""
    if "ner" not in nlp.pipe_names:
        raise ValueError(f"spaCy pipeline {nlp.meta.get('name', '?')!r} has no 'ner' component")
    needed = ["ner"]
    for name, pipe in nlp.pipeline:
        if "ner" in getattr(pipe, "listening_components", ()):
            needed.append(name)
    return [name for name in nlp.pipe_names if name in needed]


def entity_mentions_from_texts(docs: pd.DataFrame, nlp, *, n_process: int = 1,
                               batch_size: int = 64) -> pd.DataFrame:
    """Parse bodies and titles with only what NER needs, then :func:`extract_mentions`.

    The fast path for large corpora that do not need tokens or sentences from a
    shared parse: tagger, parser, lemmatizer and attribute ruler are disabled,
    texts are batched and spread over ``n_process`` processes.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``doc_id``, ``body`` and optionally ``title``.
    nlp : spacy.language.Language
        A loaded English pipeline with an ``ner`` component.
    n_process, batch_size : int
        Passed to ``nlp.pipe``.

    Returns
    -------
    pandas.DataFrame
        As :func:`extract_mentions`.
    """
    require_columns(docs, ("doc_id", "body"), "docs")
    with nlp.select_pipes(enable=ner_components(nlp)):
        bodies = nlp.pipe(docs["body"].tolist(), batch_size=batch_size, n_process=n_process)
        parsed = dict(zip(docs["doc_id"].tolist(), bodies, strict=True))
        titles = parse_titles(docs, nlp, batch_size=batch_size) if "title" in docs else None
    return extract_mentions(parsed, titles)
