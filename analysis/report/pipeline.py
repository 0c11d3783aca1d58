"""The analysis, section by section, shared by the report notebook and ``parallax analyze``.

:func:`open_corpus` loads and cleans a corpus once and holds what several
sections share (the spaCy parse, the sentence table), computed on first use.
Each ``*_tables`` function runs one report section and returns its tidy tables
by name (the CSV file stem); the notebook adds figures (:mod:`analysis.figures`)
and a sentence of interpretation (:mod:`analysis.report.narrative`), shown through
:mod:`analysis.report.render`; ``parallax analyze`` writes the tables alone. This
module only orchestrates: it writes no sentence and no markup.

Tables are written with :func:`analysis.tables.write_table`: a text cell that
a spreadsheet would run as a formula (``=...``, ``+...``, ``-...``, ``@...``)
gets a leading ``'``; :func:`analysis.tables.read_table` reads the exact text back.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.corpus import boilerplate, cleaning, reading
from analysis.corpus.paths import resolve_corpus_path
from analysis.report.overlap_section import compute_overlap, cross_source_skip_reason  # noqa: F401 (public here too)
from analysis.report.parameters import DEFAULTS, check_parameters, check_scheduler_address
from analysis.report.stages import DocumentStages

#: Default values of the analysis parameters (one source: :data:`analysis.report.parameters.DEFAULTS`;
#: the report notebook's parameters cell repeats them, and tests check the two agree).
DEFAULT_PARAMETERS = DEFAULTS


@dataclass
class CorpusAnalysis(DocumentStages):
    """A loaded corpus and the intermediate results its sections share.

    The per-document stages (the parse, sentences, readability, figures,
    dates, quotations) run in batches, here or on a Dask cluster
    (:class:`analysis.report.stages.DocumentStages`).

    Attributes
    ----------
    corpus : str
        The corpus as the user named it.
    path : pathlib.Path
        Where it was found.
    raw, lines, docs : pandas.DataFrame
        :func:`analysis.corpus.reading.read_corpus`, :func:`~analysis.corpus.boilerplate.line_table`
        and :func:`~analysis.corpus.cleaning.clean_corpus` outputs.
    parameters : dict
        Analysis parameters (see :data:`DEFAULT_PARAMETERS`).
    results : dict
        Tables of the sections already run, by section function name (see :func:`once_per_corpus`).
    scheduler : str
        Address of the Dask scheduler the stages run on (:mod:`analysis.engine`); "" runs them here.
    """

    corpus: str
    path: Path
    raw: pd.DataFrame
    lines: pd.DataFrame
    docs: pd.DataFrame
    parameters: dict = field(default_factory=dict)
    results: dict = field(default_factory=dict)
    scheduler: str = ""

    @property
    def name(self) -> str:
        """The corpus name: its folder (or file stem)."""
        return self.path.stem if self.path.is_file() else self.path.resolve().name

    @functools.cached_property
    def nlp(self):
        """The spaCy pipeline (loaded once per process)."""
        from analysis.text.nlp import load_pipeline

        return load_pipeline(self.parameters.get("spacy_model", "auto"))

    @functools.cached_property
    def paragraphs(self) -> pd.DataFrame:
        """:func:`analysis.corpus.cleaning.paragraph_table` of the corpus, made once."""
        return cleaning.paragraph_table(self.docs)

    @functools.cached_property
    def prose_sentences(self) -> pd.DataFrame:
        """Sentences of the prose paragraphs (sub-headings left out), for alignment."""
        from analysis.overlap.scope import sentences_outside

        paragraphs = self.paragraphs
        return sentences_outside(self.sentences, paragraphs[paragraphs["kind"] == "heading"])

    @functools.cached_property
    def formulas(self):
        """Common shingles, template lines and figures (:func:`analysis.overlap.wire_templates.formula_index`)."""
        from analysis.overlap.wire_templates import formula_index

        return formula_index(self.docs)

    @property
    def common_forms(self) -> frozenset:
        """Shingle forms shared by many documents (as :func:`analysis.overlap.shingle_frequency.common_forms`)."""
        return self.formulas.common

    @functools.cached_property
    def candidates(self) -> pd.DataFrame:
        """Candidate pairs (:func:`analysis.overlap.candidates.candidate_pairs`), wire formulas left out."""
        from analysis.overlap.candidates import candidate_pairs
        from analysis.overlap.shingle_frequency import rare_shingle_sets

        common = self.common_forms
        sets = rare_shingle_sets(self.docs, common, rare=self.formulas.rare) if common else None
        return candidate_pairs(self.docs, seed=self.parameters["seed"], shingle_sets=sets)

    @functools.cached_property
    def stories(self) -> pd.DataFrame:
        """``stories.csv``: the story of each document (:func:`analysis.overlap.stories.find_stories`)."""
        from analysis.overlap.stories import find_stories

        return find_stories(self.docs, self.candidates)

    @functools.cached_property
    def english_docs(self) -> pd.DataFrame:
        """The documents the English-only sections analyse (:func:`analysis.corpus.language.english_documents`)."""
        from analysis.corpus.language import english_documents

        return english_documents(self.docs)

    @property
    def english_parsed(self) -> dict:
        """:attr:`parsed` for :attr:`english_docs` only."""
        return {doc_id: self.parsed[doc_id] for doc_id in self.english_docs["doc_id"]}

    @functools.cached_property
    def aliases(self) -> pd.DataFrame:
        """The alias table (:func:`analysis.measures.name_matching.load_aliases`), read once."""
        from analysis.measures.name_matching import load_aliases

        return load_aliases(self.path if self.path.is_dir() else self.path.parent)

    @functools.cached_property
    def entities(self) -> dict[str, pd.DataFrame]:
        """The entity tables (:func:`analysis.measures.entities.analyse_entities`) of the English documents, computed once."""
        from analysis.measures import entities

        return entities.analyse_entities(self.english_docs, self.english_parsed, self.nlp, self.aliases,
                                         self.parameters["capitals_as_governments"], titles=self.parses[1],
                                         ner_rows=self.ner_rows)

    @functools.cached_property
    def overlap(self) -> dict[str, pd.DataFrame]:
        """The overlap section's tables (:func:`overlap_tables`), computed once: the quotes section reads its derivation."""
        return compute_overlap(self)

    @functools.cached_property
    def outlet_reuse(self) -> pd.DataFrame | None:
        """Outlet x outlet reuse (:func:`analysis.overlap.aggregate.outlet_reuse`), computed once for the overlap
        section's figures and table; None when they draw documents (:func:`analysis.figures.layout.detailed`)
        or the section was skipped."""
        from analysis.figures.layout import detailed
        from analysis.overlap.aggregate import outlet_reuse

        if detailed(self.n_documents) or not self.overlap:
            return None
        return outlet_reuse(self.overlap["overlap_pairs"], self.docs)

    @property
    def n_documents(self) -> int:
        return len(self.docs)


def open_corpus(corpus: str | Path, scheduler: str = "", **parameters) -> CorpusAnalysis:
    """Load and clean a corpus for analysis.

    Parameters
    ----------
    corpus : str or pathlib.Path
        Corpus folder or file (see :func:`resolve_corpus_path`).
    scheduler : str
        Address of a Dask scheduler to run the stages on (``tcp://host:port``);
        "" (default) runs them in this process. The tables are the same either way.
    **parameters
        Analysis parameters (see :data:`analysis.report.parameters.PARAMETERS`).

    Returns
    -------
    CorpusAnalysis

    Raises
    ------
    ParameterError
        An unknown parameter, or a value of the wrong type or out of range,
        named as the user wrote it (checked before the corpus is read); or
        ``scheduler`` is not an address (:func:`analysis.report.parameters.check_scheduler_address`).
    CorpusError
        The corpus cannot be read.
    """
    parameters = check_parameters(parameters)
    scheduler = check_scheduler_address(scheduler)
    path = resolve_corpus_path(corpus)
    raw = reading.read_corpus(path)
    lines = boilerplate.line_table(raw)
    docs = cleaning.clean_corpus(raw, lines)
    return CorpusAnalysis(str(corpus), path, raw, lines, docs, parameters, scheduler=scheduler)


def once_per_corpus(section):
    """Decorator: a section runs once per :class:`CorpusAnalysis`; later calls return its tables again.

    The report states its findings at the top, from every section's tables,
    and then shows each section: the section's own cell reuses the tables.
    """
    @functools.wraps(section)
    def cached(analysis: CorpusAnalysis) -> dict[str, pd.DataFrame]:
        if section.__name__ not in analysis.results:
            analysis.results[section.__name__] = section(analysis)
        return dict(analysis.results[section.__name__])

    return cached


@once_per_corpus
def corpus_tables(analysis: CorpusAnalysis) -> dict[str, pd.DataFrame]:
    """The corpus section: ``documents``, ``boilerplate`` and ``paragraphs`` tables."""
    return {
        "documents": cleaning.document_table(analysis.docs, analysis.sentences),
        "boilerplate": cleaning.boilerplate_table(analysis.lines),
        "paragraphs": analysis.paragraphs,
    }


@once_per_corpus
def readability_tables(analysis: CorpusAnalysis) -> dict[str, pd.DataFrame]:
    """The readability section: ``readability`` (per document) and ``readability_paragraphs``.

    Every document has a row; those in another language than English are not
    scored (flag ``not_english=<code>``).
    """
    tables = analysis.document_tables  # per batch of documents (analysis.report.stages)
    return {"readability": tables["readability"], "readability_paragraphs": tables["readability_paragraphs"]}


@once_per_corpus
def entities_tables(analysis: CorpusAnalysis) -> dict[str, pd.DataFrame]:
    """The entities section: ``entities``, ``entity_aliases``, ``title_entities``, ``entity_suppressed``.

    English-only: documents in another language are left out (:attr:`CorpusAnalysis.english_docs`).
    """
    result = analysis.entities
    return {"entities": result["entities"], "entity_aliases": result["entity_aliases"],
            "title_entities": result["title_entities"], "entity_suppressed": result["suppressed"]}


@once_per_corpus
def overlap_tables(analysis: CorpusAnalysis) -> dict[str, pd.DataFrame]:
    """The overlap section's tables (:func:`compute_overlap`, computed once per corpus)."""
    return dict(analysis.overlap)


@once_per_corpus
def quotes_tables(analysis: CorpusAnalysis) -> dict[str, pd.DataFrame]:
    """The quotes section: ``quotes`` (quotations and scare quotes), ``quote_variants``, ``speaker_aliases``
    and ``quote_renderings`` (quotations rendered without marks elsewhere).

    English-only: documents in another language are left out (:attr:`CorpusAnalysis.english_docs`).
    """
    from analysis.report.stages import canonical_speakers
    from analysis.statements.quote_variants import quote_variants

    from analysis.measures.canonical_entities import canonical_name_function

    from analysis.statements.speaker_aliases import speaker_aliases

    speaker_names = canonical_name_function(analysis.entities["mentions"])
    found = canonical_speakers(analysis.document_tables["quotes"], speaker_names)
    found, aliases = speaker_aliases(found, analysis.english_docs, analysis.entities["mentions"])
    from analysis.statements.unmarked_renderings import unmarked_renderings

    variants = quote_variants(found, analysis.overlap.get("derivation"), analysis.english_docs, analysis.stories)
    renderings = unmarked_renderings(found, variants, analysis.overlap.get("sentence_alignment", pd.DataFrame()),
                                     analysis.sentences, analysis.english_docs, analysis.entities["mentions"])
    return {"quotes": found, "quote_variants": variants, "speaker_aliases": aliases,
            "quote_renderings": renderings}


@once_per_corpus
def numbers_tables(analysis: CorpusAnalysis) -> dict[str, pd.DataFrame]:
    """The numbers section: ``numbers``, ``number_claims`` (date claims too), ``number_conflicts``, ``dates``, ``date_conflicts``.

    English-only: documents in another language are left out (:attr:`CorpusAnalysis.english_docs`).
    """
    from analysis.statements.date_claims import date_claims, date_conflicts
    from analysis.statements.number_claims import number_claims, number_conflicts

    found, dates = analysis.document_tables["numbers"], analysis.document_tables["dates"]
    by_date = date_conflicts(dates, analysis.stories)   # compared within a story only
    conflicts = number_conflicts(found, analysis.stories)
    return {"numbers": found, "number_claims": number_claims(found, date_claims(by_date), analysis.stories, conflicts),
            "number_conflicts": conflicts, "dates": dates, "date_conflicts": by_date}


@once_per_corpus
def findings_tables(analysis: CorpusAnalysis) -> dict[str, pd.DataFrame]:
    """The findings: ``findings``, one row per finding, ranked, from every other section's tables.

    Runs the other sections of :data:`SECTIONS` (each once,
    :func:`once_per_corpus`) and hands their tables to the finding builders
    (:func:`analysis.findings.registry.build_findings`); the sentence and the
    report anchor of each come from :func:`analysis.report.finding_sentences.with_statements`.
    """
    from analysis.findings.registry import build_findings
    from analysis.report.finding_sentences import with_statements

    tables: dict[str, pd.DataFrame] = {}
    for name, section in SECTIONS.items():
        if name != "findings":
            tables.update(section(analysis))
    tables["sentences"] = analysis.sentences  # not a table of the report: places a fact in its sentence
    found = build_findings(tables, analysis.docs["doc_id"].tolist())
    return {"findings": with_statements(found, analysis.docs)}


#: Sections in report order: name -> function returning its tables.
SECTIONS = {
    "corpus": corpus_tables,
    "readability": readability_tables,
    "entities": entities_tables,
    "overlap": overlap_tables,
    "quotes": quotes_tables,
    "numbers": numbers_tables,
    "findings": findings_tables,
}


def analyze(corpus: str | Path, scheduler: str = "", **parameters) -> dict[str, pd.DataFrame]:
    """Run every section and return all tables by name (``parallax analyze``; ``scheduler``: see :func:`open_corpus`)."""
    analysis = open_corpus(corpus, scheduler=scheduler, **parameters)
    tables: dict[str, pd.DataFrame] = {}
    try:
        for section in SECTIONS.values():
            tables.update(section(analysis))
    finally:
        analysis.close_executor()
    return tables


def write_analysis(corpus: str | Path, out: str | Path, parameters: dict | None = None,
                   wait: bool = True, scheduler: str = "") -> dict[str, pd.DataFrame]:
    """``parallax analyze``: write every section's tables to ``out/tables/``, with a manifest.

    ``out`` is guarded, locked and replaced like a report folder
    (:class:`analysis.report.outputs.OutputFolder`); its ``manifest.json`` has
    ``"kind": "tables"``, so ``parallax verify`` checks it and a later run
    may replace it.

    Parameters
    ----------
    corpus : str or pathlib.Path
        Corpus folder or file.
    out : str or pathlib.Path
        Output folder: ``tables/<name>.csv`` and ``manifest.json``.
    parameters : dict, optional
        Analysis parameters (see :data:`DEFAULT_PARAMETERS`), already typed.
    wait : bool
        Wait for another run writing ``out`` (True) or fail at once (False).
    scheduler : str
        Dask scheduler to run on (see :func:`open_corpus`); not recorded in the
        manifest, as the tables do not depend on it.

    Returns
    -------
    dict of str to pandas.DataFrame
        The tables written, by name (as :func:`analyze`).
    """
    from analysis.report import manifest as manifest_mod
    from analysis.report.outputs import OutputFolder
    from analysis.report.run import models_used
    from analysis.tables import write_table

    parameters = dict(parameters or {})
    corpus_path = resolve_corpus_path(corpus)
    with OutputFolder(out, corpus_path, wait=wait) as folder:
        tables = analyze(corpus, scheduler=scheduler, **parameters)
        for name, table in tables.items():
            write_table(table, folder.staging / "tables" / f"{name}.csv")
        values = {**DEFAULT_PARAMETERS, **parameters}
        manifest = manifest_mod.build_manifest(folder.staging, str(corpus), corpus_path, values,
                                               manifest_mod.package_versions(), [], models_used(values),
                                               kind="tables")
        manifest_mod.write_manifest(folder.staging, manifest)  # last: it records the hash of every table
        folder.commit()
    return tables
