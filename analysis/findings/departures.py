"""Departure findings: one outlet's wording departs from another's.

- ``altered_quote`` from ``quote_variants`` (the same statement quoted in other words),
- ``number_conflict`` (and the conflict kinds the table names) from ``number_conflicts``,
- the statement changes (``attribution_change``, ``role_reversal``, ``changed_number``,
  ``dropped_qualifier``, ``changed_date``, ``changed_place``, ``negation``,
  ``quote_marks_lost``) from ``statement_changes``.

The finding's document is the one that departs, the other one its reference.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from analysis.findings.reuse import BUILT_COLUMNS, rows_evidence
from analysis.overlap.alignment_labels import COPY_MIN, NEAR_COPY_MIN
from analysis.overlap.sequence import counterpart_links
from analysis.statements.change_rules import CHANGE_KINDS
from analysis.tables import require_columns

#: Conflict kinds a ``number_conflicts`` ``kind`` column may name that are findings of their own
#: kind (the figure agrees, its hedge does not); any other conflict is a ``number_conflict``.
NUMBER_FINDING_KINDS = ("dropped_qualifier", "added_qualifier", "changed_qualifier", "date_conflict")
#: ``conflict`` values of ``number_conflicts`` that make a ``number_conflict`` finding: another
#: figure, or the figure tied to another place. ``different_description`` (the same figure,
#: counted in other words: "40,000 convicts" against "40,000 prisoners") stays in the table
#: for the reader but is a wording difference, not a conflicting number.
NUMBER_CONFLICTS_FOUND = ("different_value", "different_scope")
#: ``conflict`` values of ``date_conflicts`` that make a ``date_conflict`` finding.
DATE_CONFLICTS_FOUND = ("different_date", "different_event")
#: Change kinds of ``statement_changes`` (the ``change`` column), each a finding kind.
STATEMENT_CHANGE_KINDS = CHANGE_KINDS
#: A change read the other way round: ``statement_changes`` reads from doc_a to doc_b, so when doc_a
#: is the text that departs, "b dropped the qualifier a has" is "a added one".
REVERSED_CHANGE = {"dropped_qualifier": "added_qualifier", "added_qualifier": "dropped_qualifier",
                   "quote_marks_lost": "quote_marks_added", "quote_marks_added": "quote_marks_lost"}
#: Strength of a statement change between two texts no derivation edge orients:
#: one of the two departs from the other, and nothing says which (a judgement:
#: an even chance). The change's match confidence is multiplied by it.
UNORIENTED_CHANGE_STRENGTH = 0.5
#: How sure a sentence pair linked by its words alone (no classifier probability) is
#: to be one statement, by the lexical level that linked it: the share of MRPC train
#: pairs at that level that are labelled paraphrases (the alignment's own
#: measurement, :mod:`analysis.overlap.alignment_labels`): all 12 at ``COPY_MIN``
#: (0.95) and above, 94% of the 573 from ``NEAR_COPY_MIN`` (0.80) up. Below it a
#: pair without a probability has no evidence of being one statement (0).
LEXICAL_MATCH_CONFIDENCE = ((COPY_MIN, 1.0), (NEAR_COPY_MIN, 0.94))


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=BUILT_COLUMNS).astype({"strength": "float64"})


def _departures(group: pd.DataFrame, departing: pd.Series, conflicting: pd.Series, agreeing_docs: set):
    """Yield ``(position, row)``: each document's first ``departing`` row of ``group``.

    A ``conflicting`` row of a document that also renders the statement as the
    reference does is skipped (it quotes or reports both versions).
    """
    seen = set()
    for position, row in group[departing].iterrows():
        doc = row["doc_id"]
        if doc in seen or (conflicting[position] and doc in agreeing_docs):
            continue
        seen.add(doc)
        yield position, row


def altered_quote_findings(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One finding per outlet whose rendering of a quoted statement departs from the reference's.

    The reference is the rendering ``quote_variants`` compares the others
    with (``reference_quote_id``: the derivation source's rendering first, so
    the outlet that changed the words is the one named; else the group's
    first rendering that does not differ). A document that also renders the
    statement as the reference does is not counted as departing (it quotes
    both wordings). ``strength`` = share of the group's documents whose
    rendering agrees with the reference: 4 outlets of 5 agreeing against one
    is 0.8; one outlet against one is 0.5, an even call.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        ``quote_variants`` (:func:`analysis.statements.quote_variants.quote_variants`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`analysis.findings.reuse.BUILT_COLUMNS`; ``topic`` the
        speaker, ``text`` this outlet's wording, ``other_text`` the reference's.
    """
    variants = tables["quote_variants"].reset_index(drop=True)
    require_columns(variants, ("group_id", "speaker", "doc_id", "text", "differs"), "quote_variants")
    differs = variants["differs"].astype(bool)
    rows = []
    for _, group in variants.groupby("group_id", sort=False):
        agreeing = group[~differs[group.index]]
        if agreeing.empty:
            continue
        named = (group[group["quote_id"] == group["reference_quote_id"]]
                 if {"quote_id", "reference_quote_id"} <= set(group.columns) else group.head(0))
        if not named.empty:
            reference, ref_position = named.iloc[0], named.index[0]
        else:
            reference, ref_position = agreeing.iloc[0], agreeing.index[0]
        agreeing_docs = set(agreeing["doc_id"])
        n_docs = group["doc_id"].nunique()
        for position, row in _departures(group, differs[group.index], differs, agreeing_docs):
            rows.append(("altered_quote", row["doc_id"], reference["doc_id"],
                         round(len(agreeing_docs) / n_docs, 6), "", str(row["speaker"]), str(row["text"]),
                         str(reference["text"]), rows_evidence("quote_variants", [position, ref_position])))
    return pd.DataFrame(rows, columns=BUILT_COLUMNS) if rows else _empty()


def _described(text: str, what: str, scope: str) -> str:
    detail = ", ".join(part for part in (what, f"in {scope}" if scope else "") if part)
    return f"{text} ({detail})" if detail else text


def number_conflict_findings(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One finding per outlet whose figure for a shared claim conflicts with the reference rendering.

    In ``number_conflicts`` every mention of a claim is marked ``agree`` or a
    conflict (different value, scope or description) against the rendering
    most documents give, and its ``kind`` names a hedge that differs. A
    document departs when it has a mention in :data:`NUMBER_CONFLICTS_FOUND`
    and none that agrees (kind ``number_conflict``), or a mention whose
    figure agrees but whose ``kind`` is in :data:`NUMBER_FINDING_KINDS` (that
    kind: "more than $100m" against "$100m" is ``dropped_qualifier``); the
    first agreeing document (table order) is the reference. ``strength`` =
    share of the claim's documents that agree with the reference.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        ``number_conflicts`` (:func:`analysis.statements.number_claims.number_conflicts`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`analysis.findings.reuse.BUILT_COLUMNS`; ``topic`` the
        claim, ``text`` this outlet's figure with what it counts and where,
        ``other_text`` the reference's.
    """
    conflicts = tables["number_conflicts"].reset_index(drop=True)
    require_columns(conflicts, ("group_id", "doc_id", "text", "conflict", "claim"), "number_conflicts")
    # only claims with an agreeing and a departing mention can give a finding; telling them
    # apart on the whole table first spares a pandas group per claim (4,807 claims, 703 of
    # them with both, at 21,578 Reuters stories: most of 11.6 s)
    all_kinds = conflicts["kind"].astype(str) if "kind" in conflicts.columns else pd.Series("", index=conflicts.index)
    flags = pd.DataFrame({"agree": conflicts["conflict"] == "agree",
                          "departs": conflicts["conflict"].isin(NUMBER_CONFLICTS_FOUND)
                          | all_kinds.isin(NUMBER_FINDING_KINDS)})
    both = flags.groupby(conflicts["group_id"], sort=False).transform("any").all(axis=1)
    rows = []
    for _, group in conflicts[both].groupby("group_id", sort=False):
        agree = group[group["conflict"] == "agree"]
        reference = agree.iloc[0]
        agreeing_docs = set(agree["doc_id"])
        n_docs = group["doc_id"].nunique()
        kinds = group["kind"].astype(str) if "kind" in group.columns else pd.Series("", index=group.index)
        departing = group["conflict"].isin(NUMBER_CONFLICTS_FOUND) | kinds.isin(NUMBER_FINDING_KINDS)
        for position, row in _departures(group, departing, group["conflict"] != "agree", agreeing_docs):
            named = kinds[position]
            kind = named if named in NUMBER_FINDING_KINDS else "number_conflict"
            rows.append((kind, row["doc_id"], reference["doc_id"], round(len(agreeing_docs) / n_docs, 6), "",
                         str(row["claim"]),
                         _described(str(row["text"]), str(row.get("what", "")), str(row.get("scope", ""))),
                         _described(str(reference["text"]), str(reference.get("what", "")),
                                    str(reference.get("scope", ""))),
                         rows_evidence("number_conflicts", [position, agree.index[0]])))
    return pd.DataFrame(rows, columns=BUILT_COLUMNS) if rows else _empty()


def _change_detail(evidence: str, reverse: bool) -> str:
    """A change's ``"<what>: <a's words> -> <b's words>"`` evidence read from the other text to the departing one.

    Evidence in another form (the quotation marks rules name "b") says nothing
    the two texts do not show: ``""``.
    """
    match = re.fullmatch(r"([^:]+): (.*) -> (.*)", evidence, flags=re.S)
    if match is None:
        return ""
    what, a, b = match.groups()
    return f"{what}: {b} -> {a}" if reverse else evidence


def _row_confidence(probability, lexical) -> float:
    """How sure one alignment row is that its two sides are one statement (see :func:`match_confidences`)."""
    if pd.notna(probability):
        return float(probability)
    lexical = float(lexical) if pd.notna(lexical) else 0.0
    return next((share for level, share in LEXICAL_MATCH_CONFIDENCE if lexical >= level), 0.0)


def match_confidences(alignment: pd.DataFrame | None) -> dict[tuple[str, int, str, int], float]:
    """``(doc_x, sent_x, doc_y, sent_y)`` -> how sure the alignment is that the two sentences are one statement.

    A row's confidence is its ``probability`` (the paraphrase classifier fitted
    on MRPC train: the probability that the two texts say the same thing);
    where the words alone linked the pair (no probability), the share of MRPC
    train pairs at that lexical level labelled paraphrases
    (:data:`LEXICAL_MATCH_CONFIDENCE`). A pair of sentences takes the highest
    confidence of the rows that link them as counterparts, in either direction
    (:func:`analysis.overlap.sequence.counterpart_links`: ``related`` and
    ``none`` rows link nothing, as they give no statement change; a row of a
    merge links every sentence of its ``sents_b``); both key orders are filled.
    """
    if alignment is None or alignment.empty or not {"doc_a", "sent_a", "doc_b", "sent_b"} <= set(alignment.columns):
        return {}
    links = counterpart_links(alignment)
    source = alignment.loc[links["row"]]
    probability = source["probability"] if "probability" in source else pd.Series(float("nan"), index=source.index)
    lexical = source["lexical"] if "lexical" in source else pd.Series(float("nan"), index=source.index)
    out: dict[tuple[str, int, str, int], float] = {}
    for doc_a, sent_a, doc_b, sent_b, p, lex in zip(links["doc_a"], links["sent_a"], links["doc_b"],
                                                    links["sent_b"], probability, lexical):
        confidence = _row_confidence(p, lex)
        for key in ((doc_a, int(sent_a), doc_b, int(sent_b)), (doc_b, int(sent_b), doc_a, int(sent_a))):
            out[key] = max(out.get(key, 0.0), confidence)
    return out


def statement_change_findings(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One finding per changed statement between two aligned sentences.

    ``statement_changes`` (:func:`analysis.statements.changes.statement_changes`)
    pairs a sentence of ``doc_a`` with its counterpart in ``doc_b`` and names
    the ``change`` (one of :data:`STATEMENT_CHANGE_KINDS`), read from a to b
    ("dropped_qualifier": b lacks the hedge a has). Which text departs comes
    from the derivation edge between the two (``derivation`` table, when
    present and with a direction): the derived text departs from its source,
    with the change read from the source to it (:data:`REVERSED_CHANGE` when
    the derived text is doc_a), and the finding's ``direction`` is the edge's.
    Without such an edge doc_b is listed as departing and the ``direction`` is
    ``undetermined``.

    ``strength`` says how sure it is that the two sentences are one statement,
    so that what differs is a change of it and not two statements: the
    confidence of the alignment rows linking the two sentences
    (:func:`match_confidences`: the MRPC-fitted paraphrase probability, or
    the paraphrase rate of MRPC train pairs at the lexical level that linked
    them), times :data:`UNORIENTED_CHANGE_STRENGTH` when no edge says which
    text departs. It is not the derivation edge's strength: a change inside a
    whole reworded copy is as sure as the match of its own sentences. Without
    a ``sentence_alignment`` table the confidence is taken as 1 (only the
    orientation weighs); a pair the table does not link has confidence 0. Not findings: a change involving the
    later of two identical texts (it repeats the first one's), and quotation
    marks both lost and added in one sentence pair (the quotation moved; which
    text dropped what cannot be read).

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        ``statement_changes`` (``doc_a``, ``sent_a``, ``doc_b``, ``sent_b``,
        ``change``, ``text_a``, ``text_b``, ``evidence``); optional
        ``derivation`` (:func:`analysis.overlap.derivation.derivation_edges`)
        and ``sentence_alignment`` (:func:`analysis.overlap.alignment.align_sentences`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`analysis.findings.reuse.BUILT_COLUMNS`; ``text`` the
        departing sentence, ``other_text`` its counterpart, ``topic`` the
        words that differ, read from the other text to the departing one
        (``"speaker: Officials -> the minister"``; ``""`` when the change's
        evidence is not in that form).

    Raises
    ------
    ValueError
        A ``change`` outside :data:`STATEMENT_CHANGE_KINDS`.
    """
    changes = tables["statement_changes"].reset_index(drop=True)
    require_columns(changes, ("doc_a", "doc_b", "change", "text_a", "text_b"), "statement_changes")
    unknown = sorted(set(changes["change"]) - set(STATEMENT_CHANGE_KINDS))
    if unknown:
        raise ValueError(f"statement_changes has unknown change kind(s) {unknown}")
    edges = tables.get("derivation")
    oriented, copies = {}, set()
    alignment = tables.get("sentence_alignment")
    confidences = match_confidences(alignment)
    if edges is not None and not edges.empty:
        for edge in edges[edges["direction"] != "undetermined"].itertuples(index=False):
            oriented[frozenset((edge.source, edge.derived))] = (edge.derived, 1.0, edge.direction)
        copies = set(edges.loc[edges["relation"] == "identical", "derived"])
    sentence_pair = changes[["doc_a", "sent_a", "doc_b", "sent_b"]].astype(str).agg("|".join, axis=1) \
        if {"sent_a", "sent_b"} <= set(changes.columns) else changes.index.astype(str)
    marks = changes.groupby(sentence_pair)["change"].agg(lambda kinds: {"quote_marks_lost", "quote_marks_added"}
                                                         <= set(kinds))
    rows = []
    for position, row in changes.iterrows():
        if row["doc_a"] in copies or row["doc_b"] in copies:
            continue  # the same finding as for the first of two identical texts
        if row["change"] in ("quote_marks_lost", "quote_marks_added") and marks[sentence_pair[position]]:
            continue  # marks lost and added in one sentence pair: the quotation moved, no loss to read
        derived, strength, direction = oriented.get(frozenset((row["doc_a"], row["doc_b"])),
                                                    (row["doc_b"], UNORIENTED_CHANGE_STRENGTH, "undetermined"))
        if confidences and {"sent_a", "sent_b"} <= set(changes.columns):
            strength *= confidences.get((str(row["doc_a"]), int(row["sent_a"]), str(row["doc_b"]),
                                         int(row["sent_b"])), 0.0)
        kind, doc, other, text, other_text = (row["change"], row["doc_b"], row["doc_a"], row["text_b"],
                                              row["text_a"])
        if derived == row["doc_a"]:
            kind = REVERSED_CHANGE.get(kind, kind)
            doc, other, text, other_text = row["doc_a"], row["doc_b"], row["text_a"], row["text_b"]
        detail = _change_detail(str(row.get("evidence", "")), reverse=doc == row["doc_a"])
        rows.append((kind, doc, other, round(strength, 6), direction, detail, str(text), str(other_text),
                     rows_evidence("statement_changes", [position])))
    return pd.DataFrame(rows, columns=BUILT_COLUMNS) if rows else _empty()


def date_conflict_findings(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One finding per outlet that dates a shared event differently, or moves a date to another event.

    In ``date_conflicts`` the mentions of one event across outlets form a
    group; each is ``agree``, ``unresolved`` (no publication date to resolve
    it against: never a finding) or a conflict in :data:`DATE_CONFLICTS_FOUND`
    against the group's reference dating. A document with a conflicting
    mention and none that agrees departs; the first agreeing document (table
    order) is the reference. ``strength`` = share of the group's documents
    that agree with it.

    Parameters
    ----------
    tables : mapping of str to pandas.DataFrame
        ``date_conflicts`` (:func:`analysis.statements.date_claims.date_conflicts`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`analysis.findings.reuse.BUILT_COLUMNS`; ``topic`` the
        claim (date and event), ``text`` this outlet's date with its event,
        ``other_text`` the reference's.
    """
    conflicts = tables["date_conflicts"].reset_index(drop=True)
    require_columns(conflicts, ("group_id", "doc_id", "text", "event", "conflict", "claim"), "date_conflicts")
    rows = []
    for _, group in conflicts.groupby("group_id", sort=False):
        agree = group[group["conflict"] == "agree"]
        if agree.empty:
            continue
        reference, agreeing_docs = agree.iloc[0], set(agree["doc_id"])
        n_docs = group["doc_id"].nunique()
        conflicting = group["conflict"].isin(DATE_CONFLICTS_FOUND)
        for position, row in _departures(group, conflicting, conflicting, agreeing_docs):
            rows.append(("date_conflict", row["doc_id"], reference["doc_id"], round(len(agreeing_docs) / n_docs, 6),
                         "", str(row["claim"]), f"{row['text']} ({row['event']})",
                         f"{reference['text']} ({reference['event']})",
                         rows_evidence("date_conflicts", [position, agree.index[0]])))
    return pd.DataFrame(rows, columns=BUILT_COLUMNS) if rows else _empty()
