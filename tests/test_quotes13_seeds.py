"""Issue 13 read against the seed corpus: partial quotations, one speaker, the spun copy named.

What a fact-checker reading the five seed articles finds (issue 13): the
partial quotations and their speakers, the North Korean foreign ministry as
one speaker under its many names, and 000 (a spun copy of Al Jazeera's 001)
as the outlet whose wording of Woodward's and Cleverly's words departs.
"""

import pytest

from analysis.report.pipeline import open_corpus, quotes_tables
from conftest import SEEDS

SPUN = "000_ec12d95c7ce23275"


@pytest.fixture(scope="module")
def seeds():
    return quotes_tables(open_corpus(SEEDS))


def _rows(quotes, text):
    return quotes[quotes["text"].str.lower().str.startswith(text)]


@pytest.mark.parametrize("text, speaker", [
    ("gossip and speculation", "Yevgeny Prigozhin"),
    ("gossip and rumour", "Yevgeny Prigozhin"),
    ("can confirm", "John Kirby"),
    ("desperation and isolation", "James Cleverly"),
])
def test_partial_quotations_of_people(seeds, text, speaker):
    rows = _rows(seeds["quotes"], text)
    assert len(rows) >= 1
    assert set(rows["kind"]) == {"quote"} and set(rows["rendering"]) == {"partial"}
    assert set(rows["speaker"]) == {speaker}


def test_foreign_ministry_is_one_speaker(seeds):
    quotes = seeds["quotes"]
    ministry = set()
    for text in ("most absurd red herring", "never been", "bringing bloodshed and destruction", "false",
                 "fake", "groundless", "most stupid red herring", "the dprk remains unchanged",
                 "causing death and ruin", "the japanese media's false report"):
        rows = _rows(quotes, text)
        rows = rows[rows["kind"] == "quote"]
        assert len(rows) >= 1, text
        ministry |= set(rows["canonical_speaker"])
    assert len(ministry) == 1, ministry
    aliases = seeds["speaker_aliases"]
    merged = aliases[aliases["canonical_speaker"] == ministry.pop()]
    assert len(merged) >= 7 and merged["reason"].str.len().gt(0).all()
    assert "Norther Korean official" in set(merged["speaker"])


@pytest.mark.parametrize("start", ["Russia has", "We will"])
def test_spun_copy_is_named_not_its_source(seeds, start):
    variants = seeds["quote_variants"]
    rows = variants[variants["text"].str.startswith(start)]
    assert rows["group_id"].nunique() == 1 and len(rows) == 2
    assert rows.loc[rows["differs"], "doc_id"].tolist() == [SPUN]
    assert set(rows["reference_basis"]) == {"derivation source"}


@pytest.mark.parametrize("words", [("false", "fake", "groundless"), ("significant", "substantial")])
def test_one_word_quotes_of_one_statement_are_compared(seeds, words):
    variants = seeds["quote_variants"]
    rows = variants[variants["text"].str.rstrip(".,").isin(words)]
    assert rows["group_id"].nunique() == 1 and set(rows["text"].str.rstrip(".,")) == set(words)
    assert rows["differs"].sum() == len(words) - 1


@pytest.mark.parametrize("start, doc, rendering", [
    ("We can confirm", SPUN, "marks_lost"),                    # 000 dropped Kirby's marks
    # ... and Cleverly's, but also spun the words ("turning to" -> "looking to"): partial_ratio 85,
    # inside the 65.7-94.7 that reported speech scores on tests/data/unmarked, so the data-chosen
    # MARKS_LOST_MIN_RATIO (97) reads it as indirect. A known miss, kept visible (strict: it fails
    # the day it passes): telling spun direct speech from reported speech needs a person/tense-shift
    # check, not another cutoff.
    pytest.param("The fact that President Putin", SPUN, "marks_lost",
                 marks=pytest.mark.xfail(strict=True, reason="spun words without marks read as indirect speech")),
    ("We can confirm", "004_5c7526d44fab62b2", "indirect"),    # Mothership: reported speech
])
def test_renderings_without_marks(seeds, start, doc, rendering):
    renderings = seeds["quote_renderings"]
    rows = renderings[renderings["text"].str.startswith(start) & (renderings["rendering_doc_id"] == doc)]
    assert len(rows) == 1 and rows["rendering"].iloc[0] == rendering
