"""Dates compared across outlets: the same event dated differently, the same date on another event.

:func:`date_conflicts` pairs date mentions of different documents whose
sentences state the same thing (their content words overlap, see
:data:`SAME_STATEMENT_MIN`) and whose dates have the same granularity, groups
the pairs, and marks each mention against the group's reference date. The
claims of :func:`date_claims` join the numeric claims (``claim_type`` "date").
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from analysis.overlap.stories import story_of
from analysis.statements.date_rules import strip_lead
from analysis.statements.dates import STATEMENT_VERBS
from analysis.statements.frames import verb_family

DATE_CONFLICT_COLUMNS = ["story_id", "group_id", "doc_id", "label", "text", "value", "granularity",
                         "resolution", "event", "event_kind", "conflict", "claim", "sentence"]

#: Share of the smaller sentence's content words (overlap coefficient of the
#: ``keywords`` of :func:`analysis.statements.dates.extract_dates`) two sentences
#: must share to state the same thing. Set by hand on tests/data/numbers13: the
#: rewritten sentences of one fact share 0.45-0.8 of their words, sentences of
#: one story about different facts at most 0.35.
SAME_STATEMENT_MIN = 0.4
#: Lower overlap enough when both dates attach to the same event (one verb, or
#: verbs of one transaction, :mod:`analysis.statements.frames`): "cleared the
#: Commons on Wednesday" / "after the bill cleared the Commons yesterday" share
#: 0.38 of their words on tests/data/numbers13; unrelated sentences of one story
#: sharing a verb stay under 0.25 there.
SAME_EVENT_MIN = 0.25
#: Fewest content words two sentences must share, whatever the share: two short
#: quotes ("the biggest seizure since the 1930s", "a bill for the 2010s") have
#: one word in common and half their words.
MIN_SHARED_WORDS = 2
#: Mean link (word share of linked pairs, 0 for unlinked pairs of different
#: documents) from which two groups of mentions are one (average linkage).
#: :data:`SAME_EVENT_MIN`, by argument rather than fit: two groups join when
#: their mean link is at least the word share one pair of mentions needs to be
#: linked at all, so a group is never held together more loosely than its
#: weakest admissible link. Read afterwards on the seeds (with publication dates): the mentions of
#: Kirby's shipment "last month" link to those of the White House's November
#: claim with a mean of 0.22, those of each group at 0.29 or more.
GROUP_MIN = SAME_EVENT_MIN


def average_linkage(edges: dict[tuple[int, int], float], docs: list[str]) -> list[list[int]]:
    """Groups of linked mentions: clusters merged while their mean link is at least :data:`GROUP_MIN`.

    A link is the word share of a linked pair, 0 for a pair of different
    documents that is not linked; pairs of one document do not count. Unlike
    connected components, two groups joined by one pair stay apart ("supplied
    rockets in November" links Kirby's shipment to the White House's November
    claim, but the other mentions of the two do not link).

    The merging runs in each connected component of the edge graph on its own
    (mentions are compared within a story only, so a component never spans two
    stories). The groups are those of one merge loop over the whole graph: two
    clusters of different components have mean link 0 < :data:`GROUP_MIN` and
    never merge; a merge changes only its own component's scores; and the pair
    a whole-graph loop merges next (highest score, ties to the first pair in
    the sorted cluster keys) is, restricted to its component, the pair that
    component's own loop merges next, as the order of keys within a component
    is their order in the whole. A pair's score is computed as before and kept
    until one of its clusters changes, so the float values and therefore the
    decisions are the same.
    """
    mentions = sorted({k for pair in edges for k in pair})
    position = {k: n for n, k in enumerate(mentions)}
    graph = coo_matrix(([1] * len(edges), ([position[i] for i, _ in edges], [position[j] for _, j in edges])),
                       shape=(len(mentions), len(mentions)))
    _, component = connected_components(graph, directed=False)
    members: dict[int, list[int]] = {}
    for k, c in zip(mentions, component):
        members.setdefault(int(c), []).append(k)
    groups = [g for part in members.values() for g in _merge_component(part, edges, docs)]
    return sorted(groups, key=min)


def _merge_component(mentions: list[int], edges: dict[tuple[int, int], float],
                     docs: list[str]) -> list[list[int]]:
    """Average-linkage merging of the mentions of one connected component (see :func:`average_linkage`)."""
    clusters = {k: [k] for k in mentions}
    scores: dict[tuple[int, int], float] = {}

    def link(a: list[int], b: list[int]) -> float:
        pairs = [(min(i, j), max(i, j)) for i in a for j in b if docs[i] != docs[j]]
        return sum(edges.get(p, 0.0) for p in pairs) / len(pairs) if pairs else 0.0

    while True:
        keys = sorted(clusters)
        best, pair = GROUP_MIN, None
        for x, a in enumerate(keys):
            for b in keys[x + 1:]:
                score = scores.get((a, b))
                if score is None:
                    score = scores[(a, b)] = link(clusters[a], clusters[b])
                if score >= best and (pair is None or score > best):
                    best, pair = score, (a, b)
        if pair is None:
            break
        clusters[pair[0]] = sorted(clusters[pair[0]] + clusters.pop(pair[1]))
        scores = {k: v for k, v in scores.items() if not set(k) & set(pair)}   # both clusters changed
    return [c for c in clusters.values() if len({docs[k] for k in c}) >= 2]


def compatible(a: str, b: str) -> bool:
    """Whether two TimeML values can name the same time (``X`` is any digit; one may contain the other)."""
    if not a or not b:
        return False
    n = min(len(a), len(b))
    return all(x == y or "X" in (x, y) for x, y in zip(a[:n], b[:n])) and (
        len(a) == len(b) or (a[n:n + 1] in ("-", "") and b[n:n + 1] in ("-", "")))


def _known(value: str) -> bool:
    return bool(value) and "X" not in value


def _overlap(a: set, b: set) -> float:
    if len(a & b) < MIN_SHARED_WORDS:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _same_event(a: str, b: str) -> bool:
    """Whether two ``event`` values name one event: same verb, or verbs of one family (not verbs of saying)."""
    if not a or not b:
        return False
    va, vb = a.split()[0], b.split()[0]
    if va in STATEMENT_VERBS or vb in STATEMENT_VERBS:
        return False        # "said" dates every statement of a story alike
    return va == vb or verb_family(va) == verb_family(vb)


def date_conflicts(dates: pd.DataFrame, stories: pd.DataFrame | None = None) -> pd.DataFrame:
    """Date mentions of one statement across documents of one story, each marked against the reference.

    Two mentions (of different documents of one story) are paired when their sentences
    share :data:`SAME_STATEMENT_MIN` of their content words, their dates have
    the same granularity (or share :data:`SAME_EVENT_MIN` and date the same
    event), and either the dates can be the same, or they date the same
    event (one verb, or verbs of one transaction:
    :mod:`analysis.statements.frames`), or both are unknown and written
    alike ("last month" and "last month"). Paired mentions are
    grouped by average linkage (:func:`average_linkage`). The group's reference date is the known
    value given by most documents (ties: the first document), its reference
    event kind the most common.

    Parameters
    ----------
    dates : pandas.DataFrame
        Output of :func:`analysis.statements.dates.extract_dates`.
    stories : pandas.DataFrame, optional
        ``stories.csv`` (:func:`analysis.overlap.stories.find_stories`); without
        it every document is in one story (:data:`analysis.overlap.stories.ONE_STORY`).

    Returns
    -------
    pandas.DataFrame
        One row per mention in a group of two documents or more, sorted by
        group and document: ``story_id`` (the story of the group's documents:
        mentions of two stories are never paired), ``group_id`` (``"dc<NN>"``), ``doc_id``, ``label``,
        ``text``, ``value``, ``granularity``, ``resolution``, ``event``,
        ``event_kind``, ``conflict`` (``agree``; ``different_date``: another
        date for the same event; ``different_event``: the same date attached
        to another kind of event, a statement instead of the action it
        reports or the reverse; ``unresolved``: its date is not known, so it
        cannot be compared), ``claim`` (a readable name: reference date and
        event) and ``sentence`` (its index in the document).
    """
    missing = [c for c in ("doc_id", "value", "granularity", "event_kind", "keywords")
               if c not in dates.columns]
    if missing:
        raise ValueError(f"dates table is missing column(s): {', '.join(missing)}")
    rows = dates.reset_index(drop=True).fillna({"value": "", "event_kind": "", "keywords": ""})
    rows = rows.assign(story_id=story_of(rows["doc_id"], stories))
    words = [set(k.split()) for k in rows["keywords"]]
    # plain records: a pandas row per pair (iloc) cost most of the time on large stories
    records = rows[["doc_id", "granularity", "event_kind", "event", "value", "text"]].to_dict("records")
    edges: dict[tuple[int, int], float] = {}
    by_story = rows.groupby("story_id", sort=False).indices.values()
    pairs = ((i, j) for members in by_story   # only mentions of one story are compared
             for k, i in enumerate(members) for j in members[k + 1:])
    for i, j in pairs:
        a, b = records[i], records[j]
        if a["doc_id"] == b["doc_id"] or a["granularity"] != b["granularity"] \
                or "dateline" in (a["event_kind"], b["event_kind"]):
            continue
        share = _overlap(words[i], words[j])
        if share < SAME_STATEMENT_MIN and not (share >= SAME_EVENT_MIN
                                               and _same_event(a["event"], b["event"])):
            continue
        if compatible(a["value"], b["value"]) or _same_event(a["event"], b["event"]) \
                or (not _known(a["value"]) and not _known(b["value"])
                    and strip_lead(a["text"]).lower() == strip_lead(b["text"]).lower()):
            edges[(i, j)] = share
    if not edges:
        return pd.DataFrame(columns=DATE_CONFLICT_COLUMNS)
    groups = average_linkage(edges, rows["doc_id"].tolist())
    # plain records: a pandas slice and row iteration per group cost ~1 ms a group
    all_records = rows.to_dict("records")
    out = []
    for n, members in enumerate(groups, start=1):
        out.extend(_mark([all_records[i] for i in members], f"dc{n:02d}", n))
    table = pd.DataFrame(out).sort_values(["_group", "doc_id", "_start"], kind="stable")
    return table[DATE_CONFLICT_COLUMNS].reset_index(drop=True)


def _mark(grp: list[dict], gid: str, n: int) -> list[dict]:
    """The rows of one date group (records of the dates table, in table order), each marked
    against the group's reference date and event kind."""
    docs_per_value: dict[str, set] = {}
    for r in grp:
        if _known(r["value"]):
            docs_per_value.setdefault(r["value"], set()).add(r["doc_id"])
    ref_value = max(docs_per_value, key=lambda v: len(docs_per_value[v]), default="")
    first_of_doc = {}
    for r in grp:
        first_of_doc.setdefault(r["doc_id"], r)
    kinds = Counter(r["event_kind"] for r in first_of_doc.values() if r["event_kind"])
    ref_kind = kinds.most_common(1)[0][0] if kinds else ""
    ref_row = next(r for r in grp if r["value"] == ref_value) if ref_value else grp[0]
    events = [e for e in [ref_row["event"], *(r["event"] for r in grp)] if e]
    claim = f"{ref_value or ref_row['text']} ({events[0] if events else 'date'})"
    out = []
    for r in grp:
        if not r["value"] or not ref_value or (not _known(r["value"])
                                                 and not compatible(r["value"], ref_value)):
            conflict = "unresolved"
        elif not compatible(r["value"], ref_value):
            conflict = "different_date"
        elif ref_kind and r["event_kind"] and r["event_kind"] != ref_kind \
                and {r["event_kind"], ref_kind} == {"statement", "action"}:
            conflict = "different_event"
        else:
            conflict = "agree"
        out.append({"story_id": r["story_id"], "group_id": gid, "doc_id": r["doc_id"],
                    "label": r.get("label", r["doc_id"]),
                    "text": r["text"], "value": r["value"], "granularity": r["granularity"],
                    "resolution": r.get("resolution", ""), "event": r.get("event", ""),
                    "event_kind": r["event_kind"], "conflict": conflict, "claim": claim,
                    "sentence": int(r.get("sentence", -1)), "_group": n,
                    "_start": int(r.get("start", 0))})
    return out


def date_claims(conflicts: pd.DataFrame) -> pd.DataFrame:
    """One row per date group of :func:`date_conflicts`, in the columns of the numeric claims.

    Returns
    -------
    pandas.DataFrame
        ``story_id``, ``group_id``, ``claim``, ``unit`` ("date"), ``value`` (NaN: the date is
        in ``date``), ``currency``/``period`` (""), ``what`` (the reference
        event), ``n_docs``, ``status`` (``agree`` when every mention agrees,
        ``unresolved`` when the others cannot be compared, else ``conflict``),
        ``claim_type`` ("date") and ``date`` (the reference date).
    """
    out = []
    for gid, grp in conflicts.groupby("group_id", sort=False):
        states = set(grp["conflict"])
        status = "agree" if states == {"agree"} else (
            "unresolved" if states <= {"agree", "unresolved"} else "conflict")
        agree = grp[grp["conflict"] == "agree"]
        ref = agree.iloc[0] if not agree.empty else grp.iloc[0]
        out.append({"story_id": ref["story_id"], "group_id": gid, "claim": ref["claim"], "unit": "date",
                    "value": float("nan"),
                    "currency": "", "period": "", "what": ref["event"],
                    "n_docs": int(grp["doc_id"].nunique()), "status": status,
                    "claim_type": "date", "date": ref["value"] if not agree.empty else ""})
    return pd.DataFrame(out, columns=["story_id", "group_id", "claim", "unit", "value", "currency", "period",
                                      "what", "n_docs", "status", "claim_type", "date"])
