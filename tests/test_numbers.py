"""Numbers: hand-checked extraction, normalisation and cross-outlet conflicts."""

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from analysis.text.nlp import parse_bodies
from analysis.statements.number_words import parse_number_words
from analysis.statements.number_claims import number_claims, number_conflicts
from analysis.statements.numbers import extract_numbers
from conftest import make_docs

DATA = Path(__file__).parent / "data" / "quotes_numbers"


@pytest.fixture(scope="module")
def bridge(nlp):
    docs = make_docs({p.stem: p.read_text(encoding="utf-8").strip()
                      for p in sorted(DATA.glob("*.txt"))})
    expected = json.loads((DATA / "expected.json").read_text())
    return docs, extract_numbers(docs, parse_bodies(docs, nlp)), expected


@pytest.mark.parametrize("text, value", [("a thousand", 1000), ("forty-two", 42),
                                         ("two million", 2e6), ("three hundred and five", 305),
                                         ("three hundred", 300), ("a dozen", 12),
                                         ("two dozen", 24), ("two and a half million", 2.5e6),
                                         ("half a million", 5e5), ("the", None),
                                         ("twenty twenty", None)])
def test_parse_number_words(text, value):
    assert parse_number_words(text) == value


@pytest.mark.parametrize("text", ["thousands", "hundreds", "dozens", "millions",
                                  "tens of thousands", "hundreds of thousands"])
def test_vague_plurals_have_no_value(text):
    # The hand-written parser guessed "thousands" = 2000 (text2num alone says 1000).
    assert parse_number_words(text) is None


def test_vague_quantity_is_flagged_not_guessed(nlp):
    docs = make_docs({"a": "Thousands of troops crossed the border, and scores of tanks.",
                      "b": "Officials said two and a half million dollars had been paid."})
    numbers = extract_numbers(docs, parse_bodies(docs, nlp)).set_index("text")
    for text in ("Thousands", "scores"):
        assert numbers.loc[text, "vague"], text
        assert math.isnan(numbers.loc[text, "value"]), text
    assert numbers.loc["two and a half million dollars", "value"] == 2.5e6
    assert not numbers.loc["two and a half million dollars", "vague"]


def test_a_guessed_vague_value_makes_no_conflict(nlp):
    # "thousands" read as 2000 made a different_value conflict with a real figure.
    docs = make_docs({"a": "Thousands of troops were deployed to the border.",
                      "b": "Some 3,000 troops were deployed to the border.",
                      "c": "The army deployed 3,000 troops to the border."})
    conflicts = number_conflicts(extract_numbers(docs, parse_bodies(docs, nlp)))
    assert "different_value" not in set(conflicts["conflict"])
    assert "a" not in set(conflicts["doc_id"])


def test_numbers_match_hand_annotations(bridge):
    docs, numbers, expected = bridge
    for doc_id, want in expected["numbers"].items():
        got = numbers[numbers["doc_id"] == doc_id].set_index("text")
        for item in want:
            assert item["text"] in got.index, item["text"]
            row = got.loc[item["text"]]
            for key, value in item.items():
                if key != "text":
                    assert row[key] == value, (item["text"], key, row[key])


def test_years_are_dates_not_counts(bridge):
    _, numbers, _ = bridge
    years = numbers[numbers["text"].isin(["2014", "2021"])]
    assert set(years["unit"]) == {"date"}


def test_money_forms_normalise_alike(nlp):
    docs = make_docs({"a": "They spent $100m per month.",
                      "b": "They spent 100 million dollars every month.",
                      "c": "They spent a hundred million dollars a month."})
    numbers = extract_numbers(docs, parse_bodies(docs, nlp))
    money = numbers[numbers["unit"] == "money"]
    assert money["value"].tolist() == [1e8, 1e8, 1e8]
    assert set(money["currency"]) == {"USD"} and set(money["period"]) == {"month"}


def test_conflicts_match_hand_annotations(bridge):
    _, numbers, expected = bridge
    conflicts = number_conflicts(numbers)
    assert list(conflicts.columns[:7]) == ["story_id", "group_id", "doc_id", "value", "what", "text",
                                           "conflict"]
    for want in expected["conflicts"]:
        grp = conflicts[conflicts["value"] == want["value"]]
        assert sorted(set(grp["conflict"]) - {"agree"}) == want["conflict_types"]
    assert 54e6 not in set(conflicts["value"])   # the bracketed conversion is no claim


def test_different_value_for_same_thing(nlp):
    docs = make_docs({"a": "The army said 300 soldiers were deployed.",
                      "b": "The army said 450 soldiers were deployed."})
    conflicts = number_conflicts(extract_numbers(docs, parse_bodies(docs, nlp)))
    assert "different_value" in set(conflicts["conflict"])
    claims = number_claims(extract_numbers(docs, parse_bodies(docs, nlp)))
    assert claims["status"].tolist() == ["conflict"]


def test_agreement_is_not_a_conflict(nlp):
    docs = make_docs({"a": "About 1,200 workers were hired.", "b": "Some 1,200 workers were hired."})
    conflicts = number_conflicts(extract_numbers(docs, parse_bodies(docs, nlp)))
    assert conflicts["conflict"].tolist() == ["agree", "agree"]


def test_inflections_of_one_verb_are_one_description(nlp):
    # Hand-written suffix rules made "received" "receiv" and "receives" "receive":
    # one claim, reported as a different_description conflict labelled "(receiv)".
    docs = make_docs({"a": "Wagner received $100m a month from the Kremlin.",
                      "b": "Wagner receives $100m a month from the Kremlin.",
                      "c": "Wagner is receiving $100m a month from the Kremlin."})
    conflicts = number_conflicts(extract_numbers(docs, parse_bodies(docs, nlp)))
    assert conflicts["what"].tolist() == ["receive"] * 3
    assert conflicts["conflict"].tolist() == ["agree"] * 3
    assert conflicts["claim"].iloc[0] == "USD 100,000,000 per month (receive)"


def test_counted_nouns_are_spacy_lemmas(nlp):
    docs = make_docs({"a": "The group hired 1,200 mercenaries and 300 women.",
                      "b": "Some 1,200 mercenaries and 300 women were hired."})
    numbers = extract_numbers(docs, parse_bodies(docs, nlp))
    assert set(numbers["what"]) == {"mercenary", "woman"}
    assert set(numbers["unit"]) == {"people"}


def test_bad_input_raises_value_error():
    with pytest.raises(ValueError, match="body"):
        extract_numbers(pd.DataFrame({"doc_id": ["a"]}))
    with pytest.raises(ValueError, match="missing"):
        number_conflicts(pd.DataFrame({"doc_id": ["a"]}))


def test_deterministic_csv(bridge, nlp):
    docs, numbers, _ = bridge
    again = extract_numbers(docs, parse_bodies(docs, nlp))
    assert numbers.to_csv(index=False) == again.to_csv(index=False)
    assert not math.isnan(numbers[numbers["unit"] == "money"]["value"].iloc[0])


def test_more_than_99_claims_stay_in_group_order():
    # group ids are strings: sorted as text, "nc100" would land between "nc10" and "nc11"
    rows = [{"doc_id": doc, "value": 1000.0 + n, "unit": "count", "what": f"item{n}",
             "text": str(1000 + n), "start": 10 * n}
            for n in range(101) for doc in ("a", "b")]
    conflicts = number_conflicts(pd.DataFrame(rows))
    order = list(dict.fromkeys(conflicts["group_id"]))
    assert order == [f"nc{n:02d}" for n in range(1, 102)]
    claims = number_claims(pd.DataFrame(rows))
    assert claims["group_id"].tolist() == order
    assert claims["value"].tolist() == [1000.0 + n for n in range(101)]
