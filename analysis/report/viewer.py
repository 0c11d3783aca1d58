"""The reuse viewer: each derived pair's two full texts side by side, reuse marked in both.

For every pair of :func:`analysis.overlap.derivation.derivation_edges` (source
on the left, derived text on the right) the viewer shows both cleaned bodies in
full, paragraph by paragraph:

- passages shared word for word or nearly that count as reuse
  (:func:`analysis.overlap.reuse.mark_reuse`) are highlighted (``<mark>``) in both texts;
- every sentence carries an id (``<pair id>-a<sent>`` on the left,
  ``<pair id>-b<sent>`` on the right, ``sent`` as in ``sentence_alignment.csv``),
  and a sentence made from one of the other text (copy, near copy,
  paraphrase, partial, distorted) links to it;
- in a reworded sentence (:data:`REWORDED_KINDS`) the words that differ from the aligned
  sentence are marked (``<del>`` in the source, ``<ins>`` in the derived text;
  :func:`analysis.overlap.reuse.word_diff`);
- two documents with the same words in the same order are stated once as
  identical, and the text shown once.

Each pair is anchored by :func:`analysis.overlap.reuse.pair_id`. The markup
comes from ``reuse_viewer.html.j2`` (autoescaped, no scripts); its CSS sets
prose left-aligned explicitly, as JupyterLab right-aligns table cells.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.corpus.cleaning import document_labels
from analysis.overlap.alignment import DERIVED_KINDS
from analysis.overlap.reuse import identical_texts, pair_id, word_diff
from analysis.report.render import RichHTML, render_fragment
from analysis.text.paragraphs import paragraph_spans
from analysis.text.words import count_words

#: Pairs the viewer shows, strongest first (the order of ``derivation.csv``); the
#: rest are named. Set by hand: 30 pairs of two full news articles keep
#: report.html under about 3 MB.
VIEWER_MAX_PAIRS = 30
#: Pairs past :data:`VIEWER_MAX_PAIRS` the viewer names (the others are counted;
#: derivation.csv lists them all), so the appendix stays bounded at any corpus size.
VIEWER_NAMED_MAX = 20
#: Sentence kinds whose differing words are marked (a copy differs by nothing).
REWORDED_KINDS = ("near_copy", "paraphrase", "partial", "distorted")
#: Sentence kinds that link to their aligned sentence: every kind that says the
#: sentence was made from the other text (not ``related`` or ``none``).
ALIGNED_KINDS = DERIVED_KINDS


def derived_pairs(derivation: pd.DataFrame) -> list[tuple[str, str]]:
    """``(source, derived)`` of every edge of the derivation table, in its order."""
    return list(zip(derivation["source"].astype(str), derivation["derived"].astype(str)))


def _marks(length: int, spans) -> np.ndarray:
    covered = np.zeros(length, dtype=bool)
    for start, end in spans:
        covered[int(start):int(end)] = True
    return covered


def _changed_marks(body: str, sentences: pd.DataFrame, aligned: pd.DataFrame) -> np.ndarray:
    """Characters of ``body`` in words that differ from the aligned sentence, in reworded sentences."""
    changed = np.zeros(len(body), dtype=bool)
    starts = dict(zip(sentences["sent"], sentences["start"]))
    reworded = aligned[aligned["kind"].isin(REWORDED_KINDS)]
    for sent_a, text_a, text_b in zip(reworded["sent_a"].tolist(), reworded["text_a"].tolist(),
                                      reworded["text_b"].tolist()):
        if sent_a not in starts:
            continue
        cursor = int(starts[sent_a])
        for kind, text in word_diff(str(text_a), str(text_b))[0]:
            if kind != "same":
                changed[cursor:cursor + len(text)] = True
            cursor += len(text)
    return changed


def _runs(body: str, start: int, end: int, shared: np.ndarray, changed: np.ndarray) -> list[tuple[str, bool, bool]]:
    """``body[start:end]`` cut where the shared or changed marks change: ``(text, shared, changed)``."""
    if end <= start:
        return []
    part_shared, part_changed = shared[start:end], changed[start:end]
    turns = np.flatnonzero((part_shared[1:] != part_shared[:-1]) | (part_changed[1:] != part_changed[:-1])) + 1
    cuts = [start, *(start + turns).tolist(), end]
    return [(body[a:b], bool(shared[a]), bool(changed[a])) for a, b in zip(cuts, cuts[1:])]


def document_view(body: str, sentences: pd.DataFrame, passage_spans, aligned: pd.DataFrame,
                  id_prefix: str, link_prefix: str) -> list[list[dict]]:
    """One text of a pair as paragraphs of pieces, for the template.

    Parameters
    ----------
    body : str
        The cleaned body.
    sentences : pandas.DataFrame
        Its sentences (``sent``, ``start``, ``end``; :func:`analysis.text.sentences.sentence_table`).
    passage_spans : iterable of (int, int)
        Character spans of the reuse passages in this body.
    aligned : pandas.DataFrame
        Its rows of ``sentence_alignment.csv`` towards the other text (``sent_a``,
        ``text_a``, ``sent_b``, ``text_b``, ``kind``).
    id_prefix, link_prefix : str
        Sentence ids here are ``<id_prefix><sent>``; links point to ``#<link_prefix><sent_b>``.

    Returns
    -------
    list of list of dict
        Per paragraph, its pieces in order: ``id`` (a sentence's id, or None
        for text between sentences), ``href`` (link to the aligned sentence or
        None), ``kind`` (alignment kind or ``""``) and ``runs`` (``(text,
        shared, changed)``).
    """
    shared = _marks(len(body), passage_spans)
    changed = _changed_marks(body, sentences, aligned)
    rows = zip(aligned["sent_a"].tolist(), aligned["kind"].tolist(), aligned["sent_b"].tolist())
    links = {int(sent_a): (str(kind), int(sent_b)) for sent_a, kind, sent_b in rows if kind in ALIGNED_KINDS}
    ordered = sentences.sort_values("start", kind="stable")
    spans = list(zip(ordered["sent"].tolist(), ordered["start"].tolist(), ordered["end"].tolist()))
    paragraphs = []
    for p_start, p_end in paragraph_spans(body):
        pieces, cursor = [], p_start
        for sent, start, end in [span for span in spans if span[1] >= p_start and span[2] <= p_end]:
            if start > cursor:
                pieces.append({"id": None, "href": None, "kind": "", "runs": _runs(body, cursor, start, shared, changed)})
            kind, target = links.get(int(sent), ("", None))
            pieces.append({"id": f"{id_prefix}{int(sent)}", "href": None if target is None else f"#{link_prefix}{target}",
                           "kind": kind, "runs": _runs(body, int(start), int(end), shared, changed)})
            cursor = int(end)
        if p_end > cursor:
            pieces.append({"id": None, "href": None, "kind": "", "runs": _runs(body, cursor, p_end, shared, changed)})
        paragraphs.append(pieces)
    return paragraphs


def _pair_passages(passages: pd.DataFrame, left: str, right: str) -> tuple[list, list]:
    """Character spans of the reuse passages of a pair, in the left and in the right body."""
    reuse = passages[passages["reuse"]] if "reuse" in passages.columns else passages
    reuse = reuse[reuse["doc_a"].isin((left, right)) & reuse["doc_b"].isin((left, right))]
    spans_left, spans_right = [], []
    for row in reuse.itertuples(index=False):
        if (row.doc_a, row.doc_b) == (left, right):
            spans_left.append((row.start_a, row.end_a))
            spans_right.append((row.start_b, row.end_b))
        elif (row.doc_a, row.doc_b) == (right, left):
            spans_left.append((row.start_b, row.end_b))
            spans_right.append((row.start_a, row.end_a))
    return spans_left, spans_right


def pair_view(docs: pd.DataFrame, sentences: pd.DataFrame, passages: pd.DataFrame, alignment: pd.DataFrame,
              source: str, derived: str, relation: str = "") -> dict:
    """Everything the template shows of one pair (see :func:`reuse_viewer`)."""
    labels = document_labels(docs)
    bodies = dict(zip(docs["doc_id"].astype(str), docs["body"].astype(str)))
    view = {"id": pair_id(source, derived), "left": labels[source], "right": labels[derived],
            "relation": relation.replace("_", " "), "identical": identical_texts(bodies[source], bodies[derived]),
            "words": count_words(bodies[derived])}
    spans_left, spans_right = _pair_passages(passages, source, derived)
    view["passages"] = len(spans_left)
    sides = {}
    for side, doc_id, other, spans in (("a", source, derived, spans_left), ("b", derived, source, spans_right)):
        own_sentences = sentences[sentences["doc_id"] == doc_id]
        aligned = alignment[(alignment["doc_a"] == doc_id) & (alignment["doc_b"] == other)]
        other_side = "b" if side == "a" else "a"
        sides[side] = document_view(bodies[doc_id], own_sentences, spans, aligned,
                                    f"{view['id']}-{side}", f"{view['id']}-{other_side}")
        view[f"aligned_{side}"] = int(aligned["kind"].isin(ALIGNED_KINDS).sum())
    if view["identical"]:  # shown once, without links to the copy that is not shown
        sides["a"] = document_view(bodies[source], sentences[sentences["doc_id"] == source], [],
                                   alignment.iloc[:0], f"{view['id']}-a", f"{view['id']}-b")
        sides["b"] = []
    view["paragraphs_a"], view["paragraphs_b"] = sides["a"], sides["b"]
    return view


def reuse_viewer(result: dict[str, pd.DataFrame], docs: pd.DataFrame, sentences: pd.DataFrame,
                 max_pairs: int = VIEWER_MAX_PAIRS) -> RichHTML:
    """The reuse viewer of every derived pair (the report's appendix).

    Parameters
    ----------
    result : dict of str to pandas.DataFrame
        :func:`analysis.report.pipeline.overlap_tables` output (``derivation``,
        ``passages`` with the :func:`analysis.overlap.reuse.mark_reuse` columns,
        ``sentence_alignment``); empty when the section was skipped.
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``, ``body``).
    sentences : pandas.DataFrame
        :func:`analysis.text.sentences.sentence_table` of the corpus (``doc_id``,
        ``sent``, ``start``, ``end``).
    max_pairs : int
        Pairs shown in full; the others are named.

    Returns
    -------
    RichHTML
        One ``<section class="pxr-pair" id="reuse-...">`` per pair shown; a
        paragraph when there is no derived pair.
    """
    if not result or result["derivation"].empty:
        return RichHTML(render_fragment("reuse_viewer.html.j2", pairs=[], left_out=[], left_out_total=0),
                        "No derived pairs: nothing to show side by side.")
    edges = result["derivation"]
    relations = edges["relation"].astype(str).tolist() if "relation" in edges.columns else [""] * len(edges)
    pairs = derived_pairs(edges)
    shown = {doc_id for pair in pairs[:max_pairs] for doc_id in pair}  # the tables cut to them once, not per pair
    passages, alignment = result["passages"], result["sentence_alignment"]
    passages = passages[passages["doc_a"].isin(shown) & passages["doc_b"].isin(shown)]
    alignment = alignment[alignment["doc_a"].isin(shown) & alignment["doc_b"].isin(shown)]
    own_docs, own_sentences = docs[docs["doc_id"].astype(str).isin(shown)], sentences[sentences["doc_id"].isin(shown)]
    views = [pair_view(own_docs, own_sentences, passages, alignment, source, derived, relation)
             for (source, derived), relation in zip(pairs[:max_pairs], relations[:max_pairs])]
    labels = document_labels(docs)
    left_out = [f"{labels[derived]} from {labels[source]}"
                for source, derived in pairs[max_pairs:max_pairs + VIEWER_NAMED_MAX]]
    return RichHTML(render_fragment("reuse_viewer.html.j2", pairs=views, left_out=left_out,
                                    left_out_total=max(0, len(pairs) - max_pairs)),
                    f"Reuse viewer: {len(views)} derived pair(s) side by side")


def pair_index(result: dict[str, pd.DataFrame], docs: pd.DataFrame, max_pairs: int = VIEWER_MAX_PAIRS) -> RichHTML | None:
    """Links from the overlap section to each pair of the viewer (None when the section was skipped)."""
    if not result:
        return None
    labels = document_labels(docs)
    bodies = dict(zip(docs["doc_id"].astype(str), docs["body"].astype(str)))
    edges = result["derivation"]
    rows = [{"id": pair_id(source, derived), "left": labels[source], "right": labels[derived],
             "relation": str(relation).replace("_", " "),
             "identical": identical_texts(bodies[source], bodies[derived])}
            for (source, derived), relation in zip(derived_pairs(edges)[:max_pairs], edges["relation"])]
    return RichHTML(render_fragment("reuse_index.html.j2", rows=rows),
                    f"{len(rows)} derived pair(s) in the reuse viewer")
