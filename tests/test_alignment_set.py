"""The hand-annotated sentence-alignment set of issue 12 (``tests/data/alignment/``).

Two kinds of test: the set is well formed (files exist, every derived
sentence annotated once, indices in range of the kit's own segmentation,
relations from the issue's vocabulary), and the kit's aligner
(:func:`analysis.overlap.alignment.align_sentences`, called as the report
pipeline calls it) does not fall below the recall it reaches today.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

SET_DIR = Path(__file__).resolve().parent / "data" / "alignment"
ANNOTATIONS = SET_DIR / "alignments.csv"

#: The relation vocabulary of issue 12, one across the kit.
RELATIONS = ("copy", "near_copy", "paraphrase", "partial", "distorted", "related", "none")
#: Relations that are a faithful one-to-one link when the row names exactly one
#: source sentence: the links the current aligner is built to find.
ONE_TO_ONE_RELATIONS = ("copy", "near_copy", "paraphrase")

#: Recall of the annotated one-to-one copy/near_copy/paraphrase links reached by
#: the aligner at commit 6ab9abf (measured on this set: 24 of 26 links, 0.923).
#: A regression floor, not a target: issue 12 must beat it.
BASELINE_ONE_TO_ONE_RECALL = 24 / 26
#: Share of the derived sentences the aligner links (kind copy, near_copy or
#: paraphrase) whose link is an annotated one-to-one copy/near_copy/paraphrase
#: link, at commit 6ab9abf: 24 of 28 (0.857). The 4 others land on the right
#: source sentence but are a split half or distortions (see the test).
BASELINE_LINK_PRECISION = 24 / 28


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
    assert 8 <= len(ids) <= 12, ids
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


def one_to_one_links(table: pd.DataFrame) -> pd.DataFrame:
    """Annotated links with a single source sentence and a copy/near_copy/paraphrase relation."""
    chosen = table[table["relation"].isin(ONE_TO_ONE_RELATIONS) & table["sources"].map(len).eq(1)]
    return chosen.assign(source_sentence=chosen["sources"].map(lambda s: s[0]))


@pytest.fixture(scope="module")
def aligned(set_sentences) -> pd.DataFrame:
    """The current aligner's output on the set, derived side (:func:`current_alignment`)."""
    return current_alignment(set_sentences)


def current_alignment(set_sentences: pd.DataFrame) -> pd.DataFrame:
    """``align_sentences`` of each derived text against its source, as the report pipeline calls it."""
    from analysis.overlap.alignment import align_sentences
    from analysis.overlap.embeddings import encode

    ids = pair_ids()
    vectors = encode(set_sentences["text"].tolist(), cache_dir=False)
    pairs = pd.DataFrame({"doc_a": [f"{p}.derived" for p in ids], "doc_b": [f"{p}.source" for p in ids]})
    alignment = align_sentences(set_sentences, vectors, pairs)
    derived_side = alignment[alignment["doc_a"].str.endswith(".derived")]
    return derived_side.assign(pair_id=derived_side["doc_a"].str.rsplit(".", n=1).str[0])


def test_aligner_recall_of_one_to_one_links_stays_at_baseline(aligned):
    """Regression floor for issue 12: recall of one-to-one links.

    Baseline measured at commit 6ab9abf (all-MiniLM-L6-v2, numpy backend):
    24 of the 26 annotated one-to-one copy/near_copy/paraphrase links are
    found, 0.923 (copy 13/13, near_copy 4/4, paraphrase 7/9). Both misses
    pair the right sentence but the classifier says ``none``: the spun
    p02_synonym_spin sentence 1 (semantic 0.75, probability 0.38) and the
    reworded, clause-reordered p09_compilation sentence 0 (semantic 0.58,
    probability 0.11). A link counts as found when the aligner pairs the
    derived sentence with the annotated source sentence and its kind is not
    ``none``.
    """
    links = one_to_one_links(load_annotations())
    merged = links.merge(aligned, left_on=["pair_id", "derived_sentence"], right_on=["pair_id", "sent_a"],
                         how="left", validate="one_to_one")
    found = merged["sent_b"].eq(merged["source_sentence"]) & merged["kind"].ne("none")
    recall = found.mean()
    missed = merged.loc[~found, ["pair_id", "derived_sentence", "relation", "kind", "sent_b"]]
    assert recall >= BASELINE_ONE_TO_ONE_RECALL - 1e-9, f"recall {recall:.3f}; missed:\n{missed}"


def test_aligner_link_precision_stays_at_baseline(aligned):
    """Regression floor for issue 12: precision of the links the aligner makes.

    Baseline at commit 6ab9abf: the aligner links 28 derived sentences
    (kind copy, near_copy or paraphrase); 24 are annotated one-to-one
    copy/near_copy/paraphrase links, 0.857. The 4 others all land on the
    annotated source sentence but are not faithful one-to-one links: the
    first half of the split p03_split sentence 0 (near_copy), and three
    distortions the kind misses: a changed attribution (p06_distorted 2,
    near_copy), swapped roles (p06_distorted 3, paraphrase) and a claim
    turned into a confirmation by its subject (p09_compilation 3,
    paraphrase). Changed numbers (p06 0, p10 0) are caught already.
    """
    table = load_annotations()
    merged = table.merge(aligned, left_on=["pair_id", "derived_sentence"], right_on=["pair_id", "sent_a"],
                         how="left", validate="one_to_one")
    linked = merged[merged["kind"].isin(ONE_TO_ONE_RELATIONS)]
    assert len(linked) > 0
    faithful = (linked["relation"].isin(ONE_TO_ONE_RELATIONS)
                & linked["sources"].map(tuple).eq(linked["sent_b"].map(lambda sent: (int(sent),))))
    precision = faithful.mean()
    wrong = linked.loc[~faithful, ["pair_id", "derived_sentence", "relation", "kind", "sent_b"]]
    assert precision >= BASELINE_LINK_PRECISION - 1e-9, f"precision {precision:.3f}; wrong links:\n{wrong}"
