"""Canonical entities: the mentions of one thing merged across the corpus, every merge recorded.

Label corrections
    * an honorific and a capitalised name ("Ms Lomax", "Dr. Varga") tagged
      anything but PERSON is a person (the small model often says ORG);
    * a name tagged ORG/PERSON/NORP that is a GPE or LOC elsewhere in the
      corpus takes the place label; otherwise a name takes the label it has in
      most of the corpus.

Merges (each one is recorded in the ``how`` column; nothing is merged silently)
    determiners, honorifics and possessives stripped; the alias table
    (:func:`analysis.measures.name_matching.load_aliases`); acronyms linked to
    the expansion the text defines; a lone surname linked to the only full name
    in the corpus that ends with it; a short organisation name linked to
    "<name> Group/Party/..." used elsewhere; spellings that differ only in full
    stops ("St." / "St"); a NORP plural to its singular ("Russians" -> "Russian").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable

import pandas as pd

from analysis.measures.entity_mentions import MENTION_COLUMNS
from analysis.measures.entity_names import (ORG_DESIGNATORS, PLACE_LABELS, initials,
                                            is_honorific_name, majority_label, normalize_name)
from analysis.measures.name_matching import CAPITAL_STEP, alias_ruler, load_aliases
from analysis.tables import require_columns

_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,7}$")


def _honorific_labels(texts: pd.Series, labels: pd.Series) -> tuple[list[str], list[str]]:
    """PERSON for an honorific name the model tagged otherwise, and the reason for ``how``."""
    new_labels, reasons = [], []
    for text, label in zip(texts, labels):
        if label != "PERSON" and is_honorific_name(text):
            new_labels.append("PERSON")
            reasons.append(f"label {label}->PERSON: an honorific and a name")
        else:
            new_labels.append(label)
            reasons.append("")
    return new_labels, reasons


def _acronym_letters(name: str) -> str:
    return name.replace(".", "") if _ACRONYM.match(name) else ""


def _corrected_labels(names: pd.Series, labels: pd.Series) -> tuple[list[str], list[str]]:
    """Label per mention after the corpus-wide rules, and the reason when it changed."""
    by_name: dict[str, Counter] = defaultdict(Counter)
    names, labels = names.tolist(), labels.tolist()
    for name, label in zip(names, labels):
        by_name[name][label] += 1
    new_labels, reasons = [], []
    for name, label in zip(names, labels):
        counts = by_name[name]
        places = Counter({lab: n for lab, n in counts.items() if lab in PLACE_LABELS})
        if label not in PLACE_LABELS and label != "FAC" and places:
            target = majority_label(places)
            reason = f"label {label}->{target}: a place elsewhere in the corpus"
        else:
            target = majority_label(counts)
            reason = f"label {label}->{target}: its label in most of the corpus"
        if target == label:
            new_labels.append(label)
            reasons.append("")
        else:
            new_labels.append(target)
            reasons.append(reason)
    return new_labels, reasons


def _acronym_definitions(table: pd.DataFrame) -> dict[str, str]:
    """Acronym -> expansion, where both appear in one paragraph and the initials match."""
    paragraphs: dict[tuple, set[str]] = defaultdict(set)  # a dict, not groupby: one pass, no frame per paragraph
    for key in zip(table["doc_id"].tolist(), table["where"].tolist(), table["para"].tolist(),
                   table["name"].tolist()):
        paragraphs[key[:3]].add(key[3])
    found: dict[str, set[str]] = defaultdict(set)
    for names in paragraphs.values():
        long_names = [n for n in names if " " in n]
        for name in names:
            letters = _acronym_letters(name)
            if not letters:
                continue
            for long_name in long_names:
                if initials(long_name).upper() == letters:
                    found[name].add(long_name)
    return {acr: next(iter(exp)) for acr, exp in found.items() if len(exp) == 1}


class _Resolver:
    """Maps a bare name (with its label) to its canonical entity and the steps taken."""

    def __init__(self, names_labels, aliases, capitals_as_governments, acronyms):
        self.alias_ruler = alias_ruler(aliases, capitals_as_governments)
        self.alias_of: dict[str, tuple[str, str] | None] = {}
        self.acronyms = acronyms
        self.full_names: dict[str, set[str]] = defaultdict(set)
        self.org_names: dict[str, set[str]] = defaultdict(set)
        self.spellings: dict[tuple[str, str], Counter] = defaultdict(Counter)
        self.norp_names: set[str] = set()
        # resolve() is a function of (name, label) alone: kept, so that a surname or a
        # short name shared by many full names does not resolve each of them again
        self.resolved: dict[tuple[str, str], tuple[str, list[str]]] = {}
        for name, label in names_labels:
            words = name.split()
            if label == "PERSON":
                # every proper tail of a full name: "Kirby", "de Vries" (any case)
                for i in range(1, len(words)):
                    self.full_names[" ".join(words[i:]).lower()].add(name)
            if label == "ORG" and len(words) >= 2 and words[-1] in ORG_DESIGNATORS:
                self.org_names[" ".join(words[:-1])].add(name)
            if label == "NORP":
                self.norp_names.add(name)
            self.spellings[(name.replace(".", ""), label)][name] += 1

    def _alias(self, name: str) -> tuple[str, str] | None:
        """(canonical entity, merge step) of the alias pattern that is the whole name, if any."""
        if name not in self.alias_of:
            whole = []
            if self.alias_ruler is not None:
                doc = self.alias_ruler.nlp.make_doc(name)
                whole = sorted((span.id_, span.label_) for span in self.alias_ruler.match(doc)
                               if span.start == 0 and span.end == len(doc))
            self.alias_of[name] = whole[0] if whole else None
        return self.alias_of[name]

    def _step(self, name: str, label: str) -> tuple[str, str]:
        alias = self._alias(name)
        if alias is not None:
            entity, step = alias
            if entity == name:
                return name, ""
            if not step.startswith(CAPITAL_STEP) or label != "PERSON":
                return entity, step
        if name in self.acronyms:
            return self.acronyms[name], "acronym defined in the text"
        spellings = self.spellings.get((name.replace(".", ""), label))
        if spellings and len(spellings) > 1:
            preferred = min(spellings, key=lambda n: (-spellings[n], n.count("."), n))
            if preferred != name:
                return preferred, "same name written with or without full stops"
        if label == "PERSON":
            candidates = {self._final(full, label)
                          for full in self.full_names.get(name.lower(), ())}
            if len(candidates) == 1:
                return candidates.pop(), "surname of the only full name in the corpus"
        if label == "NORP" and name.endswith("s") and name[:-1] in self.norp_names:
            return name[:-1], "plural of the group's name"
        if label == "ORG":
            candidates = {self._final(full, label) for full in self.org_names.get(name, ())}
            if len(candidates) == 1:
                return candidates.pop(), "short form of the organisation's full name"
        return name, ""

    def _final(self, name: str, label: str) -> str:
        return self.resolve(name, label)[0]

    def resolve(self, name: str, label: str) -> tuple[str, list[str]]:
        key = (name, label)
        if key not in self.resolved:
            self.resolved[key] = self._follow(name, label)
        entity, how = self.resolved[key]
        return entity, list(how)

    def _follow(self, name: str, label: str) -> tuple[str, list[str]]:
        seen, how = {name}, []
        while True:
            target, step = self._step(name, label)
            if not step or target in seen:
                return name, how
            how.append(step)
            seen.add(target)
            name = target


def canonicalize_mentions(mentions: pd.DataFrame, aliases: pd.DataFrame | None = None,
                          capitals_as_governments: bool = True
                          ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give every kept mention its canonical entity, merging the mentions of one thing.

    Parameters
    ----------
    mentions : pandas.DataFrame
        From :func:`analysis.measures.entity_mentions.extract_mentions`.
    aliases : pandas.DataFrame, optional
        From :func:`analysis.measures.name_matching.load_aliases` (default: the
        built-in table only).
    capitals_as_governments : bool
        Whether alias rows of kind "capital" apply ("Pyongyang" -> "North Korea").

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The kept mentions with the columns of
        :func:`analysis.measures.entity_mentions.extract_mentions` plus
        ``name`` (the bare name), ``entity`` (canonical name) and ``how`` (the
        label corrections and merges applied, "; "-separated, "" if none);
        ``entity_type`` is the entity's type. And the alias table
        (:func:`alias_table`).
    """
    require_columns(mentions, MENTION_COLUMNS, "mentions")
    aliases = load_aliases() if aliases is None else aliases
    require_columns(aliases, ("alias", "entity", "kind"), "aliases")
    aliases = aliases.assign(
        source=aliases["source"] if "source" in aliases else "given",
        entity_type=aliases["entity_type"] if "entity_type" in aliases else "")
    table = mentions[mentions["kept"].astype(bool)].copy()
    # before the honorific is stripped and before any merge, so "Ms Lomax" (ORG)
    # reaches the surname rule as the person "Lomax"
    table["entity_type"], honorific = _honorific_labels(table["text"], table["entity_type"])
    stripped = [normalize_name(t, lab) for t, lab in zip(table["text"], table["entity_type"])]
    table["name"] = [name for name, _ in stripped]
    labels, relabel = _corrected_labels(table["name"], table["entity_type"])
    table["entity_type"] = labels
    acronyms = _acronym_definitions(table)
    resolver = _Resolver(sorted(set(zip(table["name"], table["entity_type"]))), aliases,
                         capitals_as_governments, acronyms)
    resolved = {key: resolver.resolve(*key) for key in set(zip(table["name"], table["entity_type"]))}
    table["entity"] = [resolved[key][0] for key in zip(table["name"], table["entity_type"])]
    table["how"] = ["; ".join([*([h] if h else []), *how, *([r] if r else []),
                               *resolved[(n, lab)][1]])
                    for h, (_, how), r, n, lab in zip(honorific, stripped, relabel,
                                                      table["name"], table["entity_type"])]
    entity_labels = {entity: majority_label(Counter(group))
                     for entity, group in table.groupby("entity")["entity_type"]}
    table["entity_type"] = table["entity"].map(entity_labels)
    table = table.reset_index(drop=True)
    return table, alias_table(table)


def alias_table(canonical: pd.DataFrame) -> pd.DataFrame:
    """``entity_aliases.csv``: how each way of writing a name was merged into its entity.

    Parameters
    ----------
    canonical : pandas.DataFrame
        Mentions from :func:`canonicalize_mentions`.

    Returns
    -------
    pandas.DataFrame
        One row per (entity, alias as written), columns ``entity``, ``alias``,
        ``entity_type`` (the entity's), ``mentions`` (count over bodies and titles) and
        ``how`` ("as written" when nothing was changed, else the steps taken).
        Sorted by entity, alias.
    """
    require_columns(canonical, ("entity", "text", "entity_type", "how"), "canonical mentions")
    table = canonical.assign(alias=canonical["text"].str.split().str.join(" "),
                             how=canonical["how"].replace("", "as written"))
    out = (table.groupby(["entity", "alias", "entity_type", "how"], sort=True).size()
           .rename("mentions").reset_index())
    return out[["entity", "alias", "entity_type", "mentions", "how"]].sort_values(
        ["entity", "alias", "how"], kind="stable", ignore_index=True)


def canonical_name_function(table: pd.DataFrame) -> Callable[[str], str]:
    """A function mapping a name as written ("Kirby", "Mr Kirby's") to its canonical entity.

    Parameters
    ----------
    table : pandas.DataFrame
        The canonical mentions (``text``, ``entity``, ``entity_type``) or the alias
        table (``alias``, ``entity``, ``entity_type``).

    Returns
    -------
    callable
        ``str -> str``; a name not seen in the corpus comes back bare
        (determiner, honorific and possessive stripped), or as the corpus's only
        full name ending with it when it is a single word.
    """
    written = "text" if "text" in table else "alias"
    require_columns(table, (written, "entity", "entity_type"), "table")
    known: dict[str, str] = {}
    full_names: dict[str, set[str]] = defaultdict(set)
    for text, entity, label in zip(table[written], table["entity"], table["entity_type"]):
        known[normalize_name(text, label)[0]] = entity
        known[entity] = entity
        if label == "PERSON" and " " in entity:
            full_names[entity.split()[-1]].add(entity)

    def canonical(name: str) -> str:
        bare = normalize_name(str(name), "PERSON")[0]
        if bare in known:
            return known[bare]
        if " " not in bare and len(full_names.get(bare, ())) == 1:
            return next(iter(full_names[bare]))
        return bare

    return canonical
