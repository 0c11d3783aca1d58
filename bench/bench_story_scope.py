"""Number claims and conflicts within a story, against the whole corpus (issue 15, item 1).

Corpus (research copy in ../shared/benchmarks, never in the repo): ``--n``
(default 1,000) BBC News articles, the seeded sample of bench/bench_overlap.py,
written as a corpus folder in a temporary directory and opened as
``parallax analyze`` opens one (:func:`analysis.report.pipeline.open_corpus`).

Measured in one run, side by side on the same parse: the number claims and
conflicts, the date groups and the quote-variant groups computed over the
whole corpus as one story (before: ``stories=None``) and within the stories of
:func:`analysis.overlap.stories.find_stories` (after: as the pipeline runs
them). Printed per table: claims (groups), groups with a conflict, groups
whose documents belong to two stories or more, and the time.

Measured (1,000 articles, 945 stories, 11,322 numbers, 3,431 dates; ``--skip-before-dates``,
since pairing 3,431 date mentions over the whole corpus is quadratic): number claims 581 before,
543 of them with a conflict and 559 spanning two stories or more; 123 after, 15 with a conflict,
none across stories; date groups after: 136, 4 with a conflict (15 s).

Run: ``python -m bench.bench_story_scope [--n N] [--data DIR] [--skip-before-dates]``
(1,000 articles: the spaCy parse takes a few minutes).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench.bench_overlap import benchmarks_dir, load_bbc


def write_corpus(docs: pd.DataFrame, folder: Path) -> Path:
    """The sampled articles as a folder of .txt files (doc_id "topic/NNN.txt" -> "topic_NNN.txt")."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, body in zip(docs["doc_id"], docs["body"]):
        (folder / doc_id.replace("/", "_")).write_text(body + "\n", encoding="utf-8")
    return folder


def summary(name: str, groups: pd.DataFrame, story: dict, seconds: float, conflict=None) -> dict:
    """Counts of one grouped table: groups, groups with a conflict, groups spanning two stories."""
    if groups.empty:
        return {"table": name, "groups": 0, "with_conflict": 0, "across_stories": 0, "seconds": round(seconds, 1)}
    spans = groups.groupby("group_id")["doc_id"].apply(lambda d: len({story[x] for x in d}) > 1)
    conflicted = groups.groupby("group_id").apply(conflict, include_groups=False) if conflict else spans * False
    return {"table": name, "groups": int(groups["group_id"].nunique()), "with_conflict": int(conflicted.sum()),
            "across_stories": int(spans.sum()), "seconds": round(seconds, 1)}


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=benchmarks_dir())
    parser.add_argument("--skip-before-dates", action="store_true",
                        help="do not pair the date mentions over the whole corpus (quadratic in mentions)")
    args = parser.parse_args(argv)
    if not (args.data / "bbc").is_dir():
        print(f"BBC News not found under {args.data}; skipped.")
        return {}
    from analysis.report import pipeline
    from analysis.statements.date_claims import date_conflicts
    from analysis.statements.dates import extract_dates
    from analysis.statements.number_claims import number_claims, number_conflicts
    from analysis.statements.numbers import extract_numbers

    with tempfile.TemporaryDirectory() as tmp:
        analysis = pipeline.open_corpus(write_corpus(load_bbc(args.data / "bbc", args.n), Path(tmp) / "bbc"))
        start = time.perf_counter()
        stories = analysis.stories
        found = extract_numbers(analysis.english_docs, analysis.english_parsed)
        dates = extract_dates(analysis.english_docs, analysis.english_parsed)
        print(f"BBC News, {analysis.n_documents:,} articles: {stories['story_id'].nunique():,} stories; "
              f"{len(found):,} numbers, {len(dates):,} dates; stories + parse + extraction "
              f"{time.perf_counter() - start:.0f} s", flush=True)
    story = dict(zip(stories["doc_id"], stories["story_id"]))

    def number_conflict(grp):
        return (grp["kind"] != "agree").any()

    def date_conflict(grp):
        return (grp["conflict"] == "different_date").any() or (grp["conflict"] == "different_event").any()

    rows = []
    for label, scope in (("before (whole corpus)", None), ("after (within stories)", stories)):
        conflicts, seconds = timed(number_conflicts, found, scope)
        claims, claim_seconds = timed(number_claims, found, None, scope)
        row = summary("number claims", conflicts, story, seconds, number_conflict)
        rows.append({"run": label, **row, "claim_rows": len(claims),
                     "claims_status_conflict": int((claims["status"] == "conflict").sum())})
        if scope is None and args.skip_before_dates:
            continue
        by_date, seconds = timed(date_conflicts, dates, scope)
        rows.append({"run": label, **summary("date groups", by_date, story, seconds, date_conflict)})
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(index=False))
    before = table[(table["table"] == "number claims") & table["run"].str.startswith("before")].iloc[0]
    after = table[(table["table"] == "number claims") & table["run"].str.startswith("after")].iloc[0]
    line = (f"BBC {analysis.n_documents:,}: number claims {before['groups']} -> {after['groups']}, with a conflict "
            f"{before['with_conflict']} -> {after['with_conflict']}, across stories "
            f"{before['across_stories']} -> {after['across_stories']}")
    print(line)
    return {"table": table, "last_line": line}


if __name__ == "__main__":
    main()
