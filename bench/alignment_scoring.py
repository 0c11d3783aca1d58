"""Precision and recall of a sentence alignment against hand annotations (issue 12).

Shared by ``tests/test_alignment_set.py`` (the hand-written set) and
``bench/bench_alignment_real.py`` (real benchmark pairs). The annotation
format is ``tests/data/alignment/README.md``'s: one row per derived sentence
with its source sentences and relation.

Definitions:

- An *annotated link* is a row whose relation says the sentence was made from
  the source (:data:`DERIVED`: copy, near_copy, paraphrase, partial,
  distorted). ``related`` rows (same fact, independent wording) and ``none``
  rows are not links.
- A *predicted link* is an aligner row whose ``kind`` is in :data:`DERIVED`.
- A predicted link is *right* when the row is an annotated link, the aligned
  sentences (``sents_b``) include an annotated source sentence, and the
  relation's class agrees: faithful (copy, near_copy, paraphrase), partial or
  distorted (:data:`CLASSES`). A distortion passed off as a paraphrase, or a
  split half called a copy, is a wrong link.
- Recall: right links / annotated links. Precision: right links / predicted links.
"""

from __future__ import annotations

import pandas as pd

DERIVED = ("copy", "near_copy", "paraphrase", "partial", "distorted")
#: Relation classes that must agree for a link to be right.
CLASSES = {"copy": "faithful", "near_copy": "faithful", "paraphrase": "faithful",
           "partial": "partial", "distorted": "distorted"}


def score_alignment(annotations: pd.DataFrame, aligned: pd.DataFrame) -> dict:
    """Compare an alignment with annotations, derived sentence by derived sentence.

    Parameters
    ----------
    annotations : pandas.DataFrame
        ``pair_id``, ``derived_sentence`` (int), ``sources`` (tuple of int),
        ``relation``.
    aligned : pandas.DataFrame
        Aligner rows of the derived side: ``pair_id``, ``sent_a`` (the derived
        sentence), ``sents_b`` (``;``-separated source sentences), ``kind``.

    Returns
    -------
    dict
        ``recall``, ``precision``, ``link_recall``, ``link_precision`` (the
        same without the class check), ``n_annotated``, ``n_predicted``,
        ``n_right`` and ``table`` (the merged rows with ``right``, for
        messages).
    """
    merged = annotations.merge(aligned, left_on=["pair_id", "derived_sentence"],
                               right_on=["pair_id", "sent_a"], how="left", validate="one_to_one")
    merged["kind"] = merged["kind"].fillna("none")
    predicted_sources = merged["sents_b"].fillna("").astype(str).map(
        lambda cell: {int(s) for s in cell.split(";") if s != ""})
    annotated = merged["relation"].isin(DERIVED)
    predicted = merged["kind"].isin(DERIVED)
    on_source = [bool(set(src) & got) for src, got in zip(merged["sources"], predicted_sources)]
    linked = annotated & predicted & pd.Series(on_source, index=merged.index)
    same_class = merged["relation"].map(CLASSES) == merged["kind"].map(CLASSES)
    right = linked & same_class
    merged = merged.assign(right=right, linked=linked)
    n_annotated, n_predicted = int(annotated.sum()), int(predicted.sum())
    return {"recall": right.sum() / n_annotated if n_annotated else float("nan"),
            "precision": right.sum() / n_predicted if n_predicted else float("nan"),
            "link_recall": linked.sum() / n_annotated if n_annotated else float("nan"),
            "link_precision": linked.sum() / n_predicted if n_predicted else float("nan"),
            "n_annotated": n_annotated, "n_predicted": n_predicted, "n_right": int(right.sum()),
            "table": merged}
