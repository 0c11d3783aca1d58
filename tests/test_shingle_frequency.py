"""Wire formulas are not reuse (analysis.overlap.shingle_frequency).

The corpus is written here: dividend notices and eurobond notices imitating
the Reuters formulas ("Qtly div 25 cts vs 25 cts prior", the eurobond
boilerplate), each under an invented company name, plus one invented story
and a rewrite that copies two of its sentences.
"""

import random

import pandas as pd

from analysis.overlap.candidates import candidate_pairs
from analysis.overlap.passages import shared_passages
from analysis.overlap.shingle_frequency import (COMMON_MIN_DOCUMENTS, anchor_masks, common_forms,
                                                document_frequency, rare_shingle_sets, shingle_forms,
                                                word_form)

NAMES = ["Alder", "Birchwood", "Cobalt", "Dunlin", "Egret", "Fenwick", "Garnet", "Hollis", "Ingram",
         "Juniper", "Kestrel", "Larch", "Merlin", "Norland", "Osprey", "Pelham", "Quarry", "Rowan",
         "Sorrel", "Tamsin", "Umber", "Vireo", "Wexford", "Yarrow", "Zephyr", "Ashdown", "Bracken",
         "Carrick", "Delane", "Elstow"]
MONTHS = ["March", "April"]
#: 60 dividend notices: every template line (with either month) is in more than
#: COMMON_MIN_DOCUMENTS of them.
COMPANIES = NAMES + [f"{name} North" for name in NAMES]
NUMBER_WORDS = ["two", "three", "five", "six", "eight", "nine"]

STORY = ("Engineers at the Harwick reservoir began draining the eastern basin on Thursday after "
         "inspectors found a crack in the old spillway wall. The water board said nearby villages "
         "were not in danger and that drinking water supplies would continue from the western basin. "
         "Repairs are expected to take most of the summer, according to chief engineer Lidia Portman.")
REWRITE = ("HARWICK RESERVOIR PARTLY DRAINED\n\nThe water board said nearby villages were not in danger "
           "and that drinking water supplies would continue from the western basin. Local farmers asked "
           "for compensation. Repairs are expected to take most of the summer, according to chief "
           "engineer Lidia Portman.")


def formula_corpus(seed: int = 3) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for k, name in enumerate(COMPANIES):
        cents = rng.choice(["25", "12", "40", rng.choice(NUMBER_WORDS)])
        prior = rng.choice(["25", "10", "40", rng.choice(NUMBER_WORDS)])
        body = (f"{name.upper()} HOLDINGS SETS QUARTERLY DIVIDEND\n\nQtly div {cents} cts vs {prior} cts "
                f"prior\n\nPay {rng.choice(MONTHS)} {rng.randint(1, 28)}\n\nRecord {rng.choice(MONTHS)} "
                f"{rng.randint(1, 28)}")
        rows.append({"doc_id": f"div{k:02d}", "body": body})
    for k, name in enumerate(NAMES[:25]):
        body = (f"{name.upper()} FINANCE ISSUES {rng.randint(2, 30) * 10} MLN DLR EUROBOND\n\n"
                f"{name} Finance is issuing a {rng.randint(2, 30) * 10} mln dlr eurobond due "
                f"{rng.randint(1990, 1997)} paying {rng.randint(6, 9)}-1/4 pct and priced at "
                f"{rng.randint(99, 101)} pct, lead manager {rng.choice(NAMES)} Bank said.\n\n"
                f"The non-callable bond is available in denominations of 5,000 dlrs and will be listed "
                f"in Luxembourg. The selling concession is 1-1/4 pct while management and underwriting "
                f"combined pays 5/8 pct. The payment date is {rng.choice(MONTHS)} {rng.randint(1, 28)}.")
        rows.append({"doc_id": f"bond{k:02d}", "body": body})
    rows.append({"doc_id": "story", "body": "HARWICK SPILLWAY CRACKED\n\n" + STORY})
    rows.append({"doc_id": "rewrite", "body": REWRITE})
    return pd.DataFrame(rows)


def pair_set(table):
    return {frozenset(p) for p in zip(table["doc_a"], table["doc_b"])}


def test_numbers_and_number_words_share_one_form():
    assert [word_form(w) for w in ["25", "1-1/4", "five", "twenty", "cts", "div"]] == \
        ["#", "#", "#", "#", "cts", "div"]
    assert shingle_forms("Qtly div 25 cts") == shingle_forms("QTLY DIV five cts") == ["qtly div #", "div # cts"]


def test_template_forms_are_common_and_story_forms_are_not():
    docs = formula_corpus()
    common = common_forms(docs)
    for form in ("qtly div #", "div # cts", "# cts prior", "listed in luxembourg", "denominations of #",
                 "the selling concession"):
        assert form in common, form
    assert not {"the water board", "spillway wall the", "lidia portman"} & common
    assert document_frequency(docs)["qtly div #"] == len(COMPANIES)


def test_formulas_make_no_passage_but_a_copy_still_does():
    docs = formula_corpus()
    plain = pair_set(shared_passages(docs))
    discounted = shared_passages(docs, anchors=anchor_masks(docs, common_forms(docs)))
    formula_pairs = {p for p in plain if "story" not in p and "rewrite" not in p}
    assert len(formula_pairs) > 100  # without the discount every notice "shares" its template
    assert pair_set(discounted) == {frozenset({"story", "rewrite"})}
    copied = discounted["text_a"].str.cat(sep=" ")
    assert "nearby villages were not in danger" in copied and "Lidia Portman" in copied


def test_formulas_make_no_candidate_pair():
    docs = formula_corpus()
    sets = rare_shingle_sets(docs, common_forms(docs))
    found = pair_set(candidate_pairs(docs, all_pairs_max_docs=10, shingle_sets=sets))
    assert frozenset({"story", "rewrite"}) in found
    assert not {p for p in found if all(d.startswith("div") for d in p)}
    plain = pair_set(candidate_pairs(docs, all_pairs_max_docs=10))
    assert {p for p in plain if all(d.startswith("div") for d in p)}  # the template pairs them


def test_small_corpus_has_no_common_form():
    # The pipeline passes anchors only when some form is common: a small corpus runs as before.
    docs = formula_corpus().iloc[:COMMON_MIN_DOCUMENTS].reset_index(drop=True)
    assert common_forms(docs) == frozenset()
    assert all(mask.all() for mask in anchor_masks(docs, frozenset()).values())


def test_a_changed_figure_is_not_bridged():
    docs = pd.DataFrame({"doc_id": ["monday", "tuesday"], "body": [
        "The Bank of England said it gave the money market a further 191 mln stg assistance this afternoon.",
        "The Bank of England said it gave the money market a further 152 mln stg assistance this afternoon."]})
    plain = shared_passages(docs)
    assert len(plain) == 1 and plain["kind"].tolist() == ["near"]  # bridged over the figure
    split = shared_passages(docs, anchors=anchor_masks(docs, frozenset()))
    assert split["text_a"].tolist() == ["The Bank of England said it gave the money market a further"]


def test_formula_index_shares_its_forms_with_the_candidate_sets():
    # The index numbers the shingle forms with numpy; the sets and masks find them as strings.
    from analysis.overlap.wire_templates import formula_index

    docs = formula_corpus()
    index = formula_index(docs)
    common = common_forms(docs)
    assert index.common == common and common
    assert rare_shingle_sets(docs, common, rare=index.rare) == rare_shingle_sets(docs, common)
    masks = anchor_masks(docs, common)
    assert all((index.rare[d] == masks[d]).all() for d in docs["doc_id"])
    given = formula_index(docs, common=common)
    assert all((given.rare[d] == masks[d]).all() for d in docs["doc_id"])


def test_shingle_form_ids_number_equal_forms_alike_even_with_spaces_in_a_form():
    from analysis.overlap.shingle_frequency import shingle_form_ids
    import numpy as np

    for forms in (["a", "b", "c", "d"], ["a b", "a", "b c", "c"]):  # "a b"+"c" and "a"+"b c" join alike
        ids = [np.array([0, 1, 2, 0, 1, 2]), np.array([1, 2]), np.array([0, 3, 0, 1])]
        numbers, name = shingle_form_ids(ids, forms, 2)
        strings = [[" ".join(forms[w] for w in doc[i:i + 2]) for i in range(len(doc) - 1)] for doc in ids]
        assert [len(n) for n in numbers] == [len(s) for s in strings]
        flat_n, flat_s = np.concatenate(numbers).tolist(), sum(strings, [])
        assert all(name(n) == s for n, s in zip(flat_n, flat_s))
        assert len(set(flat_n)) == len(set(flat_s)) and set(flat_n) == set(range(len(set(flat_s))))


def test_pipeline_candidates_use_the_index_rare_masks_and_match_the_plain_sets():
    from pathlib import Path

    from analysis.report.pipeline import CorpusAnalysis

    docs = formula_corpus()
    analysis = CorpusAnalysis(corpus="formulas", path=Path("formulas"), raw=docs, lines=pd.DataFrame(), docs=docs,
                              parameters={"seed": 1})
    expected = candidate_pairs(docs, seed=1, shingle_sets=rare_shingle_sets(docs, common_forms(docs)))
    assert analysis.candidates.to_csv(index=False) == expected.to_csv(index=False)
