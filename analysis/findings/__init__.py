"""Findings: what the analysis found, one row per finding, ranked, each pointing at its evidence.

A *finding* is a plain claim about one document (the copier, the outlet whose
wording departs) and, where there is one, another (its source or reference),
with a ``strength`` from 0 to 1 and the ids of the table rows behind it.
Each kind comes from one small builder over one section table
(:data:`analysis.findings.registry.BUILDERS`); a builder whose table the run did
not produce yields nothing, so a new section's table becomes findings by
adding one builder. The sentences that state findings are written by
:mod:`analysis.report.finding_sentences`; this package only decides what was found.
"""
