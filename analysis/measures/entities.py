"""Named entities per document, with the mentions of one thing merged across the corpus.

Pipeline (each step is a pure function over tidy tables)::

    parsed bodies (+ titles) --extract_mentions--> mentions (every NER span, kept or dropped)
        --canonicalize_mentions(aliases)--> mentions with ``entity`` + alias table
        --entity_table--> entities.csv      --alias_table--> entity_aliases.csv

Each step has its module: :mod:`analysis.measures.entity_names` (rules on names
as written), :mod:`analysis.measures.entity_mentions` (extraction and the
corrections of obvious NER mistakes), :mod:`analysis.measures.canonical_entities`
(label corrections and merges), :mod:`analysis.measures.name_matching` (the
alias table and the ``SpanRuler`` patterns); this one makes the per-document
tables.

Titles are parsed and counted apart (``where == "title"``, :func:`title_entity_table`);
entities.csv counts bodies only.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis.measures.canonical_entities import canonicalize_mentions
from analysis.measures.entity_mentions import MENTION_COLUMNS, extract_mentions, parse_titles
from analysis.tables import require_columns
from analysis.text.words import count_words


def entity_table(canonical: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """``entities.csv``: how often each document names each entity in its body.

    Parameters
    ----------
    canonical : pandas.DataFrame
        Mentions from :func:`analysis.measures.canonical_entities.canonicalize_mentions`
        (title mentions are ignored here; see :func:`title_entity_table`).
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``body``), for the word counts.

    Returns
    -------
    pandas.DataFrame
        One row per (document, entity) named in the body, columns ``doc_id``,
        ``entity``, ``entity_type``, ``mentions`` and ``mentions_per_1k_words``
        (mentions per 1,000 words of the body, :func:`analysis.text.words.count_words`,
        3 decimals). Sorted by doc_id, mentions (descending), entity.
    """
    require_columns(canonical, ("doc_id", "where", "entity", "entity_type"), "canonical mentions")
    require_columns(docs, ("doc_id", "body"), "docs")
    words = dict(zip(docs["doc_id"], docs["body"].map(count_words)))
    body = canonical[canonical["where"] == "body"]
    unknown = sorted(set(body["doc_id"]) - set(words))
    if unknown:
        raise ValueError(f"mentions of documents not in the corpus table: {unknown[:5]}")
    out = (body.groupby(["doc_id", "entity", "entity_type"], sort=True).size()
           .rename("mentions").reset_index())
    per_1k = [round(1000 * n / words[d], 3) if words[d] else 0.0
              for d, n in zip(out["doc_id"], out["mentions"])]
    out["mentions_per_1k_words"] = per_1k
    return out.sort_values(["doc_id", "mentions", "entity"], ascending=[True, False, True],
                           kind="stable", ignore_index=True)


def title_entity_table(canonical: pd.DataFrame) -> pd.DataFrame:
    """Entities named in each title (reported apart from the body counts).

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``entity``, ``entity_type``, ``mentions``; sorted by doc_id, entity.
    """
    require_columns(canonical, ("doc_id", "where", "entity", "entity_type"), "canonical mentions")
    titles = canonical[canonical["where"] == "title"]
    return (titles.groupby(["doc_id", "entity", "entity_type"], sort=True).size()
            .rename("mentions").reset_index())


def suppressed_mentions(mentions: pd.DataFrame) -> pd.DataFrame:
    """The NER spans a rule dropped, so that no suppression is silent.

    Returns
    -------
    pandas.DataFrame
        Columns ``doc_id``, ``where``, ``start``, ``text``, ``ner_label``, ``rule``.
    """
    require_columns(mentions, MENTION_COLUMNS, "mentions")
    dropped = mentions[~mentions["kept"]]
    return dropped[["doc_id", "where", "start", "text", "ner_label", "rule"]].reset_index(
        drop=True)


def analyse_entities(docs: pd.DataFrame, parsed: Mapping[str, object], nlp,
                     aliases: pd.DataFrame | None = None,
                     capitals_as_governments: bool = True, titles: Mapping[str, object] | None = None,
                     ner_rows: list[dict] | None = None) -> dict[str, pd.DataFrame]:
    """The whole entity section for a report, from the shared body parse.

    ``titles`` (``doc_id`` -> spaCy ``Doc`` of the title) are the title parses
    already made (:func:`analysis.report.stages.document_batch`); when None the
    titles are parsed here (:func:`parse_titles`). ``ner_rows``: the
    per-document mentions already read
    (:func:`analysis.measures.entity_mentions.document_ner_rows`), else read here.

    Returns
    -------
    dict of pandas.DataFrame
        ``mentions`` (canonical mentions), ``entities`` (:func:`entity_table`),
        ``entity_aliases`` (:func:`analysis.measures.canonical_entities.alias_table`),
        ``title_entities`` (:func:`title_entity_table`) and ``suppressed``
        (:func:`suppressed_mentions`).
    """
    if titles is None:
        titles = parse_titles(docs, nlp) if "title" in docs else None
    mentions = extract_mentions(parsed, titles, ner_rows)
    canonical, aliases_out = canonicalize_mentions(mentions, aliases, capitals_as_governments)
    return {"mentions": canonical, "entities": entity_table(canonical, docs),
            "entity_aliases": aliases_out, "title_entities": title_entity_table(canonical),
            "suppressed": suppressed_mentions(mentions)}
