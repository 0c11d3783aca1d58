"""The per-document and per-sentence stages of the analysis, as functions over one batch.

Each stage is a plain, pure function: a batch of work in (a slice of the
corpus table, a list of sentences), tidy tables out. An executor
(:mod:`analysis.engine`) maps it over the batches, in this process or as Dask
tasks, and :func:`join_batches` puts the pieces together in corpus order. The
batches are cut the same way whichever executor runs them, so a run on a
cluster writes the same tables, byte for byte, as a run on one machine.

- :func:`document_batch`: parse the bodies (and the English titles) with spaCy
  and read from the parse what each document gives on its own: its sentences,
  readability, figures, dates, quotations (speakers not yet made canonical:
  that needs every document's entities, :func:`canonical_speakers`) and the
  entity mentions the model tagged (the corpus-wide name pass and the
  canonical names run where the corpus was opened). The parse
  itself comes back as a spaCy ``DocBin`` for the stages that compare
  documents (:func:`parsed_docs`).
- :func:`embed_batch`: sentence vectors of a batch of distinct sentences.
- :func:`passages_batch`, :func:`alignment_batch`: the shared passages and
  the sentence alignment of the candidate pairs of some whole stories
  (:func:`story_batches`).

The spaCy pipeline and the sentence encoder are loaded once per process
(``functools.cache`` in :mod:`analysis.text.nlp` and
:mod:`analysis.overlap.embeddings`), so a Dask worker loads each once.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

#: Documents per batch: one Dask task, or one step of a local run. A multiple of
#: :data:`PIPE_BATCH_SIZE`, so spaCy sees the same mini-batches as a parse of the
#: whole corpus. 32 gives 7 tasks for 200 BBC articles (enough to keep two
#: workers busy; bench/bench_dask.py) and about 2 s of work per task there, far
#: above a task's scheduling cost (about 1 ms).
DOCUMENTS_PER_BATCH = 32
#: Texts per ``nlp.pipe`` mini-batch: :func:`analysis.text.nlp.parse_bodies`' default,
#: the value the kit parsed whole corpora with before they were cut into batches.
PIPE_BATCH_SIZE = 16
#: Processes of one ``nlp.pipe`` (its ``n_process``), in each batch. 1: 200 BBC articles
#: (bench/bench_dask.py) parsed in 91 s and 60 s with one process, 83 s and 59 s with two
#: (machine shared): no gain, as each process loads its own pipeline. A large corpus runs
#: whole batches in parallel instead (:data:`LOCAL_POOL_MIN_DOCUMENTS`, or ``--scheduler``).
PARSE_PROCESSES = 1
#: Documents from which a local run puts its batches in a pool of one process per core
#: (:class:`analysis.engine.LocalExecutor`). A pool costs a few seconds (each process
#: imports the kit and loads spaCy); a document some 40 ms to parse and read (Reuters,
#: bench/bench_scale.py). 128 (four batches) keeps the seeds and the tests' fixtures in one process.
LOCAL_POOL_MIN_DOCUMENTS = 128
#: Distinct sentences per embedding batch. The encoder sorts a batch's sentences
#: by length into forward passes, so a batch's vectors depend on which sentences
#: share it: the batches are fixed here, and each distinct sentence is in one.
#: 2,048 sentences are about 40 BBC articles' worth (some 30 s of encoding on
#: this machine), enough per task, small enough to share among workers.
SENTENCES_PER_BATCH = 2048

#: Candidate pairs per passage task, whole stories kept together (a story larger than
#: this is one task). Passages of one pair take about 2 ms on news bodies
#: (bench/bench_overlap.py), so 500 pairs are about a second of work per task.
PAIRS_PER_BATCH = 500

#: Per-document tables of :func:`document_batch` and the keys their rows are
#: ordered by in a whole-corpus table (None: corpus order).
DOCUMENT_TABLES: dict[str, tuple[str, ...] | None] = {
    "sentences": None,
    "readability": ("doc_id",),
    "readability_paragraphs": ("doc_id", "paragraph"),
    "numbers": ("doc_id", "start"),
    "dates": ("doc_id", "start"),
    "quotes": ("doc_id", "start"),
}


def document_batch(docs: pd.DataFrame, spacy_model: str = "auto") -> dict:
    """Parse one batch of documents and compute its per-document tables.

    Parameters
    ----------
    docs : pandas.DataFrame
        Rows of the cleaned corpus table (:func:`analysis.corpus.cleaning.clean_corpus`).
    spacy_model : str
        The ``spacy_model`` parameter.

    Returns
    -------
    dict
        The tables of :data:`DOCUMENT_TABLES` for these documents, as the
        whole-corpus functions make them (:func:`analysis.text.sentences.sentence_table`,
        :func:`analysis.measures.readability.readability_table`,
        :func:`analysis.measures.paragraph_readability.paragraph_readability`,
        :func:`analysis.statements.numbers.extract_numbers`,
        :func:`analysis.statements.dates.extract_dates`,
        :func:`analysis.statements.quotes.extract_quotes` without canonical
        speakers), numbers, dates and quotes of the English documents only;
        ``"ner_body"`` and ``"ner_title"``, the entity mentions each English
        body and title gives on its own
        (:func:`analysis.measures.entity_mentions.document_ner_rows`); and
        ``"docbin"``: the body and title parses, bytes of a spaCy ``DocBin``
        (:func:`parsed_docs` reads them), with ``"doc_ids"`` and ``"title_ids"``.
    """
    from spacy.tokens import DocBin

    from analysis.corpus import cleaning
    from analysis.corpus.language import english_documents
    from analysis.measures import readability
    from analysis.measures.entity_mentions import document_ner_rows, parse_titles
    from analysis.measures.paragraph_readability import paragraph_readability
    from analysis.statements.dates import extract_dates
    from analysis.statements.numbers import extract_numbers
    from analysis.statements.quotes import extract_quotes
    from analysis.text.nlp import load_pipeline, parse_bodies
    from analysis.text.sentences import sentence_table

    nlp = load_pipeline(spacy_model)
    parsed = parse_bodies(docs, nlp, batch_size=PIPE_BATCH_SIZE, n_process=PARSE_PROCESSES)
    english = english_documents(docs)
    english_parsed = {doc_id: parsed[doc_id] for doc_id in english["doc_id"]}
    titles = parse_titles(english, nlp) if "title" in docs else {}
    paragraphs = cleaning.paragraph_table(docs)
    docbin = DocBin(store_user_data=False)
    for doc in (*parsed.values(), *titles.values()):
        docbin.add(doc)
    return {
        "sentences": sentence_table(parsed),
        "readability": readability.readability_table(docs, paragraphs, parsed=parsed),
        "readability_paragraphs": paragraph_readability(docs, paragraphs),
        "numbers": extract_numbers(english, english_parsed),
        "dates": extract_dates(english, english_parsed),
        "quotes": extract_quotes(english, english_parsed),
        "ner_body": document_ner_rows(english_parsed),
        "ner_title": document_ner_rows(titles, "title"),
        "docbin": docbin.to_bytes(),
        "doc_ids": list(parsed),
        "title_ids": list(titles),
    }


def join_batches(results: list[dict]) -> dict:
    """The whole-corpus tables from :func:`document_batch` results in batch order.

    Returns
    -------
    dict
        Each table of :data:`DOCUMENT_TABLES`, rows in the order the
        whole-corpus function gives them (a stable sort on its keys of the
        batches joined in corpus order).
    """
    joined = {}
    for name, keys in DOCUMENT_TABLES.items():
        parts = [result[name] for result in results]
        filled = [part for part in parts if len(part)]
        table = pd.concat(filled, ignore_index=True) if filled else parts[0].iloc[0:0].reset_index(drop=True)
        if keys:
            table = table.sort_values(list(keys), kind="stable", ignore_index=True)
        joined[name] = table
    return joined


def parsed_docs(results: list[dict], nlp) -> tuple[dict, dict]:
    """The body and title parses of :func:`document_batch` results, read into ``nlp``'s vocabulary.

    Returns
    -------
    tuple of dict
        ``doc_id`` -> spaCy ``Doc`` of each body (corpus order), and of each English title.
    """
    from spacy.tokens import DocBin

    bodies, titles = {}, {}
    for result in results:
        read = list(DocBin().from_bytes(result["docbin"]).get_docs(nlp.vocab))
        n_bodies = len(result["doc_ids"])
        bodies.update(zip(result["doc_ids"], read[:n_bodies], strict=True))
        titles.update(zip(result["title_ids"], read[n_bodies:], strict=True))
    return bodies, titles


def canonical_speakers(quotes: pd.DataFrame, canonicalize) -> pd.DataFrame:
    """Quotations of :func:`document_batch` with each speaker made canonical, as
    :func:`analysis.statements.quotes.extract_quotes` does with ``canonicalize``.

    A quotation without a speaker (``"unknown"``) keeps it; a speaker the
    function maps to ``"unknown"`` loses its cue, as there.
    """
    from analysis.statements.quotes import UNKNOWN_SPEAKER

    out = quotes.copy()
    known = out["speaker"] != UNKNOWN_SPEAKER
    out.loc[known, "speaker"] = [canonicalize(s) for s in out.loc[known, "speaker"]]
    out.loc[out["speaker"] == UNKNOWN_SPEAKER, "cue"] = ""
    return out


def embed_batch(texts: list[str], backend: str = "numpy") -> np.ndarray:
    """Sentence vectors of one batch of texts (:func:`analysis.overlap.embeddings.encode`)."""
    from analysis.overlap.embeddings import encode

    return encode(texts, backend=backend)


def embed_sentences(texts: list[str], backend: str, executor) -> np.ndarray:
    """Vectors of ``texts`` computed in batches of :data:`SENTENCES_PER_BATCH` distinct sentences.

    Each distinct sentence is encoded once, in a batch fixed by the order in
    which the sentences first occur, whichever executor runs the batches.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(texts), 384)``, float32, rows in the order of ``texts``.
    """
    from analysis.engine import batches
    from analysis.overlap.embedding_model import DIMENSIONS

    distinct = list(dict.fromkeys(texts))
    if not distinct:
        return np.empty((0, DIMENSIONS), dtype=np.float32)
    parts = executor.map(embed_batch, batches(distinct, SENTENCES_PER_BATCH), backend=backend)
    vectors = np.vstack(parts)
    row = {text: k for k, text in enumerate(distinct)}
    return vectors[[row[text] for text in texts]]


def story_batches(pairs: pd.DataFrame) -> list[pd.DataFrame]:
    """``pairs`` (with ``story_id``) cut into batches of whole stories of about :data:`PAIRS_PER_BATCH` pairs.

    Stories in the order of their first pair; a story with more pairs than
    that is a batch of its own. Every batch keeps the rows in their order.
    """
    batches_of_stories: list[list] = [[]]
    size = 0
    for story, count in pairs.groupby("story_id", sort=False).size().items():
        if size and size + count > PAIRS_PER_BATCH:
            batches_of_stories.append([])
            size = 0
        batches_of_stories[-1].append(story)
        size += count
    return [pairs[pairs["story_id"].isin(stories)] for stories in batches_of_stories if stories]


def passages_batch(work: dict, min_words: int) -> pd.DataFrame:
    """:func:`analysis.overlap.passages.shared_passages` of one batch of stories.

    ``work`` holds ``docs`` (the stories' documents, in corpus order), ``pairs``
    (their candidate pairs) and ``anchors`` (their rare-shingle masks, or None).
    """
    from analysis.overlap.passages import shared_passages

    return shared_passages(work["docs"], work["pairs"], min_words=min_words, anchors=work["anchors"])


def shared_passages_by_story(docs: pd.DataFrame, pairs: pd.DataFrame, min_words: int, anchors,
                             executor) -> pd.DataFrame:
    """:func:`analysis.overlap.passages.shared_passages` of ``pairs``, computed per batch of whole stories.

    A pair's passages depend on its two bodies only, so the stories are cut
    into batches of about :data:`PAIRS_PER_BATCH` pairs, each batch run with its
    own documents, and the rows put back in the whole-corpus order (pairs in
    corpus order, each pair's passages as they came).

    Parameters
    ----------
    docs : pandas.DataFrame
        The corpus table.
    pairs : pandas.DataFrame
        Candidate pairs within stories (``story_id``, ``doc_a``, ``doc_b``;
        :func:`analysis.overlap.stories.within_stories`).
    min_words : int
        The ``min_passage_words`` parameter.
    anchors : dict, FormulaIndex or None
        :func:`analysis.overlap.shingle_frequency.anchor_masks` (cut to each batch's documents),
        :func:`analysis.overlap.wire_templates.formula_index` (each cut to its batch's documents), or None.
    executor
        :mod:`analysis.engine` executor.

    Returns
    -------
    pandas.DataFrame
        As :func:`analysis.overlap.passages.shared_passages` returns it.
    """
    if pairs.empty:  # nothing to compare: the empty table, without a task
        return passages_batch({"docs": docs, "pairs": pairs, "anchors": anchors}, min_words)
    works = []
    for chosen in story_batches(pairs):
        ids = set(chosen["doc_a"]) | set(chosen["doc_b"])
        works.append({"docs": docs[docs["doc_id"].isin(ids)], "pairs": chosen,
                      "anchors": _anchors_of(anchors, ids)})
    parts = executor.map(passages_batch, works, min_words=min_words)
    filled = [part for part in parts if len(part)]
    if len(filled) <= 1:
        return (filled or parts)[0].reset_index(drop=True)
    table = pd.concat(filled, ignore_index=True)
    order = {doc_id: k for k, doc_id in enumerate(docs["doc_id"])}
    key = table["doc_a"].map(order).to_numpy() * len(order) + table["doc_b"].map(order).to_numpy()
    return table.iloc[np.argsort(key, kind="stable")].reset_index(drop=True)


def _anchors_of(anchors, doc_ids: set):
    """The part of the passage stage's ``anchors`` a batch of documents reads (sent with its task)."""
    if anchors is None or isinstance(anchors, dict):
        return anchors and {d: anchors[d] for d in doc_ids}
    return anchors.for_documents(doc_ids)


def alignment_batch(work: dict, backend: str, spacy_model: str = "auto") -> pd.DataFrame:
    """:func:`analysis.overlap.alignment.align_sentences` of one batch of stories.

    ``work`` holds ``sentences`` (the prose sentences of the stories' documents),
    ``vectors`` (theirs, row for row) and ``pairs``; clauses are encoded with
    ``backend`` where the task runs; ``spacy_model`` parses for the role check.
    """
    from analysis.overlap.alignment import align_sentences
    from analysis.overlap.embeddings import encode

    return align_sentences(work["sentences"], work["vectors"], work["pairs"],
                           encoder=lambda texts: encode(texts, backend=backend), spacy_model=spacy_model)


def align_by_story(sentences: pd.DataFrame, vectors: np.ndarray, pairs: pd.DataFrame, backend: str,
                   executor, spacy_model: str = "auto") -> pd.DataFrame:
    """:func:`analysis.overlap.alignment.align_sentences` of ``pairs``, per batch of whole stories (:func:`story_batches`).

    A pair's alignment reads only its two documents' sentences (and the
    clauses of their long sentences, encoded per batch); the rows are put back
    in the whole table's order (doc_a, doc_b, sent_a, each row's key unique).
    """
    if pairs.empty:
        return alignment_batch({"sentences": sentences, "vectors": vectors, "pairs": pairs}, backend, spacy_model)
    works = []
    for chosen in story_batches(pairs):
        rows = sentences["doc_id"].isin(set(chosen["doc_a"]) | set(chosen["doc_b"])).to_numpy()
        works.append({"sentences": sentences[rows], "vectors": vectors[rows], "pairs": chosen})
    parts = executor.map(alignment_batch, works, backend=backend, spacy_model=spacy_model)
    filled = [part for part in parts if len(part)]
    if len(filled) <= 1:
        return (filled or parts)[0].reset_index(drop=True)
    table = pd.concat(filled, ignore_index=True)
    return table.sort_values(["doc_a", "doc_b", "sent_a"], kind="mergesort").reset_index(drop=True)


class DocumentStages:
    """The per-document stages of a loaded corpus, run once, in batches, by its executor.

    Mixed into :class:`analysis.report.pipeline.CorpusAnalysis`, which gives
    ``docs``, ``parameters``, ``nlp`` and ``scheduler`` (a Dask scheduler's
    address, or "" to run here).
    """

    @functools.cached_property
    def executor(self):
        """Where the stages run (:func:`analysis.engine.executor`): on ``scheduler``, or here (in a
        pool of one process per core from :data:`LOCAL_POOL_MIN_DOCUMENTS` documents)."""
        from analysis.engine import executor, local_processes

        large = len(self.docs) >= LOCAL_POOL_MIN_DOCUMENTS
        return executor(self.scheduler, processes=local_processes() if large else 1)

    def close_executor(self) -> None:
        """Disconnect from the Dask scheduler, if a connection was made (the cluster keeps running)."""
        made = self.__dict__.pop("executor", None)
        if made is not None:
            made.close()

    @functools.cached_property
    def document_batches(self) -> list[dict]:
        """:func:`document_batch` of each batch of :data:`DOCUMENTS_PER_BATCH` documents, in corpus order."""
        from analysis.engine import batches

        return self.executor.map(document_batch, batches(self.docs, DOCUMENTS_PER_BATCH),
                                 spacy_model=self.parameters.get("spacy_model", "auto"))

    @functools.cached_property
    def document_tables(self) -> dict[str, pd.DataFrame]:
        """The per-document tables of the whole corpus (:func:`join_batches`)."""
        return join_batches(self.document_batches)

    @functools.cached_property
    def parses(self) -> tuple[dict, dict]:
        """doc_id -> spaCy ``Doc`` of each body, and of each English title (:func:`parsed_docs`)."""
        return parsed_docs(self.document_batches, self.nlp)

    @property
    def ner_rows(self) -> list[dict]:
        """The per-document entity mentions of every batch: all bodies, then all titles, in corpus order."""
        batches = self.document_batches
        return [row for b in batches for row in b["ner_body"]] + [row for b in batches for row in b["ner_title"]]

    @property
    def parsed(self) -> dict:
        """doc_id -> parsed spaCy ``Doc`` of each body."""
        return self.parses[0]

    @property
    def sentences(self) -> pd.DataFrame:
        """:func:`analysis.text.sentences.sentence_table` of the corpus."""
        return self.document_tables["sentences"]
