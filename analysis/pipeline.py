"""The analysis, section by section, shared by the report notebook and ``parallax analyze``.

:func:`open_corpus` loads and cleans a corpus once and holds what several
sections share (the spaCy parse, the sentence table), computed on first use.
Each ``*_tables`` function runs one report section and returns its tidy tables
by name (the CSV file stem); the notebook adds figures and a sentence of
interpretation, ``parallax analyze`` writes the tables alone.

Tables are written with :func:`analysis.tables.write_table`: a text cell that
a spreadsheet would run as a formula (``=...``, ``+...``, ``-...``, ``@...``)
gets a leading ``'``; :func:`analysis.tables.read_table` reads the exact text back.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import corpus as corpus_mod
from .corpus import CorpusError
from .parameters import DEFAULTS, check_parameters

#: Default values of the analysis parameters (one source: :data:`analysis.parameters.DEFAULTS`;
#: the report notebook's parameters cell repeats them, and tests check the two agree).
DEFAULT_PARAMETERS = DEFAULTS


def resolve_corpus_path(corpus: str | Path) -> Path:
    """Find a corpus given relative to the working folder or to the project root.

    A notebook opened in JupyterLab runs in ``notebooks/``, papermill and the
    command line in the project root: ``seeds/nk-wagner-arms`` must work in both.

    Raises
    ------
    CorpusError
        If no such folder or file exists.
    """
    path = Path(corpus).expanduser()
    if path.exists() or path.is_absolute():
        if not path.exists():
            raise CorpusError(f"{path}: no such corpus folder or file")
        return path
    for ancestor in Path.cwd().resolve().parents:
        candidate = ancestor / path
        if candidate.exists():
            return candidate
    raise CorpusError(f"{corpus}: no such corpus folder or file (looked in {Path.cwd()} and its parents)")


@dataclass
class CorpusAnalysis:
    """A loaded corpus and the intermediate results its sections share.

    Attributes
    ----------
    corpus : str
        The corpus as the user named it.
    path : pathlib.Path
        Where it was found.
    raw, lines, docs : pandas.DataFrame
        :func:`analysis.corpus.read_corpus`, :func:`~analysis.corpus.line_table`
        and :func:`~analysis.corpus.clean_corpus` outputs.
    parameters : dict
        Analysis parameters (see :data:`DEFAULT_PARAMETERS`).
    """

    corpus: str
    path: Path
    raw: pd.DataFrame
    lines: pd.DataFrame
    docs: pd.DataFrame
    parameters: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The corpus name: its folder (or file stem)."""
        return self.path.stem if self.path.is_file() else self.path.resolve().name

    @functools.cached_property
    def nlp(self):
        """The spaCy pipeline (loaded once per process)."""
        from .nlp import load_pipeline

        return load_pipeline(self.parameters.get("spacy_model", "auto"))

    @functools.cached_property
    def parsed(self) -> dict:
        """doc_id -> parsed spaCy ``Doc`` of each body."""
        from .nlp import parse_bodies

        return parse_bodies(self.docs, self.nlp)

    @functools.cached_property
    def sentences(self) -> pd.DataFrame:
        """:func:`analysis.text.sentence_table` of the corpus."""
        from .text import sentence_table

        return sentence_table(self.parsed)

    @functools.cached_property
    def prose_sentences(self) -> pd.DataFrame:
        """Sentences of the prose paragraphs (sub-headings left out), for alignment."""
        paragraphs = corpus_mod.paragraph_table(self.docs)
        headings = paragraphs[paragraphs["kind"] == "heading"]
        sentences = self.sentences
        in_heading = pd.Series(False, index=sentences.index)
        for doc_id, start, end in headings[["doc_id", "start", "end"]].itertuples(index=False):
            in_heading |= (sentences["doc_id"] == doc_id) & (sentences["start"] >= start) & (sentences["end"] <= end)
        return sentences[~in_heading].reset_index(drop=True)

    @functools.cached_property
    def english_docs(self) -> pd.DataFrame:
        """The documents the English-only sections analyse (:func:`analysis.language.english_documents`)."""
        from .language import english_documents

        return english_documents(self.docs)

    @property
    def english_parsed(self) -> dict:
        """:attr:`parsed` for :attr:`english_docs` only."""
        return {doc_id: self.parsed[doc_id] for doc_id in self.english_docs["doc_id"]}

    @functools.cached_property
    def entities(self) -> dict[str, pd.DataFrame]:
        """The entity tables (:func:`analysis.entities.analyse_entities`) of the English documents, computed once."""
        from . import entities

        aliases = entities.load_aliases(self.path if self.path.is_dir() else self.path.parent)
        return entities.analyse_entities(self.english_docs, self.english_parsed, self.nlp, aliases,
                                         self.parameters["capitals_as_governments"])

    @property
    def n_documents(self) -> int:
        return len(self.docs)


def open_corpus(corpus: str | Path, **parameters) -> CorpusAnalysis:
    """Load and clean a corpus for analysis.

    Parameters
    ----------
    corpus : str or pathlib.Path
        Corpus folder or file (see :func:`resolve_corpus_path`).
    **parameters
        Analysis parameters (see :data:`analysis.parameters.PARAMETERS`).

    Returns
    -------
    CorpusAnalysis

    Raises
    ------
    ParameterError
        An unknown parameter, or a value of the wrong type or out of range,
        named as the user wrote it (checked before the corpus is read).
    CorpusError
        The corpus cannot be read.
    """
    parameters = check_parameters(parameters)
    path = resolve_corpus_path(corpus)
    raw = corpus_mod.read_corpus(path)
    lines = corpus_mod.line_table(raw)
    docs = corpus_mod.clean_corpus(raw, lines)
    return CorpusAnalysis(str(corpus), path, raw, lines, docs, parameters)


def corpus_tables(analysis: CorpusAnalysis) -> dict[str, pd.DataFrame]:
    """The corpus section: ``documents``, ``boilerplate`` and ``paragraphs`` tables."""
    return {
        "documents": corpus_mod.document_table(analysis.docs, analysis.sentences),
        "boilerplate": corpus_mod.boilerplate_table(analysis.lines),
        "paragraphs": corpus_mod.paragraph_table(analysis.docs),
    }


def corpus_summary(analysis: CorpusAnalysis) -> dict[str, int]:
    """Headline numbers of a corpus (documents, outlets, words, lines removed)."""
    docs = analysis.docs
    return {
        "documents": len(docs),
        "outlets": int(docs.loc[docs["outlet"] != "", "outlet"].nunique()),
        "unknown_outlet": int((docs["outlet"] == "").sum()),
        "words": int(docs["n_words"].sum()),
        "boilerplate_lines": int(docs["boilerplate_lines"].sum()),
        "duplicate_paragraphs": int(docs["duplicate_paragraphs"].sum()),
    }


def readability_tables(analysis: CorpusAnalysis) -> dict[str, pd.DataFrame]:
    """The readability section: ``readability`` (per document) and ``readability_paragraphs``.

    Every document has a row; those in another language than English are not
    scored (flag ``not_english=<code>``).
    """
    from . import readability

    paragraphs = corpus_mod.paragraph_table(analysis.docs)
    return {
        "readability": readability.readability_table(analysis.docs, paragraphs, parsed=analysis.parsed),
        "readability_paragraphs": readability.paragraph_readability(analysis.docs, paragraphs),
    }


def entities_tables(analysis: CorpusAnalysis) -> dict[str, pd.DataFrame]:
    """The entities section: ``entities``, ``entity_aliases``, ``title_entities``, ``entity_suppressed``.

    English-only: documents in another language are left out (:attr:`CorpusAnalysis.english_docs`).
    """
    result = analysis.entities
    return {"entities": result["entities"], "entity_aliases": result["entity_aliases"],
            "title_entities": result["title_entities"], "entity_suppressed": result["suppressed"]}


def cross_source_skip_reason(analysis: CorpusAnalysis) -> str | None:
    """Why the cross-source sections cannot run on this corpus (None when they can)."""
    if analysis.n_documents < 2:
        return (f"This corpus has {analysis.n_documents} document: comparing outlets needs at least two, "
                "so the overlap, quote-variant and number-conflict comparisons are skipped.")
    return None


def overlap_tables(analysis: CorpusAnalysis) -> dict[str, pd.DataFrame]:
    """The overlap section: candidate pairs, shared passages, pairwise summary, derivation edges.

    Candidate pairs come from MinHash LSH (every pair for a small corpus); the
    exact passage alignment runs on candidates only. Empty when the corpus
    has fewer than two documents.
    """
    if cross_source_skip_reason(analysis):
        return {}
    from . import candidates, overlap

    from .alignment import align_sentences
    from .embeddings import encode

    docs, params = analysis.docs, analysis.parameters
    pairs = candidates.candidate_pairs(docs, seed=params["seed"])
    passages = overlap.shared_passages(docs, pairs, min_words=params["min_passage_words"])
    sentences = analysis.prose_sentences
    vectors = encode(sentences["text"].tolist(), backend=params["embedding_backend"])
    alignment = align_sentences(sentences, vectors, pairs)
    summary = overlap.overlap_pairs(docs, passages, alignment, pairs=pairs)
    return {
        "candidate_pairs": pairs,
        "passages": passages,
        "sentence_alignment": alignment,
        "overlap_pairs": summary,
        "derivation": overlap.derivation_edges(summary, docs, passages),
    }


def most_related_pairs(pairs: pd.DataFrame, n: int = 2) -> list[tuple[str, str]]:
    """The ``n`` unordered pairs with the highest overlap (lexical or semantic), strongest first."""
    score = pairs[["lexical_containment", "semantic_coverage"]].max(axis=1, skipna=True)
    ranked = pairs.assign(score=score, key=[tuple(sorted(p)) for p in zip(pairs["doc_a"], pairs["doc_b"])])
    ranked = ranked[ranked["relation"] != "independent"]
    best = ranked.groupby("key")["score"].max().sort_values(ascending=False, kind="stable")
    return [key for key in best.index[:n]]


def quotes_tables(analysis: CorpusAnalysis) -> dict[str, pd.DataFrame]:
    """The quotes section: ``quotes`` (quotations and scare quotes) and ``quote_variants``.

    English-only: documents in another language are left out (:attr:`CorpusAnalysis.english_docs`).
    """
    from . import quotes

    from .entities import canonical_name_function

    speaker_names = canonical_name_function(analysis.entities["mentions"])
    found = quotes.extract_quotes(analysis.english_docs, analysis.english_parsed, canonicalize=speaker_names)
    return {"quotes": found, "quote_variants": quotes.quote_variants(found)}


def numbers_tables(analysis: CorpusAnalysis) -> dict[str, pd.DataFrame]:
    """The numbers section: ``numbers``, ``number_claims`` and ``number_conflicts``.

    English-only: documents in another language are left out (:attr:`CorpusAnalysis.english_docs`).
    """
    from . import numbers

    found = numbers.extract_numbers(analysis.english_docs, analysis.english_parsed)
    return {"numbers": found, "number_claims": numbers.number_claims(found),
            "number_conflicts": numbers.number_conflicts(found)}


#: Sections in report order: name -> function returning its tables.
SECTIONS = {
    "corpus": corpus_tables,
    "readability": readability_tables,
    "entities": entities_tables,
    "overlap": overlap_tables,
    "quotes": quotes_tables,
    "numbers": numbers_tables,
}


def analyze(corpus: str | Path, **parameters) -> dict[str, pd.DataFrame]:
    """Run every section and return all tables by name (``parallax analyze``)."""
    analysis = open_corpus(corpus, **parameters)
    tables: dict[str, pd.DataFrame] = {}
    for section in SECTIONS.values():
        tables.update(section(analysis))
    return tables


def write_analysis(corpus: str | Path, out: str | Path, parameters: dict | None = None,
                   wait: bool = True) -> dict[str, pd.DataFrame]:
    """``parallax analyze``: write every section's tables to ``out/tables/``, with a manifest.

    ``out`` is guarded, locked and replaced like a report folder
    (:class:`analysis.outputs.OutputFolder`); its ``manifest.json`` has
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

    Returns
    -------
    dict of str to pandas.DataFrame
        The tables written, by name (as :func:`analyze`).
    """
    from . import manifest as manifest_mod
    from .outputs import OutputFolder
    from .report import models_used
    from .tables import write_table

    parameters = dict(parameters or {})
    corpus_path = resolve_corpus_path(corpus)
    with OutputFolder(out, corpus_path, wait=wait) as folder:
        tables = analyze(corpus, **parameters)
        for name, table in tables.items():
            write_table(table, folder.staging / "tables" / f"{name}.csv")
        values = {**DEFAULT_PARAMETERS, **parameters}
        manifest = manifest_mod.build_manifest(folder.staging, str(corpus), corpus_path, values,
                                               manifest_mod.package_versions(), [], models_used(values),
                                               kind="tables")
        manifest_mod.write_manifest(folder.staging, manifest)  # last: it records the hash of every table
        folder.commit()
    return tables


def describe_corpus(analysis: CorpusAnalysis) -> str:
    """One sentence summarising the corpus for the top of the report.

    Followed by :func:`analysis.language.not_english_note` when some documents
    are not in English.
    """
    s = corpus_summary(analysis)
    outlets = f"{s['outlets']} named outlet{'s' if s['outlets'] != 1 else ''}"
    if s["unknown_outlet"]:
        outlets += f" ({s['unknown_outlet']} article{'s' if s['unknown_outlet'] != 1 else ''} without an outlet)"
    return (f"{s['documents']} article{'s' if s['documents'] != 1 else ''} from {outlets}: "
            f"{s['words']:,} words of body text after removing {s['boilerplate_lines']} boilerplate "
            f"line{'s' if s['boilerplate_lines'] != 1 else ''} and {s['duplicate_paragraphs']} repeated "
            f"paragraph{'s' if s['duplicate_paragraphs'] != 1 else ''}." + _note(analysis.docs))


# ---------------------------------------------------------------------------
# Sentences of interpretation and alt texts for the report
# ---------------------------------------------------------------------------

def _labels(docs: pd.DataFrame) -> dict[str, str]:
    return dict(zip(docs["doc_id"], docs["label"]))


def describe_overlap(result: dict[str, pd.DataFrame], docs: pd.DataFrame) -> str:
    """One sentence naming the most derived pair and counting related pairs."""
    pairs = result["overlap_pairs"]
    labels = _labels(docs)
    related = pairs[pairs["relation"] != "independent"]
    if related.empty:
        return "No document shares enough text with another to count as derived from it."
    top = pairs.sort_values(["lexical_containment", "doc_a", "doc_b"], ascending=[False, True, True]).iloc[0]
    return (f"{len(related)} of {len(pairs)} ordered pairs share text beyond chance; the closest: "
            f"{top['lexical_containment']:.0%} of {labels[top['doc_a']]}'s words lie in passages shared with "
            f"{labels[top['doc_b']]} ({top['relation'].replace('_', ' ')}).")


def pairs_alt_text(pairs: pd.DataFrame, docs: pd.DataFrame, value: str) -> str:
    """Alt text listing the non-zero values of a pairwise measure."""
    labels = _labels(docs)
    shown = pairs[pairs[value] > 0].sort_values(value, ascending=False)
    parts = [f"{labels[r.doc_a]} in {labels[r.doc_b]} {getattr(r, value):.0%}" for r in shown.itertuples()]
    return f"Heatmap of {value.replace('_', ' ')} by pair: " + ("; ".join(parts) if parts else "all zero") + "."


def edges_alt_text(edges: pd.DataFrame, docs: pd.DataFrame) -> str:
    """Alt text listing the derivation edges."""
    labels = _labels(docs)
    parts = [f"{labels[r.derived]} from {labels[r.source]} ({r.relation.replace('_', ' ')})"
             for r in edges.itertuples()]
    return "Derivation graph: " + ("; ".join(parts) if parts else "no derived pairs") + "."


def _note(docs: pd.DataFrame | None) -> str:
    """" " and the sentence on documents not in English (:func:`analysis.language.not_english_note`), or ""."""
    from .language import not_english_note
    from .tables import require_columns

    if docs is None:
        return ""
    require_columns(docs, ("body",), "docs")
    note = not_english_note(docs)
    return f" {note}" if note else ""


def describe_quotes(result: dict[str, pd.DataFrame], docs: pd.DataFrame | None = None) -> str:
    """One sentence counting quotations, speakers and altered renderings.

    With ``docs``, followed by the sentence on documents not in English
    (:func:`analysis.language.not_english_note`), which the section leaves out.
    """
    quotes, variants = result["quotes"], result["quote_variants"]
    direct = quotes[quotes["kind"] == "quote"]
    altered = variants[variants["differs"]] if not variants.empty else variants
    speakers = direct.loc[direct["speaker"] != "unknown", "speaker"].nunique()
    groups = altered["group_id"].nunique() if not altered.empty else 0
    sentence = (f"{len(direct)} direct quotations from {speakers} identified speakers; {groups} statement"
                f"{'s are' if groups != 1 else ' is'} rendered in different words by different outlets.")
    return sentence + _note(docs)


def describe_numbers(result: dict[str, pd.DataFrame], docs: pd.DataFrame | None = None) -> str:
    """One sentence counting numeric claims and conflicts.

    With ``docs``, followed by the sentence on documents not in English
    (:func:`analysis.language.not_english_note`), which the section leaves out.
    """
    claims = result["number_claims"]
    conflicting = int((claims["status"] != "agree").sum()) if not claims.empty else 0
    return (f"{len(result['numbers'])} numbers found; {len(claims)} claims are reported by more than one "
            f"outlet, {conflicting} of them with a conflict." + _note(docs))


def describe_entities(result: dict[str, pd.DataFrame], docs: pd.DataFrame) -> str:
    """One sentence on the most named entities and the merges made.

    Followed by the sentence on documents not in English
    (:func:`analysis.language.not_english_note`): the section leaves them out,
    so their names are neither listed nor counted.
    """
    entities = result["entities"]
    note = _note(docs)
    if entities.empty:
        return "No named entities were found." + note
    totals = entities.groupby("entity")["mentions"].sum().sort_values(ascending=False, kind="stable")
    top = ", ".join(f"{name} ({count})" for name, count in totals.head(3).items())
    aliases = result["entity_aliases"]
    merged = aliases[aliases["how"] != "as written"]
    sentence = (f"{len(totals)} distinct entities; the most named are {top}. "
                f"{len(merged)} names were merged into another (tables/entity_aliases.csv says how).")
    return sentence + note


def unique_entity_counts(entities: pd.DataFrame, docs: pd.DataFrame) -> dict[str, int]:
    """Number of entities each document (by label) names and no other document does."""
    per_entity = entities.groupby("entity")["doc_id"].nunique()
    only = entities[entities["entity"].map(per_entity) == 1]
    counts = only.groupby("doc_id")["entity"].nunique()
    return {label: int(counts.get(doc_id, 0)) for doc_id, label in zip(docs["doc_id"], docs["label"])}


def median_paragraph_grades(paragraph_scores: pd.DataFrame) -> dict[str, float]:
    """Median Flesch-Kincaid grade of the scored paragraphs, per document label (corpus order)."""
    scored = paragraph_scores.dropna(subset=["flesch_kincaid_grade"])
    return scored.groupby("label", sort=False)["flesch_kincaid_grade"].median().to_dict()


def top_entity_mentions(entities: pd.DataFrame, n: int = 10) -> dict[str, int]:
    """Mentions across the corpus of the ``n`` most named entities."""
    return entities.groupby("entity")["mentions"].sum().nlargest(n).to_dict()


def quotations_per_label(quotes: pd.DataFrame) -> dict[str, int]:
    """Number of direct quotations (scare quotes excluded) per document label."""
    return quotes[quotes["kind"] == "quote"].groupby("label", sort=True).size().to_dict()


def claims_by_status(claims: pd.DataFrame) -> dict[str, int]:
    """Number of cross-outlet claims per status (agree, conflict)."""
    return claims["status"].value_counts().sort_index().to_dict()
