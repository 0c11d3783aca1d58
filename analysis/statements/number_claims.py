"""Numeric claims shared across documents, and where the outlets disagree on them.

:func:`number_claims` groups the same quantity across documents (from
:func:`analysis.statements.numbers.extract_numbers`) and :func:`number_conflicts`
flags where the outlets disagree: the same figure for a different place
(``different_scope``), for a differently described thing
(``different_description``), or different figures for the same thing
(``different_value``); and, in ``kind``, where the figure agrees but its hedge
does not ("more than $27bn" against "$27bn": ``dropped_qualifier``).
:func:`claims_by_conflicts` ranks the claims for the figures and the report's tables.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from analysis.overlap.stories import story_of
from analysis.statements.frames import verb_family

CLAIM_COLUMNS = ["story_id", "group_id", "claim", "unit", "value", "currency", "period", "what",
                 "n_docs", "status", "claim_type", "date"]
CONFLICT_COLUMNS = ["story_id", "group_id", "doc_id", "value", "what", "text", "conflict", "label",
                    "unit", "scope", "claim", "qualifier", "kind"]

#: Figures of quantities below this are too common to be claims ("two officials").
MIN_CLAIM_VALUE = 10
#: Largest ratio between two figures given for the same thing that are read as
#: one claim told differently (30 against 40 MPs). Set by hand: on the BBC
#: Yukos stories and tests/data/numbers13, figures further apart that share a
#: noun or a verb are different facts ($2bn borrowed against the $9.4bn sale,
#: 1,000 employees of a unit against 60,000 of the firm); a report that gets a
#: figure wrong by more than this is missed.
VALUE_CONFLICT_MAX_RATIO = 2.0
#: Hedges of a figure by what they say of it; two hedges of one class ("about",
#: "around") say the same, a hedge of another class ("more than" against "up
#: to") changes the claim.
QUALIFIER_CLASSES = {
    "approximate": ("about", "around", "roughly", "approximately", "some", "an estimated",
                    "estimated"),
    "lower_bound": ("more than", "over", "at least", "as high as", "as much as"),
    "upper_bound": ("up to", "as many as", "at most", "less than", "fewer than", "under",
                    "nearly", "almost", "as few as"),
}
_QUALIFIER_CLASS = {q: c for c, qs in QUALIFIER_CLASSES.items() for q in qs}
#: Nouns (lemmas) naming the staff of an organisation: one description.
WORKFORCE_NOUNS = frozenset("employee staff worker workforce".split())


def _family(unit: str) -> str:
    return "quantity" if unit in ("people", "casualties", "count") else unit


def _claim_rows(numbers: pd.DataFrame, stories: pd.DataFrame | None = None) -> pd.DataFrame:
    needed = ["doc_id", "value", "unit", "what", "text"]
    missing = [c for c in needed if c not in numbers.columns]
    if missing:
        raise ValueError(f"numbers table is missing column(s): {', '.join(missing)}")
    rows = numbers.copy()
    for col, default in (("currency", ""), ("period", ""), ("scope", ""), ("label", None),
                         ("is_conversion", False), ("qualifier", ""), ("noun", "")):
        if col not in rows.columns:
            rows[col] = rows["doc_id"] if col == "label" else default
    rows = rows[rows["unit"].isin(["money", "percent", "people", "casualties", "count"])
                & rows["value"].notna() & ~rows["is_conversion"].astype(bool)]
    rows = rows[(rows["unit"].isin(["money", "percent"])) | (rows["value"] >= MIN_CLAIM_VALUE)]
    rows = rows.fillna({"what": "", "currency": "", "period": "", "scope": "", "qualifier": "",
                        "noun": ""})
    rows = rows.assign(story_id=story_of(rows["doc_id"], stories), family=rows["unit"].map(_family),
                       description=[_description(u, w) for u, w in zip(rows["unit"], rows["what"])])
    return rows.reset_index(drop=True)


def _description(unit: str, what: str) -> str:
    """What two figures must share to describe one thing: the verb family of money
    (sold = bought), one word for a workforce (employees = staff), else ``what``."""
    if unit == "money":
        return verb_family(what)
    return "workforce" if what.split()[-1:] and what.split()[-1] in WORKFORCE_NOUNS else what


def _same_kind(grp: list[dict]) -> list[dict]:
    """Mentions of one value that can be one quantity: of the most common unit (people and
    casualties go together) or of its description. "30 times" is not "30 MPs" told differently."""
    docs = [r["doc_id"] for r in grp]
    ref_unit = _mode([r["unit"] for r in grp], docs)
    ref_description = _mode([r["description"] for r in grp], docs)
    people = {"people", "casualties"}
    return [r for r in grp if r["unit"] == ref_unit or {r["unit"], ref_unit} <= people
            or bool(r["description"] and r["description"] == ref_description)]


def _qualifier_kind(qualifier: str, reference: str) -> str:
    """How a mention's hedge departs from the claim's: "" (it does not), dropped, added or changed."""
    if _QUALIFIER_CLASS.get(qualifier, qualifier) == _QUALIFIER_CLASS.get(reference, reference):
        return ""
    if not qualifier:
        return "dropped_qualifier"
    return "added_qualifier" if not reference else "changed_qualifier"


def _value_clusters(values: list[float]) -> list[list[float]]:
    """Distinct values split where two neighbours are more than :data:`VALUE_CONFLICT_MAX_RATIO` apart."""
    clusters: list[list[float]] = []
    for v in sorted(set(values)):
        if clusters and clusters[-1][-1] > 0 and v / clusters[-1][-1] <= VALUE_CONFLICT_MAX_RATIO:
            clusters[-1].append(v)
        else:
            clusters.append([v])
    return clusters


def _claim_label(unit: str, value: float, currency: str, period: str, what: str) -> str:
    """Readable name of a claim; ``what`` is the counted noun as written ("employees", "Yukos")."""
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"
    if unit == "money":
        text = f"{currency or '?'} {number}" + (f" per {period}" if period else "")
        return text + (f" ({what})" if what else "")
    if unit == "percent":
        return f"{number}%" + (f" of {what}" if what else "")
    return f"{number} {what}".strip()


def _written_noun(grp: list[dict], ref_what: str) -> str:
    """The counted noun as the first mention with the reference description writes it."""
    for r in grp:
        if r["what"] == ref_what and r["noun"]:
            return r["noun"]
    return ref_what


def _mode(values: list[str], docs: list[str]) -> str:
    """Most common non-empty value counted once per document (ties: first seen)."""
    seen: dict[str, set] = {}
    for v, d in zip(values, docs):
        if v:
            seen.setdefault(v, set()).add(d)
    if not seen:
        return ""
    best = max(len(s) for s in seen.values())
    return next(v for v in values if v and len(seen[v]) == best)


def _reference_qualifier(grp: list[dict]) -> str:
    """The hedge (or none) most documents give the claim; ties go to the first document."""
    seen: set = set()
    first = [r["qualifier"] for r in grp if not (r["doc_id"] in seen or seen.add(r["doc_id"]))]   # first per document
    counts = Counter(_QUALIFIER_CLASS.get(q, q) for q in first)
    best = max(counts.values())
    return next(q for q in first if counts[_QUALIFIER_CLASS.get(q, q)] == best)


def _groups(rows: pd.DataFrame, keys: list[str]) -> list[list[int]]:
    """Row positions of each group of ``rows`` by ``keys``, in the order of a sorted pandas groupby."""
    if rows.empty:
        return []
    number = rows.groupby(keys, sort=True).ngroup().fillna(-1).astype("int64").to_numpy()
    out: list[list[int]] = [[] for _ in range(int(number.max()) + 1)]
    for position, n in enumerate(number.tolist()):
        if n >= 0:   # a missing key (-1) is in no group, as in a groupby
            out[n].append(position)
    return out


def number_conflicts(numbers: pd.DataFrame, stories: pd.DataFrame | None = None) -> pd.DataFrame:
    """The same quantity across documents of one story, each mention marked agree or conflict.

    A *claim* is a quantity shared by two documents or more: same value, and for
    money same currency and period (hedges such as "more than" do not split a
    claim, bracketed currency conversions are skipped, quantities under
    :data:`MIN_CLAIM_VALUE` ignored; a count of things and a count of people
    are not one quantity). Within a claim the reference description
    is the ``what`` (and ``scope``) given by most documents; the verbs of one
    transaction (sold, bought: :mod:`analysis.statements.frames`) and the words
    for a workforce (:data:`WORKFORCE_NOUNS`) are one description. A further
    claim joins figures for the same description, currency and period that
    differ in value across documents, when no document gives both values and
    they are at most :data:`VALUE_CONFLICT_MAX_RATIO` apart; its figures are not
    listed in a claim of their own a second time. Only documents of one story
    are compared: a claim never joins figures of two stories (two unrelated
    earnings reports do not "conflict" on their figures).

    Parameters
    ----------
    numbers : pandas.DataFrame
        Output of :func:`analysis.statements.numbers.extract_numbers`.
    stories : pandas.DataFrame, optional
        ``stories.csv`` (:func:`analysis.overlap.stories.find_stories`); without
        it every document is in one story (:data:`analysis.overlap.stories.ONE_STORY`).

    Returns
    -------
    pandas.DataFrame
        One row per mention in a claim, sorted by ``group_id``, ``doc_id`` and
        the mention's order: ``story_id`` (the story of the claim's documents),
        ``group_id`` (``"nc<NN>"``, numbered across the corpus), ``doc_id``, ``value``,
        ``what``, ``text``, ``conflict`` (``agree``; ``different_scope``: the
        figure is tied to another place; ``different_description``: it counts a
        differently described thing, "contractor" against "mercenary", or
        "spend" against "receive"; ``different_value``: another figure for the
        same thing), ``label``, ``unit``, ``scope``, ``claim`` (a readable
        name of the claim in the text's words, e.g. ``"USD 100,000,000 per
        month (spend)"``, ``"1,000 employees"``, ``"51% of Yukos"``),
        ``qualifier`` (the mention's hedge, "" for none) and ``kind``: the
        ``conflict`` when it is not ``agree``, else how the hedge departs from
        the claim's reference hedge (the one most documents give, of the same
        :data:`QUALIFIER_CLASSES` class): ``dropped_qualifier`` ("$27bn"
        against "more than $27bn"), ``added_qualifier``, ``changed_qualifier``
        ("as many as" against "more than"), else ``agree``.
    """
    rows = _claim_rows(numbers, stories)
    # plain records: pandas per group (a frame, a groupby, nunique) cost most of the time
    records = rows.to_dict("records")
    out: list[dict] = []
    groups = []
    by_what = []
    described = rows[rows["description"] != ""]
    for members in _groups(described, ["story_id", "unit", "description", "currency", "period"]):
        grp = [records[described.index[k]] for k in members]
        key = tuple(grp[0][c] for c in ("unit", "description", "currency", "period"))
        for cluster in _value_clusters([r["value"] for r in grp]):
            sub = [r for r in grp if r["value"] in cluster]
            values_by_doc: dict[str, set] = {}
            for r in sub:
                values_by_doc.setdefault(r["doc_id"], set()).add(r["value"])
            if len({r["value"] for r in sub}) >= 2 and len(values_by_doc) >= 2 \
                    and all(len(v) == 1 for v in values_by_doc.values()):
                by_what.append(("what", key, sub))
    covering: dict[int, list[set]] = {}   # row -> the what-claims holding it
    for g in by_what:
        held = {id(r) for r in g[2]}
        for i in held:
            covering.setdefault(i, []).append(held)
    for members in _groups(rows, ["story_id", "family", "value", "currency", "period"]):
        grp = [records[k] for k in members]
        if len({r["doc_id"] for r in grp}) < 2:   # _same_kind only drops rows
            continue
        key = tuple(grp[0][c] for c in ("family", "value", "currency", "period"))
        grp = _same_kind(grp)
        # a figure the what-claim already holds is not a claim of its own a second time
        if len({r["doc_id"] for r in grp}) >= 2 and not any(
                {id(r) for r in grp} <= c for c in covering.get(id(grp[0]), [])):
            groups.append(("value", key, grp))
    groups += by_what
    has_start = "start" in rows.columns
    groups.sort(key=lambda g: (min(r["doc_id"] for r in g[2]),
                               min(r["start"] for r in g[2]) if has_start else 0, g[0]))
    for n, (kind, key, grp) in enumerate(groups, start=1):
        gid = f"nc{n:02d}"
        docs = [r["doc_id"] for r in grp]
        units = [r["unit"] for r in grp]
        ref_what = _mode([r["what"] for r in grp], docs)
        ref_description = _description(_mode(units, docs), ref_what)
        ref_scope = _mode([r["scope"] for r in grp], docs)
        ref_qualifier = _reference_qualifier(grp)
        ref_unit = _mode(units, docs)
        if kind == "value":
            ref_value = float(key[1])
        else:
            counts = Counter(v for v, _ in {(r["value"], r["doc_id"]) for r in grp})
            ref_value = max((r["value"] for r in grp), key=lambda v: counts[v])
        claim = _claim_label(ref_unit, ref_value, key[2], key[3],
                             ref_what if ref_unit == "money" else _written_noun(grp, ref_what))
        for r in grp:
            if kind == "what":
                conflict = "agree" if r["value"] == ref_value else "different_value"
            elif r["scope"] and ref_scope and r["scope"] != ref_scope:
                conflict = "different_scope"
            elif r["description"] != ref_description or (r["unit"] != ref_unit and ref_unit
                                                         and "people" not in (r["unit"], ref_unit)):
                conflict = "different_description"
            else:
                conflict = "agree"
            hedge = _qualifier_kind(r["qualifier"], ref_qualifier)
            out.append({"story_id": r["story_id"], "group_id": gid, "doc_id": r["doc_id"], "value": float(r["value"]),
                        "what": r["what"], "text": r["text"], "conflict": conflict,
                        "label": r["label"], "unit": r["unit"], "scope": r["scope"],
                        "claim": claim, "qualifier": r["qualifier"],
                        "kind": conflict if conflict != "agree" else hedge or "agree",
                        "_group": n, "_start": r.get("start", 0)})
    # sort on the group's number: as strings "nc100" would come before "nc11"
    table = pd.DataFrame(out, columns=CONFLICT_COLUMNS + ["_group", "_start"])
    table = table.sort_values(["_group", "doc_id", "_start"], kind="stable")
    return table.drop(columns=["_group", "_start"]).reset_index(drop=True)


def number_claims(numbers: pd.DataFrame, dates: pd.DataFrame | None = None,
                  stories: pd.DataFrame | None = None,
                  conflicts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per claim shared across documents of one story (see :func:`number_conflicts`).

    Parameters
    ----------
    numbers : pandas.DataFrame
        Output of :func:`analysis.statements.numbers.extract_numbers`.
    dates : pandas.DataFrame, optional
        Output of :func:`analysis.statements.date_claims.date_claims`: the date
        claims, appended after the numeric ones.
    stories : pandas.DataFrame, optional
        ``stories.csv``, as for :func:`number_conflicts`.
    conflicts : pandas.DataFrame, optional
        :func:`number_conflicts` of ``numbers`` and ``stories``, when the caller
        has it already (computed here otherwise).

    Returns
    -------
    pandas.DataFrame
        Numeric claims sorted by ``group_id``, then the date claims:
        ``story_id`` (the story whose documents state the claim), ``group_id``, ``claim`` (readable name), ``unit``, ``value`` (the
        reference value; NaN for a date), ``currency``, ``period``, ``what``
        (the reference description), ``n_docs`` (documents stating it),
        ``status`` (``agree`` when every mention agrees, value and hedge, else
        ``conflict``; a date claim may be ``unresolved``), ``claim_type``
        (``number`` or ``date``) and ``date`` (a date claim's reference date,
        TimeML value; "" for numbers).
    """
    if conflicts is None:
        conflicts = number_conflicts(numbers, stories)
    rows = _claim_rows(numbers, stories)
    money: dict[tuple[str, str], tuple[str, str]] = {}   # first row of a (doc_id, text): its currency, period
    for key in zip(rows["doc_id"], rows["text"], rows["currency"], rows["period"]):
        money.setdefault(key[:2], key[2:])
    out = []
    for gid, grp in conflicts.groupby("group_id", sort=False):   # already in group order
        agree = grp[grp["conflict"] == "agree"]
        ref = agree.iloc[0] if not agree.empty else grp.iloc[0]
        currency, period = money.get((ref["doc_id"], ref["text"]), ("", ""))
        out.append({"story_id": ref["story_id"], "group_id": gid, "claim": ref["claim"], "unit": ref["unit"],
                    "value": float(ref["value"]), "currency": currency, "period": period,
                    "what": ref["what"], "n_docs": int(grp["doc_id"].nunique()),
                    "status": "agree" if (grp["kind"] == "agree").all() else "conflict",
                    "claim_type": "number", "date": ""})
    table = pd.DataFrame(out, columns=CLAIM_COLUMNS)
    if dates is not None and not dates.empty:
        table = pd.concat([table, dates[CLAIM_COLUMNS]], ignore_index=True) if not table.empty \
            else dates[CLAIM_COLUMNS].reset_index(drop=True)
    return table.astype({"value": "float64", "n_docs": "int64"})


def claims_by_conflicts(conflicts: pd.DataFrame) -> list:
    """Every claim (``group_id``) of ``conflicts``, most conflicting renderings first, ties in table order.

    The one ranking of claims: the claims matrix draws the first
    :data:`analysis.figures.numbers.MAX_CLAIM_ROWS`
    (:func:`analysis.figures.numbers.top_claims`), and above
    :data:`analysis.figures.layout.DETAIL_MAX_DOCUMENTS` documents the report
    lists the conflicting renderings claim by claim in this order
    (:func:`analysis.report.scaled_tables.number_conflicts_table`).
    """
    if conflicts.empty:
        return []
    claims = list(dict.fromkeys(conflicts["group_id"]))
    conflicting = conflicts[conflicts["conflict"] != "agree"].groupby("group_id").size()
    return sorted(claims, key=lambda g: -conflicting.get(g, 0))  # stable: ties keep table order
