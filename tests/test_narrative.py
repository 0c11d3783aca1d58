"""The report's sentences: interpretation, alt texts and the numbers they state (analysis.report.narrative)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.report import narrative, pipeline
from analysis.corpus.cleaning import document_labels
from conftest import make_docs

def test_describe_functions_name_outlets_not_ids(mini_corpus):
    analysis = pipeline.open_corpus(mini_corpus)
    sentence = narrative.describe_corpus(analysis)
    assert sentence.startswith("2 articles from 2 named outlets")


def test_a_corpus_naming_no_outlet_does_not_count_zero_outlets(mini_corpus):
    (mini_corpus / "sources.csv").unlink()
    sentence = narrative.describe_corpus(pipeline.open_corpus(mini_corpus))
    assert sentence.startswith("2 articles (no outlet named): ")
    assert "0 named" not in sentence and "outlets" not in sentence
    (mini_corpus / "sources.csv").write_text("doc_id,outlet\nwire,Wire Service\ndaily,\n", encoding="utf-8")
    assert narrative.describe_corpus(pipeline.open_corpus(mini_corpus)).startswith(
        "2 articles from 1 named outlet (1 article without an outlet): ")


# ---------------------------------------------------------------- documents the English pipeline cannot read

URDU = {  # hand-written Urdu news sentences; the first mentions the IMF in Latin letters
    "ur1": "پاکستان کے وزیر خزانہ نے پیر کو کہا کہ IMF کے ساتھ بات چیت جاری ہے۔",
    "ur2": "کراچی میں بارش کے بعد کئی سڑکیں بند ہو گئیں۔\n\nشہریوں نے حکومت پر تنقید کی۔",
    "ur3": "سپریم کورٹ نے حکومت سے رپورٹ طلب کر لی۔",
}
ENGLISH = "The mayor of Ravena, Maria Costa, said on Monday that the bridge will close."


def _no_entities():
    empty = pd.DataFrame(columns=["doc_id", "entity", "entity_type", "mentions", "mentions_per_1k_words"])
    return {"entities": empty, "entity_aliases": pd.DataFrame(columns=["entity", "alias", "entity_type",
                                                                       "mentions", "how"])}


def _no_quotes():
    return {"quotes": pd.DataFrame(columns=["doc_id", "label", "kind", "speaker"]),
            "quote_variants": pd.DataFrame(columns=["group_id", "differs"])}


def test_describe_entities_says_why_non_english_documents_have_no_entities():
    docs = make_docs(URDU)
    assert narrative.describe_entities(_no_entities(), docs) == (
        "No named entities were found. 3 of 3 documents are not in English (ur), so the English-only "
        "analyses (readability, entities, quotations, numbers) leave them out.")
    # an English corpus without names gets no such reason
    assert narrative.describe_entities(_no_entities(), make_docs({"en": ENGLISH.lower()})) == (
        "No named entities were found.")


def test_describe_entities_counts_the_unreadable_documents_of_a_mixed_corpus():
    docs = make_docs({"en": ENGLISH, "ur2": URDU["ur2"]})
    result = {"entities": pd.DataFrame({"doc_id": ["en"], "entity": ["Maria Costa"], "entity_type": ["PERSON"],
                                        "mentions": [1], "mentions_per_1k_words": [71.4]}),
              "entity_aliases": pd.DataFrame({"entity": ["Maria Costa"], "alias": ["Maria Costa"],
                                              "entity_type": ["PERSON"], "mentions": [1], "how": ["as written"]})}
    sentence = narrative.describe_entities(result, docs)
    assert sentence.startswith("1 distinct entities; the most named are Maria Costa (1).")
    assert sentence.endswith("1 of 2 documents is not in English (ur), so the English-only analyses "
                             "(readability, entities, quotations, numbers) leave it out.")
    assert "not in English" not in narrative.describe_entities(result, make_docs({"en": ENGLISH}))


def test_describe_quotes_counts_the_unreadable_documents():
    docs = make_docs({**URDU, "en": ENGLISH})
    sentence = narrative.describe_quotes(_no_quotes(), docs)
    assert sentence.endswith(" 3 of 4 documents are not in English (ur), so the English-only analyses "
                             "(readability, entities, quotations, numbers) leave them out.")
    assert "not in English" not in narrative.describe_quotes(_no_quotes(), make_docs({"en": ENGLISH}))
    assert "not in English" not in narrative.describe_quotes(_no_quotes())  # without docs: as before


def test_urdu_corpus_entity_sentence_from_a_real_parse(nlp):
    from analysis.measures import entities
    from analysis.text.nlp import parse_bodies

    from analysis.corpus.language import english_documents

    docs = make_docs(URDU)
    english = english_documents(docs)  # what the pipeline gives the English NER: nothing here
    result = entities.analyse_entities(english, parse_bodies(english, nlp), nlp)
    assert result["entities"].empty
    assert "3 of 3 documents are not in English (ur)" in narrative.describe_entities(result, docs)


def test_describe_entities_needs_the_body_column():
    with pytest.raises(ValueError, match="body"):
        narrative.describe_entities(_no_entities(), pd.DataFrame({"doc_id": ["a"]}))


# ---------------------------------------------------------------- labels, never doc_ids

def test_document_labels_is_the_one_lookup_and_falls_back_to_doc_ids():
    docs = make_docs({"a1": "x", "b2": "y"})
    assert document_labels(docs) == {"a1": "A1", "b2": "B2"}
    assert document_labels(docs.drop(columns="label")) == {"a1": "a1", "b2": "b2"}


def label_lookups(root):
    """Code under ``root/analysis`` that builds a doc_id -> label mapping of its own."""
    import ast

    found = []
    for path in sorted((root / "analysis").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # display_labels makes the labels (from outlets and headlines), document_labels looks them up
            if isinstance(node, ast.FunctionDef) and node.name not in ("document_labels", "display_labels"):
                body = ast.unparse(node)
                helper = "label" in node.name and "'doc_id'" in body and "zip(" in body
                inline = [ast.unparse(call) for call in ast.walk(node) if isinstance(call, ast.Call)
                          and ast.unparse(call.func) == "dict" and call.args
                          and "'doc_id'" in ast.unparse(call.args[0]) and "'label'" in ast.unparse(call.args[0])]
                if helper or inline:
                    found.append(f"{path.relative_to(root)}:{node.name}")
    return found


def test_no_module_keeps_its_own_doc_id_to_label_helper():
    from conftest import ROOT

    assert label_lookups(ROOT) == []


def test_pipeline_writes_no_sentence_alt_text_or_markup():
    presentational = [name for name in vars(pipeline)
                      if name.startswith("describe_") or name.endswith("_alt_text")
                      or name in {"corpus_summary", "median_paragraph_grades",
                                  "top_entity_mentions", "quotations_per_label", "claims_by_status",
                                  "unique_entity_counts"}]
    assert presentational == []


# ---------------------------------------------------------------- overlap

PAIRS = pd.DataFrame({
    "doc_a": ["a", "b", "a", "c", "b", "c"], "doc_b": ["b", "a", "c", "a", "c", "b"],
    "lexical_containment": [0.8, 0.4, 0.0, 0.0, 0.1, 0.2],
    "semantic_coverage": [0.9, 0.5, 0.0, 0.3, 0.6, 0.1],
    "relation": ["wholly_derived", "partially_derived", "independent", "independent", "independent",
                 "partially_derived"]})
EDGES = pd.DataFrame({"source": ["b"], "derived": ["a"], "relation": ["wholly_derived"]})


def test_overlap_alt_texts_state_every_value_by_label():
    docs = make_docs({"a": "x", "b": "y", "c": "z"})
    assert narrative.pairs_alt_text(PAIRS, docs, "lexical_containment") == (
        "Heatmap of lexical containment by pair: A in B 80%; B in A 40%; C in B 20%; B in C 10%.")
    assert narrative.pairs_alt_text(PAIRS.assign(semantic_coverage=0.0), docs, "semantic_coverage") == (
        "Heatmap of semantic coverage by pair: all zero.")
    assert narrative.edges_alt_text(EDGES, docs) == "Derivation graph: A from B (wholly derived)."
    assert narrative.edges_alt_text(EDGES.iloc[:0], docs) == "Derivation graph: no derived pairs."


def test_describe_overlap_names_the_closest_pair_by_label(mini_corpus):
    analysis = pipeline.open_corpus(mini_corpus)
    pairs = pd.DataFrame({"doc_a": ["daily", "wire"], "doc_b": ["wire", "daily"],
                          "lexical_containment": [0.3, 0.25], "semantic_coverage": [0.4, 0.3],
                          "relation": ["partially_derived", "partially_derived"]})
    assert narrative.describe_overlap({"overlap_pairs": pairs}, analysis) == (
        "2 of 2 ordered pairs share text beyond chance; the closest: 30% of The Daily's words lie in "
        "passages shared with Wire Service (partially derived).")
    independent = pairs.assign(relation="independent")
    assert narrative.describe_overlap({"overlap_pairs": independent}, analysis) == (
        "No document shares enough text with another to count as derived from it.")


def test_a_one_document_corpus_says_why_nothing_is_compared(tmp_path):
    folder = tmp_path / "solo"
    folder.mkdir()
    (folder / "only.txt").write_text("A headline here\n\nThe mayor said on Monday that the bridge will close.")
    analysis = pipeline.open_corpus(folder)
    reason = pipeline.cross_source_skip_reason(analysis)
    assert "at least two" in reason
    assert narrative.describe_overlap({}, analysis) == reason
    assert narrative.no_shared_claims(analysis) == reason


def test_no_shared_claims_in_a_corpus_of_two(mini_corpus):
    assert narrative.no_shared_claims(pipeline.open_corpus(mini_corpus)) == (
        "No figure is reported by more than one outlet, so there is nothing to compare.")


# ---------------------------------------------------------------- figure data behind the alt texts

def test_alt_text_states_the_numbers():
    assert narrative.alt_text("Grade by outlet", {"A": 8.25, "B": 11.0}) == "Grade by outlet: A 8.2, B 11.0."
    assert narrative.alt_text("Quotes", {"A": 3}, unit="quotations", digits=0) == "Quotes: A 3 quotations."


def test_readability_alt_texts():
    scores = pd.DataFrame({"label": ["A", "B"], "flesch_kincaid_grade": [8.0, 12.5]})
    assert narrative.readability_alt_text(scores) == "Flesch-Kincaid grade by outlet: A 8.0, B 12.5."
    paragraphs = pd.DataFrame({"label": ["B", "B", "B", "A"], "flesch_kincaid_grade": [10.0, 12.0, None, 6.0]})
    assert narrative.median_paragraph_grades(paragraphs) == {"B": 11.0, "A": 6.0}  # corpus order, NaN left out
    assert narrative.paragraph_grades_alt_text(paragraphs) == (
        "Median paragraph Flesch-Kincaid grade by outlet: B 11.0, A 6.0.")


def test_entity_alt_texts():
    docs = make_docs({"a": "x", "b": "y", "c": "z"})
    entities = pd.DataFrame({"doc_id": ["a", "b", "a", "b"], "entity": ["Kirby", "Kirby", "Seoul", "Wagner"],
                             "mentions": [3, 2, 1, 4]})
    assert narrative.top_entity_mentions(entities, n=2) == {"Kirby": 5, "Wagner": 4}
    assert narrative.unique_entity_counts(entities, docs) == {"A": 1, "B": 1, "C": 0}
    assert narrative.entity_mentions_alt_text(entities) == (
        "Mentions of the most named entities across the corpus: Kirby 5, Wagner 4, Seoul 1.")
    assert narrative.unique_entities_alt_text(entities, docs) == (
        "Entities named by one outlet only, per outlet: A 1, B 1, C 0.")


def test_quote_and_claim_alt_texts():
    quotes = pd.DataFrame({"label": ["B", "A", "A", "A"], "kind": ["quote", "quote", "quote", "scare_quote"]})
    assert narrative.quotations_per_label(quotes) == {"A": 2, "B": 1}
    assert narrative.quotes_alt_text(quotes) == "Direct quotations per outlet: A 2, B 1."
    claims = pd.DataFrame({"status": ["conflict", "agree", "agree"]})
    assert narrative.claims_by_status(claims) == {"agree": 2, "conflict": 1}
    assert narrative.claims_alt_text(claims) == "Claims by status: agree 2, conflict 1."


def test_describe_numbers_counts_conflicts():
    result = {"numbers": pd.DataFrame({"value": [1.0, 2.0, 3.0]}),
              "number_claims": pd.DataFrame({"status": ["agree", "conflict"]})}
    assert narrative.describe_numbers(result) == (
        "3 numbers found; 2 claims are reported by more than one outlet, 1 of them with a conflict.")
