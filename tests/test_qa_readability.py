"""Readability degrades to 'not scored' on text its English formulas cannot measure."""

import math

import pandas as pd

from analysis.report import narrative
from analysis.corpus.language import latin_share
from analysis.measures import readability
from analysis.measures.paragraph_readability import paragraph_readability

ENGLISH = ("The council met on Monday. It agreed to repair the bridge before winter. "
           "Work will start next month and should take six weeks. Residents welcomed the plan.")
# Hand-written Urdu (not from any corpus): "The council met on Monday. It decided to repair the bridge."
URDU = ("کونسل کا اجلاس پیر کو ہوا۔ اس نے سردیوں سے پہلے پل کی مرمت کا فیصلہ کیا۔ "
        "کام اگلے مہینے شروع ہوگا اور چھ ہفتے لگیں گے۔ شہریوں نے منصوبے کا خیر مقدم کیا۔")
RUN_ON = " ".join(["the council met on monday and agreed to repair the bridge before winter"] * 8)


def corpus(**bodies):
    return pd.DataFrame({"doc_id": list(bodies), "label": list(bodies), "body": list(bodies.values())})


def test_latin_share():
    assert latin_share(ENGLISH) == 1.0
    assert latin_share(URDU) == 0.0
    assert latin_share("Café naïve") == 1.0
    assert latin_share("12 345") == 1.0
    assert math.isclose(latin_share("ab" + "کک"), 0.5)


def test_non_english_non_latin_and_run_on_documents_are_not_scored_but_flagged():
    # the Urdu document is detected as Urdu; given as undetermined, its script still keeps it unscored
    docs = corpus(en=ENGLISH, ur=URDU, runon=RUN_ON, und=URDU).assign(language=["en", "ur", "en", "und"])
    table = readability.readability_table(docs).set_index("doc_id")
    assert not math.isnan(table.loc["en", "flesch_kincaid_grade"])
    assert "not_latin_script" not in table.loc["en", "flags"]
    assert "not_english" not in table.loc["en", "flags"]
    for doc_id, flag in (("ur", "not_english=ur"), ("und", "not_latin_script"),
                         ("runon", "no_sentence_punctuation")):
        row = table.loc[doc_id]
        assert flag in row["flags"].split(";")
        assert all(math.isnan(row[f]) for f in readability.FORMULAS)
        assert row["text_standard"] == "" and math.isnan(row["text_standard_grade"])
        assert row["words"] > 0  # the counts are still reported


def test_paragraph_scores_say_why_they_are_missing():
    table = paragraph_readability(corpus(en=ENGLISH, ur=URDU, runon=RUN_ON)).set_index("doc_id")
    assert table.loc["en", "note"] == ""
    assert table.loc["ur", "note"] == "not english (ur)"
    assert table.loc["runon", "note"] == "no sentence punctuation"
    assert math.isnan(table.loc["runon", "flesch_kincaid_grade"])


def test_description_explains_unscored_documents():
    table = readability.readability_table(corpus(ur=URDU, runon=RUN_ON))
    text = narrative.describe_readability(table)
    assert ("1 of 2 documents is not in English (ur), so the English-only analyses (readability, entities, "
            "quotations, numbers) leave it out.") in text
    undetermined = readability.readability_table(corpus(ur=URDU).assign(language=["und"]))
    assert "1 document(s) not in the Latin script" in narrative.describe_readability(undetermined)
    assert "1 document(s) without usable sentence punctuation" in text
