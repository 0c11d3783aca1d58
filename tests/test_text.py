"""The text layer: words, paragraphs, sentences, quotation marks, lemmas, stop words."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.text.lemmas import is_stop_word, lemma, lemmas, stop_words
from analysis.text.paragraphs import paragraph_spans
from analysis.text.quotation_marks import QUOTATION_COLUMNS, quotations, quoted_spans
from analysis.text.sentences import count_sentences, sentence_spans, sentence_table
from analysis.text.words import count_words, has_words, normalise_word, word_spans, words
from analysis.text.nlp import parse_bodies
from conftest import make_docs

DATA = Path(__file__).parent / "data"
QUOTE_CASES = json.loads((DATA / "overlap" / "quotes.json").read_text(encoding="utf-8"))["cases"]


# --------------------------------------------------------------------------- words

@pytest.mark.parametrize("sample, expected", [
    ("Kim Jong-un's envoy", ["Kim", "Jong-un's", "envoy"]),
    ("Korea’s mercenaries’ pay", ["Korea’s", "mercenaries", "pay"]),
    ("$4,000 or 3.5% in 2023, 2024", ["4,000", "or", "3.5", "in", "2023", "2024"]),
    ("the U.S. and e.g. bbc.co.uk", ["the", "U.S", "and", "e.g", "bbc.co.uk"]),
    ("said the weapons.Kirby added", ["said", "the", "weapons", "Kirby", "added"]),
    ("rock 'n' roll — the '90s", ["rock", "n", "roll", "the", "90s"]),
    ("non\u2011breaking hyphen", ["non\u2011breaking", "hyphen"]),
    ("Kirby’s پیَر  KCNA", ["Kirby’s", "پیَر", "KCNA"]),
    ("पेड़ों की छाया", ["पेड़ों", "की", "छाया"]),      # Devanagari vowel signs stay inside
    ("می\u200cخواهم", ["می\u200cخواهم"]),              # ZWNJ joins a Persian word
    ("", []),
    (" — … !", []),
])
def test_words_and_offsets(sample, expected):
    table = word_spans(sample)
    assert table["word"].tolist() == expected == words(sample)
    assert [sample[s:e] for s, e in zip(table["start"], table["end"])] == expected
    assert count_words(sample) == len(expected)
    assert has_words(sample) == bool(expected)
    assert list(table.columns) == ["start", "end", "word"]
    assert str(table["start"].dtype) == str(table["end"].dtype) == "int64"


def test_normalise_word_folds_case_and_apostrophes():
    assert normalise_word("Korea’s") == normalise_word("KOREA'S") == "korea's"
    assert normalise_word("Straße") == normalise_word("STRASSE") == "strasse"
    assert normalise_word("ﬁne") == "fine"                     # NFKC ligature
    assert normalise_word("non\u2011stop") == "non-stop"


@pytest.mark.parametrize("function", [word_spans, words, count_words,
                                      paragraph_spans, quoted_spans, quotations])
def test_non_text_is_refused(function):
    with pytest.raises(ValueError, match="expects a str"):
        function(None)


# --------------------------------------------------------------------------- paragraphs

@pytest.mark.parametrize("sample, expected", [
    ("One.\n\nTwo.", ["One.", "Two."]),
    ("One.\nstill one.\n\n\n\nTwo.", ["One.\nstill one.", "Two."]),
    ("  One. \n \t \n Two.\r\n\r\nThree.", ["One.", "Two.", "Three."]),
    ("\n\n", []),
    ("", []),
])
def test_paragraph_spans(sample, expected):
    spans = paragraph_spans(sample)
    assert [sample[s:e] for s, e in spans] == expected


# --------------------------------------------------------------------------- sentences

def sentences(nlp, body):
    doc = parse_bodies(make_docs({"d": body}), nlp)["d"]
    spans = sentence_spans(doc)
    assert count_sentences(doc) == len(spans)
    table = sentence_table({"d": doc})
    assert table["text"].tolist() == [body[s:e] for s, e in spans]
    assert table["sent"].tolist() == list(range(len(spans)))
    return [body[s:e] for s, e in spans]


def test_abbreviations_do_not_end_sentences(nlp):
    assert sentences(nlp, "Mr. Smith met Dr. Jones in the U.S. on Dec. 21. They talked.") == [
        "Mr. Smith met Dr. Jones in the U.S. on Dec. 21.", "They talked."]


def test_quotation_with_attribution_is_one_sentence(nlp):
    assert sentences(nlp, "\u201cThe DPRK remains unchanged,\u201d the spokesperson said, according to KCNA. "
                          "\u201cIt never happened.\u201d") == [
        "\u201cThe DPRK remains unchanged,\u201d the spokesperson said, according to KCNA.",
        "\u201cIt never happened.\u201d"]


def test_paragraph_break_always_ends_a_sentence(nlp):
    assert sentences(nlp, "Desperation on the part of Russia\n\nClaims are rising. Officials agree.") == [
        "Desperation on the part of Russia", "Claims are rising.", "Officials agree."]


def test_empty_body_has_no_sentences(nlp):
    assert sentences(nlp, "") == []


@pytest.mark.parametrize("row", pd.read_csv(DATA / "readability" / "sentences.csv").to_dict("records"),
                         ids=lambda r: r["reason"])
def test_sentence_count_hand_counted(nlp, row):
    assert count_sentences(nlp(row["text"])) == row["sentences"]


# --------------------------------------------------------------------------- quotations

@pytest.mark.parametrize("case", QUOTE_CASES, ids=[c["name"] for c in QUOTE_CASES])
def test_quoted_spans_match_hand_checked_quotations(case):
    spans = quoted_spans(case["text"])
    assert [case["text"][start:end] for start, end in spans] == case["quoted"]
    assert spans == sorted(spans)
    assert all(end <= next_start for (_, end), (next_start, _) in zip(spans, spans[1:]))


#: Every mark style and every look-alike, checked by reading.
MARK_CASES = [
    ("straight double", 'He said "we are ready" and left.', ["we are ready"]),
    ("curly double", "He said “we are ready” and left.", ["we are ready"]),
    ("straight single", "He said 'we are ready' and left.", ["we are ready"]),
    ("curly single", "He said ‘we are ready’ and left.", ["we are ready"]),
    ("German low-high", "Er sagte: „Das ist eine absurde Lüge.“ Dann ging er.",
     ["Das ist eine absurde Lüge."]),
    ("German single inside double", "Er sagte: „Das ist ‚gut‘ so.“ Dann ging er.",
     ["Das ist ‚gut‘ so."]),
    ("French guillemets with spaces", "Il a dit « c’est fini » hier.", ["c’est fini"]),
    ("single guillemets with spaces", "Il a dit ‹ bof › hier.", ["bof"]),
    ("guillemets without spaces", "Er nannte es »Unsinn« und ging.", ["Unsinn"]),
    ("doubled singles (ASCII)", "He said ``we are ready'' and left.", ["we are ready"]),
    ("doubled singles (Urdu)", "انہوں نے کہا کہ ’’ہم تیار ہیں‘‘ اور", ["ہم تیار ہیں"]),
    ("corner brackets", "他说「我们准备好了」。『书』", ["我们准备好了", "书"]),
    ("apostrophes", "It's Korea’s call, don't you think? The mercenaries’ pay rose.", []),
    ("inch mark", 'Fans bought a 27" television for the lounge.', []),
    ("inch mark inside a quotation", '"He bought a 27" TV," she said.', ['He bought a 27" TV,']),
    ("feet and minutes", "He is 5' tall and ran for 10' today.", []),
    ("feet and inches", 'He is 5\'10" tall.', []),
    ("elided century", "It was a '90s model, a ’80s tune.", []),
    ("elision", "Rock 'n' roll and rock ’n’ roll.", []),
    ("possessive inside single quotes", "He said ‘the soldiers’ morale is low’ today.",
     ["the soldiers’ morale is low"]),
    ("nested same glyph", "“a “b” c” done", ["a “b” c"]),
    ("nested single in double", "\"The issue of 'arms' never arose,\" he said.",
     ["The issue of 'arms' never arose,"]),
    ("unclosed double runs to the end of its paragraph", "He said “we will win.\n\nNext paragraph.",
     ["we will win."]),
    ("unclosed single is an apostrophe", "Give ’em the keys.\n\nNext.", []),
    ("interrupted quotation: two pieces", "“This is,” she said, “the worst deal.”",
     ["This is,", "the worst deal."]),
    # paragraphs run together: "reopen, do not close" now inside one paragraph; the
    # quotations after it keep their sides (before: every later mark read inside out)
    ("reopened quotation, paragraphs run together",
     'She said: "It is over. "We go home." Later "a deal" came.',
     ["It is over.", "We go home.", "a deal"]),
    ("reopened after a question, curly", "He asked: “Why now? “Why us?” and left. “Fine,” she said.",
     ["Why now?", "Why us?", "Fine,"]),
    ("a new quotation after a closed one is not a reopening", '"We won." "We lost," he said.',
     ["We won.", "We lost,"]),
    # a quotation not reopened at its next paragraph: the closing mark there, with nothing
    # open, closes it (before: it opened a quotation of the words after it, "he said.")
    ("quotation running on into an unmarked paragraph", '"The port will close.\n\nShips will wait," he said.',
     ["The port will close.", "Ships will wait,"]),
    ("running on through two paragraphs, curly",
     "“The port will close.\n\nShips will wait.\n\nNobody knows,” he said. “Fine.”",
     ["The port will close.", "Ships will wait.", "Nobody knows,", "Fine."]),
    ("an unclosed quotation and a later paragraph with a new one",
     "“We will win.\n\nThe crowd cheered.\n\n“A new one.”", ["We will win.", "A new one."]),
]


@pytest.mark.parametrize("name, sample, expected", MARK_CASES, ids=[c[0] for c in MARK_CASES])
def test_every_mark_style(name, sample, expected):
    assert [sample[s:e] for s, e in quoted_spans(sample)] == expected


def test_multi_paragraph_quotation_is_one_quotation_in_pieces():
    sample = ("“First paragraph of the statement.\n\n“Second paragraph.\n\n"
              "“Last one,” he said. “Another.”\n\n“A new quotation.”")
    table = quotations(sample)
    assert list(table.columns) == QUOTATION_COLUMNS
    assert table["quotation"].tolist() == [0, 0, 0, 1, 2]
    assert table["paragraph"].tolist() == [0, 1, 2, 2, 3]
    assert table["closed"].tolist() == [False, False, True, True, True]
    assert [sample[s:e] for s, e in zip(table["start"], table["end"])] == [
        "First paragraph of the statement.", "Second paragraph.", "Last one,", "Another.",
        "A new quotation."]
    assert all(sample[o] == "“" for o in table["open_at"])
    assert all(sample[c] == "”" for c in table.loc[table["closed"], "close_at"])


def test_quotation_reopened_inside_a_run_together_paragraph_is_one_quotation():
    sample = 'Oaten said: "This has the signs. "The Tories should lead." Then "margins" came.'
    table = quotations(sample)
    assert table["quotation"].tolist() == [0, 0, 1]
    assert table["closed"].tolist() == [False, True, True]


def test_quotation_running_on_without_reopening_is_one_quotation():
    table = quotations("“The port will close.\n\nShips will wait.\n\nNobody knows,” he said.\n\n“New.”")
    assert table["quotation"].tolist() == [0, 0, 0, 1]
    assert table["closed"].tolist() == [False, False, True, True]


def test_unclosed_quotation_not_reopened_is_its_own():
    table = quotations("He said “we will win.\n\nThe crowd cheered.")
    assert table["quotation"].tolist() == [0] and not table["closed"].any()


# --------------------------------------------------------------------------- lemmas, stop words

def test_lemmas_from_spacy(nlp):
    doc = nlp("Pyongyang received $100m and receives more; the mercenaries said it was paid.")
    forms = dict(zip((t.text for t in doc), lemmas(doc)))
    assert forms["received"] == forms["receives"] == "receive"
    assert forms["mercenaries"] == "mercenary"
    assert forms["said"] == "say" and forms["paid"] == "pay"


def test_lemma_without_lemmatizer_is_an_error():
    import spacy

    from analysis.resources import ResourceError

    with pytest.raises(ResourceError, match="no lemmatizer"):
        lemma(spacy.blank("en")("received")[0])


def test_stop_words_are_spacys_english_list():
    from spacy.lang.en.stop_words import STOP_WORDS

    assert stop_words() == frozenset(STOP_WORDS)
    assert is_stop_word("The") and is_stop_word("isn’t") is ("isn't" in STOP_WORDS)
    assert not is_stop_word("Wagner")
