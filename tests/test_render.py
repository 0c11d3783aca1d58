"""The report's HTML fragments (analysis.report.render): their structure, and article text always escaped.

Article text is untrusted. Each fragment is rendered with a hostile document
(a script, an image with an ``onerror`` handler, an attribute break-out and
Jinja2 template syntax) in every place article text can reach, then parsed:
the only elements are the fragment's own, no attribute is an event handler,
and the hostile text comes back as text, character for character.
"""

from __future__ import annotations

import ast
import math
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from analysis.report import render
from conftest import ROOT

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(2)>"
TEMPLATE = "{{ 7*7 }}{% if true %}yes{% endif %}"
ATTRIBUTE = "\" onmouseover=\"alert(3)"
HOSTILE = f"Police said {SCRIPT} and {IMAGE} then {TEMPLATE} or {ATTRIBUTE} ok"


class Parsed(HTMLParser):
    """Elements, attributes and text of a fragment, as a browser would read them."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text_parts: list[str] = []
        self.feed(str(markup))
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)

    def handle_data(self, data):
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.text_parts)


def assert_inert(markup, allowed_tags: set[str], texts=(HOSTILE,)) -> Parsed:
    parsed = Parsed(markup)
    assert set(parsed.tags) <= allowed_tags, set(parsed.tags) - allowed_tags
    assert not [name for name, _ in parsed.attributes if name.startswith("on")]
    assert "script" not in parsed.tags
    for text in texts:
        assert text in parsed.text  # the article's words, shown as written
    assert "49" not in parsed.text  # no template ran on article text ({{ 7*7 }} is shown as written)
    return parsed


# ---------------------------------------------------------------- note, table, figure

def test_note_escapes_and_keeps_the_text():
    note = render.note(HOSTILE)
    parsed = assert_inert(note.markup, {"p"})
    assert parsed.attributes == [("class", "parallax-note")]
    assert note.text == HOSTILE


def test_rich_html_is_kept_from_mathjax_and_never_trusts_plain_text():
    shown = render.note("It cost $5 or $10.")._repr_html_()
    assert shown.startswith('<div class="mathjax_ignore tex2jax_ignore"><p class="parallax-note">')
    assert "&lt;script&gt;" in str(render.RichHTML(SCRIPT).markup)
    combined = render.note("one") + render.note("two")
    assert combined.text == "one\n\ntwo" and str(combined.markup).count("<p ") == 2


def test_table_escapes_cells_column_names_and_caption():
    table = pd.DataFrame({HOSTILE: [HOSTILE, "plain"], "n": [1, 2]})
    shown = render.table(table, caption=HOSTILE)
    parsed = assert_inert(shown.markup, {"p", "table", "thead", "tbody", "tr", "th", "td"})
    assert parsed.text.count(HOSTILE) == 3  # caption, column name, cell
    assert parsed.tags[:2] == ["p", "table"]


def test_table_formats_any_value_and_says_how_many_rows_it_left_out():
    table = pd.DataFrame({"value": [math.inf, math.nan, 100000000.0, 0.34744, 1234.5]})
    markup = str(render.table(table).markup)
    assert "100,000,000" in markup and "0.347" in markup and "inf" in markup and "1,234.5" in markup
    assert "First" not in markup and "parallax-caption" not in markup
    long_table = pd.DataFrame({"n": range(35)})
    assert "First 30 of 35 rows." in Parsed(render.table(long_table).markup).text
    assert "First 5 of 35 rows." in Parsed(render.table(long_table, max_rows=5).markup).text


def test_figure_block_escapes_id_caption_alt_and_citation():
    block = render.figure(b"\x89PNG", "fig-01-test", caption=HOSTILE, alt=HOSTILE, citation=HOSTILE)
    parsed = assert_inert(block.markup, {"figure", "img", "figcaption", "strong", "br", "small"})
    assert parsed.tags.count("img") == 1
    attributes = dict(parsed.attributes)
    assert attributes["alt"] == HOSTILE
    assert attributes["src"] == "data:image/png;base64,iVBORw=="
    assert attributes["id"] == "fig-01-test"
    assert parsed.text.count(HOSTILE) == 2  # caption and citation
    assert block.text == f"Figure fig-01-test. {HOSTILE}"


# ---------------------------------------------------------------- altered quotations

def variants(speaker=HOSTILE, label_b=HOSTILE):
    return pd.DataFrame({
        "group_id": ["qv01", "qv01", "qv02"], "speaker": [speaker, speaker, "Kim"],
        "doc_id": ["a", "b", "a"], "quote_id": ["a-q01", "b-q01", "a-q02"],
        "text": [HOSTILE, "other words", "alone"], "differs": [False, True, False],
        "diff": ["", f"Police said [-{SCRIPT}-] {{+{IMAGE}+}} ok", ""],
        "label": ["A <b>", label_b, "A <b>"]})


def test_altered_quotes_escape_speaker_outlet_reference_and_diff():
    shown = render.altered_quotes(variants())
    parsed = assert_inert(shown.markup, {"table", "thead", "tbody", "tr", "th", "td", "del", "ins"},
                          texts=(HOSTILE, "A <b>", SCRIPT, IMAGE))
    assert parsed.tags.count("tr") == 2  # the header and the one rendering that differs
    markup = str(shown.markup)
    assert "<del>&lt;script&gt;alert(1)&lt;/script&gt;</del>" in markup
    assert "<ins>&lt;img src=x onerror=alert(2)&gt;</ins>" in markup


def cell_texts(markup) -> list[str]:
    """The text of each ``<td>`` of a fragment, in order."""
    cells: list[list[str]] = []

    class Cells(HTMLParser):
        inside = False

        def handle_starttag(self, tag, attrs):
            if tag == "td":
                self.inside = True
                cells.append([])

        def handle_endtag(self, tag):
            if tag == "td":
                self.inside = False

        def handle_data(self, data):
            if self.inside:
                cells[-1].append(data)

    Cells(convert_charrefs=True).feed(str(markup))
    return ["".join(cell) for cell in cells]


def test_altered_quotes_structure():
    shown = render.altered_quotes(variants(speaker="Kim Jong Un", label_b="Daily"))
    assert cell_texts(shown.markup) == ["qv01", "Kim Jong Un", "Daily", f"{HOSTILE} (A <b>)",
                                        f"Police said {SCRIPT} {IMAGE} ok"]
    assert Parsed(shown.markup).tags[-2:] == ["del", "ins"]
    same = variants().assign(differs=False)
    assert str(render.altered_quotes(same).markup) == (
        "<p>No altered quotations: every shared quotation is worded alike.</p>")
    with pytest.raises(ValueError, match="diff"):
        render.altered_quotes(variants().drop(columns="diff"))


# ---------------------------------------------------------------- side by side

def pair_tables(text_a=HOSTILE, text_b=HOSTILE.replace("Police", "Officials")):
    docs = pd.DataFrame({"doc_id": ["a", "b"], "label": [f"A {SCRIPT}", f"B {TEMPLATE}"], "body": ["", ""]})
    passages = pd.DataFrame({"doc_a": ["a"], "doc_b": ["b"], "start_a": [0], "end_a": [10], "start_b": [0],
                             "end_b": [10], "n_words": [12], "kind": ["near_copy"],
                             "text_a": [text_a], "text_b": [text_b]})
    alignment = pd.DataFrame({"doc_a": ["a", "a"], "sent_a": [1, 0], "doc_b": ["b", "b"],
                              "text_a": ["The ship <b>left</b>.", "Unmatched"],
                              "text_b": ["The boat <b>left</b>.", "x"], "kind": ["paraphrase", "none"]})
    return docs, passages, alignment


def test_side_by_side_escapes_texts_and_labels():
    docs, passages, alignment = pair_tables()
    shown = render.side_by_side(docs, passages, alignment, ("a", "b"))
    parsed = assert_inert(shown.markup, {"div", "style", "table", "caption", "tr", "th", "td", "del", "ins"},
                          texts=(f"A {SCRIPT}", f"B {TEMPLATE}"))
    assert "alert(1)" in parsed.text and "onerror=alert(2)" in parsed.text
    markup = str(shown.markup)
    assert "<del>Police</del>" in markup and "<ins>Officials</ins>" in markup
    assert "<del>ship</del>" in markup and "<ins>boat</ins>" in markup


def test_side_by_side_structure():
    docs, passages, alignment = pair_tables("same words here", "same words here")
    markup = str(render.side_by_side(docs, passages, alignment, ("a", "b")).markup)
    kinds = re.findall(r'<td class="k">(.*?)</td>', markup)
    assert kinds == ["passage (near_copy)", "sentence (paraphrase)"]  # passages first, "none" rows left out
    assert "<del>" not in markup.split("sentence (paraphrase)")[0]  # identical passage: nothing marked
    assert "(1 more rows not shown)" in render.side_by_side(docs, passages, alignment, ("a", "b"),
                                                            max_rows=1).markup
    nothing = render.side_by_side(docs, passages.iloc[:0], None, ("a", "b")).markup
    assert "No shared passages or aligned sentences." in nothing
    with pytest.raises(ValueError, match="not in docs"):
        render.side_by_side(docs, passages, None, ("a", "zz"))


def test_word_diff_marks_only_the_words_that_differ():
    a, b = render.word_diff("The ship left port.", "The boat left port!")
    assert a == [("same", "The "), ("removed", "ship"), ("same", " left port.")]
    assert b == [("same", "The "), ("added", "boat"), ("same", " left port!")]
    assert render.word_diff("Same text", "same  text") == ([("same", "Same text")], [("same", "same  text")])


def test_overlap_details_hold_both_tables_and_the_closest_pair():
    docs, passages, alignment = pair_tables()
    summary = pd.DataFrame({"doc_a": ["a", "b"], "doc_b": ["b", "a"], "lexical_containment": [0.5, 0.4],
                            "semantic_coverage": [0.5, 0.4], "relation": ["partially_derived"] * 2})
    result = {"overlap_pairs": summary, "passages": passages, "sentence_alignment": alignment}
    shown = render.overlap_details(result, docs)
    parsed = assert_inert(shown.markup, {"p", "div", "style", "table", "thead", "tbody", "caption", "tr", "th",
                                         "td", "del", "ins"})
    captions = [p for p in parsed.text_parts if p.startswith(("Pairwise", "Shared passages", "A <script>"))]
    assert captions[0] == "Pairwise overlap (one row per ordered pair)"
    assert captions[-1] == "Shared passages (offsets index the cleaned bodies)"
    assert render.overlap_details({}, docs) is None  # a skipped section shows nothing


# ---------------------------------------------------------------- one rendering module

HTML_LITERAL = re.compile(r"(?<!\?P)<(p|div|span|table|tr|td|th|del|ins|figure|img|style|br|small|strong|caption)\b[^<]*>")


def html_literals(root):
    """String literals holding HTML tags in ``root/analysis`` code (docstrings aside), by file."""
    found = []
    for path in sorted((root / "analysis").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                      and node.body and isinstance(node.body[0], ast.Expr)
                      and isinstance(node.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                    and HTML_LITERAL.search(node.value)):
                found.append(str(path.relative_to(root)))
    return sorted(set(found))


def test_no_module_writes_html_outside_the_templates():
    assert html_literals(ROOT) == []
