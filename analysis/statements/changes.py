"""What changed between aligned sentences: the ``statement_changes`` table.

For every pair of sentences the alignment says carry the same statement
(:func:`analysis.overlap.alignment.align_sentences`, any relation but ``none``
and ``related``), the two sides are compared on what they state
(:mod:`analysis.statements.statement_facts`) by the rules of
:mod:`analysis.statements.change_rules`: who is speaking
(``attribution_change``), who did what to whom (``role_reversal``), figures
and their hedges (``changed_number``, ``dropped_qualifier``,
``added_qualifier``, ``changed_qualifier``), dates and time anchors
(``changed_date``), places (``changed_place``), polarity (``negation``) and
quotation marks (``quote_marks_lost``, ``quote_marks_added``). Each change is
one row, with the words that differ as evidence.

A sentence pair is listed once, a on the document whose id sorts first (the
alignment holds both directions); direction words (lost/added, dropped/added)
read from a to b. Which document copied which is the derivation's business
(:mod:`analysis.overlap.derivation`), not this table's.
"""

from __future__ import annotations

import pandas as pd

from analysis.statements.change_rules import CHANGE_KINDS, compare
from analysis.statements.statement_facts import document_facts

#: Alignment relations whose pairs are not compared: no shared statement
#: (``none``) or the same fact told independently (``related``), where a
#: difference is two outlets' own reporting, not a change made in rewriting.
NOT_COMPARED = frozenset({"none", "related"})

COLUMNS = ["doc_a", "sent_a", "doc_b", "sent_b", "change", "text_a", "text_b", "evidence",
           "detail_a", "detail_b", "relation"]

_ALIGNMENT_COLUMNS = {"doc_a", "sent_a", "doc_b", "sent_b", "kind"}
_SENTENCE_COLUMNS = {"doc_id", "sent", "start", "end"}


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("sent_a", "sent_b") else "object")
                         for c in COLUMNS})


def compared_pairs(alignment: pd.DataFrame) -> pd.DataFrame:
    """The sentence pairs to compare, each once, a the document whose id sorts first.

    Parameters
    ----------
    alignment : pandas.DataFrame
        :func:`analysis.overlap.alignment.align_sentences` output (``doc_a``,
        ``sent_a``, ``doc_b``, ``sent_b``, ``kind``; other columns ignored).

    Returns
    -------
    pandas.DataFrame
        ``doc_a``, ``sent_a``, ``doc_b``, ``sent_b``, ``relation`` (the
        alignment's kind; where the two directions differ, that of the
        direction a -> b), sorted by doc_a, sent_a, doc_b, sent_b.
    """
    if not isinstance(alignment, pd.DataFrame) or not _ALIGNMENT_COLUMNS <= set(alignment.columns):
        raise ValueError(f"alignment must be a DataFrame with columns {sorted(_ALIGNMENT_COLUMNS)} "
                         "(analysis.overlap.alignment.align_sentences output)")
    kept = alignment[~alignment["kind"].isin(NOT_COMPARED)]
    if kept.empty:
        return pd.DataFrame({"doc_a": [], "sent_a": [], "doc_b": [], "sent_b": [], "relation": []})
    doc_a, doc_b = kept["doc_a"].astype(str), kept["doc_b"].astype(str)
    swap = doc_a > doc_b
    pairs = pd.DataFrame({
        "doc_a": doc_a.where(~swap, doc_b), "sent_a": kept["sent_a"].where(~swap, kept["sent_b"]),
        "doc_b": doc_b.where(~swap, doc_a), "sent_b": kept["sent_b"].where(~swap, kept["sent_a"]),
        "relation": kept["kind"].astype(str), "_swapped": swap,
    })
    pairs = pairs[pairs["doc_a"] != pairs["doc_b"]]
    pairs = pairs.astype({"sent_a": "int64", "sent_b": "int64"})
    pairs = pairs.sort_values(["doc_a", "sent_a", "doc_b", "sent_b", "_swapped"], kind="mergesort")
    pairs = pairs.drop_duplicates(["doc_a", "sent_a", "doc_b", "sent_b"], keep="first")
    return pairs.drop(columns="_swapped").reset_index(drop=True)


def statement_changes(alignment: pd.DataFrame, sentences: pd.DataFrame, parsed: dict,
                      aliases: pd.DataFrame | None = None, numbers: pd.DataFrame | None = None) -> pd.DataFrame:
    """What changed between every pair of aligned sentences.

    Parameters
    ----------
    alignment : pandas.DataFrame
        :func:`analysis.overlap.alignment.align_sentences` output; its pairs
        of any relation but those in :data:`NOT_COMPARED` are compared.
    sentences : pandas.DataFrame
        The sentence table the alignment was made from
        (:func:`analysis.text.sentences.sentence_table` rows: ``doc_id``,
        ``sent``, ``start``, ``end``, ``text``).
    parsed : dict
        doc_id -> parsed spaCy ``Doc`` (English documents: the rules read an
        English parse). Pairs with a document missing here are skipped.
    aliases : pandas.DataFrame, optional
        Alias table (:func:`analysis.measures.name_matching.load_aliases`):
        "the US" and "America", or a capital and its country, are one place.
    numbers : pandas.DataFrame, optional
        :func:`analysis.statements.numbers.extract_numbers` of (at least) the
        compared documents, as the per-document stage made it; extracted
        from ``parsed`` here when None (see :func:`document_facts`).

    Returns
    -------
    pandas.DataFrame
        One row per change, sorted by doc_a, sent_a, doc_b, sent_b and the
        order of :data:`~analysis.statements.change_rules.CHANGE_KINDS`:

        - ``doc_a``, ``sent_a``, ``doc_b``, ``sent_b``: the sentence pair
          (sentence indices of ``sentences``; a is the document whose id
          sorts first);
        - ``change`` (str): one of
          :data:`~analysis.statements.change_rules.CHANGE_KINDS`; directional
          kinds read from a to b;
        - ``text_a``, ``text_b`` (str): the two sentences;
        - ``evidence`` (str): the change in a few words, ``"speaker: John
          Kirby -> Wagner"``, ``"number: 21 -> 12"``;
        - ``detail_a``, ``detail_b`` (str): the differing words of each side
          (``"(none)"`` where one side has none, e.g. no negation);
        - ``relation`` (str): the alignment's relation of the pair.

    Raises
    ------
    ValueError
        When ``alignment`` or ``sentences`` lacks the columns named above,
        or a pair names a sentence ``sentences`` does not have.
    """
    if not isinstance(sentences, pd.DataFrame) or not _SENTENCE_COLUMNS <= set(sentences.columns):
        raise ValueError(f"sentences must be a DataFrame with columns {sorted(_SENTENCE_COLUMNS)} "
                         "(analysis.text.sentences.sentence_table output)")
    pairs = compared_pairs(alignment)
    pairs = pairs[pairs["doc_a"].isin(parsed) & pairs["doc_b"].isin(parsed)]
    if pairs.empty:
        return _empty()
    spans = {(str(d), int(s)): (int(a), int(b)) for d, s, a, b in
             sentences[["doc_id", "sent", "start", "end"]].itertuples(index=False)}
    documents = document_facts(parsed, sorted(set(pairs["doc_a"]) | set(pairs["doc_b"])), aliases, numbers)
    cache: dict = {}

    def facts(doc_id: str, sent: int):
        key = (doc_id, sent)
        if key not in cache:
            if key not in spans:
                raise ValueError(f"alignment names sentence {sent} of {doc_id!r}, "
                                 "which the sentence table does not have")
            cache[key] = documents[doc_id].sentence(*spans[key])
        return cache[key]

    rows = []
    for doc_a, sent_a, doc_b, sent_b, relation in pairs.itertuples(index=False):
        fa, fb = facts(doc_a, sent_a), facts(doc_b, sent_b)
        for change in compare(fa, fb):
            rows.append((doc_a, sent_a, doc_b, sent_b, change.kind, fa.text, fb.text,
                         change.evidence, change.detail_a, change.detail_b, relation))
    if not rows:
        return _empty()
    table = pd.DataFrame(rows, columns=COLUMNS)
    order = table["change"].map({k: i for i, k in enumerate(CHANGE_KINDS)})
    table = table.assign(_order=order).sort_values(
        ["doc_a", "sent_a", "doc_b", "sent_b", "_order"], kind="mergesort")
    return table.drop(columns="_order").astype({"sent_a": "int64", "sent_b": "int64"}).reset_index(drop=True)
