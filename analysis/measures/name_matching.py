"""Matching names on tokens: the alias table and spaCy ``SpanRuler`` phrase patterns.

Matching (spaCy ``SpanRuler`` phrase patterns, matched on the tokens of the parse)
    the corpus names found in the text are patterns labelled with their usual
    label (:func:`gazetteer_ruler`); the alias table's aliases
    (:func:`load_aliases`) are patterns whose ``id`` is the canonical entity
    (:func:`alias_ruler`), looked up for each bare name. A name glued to a
    character the tokenizer does not split off ("Sakhalin-1", "Forsyth/") is
    not found, as the model cannot tag it either.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from analysis.errors import AliasTableError
from analysis.measures.entity_names import APOSTROPHES, COUNTED_LABELS

BUILTIN_ALIASES = Path(__file__).resolve().parents[1] / "data" / "aliases.csv"


@functools.cache
def _tokenizer_language():
    """A tokenizer-only English pipeline for the :func:`span_ruler` patterns.

    Its tokenizer follows the same English rules as the installed pipelines,
    so a pattern's tokens are those of the name where it occurs in a parse.
    One per process: ``spacy.blank`` takes 0.2 s.
    """
    import spacy

    return spacy.blank("en")


def span_ruler(patterns: list[dict]):
    """A spaCy ``SpanRuler`` matching phrase patterns by their exact tokens.

    Parameters
    ----------
    patterns : list of dict
        spaCy phrase patterns: ``{"label": ..., "pattern": "<text>", "id": ...}``.

    Returns
    -------
    spacy.pipeline.SpanRuler
        Not added to any parsing pipeline: its ``match(doc)`` leaves the
        ``Doc`` untouched and returns every match as a span (``label_``,
        ``id_``), overlapping ones included.
    """
    from spacy.pipeline import SpanRuler

    ruler = SpanRuler(_tokenizer_language(), name="parallax_names", phrase_matcher_attr="ORTH",
                      validate=False, overwrite=False)
    ruler.add_patterns(patterns)
    return ruler


def gazetteer_ruler(gazetteer: Mapping[str, str]):
    """:func:`span_ruler` of the corpus names: each name a pattern, its usual label, itself as id.

    Each name is also a pattern with a full stop after it: the tokenizer keeps
    "M&S." or "AT&T." at the end of a sentence as one token, which the bare
    name would not match (the mention is the name without the stop).
    """
    return span_ruler([{"label": label, "pattern": name + stop, "id": name}
                       for name, label in sorted(gazetteer.items()) for stop in ("", ".")])


# --------------------------------------------------------------------------- aliases

ALIAS_COLUMNS = ["alias", "entity", "entity_type", "kind", "note", "source"]


def _read_alias_file(path: Path, source: str) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise AliasTableError(f"{path}: not a readable CSV file ({exc})") from None
    if "label" in table.columns and "entity_type" not in table.columns:
        table = table.rename(columns={"label": "entity_type"})  # the column's name before issue 14
    missing = {"alias", "entity"} - set(table.columns)
    if missing:
        raise AliasTableError(f"{path}: missing column(s) {sorted(missing)}; "
                         "expected alias,entity[,entity_type,kind,note]")
    for column, default in (("entity_type", ""), ("kind", "alias"), ("note", "")):
        if column not in table:
            table[column] = default
    for index, row in table.iterrows():
        line = index + 2
        alias, entity = row["alias"].strip(), row["entity"].strip()
        if not alias or not entity:
            raise AliasTableError(f"{path}, line {line}: alias and entity must both be filled in")
        kind = row["kind"].strip() or "alias"
        if kind not in ("alias", "capital"):
            raise AliasTableError(f"{path}, line {line}: kind must be 'alias' or 'capital', "
                             f"not {row['kind']!r}")
        label = row["entity_type"].strip()
        if label and label not in COUNTED_LABELS:
            raise AliasTableError(f"{path}, line {line}: unknown entity_type {label!r}; "
                             f"use one of {', '.join(COUNTED_LABELS)} or leave it empty")
        table.loc[index, ["alias", "entity", "kind", "entity_type"]] = [
            " ".join(alias.translate(APOSTROPHES).split()),
            " ".join(entity.translate(APOSTROPHES).split()), kind, label]
    table["source"] = source
    return table[ALIAS_COLUMNS]


def load_aliases(corpus_dir: str | Path | None = None) -> pd.DataFrame:
    """The built-in news alias table, overridden by the corpus folder's ``aliases.csv``.

    Parameters
    ----------
    corpus_dir : str or Path, optional
        Corpus folder; its optional ``aliases.csv`` has columns ``alias``,
        ``entity`` and optionally ``entity_type`` (spaCy's entity label: PERSON,
        ORG, GPE, ...; a file that calls the column ``label``, its name before,
        is read too), ``kind``
        ("alias", or "capital" for a capital standing for its government,
        applied only when ``capitals_as_governments``) and ``note``. A row whose
        alias equals its entity keeps that name unmerged.

    Returns
    -------
    pandas.DataFrame
        Columns ``alias``, ``entity``, ``entity_type``, ``kind``, ``note``, ``source``
        ("built-in" or "corpus"); one row per alias (corpus rows replace
        built-in rows with the same alias). Sorted by alias.

    Raises
    ------
    analysis.errors.AliasTableError
        Naming the file and line of a malformed row (a ``ValueError``, exit 2).
    """
    tables = [_read_alias_file(BUILTIN_ALIASES, "built-in")]
    if corpus_dir is not None:
        from analysis.corpus.inputs import check_inside_corpus  # refuses a link leading out of the corpus

        path = check_inside_corpus(Path(corpus_dir) / "aliases.csv", corpus_dir)
        if path.is_file():
            tables.append(_read_alias_file(path, "corpus"))
    table = pd.concat(tables, ignore_index=True)
    table = table.drop_duplicates("alias", keep="last")
    return table.sort_values("alias", kind="stable", ignore_index=True)


#: Merge steps an alias table row records in ``how`` (the pattern labels of :func:`alias_ruler`).
ALIAS_STEP = "alias"
CAPITAL_STEP = "capital as its government"


def alias_ruler(aliases: pd.DataFrame, capitals_as_governments: bool = True):
    """:func:`span_ruler` of the alias table: each alias a pattern whose id is its canonical entity.

    Parameters
    ----------
    aliases : pandas.DataFrame
        From :func:`load_aliases` (columns ``alias``, ``entity``, ``kind``, ``source``).
    capitals_as_governments : bool
        Whether rows of kind "capital" are patterns.

    Returns
    -------
    spacy.pipeline.SpanRuler or None
        Pattern labels are the merge step recorded in ``how``,
        ``"<ALIAS_STEP or CAPITAL_STEP> (<source> alias table)"``; None when
        no row applies.
    """
    patterns = [{"label": f"{CAPITAL_STEP if row.kind == 'capital' else ALIAS_STEP} "
                          f"({row.source} alias table)",
                 "pattern": row.alias, "id": row.entity}
                for row in aliases.itertuples(index=False)
                if row.kind != "capital" or capitals_as_governments]
    return span_ruler(patterns) if patterns else None
