"""The sentence that states each finding, and where in the report its evidence is.

:func:`analysis.findings.registry.build_findings` decides what was found; this
module writes it for a reader (outlets named by label, never by doc_id) and
gives each finding its anchor in ``report.html``: the section that shows its
evidence lists it under that id (:func:`analysis.report.findings_view.section_findings`).
Plain text: :mod:`analysis.report.render` escapes it.
"""

from __future__ import annotations

import pandas as pd

from analysis.findings.reuse import REUSE_KINDS
from analysis.findings.topics import split_topics
from analysis.overlap.containment import SEMANTIC_DERIVED_MIN

#: Report section (anchor of its heading) that shows each table: a finding is listed, with its
#: evidence, in the section of the first table its evidence names.
SECTION_OF_TABLE = {"derivation": "overlap", "sentence_alignment": "overlap", "passages": "overlap",
                    "statement_changes": "overlap", "quote_variants": "quotes", "number_conflicts": "numbers",
                    "date_conflicts": "numbers"}
#: Section of the findings whose table no section shows yet: listed at the end, under "More findings".
OTHER_SECTION = "more-findings"
#: What each statement change does to the sentence, as a verb phrase.
CHANGE_PHRASES = {"attribution_change": "attributes it to another speaker",
                  "role_reversal": "reverses who did what to whom",
                  "changed_number": "gives another figure",
                  "dropped_qualifier": "drops the qualifier of a figure",
                  "added_qualifier": "adds a qualifier to a figure",
                  "changed_qualifier": "changes the qualifier of a figure",
                  "changed_date": "gives another date",
                  "changed_place": "gives another place",
                  "negation": "turns it into its negation",
                  "quote_marks_lost": "drops the quotation marks",
                  "quote_marks_added": "puts it in quotation marks"}
#: How a finding from ``number_conflicts`` reports the shared figure, as a verb phrase.
NUMBER_PHRASES = {"number_conflict": "reports the figure of",
                  "dropped_qualifier": "drops the qualifier of the figure of",
                  "added_qualifier": "adds a qualifier to the figure of",
                  "changed_qualifier": "changes the qualifier of the figure of"}
#: What an omission leaves out, by the table its evidence names first (:mod:`analysis.findings.omissions`).
OMITTED_FACTS = {"number_conflicts": ("the figure", "the figures"), "date_conflicts": ("the date", "the dates"),
                 "quote_variants": ("the quotation", "the quotations")}
#: Strength from which a reworded text is stated to be a copy of its source, not to reword part of it:
#: the semantic coverage from which the relation rule calls a text wholly derived.
WHOLE_COPY_MIN = SEMANTIC_DERIVED_MIN
#: Longest wording quoted in a statement, in characters (longer ones are cut with "…").
QUOTED_MAX_CHARS = 140


def _quoted(text: str) -> str:
    """Wording between quotation marks, whitespace collapsed, trailing punctuation dropped, cut when long."""
    text = " ".join(str(text).split()).rstrip(" ,;:.")
    if len(text) > QUOTED_MAX_CHARS:
        text = text[:QUOTED_MAX_CHARS - 1].rstrip() + "…"
    return f"“{text}”"


def _why(row, other: str) -> str:
    """The cue behind a reuse finding's direction, as a parenthesis."""
    return {"published": " (it was published later)",
            "names_source": f" (it names {other})",
            "asymmetry": f" (direction read from the overlap: more of it is in {other} than the other way round)",
            "undetermined": " (which came first is undetermined)"}.get(row.direction, "")


def _reuse(row, doc: str, other: str) -> str:
    share = f"{row.strength:.0%}"
    if row.kind == "identical":
        if row.direction == "published":
            return f"{doc} republishes the text of {other} unchanged (it was published later)."
        return f"{doc} and {other} publish the same text{_why(row, other)}."
    undetermined = row.direction == "undetermined"
    if row.kind == "reworded_copy":
        whole = row.strength >= WHOLE_COPY_MIN
        claim = (f"{doc} and {other} tell the story in the same sentences, reworded" if undetermined
                 else f"{doc} is a reworded copy of {other}" if whole else f"{doc} rewords part of {other}")
        return f"{claim}: {share} of {doc if undetermined else 'its'} sentences have a counterpart there{_why(row, other)}."
    claim = (f"{doc} and {other} share passages" if undetermined else f"{doc} takes text from {other}")
    where = "in the other" if undetermined else "there"
    return f"{claim}: {share} of {doc if undetermined else 'it'} is found {where}{_why(row, other)}."


def statement(row, labels: dict[str, str]) -> str:
    """One plain sentence stating a finding (a row of :func:`analysis.findings.registry.build_findings`).

    ``labels`` maps doc_id to the name a sentence uses (:func:`sentence_names`).
    """
    doc = labels.get(row.doc_id, row.doc_id)
    other = labels.get(row.other_doc_id, row.other_doc_id) if row.other_doc_id else ""
    if row.kind in REUSE_KINDS:
        return _reuse(row, doc, other)
    if row.kind == "altered_quote":
        speaker = "" if row.topic in ("", "unknown") else f" {row.topic} as saying"
        return f"{doc} quotes{speaker} {_quoted(row.text)}, where {other} has {_quoted(row.other_text)}."
    if row.kind == "omission":
        tables = {part.split(".csv", 1)[0].strip() for part in str(row.evidence).split(" | ")} - {"quote_renderings"}
        facts = split_topics(row.topic)  # the facts merged into one finding (analysis.findings.topics)
        one, many = OMITTED_FACTS.get(next(iter(tables)), ("the fact", "the facts")) if len(tables) == 1 \
            else ("the fact", "the facts")
        what = many if len(facts) > 1 else one
        facts = "; ".join(_quoted(fact) for fact in facts)
        return (f"{doc} leaves out {what} {facts}, which {row.strength:.0%} of the documents of its story report; "
                f"{other}, for one, writes {_quoted(row.other_text)}.")
    if row.kind == "date_conflict":
        return (f"{doc} dates {_quoted(row.topic)} differently from {other}: "
                f"{_quoted(row.text)} against {_quoted(row.other_text)}.")
    if row.kind in NUMBER_PHRASES and str(row.evidence).startswith("number_conflicts"):  # not a sentence pair
        return (f"{doc} {NUMBER_PHRASES[row.kind]} {_quoted(row.topic)} differently from {other}: "
                f"{_quoted(row.text)} against {_quoted(row.other_text)}.")
    phrase = CHANGE_PHRASES.get(row.kind, row.kind.replace("_", " "))
    detail = f" ({row.topic})" if row.topic else ""
    why = " Which came first is undetermined." if row.direction == "undetermined" else ""
    return (f"Where {other} writes {_quoted(row.other_text)}, {doc} {phrase}{detail}: "
            f"{_quoted(row.text)}.{why}")


def sentence_names(docs: pd.DataFrame) -> dict[str, str]:
    """doc_id -> how a sentence names the document: its label, in quotation marks when it is a headline.

    A document without an outlet is labelled by a few words of its headline
    (:func:`analysis.corpus.cleaning.display_labels`); in a sentence those
    words read as a title, so they are quoted (“N. Korea disputes that…”).
    """
    from analysis.corpus.cleaning import document_labels

    labels = document_labels(docs)
    outlets = dict(zip(docs["doc_id"].astype(str), docs["outlet"].fillna(""))) if "outlet" in docs else {}
    return {doc_id: (label if outlets.get(doc_id) else f"“{label}”") for doc_id, label in labels.items()}


def section_of(evidence: str) -> str:
    """The section that lists a finding: that of the first table its evidence names (:data:`SECTION_OF_TABLE`)."""
    table = str(evidence).split(".csv", 1)[0].strip()
    return SECTION_OF_TABLE.get(table, OTHER_SECTION)


def anchor(finding_id: str) -> str:
    """The id of a finding's element in ``report.html`` (``"finding-f01"``)."""
    return f"finding-{finding_id.lower()}"


def with_statements(findings: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """``findings`` with ``statement`` and ``anchor``, in the column order of ``findings.csv``.

    Parameters
    ----------
    findings : pandas.DataFrame
        :func:`analysis.findings.registry.build_findings` output.
    docs : pandas.DataFrame
        Corpus table (``doc_id``, ``label``).

    Returns
    -------
    pandas.DataFrame
        ``finding_id``, ``kind``, ``doc_id``, ``other_doc_id``, ``strength``,
        ``statement`` (one sentence naming outlets by label), ``evidence``,
        ``anchor`` (id of the finding's entry in ``report.html``, listed in the
        section of :func:`section_of`), ``section`` (that section's anchor), then ``direction``, ``topic``, ``text``, ``other_text``.
    """
    labels = sentence_names(docs)
    out = findings.copy()
    out["statement"] = [statement(row, labels) for row in findings.itertuples(index=False)]
    out["anchor"] = [anchor(f) for f in findings["finding_id"]]
    out["section"] = [section_of(evidence) for evidence in findings["evidence"]]
    first = ["finding_id", "kind", "doc_id", "other_doc_id", "strength", "statement", "evidence", "anchor",
             "section"]
    return out[first + [c for c in out.columns if c not in first]]
