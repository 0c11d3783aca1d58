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
    parsed = assert_inert(shown.markup, {"p", "table", "thead", "tbody", "tr", "th", "td", "style"})
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


# ---------------------------------------------------------------- overlap section, reader tables, documents

def pair_tables(text_a=HOSTILE, text_b=HOSTILE.replace("Police", "Officials")):
    docs = pd.DataFrame({"doc_id": ["a", "b"], "label": [f"A {SCRIPT}", f"B {TEMPLATE}"], "body": ["", ""]})
    passages = pd.DataFrame({"doc_a": ["a", "a"], "doc_b": ["b", "b"], "start_a": [0, 20], "end_a": [10, 30],
                             "start_b": [0, 20], "end_b": [10, 30], "n_words": [12, 6], "kind": ["near", "verbatim"],
                             "text_a": [text_a, "to a media report on the"],
                             "text_b": [text_b, "to a media report on the"],
                             "reuse": [True, False], "not_reuse": ["", "few_content_words"]})
    return docs, passages


def test_overlap_details_show_related_pairs_links_and_only_passages_that_count_as_reuse():
    docs, passages = pair_tables()
    summary = pd.DataFrame({"doc_a": ["a", "b"], "doc_b": ["b", "a"], "lexical_containment": [0.5, 0.0],
                            "semantic_coverage": [0.5, 0.0], "relation": ["partially_derived", "independent"],
                            "basis": ["shared_text", ""], "words_a": [40, 40]})
    derivation = pd.DataFrame({"source": ["b"], "derived": ["a"], "relation": ["partially_derived"]})
    result = {"overlap_pairs": summary, "passages": passages, "derivation": derivation}
    shown = render.overlap_details(result, docs)
    parsed = assert_inert(shown.markup, {"p", "div", "ul", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
                                         "style"})
    captions = [p for p in parsed.text_parts if p.startswith(("Related pairs", "Shared passages", "Derived pairs"))]
    assert captions == ["Related pairs (1 of 2 ordered pairs; all are in tables/overlap_pairs.csv)",
                        "Derived pairs, side by side in the reuse viewer (appendix):",
                        "Shared passages counted as reuse (1 of 2; tables/passages.csv has them all, "
                        "and says why the others are not)"]
    assert "to a media report on the" not in parsed.text  # a trivial match is not listed as reuse
    assert "start_a" not in parsed.text and "doc_a" not in parsed.text  # offsets and ids stay in the CSV
    assert f"A {SCRIPT}" in parsed.text  # documents named by label
    from analysis.overlap.reuse import pair_id
    assert ("href", f"#{pair_id('b', 'a')}") in parsed.attributes
    assert render.overlap_details({}, docs) is None  # a skipped section shows nothing


def test_reader_table_keeps_the_named_columns_under_their_headings():
    data = pd.DataFrame({"doc_id": ["a"], "label": ["A"], "x": [1.5], "noise": ["n"], "text": ["one\n\ntwo"]})
    parsed = Parsed(render.reader_table(data, {"doc_id": "Document", "x": "Score", "text": "Text", "gone": "G"},
                                        labels={"a": HOSTILE}).markup)
    assert [t for t in parsed.text_parts if t in ("Document", "Score", "Text", "noise", "G")] == [
        "Document", "Score", "Text"]
    assert HOSTILE in parsed.text and "one \u00b6 two" in parsed.text


def test_readability_table_in_the_report_fits_the_page():
    from analysis.report.columns import READABILITY_SHOWN

    assert len(READABILITY_SHOWN) <= 10  # readability.csv has 26 columns; the page shows the ones read


def documents_table(url, date="2022-12-22"):
    return pd.DataFrame({"doc_id": ["a"], "outlet": [HOSTILE], "title": [HOSTILE], "language": ["en"],
                         "n_words": [1200], "flags": [""], "published": [date], "url": [url]})


@pytest.mark.parametrize("url", ["https://example.org/news/1?a=1&b=<2>", "http://example.org/x"])
def test_document_list_shows_date_and_link(url):
    docs = pd.DataFrame({"doc_id": ["a"], "label": [HOSTILE]})
    shown = render.document_list(documents_table(url, date=HOSTILE), docs)
    parsed = assert_inert(shown.markup, {"p", "table", "thead", "tbody", "tr", "th", "td", "a"})
    assert ("href", url) in parsed.attributes and "example.org" in parsed.text
    assert "Published" in parsed.text and "Link" in parsed.text and "1,200" in parsed.text
    assert parsed.text.count(HOSTILE) == 3  # label, headline, date


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>x</script>",
                                 "//example.org/a", "example.org", "https://", "http://ex ample.org",
                                 "java\tscript:alert(1)", "vbscript:msgbox(1)", "https:/\nexample.org"])
def test_document_list_never_links_another_scheme(url):
    docs = pd.DataFrame({"doc_id": ["a"], "label": ["A"]})
    parsed = Parsed(render.document_list(documents_table(url), docs).markup)
    assert "a" not in parsed.tags and not [v for k, v in parsed.attributes if k == "href"]
    assert url.strip() in parsed.text  # shown as text, escaped


def test_document_list_without_date_or_url_columns():
    docs = pd.DataFrame({"doc_id": ["a"], "label": ["A"]})
    parsed = Parsed(render.document_list(documents_table("").drop(columns=["published", "url"]), docs).markup)
    assert "Published" not in parsed.text and "Link" not in parsed.text and "A" in parsed.text


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
