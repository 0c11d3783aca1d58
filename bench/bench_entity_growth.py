"""Growth of the corpus-wide entity stages in the number of documents (issue 15, item 4).

Stage-level: for each corpus the bodies and titles are parsed once (NER only,
the parse cached as a spaCy ``DocBin`` under ``--scratch``), then each stage is
timed alone with ``time.process_time``:

* ``gazetteer_rows``: the corpus-name pass of
  :func:`analysis.measures.entity_mentions.extract_mentions` (building the
  gazetteer and its ruler, then matching every body and title);
* ``extract_mentions``: the whole function (including the above);
* ``canonicalize_mentions``: :func:`analysis.measures.canonical_entities.canonicalize_mentions`.

The exponent printed is the least-squares slope of log(CPU s) on log(documents).

Run: ``python -m bench.bench_entity_growth /tmp/reu/1000 /tmp/reu/5000 /tmp/reu/21578``
(any seeds-style corpus folders; Reuters folders are written by ``bench.bench_scale``).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import time
from pathlib import Path


def _parsed(corpus: Path, scratch: Path, nlp):
    """(docs, bodies, titles, ner_rows) of the English documents, the parse cached in ``scratch``."""
    from spacy.tokens import DocBin

    from analysis.corpus.cleaning import load_corpus
    from analysis.corpus.language import english_documents
    from analysis.measures.entity_mentions import document_ner_rows, ner_components

    docs = english_documents(load_corpus(corpus))
    titled = docs[docs["title"].fillna("").str.strip() != ""] if "title" in docs else docs.iloc[:0]
    key = hashlib.sha1(str(corpus.resolve()).encode()).hexdigest()[:10]
    cache = scratch / f"{corpus.name}-{key}.docbin"
    if cache.is_file():
        docbin = DocBin().from_bytes(cache.read_bytes())
        all_docs = list(docbin.get_docs(nlp.vocab))
    else:
        with nlp.select_pipes(enable=ner_components(nlp)):
            texts = docs["body"].tolist() + titled["title"].str.strip().tolist()
            all_docs = list(nlp.pipe(texts, batch_size=64))
        docbin = DocBin(store_user_data=False, docs=all_docs)
        scratch.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(docbin.to_bytes())
    bodies = dict(zip(docs["doc_id"].tolist(), all_docs[:len(docs)], strict=True))
    titles = dict(zip(titled["doc_id"].tolist(), all_docs[len(docs):], strict=True))
    ner_rows = document_ner_rows(bodies) + document_ner_rows(titles, "title")
    return docs, bodies, titles, ner_rows


def _timed(function, *args):
    start = time.process_time()
    out = function(*args)
    return out, time.process_time() - start


def _gazetteer_pass(bodies, titles, ner_rows):
    """The corpus-name part of ``extract_mentions`` alone (as it runs there)."""
    from analysis.measures import entity_mentions as em

    rows = [dict(row, kept=not row["rule"].startswith("dropped")) for row in ner_rows]
    gazetteer = em._gazetteer(rows, [doc.text for doc in bodies.values()])
    ruler = em.gazetteer_ruler(gazetteer) if gazetteer else None
    occupied: dict = {}
    for r in rows:
        if r["kept"] or r["rule"] == "dropped: not a counted label":
            occupied.setdefault((r["doc_id"], r["where"]), []).append((r["start"], r["end"]))
    added = []
    for where, docs in (("body", bodies), ("title", titles)):
        for doc_id, doc in docs.items() if ruler is not None else ():
            added.extend(em._gazetteer_rows(str(doc_id), where, doc, ruler,
                                            occupied.get((str(doc_id), where), [])))
    return len(gazetteer), len(added)


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) on log(size)."""
    xs = [math.log(n) for n in sizes]
    ys = [math.log(max(s, 1e-6)) for s in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return (sum((x - mx) * (y - my) for x, y in zip(xs, ys))
            / sum((x - mx) ** 2 for x in xs))


def main(argv=None) -> dict:
    from analysis.measures.canonical_entities import canonicalize_mentions
    from analysis.measures.entity_mentions import extract_mentions
    from analysis.text.nlp import load_pipeline

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpora", nargs="+", type=Path, help="corpus folders, smallest first")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/parallax-entity-growth"),
                        help="where the parses are cached")
    parser.add_argument("--spacy-model", default="auto")
    args = parser.parse_args(argv)

    nlp = load_pipeline(args.spacy_model)
    results = []
    for corpus in args.corpora:
        docs, bodies, titles, ner_rows = _parsed(corpus, args.scratch, nlp)
        (names, added), gaz_s = _timed(_gazetteer_pass, bodies, titles, ner_rows)
        mentions, extract_s = _timed(extract_mentions, bodies, titles, ner_rows)
        _, canon_s = _timed(canonicalize_mentions, mentions)
        row = dict(corpus=str(corpus), documents=len(docs), names=names, added=added,
                   mentions=len(mentions), gazetteer_rows_s=round(gaz_s, 2),
                   extract_mentions_s=round(extract_s, 2),
                   canonicalize_mentions_s=round(canon_s, 2))
        results.append(row)
        print(f"{corpus}: {len(docs)} documents, {names} corpus names, {added} added mentions, "
              f"{len(mentions)} mentions; CPU s: corpus-name pass {gaz_s:.2f}, "
              f"extract_mentions {extract_s:.2f}, canonicalize_mentions {canon_s:.2f}", flush=True)
    if len(results) > 1:
        sizes = [r["documents"] for r in results]
        for stage in ("gazetteer_rows_s", "extract_mentions_s", "canonicalize_mentions_s"):
            slope = exponent(sizes, [r[stage] for r in results])
            print(f"  {stage[:-2]}: CPU time ~ n^{slope:.2f}")
    return {"runs": results}


if __name__ == "__main__":
    main()
