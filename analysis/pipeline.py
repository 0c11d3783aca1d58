"""The analysis, section by section, shared by the report notebook and ``parallax analyze``.

:func:`open_corpus` loads and cleans a corpus once and holds what several
sections share (the spaCy parse, the sentence table), computed on first use.
Each ``*_tables`` function runs one report section and returns its tidy tables
by name (the CSV file stem); the notebook adds figures and a sentence of
interpretation, ``parallax analyze`` writes the tables alone.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import corpus as corpus_mod
from .corpus import CorpusError

#: Default values of the analysis parameters (the report notebook's
#: parameters cell repeats them; tests check the two agree).
DEFAULT_PARAMETERS = {
    "spacy_model": "auto",
}


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
        """:func:`analysis.nlp.sentence_table` of the corpus."""
        from .nlp import sentence_table

        return sentence_table(self.parsed)

    @property
    def n_documents(self) -> int:
        return len(self.docs)

    def model_versions(self) -> dict[str, str]:
        """Models this analysis loaded so far (for the manifest)."""
        versions = {}
        if "nlp" in self.__dict__:
            from .nlp import pipeline_info

            versions.update(pipeline_info(self.nlp))
        return versions


def open_corpus(corpus: str | Path, **parameters) -> CorpusAnalysis:
    """Load and clean a corpus for analysis.

    Parameters
    ----------
    corpus : str or pathlib.Path
        Corpus folder or file (see :func:`resolve_corpus_path`).
    **parameters
        Analysis parameters; unknown names are an error.

    Returns
    -------
    CorpusAnalysis
    """
    unknown = sorted(set(parameters) - set(DEFAULT_PARAMETERS))
    if unknown:
        raise ValueError(f"unknown analysis parameter(s): {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(DEFAULT_PARAMETERS))}")
    path = resolve_corpus_path(corpus)
    raw = corpus_mod.read_corpus(path)
    lines = corpus_mod.line_table(raw)
    docs = corpus_mod.clean_corpus(raw, lines)
    return CorpusAnalysis(str(corpus), path, raw, lines, docs, {**DEFAULT_PARAMETERS, **parameters})


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
    """The readability section: ``readability`` (per document) and ``readability_paragraphs``."""
    from . import readability

    paragraphs = corpus_mod.paragraph_table(analysis.docs)
    return {
        "readability": readability.readability_table(analysis.docs, paragraphs, parsed=analysis.parsed),
        "readability_paragraphs": readability.paragraph_readability(analysis.docs, paragraphs),
    }


#: Sections in report order: name -> function returning its tables.
SECTIONS = {
    "corpus": corpus_tables,
    "readability": readability_tables,
}


def analyze(corpus: str | Path, **parameters) -> dict[str, pd.DataFrame]:
    """Run every section and return all tables by name (``parallax analyze``)."""
    analysis = open_corpus(corpus, **parameters)
    tables: dict[str, pd.DataFrame] = {}
    for section in SECTIONS.values():
        tables.update(section(analysis))
    return tables


def describe_corpus(analysis: CorpusAnalysis) -> str:
    """One sentence summarising the corpus for the top of the report."""
    s = corpus_summary(analysis)
    outlets = f"{s['outlets']} named outlet{'s' if s['outlets'] != 1 else ''}"
    if s["unknown_outlet"]:
        outlets += f" ({s['unknown_outlet']} article{'s' if s['unknown_outlet'] != 1 else ''} without an outlet)"
    return (f"{s['documents']} article{'s' if s['documents'] != 1 else ''} from {outlets}: "
            f"{s['words']:,} words of body text after removing {s['boilerplate_lines']} boilerplate "
            f"line{'s' if s['boilerplate_lines'] != 1 else ''} and {s['duplicate_paragraphs']} repeated "
            f"paragraph{'s' if s['duplicate_paragraphs'] != 1 else ''}.")
