"""Numeric claims shared across documents, and where the outlets disagree on them.

:func:`number_claims` groups the same quantity across documents (from
:func:`analysis.statements.numbers.extract_numbers`) and :func:`number_conflicts`
flags where the outlets disagree: the same figure for a different place
(``different_scope``), for a differently described thing
(``different_description``), or different figures for the same thing
(``different_value``).
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

CLAIM_COLUMNS = ["group_id", "claim", "unit", "value", "currency", "period", "what",
                 "n_docs", "status"]
CONFLICT_COLUMNS = ["group_id", "doc_id", "value", "what", "text", "conflict", "label",
                    "unit", "scope", "claim"]

#: Figures of quantities below this are too common to be claims ("two officials").
MIN_CLAIM_VALUE = 10


def _family(unit: str) -> str:
    return "quantity" if unit in ("people", "casualties", "count") else unit


def _claim_rows(numbers: pd.DataFrame) -> pd.DataFrame:
    needed = ["doc_id", "value", "unit", "what", "text"]
    missing = [c for c in needed if c not in numbers.columns]
    if missing:
        raise ValueError(f"numbers table is missing column(s): {', '.join(missing)}")
    rows = numbers.copy()
    for col, default in (("currency", ""), ("period", ""), ("scope", ""), ("label", None),
                         ("is_conversion", False)):
        if col not in rows.columns:
            rows[col] = rows["doc_id"] if col == "label" else default
    rows = rows[rows["unit"].isin(["money", "percent", "people", "casualties", "count"])
                & rows["value"].notna() & ~rows["is_conversion"].astype(bool)]
    rows = rows[(rows["unit"].isin(["money", "percent"])) | (rows["value"] >= MIN_CLAIM_VALUE)]
    rows = rows.fillna({"what": "", "currency": "", "period": "", "scope": ""})
    return rows.assign(family=rows["unit"].map(_family)).reset_index(drop=True)


def _claim_label(unit: str, value: float, currency: str, period: str, what: str) -> str:
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"
    if unit == "money":
        text = f"{currency or '?'} {number}" + (f" per {period}" if period else "")
        return text + (f" ({what})" if what else "")
    if unit == "percent":
        return f"{number}%" + (f" of {what}" if what else "")
    return f"{number} {what}".strip()


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


def number_conflicts(numbers: pd.DataFrame) -> pd.DataFrame:
    """The same quantity across documents, each mention marked agree or conflict.

    A *claim* is a quantity shared by two documents or more: same value, and for
    money same currency and period (hedges such as "more than" are ignored,
    bracketed currency conversions skipped, quantities under
    :data:`MIN_CLAIM_VALUE` ignored). Within a claim the reference description
    is the ``what`` (and ``scope``) given by most documents. A further claim
    joins figures for the same ``what``, currency and period that differ in value
    across documents, when no document gives both values.

    Parameters
    ----------
    numbers : pandas.DataFrame
        Output of :func:`analysis.statements.numbers.extract_numbers`.

    Returns
    -------
    pandas.DataFrame
        One row per mention in a claim, sorted by ``group_id``, ``doc_id`` and
        the mention's order: ``group_id`` (``"nc<NN>"``), ``doc_id``, ``value``,
        ``what``, ``text``, ``conflict`` (``agree``; ``different_scope``: the
        figure is tied to another place; ``different_description``: it counts a
        differently described thing, "contractor" against "mercenary", or
        "spend" against "receive"; ``different_value``: another figure for the
        same thing), ``label``, ``unit``, ``scope`` and ``claim`` (a readable
        name of the claim, e.g. ``"USD 100,000,000 per month (spend)"``).
    """
    rows = _claim_rows(numbers)
    out: list[dict] = []
    groups = []
    for key, grp in rows.groupby(["family", "value", "currency", "period"], sort=True):
        if grp["doc_id"].nunique() >= 2:
            groups.append(("value", key, grp))
    for key, grp in rows[rows["what"] != ""].groupby(["unit", "what", "currency", "period"],
                                                     sort=True):
        values_by_doc = grp.groupby("doc_id")["value"].nunique()
        if grp["value"].nunique() >= 2 and grp["doc_id"].nunique() >= 2 \
                and (values_by_doc == 1).all():
            groups.append(("what", key, grp))
    groups.sort(key=lambda g: (g[2]["doc_id"].min(), g[2]["start"].min() if "start" in g[2]
                               else 0, g[0]))
    for n, (kind, key, grp) in enumerate(groups, start=1):
        gid = f"nc{n:02d}"
        docs = grp["doc_id"].tolist()
        ref_what = _mode(grp["what"].tolist(), docs)
        ref_scope = _mode(grp["scope"].tolist(), docs)
        if kind == "value":
            ref_unit = _mode(grp["unit"].tolist(), docs)
            ref_value = float(key[1])
        else:
            ref_unit = _mode(grp["unit"].tolist(), docs)
            counts = Counter()
            for v, d in set(zip(grp["value"], grp["doc_id"])):
                counts[v] += 1
            ref_value = max(grp["value"], key=lambda v: counts[v])
        claim = _claim_label(ref_unit, ref_value, key[2], key[3], ref_what)
        for _, r in grp.iterrows():
            if kind == "what":
                conflict = "agree" if r["value"] == ref_value else "different_value"
            elif r["scope"] and ref_scope and r["scope"] != ref_scope:
                conflict = "different_scope"
            elif r["what"] != ref_what or (r["unit"] != ref_unit and ref_unit):
                conflict = "different_description"
            else:
                conflict = "agree"
            out.append({"group_id": gid, "doc_id": r["doc_id"], "value": float(r["value"]),
                        "what": r["what"], "text": r["text"], "conflict": conflict,
                        "label": r["label"], "unit": r["unit"], "scope": r["scope"],
                        "claim": claim, "_group": n, "_start": r.get("start", 0)})
    # sort on the group's number: as strings "nc100" would come before "nc11"
    table = pd.DataFrame(out, columns=CONFLICT_COLUMNS + ["_group", "_start"])
    table = table.sort_values(["_group", "doc_id", "_start"], kind="stable")
    return table.drop(columns=["_group", "_start"]).reset_index(drop=True)


def number_claims(numbers: pd.DataFrame) -> pd.DataFrame:
    """One row per claim shared across documents (see :func:`number_conflicts`).

    Parameters
    ----------
    numbers : pandas.DataFrame
        Output of :func:`analysis.statements.numbers.extract_numbers`.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``group_id``: ``group_id``, ``claim`` (readable name),
        ``unit``, ``value`` (the reference value), ``currency``, ``period``,
        ``what`` (the reference description), ``n_docs`` (documents stating it)
        and ``status`` (``agree`` when every mention agrees, else
        ``conflict``).
    """
    conflicts = number_conflicts(numbers)
    rows = _claim_rows(numbers)
    out = []
    for gid, grp in conflicts.groupby("group_id", sort=False):   # already in group order
        agree = grp[grp["conflict"] == "agree"]
        ref = agree.iloc[0] if not agree.empty else grp.iloc[0]
        match = rows[(rows["doc_id"] == ref["doc_id"]) & (rows["text"] == ref["text"])]
        currency = match["currency"].iloc[0] if not match.empty else ""
        period = match["period"].iloc[0] if not match.empty else ""
        out.append({"group_id": gid, "claim": ref["claim"], "unit": ref["unit"],
                    "value": float(ref["value"]), "currency": currency, "period": period,
                    "what": ref["what"], "n_docs": int(grp["doc_id"].nunique()),
                    "status": "agree" if (grp["conflict"] == "agree").all() else "conflict"})
    return pd.DataFrame(out, columns=CLAIM_COLUMNS)
