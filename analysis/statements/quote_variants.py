"""How outlets render the same statement: quotations grouped across documents and diffed.

:func:`quote_variants` groups renderings of the same statement (from
:func:`analysis.statements.quotes.extract_quotes`) across documents and diffs
them word by word, so that a reworded quotation (a misquote) stands out;
:func:`diff_segments` splits such a diff for display
(:func:`analysis.report.render.altered_quotes`).
"""

from __future__ import annotations

import difflib
import re

import numpy as np
import pandas as pd

from analysis.overlap.stories import story_of
from analysis.statements.quote_reference import choose_reference, derivation_sources, short_quote_links
from analysis.statements.quotes import SCARE_MAX_WORDS
from analysis.statements.speakers import speakers_agree
from analysis.text.lemmas import stop_words
from analysis.text.words import normalise_word, words

VARIANT_COLUMNS = ["story_id", "group_id", "speaker", "doc_id", "quote_id", "text", "differs", "diff", "label",
                   "reference_quote_id", "reference_doc_id", "reference_basis"]

#: Words of context kept either side of a change in a compact diff.
DIFF_CONTEXT = 3

#: Matching thresholds (share of the shorter quote's words matched in order,
#: words matched, content words matched) by how the two speakers compare.
#: Set by hand when quote variants were written, checked on the seed corpus
#: and the hand-made articles of tests/data/quotes_numbers (a reworded and a
#: shortened quotation, tests/test_quotes.py): when the
#: speakers agree the attribution already links the quotes, so half the words
#: in order will do; a speaker unknown or different needs more of the words,
#: since two people seldom say the same words but a stock phrase recurs.
MATCH_RULES = {
    "same_speaker": (0.5, 2, 1),
    "unknown_speaker": (0.6, 3, 2),
    "different_speaker": (0.8, 4, 2),
}

_DIFF_MARK = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}")


def _display_words(text: str) -> list[str]:
    """The quotation's words as displayed in a diff: with their punctuation attached."""
    return text.split()


def _norm(display_word: str) -> str:
    """What a displayed word is compared by: its words (:func:`analysis.text.words.words`),
    normalised, so punctuation, case and the apostrophe's shape do not count."""
    return " ".join(normalise_word(word) for word in words(display_word))


def _alignment(a: list[str], b: list[str], stop: frozenset) -> tuple[float, int, int]:
    """(coverage of the shorter, words matched, content words matched) in order."""
    if not a or not b:
        return 0.0, 0, 0
    blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    matched = sum(m.size for m in blocks)
    content = sum(1 for m in blocks for w in a[m.a:m.a + m.size] if w and w not in stop)
    return matched / min(len(a), len(b)), matched, content


def _core_opcodes(ref: list[str], row: list[str]) -> list[tuple]:
    """Opcodes turning ``ref`` into ``row``, without the pure additions or omissions
    at either end (a longer or shorter excerpt of the same words is no alteration)."""
    ops = difflib.SequenceMatcher(None, ref, row, autojunk=False).get_opcodes()
    while ops and ops[0][0] in ("insert", "delete"):
        ops.pop(0)
    while ops and ops[-1][0] in ("insert", "delete"):
        ops.pop()
    if ops and ops[0][0] == "replace":          # excerpt starts inside a reworded stretch
        tag, i1, i2, j1, j2 = ops[0]
        keep = min(i2 - i1, j2 - j1)
        ops[0] = (tag, i2 - keep, i2, j2 - keep, j2)
    if ops and ops[-1][0] == "replace":
        tag, i1, i2, j1, j2 = ops[-1]
        keep = min(i2 - i1, j2 - j1)
        ops[-1] = (tag, i1, i1 + keep, j1, j1 + keep)
    return ops


def _diff_string(ref_display, row_display, ops) -> str:
    if all(op[0] == "equal" for op in ops):
        return ""
    out: list[str] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            words = row_display[j1:j2]
            first, last = k == 0, k == len(ops) - 1
            if first:
                words = (["…"] if len(words) > DIFF_CONTEXT else []) + words[-DIFF_CONTEXT:]
            elif last:
                words = words[:DIFF_CONTEXT] + (["…"] if len(words) > DIFF_CONTEXT else [])
            elif len(words) > 2 * DIFF_CONTEXT:
                words = words[:DIFF_CONTEXT] + ["…"] + words[-DIFF_CONTEXT:]
            out.extend(words)
            continue
        if i2 > i1:
            out.append("[-" + " ".join(ref_display[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(row_display[j1:j2]) + "+}")
    return " ".join(out)


def quote_variants(quotes: pd.DataFrame, derivation: pd.DataFrame | None = None,
                   docs: pd.DataFrame | None = None, stories: pd.DataFrame | None = None) -> pd.DataFrame:
    """Group renderings of the same statement across documents of one story and diff them.

    Two quoted spans (quotations or scare phrases of two words or more) render
    the same statement when their words match in order over most of the shorter
    one (:data:`MATCH_RULES`: looser when the speakers agree, stricter when a
    speaker is unknown or the speakers differ). Short attributed quotations
    (up to :data:`analysis.statements.quotes.SCARE_MAX_WORDS` words, one-word
    ones included) that match nothing so are compared by their speaker and
    sentence (:func:`analysis.statements.quote_reference.short_quote_links`,
    needs ``docs``): "false", "fake" and "groundless" said of one report.
    Speakers are compared on ``canonical_speaker`` when the table has it
    (:func:`analysis.statements.speaker_aliases.speaker_aliases`).
    Only quotations of one story are compared.
    Groups are the connected components of that relation; only groups
    spanning two documents or more are kept. Each group's reference rendering
    is chosen by :func:`analysis.statements.quote_reference.choose_reference`:
    the derivation source's wording, else the one shared by the most
    independent outlets, else the most complete.

    Parameters
    ----------
    quotes : pandas.DataFrame
        Output of :func:`analysis.statements.quotes.extract_quotes`.
    derivation : pandas.DataFrame, optional
        Output of :func:`analysis.overlap.derivation.derivation_edges`; without
        it no rendering is known to derive from another.
    docs : pandas.DataFrame, optional
        Corpus table (``doc_id``, ``body``) of the quotes, for comparing short
        quotations by their sentences.
    stories : pandas.DataFrame, optional
        ``stories.csv`` (:func:`analysis.overlap.stories.find_stories`); without
        it every document is in one story (:data:`analysis.overlap.stories.ONE_STORY`).

    Returns
    -------
    pandas.DataFrame
        One row per member quote, sorted by ``group_id`` then ``doc_id`` and
        ``quote_id``: ``story_id`` (the story of the group's documents),
        ``group_id`` (str, ``"qv<NN>"`` numbered across the corpus by first
        appearance), ``speaker``, ``doc_id``, ``quote_id``, ``text`` (as in the
        quotes table), ``differs`` (bool: its wording departs from the
        reference's where the two overlap; punctuation, case and a longer or
        shorter excerpt do not count: the outlet that departs), ``diff`` (str:
        compact word diff against the reference, ``"[-reference words-] {+this
        rendering's words+}"`` with up to :data:`DIFF_CONTEXT` words of context
        and ``…`` for elisions; ``""`` when it does not differ), ``label``,
        ``reference_quote_id``, ``reference_doc_id`` (the group's reference
        rendering) and ``reference_basis`` ("derivation source", "most
        independent outlets" or "most complete").
    """
    needed = ["doc_id", "quote_id", "text", "speaker", "kind"]
    missing = [c for c in needed if c not in quotes.columns]
    if missing:
        raise ValueError(f"quotes table is missing column(s): {', '.join(missing)}")
    stop = stop_words()
    rows = quotes.reset_index(drop=True)
    if "label" not in rows.columns:
        rows = rows.assign(label=rows["doc_id"])
    story = story_of(rows["doc_id"], stories).tolist()
    display = [_display_words(str(t)) for t in rows["text"]]
    norm = [[_norm(w) for w in words] for words in display]
    candidates = [i for i, words in enumerate(norm) if sum(1 for w in words if w) >= 2]

    # quotations sharing a content word, within a story: a corpus-wide word index handed every
    # quotation the partners of all stories to filter (quadratic in the corpus's quotations)
    index: dict[tuple[str, str], set[int]] = {}
    for i in candidates:
        for w in set(norm[i]):
            if w and w not in stop:
                index.setdefault((story[i], w), set()).add(i)
    edges = []
    for i in candidates:
        partners = set().union(*(index.get((story[i], w), set()) for w in set(norm[i]) if w and w not in stop))
        edges += [(i, j) for j in sorted(p for p in partners if p > i) if _matches(rows, norm, i, j, stop)]
    linked = {i for edge in edges for i in edge}
    component = connected_groups(len(rows), edges)
    if docs is not None and "sentence_start" in rows.columns:
        short = [i for i in range(len(rows)) if i not in linked and rows.at[i, "kind"] == "quote"
                 and 1 <= sum(1 for w in norm[i] if w) <= SCARE_MAX_WORDS]
        anchors = _sentence_groups(rows, short, linked, component)
        by_story: dict[str, list[int]] = {}
        for i in short:
            by_story.setdefault(story[i], []).append(i)
        bodies = dict(zip(docs["doc_id"].astype(str), docs["body"].fillna("").astype(str)))
        for members in by_story.values():   # short quotes of one story only
            if len(members) >= 2:
                edges += short_quote_links(rows, bodies, members, anchors)
        component = connected_groups(len(rows), edges)
        candidates = sorted(set(candidates) | set(short))
    groups: dict[int, list[int]] = {}
    for i in candidates:
        groups.setdefault(component[i], []).append(i)
    kept = [sorted(m) for m in groups.values() if rows.loc[m, "doc_id"].nunique() >= 2]
    kept.sort(key=lambda m: (rows.loc[m[0], "doc_id"], m[0]))

    sources = derivation_sources(derivation)
    doc_list = rows["doc_id"].astype(str).tolist()
    out = []
    for g, members in enumerate(kept, start=1):
        ref, basis = choose_reference(
            members, doc_list,
            lambda i, j: all(op[0] == "equal" for op in _core_opcodes(norm[i], norm[j])),
            lambda i: len(norm[i]), sources)
        for i in members:
            ops = _core_opcodes(norm[ref], norm[i])
            diff = _diff_string(display[ref], display[i], ops) if i != ref else ""
            out.append({"story_id": story[i], "group_id": f"qv{g:02d}", "speaker": rows.at[i, "speaker"],
                        "doc_id": rows.at[i, "doc_id"], "quote_id": rows.at[i, "quote_id"],
                        "text": rows.at[i, "text"], "differs": bool(diff), "diff": diff,
                        "label": rows.at[i, "label"], "reference_quote_id": rows.at[ref, "quote_id"],
                        "reference_doc_id": rows.at[ref, "doc_id"], "reference_basis": basis,
                        "_group": g})
    # sort on the group's number: as strings "qv100" would come before "qv11"
    table = pd.DataFrame(out, columns=VARIANT_COLUMNS + ["_group"])
    table = table.sort_values(["_group", "doc_id", "quote_id"], kind="stable")
    return table.drop(columns="_group").reset_index(drop=True).astype({"differs": bool})


def _sentence_groups(rows: pd.DataFrame, short: list[int], linked: set[int],
                     component) -> dict[int, set[int]]:
    """Short quote -> groups of the longer, linked quotations in its sentence."""
    anchors: dict[int, set[int]] = {}
    by_doc: dict[str, list[int]] = {}
    for j in sorted(linked):
        by_doc.setdefault(str(rows.at[j, "doc_id"]), []).append(j)
    for i in short:
        lo, hi = int(rows.at[i, "sentence_start"]), int(rows.at[i, "sentence_end"])
        anchors[i] = {int(component[j]) for j in by_doc.get(str(rows.at[i, "doc_id"]), [])
                      if lo <= int(rows.at[j, "start"]) < hi}
    return anchors


def connected_groups(n_items: int, links: list[tuple[int, int]]) -> np.ndarray:
    """Group number of each item, items joined by ``links`` (directly or through others).

    Parameters
    ----------
    n_items : int
        Items are ``0 .. n_items - 1``.
    links : list of (int, int)
        Pairs of linked items (the direction does not matter).

    Returns
    -------
    numpy.ndarray
        One group number per item (scipy's connected components of the
        undirected graph); an item without links is a group of its own.
    """
    # imported here: 0.4 s on its own, already loaded by the overlap section in a report
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import connected_components

    first = np.array([a for a, _ in links], dtype=np.int64)
    second = np.array([b for _, b in links], dtype=np.int64)
    graph = coo_array((np.ones(len(links)), (first, second)), shape=(n_items, n_items))
    return connected_components(graph, directed=False)[1]


def _matches(rows, norm, i, j, stop) -> bool:
    speaker = "canonical_speaker" if "canonical_speaker" in rows.columns else "speaker"
    agree = speakers_agree(str(rows.at[i, speaker]), str(rows.at[j, speaker]))
    rule = {True: "same_speaker", None: "unknown_speaker", False: "different_speaker"}[agree]
    min_cov, min_words, min_content = MATCH_RULES[rule]
    cov, words, content = _alignment(norm[i], norm[j], stop)
    return cov >= min_cov and words >= min_words and content >= min_content


def diff_segments(diff: str) -> list[tuple[str, str]]:
    """Split a compact diff (the ``diff`` column of :func:`quote_variants`) into its parts.

    Parameters
    ----------
    diff : str
        ``"context [-reference words-] {+this rendering's words+} context"``.

    Returns
    -------
    list of (str, str)
        ``(kind, text)`` in order: kind ``"same"`` for context, ``"removed"``
        for the reference's words, ``"added"`` for this rendering's; the texts
        joined in order give back ``diff`` without its markers.
    """
    segments, pos = [], 0
    for m in _DIFF_MARK.finditer(diff):
        if m.start() > pos:
            segments.append(("same", diff[pos:m.start()]))
        segments.append(("removed", m.group(1)) if m.group(1) is not None else ("added", m.group(2)))
        pos = m.end()
    if pos < len(diff):
        segments.append(("same", diff[pos:]))
    return segments
