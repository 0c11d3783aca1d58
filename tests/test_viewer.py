"""The reuse viewer (analysis.report.viewer) and which passages count as reuse (analysis.overlap.reuse)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.overlap import reuse
from analysis.report import viewer
from conftest import make_docs
from test_render import HOSTILE, SCRIPT, Parsed, assert_inert

SOURCE = ("Dock workers at the port of Ravena walked out on Monday, halting grain exports for the third time.\n\n"
          "The union said 4,000 members joined the strike, according to a media report on the talks.")
DERIVED = ("Dock workers at the port of Ravena walked out on Monday, halting grain exports for the third time.\n\n"
           "Officials said about 3,500 members took part, according to a media report on the walkout.")
OTHER = "The weather was mild across the region on Monday, forecasters said, according to a media report on the day."


def sentence_rows(docs: pd.DataFrame) -> pd.DataFrame:
    """Sentences by hand: every paragraph of these bodies is one sentence."""
    rows = []
    for doc_id, body in zip(docs["doc_id"], docs["body"]):
        start = 0
        for sent, paragraph in enumerate(body.split("\n\n")):
            start = body.index(paragraph, start)
            rows.append((doc_id, sent, start, start + len(paragraph), paragraph))
            start += len(paragraph)
    return pd.DataFrame(rows, columns=["doc_id", "sent", "start", "end", "text"])


def overlap_result(docs: pd.DataFrame, source: str = "s", derived: str = "d") -> dict:
    from analysis.overlap.passages import shared_passages

    sentences = sentence_rows(docs)
    text = dict(zip(zip(sentences["doc_id"], sentences["sent"]), sentences["text"]))
    rows = []
    for a, b in ((source, derived), (derived, source)):
        for sent in (0, 1):
            if (a, sent) in text and (b, sent) in text:
                kind = "copy" if text[(a, sent)] == text[(b, sent)] else "paraphrase"
                rows.append((a, sent, text[(a, sent)], b, sent, text[(b, sent)], kind))
    alignment = pd.DataFrame(rows, columns=["doc_a", "sent_a", "text_a", "doc_b", "sent_b", "text_b", "kind"])
    return {"passages": reuse.mark_reuse(shared_passages(docs), docs), "sentence_alignment": alignment,
            "derivation": pd.DataFrame({"source": [source], "derived": [derived], "relation": ["wholly_derived"]})}


# ---------------------------------------------------------------- which passages count as reuse

def test_trivial_and_common_passages_are_not_reuse():
    docs = make_docs({"s": SOURCE, "d": DERIVED, "o": OTHER})
    from analysis.overlap.passages import shared_passages

    marked = reuse.mark_reuse(shared_passages(docs), docs)
    assert list(marked.columns[-4:]) == reuse.REUSE_COLUMNS
    by_text = {text: row for text, row in zip(marked["text_a"], marked.itertuples(index=False))}
    copied = by_text["Dock workers at the port of Ravena walked out on Monday, halting grain exports for the third time"]
    assert copied.reuse and copied.not_reuse == "" and copied.content_words >= reuse.MIN_REUSE_CONTENT_WORDS
    trivial = [row for text, row in by_text.items() if text.startswith("according to a media report on the")]
    assert trivial and all(not row.reuse for row in trivial)
    assert {row.not_reuse for row in trivial} <= {"few_content_words", "common_formula"}
    assert reuse.content_word_count("to a media report on the") == 2


def test_a_short_phrase_in_most_documents_is_a_formula_but_a_long_copy_is_not():
    formula = "the Democratic People's Republic of Korea and its armed forces"  # 10 words, 7 content words
    long_copy = ("Dock workers at the port of Ravena walked out on Monday, halting grain exports for the third "
                 "time this year as the union demanded higher wages")
    fillers = ["apples pears plums cherries grapes", "rivers lakes seas oceans ponds",
               "red green blue yellow purple", "north south east west centre"]
    bodies = {f"t{k}": f"{fillers[k]}. {formula} {fillers[k - 1]} {fillers[k - 2]}. {long_copy}. {fillers[k - 3]}."
              for k in range(4)}
    docs = make_docs(bodies)
    from analysis.overlap.passages import shared_passages

    marked = reuse.mark_reuse(shared_passages(docs), docs)
    short = marked[marked["n_words"] < reuse.FORMULA_MAX_WORDS]
    long = marked[marked["n_words"] >= reuse.FORMULA_MAX_WORDS]
    assert not short.empty and (short["not_reuse"] == "common_formula").all()
    assert (short["documents_sharing"] == 4).all()
    assert not long.empty and long["reuse"].all()
    # the same phrase shared by two documents of four is reuse
    four = make_docs({"a": bodies["t0"], "b": bodies["t1"], "c": OTHER, "e": "Nothing alike here at all."})
    two = reuse.mark_reuse(shared_passages(four), four)
    assert len(two) >= 2 and two["reuse"].all()


def test_documents_sharing_counts_whole_word_phrases_like_a_search_of_every_body():
    """The word index finds the same bodies as searching every body for the phrase."""
    bodies = ["Grain exports resumed on Monday.", "The grain exporters met.", "Exports of grain resumed",
              "grain exports resumed on monday, officials said", "", "On Monday grain exports resumed."]
    normalised = [reuse._normalised(body) for body in bodies]
    holding = reuse._documents_holding(normalised)
    phrases = ["grain exports resumed", "Grain exports resumed on Monday", "grain", "export", "resumed on",
               "monday grain", "nothing here", "", "GRAIN!"]
    for phrase in map(reuse._normalised, phrases):
        assert holding(phrase) == {k for k, body in enumerate(normalised) if phrase in body}, phrase
    assert holding(reuse._normalised("grain exports resumed")) == {0, 3, 5}


def test_pair_id_is_stable_safe_and_ordered():
    assert reuse.pair_id("a", "b") == reuse.pair_id("a", "b") != reuse.pair_id("b", "a")
    assert re.fullmatch(r"reuse-[0-9a-f]{12}", reuse.pair_id(SCRIPT, '"><img onerror=x>'))


def test_word_diff_marks_only_the_words_that_differ():
    a, b = reuse.word_diff("The ship left port.", "The boat left port!")
    assert a == [("same", "The "), ("removed", "ship"), ("same", " left port.")]
    assert b == [("same", "The "), ("added", "boat"), ("same", " left port!")]
    assert reuse.word_diff("Same text", "same  text") == ([("same", "Same text")], [("same", "same  text")])


# ---------------------------------------------------------------- the viewer

def test_viewer_shows_both_full_texts_with_shared_passages_links_and_differences():
    docs = make_docs({"s": SOURCE, "d": DERIVED})
    result = overlap_result(docs)
    markup = str(viewer.reuse_viewer(result, docs, sentence_rows(docs)).markup)
    parsed = Parsed(markup)
    pid = reuse.pair_id("s", "d")
    assert f'<section class="pxr-pair" id="{pid}">' in markup
    # both texts in full, paragraph by paragraph
    assert all(paragraph in parsed.text for paragraph in SOURCE.split("\n\n") + DERIVED.split("\n\n"))
    marks = re.findall(r"<mark>(.*?)</mark>", markup)[1:]  # the first is the key's
    assert marks == ["Dock workers at the port of Ravena walked out on Monday, halting grain exports for the "
                     "third time"] * 2  # highlighted in both texts; "according to a media report on the" is not
    ids = set(re.findall(r'id="([^"]+)"', markup))
    links = re.findall(r'href="#([^"]+)"', markup)
    assert links and all(link in ids for link in links)  # every aligned sentence links to an existing one
    assert f"#{pid}-b1" in [f"#{link}" for link in links] and f"#{pid}-a1" in [f"#{link}" for link in links]
    assert "<del>union</del>" in markup and "<ins>Officials</ins>" in markup  # reworded sentence, word level
    assert "<del>Dock" not in markup and "<ins>Dock" not in markup  # the copied sentence has no differences
    assert "text-align:left !important" in markup  # prose left-aligned in JupyterLab too
    assert "script" not in Parsed(markup).tags


def test_identical_documents_are_stated_once():
    docs = make_docs({"s": SOURCE, "d": SOURCE.replace("  ", " ")})
    shown = viewer.reuse_viewer(overlap_result(docs), docs, sentence_rows(docs))
    text = Parsed(shown.markup).text
    assert "href" not in str(shown.markup)  # no link to a second copy that is not shown
    assert "S and D are identical: the same 34 words in the same order. The text is shown once." in text
    assert text.count("Dock workers at the port") == 1
    index = Parsed(viewer.pair_index(overlap_result(docs), docs).markup).text
    assert "D from S (identical)" in " ".join(index.split())


def test_viewer_escapes_article_text_and_labels():
    hostile_source = f"{HOSTILE} first.\n\n{SOURCE}"
    hostile_derived = f"{HOSTILE} first.\n\n{DERIVED}"
    docs = make_docs({"s": hostile_source, "d": hostile_derived}, labels=lambda k: f"{k} {SCRIPT}")
    shown = viewer.reuse_viewer(overlap_result(docs), docs, sentence_rows(docs))
    assert_inert(shown.markup, {"div", "style", "p", "mark", "span", "del", "ins", "section", "h3", "h4", "a"},
                 texts=(HOSTILE, f"s {SCRIPT}", f"d {SCRIPT}"))


def test_viewer_without_derived_pairs_says_so():
    docs = make_docs({"s": SOURCE, "o": OTHER})
    result = overlap_result(docs, "s", "o")
    result["derivation"] = result["derivation"].iloc[:0]
    assert "no pair to show" in Parsed(viewer.reuse_viewer(result, docs, sentence_rows(docs)).markup).text
    assert "no pair to show" in Parsed(viewer.reuse_viewer({}, docs, sentence_rows(docs)).markup).text


def test_viewer_names_the_pairs_it_leaves_out():
    docs = make_docs({"s": SOURCE, "d": DERIVED})
    result = overlap_result(docs)
    result["derivation"] = pd.concat([result["derivation"]] * 2, ignore_index=True)
    text = Parsed(viewer.reuse_viewer(result, docs, sentence_rows(docs), max_pairs=1).markup).text
    assert "Not shown here (1 more derived pairs, in tables/derivation.csv): D from S." in " ".join(text.split())


# published must be ISO 8601 (analysis.corpus.dates: anything else stops the run), the others are free text
@pytest.mark.parametrize("column, value", [("published", "2024-05-01T14:30:00Z"), ("url", "<b>value</b>"),
                                           ("section", "<b>value</b>")])
def test_every_sources_column_reaches_documents_csv(column, value, tmp_path):
    from analysis.corpus.cleaning import document_table, load_corpus

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("A headline\n\nSome body text here.", encoding="utf-8")
    (folder / "sources.csv").write_text(f"doc_id,outlet,{column}\na,Outlet,{value}\n", encoding="utf-8")
    documents = document_table(load_corpus(folder))
    assert documents.loc[0, column] == value
