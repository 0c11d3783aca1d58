"""Score distributions behind the kit's similarity cutoffs, on the project's hand-annotated sets.

Each constant below is chosen from these numbers (midpoint of the gap between
positive and negative scores, or the value of highest F1), never on the seeds:

- ``RENDERING_MIN_SEMANTIC`` (unmarked_renderings): cosine of each derived
  sentence of tests/data/alignment with its best-aligned source sentence
  (what the alignment table holds); positive when that sentence is an
  annotated source of relation copy/near_copy/paraphrase/partial/distorted.
- ``MARKS_LOST_MIN_RATIO``: rapidfuzz ``partial_ratio`` of quotation and
  sentence, tests/data/unmarked/pairs.csv (marks_lost vs indirect).
- ``CONTEXT_MIN_SIMILARITY`` (quote_reference): ``token_set_ratio`` of the
  sentences around every pair of short quotes of one speaker in two documents
  of tests/data/quotes13; positive when expected.json groups them (or a
  longer quotation's renderings anchor them).
- ``PLACE_MIN_SIMILARITY`` (speaker_aliases): OSA similarity of every one-edit
  typo (deletion, insertion, substitution, swap) of a list of place names and
  demonyms to its name, against the similarity of names of different places.
- ``MIN_REUSE_CONTENT_WORDS`` (reuse): content words of the passages the kit
  finds in the derived pairs of tests/data/alignment (reuse) and of the stock
  phrases of tests/data/reuse/stock_phrases.csv (not reuse).

Reads only tests/data; needs no benchmark download.
"""

from __future__ import annotations

import itertools
import json
import string
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
RENDERING_RELATIONS = {"copy", "near_copy", "paraphrase", "partial", "distorted"}
INDEPENDENT_PAIRS = {"p07_related_independent", "p11_related_second_outlet"}
#: (place, demonym) pairs and single names; one place per tuple.
PLACES = [
    ("norway", "norwegian"), ("sweden", "swedish"), ("denmark", "danish"), ("finland", "finnish"),
    ("iceland", "icelandic"), ("germany", "german"), ("austria", "austrian"),
    ("australia", "australian"), ("slovenia", "slovenian"), ("slovakia", "slovakian", "slovak"),
    ("russia", "russian"), ("belarus", "belarusian"), ("ukraine", "ukrainian"), ("poland", "polish"),
    ("hungary", "hungarian"), ("romania", "romanian"), ("bulgaria", "bulgarian"), ("serbia", "serbian"),
    ("croatia", "croatian"), ("france", "french"), ("spain", "spanish"), ("portugal", "portuguese"),
    ("italy", "italian"), ("greece", "greek"), ("turkey", "turkish"), ("ireland", "irish"),
    ("britain", "british"), ("england", "english"), ("scotland", "scottish"), ("wales", "welsh"),
    ("netherlands", "dutch"), ("belgium", "belgian"), ("canada", "canadian"), ("mexico", "mexican"),
    ("brazil", "brazilian"), ("argentina", "argentine"), ("chile", "chilean"),
    ("colombia", "colombian"), ("china", "chinese"), ("japan", "japanese"),
    ("north korea", "north korean"), ("south korea", "south korean"), ("taiwan", "taiwanese"),
    ("india", "indian"), ("pakistan", "pakistani"), ("iran", "iranian"), ("iraq", "iraqi"),
    ("syria", "syrian"), ("israel", "israeli"), ("egypt", "egyptian"), ("libya", "libyan"),
    ("sudan", "sudanese"), ("nigeria", "nigerian"), ("niger",), ("kenya", "kenyan"),
    ("ethiopia", "ethiopian"), ("somalia", "somali"), ("mali", "malian"), ("algeria", "algerian"),
    ("morocco", "moroccan"), ("tunisia", "tunisian"), ("georgia", "georgian"),
    ("armenia", "armenian"), ("latvia", "latvian"), ("lithuania", "lithuanian"),
    ("estonia", "estonian"), ("moldova", "moldovan"), ("albania", "albanian"), ("kosovo",),
    ("montenegro",), ("macedonia",), ("america", "american"), ("mongolia", "mongolian"),
    ("vietnam", "vietnamese"), ("thailand", "thai"), ("malaysia", "malaysian"),
    ("indonesia", "indonesian"),
]


def best_f1(pos: np.ndarray, neg: np.ndarray, grid: np.ndarray) -> tuple[float, list[float]]:
    """Highest F1 of ``score >= t`` over ``grid``, and the thresholds reaching it."""
    f1 = [2 * (pos >= t).sum() / ((pos >= t).sum() + len(pos) + (neg >= t).sum()) for t in grid]
    top = max(f1)
    return top, [round(float(t), 4) for t, f in zip(grid, f1) if abs(f - top) < 1e-12]


def report(name: str, pos, neg, grid) -> str:
    pos, neg = np.asarray(pos, dtype=float), np.asarray(neg, dtype=float)
    top, at = best_f1(pos, neg, grid)
    line = (f"{name}: positives n={len(pos)} min {pos.min():.3f} median {np.median(pos):.3f}; "
            f"negatives n={len(neg)} max {neg.max():.3f} median {np.median(neg):.3f}; "
            f"best F1 {top:.3f} at {at[0]}..{at[-1]}")
    print(line)
    print("  lowest positives", np.round(np.sort(pos)[:6], 3).tolist(),
          "highest negatives", np.round(np.sort(neg)[-6:], 3).tolist())
    return line


def rendering_semantic() -> str:
    from analysis.overlap.embeddings import encode
    from analysis.text.nlp import load_pipeline, parse_bodies
    from analysis.text.sentences import sentence_table

    folder = DATA / "alignment"
    ann = pd.read_csv(folder / "alignments.csv", dtype=str, keep_default_na=False)
    ids = sorted(ann["pair_id"].unique())
    docs = pd.DataFrame([{"doc_id": f"{p}.{s}", "body": (folder / f"{p}.{s}.txt").read_text(encoding="utf-8")}
                         for p in ids for s in ("source", "derived")])
    sents = sentence_table(parse_bodies(docs, load_pipeline()))
    vec = encode(sents["text"].tolist(), cache_dir=False)
    vec = vec / np.linalg.norm(vec, axis=1, keepdims=True)
    pos, neg = [], []
    for p in ids:
        a = sents.index[sents["doc_id"] == f"{p}.derived"]
        b = sents.index[sents["doc_id"] == f"{p}.source"]
        cos = vec[a] @ vec[b].T
        for r in ann[ann["pair_id"] == p].itertuples():
            i = int(r.derived_sentence)
            j = int(np.argmax(cos[i]))
            sources = {int(x) for x in r.source_sentences.split(";") if x}
            (pos if j in sources and r.relation in RENDERING_RELATIONS else neg).append(cos[i, j])
    return report("RENDERING_MIN_SEMANTIC", pos, neg, np.round(np.arange(0.30, 0.95, 0.01), 2))


def marks_lost_ratio() -> str:
    from rapidfuzz import fuzz

    t = pd.read_csv(DATA / "unmarked" / "pairs.csv")
    score = np.array([fuzz.partial_ratio(q.lower(), s.lower()) for q, s in zip(t["quotation"], t["sentence"])])
    lost = (t["rendering"] == "marks_lost").to_numpy()
    return report("MARKS_LOST_MIN_RATIO", score[lost], score[~lost], np.arange(50, 101, 1))


def context_similarity() -> str:
    from rapidfuzz import fuzz

    import analysis.statements.quote_variants as qv
    from analysis.report.pipeline import open_corpus, quotes_tables
    from analysis.statements.speakers import speakers_agree

    folder = DATA / "quotes13"
    seen = []
    original = qv.short_quote_links

    def context(body: str, row) -> str:
        sentence = body[int(row.sentence_start):int(row.sentence_end)]
        a, b = int(row.start) - int(row.sentence_start), int(row.end) - int(row.sentence_start)
        return sentence[:max(a, 0)] + " " + sentence[max(b, 0):]

    def spy(quotes, bodies, short, anchors):
        col = "canonical_speaker" if "canonical_speaker" in quotes.columns else "speaker"
        for i, j in itertools.combinations(short, 2):
            if quotes.at[i, "doc_id"] == quotes.at[j, "doc_id"] or not speakers_agree(
                    str(quotes.at[i, col]), str(quotes.at[j, col])):
                continue
            ci, cj = (context(bodies[str(quotes.at[k, "doc_id"])], quotes.loc[k]) for k in (i, j))
            anchored = bool(anchors.get(i, set()) & anchors.get(j, set()))
            seen.append((quotes.at[i, "text"], quotes.at[j, "text"],
                         fuzz.token_set_ratio(ci.lower(), cj.lower()), anchored))
        return original(quotes, bodies, short, anchors)

    qv.short_quote_links = spy
    try:
        quotes_tables(open_corpus(folder))
    finally:
        qv.short_quote_links = original
    groups = [set(c["texts"]) for c in json.loads((folder / "expected.json").read_text())["variants"]]
    pos, neg = [], []
    for a, b, score, anchored in seen:
        same = anchored or any({a, b} <= g for g in groups)
        print(f"  {score:5.1f} {'same' if same else 'other'} statement: {a!r} / {b!r}")
        (pos if same else neg).append(score)
    return report("CONTEXT_MIN_SIMILARITY", pos, neg, np.arange(50, 101, 1))


def place_similarity() -> str:
    from rapidfuzz.distance import OSA

    place = {name: names[0] for names in PLACES for name in names}
    words = sorted(w for w in place if len(w) >= 5)
    neg = [OSA.normalized_similarity(a, b) for a, b in itertools.combinations(words, 2) if place[a] != place[b]]
    pos = []
    for w in words:
        typos = set()
        for i in range(len(w)):
            typos.add(w[:i] + w[i + 1:])
            for c in string.ascii_lowercase:
                typos |= {w[:i] + c + w[i + 1:], w[:i] + c + w[i:]}
            if i + 1 < len(w):
                typos.add(w[:i] + w[i + 1] + w[i] + w[i + 2:])
        pos += [OSA.normalized_similarity(t, w) for t in typos - {w} - set(place) if len(t) >= 5]
    return report("PLACE_MIN_SIMILARITY", pos, neg, np.round(np.arange(0.70, 0.96, 0.01), 2))


def reuse_content_words() -> str:
    from analysis.overlap.passages import shared_passages
    from analysis.overlap.reuse import content_word_count

    folder = DATA / "alignment"
    ann = pd.read_csv(folder / "alignments.csv", dtype=str, keep_default_na=False)
    pos, neg = [], []
    for p in sorted(ann["pair_id"].unique()):
        docs = pd.DataFrame([{"doc_id": s, "body": (folder / f"{p}.{s}.txt").read_text(encoding="utf-8")}
                             for s in ("source", "derived")])
        for r in shared_passages(docs, min_words=6).itertuples():
            count = min(content_word_count(str(r.text_a)), content_word_count(str(r.text_b)))
            (neg if p in INDEPENDENT_PAIRS else pos).append(count)
    stock = pd.read_csv(DATA / "reuse" / "stock_phrases.csv")
    neg += [content_word_count(p) for p in stock["phrase"]]
    return report("MIN_REUSE_CONTENT_WORDS", pos, neg, np.arange(1, 12))


def main(argv: list[str]) -> dict:
    lines = [rendering_semantic(), marks_lost_ratio(), context_similarity(), place_similarity(),
             reuse_content_words()]
    return {"last_line": "\n".join(lines)}


if __name__ == "__main__":
    main([])
