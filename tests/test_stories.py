"""Stories (analysis.overlap.stories) and the overlap scope (analysis.overlap.scope).

The written fixture tests/data/stories is annotated in its README: the file
name's letter is the story.
"""

from pathlib import Path

import pandas as pd
import pytest

from analysis.overlap.candidates import candidate_pairs
from analysis.overlap.scope import sentences_in_pairs, sentences_outside
from analysis.overlap.stories import (STORY_COLUMNS, find_stories, story_sizes, with_story_id,
                                      within_stories)
from analysis.report.pipeline import open_corpus

DATA = Path(__file__).parent / "data" / "stories"
SEEDS = Path(__file__).parents[1] / "seeds" / "nk-wagner-arms"


@pytest.fixture(scope="module")
def fixture_docs():
    return open_corpus(DATA).docs


def test_written_stories_are_grouped_as_annotated(fixture_docs):
    stories = find_stories(fixture_docs, candidate_pairs(fixture_docs))
    assert list(stories.columns) == STORY_COLUMNS
    assert stories["doc_id"].tolist() == fixture_docs["doc_id"].tolist()
    found = {frozenset(group) for group in stories.groupby("story_id")["doc_id"]
             .apply(frozenset)}
    annotated = {frozenset(group) for group in fixture_docs["doc_id"]
                 .groupby(fixture_docs["doc_id"].str[0]).apply(frozenset)}
    assert found == annotated
    # Numbered in corpus order of the first document; labels from the titles.
    assert stories["story_id"].drop_duplicates().tolist() == [f"S0000{k}" for k in range(1, 6)]
    labels = dict(zip(stories["doc_id"], stories["label"]))
    assert "velmora" in labels["a1_wire"].split()
    assert "orlen" in labels["b2_theft"].split()
    assert "dunmore" in labels["c1_fares"].split()


def test_a_candidate_pair_across_stories_is_not_a_link(fixture_docs):
    # The LSH could pair two stories on a stock sentence; the cosine guard keeps them apart.
    pairs = pd.DataFrame({"doc_a": ["a1_wire", "a1_wire", "b1_theft"],
                          "doc_b": ["a2_copy", "b1_theft", "c1_fares"]})
    stories = find_stories(fixture_docs, pairs)
    story = dict(zip(stories["doc_id"], stories["story_id"]))
    assert story["a1_wire"] == story["a2_copy"]
    assert story["a1_wire"] != story["b1_theft"] != story["c1_fares"]
    kept = within_stories(pairs, stories)
    assert kept[["doc_a", "doc_b"]].values.tolist() == [["a1_wire", "a2_copy"]]
    assert kept["story_id"].tolist() == [story["a1_wire"]]


def test_five_articles_about_one_story_are_one_story():
    docs = open_corpus(SEEDS).docs
    pairs = candidate_pairs(docs)
    stories = find_stories(docs, pairs)
    assert stories["story_id"].nunique() == 1
    assert len(within_stories(pairs, stories)) == len(pairs) == 10


def test_stories_are_deterministic_and_sized(fixture_docs):
    pairs = candidate_pairs(fixture_docs)
    first = find_stories(fixture_docs, pairs)
    assert first.to_csv(index=False) == find_stories(fixture_docs, pairs.iloc[::-1]).to_csv(index=False)
    assert story_sizes(first).tolist() == [4, 3, 2, 1, 1]


def test_with_story_id_puts_the_story_first(fixture_docs):
    stories = find_stories(fixture_docs, candidate_pairs(fixture_docs))
    edges = pd.DataFrame({"source": ["b1_theft"], "derived": ["b2_theft"]})
    tagged = with_story_id(edges, stories)
    assert list(tagged.columns) == ["story_id", "source", "derived"]
    assert tagged["story_id"].tolist() == ["S00002"]


def test_bad_cosine_raises(fixture_docs):
    with pytest.raises(ValueError, match="min_cosine"):
        find_stories(fixture_docs, candidate_pairs(fixture_docs), min_cosine=1.5)


def test_sentences_outside_headings_matches_the_plain_rule():
    sentences = pd.DataFrame({"doc_id": ["a", "a", "a", "b", "b"], "start": [0, 10, 30, 0, 12],
                              "end": [9, 29, 40, 11, 20], "text": list("vwxyz")})
    headings = pd.DataFrame({"doc_id": ["a", "b"], "start": [10, 0], "end": [29, 5]})
    kept = sentences_outside(sentences, headings)
    assert kept["text"].tolist() == ["v", "x", "y", "z"]
    assert sentences_outside(sentences, headings.iloc[:0])["text"].tolist() == list("vwxyz")


def test_only_sentences_of_paired_documents_are_kept():
    sentences = pd.DataFrame({"doc_id": ["a", "b", "c", "a"], "text": list("pqrs")})
    pairs = pd.DataFrame({"doc_a": ["a"], "doc_b": ["c"]})
    assert sentences_in_pairs(sentences, pairs)["text"].tolist() == ["p", "r", "s"]
