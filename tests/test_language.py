"""Each document's language is detected, and the English-only stages leave the others out (issue 10, item 12)."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from analysis.report import narrative, pipeline
from analysis.corpus.cleaning import load_corpus
from analysis.errors import CorpusError
from analysis.corpus.language import (MIN_LETTERS, UNDETERMINED, detect_language, english_documents, is_english,
                               language_code, not_english_note)
from conftest import ROOT, make_docs

DATA = ROOT / "tests" / "data" / "language"
PASSAGES = list(csv.DictReader(open(DATA / "labels.csv", encoding="utf-8")))
#: Passages of a sentence or more, where the detector must name the language.
DECIDABLE = {"long", "medium", "names", "mixed"}


def text_of(row) -> str:
    return (DATA / row["file"]).read_text(encoding="utf-8")


def test_the_labelled_set_covers_the_languages_and_kinds():
    assert len(PASSAGES) >= 36
    assert {"en", "ru", "de", "fr", "es", "zh", "ar", "ur", "und"} <= {r["language"] for r in PASSAGES}
    assert {"long", "short", "mixed"} <= {r["kind"] for r in PASSAGES}


@pytest.mark.parametrize("row", [r for r in PASSAGES if r["kind"] in DECIDABLE], ids=lambda r: r["file"])
def test_detects_the_language_of_every_passage_of_a_sentence_or_more(row):
    assert detect_language(text_of(row)) == row["language"]


@pytest.mark.parametrize("row", PASSAGES, ids=lambda r: r["file"])
def test_never_takes_english_for_another_language_or_the_reverse(row):
    found = detect_language(text_of(row))
    if found != UNDETERMINED:
        assert is_english(found) == is_english(row["language"]), found


def test_short_latin_text_is_undetermined_rather_than_guessed():
    # cld2 calls this line Polish with confidence; a report must not drop a document for it
    assert detect_language("Lansdowne Road, Dublin") == UNDETERMINED
    assert detect_language("Port strike halts grain exports") == UNDETERMINED
    assert detect_language("") == UNDETERMINED
    assert detect_language("12 345 67.8 %") == UNDETERMINED


def test_a_short_text_in_another_script_is_still_told_apart():
    assert detect_language("وزیر نے منگل کو استعفیٰ دے دیا۔") == "ur"
    assert detect_language("استقال الوزير يوم الثلاثاء.") == "ar"


@pytest.mark.parametrize("junk", ["\x00", "\x01", "\x7f", "\x85", "\x9f", "\ud800", "\udfff", "\ufffe",
                                  "\uffff", "\U0010ffff", "\ufdd0"])
def test_characters_the_detector_refuses_do_not_break_it(junk):
    english = text_of(next(r for r in PASSAGES if r["file"].endswith("en_medium.txt")))
    assert detect_language(junk.join(english.split(" "))) == "en"


def test_min_letters_is_what_the_short_rule_uses():
    sentence = "word " * (MIN_LETTERS // 4 - 1)  # fewer than MIN_LETTERS letters of English
    assert detect_language(sentence) == UNDETERMINED


@pytest.mark.parametrize("tag, code", [("en", "en"), ("EN-gb", "en"), ("ru_RU", "ru"), ("zh-Hant", "zh"),
                                       ("iw", "he"), ("und", "und"), (" ur ", "ur"),
                                       ("English", None), ("e", None), ("en gb", None), ("", None)])
def test_language_code_reads_iso_tags_only(tag, code):
    assert language_code(tag) == code


def test_not_english_note_is_one_sentence_in_singular_and_plural():
    assert not_english_note(["en", "und", "en"]) == ""
    assert not_english_note(["en", "ru"]) == (
        "1 of 2 documents is not in English (ru), so the English-only analyses (readability, entities, "
        "quotations, numbers) leave it out.")
    assert not_english_note(["ur", "ru", "ur"]) == (
        "3 of 3 documents are not in English (ru, ur), so the English-only analyses (readability, entities, "
        "quotations, numbers) leave them out.")


def test_english_documents_keeps_english_and_undetermined_ones():
    docs = make_docs({"en": text_of(PASSAGES[0]), "ru": "Министр ушёл в отставку во вторник, сообщили в "
                                                         "правительстве; его преемник будет назначен позже.",
                      "short": "Port strike"})
    assert english_documents(docs)["doc_id"].tolist() == ["en", "short"]
    given = docs.assign(language=["ru", "en", "en"])  # a language column is taken as it is
    assert english_documents(given)["doc_id"].tolist() == ["ru", "short"]


# ---------------------------------------------------------------- the Russian article of the issue

RUSSIAN = (
    "Представитель Белого дома Джон Кирби заявил в четверг, что США о поставках оружия из КНДР знают "
    "давно. По его словам, Пхеньян отправил первую партию ракет для группы Вагнера.\n\n"
    "МИД КНДР назвал эти сообщения абсурдными. Евгений Пригожин также отверг обвинения и назвал их "
    "сплетнями. В Совете Безопасности ООН обсуждение вопроса назначено на следующую неделю.")
ENGLISH = (
    "Dock workers at the port of Ravena walked out on Monday, halting grain exports for the third time this "
    "year. The union said 4,000 members joined the strike.\n\n"
    "\u201cWe will not load a single ship until wages rise,\u201d union leader Maria Costa told reporters in "
    "Ravena. The Ministry of Transport said talks would resume on Wednesday.")


def write_corpus(folder, articles, sources="doc_id,outlet\nen,Wire Service\nru,Moscow Daily\n"):
    folder.mkdir()
    for doc_id, text in articles.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (folder / "sources.csv").write_text(sources, encoding="utf-8")
    return folder


def test_a_russian_article_gives_no_entities_quotes_or_numbers_and_is_not_counted(tmp_path):
    mixed = pipeline.open_corpus(write_corpus(tmp_path / "mixed", {"en": ENGLISH, "ru": RUSSIAN}))
    english_only = pipeline.open_corpus(write_corpus(tmp_path / "en", {"en": ENGLISH},
                                                     sources="doc_id,outlet\nen,Wire Service\n"))
    documents = pipeline.corpus_tables(mixed)["documents"]
    assert documents.set_index("doc_id")["language"].to_dict() == {"en": "en", "ru": "ru"}

    entities = pipeline.entities_tables(mixed)
    assert "ru" not in set(entities["entities"]["doc_id"])
    assert "ru" not in set(entities["title_entities"]["doc_id"])
    reference = pipeline.entities_tables(english_only)
    assert entities["entities"]["entity"].nunique() == reference["entities"]["entity"].nunique()
    sentence = narrative.describe_entities(entities, mixed.docs)
    expected_note = ("1 of 2 documents is not in English (ru), so the English-only analyses (readability, "
                     "entities, quotations, numbers) leave it out.")
    assert sentence.startswith(f"{reference['entities']['entity'].nunique()} distinct entities;")
    assert sentence.endswith(expected_note)

    quotes = pipeline.quotes_tables(mixed)
    numbers = pipeline.numbers_tables(mixed)
    assert "ru" not in set(quotes["quotes"]["doc_id"]) and "ru" not in set(numbers["numbers"]["doc_id"])
    assert narrative.describe_quotes(quotes, mixed.docs).endswith(expected_note)
    assert narrative.describe_numbers(numbers, mixed.docs).endswith(expected_note)
    assert narrative.describe_corpus(mixed).endswith(expected_note)

    readability = pipeline.readability_tables(mixed)
    flags = readability["readability"].set_index("doc_id")["flags"]
    assert "not_english=ru" in flags["ru"].split(";") and "not_english" not in flags["en"]
    assert readability["readability"].set_index("doc_id")["flesch_kincaid_grade"].isna().to_dict() == {
        "en": False, "ru": True}
    paragraphs = readability["readability_paragraphs"]
    assert set(paragraphs.loc[paragraphs["doc_id"] == "ru", "note"]) == {"not english (ru)"}
    assert expected_note in narrative.describe_readability(readability["readability"])

    # the overlap sections compare words in any language: the document is still there, in its
    # own story (a Russian report on Wagner and an English one on a dock strike are two stories,
    # issue 15), so the two are not compared with each other
    overlap = pipeline.overlap_tables(mixed)
    assert set(overlap["stories"]["doc_id"]) == {"en", "ru"}
    assert overlap["stories"]["story_id"].nunique() == 2 and overlap["overlap_pairs"].empty


def test_sources_csv_may_give_the_language(tmp_path):
    folder = write_corpus(tmp_path / "given", {"en": ENGLISH, "ru": RUSSIAN},
                          sources="doc_id,outlet,language\nen,Wire Service,EN-gb\nru,Moscow Daily,\n")
    docs = load_corpus(folder)
    assert docs.set_index("doc_id")["language"].to_dict() == {"en": "en", "ru": "ru"}


def test_a_language_that_is_not_a_code_is_refused_naming_the_file_and_row(tmp_path):
    folder = write_corpus(tmp_path / "bad", {"en": ENGLISH},
                          sources="doc_id,outlet,language\nen,Wire Service,English\n")
    with pytest.raises(CorpusError, match=r"sources\.csv: row 1: language 'English' is not an ISO 639 code"):
        load_corpus(folder)
