"""Stories: the groups of documents about one event, inside which outlets are compared.

A corpus of thousands of articles covers many stories; comparing the passages,
quotes and figures of two articles about unrelated events only produces noise
(two unrelated earnings reports "conflict" on every figure). The cross-source
comparisons therefore run within a story. The rule, deterministic:

1. Every document is a TF-IDF vector of the words of its title and body (the
   text layer's words, normalised; numbers and spaCy's English stop words left
   out): ``tf = 1 + ln(count)``, ``idf = ln((1 + N) / (1 + df)) + 1``,
   L2-normalised (:func:`story_vectors`). A word in more than
   :data:`STORY_COMMON_SHARE` of a large corpus's documents (a genre's
   vocabulary: "shr", "cts", "qtr") gets weight 0.
2. Two documents are linked when they are a candidate pair of the overlap
   stage (:func:`analysis.overlap.candidates.candidate_pairs`: every pair in a
   small corpus, else the pairs sharing word shingles that are not wire
   formulas) *and* the cosine of their vectors is at least
   :data:`STORY_MIN_COSINE`. The second condition is the guard against
   chaining: two stories sharing one stock sentence are a candidate pair but
   not a link, so they do not merge into one story.
3. A story is a connected component of the links (scipy); a document linked to
   no other is a story of its own. Stories are numbered ``S00001``, ... in the
   corpus order of their first document; the label is the
   :data:`STORY_LABEL_WORDS` words found in the most titles of the story (ties:
   the word's first appearance), from the first words of the body when
   documents have no title.

A corpus of a few articles about one event is one story, and the comparisons
behave as without stories. On a large corpus two reports of one event that
share no text are not a candidate pair, so they can end in different stories:
the stories are as wide as the text the articles share. The rule is lexical:
a report and its translation share no words and are two stories.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from analysis.overlap.shingle_frequency import COMMON_MIN_DOCUMENTS, word_form
from analysis.tables import check_corpus_table
from analysis.text.words import normalise_word, words

STORY_COLUMNS = ["story_id", "doc_id", "label"]

#: TF-IDF cosine from which two candidate documents are one story. Set by hand
#: and checked on four corpora (bench/bench_stories.py prints the figures):
#: the five seed articles (one story; every article has a cosine of 0.29 or
#: more with another); the written fixture tests/data/stories (cosines within
#: a story 0.35-0.68, across stories at most 0.04); the first 5,000 Reuters
#: stories, where 0.15 still chained 76 earnings reports of different companies
#: into one story and 0.25 leaves a largest story of 44 (eurobond issues on
#: the same days); and BBC News, whose 157 known duplicate pairs (cosine near 1)
#: all land in one story while the largest story holds 9 of 2,225 articles.
STORY_MIN_COSINE = 0.25

#: Share of the documents above which a word is left out of the story vectors
#: (when it is also in more than
#: :data:`analysis.overlap.shingle_frequency.COMMON_MIN_DOCUMENTS` documents):
#: the vocabulary of a genre ("shr", "cts", "qtr", "net" in 30% of Reuters
#: stories) would otherwise link every earnings report to every other one and
#: chain them into one story of hundreds (344 of 5,000 Reuters stories with it
#: kept). Set by hand on Reuters; a word in 2% of a corpus names no one event.
STORY_COMMON_SHARE = 0.02

#: Words in a story's label.
STORY_LABEL_WORDS = 4


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)


def content_words(text: str, stop_words: frozenset[str]) -> list[str]:
    """Normalised words of ``text`` without numbers and stop words, in order."""
    normal = (normalise_word(word) for word in words(text))
    return [w for w in normal if word_form(w) != "#" and w not in stop_words and len(w) > 1]


class ContentWords:
    """:func:`content_words` of many texts, each distinct word as written judged once.

    Call it with a text; ``kept`` maps a word as written to its normal form,
    or None when the word is left out (a number, a stop word, one character).
    """

    def __init__(self, stop_words: frozenset[str]):
        self.stop_words = stop_words
        self.kept: dict[str, str | None] = {}

    def judge(self, word: str) -> str | None:
        normal = normalise_word(word)
        keep = word_form(normal) != "#" and normal not in self.stop_words and len(normal) > 1
        self.kept[word] = normal if keep else None
        return self.kept[word]

    def __call__(self, text: str) -> list[str]:
        kept, judge = self.kept, self.judge
        found = []
        for word in words(text):
            normal = kept[word] if word in kept else judge(word)
            if normal is not None:
                found.append(normal)
        return found


def _titles(docs: pd.DataFrame) -> list[str]:
    """Each document's title as text ("" when there is none)."""
    if "title" not in docs.columns:
        return [""] * len(docs)
    return docs["title"].fillna("").astype(str).tolist()


def _document_words(docs: pd.DataFrame) -> tuple[list[list[str]], list[list[str]]]:
    """:func:`content_words` of each document's title and of its body, corpus order."""
    content = ContentWords(_stop_words())
    return [content(title) for title in _titles(docs)], [content(body) for body in docs["body"]]


def story_vectors(docs: pd.DataFrame) -> csr_matrix:
    """TF-IDF rows (L2-normalised) of each document's title and body, corpus order.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``doc_id``, ``body`` and optionally ``title``.

    Returns
    -------
    scipy.sparse.csr_matrix
        One row per document; columns are the corpus's content words.
    """
    check_corpus_table(docs)
    return _vectors(*_document_words(docs))


def _vectors(title_words: list[list[str]], body_words: list[list[str]]) -> csr_matrix:
    vocabulary: dict[str, int] = {}
    rows, cols, counts = [], [], []
    for row, (title, body) in enumerate(zip(title_words, body_words)):
        for word, count in sorted(Counter(title + body).items()):
            rows.append(row)
            cols.append(vocabulary.setdefault(word, len(vocabulary)))
            counts.append(count)
    n_docs = len(body_words)
    tf = coo_matrix((1.0 + np.log(np.asarray(counts, dtype=float)), (rows, cols)),
                    shape=(n_docs, len(vocabulary))).tocsr()
    df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(vocabulary))
    idf = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
    idf[df > max(COMMON_MIN_DOCUMENTS, STORY_COMMON_SHARE * n_docs)] = 0.0
    weighted = tf.multiply(idf[np.newaxis, :]).tocsr()
    norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(weighted.multiply(1.0 / norms[:, np.newaxis]))


def pair_cosines(vectors: csr_matrix, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Cosine of rows ``first[k]`` and ``second[k]`` of L2-normalised ``vectors``, per k."""
    if len(first) == 0:
        return np.zeros(0)
    return np.asarray(vectors[first].multiply(vectors[second]).sum(axis=1)).ravel()


def _labels(docs: pd.DataFrame, component: np.ndarray, n_components: int,
            title_words: list[list[str]], body_words: list[list[str]]) -> list[str]:
    raw_titles = docs["title"].tolist() if "title" in docs.columns else [""] * len(docs)
    texts = [title if isinstance(raw, str) and raw.strip() else body[:12]
             for raw, title, body in zip(raw_titles, title_words, body_words)]
    counts: list[Counter] = [Counter() for _ in range(n_components)]
    first_seen: list[dict] = [{} for _ in range(n_components)]
    for k, found in enumerate(texts):
        story = component[k]
        counts[story].update(set(found))
        for word in found:
            first_seen[story].setdefault(word, len(first_seen[story]))
    labels = []
    for story in range(n_components):
        ranked = sorted(counts[story], key=lambda w: (-counts[story][w], first_seen[story][w]))
        labels.append(" ".join(ranked[:STORY_LABEL_WORDS]))
    return labels


def find_stories(docs: pd.DataFrame, pairs: pd.DataFrame, *,
                 min_cosine: float = STORY_MIN_COSINE) -> pd.DataFrame:
    """Group the documents into stories (see the module docstring for the rule).

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``doc_id``, ``body`` and optionally ``title``.
    pairs : pandas.DataFrame
        Candidate pairs (``doc_a``, ``doc_b``), e.g.
        :func:`analysis.overlap.candidates.candidate_pairs`.
    min_cosine : float
        Cosine from which a candidate pair is a link.

    Returns
    -------
    pandas.DataFrame
        ``stories.csv``: ``story_id`` (``S00001``, ... numbered in the corpus
        order of each story's first document), ``doc_id``, ``label`` (the
        story's most frequent title words). One row per document, corpus order.
    """
    check_corpus_table(docs)
    if not 0.0 <= min_cosine <= 1.0:
        raise ValueError(f"min_cosine must be between 0 and 1, got {min_cosine!r}")
    order = {doc_id: k for k, doc_id in enumerate(docs["doc_id"])}
    first = np.array([order[d] for d in pairs["doc_a"]], dtype=np.int64)
    second = np.array([order[d] for d in pairs["doc_b"]], dtype=np.int64)
    title_words, body_words = _document_words(docs)
    linked = pair_cosines(_vectors(title_words, body_words), first, second) >= min_cosine
    n_docs = len(docs)
    graph = coo_matrix((np.ones(int(linked.sum())), (first[linked], second[linked])),
                       shape=(n_docs, n_docs))
    _, raw = connected_components(graph, directed=False)
    # Renumber components in the corpus order of their first document.
    renumber: dict[int, int] = {}
    component = np.array([renumber.setdefault(int(c), len(renumber)) for c in raw], dtype=np.int64)
    width = max(5, len(str(len(renumber))))
    labels = _labels(docs, component, len(renumber), title_words, body_words)
    return pd.DataFrame({"story_id": [f"S{c + 1:0{width}d}" for c in component],
                         "doc_id": docs["doc_id"].tolist(),
                         "label": [labels[c] for c in component]}, columns=STORY_COLUMNS)


def within_stories(pairs: pd.DataFrame, stories: pd.DataFrame) -> pd.DataFrame:
    """The pairs whose two documents are in one story, with that ``story_id`` first.

    Parameters
    ----------
    pairs : pandas.DataFrame
        Any table with ``doc_a`` and ``doc_b``.
    stories : pandas.DataFrame
        :func:`find_stories` output.

    Returns
    -------
    pandas.DataFrame
        ``story_id`` then the columns of ``pairs``, the rows in their order.
    """
    story = dict(zip(stories["doc_id"], stories["story_id"]))
    same = pairs["doc_a"].map(story) == pairs["doc_b"].map(story)
    return with_story_id(pairs[same.to_numpy()].reset_index(drop=True), stories)


def with_story_id(table: pd.DataFrame, stories: pd.DataFrame, column: str | None = None) -> pd.DataFrame:
    """``table`` with a first column ``story_id``: the story of the document in ``column``.

    ``column`` defaults to ``doc_a``, else ``source``, else ``doc_id``
    (whichever ``table`` has). A table that already has ``story_id`` is returned as it is.
    """
    if "story_id" in table.columns:
        return table
    if column is None:
        column = next(c for c in ("doc_a", "source", "doc_id") if c in table.columns)
    story = dict(zip(stories["doc_id"], stories["story_id"]))
    result = table.copy()
    result.insert(0, "story_id", result[column].map(story).astype(object))
    return result


def story_sizes(stories: pd.DataFrame) -> pd.Series:
    """Number of documents per story (largest first, then story_id)."""
    sizes = stories.groupby("story_id").size()
    return sizes.iloc[np.lexsort((sizes.index.to_numpy(), -sizes.to_numpy()))]



#: The story of every document when no stories are given (the first story's id
#: of :func:`find_stories`: a corpus about one event is that one story).
ONE_STORY = "S00001"


def story_of(doc_ids, stories: pd.DataFrame | None = None) -> pd.Series:
    """The ``story_id`` of each of ``doc_ids`` (a Series of the same index), for the
    comparisons that must stay within a story (quotes, numbers, dates).

    Every document is in :data:`ONE_STORY` when ``stories`` is None. A document
    that ``stories`` does not list raises ValueError.
    """
    doc_ids = pd.Series(doc_ids)
    if stories is None:
        return pd.Series(ONE_STORY, index=doc_ids.index, dtype=object)
    result = doc_ids.map(dict(zip(stories["doc_id"], stories["story_id"])))
    if result.isna().any():
        raise ValueError(f"document {doc_ids[result.isna()].iloc[0]!r} is in no story of the stories table")
    return result.astype(object)
