"""Template lines of a wire series are not reuse (analysis.overlap.wire_templates).

The corpus is written here: the invented dividend and eurobond notices of
tests/test_shingle_frequency.py, a series of six invented central-bank
bulletins written from one template with other figures each day (the shape of
Reuters' "Fed adds reserves" bulletins), one bulletin sent twice, and one
invented story with a rewrite that copies two of its sentences.
"""

import numpy as np
import pandas as pd
import pytest

from analysis.overlap.passages import shared_passages
from analysis.overlap.shingle_frequency import common_forms
from analysis.text.words import count_words
from analysis.overlap.wire_templates import (TEMPLATE_MIN_DOCUMENTS, document_lines, formula_index,
                                             line_bounds)
from test_shingle_frequency import formula_corpus, pair_set

BULLETIN = ("NORDBANK ADDS FUNDS VIA REPURCHASES\n\nThe Nordbank entered the interbank market to arrange "
            "{amount} crowns of repurchase agreements, a Nordbank spokesman said. Dealers said overnight "
            "money was trading at {rate} pct when the Nordbank began its temporary supply of funds to the "
            "banking system.")
DAYS = [("two billion", "6-1/8"), ("1.5 billion", "6-3/8"), ("two billion", "6-1/4"),
        ("one billion", "6-3/16"), ("three billion", "6-1/16"), ("1.5 billion", "6-5/8")]


def series_corpus() -> pd.DataFrame:
    rows = [{"doc_id": f"day{k}", "body": BULLETIN.format(amount=a, rate=r)} for k, (a, r) in enumerate(DAYS)]
    rows.append({"doc_id": "day0-resent", "body": BULLETIN.format(amount=DAYS[0][0], rate=DAYS[0][1])})
    return pd.concat([formula_corpus(), pd.DataFrame(rows)], ignore_index=True)


def test_lines_end_at_sentences_but_not_after_a_lone_letter():
    body = "FED ADDS RESERVES\n\nThe Fed entered the U.S. Government securities market. Funds were at 6-1/8 pct. It said \"fine.\" Then J. Smith left."
    bounds = line_bounds(body)
    lines = [body[a:b].strip() for a, b in zip(bounds, bounds[1:])]
    assert lines == ["FED ADDS RESERVES", "The Fed entered the U.S. Government securities market.",
                     "Funds were at 6-1/8 pct.", "It said \"fine.\"", "Then J. Smith left."]
    described = document_lines(body)
    assert described.shapes[2] == "funds were at # # pct"
    assert sum(described.figures[2].values()) == 2 and not described.figures[1]


def test_a_series_shares_nothing_but_a_resent_bulletin_is_found_whole():
    docs = series_corpus()
    index = formula_index(docs, common_forms(docs))
    assert index.template["day1"].all()  # every line's shape is in the six bulletins
    found = shared_passages(docs, anchors=index)
    pairs = pair_set(found)
    assert frozenset({"day0", "day0-resent"}) in pairs
    assert not {p for p in pairs if all(d.startswith("day") for d in p)} - {frozenset({"day0", "day0-resent"})}
    resent = found[(found["doc_a"] == "day0") & (found["doc_b"] == "day0-resent")]
    assert resent["n_words"].sum() == count_words(BULLETIN.format(amount=DAYS[0][0], rate=DAYS[0][1]))
    assert frozenset({"story", "rewrite"}) in pairs
    copied = found["text_a"].str.cat(sep=" ")
    assert "nearby villages were not in danger" in copied and "Lidia Portman" in copied


def test_without_the_index_the_series_is_reuse():
    # The rule is what removes the bulletins' pairs: the rare-shingle rule alone keeps them.
    docs = series_corpus()
    index = formula_index(docs, common_forms(docs))
    plain = pair_set(shared_passages(docs, anchors=index.rare))
    assert frozenset({"day1", "day3"}) in plain


def test_a_template_filled_with_other_figures_is_no_passage():
    docs = pd.DataFrame({"doc_id": ["monday", "tuesday", "copy"], "body": [
        "Treasury balances at the Federal Reserve fell on April 2 to 3.775 billion dlrs from 4.602 billion dlrs "
        "on the previous business day, the Treasury said in its latest budget statement.",
        "Treasury balances at the Federal Reserve fell on April 10 to 3.373 billion dlrs from 3.523 billion dlrs "
        "on the previous business day, the Treasury said in its latest budget statement.",
        "Treasury balances at the Federal Reserve fell on April 2 to 3.775 billion dlrs from 4.602 billion dlrs "
        "on the previous business day, the Treasury said in its latest budget statement."]})
    index = formula_index(docs, frozenset(), template_min_documents=TEMPLATE_MIN_DOCUMENTS)
    assert index.figure_agreement("monday", (0, 3), "copy", (0, 3)) == 1.0
    assert index.figure_agreement("monday", (0, 3), "tuesday", (0, 3)) < 0.5
    assert pair_set(shared_passages(docs, anchors=index)) == {frozenset({"monday", "copy"})}
    assert len(pair_set(shared_passages(docs, anchors=index.rare))) == 3  # without the figure rule


def test_a_name_and_a_stock_phrase_are_not_shared_text():
    # A company's announcements share its headline words and "Kestrel Systems Inc said": a name and a
    # stock phrase, found in more documents than a story and its copies (SPECIFIC_MAX_DOCUMENTS).
    other = ["navy", "rail", "postal"]
    docs = pd.DataFrame({"doc_id": ["army", "ford", *other], "body": [
        "KESTREL SYSTEMS <KSY> GETS ARMY CONTRACT\n\nKestrel Systems Inc said it received an army contract for "
        "field radios worth 40 mln dlrs.",
        "KESTREL SYSTEMS <KSY> GETS FORD CONTRACT\n\nKestrel Systems Inc said it won a contract from Ford to "
        "build a switching network.",
        *(f"KESTREL SYSTEMS <KSY> GETS {name.upper()} CONTRACT\n\nKestrel Systems Inc said it will deliver "
          f"{name} equipment under a {k + 2}-year agreement." for k, name in enumerate(other))]})
    index = formula_index(docs, frozenset())
    assert frozenset({"army", "ford"}) in pair_set(shared_passages(docs, anchors=index.rare))
    assert frozenset({"army", "ford"}) not in pair_set(shared_passages(docs, anchors=index))


def test_template_min_documents_is_checked():
    with pytest.raises(ValueError, match="template_min_documents"):
        formula_index(series_corpus(), frozenset(), template_min_documents=1)


def test_the_index_finds_the_common_forms_as_common_forms_does():
    # CorpusAnalysis.common_forms reads them from the index (one pass over the corpus).
    docs = series_corpus()
    assert formula_index(docs).common == common_forms(docs) != frozenset()
    assert formula_index(docs.head(20)).common == frozenset()


def test_the_index_and_common_forms_share_one_bound():
    """A form in COMMON_MIN_DOCUMENTS documents is not common, in one more it is: both routes read is_common."""
    from analysis.overlap.shingle_frequency import COMMON_MIN_DOCUMENTS, is_common

    def corpus(n):  # every body holds "shared phrase here"; each its own words too
        return pd.DataFrame({"doc_id": [f"d{k}" for k in range(n + 5)],
                             "body": [f"shared phrase here {' '.join(['w%dx%d' % (k, j) for j in range(4)])}"
                                      if k < n else f"alone {k} words only here" for k in range(n + 5)]})

    for n, expected in ((COMMON_MIN_DOCUMENTS, False), (COMMON_MIN_DOCUMENTS + 1, True)):
        docs = corpus(n)
        assert is_common(n) is expected
        assert ("shared phrase here" in common_forms(docs)) is expected
        assert ("shared phrase here" in formula_index(docs).common) is expected


def test_a_corpus_analysis_builds_the_index_once(tmp_path):
    from analysis.report.pipeline import open_corpus

    for doc_id, body in zip(*series_corpus()[["doc_id", "body"]].to_dict("list").values()):
        (tmp_path / f"{doc_id}.txt").write_text(body, encoding="utf-8")
    analysis = open_corpus(tmp_path)
    assert analysis.formulas is analysis.formulas
    assert analysis.common_forms == common_forms(analysis.docs) != frozenset()


def test_an_index_cut_to_a_batch_gives_the_batch_the_same_passages():
    """A passage task gets the index of its own documents only (analysis.report.stages); the passages are the same."""
    docs = series_corpus()
    index = formula_index(docs, common_forms(docs))
    whole = shared_passages(docs, anchors=index)
    found = 0
    for pair in (("day0", "day0-resent"), ("story", "rewrite"), ("day1", "day3")):
        part = docs[docs["doc_id"].isin(pair)]
        cut = index.for_documents(pair)
        assert set(cut.rare) == set(pair) and cut.common == index.common
        mine = whole[whole["doc_a"].isin(pair) & whole["doc_b"].isin(pair)].reset_index(drop=True)
        assert shared_passages(part, anchors=cut).to_dict("records") == mine.to_dict("records")
        found += len(mine)
    assert found >= 2  # the resent bulletin and the rewrite share passages; the series shares none
