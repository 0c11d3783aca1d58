"""Cost of the seeds report's overlap section on a warm embedding cache.

Times :func:`analysis.report.pipeline.overlap_tables` on ``seeds/nk-wagner-arms``
after one untimed call (spaCy parse, prose sentences, model weights, paraphrase
model and the embedding cache all warm), then the median of ``--repeat``
calls; the sentence alignment alone is timed the same way. Issue 12's budget:
the section may cost at most 2 s more than before its aligner (the numbers of
both are in ``docs/alignment.md``).

Run: ``python -m bench.bench_overlap_section [--repeat N]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds" / "nk-wagner-arms"


def time_section(repeat: int = 3) -> dict[str, float]:
    """Median seconds of ``overlap_tables`` and of ``align_sentences`` alone, warm."""
    from analysis.overlap import candidates
    from analysis.overlap.alignment import align_sentences
    from analysis.overlap.embeddings import encode
    from analysis.report.pipeline import open_corpus, overlap_tables

    analysis = open_corpus(SEEDS)
    overlap_tables(analysis)  # warm: parse, weights, caches
    section = []
    for _ in range(repeat):
        start = time.perf_counter()
        overlap_tables(analysis)
        section.append(time.perf_counter() - start)
    sentences = analysis.prose_sentences
    vectors = encode(sentences["text"].tolist())
    pairs = candidates.candidate_pairs(analysis.docs, seed=analysis.parameters["seed"])
    aligning = []
    for _ in range(repeat):
        start = time.perf_counter()
        align_sentences(sentences, vectors, pairs)
        aligning.append(time.perf_counter() - start)
    return {"overlap_tables": statistics.median(section), "align_sentences": statistics.median(aligning),
            "rows": float(len(align_sentences(sentences, vectors, pairs)))}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    result = time_section(args.repeat)
    print(f"seeds overlap section (warm cache, median of {args.repeat}): "
          f"overlap_tables {result['overlap_tables']:.2f} s, align_sentences {result['align_sentences']:.2f} s "
          f"({int(result['rows'])} alignment rows)")


if __name__ == "__main__":
    main()
