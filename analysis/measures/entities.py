"""Named entities per document, with the mentions of one thing merged across the corpus.

Pipeline (each step is a pure function over tidy tables)::

    parsed bodies (+ titles) --extract_mentions--> mentions (every NER span, kept or dropped)
        --canonicalize_mentions(aliases)--> mentions with ``entity`` + alias table
        --entity_table--> entities.csv      --alias_table--> entity_aliases.csv

Which NER labels count
    :data:`COUNTED_LABELS`: people, nationalities/groups (NORP), organisations,
    places (GPE, LOC, FAC), products, events, works of art, laws and languages.
    DATE, TIME, MONEY, PERCENT, QUANTITY, ORDINAL and CARDINAL are left to the
    numbers section.

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
      "Korean Central News Agency (KCNA)", is added when the model missed it;
    * an honorific and a capitalised name ("Ms Lomax", "Dr. Varga") tagged
      anything but PERSON is a person (the small model often says ORG);
    * a name tagged ORG/PERSON/NORP that is a GPE or LOC elsewhere in the
      corpus takes the place label; otherwise a name takes the label it has in
      most of the corpus.

Merges (each one is recorded in the ``how`` column; nothing is merged silently)
    determiners, honorifics and possessives stripped; the alias table
    (:func:`load_aliases`); acronyms linked to the expansion the text defines;
    a lone surname linked to the only full name in the corpus that ends with it;
    a short organisation name linked to "<name> Group/Party/..." used elsewhere;
    spellings that differ only in full stops ("St." / "St"); a NORP plural to its
    singular ("Russians" -> "Russian").

Matching (spaCy ``SpanRuler`` phrase patterns, matched on the tokens of the parse)
    the corpus names found above are patterns labelled with their usual label
    (:func:`gazetteer_ruler`); the alias table's aliases are patterns whose
    ``id`` is the canonical entity (:func:`alias_ruler`), looked up for each
    bare name. A name glued to a character the tokenizer does not split off
    ("Sakhalin-1", "Forsyth/") is not found, as the model cannot tag it either.

Titles are parsed and counted apart (``where == "title"``, :func:`title_entity_table`);
entities.csv counts bodies only.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from analysis.tables import require_columns
from analysis.text.paragraphs import paragraph_spans
from analysis.text.words import count_words
from analysis.text.words import words as text_words

#: NER labels counted as entities (the rest are numbers, dates and amounts).
COUNTED_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
                  "WORK_OF_ART", "LAW", "LANGUAGE")

#: Labels that name a place; a name tagged so anywhere is a place everywhere.
PLACE_LABELS = ("GPE", "LOC")

#: Tie-break order when a name is tagged with several labels equally often.
LABEL_PRIORITY = ("GPE", "PERSON", "ORG", "NORP", "LOC", "FAC", "EVENT", "PRODUCT",
                  "WORK_OF_ART", "LAW", "LANGUAGE")

#: Words that end an organisation's full name, so "Wagner" can stand for "Wagner Group".
ORG_DESIGNATORS = ("Group", "Company", "Corporation", "Corp", "Inc", "Ltd", "Party",
                   "Organization", "Organisation", "Foundation", "Institute")

BUILTIN_ALIASES = Path(__file__).resolve().parents[1] / "data" / "aliases.csv"

MENTION_COLUMNS = ["doc_id", "where", "para", "start", "end", "text", "ner_label",
                   "label", "kept", "rule"]

_DETERMINERS = ("the", "a", "an")
#: Honorifics before a name, each with or without a full stop ("Ms", "Ms.").
HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Dr", "Prof", "Sir", "Dame", "Lord", "Lady")
_HONORIFICS = frozenset(h + stop for h in HONORIFICS for stop in ("", "."))
# lower-case words that may sit inside a surname ("Dr de Vries", "Mr bin Salman")
_NAME_PARTICLES = frozenset("de da di du del della der den van von ter la le al bin ibn".split())
_FUNCTION_WORDS = frozenset(
    "a an the of and or for to in on at by with from as into via vs is are was be "
    "it its s de la le du von van al".split())
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,7}$")

#: A headline-case line has at most this many words. Headlines are short (BBC's
#: 2,225 titles: 9 words at most); a paragraph of prose in which most words
#: happen to be names is longer.
HEADLINE_CASE_MAX_WORDS = 20
#: ... and at least this share of its content words capitalised. Set by hand on
#: the seed corpus's titles and sub-headings: "Pyongyang Denies US Intelligence
#: Report" (4 of 4) is headline case, "Desperation on the part of Russia" (2 of
#: 3: a sentence-case line with a name) is not; one lower-case content word in
#: four still reads as a headline.
HEADLINE_CASE_MIN_CAPITALISED = 0.75
#: An honorific is followed by at most this many name words ("Dr Maria de
#: Vries"); more is a title of something else ("Lord of the Rings Trilogy").
HONORIFIC_NAME_MAX_WORDS = 3


# --------------------------------------------------------------------------- text rules

def is_headline_case(line: str) -> bool:
    """Whether a line reads as a headline: short, no closing full stop, content words capitalised.

    Parameters
    ----------
    line : str
        One paragraph or title.

    Returns
    -------
    bool
        True when at most :data:`HEADLINE_CASE_MAX_WORDS` words, not ending in
        ".", and at least :data:`HEADLINE_CASE_MIN_CAPITALISED` of the (at least
        two) content words start with a capital letter.
    """
    stripped = line.strip().rstrip("\"'\u201d\u2019")
    words = [w for w in text_words(stripped) if w[0].isalpha()]   # figures are neither case
    if not words or len(words) > HEADLINE_CASE_MAX_WORDS or stripped.endswith("."):
        return False
    content = [w for w in words if w.lower() not in _FUNCTION_WORDS]
    if len(content) < 2:
        return False
    return sum(w[0].isupper() for w in content) / len(content) >= HEADLINE_CASE_MIN_CAPITALISED


def _starts_with_symbol(line: str) -> bool:
    """A notice line: the first visible character is an emoji or other symbol."""
    stripped = line.lstrip()
    return bool(stripped) and unicodedata.category(stripped[0]) == "So"


def _has_symbol(text: str) -> bool:
    return any(unicodedata.category(ch) in ("So", "Sk", "Co", "Cs") for ch in text)


def normalize_name(text: str, label: str = "") -> tuple[str, list[str]]:
    """Strip what does not belong to a name: quotes, determiners, honorifics, possessives.

    Parameters
    ----------
    text : str
        A mention as written ("the White House", "Russia\u2019s", "Mr Prigozhin").
    label : str
        Its NER label; honorifics are stripped from PERSON names only.

    Returns
    -------
    (str, list of str)
        The bare name (curly apostrophes made straight, whitespace collapsed) and
        the list of what was stripped, for the ``how`` column.
    """
    how = []
    name = " ".join(text.translate(_APOSTROPHES).split())
    if "(" in name and ")" not in name:
        name = name[:name.index("(")]
        how.append("unclosed parenthesis cut")
    name = name.strip(" \"'\u201c\u201d()[],;:")
    first, _, rest = name.partition(" ")
    if rest and first.lower() in _DETERMINERS:
        name = rest
        how.append("determiner stripped")
    first, _, rest = name.partition(" ")
    if rest and label == "PERSON" and first in _HONORIFICS:
        name = rest
        how.append("honorific stripped")
    # a name of two letters or more keeps what is left ("UK's"; not "A's")
    if name.endswith("'s") and len(name) > len("'s") + 1:
        name = name[:-2]
        how.append("possessive stripped")
    elif name.endswith("s'") and len(name) > len("s'") + 1:
        name = name[:-1]
        how.append("possessive stripped")
    return name, how


def is_honorific_name(text: str) -> bool:
    """Whether ``text`` is an honorific followed by a capitalised name ("Ms Lomax", "Dr. de Vries's").

    Parameters
    ----------
    text : str
        A mention as written.

    Returns
    -------
    bool
        True when the first word is one of :data:`HONORIFICS` (with or without a
        full stop, case as written) and the one to three words after it are
        capitalised (name particles such as "de" or "van" allowed inside), the
        last one capitalised and not an organisation designator ("Mr Price Group"
        is a company).
    """
    words = text.translate(_APOSTROPHES).strip(" \"'\u201c\u201d()[],;:").split()
    if len(words) < 2 or words[0] not in _HONORIFICS:
        return False
    rest = words[1:]
    rest[-1] = re.sub(r"'s?$", "", rest[-1])
    if (len(rest) > HONORIFIC_NAME_MAX_WORDS or not _is_capitalised(rest[-1])
            or rest[-1] in ORG_DESIGNATORS):
        return False
    return all(_is_capitalised(w) or w in _NAME_PARTICLES for w in rest)


def _is_capitalised(word: str) -> bool:
    """A capital letter then at least one letter ("Lomax", "O'Neill", "Smith-Jones"; not "UK")."""
    return bool(re.fullmatch(r"[^\W\d_][\w'-]*[^\W\d_]", word)) and word[0].isupper() \
        and not word.isupper()


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


def _initials(name: str) -> str:
    """Initial letters of the capitalised words of ``name`` ("People's" counts as P)."""
    words = re.split(r"[\s-]+", name)
    return "".join(w[0] for w in words if w and w[0].isupper())


def _acronym_letters(name: str) -> str:
    return name.replace(".", "") if _ACRONYM.match(name) else ""


# --------------------------------------------------------------------------- extraction

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
                             end=ent.end_char, text=ent.text, ner_label=ent.label_,
                             label=ent.label_, rule="dropped: not a counted label"))
            continue
        while paragraphs[para][1] < ent.start_char:
            para += 1
        p_start, p_end = paragraphs[para]
        start, end = ent.start_char, ent.end_char
        if "(" in ent.text and ")" not in ent.text:
            # "World Health Organization (WHO": the acronym is a mention of its own
            end = start + len(ent.text[:ent.text.index("(")].rstrip())
        rows.append(dict(doc_id=doc_id, where=where, para=para, start=start,
                         end=end, text=text[start:end], ner_label=ent.label_,
                         label=ent.label_,
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
                    and row["label"] in COUNTED_LABELS
                    and " " in name and _initials(name) == letters):
                added.append(dict(doc_id=doc_id, where=where, para=para, start=start,
                                  end=end, text=match.group(1), ner_label="",
                                  label=row["label"],
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
            name, _ = normalize_name(row["text"], row["label"])
            if len(name) >= 2 and name[0].isupper():
                labels[name][row["label"]] += 1
    for name in [n for n, counts in labels.items() if "PERSON" in counts]:
        surname = name.split()[-1]
        if " " in name and surname[0].isupper() and surname not in labels:
            labels[surname]["PERSON"] += 1
    lower_words = {w for text in texts for w in text_words(text) if w.islower()}
    return {name: _majority_label(counts) for name, counts in labels.items()
            if " " in name or name.lower() not in lower_words}


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
                          text=text[start:end], ner_label="", label=label,
                          rule="added: corpus name in a headline-case line"
                          if is_headline_case(line)
                          else "added: untagged name tagged elsewhere in the corpus"))
    return found


def extract_mentions(parsed: Mapping[str, object],
                     titles: Mapping[str, object] | None = None) -> pd.DataFrame:
    """Every named-entity mention of the corpus, with the rule that kept or dropped it.

    Parameters
    ----------
    parsed : mapping
        ``doc_id`` -> spaCy ``Doc`` of the cleaned body (:func:`analysis.text.nlp.parse_bodies`).
        Only ``doc.ents`` and ``doc.text`` are used, so an NER-only parse will do.
    titles : mapping, optional
        ``doc_id`` -> spaCy ``Doc`` of the title (:func:`parse_titles`).

    Returns
    -------
    pandas.DataFrame
        One row per mention, columns:
        ``doc_id``; ``where`` ("body" or "title"); ``para`` (0-based paragraph
        index); ``start``, ``end`` (character offsets into the body or title);
        ``text`` (as written); ``ner_label`` (spaCy's label, "" for mentions a
        rule added); ``label`` (the label used from here on); ``kept`` (bool);
        ``rule`` ("" for a plain NER mention, else "dropped: <why>" or
        "added: <why>"). Sorted by doc_id, where, start.
    """
    rows: list[dict] = []
    for doc_id, doc in parsed.items():
        rows.extend(_ner_rows(str(doc_id), "body", doc))
    for doc_id, doc in (titles or {}).items():
        rows.extend(_ner_rows(str(doc_id), "title", doc))
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


# --------------------------------------------------------------------------- aliases

ALIAS_COLUMNS = ["alias", "entity", "label", "kind", "note", "source"]


def _read_alias_file(path: Path, source: str) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not a readable CSV file ({exc})") from None
    missing = {"alias", "entity"} - set(table.columns)
    if missing:
        raise ValueError(f"{path}: missing column(s) {sorted(missing)}; "
                         "expected alias,entity[,label,kind,note]")
    for column, default in (("label", ""), ("kind", "alias"), ("note", "")):
        if column not in table:
            table[column] = default
    for index, row in table.iterrows():
        line = index + 2
        alias, entity = row["alias"].strip(), row["entity"].strip()
        if not alias or not entity:
            raise ValueError(f"{path}, line {line}: alias and entity must both be filled in")
        kind = row["kind"].strip() or "alias"
        if kind not in ("alias", "capital"):
            raise ValueError(f"{path}, line {line}: kind must be 'alias' or 'capital', "
                             f"not {row['kind']!r}")
        label = row["label"].strip()
        if label and label not in COUNTED_LABELS:
            raise ValueError(f"{path}, line {line}: unknown label {label!r}; "
                             f"use one of {', '.join(COUNTED_LABELS)} or leave it empty")
        table.loc[index, ["alias", "entity", "kind", "label"]] = [
            " ".join(alias.translate(_APOSTROPHES).split()),
            " ".join(entity.translate(_APOSTROPHES).split()), kind, label]
    table["source"] = source
    return table[ALIAS_COLUMNS]


def load_aliases(corpus_dir: str | Path | None = None) -> pd.DataFrame:
    """The built-in news alias table, overridden by the corpus folder's ``aliases.csv``.

    Parameters
    ----------
    corpus_dir : str or Path, optional
        Corpus folder; its optional ``aliases.csv`` has columns ``alias``,
        ``entity`` and optionally ``label`` (the entity's type), ``kind``
        ("alias", or "capital" for a capital standing for its government,
        applied only when ``capitals_as_governments``) and ``note``. A row whose
        alias equals its entity keeps that name unmerged.

    Returns
    -------
    pandas.DataFrame
        Columns ``alias``, ``entity``, ``label``, ``kind``, ``note``, ``source``
        ("built-in" or "corpus"); one row per alias (corpus rows replace
        built-in rows with the same alias). Sorted by alias.

    Raises
    ------
    ValueError
        Naming the file and line of a malformed row.
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


# --------------------------------------------------------------------------- canonical names

def _majority_label(counts: Counter) -> str:
    return min(counts, key=lambda lab: (-counts[lab], LABEL_PRIORITY.index(lab)
                                        if lab in LABEL_PRIORITY else len(LABEL_PRIORITY)))


def _corrected_labels(names: pd.Series, labels: pd.Series) -> tuple[list[str], list[str]]:
    """Label per mention after the corpus-wide rules, and the reason when it changed."""
    by_name: dict[str, Counter] = defaultdict(Counter)
    for name, label in zip(names, labels):
        by_name[name][label] += 1
    new_labels, reasons = [], []
    for name, label in zip(names, labels):
        counts = by_name[name]
        places = Counter({lab: n for lab, n in counts.items() if lab in PLACE_LABELS})
        if label not in PLACE_LABELS and label != "FAC" and places:
            target = _majority_label(places)
            reason = f"label {label}->{target}: a place elsewhere in the corpus"
        else:
            target = _majority_label(counts)
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
    found: dict[str, set[str]] = defaultdict(set)
    for _, group in table.groupby(["doc_id", "where", "para"], sort=True):
        names = set(group["name"])
        long_names = [n for n in names if " " in n]
        for name in names:
            letters = _acronym_letters(name)
            if not letters:
                continue
            for long_name in long_names:
                if _initials(long_name).upper() == letters:
                    found[name].add(long_name)
    return {acr: next(iter(exp)) for acr, exp in found.items() if len(exp) == 1}


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
        From :func:`extract_mentions`.
    aliases : pandas.DataFrame, optional
        From :func:`load_aliases` (default: the built-in table only).
    capitals_as_governments : bool
        Whether alias rows of kind "capital" apply ("Pyongyang" -> "North Korea").

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        The kept mentions with the columns of :func:`extract_mentions` plus
        ``name`` (the bare name), ``entity`` (canonical name) and ``how`` (the
        label corrections and merges applied, "; "-separated, "" if none);
        ``label`` is the entity's label. And the alias table
        (:func:`alias_table`).
    """
    require_columns(mentions, MENTION_COLUMNS, "mentions")
    aliases = load_aliases() if aliases is None else aliases
    require_columns(aliases, ("alias", "entity", "kind"), "aliases")
    aliases = aliases.assign(
        source=aliases["source"] if "source" in aliases else "given",
        label=aliases["label"] if "label" in aliases else "")
    table = mentions[mentions["kept"].astype(bool)].copy()
    # before the honorific is stripped and before any merge, so "Ms Lomax" (ORG)
    # reaches the surname rule as the person "Lomax"
    table["label"], honorific = _honorific_labels(table["text"], table["label"])
    stripped = [normalize_name(t, lab) for t, lab in zip(table["text"], table["label"])]
    table["name"] = [name for name, _ in stripped]
    labels, relabel = _corrected_labels(table["name"], table["label"])
    table["label"] = labels
    acronyms = _acronym_definitions(table)
    resolver = _Resolver(sorted(set(zip(table["name"], table["label"]))), aliases,
                         capitals_as_governments, acronyms)
    resolved = {key: resolver.resolve(*key) for key in set(zip(table["name"], table["label"]))}
    table["entity"] = [resolved[key][0] for key in zip(table["name"], table["label"])]
    table["how"] = ["; ".join([*([h] if h else []), *how, *([r] if r else []),
                               *resolved[(n, lab)][1]])
                    for h, (_, how), r, n, lab in zip(honorific, stripped, relabel,
                                                      table["name"], table["label"])]
    entity_labels = {entity: _majority_label(Counter(group))
                     for entity, group in table.groupby("entity")["label"]}
    table["label"] = table["entity"].map(entity_labels)
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
        ``label`` (the entity's), ``mentions`` (count over bodies and titles) and
        ``how`` ("as written" when nothing was changed, else the steps taken).
        Sorted by entity, alias.
    """
    require_columns(canonical, ("entity", "text", "label", "how"), "canonical mentions")
    table = canonical.assign(alias=canonical["text"].str.split().str.join(" "),
                             how=canonical["how"].replace("", "as written"))
    out = (table.groupby(["entity", "alias", "label", "how"], sort=True).size()
           .rename("mentions").reset_index())
    return out[["entity", "alias", "label", "mentions", "how"]].sort_values(
        ["entity", "alias", "how"], kind="stable", ignore_index=True)


def canonical_name_function(table: pd.DataFrame) -> Callable[[str], str]:
    """A function mapping a name as written ("Kirby", "Mr Kirby's") to its canonical entity.

    Parameters
    ----------
    table : pandas.DataFrame
        The canonical mentions (``text``, ``entity``, ``label``) or the alias
        table (``alias``, ``entity``, ``label``).

    Returns
    -------
    callable
        ``str -> str``; a name not seen in the corpus comes back bare
        (determiner, honorific and possessive stripped), or as the corpus's only
        full name ending with it when it is a single word.
    """
    written = "text" if "text" in table else "alias"
    require_columns(table, (written, "entity", "label"), "table")
    known: dict[str, str] = {}
    full_names: dict[str, set[str]] = defaultdict(set)
    for text, entity, label in zip(table[written], table["entity"], table["label"]):
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


# --------------------------------------------------------------------------- tables

def entity_table(canonical: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """``entities.csv``: how often each document names each entity in its body.

    Parameters
    ----------
    canonical : pandas.DataFrame
        Mentions from :func:`canonicalize_mentions` (title mentions are ignored
        here; see :func:`title_entity_table`).
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``body``), for the word counts.

    Returns
    -------
    pandas.DataFrame
        One row per (document, entity) named in the body, columns ``doc_id``,
        ``entity``, ``label``, ``mentions`` and ``mentions_per_1k_words``
        (mentions per 1,000 words of the body, :func:`analysis.text.layer.count_words`,
        3 decimals). Sorted by doc_id, mentions (descending), entity.
    """
    require_columns(canonical, ("doc_id", "where", "entity", "label"), "canonical mentions")
    require_columns(docs, ("doc_id", "body"), "docs")
    words = dict(zip(docs["doc_id"], docs["body"].map(count_words)))
    body = canonical[canonical["where"] == "body"]
    unknown = sorted(set(body["doc_id"]) - set(words))
    if unknown:
        raise ValueError(f"mentions of documents not in the corpus table: {unknown[:5]}")
    out = (body.groupby(["doc_id", "entity", "label"], sort=True).size()
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
        Columns ``doc_id``, ``entity``, ``label``, ``mentions``; sorted by doc_id, entity.
    """
    require_columns(canonical, ("doc_id", "where", "entity", "label"), "canonical mentions")
    titles = canonical[canonical["where"] == "title"]
    return (titles.groupby(["doc_id", "entity", "label"], sort=True).size()
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
                     capitals_as_governments: bool = True) -> dict[str, pd.DataFrame]:
    """The whole entity section for a report, from the shared body parse.

    Returns
    -------
    dict of pandas.DataFrame
        ``mentions`` (canonical mentions), ``entities`` (:func:`entity_table`),
        ``entity_aliases`` (:func:`alias_table`), ``title_entities``
        (:func:`title_entity_table`) and ``suppressed`` (:func:`suppressed_mentions`).
    """
    titles = parse_titles(docs, nlp) if "title" in docs else None
    mentions = extract_mentions(parsed, titles)
    canonical, aliases_out = canonicalize_mentions(mentions, aliases, capitals_as_governments)
    return {"mentions": canonical, "entities": entity_table(canonical, docs),
            "entity_aliases": aliases_out, "title_entities": title_entity_table(canonical),
            "suppressed": suppressed_mentions(mentions)}
