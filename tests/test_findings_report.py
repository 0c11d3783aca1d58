"""Findings end to end (issue 14): on the seeds, and in a report on a corpus that is not the seed story."""

from __future__ import annotations

import html
import re
import shutil

import pytest

from analysis.report.pipeline import findings_tables, open_corpus
from analysis.report.run import run_report
from analysis.tables import read_table
from conftest import ROOT, SEEDS

pytestmark = pytest.mark.slow

#: The invented corpus of tests/data/findings (see its README).
STORY = ROOT / "tests" / "data" / "findings"
#: Examples of the seed story that section prose once carried into every report.
SEED_STORY_WORDS = ("Kirby", "White House", "Pyongyang", "Bakhmut", "Wagner", "North Korea")

SEED_COPY, SEED_SOURCE = "000_ec12d95c7ce23275", "001_900507b1420ffcad"


@pytest.fixture(scope="module")
def seed_findings():
    return findings_tables(open_corpus(SEEDS))["findings"]


def test_the_first_seed_finding_is_the_reworded_copy_of_al_jazeera(seed_findings):
    first = seed_findings.iloc[0]
    assert (first["kind"], first["doc_id"], first["other_doc_id"]) == ("reworded_copy", SEED_COPY, SEED_SOURCE)
    assert first["strength"] >= 0.95
    assert first["statement"].startswith("“N. Korea disputes that…” is a reworded copy of Al Jazeera")
    assert "sentence_alignment.csv rows" in first["evidence"]


def test_every_altered_quote_between_the_copy_and_its_source_names_the_copy(seed_findings):
    between = seed_findings[(seed_findings["kind"] == "altered_quote")
                            & seed_findings["doc_id"].isin([SEED_COPY, SEED_SOURCE])
                            & seed_findings["other_doc_id"].isin([SEED_COPY, SEED_SOURCE])]
    assert len(between) >= 3
    assert (between["doc_id"] == SEED_COPY).all(), between[["doc_id", "topic"]]


@pytest.fixture(scope="module")
def story_report(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("corpus") / "harbour-bridge"
    shutil.copytree(STORY, corpus, ignore=shutil.ignore_patterns("README.md"))
    return run_report(corpus, tmp_path_factory.mktemp("reports") / "harbour-bridge").path


def page_text(page: str) -> str:
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", page[page.index("<body"):], flags=re.S | re.I)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_story_findings_are_the_copies_it_holds(story_report):
    findings = read_table(story_report / "tables" / "findings.csv").astype({"strength": float})
    first, second = findings.iloc[0], findings.iloc[1]
    # the day-dated copy is later than the wire: identical, directed by the date
    assert first[["kind", "doc_id", "other_doc_id", "strength"]].tolist() == [
        "identical", "harbour_wire_copy", "harbour_wire", 1.0]
    assert second[["kind", "doc_id", "other_doc_id"]].tolist() == ["reworded_copy", "harbour_gazette", "harbour_wire"]
    assert second["strength"] >= 0.8 and "(it was published later)" in second["statement"]
    assert not findings["doc_id"].eq("harbour_wire_copy").iloc[1:].any()  # the copy is stated once
    derivation = read_table(story_report / "tables" / "derivation.csv")
    assert set(derivation.loc[derivation["relation"] == "identical", "direction"]) == {"published"}


def test_story_report_opens_with_its_findings_and_every_link_lands(story_report):
    page = (story_report / "report.html").read_text(encoding="utf-8")
    text = page_text(page)
    assert text.index("Key findings") < text.index("Contents") < text.index("What was read")
    ids = set(re.findall(r'\bid="([^"]+)"', page))
    links = re.findall(r'href="#([^"]+)"', page)
    assert links and [link for link in links if link not in ids] == []
    findings = read_table(story_report / "tables" / "findings.csv")
    assert set(findings["anchor"]) <= ids
    key = page[page.index('id="key-findings"'):page.index('id="key-findings"') + 20000]
    assert f'href="#{findings.loc[0, "anchor"]}"' in key


def test_story_report_prose_mentions_nothing_of_the_seed_story(story_report):
    text = page_text((story_report / "report.html").read_text(encoding="utf-8"))
    assert "Anna Berg" in text  # the report does speak of this corpus
    assert [word for word in SEED_STORY_WORDS if word.lower() in text.lower()] == []
