"""Which columns of each table the HTML report shows, under which heading.

A reader needs a few columns of each table; the CSV files in ``tables/``
keep every column (their docstrings document them). Each mapping is
column -> heading, in the order shown, for :func:`analysis.report.render.reader_table`.
"""

from __future__ import annotations

#: ``readability.csv`` (26 columns, 4,296 px wide before): the outlet, textstat's consensus grade,
#: three grade-level formulas, reading ease, the size and the flags, 9 columns that fit the page's
#: 980 px text column with the seeds (tests/test_report_browser.py measures it; with Coleman-Liau as
#: a tenth column the table was 1,035 px).
READABILITY_SHOWN = {
    "label": "Outlet",
    "text_standard_grade": "Consensus grade",
    "flesch_kincaid_grade": "Flesch-Kincaid",
    "gunning_fog": "Gunning fog",
    "smog_index": "SMOG",
    "flesch_reading_ease": "Reading ease",
    "words": "Words",
    "sentences_independent": "Sentences",
    "flags": "Flags",
}

#: ``overlap_pairs.csv``: who shares how much with whom.
OVERLAP_PAIRS_SHOWN = {
    "doc_a": "Document",
    "doc_b": "Other document",
    "relation": "Relation",
    "basis": "Basis",
    "lexical_containment": "Words in shared passages",
    "unquoted_containment": "Of them outside quotes",
    "semantic_coverage": "Sentences aligned",
}

#: ``passages.csv``: the passage and where it is; character offsets stay in the CSV.
PASSAGES_SHOWN = {
    "doc_a": "Document",
    "doc_b": "Other document",
    "n_words": "Words",
    "kind": "Match",
    "text_a": "Passage",
}

#: ``number_conflicts.csv``: the renderings that disagree with their claim.
NUMBER_CONFLICTS_SHOWN = {
    "label": "Outlet",
    "claim": "Claim",
    "text": "As written",
    "scope": "Scope",
    "conflict": "Conflict",
}

#: ``documents.csv`` in the report's document list (:func:`analysis.report.render.document_list`).
DOCUMENTS_SHOWN = {
    "label": "Document",
    "title": "Headline",
    "language": "Language",
    "n_words": "Words",
    "flags": "Flags",
}

#: ``sources.csv`` columns taken as the publication date, then as the article's address, first found first.
DATE_COLUMNS = ("published", "date", "published_at", "publication_date")
URL_COLUMNS = ("url", "link", "source_url")
#: Schemes a link in the report may have; any other address is shown as text.
LINK_SCHEMES = ("http", "https")
