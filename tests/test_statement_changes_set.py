"""The hand-annotated statement-change set (``tests/data/changes/``) and the kit's score on it.

Each pair of texts is parsed by the kit, the annotated sentence pairs are
given to :func:`analysis.statements.changes.statement_changes` as the
alignment (so the change rules are measured, not the aligner), and its rows
are compared with the annotated changes: precision and recall over
(pair, sentence pair, change) triples, overall and per kind.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from analysis.statements.change_rules import CHANGE_KINDS

SET_DIR = Path(__file__).resolve().parent / "data" / "changes"
ANNOTATIONS = SET_DIR / "changes.csv"

#: Precision and recall the change rules must reach on the set, overall and for
#: every kind with at least :data:`PER_KIND_MIN_ROWS` annotated rows (the issue's bar).
MIN_PRECISION = 0.9
MIN_RECALL = 0.9
#: Kinds with fewer annotated rows than this are held to at most one miss and
#: one wrong row instead of the 0.9 bar: below ten rows a single miss drops a
#: kind under 0.9, so the bar would demand a perfect score there (the qualifier
#: kinds and quote_marks_added).
PER_KIND_MIN_ROWS = 10


def load_annotations() -> pd.DataFrame:
    """``changes.csv`` with ``changes`` as a tuple of kinds (empty: no change)."""
    table = pd.read_csv(ANNOTATIONS, dtype={"pair_id": str, "changes": str, "note": str},
                        keep_default_na=False)
    table["kinds"] = [tuple(c.split(";")) if c else () for c in table["changes"]]
    return table


def gold_triples(table: pd.DataFrame) -> set[tuple]:
    return {(p, a, b, k) for p, a, b, kinds in table[["pair_id", "sent_a", "sent_b", "kinds"]]
            .itertuples(index=False) for k in kinds}


def run_kit(table: pd.DataFrame, nlp, stage_numbers: bool = False) -> pd.DataFrame:
    """The kit's statement_changes on the annotated sentence pairs; with ``stage_numbers``, given
    the figures of every document of the set at once, as the per-document stage hands them on."""
    from analysis.measures.name_matching import load_aliases
    from analysis.statements.changes import statement_changes
    from analysis.statements.numbers import extract_numbers
    from analysis.text.nlp import parse_bodies
    from analysis.text.sentences import sentence_table

    pairs = sorted(table["pair_id"].unique())
    docs = pd.DataFrame([{"doc_id": f"{p}.{side}", "body": (SET_DIR / f"{p}.{side}.txt").read_text("utf-8")}
                         for p in pairs for side in ("a", "b")])
    parsed = parse_bodies(docs, nlp)
    sentences = sentence_table(parsed)
    alignment = pd.DataFrame({"doc_a": table["pair_id"] + ".a", "sent_a": table["sent_a"],
                              "doc_b": table["pair_id"] + ".b", "sent_b": table["sent_b"],
                              "kind": "paraphrase"})
    numbers = extract_numbers(docs.assign(label="outlet"), parsed) if stage_numbers else None
    return statement_changes(alignment, sentences, parsed, load_aliases(), numbers)


def found_triples(found: pd.DataFrame) -> set[tuple]:
    return {(a.removesuffix(".a"), sa, sb, k) for a, sa, sb, k in
            found[["doc_a", "sent_a", "sent_b", "change"]].itertuples(index=False)}


def scores(gold: set, found: set, kind: str | None = None) -> tuple[int, int, int]:
    """(true positives, annotated, found) for one kind or all."""
    if kind is not None:
        gold = {t for t in gold if t[3] == kind}
        found = {t for t in found if t[3] == kind}
    return len(gold & found), len(gold), len(found)


@pytest.fixture(scope="module")
def annotations() -> pd.DataFrame:
    return load_annotations()


@pytest.fixture(scope="module")
def kit_rows(annotations, nlp) -> pd.DataFrame:
    return run_kit(annotations, nlp)


def test_every_pair_has_both_texts_and_sentences_in_range(annotations, nlp):
    from analysis.text.nlp import parse_bodies
    from analysis.text.sentences import sentence_table

    for pair_id, rows in annotations.groupby("pair_id"):
        texts = {side: (SET_DIR / f"{pair_id}.{side}.txt").read_text("utf-8") for side in ("a", "b")}
        sentences = sentence_table(parse_bodies(pd.DataFrame(
            {"doc_id": list(texts), "body": list(texts.values())}), nlp))
        for side, column in (("a", "sent_a"), ("b", "sent_b")):
            paragraphs = [p for p in texts[side].split("\n\n") if p.strip()]
            n = int((sentences["doc_id"] == side).sum())
            assert n == len(paragraphs), f"{pair_id}.{side}: the kit sees {n} sentences, written {len(paragraphs)}"
            assert rows[column].between(0, n - 1).all(), f"{pair_id}: {column} out of range"


def test_annotated_kinds_are_from_the_vocabulary(annotations):
    kinds = {k for ks in annotations["kinds"] for k in ks}
    assert kinds <= set(CHANGE_KINDS), kinds - set(CHANGE_KINDS)
    assert not annotations.duplicated(["pair_id", "sent_a", "sent_b"]).any()
    assert sum(not ks for ks in annotations["kinds"]) >= 30, "the set needs pairs without a change"


def test_overall_precision_and_recall(annotations, kit_rows):
    gold, found = gold_triples(annotations), found_triples(kit_rows)
    tp, n_gold, n_found = scores(gold, found)
    missed, wrong = sorted(gold - found), sorted(found - gold)
    assert tp / n_gold >= MIN_RECALL, f"recall {tp}/{n_gold}; missed {missed}"
    assert tp / n_found >= MIN_PRECISION, f"precision {tp}/{n_found}; wrong {wrong}"


@pytest.mark.parametrize("kind", CHANGE_KINDS)
def test_precision_and_recall_per_kind(annotations, kit_rows, kind):
    gold, found = gold_triples(annotations), found_triples(kit_rows)
    tp, n_gold, n_found = scores(gold, found, kind)
    assert n_gold, f"{kind}: the set has no annotated row of this kind"
    if n_gold < PER_KIND_MIN_ROWS:  # one error is already more than a 0.9 bar allows: at most one each way
        assert n_gold - tp <= 1 and n_found - tp <= 1, f"{kind}: {tp} right of {n_gold} annotated, {n_found} found"
        return
    assert tp / n_gold >= MIN_RECALL, f"{kind} recall {tp}/{n_gold}"
    assert n_found and tp / n_found >= MIN_PRECISION, f"{kind} precision {tp}/{n_found}"


def test_pairs_without_a_change_give_no_row(annotations, kit_rows):
    unchanged = {(p, a, b) for p, a, b, ks in annotations[["pair_id", "sent_a", "sent_b", "kinds"]]
                 .itertuples(index=False) if not ks}
    flagged = Counter((p, a, b) for p, a, b, _ in found_triples(kit_rows) if (p, a, b) in unchanged)
    # false positives on faithful rewrites, measured: at most one pair in ten
    assert len(flagged) <= len(unchanged) // 10, sorted(flagged)


def test_the_stage_figures_give_the_same_changes(annotations, nlp, kit_rows):
    """The figures the per-document stage extracted for the whole corpus serve the comparison
    as well as figures extracted again for the compared documents."""
    assert (kit_rows["change"] == "changed_number").any()  # the set compares figures
    pd.testing.assert_frame_equal(run_kit(annotations, nlp, stage_numbers=True), kit_rows)
