"""Entity stage speed: the kit's NER-only, batched, two-process path vs a plain ``nlp.pipe`` loop.

Corpus: BBC News (2,225 articles, research use) from ``shared/benchmarks/bbc``.
Run: ``python -m bench.bench_entities [--limit N]``.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import pandas as pd


def _benchmarks_dir() -> Path:
    repo = Path(__file__).resolve().parents[1]
    override = os.environ.get("PARALLAX_BENCHMARKS")
    for candidate in ([Path(override)] if override else []) + [
            Path(__file__).resolve().parents[2] / "shared" / "benchmarks",
            repo / ".." / "shared" / "benchmarks"]:
        if candidate.is_dir():
            return candidate.resolve()
    raise SystemExit("benchmark data not found: expected ../shared/benchmarks beside the repo "
                     "(or set PARALLAX_BENCHMARKS)")


def load_bbc(limit: int | None = None) -> pd.DataFrame:
    """BBC articles as a corpus table (title = first line, body = paragraphs joined by a blank line)."""
    rows = []
    for path in sorted((_benchmarks_dir() / "bbc").glob("*/*.txt")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        title, _, rest = text.partition("\n")
        paragraphs = [p.strip() for p in rest.split("\n") if p.strip()]
        doc_id = f"{path.parent.name}_{path.stem}"
        rows.append(dict(doc_id=doc_id, label=doc_id, outlet="BBC", title=title.strip(),
                         body="\n\n".join(paragraphs)))
    docs = pd.DataFrame(rows)
    return docs.head(limit) if limit else docs


def main(argv=None) -> dict:
    from analysis.measures.canonical_entities import canonicalize_mentions
    from analysis.measures.entities import entity_table
    from analysis.measures.entity_mentions import entity_mentions_from_texts
    from analysis.text.nlp import load_pipeline

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=None, help="use only the first N articles")
    parser.add_argument("--n-process", type=int, default=2)
    args = parser.parse_args(argv)

    docs = load_bbc(args.limit)
    nlp = load_pipeline()
    texts = docs["body"].tolist()

    start = time.perf_counter()
    baseline = [doc.ents for doc in nlp.pipe(texts)]
    plain_s = time.perf_counter() - start

    start = time.perf_counter()
    mentions = entity_mentions_from_texts(docs, nlp, n_process=args.n_process, batch_size=64)
    ner_s = time.perf_counter() - start
    start = time.perf_counter()
    canonical, aliases = canonicalize_mentions(mentions)
    entities = entity_table(canonical, docs)
    canon_s = time.perf_counter() - start
    kit_s = ner_s + canon_s

    result = {"articles": len(docs), "plain_pipe_s": round(plain_s, 2),
              "kit_ner_s": round(ner_s, 2), "kit_canonical_s": round(canon_s, 2),
              "kit_total_s": round(kit_s, 2), "speedup_vs_plain": round(plain_s / kit_s, 2),
              "plain_ents": sum(len(e) for e in baseline), "kit_mentions": int(mentions["kept"].sum()),
              "entities_rows": len(entities), "alias_rows": len(aliases)}
    print(f"BBC entities, {result['articles']} articles (bodies and titles for the kit)")
    print(f"  plain [doc.ents for doc in nlp.pipe(texts)]: {plain_s:7.1f} s")
    print(f"  kit NER-only parse, n_process={args.n_process}:     {ner_s:7.1f} s")
    print(f"  kit canonical names + tables:           {canon_s:7.1f} s")
    print(f"  kit total {kit_s:.1f} s -> {result['speedup_vs_plain']:.2f}x the plain loop's speed")
    print(f"  {result['kit_mentions']} kept mentions, {result['entities_rows']} (doc, entity) rows, "
          f"{result['alias_rows']} alias rows")
    return result


if __name__ == "__main__":
    main()
