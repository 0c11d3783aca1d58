"""Every sentence the report writes from data: interpretation, alt text, and the numbers they state.

The report notebook shows, under each section, one sentence of interpretation
(``describe_*``) and, for each figure, an alt text that states the figure's
numbers (``*_alt_text``). The small tables those sentences read (median grade
per outlet, mentions of the most named entities, ...) are computed here too,
so that a sentence and the figure beside it cannot disagree.

Sentences name documents by their label (:func:`analysis.corpus.cleaning.document_labels`),
never by doc_id, and are plain text: :mod:`analysis.report.render` escapes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from analysis.corpus.cleaning import document_labels
from analysis.corpus.language import not_english_note
from analysis.overlap.derivation import identical_bodies
from analysis.report.overlap_section import cross_source_skip_reason
from analysis.tables import require_columns

if TYPE_CHECKING:  # the pipeline orchestrates the sections and imports this module's sentences, not the reverse
    from analysis.report.pipeline import CorpusAnalysis

#: Entities whose mentions the entity heatmap's alt text states.
ALT_TEXT_TOP_ENTITIES = 10


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def alt_text(kind: str, values: dict[str, float], unit: str = "", digits: int = 1) -> str:
    """Alt text that states a figure's numbers: ``"<kind>: A 1.2, B 3.4 <unit>."``."""
    parts = ", ".join(f"{label} {value:.{digits}f}" for label, value in values.items())
    return f"{kind}: {parts}{(' ' + unit) if unit else ''}."


def _not_english_suffix(docs: pd.DataFrame | None) -> str:
    """" " and the sentence on documents not in English (:func:`analysis.corpus.language.not_english_note`), or ""."""
    if docs is None:
        return ""
    require_columns(docs, ("body",), "docs")
    note = not_english_note(docs)
    return f" {note}" if note else ""


# ---------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------

def corpus_summary(docs: pd.DataFrame) -> dict[str, int]:
    """Headline numbers of a cleaned corpus (documents, outlets, words, lines removed).

    Parameters
    ----------
    docs : pandas.DataFrame
        :func:`analysis.corpus.cleaning.clean_corpus` output.

    Returns
    -------
    dict of str to int
        ``documents``, ``outlets`` (named ones), ``unknown_outlet`` (documents
        without one), ``words``, ``boilerplate_lines``, ``duplicate_paragraphs``.
    """
    return {
        "documents": len(docs),
        "outlets": int(docs.loc[docs["outlet"] != "", "outlet"].nunique()),
        "unknown_outlet": int((docs["outlet"] == "").sum()),
        "words": int(docs["n_words"].sum()),
        "boilerplate_lines": int(docs["boilerplate_lines"].sum()),
        "duplicate_paragraphs": int(docs["duplicate_paragraphs"].sum()),
    }


def describe_corpus(analysis: CorpusAnalysis) -> str:
    """One sentence summarising the corpus for the top of the report.

    Counts the articles and the named outlets they come from; a corpus that
    names no outlet says so instead of counting "0 named outlets".
    Followed by :func:`analysis.corpus.language.not_english_note` when some documents
    are not in English.
    """
    s = corpus_summary(analysis.docs)
    if not s["outlets"]:  # no outlet named anywhere: the documents are all there is to count
        source = " (no outlet named)"
    else:
        source = f" from {_plural(s['outlets'], 'named outlet')}"
        if s["unknown_outlet"]:
            source += f" ({_plural(s['unknown_outlet'], 'article')} without an outlet)"
    return (f"{_plural(s['documents'], 'article')}{source}: "
            f"{s['words']:,} words of body text after removing {_plural(s['boilerplate_lines'], 'boilerplate line')} "
            f"and {_plural(s['duplicate_paragraphs'], 'repeated paragraph')}."
            + _not_english_suffix(analysis.docs))


# ---------------------------------------------------------------------------
# Readability
# ---------------------------------------------------------------------------

def describe_readability(table: pd.DataFrame) -> str:
    """One sentence comparing the outlets' Flesch-Kincaid and consensus grades.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`analysis.measures.readability.readability_table` output.

    Returns
    -------
    str
        The easiest and hardest outlet by Flesch-Kincaid grade and the range of
        textstat's consensus grade (one outlet: its grade and reading ease; none
        scored: a sentence saying so), then the documents left out: those in
        another language than English (flag ``not_english=<code>``) in the
        sentence every English-only section uses
        (:func:`analysis.corpus.language.not_english_note`), and the others not scored.
    """
    scored = table.dropna(subset=["flesch_kincaid_grade"])
    flags = table["flags"].fillna("") if "flags" in table.columns else pd.Series("", index=table.index)
    languages = flags.str.extract(r"(?:^|;)not_english=([^;]+)", expand=False).fillna("en")
    not_latin = int(flags.str.contains("not_latin_script").sum())
    run_on = int(flags.str.contains("no_sentence_punctuation").sum())
    caveat = ""
    if not_latin or run_on:
        caveat = " Not scored: " + "; ".join(part for part in (
            f"{not_latin} document(s) not in the Latin script (the formulas are English ones)" if not_latin else "",
            f"{run_on} document(s) without usable sentence punctuation" if run_on else "") if part) + "."
    note = not_english_note(languages)
    if note:
        caveat = f" {note}{caveat}"
    if scored.empty:
        return "No document has enough English text to score." + caveat
    easiest = scored.loc[scored["flesch_kincaid_grade"].idxmin()]
    hardest = scored.loc[scored["flesch_kincaid_grade"].idxmax()]
    if len(scored) == 1:
        return (f"{easiest['label']} reads at Flesch-Kincaid grade {easiest['flesch_kincaid_grade']:.1f} "
                f"(Flesch reading ease {easiest['flesch_reading_ease']:.0f})." + caveat)
    return (f"Flesch-Kincaid grade ranges from {easiest['flesch_kincaid_grade']:.1f} ({easiest['label']}, "
            f"the easiest to read) to {hardest['flesch_kincaid_grade']:.1f} ({hardest['label']}); "
            f"textstat's consensus grade ranges from {scored['text_standard_grade'].min():.0f} "
            f"to {scored['text_standard_grade'].max():.0f}." + caveat)


def readability_alt_text(scores: pd.DataFrame) -> str:
    """Alt text of the grade-level figure: each outlet's Flesch-Kincaid grade."""
    return alt_text("Flesch-Kincaid grade by outlet", dict(zip(scores["label"], scores["flesch_kincaid_grade"])))


def median_paragraph_grades(paragraph_scores: pd.DataFrame) -> dict[str, float]:
    """Median Flesch-Kincaid grade of the scored paragraphs, per document label (corpus order)."""
    scored = paragraph_scores.dropna(subset=["flesch_kincaid_grade"])
    return scored.groupby("label", sort=False)["flesch_kincaid_grade"].median().to_dict()


def paragraph_grades_alt_text(paragraph_scores: pd.DataFrame) -> str:
    """Alt text of the paragraph-grade figure: each outlet's median paragraph grade."""
    return alt_text("Median paragraph Flesch-Kincaid grade by outlet", median_paragraph_grades(paragraph_scores))


# ---------------------------------------------------------------------------
# Entities
# ---------------------------------------------------------------------------

def describe_entities(result: dict[str, pd.DataFrame], docs: pd.DataFrame) -> str:
    """One sentence on the most named entities and the merges made.

    Followed by the sentence on documents not in English
    (:func:`analysis.corpus.language.not_english_note`): the section leaves them out,
    so their names are neither listed nor counted.
    """
    entities = result["entities"]
    note = _not_english_suffix(docs)
    if entities.empty:
        return "No named entities were found." + note
    totals = entities.groupby("entity")["mentions"].sum().sort_values(ascending=False, kind="stable")
    top = ", ".join(f"{name} ({count})" for name, count in totals.head(3).items())
    aliases = result["entity_aliases"]
    merged = aliases[aliases["how"] != "as written"]
    sentence = (f"{len(totals)} distinct entities; the most named are {top}. "
                f"{len(merged)} names were merged into another (tables/entity_aliases.csv says how).")
    return sentence + note


def top_entity_mentions(entities: pd.DataFrame, n: int = ALT_TEXT_TOP_ENTITIES) -> dict[str, int]:
    """Mentions across the corpus of the ``n`` most named entities."""
    return entities.groupby("entity")["mentions"].sum().nlargest(n).to_dict()


def entity_mentions_alt_text(entities: pd.DataFrame) -> str:
    """Alt text of the entity heatmap: mentions of the most named entities."""
    return alt_text("Mentions of the most named entities across the corpus", top_entity_mentions(entities),
                    digits=0)


def unique_entity_counts(entities: pd.DataFrame, docs: pd.DataFrame) -> dict[str, int]:
    """Number of entities each document (by label) names and no other document does."""
    per_entity = entities.groupby("entity")["doc_id"].nunique()
    only = entities[entities["entity"].map(per_entity) == 1]
    counts = only.groupby("doc_id")["entity"].nunique()
    return {label: int(counts.get(doc_id, 0)) for doc_id, label in document_labels(docs).items()}


def unique_entities_alt_text(entities: pd.DataFrame, docs: pd.DataFrame) -> str:
    """Alt text of the unique-entities figure: how many entities only each outlet names."""
    return alt_text("Entities named by one outlet only, per outlet", unique_entity_counts(entities, docs),
                    digits=0)


# ---------------------------------------------------------------------------
# Cross-source overlap
# ---------------------------------------------------------------------------

def describe_overlap(result: dict[str, pd.DataFrame], analysis: CorpusAnalysis) -> str:
    """One sentence naming the most derived pair and counting related pairs.

    Parameters
    ----------
    result : dict of str to pandas.DataFrame
        :func:`analysis.report.pipeline.overlap_tables` output.
    analysis : analysis.report.pipeline.CorpusAnalysis
        The corpus, for labels and for why the section may have been skipped.

    Returns
    -------
    str
        :func:`analysis.report.pipeline.cross_source_skip_reason` when the section was
        skipped, else the count of related ordered pairs and the closest one.
    """
    skip_reason = cross_source_skip_reason(analysis)
    if skip_reason:
        return skip_reason
    pairs = result["overlap_pairs"]
    labels = document_labels(analysis.docs)
    related = pairs[pairs["relation"] != "independent"]
    if related.empty:
        return "No document shares enough text with another to count as derived from it."
    top = pairs.sort_values(["lexical_containment", "doc_a", "doc_b"], ascending=[False, True, True]).iloc[0]
    first_copy = identical_bodies(analysis.docs)
    same = first_copy.get(top["doc_a"], top["doc_a"]) == first_copy.get(top["doc_b"], top["doc_b"])
    return (f"{len(related)} of {len(pairs)} ordered pairs share text beyond chance; the closest: "
            f"{top['lexical_containment']:.0%} of {labels[top['doc_a']]}'s words lie in passages shared with "
            f"{labels[top['doc_b']]} ({'the same text' if same else top['relation'].replace('_', ' ')}).")


def pairs_alt_text(pairs: pd.DataFrame, docs: pd.DataFrame, value: str) -> str:
    """Alt text of an overlap heatmap: the non-zero values of a pairwise measure, largest first."""
    labels = document_labels(docs)
    shown = pairs[pairs[value] > 0].sort_values(value, ascending=False)
    parts = [f"{labels[r.doc_a]} in {labels[r.doc_b]} {getattr(r, value):.0%}" for r in shown.itertuples()]
    return f"Heatmap of {value.replace('_', ' ')} by pair: " + ("; ".join(parts) if parts else "all zero") + "."


def edges_alt_text(edges: pd.DataFrame, docs: pd.DataFrame) -> str:
    """Alt text of the derivation graph: each derived document, its source and relation."""
    labels = document_labels(docs)
    parts = [f"{labels[r.derived]} from {labels[r.source]} ({r.relation.replace('_', ' ')})"
             for r in edges.itertuples()]
    return "Derivation graph: " + ("; ".join(parts) if parts else "no derived pairs") + "."


# ---------------------------------------------------------------------------
# Quotes and numbers
# ---------------------------------------------------------------------------

def describe_quotes(result: dict[str, pd.DataFrame], docs: pd.DataFrame | None = None) -> str:
    """One sentence counting quotations, speakers and altered renderings.

    With ``docs``, followed by the sentence on documents not in English
    (:func:`analysis.corpus.language.not_english_note`), which the section leaves out.
    """
    quotes, variants = result["quotes"], result["quote_variants"]
    direct = quotes[quotes["kind"] == "quote"]
    altered = variants[variants["differs"]] if not variants.empty else variants
    speakers = direct.loc[direct["speaker"] != "unknown", "speaker"].nunique()
    groups = altered["group_id"].nunique() if not altered.empty else 0
    sentence = (f"{len(direct)} direct quotations from {speakers} identified speakers; {groups} statement"
                f"{'s are' if groups != 1 else ' is'} rendered in different words by different outlets.")
    return sentence + _not_english_suffix(docs)


def quotations_per_label(quotes: pd.DataFrame) -> dict[str, int]:
    """Number of direct quotations (scare quotes excluded) per document label."""
    return quotes[quotes["kind"] == "quote"].groupby("label", sort=True).size().to_dict()


def quotes_alt_text(quotes: pd.DataFrame) -> str:
    """Alt text of the quotes figure: direct quotations per outlet."""
    return alt_text("Direct quotations per outlet", quotations_per_label(quotes), digits=0)


def describe_numbers(result: dict[str, pd.DataFrame], docs: pd.DataFrame | None = None) -> str:
    """One sentence counting numeric claims and conflicts.

    With ``docs``, followed by the sentence on documents not in English
    (:func:`analysis.corpus.language.not_english_note`), which the section leaves out.
    """
    claims = result["number_claims"]
    conflicting = int((claims["status"] == "conflict").sum()) if not claims.empty else 0
    return (f"{len(result['numbers'])} numbers found; {len(claims)} claims are reported by more than one "
            f"outlet, {conflicting} of them with a conflict." + _not_english_suffix(docs))


def no_shared_claims(analysis: CorpusAnalysis) -> str:
    """Why there is no claims figure: too few documents to compare, or no figure two outlets report."""
    return (cross_source_skip_reason(analysis)
            or "No figure is reported by more than one outlet, so there is nothing to compare.")


def claims_by_status(claims: pd.DataFrame) -> dict[str, int]:
    """Number of cross-outlet claims per status (agree, conflict)."""
    return claims["status"].value_counts().sort_index().to_dict()


def claims_alt_text(claims: pd.DataFrame) -> str:
    """Alt text of the claims figure: cross-outlet claims per status."""
    return alt_text("Claims by status", claims_by_status(claims), digits=0)
