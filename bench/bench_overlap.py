"""Overlap at scale: MinHash LSH candidates + exact passages on 1,000 and 10,000 stories.

Corpora (research copies in ../shared/benchmarks, never in the repo):
BBC News (1,000 of its 2,225 articles, seeded sample) and Reuters-21578
(the first 1,000 and 10,000 stories with a body, parsed from the SGML files with
the standard library). Both contain known exact and near duplicates
(``duplicates.tsv``, word 5-gram Jaccard >= 0.8); the bench checks how many of
those inside the sample the candidate stage and the passage stage find.

Printed per corpus: candidate-stage time, candidate pairs vs all pairs,
passage-stage time on the candidates, the all-pairs passage time extrapolated
from the measured per-pair cost (the plain baseline), duplicate recall. Then the
growth exponent of the candidate stage from 1,000 to 10,000 Reuters stories
(2 = quadratic) and the seeds' overlap time (budget: 5 s).

Run: ``python -m bench.bench_overlap [--data DIR]`` (a few minutes).
"""

from __future__ import annotations

import argparse
import html
import math
import random
import re
import time
from pathlib import Path

import pandas as pd

from analysis.overlap.candidates import candidate_pairs
from analysis.overlap.containment import overlap_pairs
from analysis.overlap.derivation import derivation_edges
from analysis.overlap.passages import shared_passages


def benchmarks_dir() -> Path:
    """../shared/benchmarks beside the repository (CI layout), else relative to cwd."""
    beside = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
    return beside if beside.is_dir() else Path("../shared/benchmarks")


def _clean(text: str) -> str:
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def load_bbc(root: Path, n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` BBC articles (seeded sample), doc_id = "topic/NNN.txt"."""
    files = sorted(root.glob("*/*.txt"))
    sample = sorted(random.Random(seed).sample(files, min(n, len(files))))
    rows = []
    for path in sample:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        rows.append({"doc_id": f"{path.parent.name}/{path.name}", "body": _clean(text)})
    return pd.DataFrame(rows)


_STORY = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)
_TITLE = re.compile(r"<TITLE>(.*?)</TITLE>", re.S)
_BODY = re.compile(r"<BODY>(.*?)</BODY>", re.S)


def load_reuters(root: Path, n: int) -> pd.DataFrame:
    """The first ``n`` Reuters-21578 stories with a body (title + body), doc_id = NEWID."""
    rows = []
    for path in sorted(root.glob("reut2-*.sgm")):
        for newid, story in _STORY.findall(path.read_bytes().decode("latin-1")):
            body = _BODY.search(story)
            if body is None:
                continue
            title = _TITLE.search(story)
            text = html.unescape((title.group(1) if title else "") + "\n\n" + body.group(1))
            text = re.sub(r"[\x00-\x08\x0b-\x1f]", " ", text)
            text = re.sub(r"\s*Reuter\s*$", "", text.strip())
            rows.append({"doc_id": newid, "body": _clean(text)})
            if len(rows) == n:
                return pd.DataFrame(rows)
    return pd.DataFrame(rows)


def known_duplicates(path: Path, ids: set[str]) -> set[frozenset]:
    table = pd.read_csv(path, sep="\t", dtype=str)
    pairs = {frozenset(p) for p in zip(table.iloc[:, 2], table.iloc[:, 3])}
    return {p for p in pairs if p <= ids and len(p) == 2}


def run_corpus(name: str, docs: pd.DataFrame, duplicates: set[frozenset]) -> dict:
    n = len(docs)
    t0 = time.perf_counter()
    candidates = candidate_pairs(docs)
    t_candidates = time.perf_counter() - t0
    t0 = time.perf_counter()
    passages = shared_passages(docs, candidates)
    t_passages = time.perf_counter() - t0
    all_pairs = n * (n - 1) // 2
    per_pair = t_passages / max(len(candidates), 1)
    found_candidates = {frozenset(p) for p in zip(candidates["doc_a"], candidates["doc_b"])}
    found_passages = {frozenset(p) for p in zip(passages["doc_a"], passages["doc_b"])}
    recall_candidates = len(duplicates & found_candidates) / max(len(duplicates), 1)
    recall_passages = len(duplicates & found_passages) / max(len(duplicates), 1)
    print(f"{name}: {n} docs; candidates {t_candidates:.1f} s, {len(candidates):,} of "
          f"{all_pairs:,} pairs ({len(candidates) / all_pairs:.3%}); passages on candidates "
          f"{t_passages:.1f} s ({len(passages):,} passages) vs all pairs ~{per_pair * all_pairs:.0f} s "
          f"extrapolated (x{per_pair * all_pairs / max(t_candidates + t_passages, 1e-9):.0f} slower); "
          f"known duplicates in sample {len(duplicates)}: found as candidates "
          f"{recall_candidates:.1%}, with a passage {recall_passages:.1%}")
    return {"docs": n, "candidate_seconds": t_candidates, "candidates": len(candidates),
            "all_pairs": all_pairs, "passage_seconds": t_passages, "passages": len(passages),
            "all_pairs_passage_seconds_extrapolated": per_pair * all_pairs,
            "duplicates": len(duplicates), "duplicate_recall_candidates": recall_candidates,
            "duplicate_recall_passages": recall_passages}


def load_seeds(folder: Path) -> pd.DataFrame:
    """Seed corpus bodies (first line = title, rest = body), for timing only."""
    rows = []
    for path in sorted(folder.glob("*.txt")):
        _, _, rest = path.read_text(encoding="utf-8").partition("\n")
        rows.append({"doc_id": path.stem, "body": _clean(rest.replace("\n", "\n\n"))})
    return pd.DataFrame(rows)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=benchmarks_dir())
    parser.add_argument("--seeds", type=Path,
                        default=Path(__file__).resolve().parents[1] / "seeds" / "nk-wagner-arms")
    args = parser.parse_args(argv)
    if not (args.data / "bbc").is_dir():
        raise SystemExit(f"benchmarks not found at {args.data} (pass --data DIR)")
    result = {}
    bbc = load_bbc(args.data / "bbc", 1000)
    result["bbc_1000"] = run_corpus("BBC", bbc, known_duplicates(
        args.data / "bbc" / "duplicates.tsv", set(bbc["doc_id"])))
    for n in (1000, 10000):
        reuters = load_reuters(args.data / "reuters21578", n)
        result[f"reuters_{n}"] = run_corpus("Reuters-21578", reuters, known_duplicates(
            args.data / "reuters21578" / "duplicates.tsv", set(reuters["doc_id"])))
    small, large = result["reuters_1000"], result["reuters_10000"]
    ratio = large["docs"] / small["docs"]
    for key in ("candidate_seconds", "candidates"):
        exponent = math.log(large[key] / small[key]) / math.log(ratio)
        result[f"growth_exponent_{key}"] = exponent
        print(f"growth of {key} from {small['docs']} to {large['docs']} docs: "
              f"x{large[key] / small[key]:.1f} (n^{exponent:.2f}; all pairs grow as n^2)")
    if args.seeds.is_dir():
        seeds = load_seeds(args.seeds)
        t0 = time.perf_counter()
        passages = shared_passages(seeds, candidate_pairs(seeds))
        pairs = overlap_pairs(seeds, passages)
        derivation_edges(pairs, seeds, passages)
        result["seeds_seconds"] = time.perf_counter() - t0
        print(f"seeds ({len(seeds)} docs): candidates + passages + pairs + edges "
              f"{result['seeds_seconds']:.2f} s (budget 5 s)")
    return result


if __name__ == "__main__":
    main()
