"""Entities: unit rules on hand-made tables, and F1 against hand-checked gold."""

from pathlib import Path

import pandas as pd
import pytest

from conftest import make_docs

from analysis.measures.canonical_entities import canonical_name_function, canonicalize_mentions
from analysis.measures.entities import analyse_entities, entity_table, title_entity_table
from analysis.measures.entity_mentions import (MENTION_COLUMNS, entity_mentions_from_texts, extract_mentions,
                                               parse_titles)
from analysis.measures.entity_names import is_headline_case, is_honorific_name, normalize_name
from analysis.measures.name_matching import alias_ruler, load_aliases

DATA = Path(__file__).parent / "data" / "entities"


def _docs(texts: dict[str, str], titles: dict[str, str] | None = None) -> pd.DataFrame:
    return make_docs(texts, titles, labels=str)


def _mention(doc_id, text, label, para=0, start=0, where="body", rule=""):
    return dict(doc_id=doc_id, where=where, para=para, start=start, end=start + len(text),
                text=text, ner_label=label, entity_type=label, kept=not rule.startswith("dropped"),
                rule=rule)


def _mentions(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=MENTION_COLUMNS)


# ----------------------------------------------------------------- normalisation and rules

@pytest.mark.parametrize("text, label, expected", [
    ("the White House", "ORG", "White House"),
    ("Russia\u2019s", "GPE", "Russia"),
    ("Belarus'", "GPE", "Belarus"),
    ("Mr Prigozhin", "PERSON", "Prigozhin"),
    ("The World Health Organization (WHO", "ORG", "World Health Organization"),
    ("Democratic People\u2019s Republic of Korea", "GPE", "Democratic People's Republic of Korea"),
])
def test_normalize_name(text, label, expected):
    assert normalize_name(text, label)[0] == expected


@pytest.mark.parametrize("text, expected", [
    ("Ms Lomax", True), ("Dr. Varga", True), ("Prof Lomax's", True), ("Sir Keir Starmer", True),
    ("Dr de Vries", True), ("Miss O'Neill", True), ("Lady Ashworth\u2019s", True),
    ("Mr Price Group", False),   # a company
    ("Lord of the Rings", False), ("Ms UK", False), ("Dr", False), ("DR Congo", False),
    ("Lomax", False), ("mr lomax", False),
])
def test_is_honorific_name(text, expected):
    assert is_honorific_name(text) is expected


def test_honorific_name_tagged_org_merges_with_the_full_name():
    mentions = _mentions(_mention("a", "Rachel Lomax", "PERSON"),
                         _mention("a", "Ms Lomax", "ORG", 1), _mention("b", "Ms. Lomax's", "GPE", 0),
                         _mention("b", "Mr Price Group", "ORG", 1), _mention("b", "Price", "ORG", 2))
    canonical, aliases = canonicalize_mentions(mentions)
    entity = dict(zip(zip(canonical["doc_id"], canonical["text"]), canonical["entity"]))
    assert entity[("a", "Ms Lomax")] == entity[("b", "Ms. Lomax's")] == "Rachel Lomax"
    assert entity[("b", "Mr Price Group")] == "Mr Price Group"  # left an organisation
    how = dict(zip(aliases["alias"], aliases["how"]))
    assert how["Ms Lomax"].startswith("label ORG->PERSON: an honorific and a name")
    assert "surname" in how["Ms Lomax"]
    assert set(canonical.loc[canonical["entity"] == "Rachel Lomax", "entity_type"]) == {"PERSON"}


def test_headline_case():
    assert is_headline_case("Pyongyang Denies US Intelligence Report")
    assert is_headline_case("Wagner's Involvement in the Russia-Ukraine War")
    assert not is_headline_case("Desperation on the part of Russia")
    assert not is_headline_case("Kirby said Prigozhin had a habit of making statements.")


def test_canonical_merges_are_recorded():
    mentions = _mentions(
        _mention("a", "John Kirby", "PERSON", 0, 0), _mention("b", "Kirby", "PERSON", 0, 0),
        _mention("a", "Korean Central News Agency", "ORG", 1, 0),
        _mention("a", "KCNA", "ORG", 1, 40), _mention("b", "KCNA", "ORG", 2, 0),
        _mention("b", "Pyongyang", "GPE", 3, 0), _mention("b", "North Korea", "GPE", 3, 20),
        _mention("a", "Mali", "PERSON", 4, 0), _mention("b", "Mali", "GPE", 4, 0),
        _mention("a", "the Wagner Group", "ORG", 5, 0), _mention("b", "Wagner", "ORG", 5, 0))
    canonical, aliases = canonicalize_mentions(mentions)
    entity = dict(zip(zip(canonical["doc_id"], canonical["text"]), canonical["entity"]))
    assert entity[("b", "Kirby")] == "John Kirby"
    assert entity[("b", "KCNA")] == "Korean Central News Agency"
    assert entity[("b", "Pyongyang")] == "North Korea"
    assert entity[("b", "Wagner")] == "Wagner Group"
    assert set(canonical.loc[canonical["text"] == "Mali", "entity_type"]) == {"GPE"}
    how = dict(zip(aliases["alias"], aliases["how"]))
    assert "surname" in how["Kirby"] and "acronym" in how["KCNA"]
    assert "capital" in how["Pyongyang"] and "determiner" in how["the Wagner Group"]
    assert "a place elsewhere" in how["Mali"]
    assert list(aliases.columns) == ["entity", "alias", "entity_type", "mentions", "how"]


def test_capitals_parameter_and_ambiguous_surname():
    mentions = _mentions(_mention("a", "Moscow", "GPE"), _mention("a", "Anna Berg", "PERSON", 1),
                         _mention("a", "Tomas Berg", "PERSON", 2), _mention("a", "Berg", "PERSON", 3))
    canonical, _ = canonicalize_mentions(mentions, capitals_as_governments=False)
    assert set(canonical["entity"]) == {"Moscow", "Anna Berg", "Tomas Berg", "Berg"}
    canonical, _ = canonicalize_mentions(mentions)
    assert "Russia" in set(canonical["entity"])


def test_corpus_aliases_override_and_block(tmp_path):
    (tmp_path / "aliases.csv").write_text(
        "alias,entity,note\nPyongyang,Pyongyang,keep the city\nKremlin,Russia,metonym\n")
    aliases = load_aliases(tmp_path)
    mentions = _mentions(_mention("a", "Pyongyang", "GPE"), _mention("a", "Kremlin", "ORG", 1))
    canonical, table = canonicalize_mentions(mentions, aliases)
    assert list(canonical["entity"]) == ["Pyongyang", "Russia"]
    assert "corpus alias table" in table.set_index("alias").loc["Kremlin", "how"]


@pytest.mark.parametrize("content, message", [
    ("alias,name\nA,B\n", "missing column"),
    ("alias,entity\nA,\n", "line 2"),
    ("alias,entity,kind\nA,B,city\n", "line 2: kind"),
    ("alias,entity,entity_type\nA,B,DATE\n", "unknown entity_type"),
    ("alias,entity,label\nA,B,DATE\n", "unknown entity_type"),  # the column's former name is read too
])
def test_malformed_aliases_name_file_and_line(tmp_path, content, message):
    (tmp_path / "aliases.csv").write_text(content)
    with pytest.raises(ValueError, match=message) as info:
        load_aliases(tmp_path)
    assert "aliases.csv" in str(info.value)


def test_canonical_name_function():
    mentions = _mentions(_mention("a", "John Kirby", "PERSON"), _mention("a", "Kirby", "PERSON", 1))
    canonical, aliases = canonicalize_mentions(mentions)
    for table in (canonical, aliases):
        name = canonical_name_function(table)
        assert name("Kirby") == "John Kirby"
        assert name("Mr Kirby's") == "John Kirby"
        assert name("Jane Doe") == "Jane Doe"


def test_entity_table_counts_body_only_and_rates():
    docs = _docs({"a": "one two three four five six seven eight nine ten"})
    mentions = _mentions(_mention("a", "Iran", "GPE"), _mention("a", "Iran", "GPE", 0, 20),
                         _mention("a", "Iran", "GPE", where="title"))
    canonical, _ = canonicalize_mentions(mentions)
    table = entity_table(canonical, docs)
    assert table.to_dict("records") == [dict(doc_id="a", entity="Iran", entity_type="GPE", mentions=2,
                                             mentions_per_1k_words=200.0)]
    assert title_entity_table(canonical)["mentions"].tolist() == [1]


def test_bad_input_is_a_clear_error():
    with pytest.raises(ValueError, match="missing column"):
        canonicalize_mentions(pd.DataFrame({"doc_id": ["a"]}))
    with pytest.raises(ValueError, match="not in the corpus table"):
        mentions = _mentions(_mention("zzz", "Iran", "GPE"))
        entity_table(canonicalize_mentions(mentions)[0], _docs({"a": "x"}))


def test_corpus_without_any_entity_gives_empty_tables():
    # a corpus where NER finds nothing: an empty mentions table, not a KeyError
    mentions = extract_mentions({})
    canonical, aliases = canonicalize_mentions(mentions)
    assert canonical.empty and aliases.empty
    assert entity_table(canonical, _docs({"a": "no names here"})).empty
    assert title_entity_table(canonical).empty


def test_empty_aliases_file_is_a_clear_error(tmp_path):
    (tmp_path / "aliases.csv").write_text("")
    with pytest.raises(ValueError, match="aliases.csv: not a readable CSV"):
        load_aliases(tmp_path)


# ----------------------------------------------------------------- with the spaCy pipeline

def test_notice_line_and_headline_rules(nlp):
    body = ("\U0001F4E2 Subscribe to the Morning Brief from Reuters for updates.\n\n"
            "Kenya said on Monday that Uganda had closed the border.\n\n"
            "Kenya Accuses Uganda Over Border")
    mentions = extract_mentions({"k": nlp(body)})
    kept = mentions[mentions["kept"]]
    assert not (kept["para"] == 0).any()  # nothing counted in the emoji notice line
    headline = kept[kept["para"] == 2]
    assert sorted(headline["text"]) == ["Kenya", "Uganda"]


def test_fast_path_matches_shared_parse(nlp):
    docs = _docs({"a": (DATA / "own" / "a02_acronym.body.txt").read_text().strip()},
                 {"a": "Regulator fines Nordlink Power"})
    from analysis.text.nlp import parse_bodies
    shared = extract_mentions(parse_bodies(docs, nlp), parse_titles(docs, nlp))
    fast = entity_mentions_from_texts(docs, nlp, n_process=1)
    assert fast[["doc_id", "where", "start", "end", "text"]].equals(
        shared[["doc_id", "where", "start", "end", "text"]])
    first = entity_table(canonicalize_mentions(fast)[0], docs).to_csv(index=False)
    again = entity_table(canonicalize_mentions(shared)[0], docs).to_csv(index=False)
    assert first == again


def test_honorific_forms_in_an_article_merge_with_the_full_name(nlp):
    # the small model tags some of these "Ms Lomax" / "Dr Varga" mentions ORG
    from analysis.text.nlp import parse_bodies
    body = (DATA / "own" / "a05_honorifics.body.txt").read_text(encoding="utf-8").strip()
    docs = _docs({"h": body})
    result = analyse_entities(docs, parse_bodies(docs, nlp), nlp)
    honorific = result["mentions"][result["mentions"]["text"].map(is_honorific_name)]
    assert len(honorific) >= 4
    assert set(honorific["entity"]) == {"Rachel Lomax", "Daniel Varga"}
    assert set(honorific["entity_type"]) == {"PERSON"}
    counts = dict(zip(result["entities"]["entity"], result["entities"]["mentions"]))
    assert counts["Rachel Lomax"] == 4 and counts["Daniel Varga"] == 3


def _f1(found: pd.DataFrame, gold: pd.DataFrame) -> float:
    merged = gold.merge(found, on=["doc_id", "entity"], how="outer",
                        suffixes=("_gold", "_found")).fillna(
        {"mentions_gold": 0, "mentions_found": 0})
    true_pos = merged[["mentions_gold", "mentions_found"]].min(axis=1).sum()
    precision = true_pos / merged["mentions_found"].sum()
    recall = true_pos / merged["mentions_gold"].sum()
    return 2 * precision * recall / (precision + recall)


def _gold_corpus(folder: str) -> pd.DataFrame:
    texts, titles = {}, {}
    for path in sorted((DATA / folder).glob("*.body.txt")):
        doc_id = path.name.removesuffix(".body.txt")
        texts[doc_id] = path.read_text(encoding="utf-8").strip()
        title = path.with_name(f"{doc_id}.title.txt")
        titles[doc_id] = title.read_text(encoding="utf-8").strip() if title.exists() else ""
    return _docs(texts, titles)


def test_f1_against_hand_checked_gold(nlp):
    from analysis.text.nlp import parse_bodies
    scores = {}
    found_all, gold_all = [], []
    for folder, gold_file in (("seeds", "seeds_gold.csv"), ("own", "own_gold.csv")):
        docs = _gold_corpus(folder)
        result = analyse_entities(docs, parse_bodies(docs, nlp), nlp)
        gold = pd.read_csv(DATA / gold_file)
        assert set(gold["doc_id"]) == set(docs["doc_id"])
        scores[folder] = _f1(result["entities"], gold)
        found_all.append(result["entities"])
        gold_all.append(gold)
    overall = _f1(pd.concat(found_all), pd.concat(gold_all))
    assert overall >= 0.90, scores
    assert min(scores.values()) >= 0.85, scores


def _tagged(nlp, text, *spans):
    """A tokenized Doc whose only entities are ``spans`` (start token, end token, label)."""
    from spacy.tokens import Span

    doc = nlp.make_doc(text)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in spans]
    return doc


def test_corpus_names_are_found_where_the_model_missed_them(nlp):
    parsed = {"a": _tagged(nlp, "M&S hired Wagner staff in North Korea.",
                           (0, 1, "ORG"), (2, 3, "ORG"), (5, 7, "GPE")),
              "b": _tagged(nlp, "Shares rose at M&S. Wagner's rivals left North Korea, "
                                "paid in $Wagner tokens by NorthKorea.")}
    added = extract_mentions(parsed).query("doc_id == 'b'")
    assert added[["text", "entity_type"]].values.tolist() == [
        ["M&S", "ORG"], ["Wagner's", "ORG"], ["North Korea", "GPE"]]
    assert set(added["rule"]) == {"added: untagged name tagged elsewhere in the corpus"}


def test_alias_patterns_carry_the_canonical_entity():
    ruler = alias_ruler(load_aliases())
    spans = ruler.match(ruler.nlp.make_doc("U.S. and DPRK"))
    assert [(s.text, s.id_) for s in spans] == [("U.S.", "United States"), ("DPRK", "North Korea")]
    assert {s.label_ for s in spans} == {"alias (built-in alias table)"}
    capitals = load_aliases().query("kind == 'capital'")["alias"]
    assert not alias_ruler(load_aliases(), capitals_as_governments=False).match(
        ruler.nlp.make_doc(" ".join(capitals)))
