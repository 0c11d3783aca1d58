"""Template lines of a wire series: the same sentence filled with other figures is not reuse.

:mod:`analysis.overlap.shingle_frequency` discounts the word 3-grams shared by
many documents. What it leaves on a wire archive is the *series*: bulletins
written from one template a few times a day or a week (money-market
bulletins, Fed repurchases, weekly money supply, note rates, eurobond
launches), whose shingles recur in fewer documents than a formula's, and
whose members are compared with each other since they are one story. Two
bulletins of a series share their template sentences word for word and
differ in the figures. A copy (a re-sent, corrected or updated story) carries
the same figures. :func:`formula_index` builds what the passage stage needs to
tell them apart:

- **Lines.** A body is cut into lines: sentences (a ``.``, ``!`` or ``?``
  before a space and a capital or a digit, not after a lone letter as in
  "U.S.") and paragraphs.
- **Template lines.** A line's *shape* is its normalised words with every
  number written ``#`` (:func:`analysis.overlap.shingle_frequency.word_form`).
  A line of at least :data:`analysis.overlap.shingle_frequency.SHINGLE_WORDS`
  words whose shape is found in at least :data:`TEMPLATE_MIN_DOCUMENTS`
  documents is a template line ("The Federal Reserve entered the U.S.
  Government securities market to arrange # billion dlrs of customer
  repurchase agreements, a Fed spokesman said").
- **Same figures.** Two texts carry the same figures when the numbers of the
  one with fewer distinct numbers are all in the other (a copy, a truncated
  copy, two texts without numbers).

The passage stage (:func:`analysis.overlap.passages.shared_passages` given the
index as ``anchors``) then applies three rules on top of the rare-shingle rule:

1. A shingle inside a template line seeds no passage, unless the two texts
   carry the same figures: two bulletins of a series share nothing, a
   re-sent bulletin is still found whole.
2. A passage whose lines (the lines it touches, in each text) hold figures
   that mostly differ is dropped: the multiset Jaccard index of the two sides'
   numbers below :data:`FIGURE_AGREEMENT_MIN`. "Treasury balances at the
   Federal Reserve fell on April 2 to 3.775 billion dlrs from 4.602 billion"
   and "... on April 10 to 3.373 billion dlrs from 3.523 billion" are one
   template filled twice, not a copy, even when the template is too rare to
   be a template line. Lines without numbers on both sides are not judged.
3. A passage needs :data:`SPECIFIC_MIN_SHINGLES` *specific* shingles (form
   found in at most :data:`SPECIFIC_MAX_DOCUMENTS` documents: what a story and
   its few copies or updates share), and the passages of a pair
   :data:`PAIR_MIN_SPECIFIC` in all, unless the two texts carry the same
   figures (per passage) or have the same words (per pair): a series'
   sentence that is too varied to be a template line, a company's name and
   "said it", are not a copy.

How the thresholds were chosen, and what reading a sample of the remaining
derivation edges found: bench/reuters_edge_sample.md.

A corpus of at most :data:`analysis.overlap.shingle_frequency.COMMON_MIN_DOCUMENTS`
documents (a few articles about one story) gets no index: the pipeline passes
it only when some shingle form is common, as for the rare-shingle rule.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.overlap.shingle_frequency import (SHINGLE_WORDS, WordForms, is_common,
                                                shingle_form_ids, sorted_distinct)
from analysis.tables import check_corpus_table
from analysis.text.words import WORD_RE

#: Documents a line's shape must be found in for it to be a template line.
#: Chosen on the even half of Reuters-21578 (pairs whose lower NEWID is even;
#: bench/bench_stories.py --half even) with the three thresholds below, by
#: reading sampled derivation edges and keeping the known duplicates found (at
#: least 95%): 3, 4 and 6 gave 1,214, 1,227 and 1,256 edges not in duplicates.tsv
#: with the same duplicates found; see bench/reuters_edge_sample.md.
TEMPLATE_MIN_DOCUMENTS = 4
#: Fewest shared figures (multiset Jaccard index of the numbers in the lines a
#: passage touches, one text against the other) for the passage to count.
#: Chosen on the even half of Reuters-21578 with TEMPLATE_MIN_DOCUMENTS.
FIGURE_AGREEMENT_MIN = 0.5
#: A shingle is *specific* when its form is found in at most this many
#: documents: what a story and its few copies or updates share, not a series.
#: Chosen on the even half of Reuters-21578 with SPECIFIC_MIN_SHINGLES.
SPECIFIC_MAX_DOCUMENTS = 3
#: Fewest specific shingles a passage needs (in the first text's span) to count,
#: unless the two texts carry the same figures. Chosen on the even half of Reuters-21578.
SPECIFIC_MIN_SHINGLES = 3
#: Fewest specific shingles the passages of a pair need in all (in the first
#: text's spans) for the pair to share any, unless the two texts have the same
#: words: a name and a stock phrase are not a copy. Chosen on the even half of Reuters-21578.
PAIR_MIN_SPECIFIC = 6

# A line ends at a paragraph break, or at . ! ? (closing quotes or brackets
# allowed) before a space and a capital, a digit or an opening quote; not
# after a lone letter ("U.S. Government", "J. Smith").
_LINE_END = re.compile(r"\n\s*\n|(?<![^\w][A-Za-z])(?<!^[A-Za-z])[.!?]+[\"'\u201d\u2019)]*(?=\s+[\"'\u201c\u2018(]?[A-Z0-9])")


def line_bounds(body: str) -> np.ndarray:
    """Character offsets where each line of ``body`` starts, then ``len(body)``."""
    return np.array([0] + [m.end() for m in _LINE_END.finditer(body)] + [len(body)], dtype=np.int64)


@dataclass
class DocumentLines:
    """One body's words by line.

    Attributes
    ----------
    line : numpy.ndarray
        Line number of each word (:data:`analysis.text.words.WORD_RE` order).
    forms : list of str
        Each word's form (:func:`analysis.overlap.shingle_frequency.word_form` of its normal form).
    shapes : list of str
        Each line's shape (its words' forms joined by spaces; "" for a line of no word).
    figures : list of collections.Counter
        Each line's numbers (normalised), counted.
    """

    line: np.ndarray
    forms: list[str]
    shapes: list[str]
    figures: list[Counter]

    def shingle_forms(self, ngram: int = SHINGLE_WORDS) -> list[str]:
        """The form of the shingle starting at each word (as :func:`analysis.overlap.shingle_frequency.shingle_forms`)."""
        forms = self.forms
        return [" ".join(forms[i:i + ngram]) for i in range(len(forms) - ngram + 1)]


def document_lines(body: str, forms_of: WordForms | None = None) -> DocumentLines:
    """Cut ``body`` into lines and describe each (see :class:`DocumentLines`).

    ``forms_of`` (optional) is the :class:`analysis.overlap.shingle_frequency.WordForms`
    of a pass over many bodies, so that each distinct word is normalised once.
    """
    forms_of = forms_of or WordForms()
    seen = forms_of.seen
    bounds = line_bounds(body).tolist()
    forms: list[str] = []
    shapes, figures, counts = [], [], []
    # a word never spans a line end (a line ends before a space), so each line's words are read on their own
    for start, end in zip(bounds[:-1], bounds[1:]):
        described = [seen.get(word) or forms_of(word) for word in WORD_RE.findall(body, start, end)]
        line_forms = [form for _, form in described]
        forms.extend(line_forms)
        shapes.append(" ".join(line_forms))
        figures.append(Counter(normal for normal, form in described if form == "#"))
        counts.append(len(described))
    return DocumentLines(np.repeat(np.arange(len(counts), dtype=np.int64), counts), forms, shapes, figures)


@dataclass
class FormulaIndex:
    """What the passage stage needs to discount formulas and templates (see the module docstring).

    Attributes
    ----------
    rare : dict of str to numpy.ndarray
        doc_id -> per shingle start, True where its form is not common
        (:func:`analysis.overlap.shingle_frequency.anchor_masks`).
    template : dict of str to numpy.ndarray
        doc_id -> per shingle start, True where the shingle lies in a template line.
    lines : dict of str to DocumentLines
        doc_id -> the body's lines.
    figures : dict of str to frozenset
        doc_id -> the body's distinct numbers (normalised).
    specific : dict of str to numpy.ndarray
        doc_id -> per shingle start, True where its form is found in at most
        :data:`SPECIFIC_MAX_DOCUMENTS` documents.
    common : frozenset of str
        The common shingle forms the index was built with (as
        :func:`analysis.overlap.shingle_frequency.common_forms` finds them).
    """

    rare: dict[str, np.ndarray]
    template: dict[str, np.ndarray]
    lines: dict[str, DocumentLines]
    figures: dict[str, frozenset]
    specific: dict[str, np.ndarray]
    common: frozenset = frozenset()

    def for_documents(self, doc_ids) -> FormulaIndex:
        """The index cut to ``doc_ids``: what the passages of those documents' pairs read (a batch's task)."""
        ids = set(doc_ids)
        return FormulaIndex(*({d: v for d, v in table.items() if d in ids}
                              for table in (self.rare, self.template, self.lines, self.figures, self.specific)),
                            common=self.common)

    def same_figures(self, doc_a: str, doc_b: str) -> bool:
        """Whether the numbers of the text with fewer distinct numbers are all in the other's."""
        a, b = self.figures[doc_a], self.figures[doc_b]
        return a <= b if len(a) <= len(b) else b <= a

    def anchors(self, doc_a: str, doc_b: str) -> np.ndarray:
        """Per shingle start of ``doc_a``, whether it may seed a passage shared with ``doc_b``."""
        if self.same_figures(doc_a, doc_b):
            return self.rare[doc_a]
        return self.rare[doc_a] & ~self.template[doc_a]

    def figure_agreement(self, doc_a: str, words_a: tuple[int, int], doc_b: str,
                         words_b: tuple[int, int]) -> float:
        """Multiset Jaccard index of the numbers in the lines two word spans touch (NaN: no number)."""
        def numbers(doc_id, span):
            lines = self.lines[doc_id]
            found: Counter = Counter()
            for k in range(int(lines.line[span[0]]), int(lines.line[span[1] - 1]) + 1):
                found.update(lines.figures[k])
            return found

        a, b = numbers(doc_a, words_a), numbers(doc_b, words_b)
        union = sum((a | b).values())
        return sum((a & b).values()) / union if union else float("nan")

    def keeps(self, doc_a: str, words_a: tuple[int, int], doc_b: str, words_b: tuple[int, int]) -> bool:
        """Whether a passage over these word spans counts (its lines' figures mostly agree, or have none)."""
        agreement = self.figure_agreement(doc_a, words_a, doc_b, words_b)
        if agreement < FIGURE_AGREEMENT_MIN:
            return False
        if self.same_figures(doc_a, doc_b):
            return True
        return self.specific_shingles(doc_a, words_a) >= SPECIFIC_MIN_SHINGLES

    def specific_shingles(self, doc_id: str, words: tuple[int, int]) -> int:
        """Specific shingles starting in a word span of ``doc_id`` and lying wholly inside it."""
        return int(self.specific[doc_id][words[0]:max(words[1] - SHINGLE_WORDS + 1, words[0])].sum())

    def pair_shares(self, doc_a: str, spans_a: list[tuple[int, int]]) -> bool:
        """Whether passages over these word spans of ``doc_a`` hold :data:`PAIR_MIN_SPECIFIC` specific shingles."""
        return sum(self.specific_shingles(doc_a, span) for span in spans_a) >= PAIR_MIN_SPECIFIC


def formula_index(docs: pd.DataFrame, common: frozenset[str] | None = None, ngram: int = SHINGLE_WORDS,
                  template_min_documents: int = TEMPLATE_MIN_DOCUMENTS) -> FormulaIndex:
    """Rare shingles, template lines and figures of every document of the corpus.

    Parameters
    ----------
    docs : pandas.DataFrame
        Corpus table with ``doc_id`` and ``body``.
    common : frozenset of str, optional
        :func:`analysis.overlap.shingle_frequency.common_forms` of the corpus;
        by default found here, from the same document frequencies (one pass
        over the corpus instead of two; the index's ``common`` attribute).
    ngram : int
        Shingle length in words.
    template_min_documents : int
        Documents a line's shape must be found in to be a template line.

    Returns
    -------
    FormulaIndex
    """
    check_corpus_table(docs)
    if template_min_documents < 2:
        raise ValueError(f"template_min_documents must be >= 2, got {template_min_documents!r}")
    forms_of = WordForms()
    lines = {doc_id: document_lines(body, forms_of) for doc_id, body in zip(docs["doc_id"], docs["body"])}
    numbered: dict[str, int] = {}
    shingles, name = shingle_form_ids(
        [np.array([numbered.setdefault(form, len(numbered)) for form in described.forms], dtype=np.int64)
         for described in lines.values()], list(numbered), ngram)
    # documents holding each shingle form: its distinct (form, document) couples, counted
    n_docs = len(lines)
    held = sorted_distinct(np.concatenate([np.zeros(0, dtype=np.int64)] +
                                    [found * n_docs + k for k, found in enumerate(shingles)]))
    n_forms = 1 + max((int(found.max()) for found in shingles if len(found)), default=-1)
    form_frequency = np.bincount(held // n_docs, minlength=n_forms)
    frequency: Counter = Counter()
    for described in lines.values():
        frequency.update({shape for shape in described.shapes if shape.count(" ") + 1 >= ngram})
    template = {}
    for doc_id, described in lines.items():
        is_template = np.array([shape.count(" ") + 1 >= ngram and frequency[shape] >= template_min_documents
                                for shape in described.shapes], dtype=bool)
        in_template = is_template[described.line] if len(described.line) else np.zeros(0, dtype=bool)
        starts = max(len(in_template) - ngram + 1, 0)
        # a shingle lies in a template line when all its words do
        lies_in = np.ones(starts, dtype=bool)
        for offset in range(ngram):
            lies_in &= in_template[offset:offset + starts]
        template[doc_id] = lies_in
    figures = {doc_id: frozenset(n for counted in described.figures for n in counted)
               for doc_id, described in lines.items()}
    if common is None:
        common_form = is_common(form_frequency)
        common = frozenset(name(k) for k in np.flatnonzero(common_form).tolist())
    else:
        common_form = np.array([name(k) in common for k in range(n_forms)], dtype=bool)
    is_specific = form_frequency <= SPECIFIC_MAX_DOCUMENTS
    rare = {doc_id: ~common_form[found] for doc_id, found in zip(lines, shingles)}
    specific = {doc_id: is_specific[found] for doc_id, found in zip(lines, shingles)}
    return FormulaIndex(rare, template, lines, figures, specific, frozenset(common))
