"""Sentence alignment on real article pairs: precision and recall against ``bench/alignment_real/``.

The pairs are near-duplicates from ``../shared/benchmarks`` (BBC ``duplicates.tsv`` and
Reuters-21578 ``duplicates.tsv``: rewritten passages and corrected reissues), annotated by
hand (``bench/alignment_real/README.md``). The texts are read from the benchmark folder,
never copied; a sentence whose hash no longer matches the annotation stops the run.

Scoring as ``tests/test_alignment_set.py`` (``bench/alignment_scoring.py``): a link is right
when it lands on an annotated source sentence with the annotated relation's class. The
aligner is called as the report pipeline calls it, derived text against source text.

Run: ``python -m bench.bench_alignment_real``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from bench.alignment_scoring import score_alignment
from bench.bench_mrpc import benchmarks_dir
from bench.real_pairs import sentence_hash, sentences_of

ANNOTATIONS = Path(__file__).resolve().parent / "alignment_real" / "annotations.csv"


def load_annotations(path: Path = ANNOTATIONS) -> pd.DataFrame:
    """The annotation table with ``sources`` as a tuple of ints."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table["derived_sentence"] = table["derived_sentence"].astype(int)
    table["sources"] = [tuple(int(s) for s in cell.split(";")) if cell else () for cell in table["source_sentences"]]
    return table


def check_hashes(annotations: pd.DataFrame, sentences: pd.DataFrame) -> None:
    """Stop when a sentence's text in the benchmark (as the kit segments it) is not the annotated one."""
    text_of = {(d, s): t for d, s, t in zip(sentences["doc_id"], sentences["sent"], sentences["text"])}
    for row in annotations.itertuples(index=False):
        pairs = [(row.derived, row.derived_sentence, row.derived_hash)]
        pairs += list(zip([row.source] * len(row.sources), row.sources,
                          row.source_hashes.split(";") if row.source_hashes else []))
        for doc, sent, expected in pairs:
            text = text_of.get((doc, int(sent)))
            if text is None or sentence_hash(text) != expected:
                raise SystemExit(f"{row.pair_id}: sentence {sent} of {doc} is not the annotated one "
                                 f"(hash {expected}); the benchmark text or the segmentation changed")
    for pair_id, group in annotations.groupby("pair_id"):
        derived = group["derived"].iloc[0]
        if sorted(group["derived_sentence"]) != sorted(sentences.loc[sentences["doc_id"] == derived, "sent"]):
            raise SystemExit(f"{pair_id}: the annotation does not cover every sentence of {derived}")


def run(annotations: pd.DataFrame) -> dict:
    """Align every annotated pair and score it."""
    from analysis.overlap.alignment import align_sentences
    from analysis.overlap.embeddings import encode

    references = list(dict.fromkeys(annotations["source"].tolist() + annotations["derived"].tolist()))
    sentences = sentences_of(references)
    check_hashes(annotations, sentences)
    pairs = annotations[["pair_id", "derived", "source"]].drop_duplicates()
    aligned = align_sentences(sentences, encode(sentences["text"].tolist()),
                              pairs.rename(columns={"derived": "doc_a", "source": "doc_b"}),
                              encoder=lambda texts: encode(texts))
    wanted = set(zip(pairs["derived"], pairs["source"]))
    derived_side = aligned[[(a, b) in wanted for a, b in zip(aligned["doc_a"], aligned["doc_b"])]]
    pair_of = dict(zip(zip(pairs["derived"], pairs["source"]), pairs["pair_id"]))
    derived_side = derived_side.assign(pair_id=[pair_of[(a, b)] for a, b in
                                                zip(derived_side["doc_a"], derived_side["doc_b"])])
    return score_alignment(annotations, derived_side)


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    if not (benchmarks_dir() / "bbc").is_dir() or not (benchmarks_dir() / "reuters21578").is_dir():
        raise SystemExit(f"benchmark data not found in {benchmarks_dir()}")
    annotations = load_annotations()
    result = run(annotations)
    table = result["table"]
    wrong = table[~table["right"] & (table["relation"].isin(("copy", "near_copy", "paraphrase", "partial",
                                                                     "distorted"))
                                     | table["kind"].isin(("copy", "near_copy", "paraphrase", "partial",
                                                           "distorted")))]
    print(f"{annotations['pair_id'].nunique()} real pairs, {len(annotations)} derived sentences, "
          f"{result['n_annotated']} annotated links; the aligner made {result['n_predicted']}")
    for row in wrong.itertuples(index=False):
        print(f"  wrong/missed: {row.pair_id} sentence {row.derived_sentence}: annotated {row.relation} "
              f"{row.source_sentences or '-'}, aligner {row.kind} {row.sents_b} ({row.basis})")
    print(f"alignment on real pairs: precision {result['precision']:.3f} recall {result['recall']:.3f} "
          f"(links on the right sentence regardless of relation: precision {result['link_precision']:.3f} "
          f"recall {result['link_recall']:.3f})")


if __name__ == "__main__":
    main()
