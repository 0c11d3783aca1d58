"""The findings in the report: "Key findings" at the top, each section's findings under their anchors.

Every finding of ``findings.csv`` (:func:`analysis.report.pipeline.findings_tables`)
is listed once, in the section that shows its evidence
(:func:`analysis.report.finding_sentences.section_of`), under the id of its
``anchor`` column; the "Key findings" at the top link to those ids. Markup
comes from the templates in ``analysis/templates/fragments/`` with autoescaping
on, as in :mod:`analysis.report.render`.
"""

from __future__ import annotations

import functools

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from analysis.findings.reuse import REUSE_KINDS
from analysis.report.finding_sentences import OTHER_SECTION
from analysis.report.render import RichHTML

#: Findings the top of the report states, strongest first.
KEY_FINDINGS_MAX = 6
#: Weakest reuse finding stated at the top (the others stay in their sections
#: and in findings.csv). Set by hand, as the derivation graph's edge threshold
#: (:data:`analysis.overlap.derivation.DRAWN_MIN_STRENGTH`): a fifth of the text.
KEY_FINDING_MIN_STRENGTH = 0.2
#: Findings a section lists in the report (the strongest; findings.csv has them
#: all). Set by hand: a 20,000-article corpus can have tens of thousands of
#: findings, and 50 sentences with their evidence are about 25 kB of HTML. At
#: least :data:`KEY_FINDINGS_MAX`, so every key finding's link has its entry.
SECTION_FINDINGS_MAX = 50
#: Strength of a departure that is an even call (one outlet against one, a change
#: between two texts nothing orients): it says nothing of who departs, so a
#: departure is stated at the top only above it.
EVEN_CALL = 0.5


@functools.cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("analysis", "templates/fragments"), autoescape=True,
                       undefined=StrictUndefined, keep_trailing_newline=False)


def _markup(template: str, **values) -> Markup:
    return Markup(_environment().get_template(template).render(**values).strip())


def key_findings(findings: pd.DataFrame, max_shown: int = KEY_FINDINGS_MAX) -> RichHTML:
    """The "Key findings" block: the strongest findings as sentences, each linked to its entry below.

    Parameters
    ----------
    findings : pandas.DataFrame
        ``findings.csv`` (``finding_id``, ``statement``, ``strength``, ``anchor``), ranked.
    max_shown : int
        Most findings listed: reuse of strength at least
        :data:`KEY_FINDING_MIN_STRENGTH`, departures above :data:`EVEN_CALL`.

    Returns
    -------
    RichHTML
        A ``<section>`` with an ``<h2 id="key-findings">`` and an ordered
        list of links (``href="#<anchor>"``); a sentence when nothing is strong enough.
    """
    reuse = findings["kind"].isin(REUSE_KINDS)
    strong = findings[(reuse & (findings["strength"] >= KEY_FINDING_MIN_STRENGTH))
                      | (~reuse & (findings["strength"] > EVEN_CALL))]
    shown = strong.head(max_shown)
    empty = ("No finding is strong enough to state here; every finding is listed in its section and in "
             "tables/findings.csv." if len(findings) else "The analysis found no reuse, altered quotation, "
             "conflicting figure or omission between these documents.")
    records = shown[["finding_id", "statement", "strength", "anchor"]].to_dict("records")
    text = "\n".join(f"{k}. {r['statement']}" for k, r in enumerate(records, start=1)) or empty
    return RichHTML(_markup("key_findings.html.j2", findings=records, more=len(findings) - len(shown),
                            empty=empty), "Key findings\n" + text)


def section_findings(findings: pd.DataFrame, section: str, max_shown: int = SECTION_FINDINGS_MAX) -> RichHTML | None:
    """A section's findings, each under its anchor with its evidence; None when it has none.

    Parameters
    ----------
    findings : pandas.DataFrame
        ``findings.csv`` (``finding_id``, ``statement``, ``strength``,
        ``evidence``, ``anchor``, ``section``).
    section : str
        The section's anchor (``"overlap"``, ``"quotes"``, ``"numbers"``), or
        :data:`analysis.report.finding_sentences.OTHER_SECTION` for the kinds
        no section shows: that block brings its own heading.
    max_shown : int
        Findings listed (the first, i.e. strongest, of the ranked table); a
        line counts the others, which are in ``findings.csv``.

    Returns
    -------
    RichHTML or None
    """
    mine = findings[findings["section"] == section]
    if mine.empty:
        return None
    records = mine.head(max_shown)[["finding_id", "statement", "strength", "evidence", "anchor"]].to_dict("records")
    heading = "More findings" if section == OTHER_SECTION else ""
    return RichHTML(_markup("section_findings.html.j2", findings=records, heading=heading, heading_id=section,
                            more=len(mine) - len(records)),
                    "\n".join(f"{r['finding_id']}. {r['statement']}" for r in records))
