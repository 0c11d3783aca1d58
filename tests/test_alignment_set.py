"""The hand-annotated sentence-alignment set of issue 12 (``tests/data/alignment/``).

Two kinds of test: the set is well formed (files exist, every derived
sentence annotated once, indices in range of the kit's own segmentation,
relations from the issue's vocabulary), and the kit's aligner
(:func:`analysis.overlap.alignment.align_sentences`, called as the report
pipeline calls it) reaches issue 12's precision and recall on it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

SET_DIR = Path(__file__).resolve().parent / "data" / "alignment"
ANNOTATIONS = SET_DIR / "alignments.csv"

#: The relation vocabulary of issue 12, one across the kit.
RELATIONS = ("copy", "near_copy", "paraphrase", "partial", "distorted", "related", "none")
#: Precision and recall the aligner must reach on this set (issue 12's bar).
#: Definitions in ``bench/alignment_scoring.py``: a link is right when it lands
#: on an annotated source sentence with the annotated relation's class
#: (faithful, partial or distorted).
REQUIRED_PRECISION = 0.9
REQUIRED_RECALL = 0.9


def load_annotations() -> pd.DataFrame:
    """``alignments.csv`` with ``source_sentences`` as a tuple of ints (empty: no source)."""
    table = pd.read_csv(ANNOTATIONS, dtype={"pair_id": str, "source_sentences": str, "relation": str,
                                           "note": str}, keep_default_na=False)
    table["sources"] = [tuple(int(s) for s in cell.split(";")) if cell else ()
                        for cell in table["source_sentences"]]
    return table


def pair_ids() -> list[str]:
    return sorted(load_annotations()["pair_id"].unique())


def read_text(pair_id: str, side: str) -> str:
    return (SET_DIR / f"{pair_id}.{side}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def set_sentences(nlp) -> pd.DataFrame:
    """The kit's sentences of every text of the set; doc_id ``<pair_id>.<side>``."""
    from analysis.text.nlp import parse_bodies
    from analysis.text.sentences import sentence_table

    docs = pd.DataFrame([{"doc_id": f"{pair_id}.{side}", "body": read_text(pair_id, side)}
                         for pair_id in pair_ids() for side in ("source", "derived")])
    return sentence_table(parse_bodies(docs, nlp))


def test_every_pair_has_both_texts():
    ids = pair_ids()
    assert 8 <= len(ids) <= 16, ids
    for pair_id in ids:
        for side in ("source", "derived"):
            assert (SET_DIR / f"{pair_id}.{side}.txt").is_file(), f"{pair_id}.{side}.txt missing"


def test_relations_are_from_the_vocabulary_and_sources_match_them():
    table = load_annotations()
    assert set(table["relation"]) <= set(RELATIONS), set(table["relation"]) - set(RELATIONS)
    no_source = table["sources"].map(len).eq(0)
    assert (no_source == table["relation"].eq("none")).all(), "exactly the 'none' rows have no source"


def test_kit_segments_each_text_as_written(set_sentences):
    """One sentence per paragraph in the files; the kit must see the same sentences."""
    for doc_id, group in set_sentences.groupby("doc_id"):
        pair_id, side = doc_id.rsplit(".", 1)
        written = [p.strip() for p in read_text(pair_id, side).split("\n\n") if p.strip()]
        assert group.sort_values("sent")["text"].tolist() == written, doc_id


def test_every_derived_sentence_annotated_once_with_sources_in_range(set_sentences):
    table = load_annotations()
    counts = set_sentences.groupby("doc_id")["sent"].count()
    for pair_id, rows in table.groupby("pair_id"):
        n_derived, n_source = counts[f"{pair_id}.derived"], counts[f"{pair_id}.source"]
        assert sorted(rows["derived_sentence"]) == list(range(n_derived)), pair_id
        for sources in rows["sources"]:
            assert all(0 <= s < n_source for s in sources), (pair_id, sources)


@pytest.fixture(scope="module")
def aligned(set_sentences) -> pd.DataFrame:
    """The aligner's output on the set, derived side (:func:`current_alignment`)."""
    return current_alignment(set_sentences)


def current_alignment(set_sentences: pd.DataFrame) -> pd.DataFrame:
    """``align_sentences`` of each derived text against its source, as the report pipeline calls it."""
    from analysis.overlap.alignment import align_sentences
    from analysis.overlap.embeddings import encode

    ids = pair_ids()
    vectors = encode(set_sentences["text"].tolist(), cache_dir=False)
    pairs = pd.DataFrame({"doc_a": [f"{p}.derived" for p in ids], "doc_b": [f"{p}.source" for p in ids]})
    alignment = align_sentences(set_sentences, vectors, pairs, encoder=lambda texts: encode(texts, cache_dir=False))
    derived_side = alignment[alignment["doc_a"].str.endswith(".derived")]
    return derived_side.assign(pair_id=derived_side["doc_a"].str.rsplit(".", n=1).str[0])


@pytest.fixture(scope="module")
def scores(aligned) -> dict:
    from bench.alignment_scoring import score_alignment

    return score_alignment(load_annotations(), aligned)


def _wrong(scores: dict) -> pd.DataFrame:
    table = scores["table"]
    shown = table[(table["relation"].isin(("copy", "near_copy", "paraphrase", "partial", "distorted"))
                   | table["kind"].isin(("copy", "near_copy", "paraphrase", "partial", "distorted")))
                  & ~table["right"]]
    return shown[["pair_id", "derived_sentence", "source_sentences", "relation", "kind", "sents_b", "basis"]]


def test_aligner_recall_on_the_set(scores):
    """Issue 12: recall of the annotated links (copy, near_copy, paraphrase, partial, distorted) >= 0.9.

    Measured at the commit that set the bar: 53 of 53 (1.0). The floor
    before issue 12's aligner was 24 of 26 one-to-one links and nothing
    else (no merge, clause, partial or distortion). p12 and p13 were written
    and annotated before the aligner was run on them; its first result there
    was 13 of 16 (three clauses of one long sentence missed), the clause rules
    were then extended (see ``analysis/overlap/clauses.py``).
    """
    assert scores["n_annotated"] >= 50
    assert scores["recall"] >= REQUIRED_RECALL, f"recall {scores['recall']:.3f}; wrong:\n{_wrong(scores)}"


def test_aligner_precision_on_the_set(scores):
    """Issue 12: share of the aligner's links that are right >= 0.9 (related and none rows must stay unlinked)."""
    assert scores["n_predicted"] > 0
    assert scores["precision"] >= REQUIRED_PRECISION, \
        f"precision {scores['precision']:.3f}; wrong:\n{_wrong(scores)}"


def test_links_carry_the_merged_and_clause_sources(aligned):
    """A merge names both sentences; a clause names its span; both keep the kit's columns."""
    merged = aligned[(aligned["pair_id"] == "p04_merge") & (aligned["sent_a"] == 0)].iloc[0]
    assert merged["sents_b"] == "0;1" and merged["unit_b"] == "merge" and merged["sent_b"] == 0
    clause = aligned[(aligned["pair_id"] == "p05_partial_clause") & (aligned["sent_a"] == 1)].iloc[0]
    assert clause["unit_b"] == "clause" and clause["kind"] == "partial"
    start, end = (int(x) for x in clause["span_b"].split(":"))
    source = read_text("p05_partial_clause", "source").split("\n\n")[0]
    assert source[start:end] == clause["text_b"]
