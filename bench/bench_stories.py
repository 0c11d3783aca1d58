"""Stories and the wire-formula discount on Reuters-21578 (issue 15, items 1 and 2).

Corpus (research copy in ../shared/benchmarks, never in the repo): the
Reuters-21578 stories with a body (19,043; title + body, parsed with the
standard library as in bench/bench_overlap.py), or the first ``--n`` of them.

Measured in one run, side by side:

- baseline: datasketch's plain loop (one ``MinHash`` per story updated shingle
  by shingle, ``MinHashLSH`` insert and query; word 3-grams, 128 permutations,
  threshold 0.1): time and recall of the known duplicates (``duplicates.tsv``);
- before: the kit's lexical path without stories or discount (candidates on
  every shingle, passages, pair relations, derivation edges);
- after: the kit's path as ``parallax analyze`` runs it (common shingle forms,
  candidates on the rest, stories, pairs within a story, passages seeded by
  rare shingles, relations, edges).

Printed for before and after: candidate pairs, candidate + passage stage time
(and its ratio to the baseline), duplicate pairs found with a passage, derivation
edges, and edges whose pair is not in ``duplicates.tsv`` (all, and wholly
derived). Then the stories (count, largest), whether every duplicate pair is
in one story, and a deterministic sample (``--sample``, seed ``--seed``) of
the after edges not in ``duplicates.tsv`` with the first words of each title and
of the longest shared passage, for reading; the judgement is recorded in
bench/reuters_edge_sample.md (no article text beyond a few words). Also, on
BBC News (all 2,225 articles): stories, largest story, duplicate pairs in one story.

Run: ``python -m bench.bench_stories [--n N] [--data DIR]`` (full Reuters: a few minutes);
``--growth 1000 5000`` times the kit's path on two sizes and prints its growth exponent.
"""

from __future__ import annotations

import argparse
import math
import random
import time

import pandas as pd
from datasketch import MinHash, MinHashLSH

from analysis.overlap.candidates import candidate_pairs
from analysis.overlap.containment import overlap_pairs
from analysis.overlap.derivation import derivation_edges
from analysis.overlap.passages import shared_passages
from analysis.overlap.shingle_frequency import common_forms, rare_shingle_sets
from analysis.overlap.wire_templates import formula_index
from analysis.overlap.stories import find_stories, pair_cosines, story_sizes, story_vectors, within_stories
from analysis.text.words import normalise_word, words
from bench.bench_overlap import benchmarks_dir, known_duplicates, load_bbc, load_reuters


def plain_minhash(docs: pd.DataFrame) -> tuple[float, set[frozenset]]:
    """datasketch's documented loop: MinHash per document, LSH insert, LSH query."""
    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=0.1, num_perm=128)
    hashes = []
    for k, body in enumerate(docs["body"]):
        normal = [normalise_word(w) for w in words(body)]
        minhash = MinHash(num_perm=128, seed=1)
        for i in range(len(normal) - 2):
            minhash.update(" ".join(normal[i:i + 3]).encode("utf-8"))
        hashes.append(minhash)
        if len(normal) >= 3:
            lsh.insert(k, minhash)
    ids = docs["doc_id"].tolist()
    found = {frozenset((ids[k], ids[j])) for k, h in enumerate(hashes) if k in lsh
             for j in lsh.query(h) if j != k}
    return time.perf_counter() - t0, found


def lexical_path(docs: pd.DataFrame, discount: bool) -> dict:
    """Candidates -> (stories) -> passages -> relations -> edges; stage times."""
    t0 = time.perf_counter()
    stories = None
    if discount:
        common = common_forms(docs)
        pairs = candidate_pairs(docs, shingle_sets=rare_shingle_sets(docs, common))
        stories = find_stories(docs, pairs)
        pairs = within_stories(pairs, stories)
        passages = shared_passages(docs, pairs, anchors=formula_index(docs, common))
    else:
        pairs = candidate_pairs(docs)
        passages = shared_passages(docs, pairs)
    stage_seconds = time.perf_counter() - t0
    summary = overlap_pairs(docs, passages, pairs=pairs)
    edges = derivation_edges(summary, docs, passages)
    return {"pairs": pairs, "passages": passages, "edges": edges, "stories": stories,
            "stage_seconds": stage_seconds, "total_seconds": time.perf_counter() - t0}


def in_half(doc_a: str, doc_b: str, half: str) -> bool:
    """Whether a pair belongs to a half of Reuters: ``even`` or ``odd`` by the parity of its lower NEWID."""
    return half == "all" or min(int(doc_a), int(doc_b)) % 2 == (half == "odd")


def report(name: str, result: dict, duplicates: set[frozenset], baseline_seconds: float,
           exact: set[frozenset] = frozenset()) -> pd.DataFrame:
    passages, edges = result["passages"], result["edges"]
    found = {frozenset(p) for p in zip(passages["doc_a"], passages["doc_b"])}
    halves = ", ".join(f"{half} half {sum(in_half(*sorted(p), half) for p in duplicates & found)}/"
                       f"{sum(in_half(*sorted(p), half) for p in duplicates)}" for half in ("even", "odd"))
    print(f"  duplicates with a passage: exact copies {len(exact & found)}/{len(exact)}, near (5-gram "
          f"Jaccard >= 0.8) {len((duplicates - exact) & found)}/{len(duplicates - exact)}; {halves}")
    extra = edges[[frozenset(p) not in duplicates for p in zip(edges["source"], edges["derived"])]]
    print(f"{name}: candidates {len(result['pairs']):,}; candidate+passage stages "
          f"{result['stage_seconds']:.1f} s (x{result['stage_seconds'] / baseline_seconds:.2f} the plain "
          f"MinHash loop), with relations and edges {result['total_seconds']:.1f} s; duplicates with a "
          f"passage {len(duplicates & found)}/{len(duplicates)} ({len(duplicates & found) / max(len(duplicates), 1):.1%}); "
          f"derivation edges {len(edges):,}, not in duplicates.tsv {len(extra):,} "
          f"({int((extra['relation'] == 'wholly_derived').sum()):,} wholly derived)", flush=True)
    return extra


def first_words(text: str, n: int) -> str:
    return " ".join(text.split()[:n])


def print_sample(docs: pd.DataFrame, result: dict, extra: pd.DataFrame, size: int, seed: int,
                 half: str = "all") -> None:
    """The sample to read (edges of one half): story, ids, relation, title words, first words of the longest passage."""
    extra = extra[[in_half(a, b, half) for a, b in zip(extra["source"], extra["derived"])]]
    print(f"\nedges not in duplicates.tsv in the {half} half: {len(extra):,}")
    titles = {d: first_words(b.split("\n\n")[0], 8) for d, b in zip(docs["doc_id"], docs["body"])}
    vectors, order = story_vectors(docs), {d: k for k, d in enumerate(docs["doc_id"])}
    story = dict(zip(result["stories"]["doc_id"], result["stories"]["story_id"]))
    passages = result["passages"]
    rows = sorted(random.Random(seed).sample(range(len(extra)), min(size, len(extra))))
    print(f"\nsample of {len(rows)} edges not in duplicates.tsv (seed {seed}):")
    for k, row in enumerate(extra.iloc[rows].itertuples(index=False), 1):
        pair = passages[((passages["doc_a"] == row.source) & (passages["doc_b"] == row.derived))
                        | ((passages["doc_a"] == row.derived) & (passages["doc_b"] == row.source))]
        longest = pair.loc[pair["n_words"].idxmax()] if len(pair) else None
        shared = f"{first_words(longest['text_a'], 10)} ({longest['n_words']} w)" if longest is not None else "-"
        cosine = pair_cosines(vectors, [order[row.source]], [order[row.derived]])[0]
        print(f"{k:2d} {story[row.source]} {row.source}->{row.derived} {row.relation} "
              f"c={row.containment_derived:.2f} cos={cosine:.2f} | {titles[row.source]} | {titles[row.derived]} "
              f"|| {len(pair)} passages; longest: {shared}")


def growth(root, n_small: int, n_large: int) -> dict:
    """Time exponent of the kit's path from n_small to n_large stories (1 = linear)."""
    times = {}
    for n in (n_small, n_large):
        docs = load_reuters(root, n)
        result = lexical_path(docs, discount=True)
        times[len(docs)] = (result["stage_seconds"], result["total_seconds"], len(result["pairs"]))
        print(f"{len(docs):,} stories: candidates {len(result['pairs']):,}, candidate+passage stages "
              f"{result['stage_seconds']:.1f} s, with relations and edges {result['total_seconds']:.1f} s",
              flush=True)
    (n0, a), (n1, b) = sorted(times.items())
    exponents = {name: math.log(b[k] / a[k]) / math.log(n1 / n0)
                 for k, name in enumerate(("stages", "total", "pairs"))}
    print("growth exponents in n: " + ", ".join(f"{k} n^{v:.2f}" for k, v in exponents.items()))
    return exponents


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=__import__("pathlib").Path, default=benchmarks_dir())
    parser.add_argument("--n", type=int, default=30000, help="first N Reuters stories with a body")
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--half", choices=("even", "odd", "all"), default="odd",
                        help="sample edges of this half (lower NEWID's parity); thresholds were chosen on the even half")
    parser.add_argument("--no-before", action="store_true", help="skip the path without discount")
    parser.add_argument("--growth", type=int, nargs=2, metavar=("N1", "N2"),
                        help="only time the kit's path (after) on the first N1 and N2 stories and "
                             "print the growth exponent of each stage")
    args = parser.parse_args(argv)
    if not (args.data / "reuters21578").is_dir():
        raise SystemExit(f"benchmarks not found at {args.data} (pass --data DIR)")
    if args.growth:
        return growth(args.data / "reuters21578", *args.growth)
    docs = load_reuters(args.data / "reuters21578", args.n)
    duplicates = known_duplicates(args.data / "reuters21578" / "duplicates.tsv", set(docs["doc_id"]))
    listed = pd.read_csv(args.data / "reuters21578" / "duplicates.tsv", sep="\t", dtype=str)
    exact = {frozenset(p) for kind, *p in zip(listed["kind"], listed["newid_a"], listed["newid_b"])
             if kind.startswith("exact")} & duplicates
    baseline_seconds, baseline_found = plain_minhash(docs)
    print(f"Reuters-21578, {len(docs):,} stories: plain datasketch MinHash loop {baseline_seconds:.1f} s, "
          f"duplicates among its pairs {len(duplicates & baseline_found)}/{len(duplicates)}", flush=True)
    result = {"docs": len(docs), "baseline_seconds": baseline_seconds}
    if not args.no_before:
        before = lexical_path(docs, discount=False)
        extra_before = report("before (no discount, no stories)", before, duplicates, baseline_seconds, exact)
        result.update(before_edges=len(before["edges"]), before_extra=len(extra_before),
                      before_stage_seconds=before["stage_seconds"])
    after = lexical_path(docs, discount=True)
    extra = report("after (formula discount, template lines, stories)", after, duplicates, baseline_seconds, exact)
    sizes = story_sizes(after["stories"])
    story = dict(zip(after["stories"]["doc_id"], after["stories"]["story_id"]))
    together = sum(story[a] == story[b] for a, b in map(sorted, duplicates))
    print(f"stories: {len(sizes):,} ({int((sizes > 1).sum()):,} with more than one story), largest "
          f"{sizes.head(5).tolist()}; duplicate pairs in one story {together}/{len(duplicates)}")
    result.update(after_edges=len(after["edges"]), after_extra=len(extra),
                  after_stage_seconds=after["stage_seconds"], stories=len(sizes))
    print_sample(docs, after, extra, args.sample, args.seed, args.half)
    if (args.data / "bbc").is_dir():
        bbc = load_bbc(args.data / "bbc", 3000)
        bbc_pairs = candidate_pairs(bbc, shingle_sets=rare_shingle_sets(bbc, common_forms(bbc)))
        bbc_stories = find_stories(bbc, bbc_pairs)
        bbc_sizes = story_sizes(bbc_stories)
        bbc_dups = known_duplicates(args.data / "bbc" / "duplicates.tsv", set(bbc["doc_id"]))
        bbc_story = dict(zip(bbc_stories["doc_id"], bbc_stories["story_id"]))
        print(f"\nBBC News, {len(bbc):,} articles: {len(bbc_sizes):,} stories, largest "
              f"{bbc_sizes.head(5).tolist()} (topic folders hold 386-511), duplicate pairs in one story "
              f"{sum(bbc_story[a] == bbc_story[b] for a, b in map(sorted, bbc_dups))}/{len(bbc_dups)}")
    return result


if __name__ == "__main__":
    main()
