"""Corpus loading and cleaning: encodings, bad input, titles, boilerplate, repeats."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.corpus import boilerplate, cleaning, decoding, reading
from analysis.corpus.reading import CorpusError

ARTICLE = """Ministers agree new fishing quotas after all-night talks

Ministers from eight countries agreed new fishing quotas on Tuesday after talks that ran through the night.

Share this article on Facebook

The deal cuts cod catches by 12% next year, officials said.

(Photo: Jane Doe/Reuters)

Why the talks nearly failed

Negotiators disagreed until dawn over how to count catches landed abroad.

Negotiators disagreed until dawn over how to count catches landed abroad.

Read more: Fishing fleets brace for a lean winter

Related stories

Comments are closed.
"""


def write(folder, name, content, encoding="utf-8"):
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding=encoding)
    return path


def roles(text):
    lines = boilerplate.classify_lines(text)
    return {row.text: (row.role, row.rule) for row in lines.itertuples() if row.text}


# --- reading and decoding ---------------------------------------------------

@pytest.mark.parametrize("encoding, data", [
    ("utf-8", "Café owners say “no”.\n".encode("utf-8")),
    ("utf-8-sig", b"\xef\xbb\xbf" + "Café owners say “no”.\n".encode("utf-8")),
    ("cp1252", "Café owners say “no”.\n".encode("cp1252")),
    ("latin-1", b"Caf\xe9 owners say \x81no.\n"),
    ("utf-16", "Café owners say “no”.\n".encode("utf-16")),
])
def test_decodes_common_encodings(encoding, data):
    text, found = decoding.decode_text(data, "a.txt")
    assert found == encoding
    assert text.startswith("Caf\u00e9 owners say")
    assert "\ufeff" not in text


def test_crlf_line_ends_are_normalised():
    text, _ = decoding.decode_text(b"Line one.\r\nLine two.\rLine three.\r\n", "a.txt")
    assert text == "Line one.\nLine two.\nLine three.\n"


@pytest.mark.parametrize("data, problem", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (bytes(range(1, 32)) * 20, "binary"),
])
def test_empty_and_binary_files_are_named_in_the_error(tmp_path, data, problem):
    write(tmp_path, "good.txt", "A headline here\n\nSome body text follows here.")
    write(tmp_path, "bad.txt", data)
    with pytest.raises(CorpusError, match=rf"bad\.txt.*{problem}"):
        reading.read_corpus(tmp_path)


def test_missing_folder_and_folder_without_documents(tmp_path):
    with pytest.raises(CorpusError, match="no such corpus"):
        reading.read_corpus(tmp_path / "nope")
    write(tmp_path, "notes.md", "not an article")
    with pytest.raises(CorpusError, match="no documents found"):
        reading.read_corpus(tmp_path)


def test_sources_csv_is_joined_and_extra_columns_carried(tmp_path):
    write(tmp_path, "b.txt", "Headline two\n\nBody two is here.")
    write(tmp_path, "a.txt", "Headline one\n\nBody one is here.")
    write(tmp_path, "sources.csv", "doc_id,outlet,published\na,Daily Planet,2022-12-23\nb,,2022-12-24\n")
    docs = cleaning.load_corpus(tmp_path)
    assert docs["doc_id"].tolist() == ["a", "b"]
    assert docs["outlet"].tolist() == ["Daily Planet", ""]
    assert docs["label"].tolist() == ["Daily Planet", "Headline two"]  # a headline, not the doc_id (issue 14)
    assert docs["published"].tolist() == ["2022-12-23", "2022-12-24"]


@pytest.mark.parametrize("sources, problem", [
    ("outlet\nDaily Planet\n", "needs a 'doc_id' column"),
    ("doc_id,outlet\na,X\nghost,Y\n", "not in the corpus: ghost"),
    ("doc_id,outlet\na,X\na,Y\n", "more than once: a"),
])
def test_bad_sources_csv_is_named(tmp_path, sources, problem):
    write(tmp_path, "a.txt", "Headline one\n\nBody one is here.")
    write(tmp_path, "sources.csv", sources)
    with pytest.raises(CorpusError, match=rf"sources\.csv.*{problem}"):
        reading.read_corpus(tmp_path)


def test_outlet_shared_by_two_documents_gets_distinct_labels(tmp_path):
    write(tmp_path, "a.txt", "Headline one\n\nBody one is here.")
    write(tmp_path, "b.txt", "Headline two\n\nBody two is here.")
    write(tmp_path, "sources.csv", "doc_id,outlet\na,Wire\nb,Wire\n")
    assert cleaning.load_corpus(tmp_path)["label"].tolist() == ["Wire: Headline one", "Wire: Headline two"]


def test_outlet_equal_to_another_documents_doc_id_keeps_labels_unique():
    docs = pd.DataFrame({"doc_id": ["Wire", "b"], "outlet": ["", "Wire"]})
    assert cleaning.display_labels(docs) == ["Wire", "Wire (b)"]


@pytest.mark.parametrize("name, content", [
    ("sources.csv", "doc_id,outlet,label\na,X,Mine\n"),
    ("sources.csv", "doc_id,outlet,n_words\na,X,12\n"),
    ("batch.csv", "doc_id,text,body\nz,Some text here.,Other text\n"),
])
def test_input_columns_that_would_overwrite_computed_ones_are_refused(tmp_path, name, content):
    # a 'body' or 'label' column from the input used to replace the cleaned body or
    # crash clean_corpus; it is now named in a clear error
    write(tmp_path, "a.txt", "Headline one\n\nBody one is here.")
    write(tmp_path, name, content)
    with pytest.raises(CorpusError, match=r"reserved by the kit"):
        reading.read_corpus(tmp_path)


def test_empty_csv_and_non_object_jsonl_line_are_named(tmp_path):
    write(tmp_path, "a.txt", "Headline one\n\nBody one is here.")
    write(tmp_path, "empty.csv", "")
    with pytest.raises(CorpusError, match=r"empty\.csv: cannot be read as CSV"):
        reading.read_corpus(tmp_path)
    (tmp_path / "empty.csv").unlink()
    write(tmp_path, "b.jsonl", '{"text": "ok"}\n["not", "an", "object"]\n')
    with pytest.raises(CorpusError, match=r"b\.jsonl: line 2 is not a JSON object"):
        reading.read_corpus(tmp_path)


def test_csv_and_jsonl_inputs(tmp_path):
    pd.DataFrame({"doc_id": ["x1"], "outlet": ["Gazette"], "title": ["Given title"],
                  "text": ["First paragraph here.\n\nSecond paragraph here."]}).to_csv(tmp_path / "batch.csv", index=False)
    with open(tmp_path / "more.jsonl", "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"content": "A headline from JSON\n\nThe body from JSON."}) + "\n")
    docs = cleaning.load_corpus(tmp_path).set_index("doc_id")
    assert docs.loc["x1", "title"] == "Given title"
    assert docs.loc["x1", "body"] == "First paragraph here.\n\nSecond paragraph here."
    assert docs.loc["x1", "outlet"] == "Gazette"
    assert docs.loc["more-0001", "title"] == "A headline from JSON"


def test_csv_without_text_column_or_with_empty_text(tmp_path):
    pd.DataFrame({"headline": ["x"]}).to_csv(tmp_path / "a.csv", index=False)
    with pytest.raises(CorpusError, match=r"a\.csv: no text column"):
        reading.read_corpus(tmp_path)
    pd.DataFrame({"doc_id": ["d1", "d2"], "text": ["fine text", " "]}).to_csv(tmp_path / "a.csv", index=False)
    with pytest.raises(CorpusError, match=r"a\.csv: row 2 .* empty"):
        reading.read_corpus(tmp_path)


def test_invalid_jsonl_line_is_named(tmp_path):
    write(tmp_path, "a.jsonl", '{"text": "ok"}\n{"text": broken\n')
    with pytest.raises(CorpusError, match=r"a\.jsonl: line 2 is not valid JSON"):
        reading.read_corpus(tmp_path)


def test_one_document_corpus_loads(tmp_path):
    write(tmp_path, "only.txt", ARTICLE)
    docs = cleaning.load_corpus(tmp_path)
    assert len(docs) == 1


# --- titles, boilerplate, repeats --------------------------------------------

def test_boilerplate_rules_and_repeated_paragraphs():
    found = roles(ARTICLE)
    assert found["Ministers agree new fishing quotas after all-night talks"] == ("title", "headline")
    assert found["Share this article on Facebook"][1] == "social_prompt"
    assert found["(Photo: Jane Doe/Reuters)"][1] == "image_credit"
    assert found["Read more: Fishing fleets brace for a lean winter"][1] == "read_also"
    assert found["Related stories"][1] == "related"
    assert found["Comments are closed."][1] == "comment_footer"
    assert found["Why the talks nearly failed"] == ("heading", "heading")
    lines = boilerplate.classify_lines(ARTICLE)
    repeated = lines[lines["role"] == "duplicate"]
    assert repeated["text"].tolist() == ["Negotiators disagreed until dawn over how to count catches landed abroad."]


def test_clean_body_keeps_prose_and_headings_only(tmp_path):
    write(tmp_path, "a.txt", ARTICLE)
    doc = cleaning.load_corpus(tmp_path).iloc[0]
    assert doc["body"].split("\n\n") == [
        "Ministers from eight countries agreed new fishing quotas on Tuesday after talks that ran through the night.",
        "The deal cuts cod catches by 12% next year, officials said.",
        "Why the talks nearly failed",
        "Negotiators disagreed until dawn over how to count catches landed abroad.",
    ]
    assert doc["boilerplate_lines"] == 5
    assert doc["duplicate_paragraphs"] == 1


def test_first_line_that_is_prose_is_not_a_title():
    text = ("Listen to this article\n"
            "The council voted on Monday to close the bridge for repairs, a decision residents had opposed for months.\n"
            "Work starts in March.")
    lines = boilerplate.classify_lines(text)
    assert "title" not in set(lines["role"])
    assert lines.loc[0, "rule"] == "audio_notice"
    assert lines.loc[1, "role"] == "body"


def test_author_bio_and_alt_text_caption():
    text = ("Storm closes ports\n\nThe storm closed three ports on Friday.\n\n"
            "Fishermen wait at the harbour in Hull\n"
            "Fishermen wait at the harbour in Hull on Friday as the storm passes [John Smith/AP Photo]\n\n"
            "About the author\nJane Roe covers shipping for the paper from Leeds ... Read more")
    found = roles(text)
    assert found["Fishermen wait at the harbour in Hull"] == ("boilerplate", "caption_alt_text")
    assert found["Jane Roe covers shipping for the paper from Leeds ... Read more"] == ("boilerplate", "author_bio")
    assert found["The storm closed three ports on Friday."] == ("body", "")


def test_prose_that_only_starts_like_boilerplate_stays_flagged():
    text = ("Budget row deepens\n\nRelated: the finance minister said on Monday that the budget would be "
            "revised after months of talks with unions, employers and the central bank, and that any "
            "new taxes would wait until the next parliament had been elected.")
    lines = boilerplate.classify_lines(text)
    prose = lines[lines["text"].str.startswith("Related:")].iloc[0]
    assert prose["role"] == "body"
    assert prose["flag"] == "uncertain:related"


def test_article_text_is_never_a_path_or_markup_source(tmp_path):
    # HTML in an article is text: it is kept verbatim in the body (escaping is the
    # presentation layer's job, tested in test_report) and doc_id comes from the file name.
    write(tmp_path, "a.txt", "Headline here\n\n<script>alert('x')</script> said the ../../etc/passwd minister.")
    doc = cleaning.load_corpus(tmp_path).iloc[0]
    assert doc["doc_id"] == "a"
    assert "<script>" in doc["body"]


def test_paragraph_table_offsets_index_the_body(tmp_path):
    write(tmp_path, "a.txt", ARTICLE)
    docs = cleaning.load_corpus(tmp_path)
    paragraphs = cleaning.paragraph_table(docs)
    body = docs.iloc[0]["body"]
    for row in paragraphs.itertuples():
        assert body[row.start:row.end] == row.text
    assert paragraphs["kind"].tolist() == ["paragraph", "paragraph", "heading", "paragraph"]


def test_non_breaking_and_zero_width_spaces_are_normalised():
    assert boilerplate.normalize_line("in\u00a0November\u200b 2022 ") == "in November 2022"


def test_boilerplate_table_lists_every_removed_line(tmp_path):
    write(tmp_path, "a.txt", ARTICLE)
    raw = reading.read_corpus(tmp_path)
    table = cleaning.boilerplate_table(boilerplate.line_table(raw))
    assert list(table.columns) == ["doc_id", "line", "text", "rule"]
    assert set(table["rule"]) == {"headline", "social_prompt", "image_credit", "read_also", "related",
                                  "comment_footer", "repeated_paragraph"}


@pytest.mark.parametrize("title, outlet, expected", [
    ("Port strike halts exports | World News", "", "Port strike halts exports"),
    ("Port strike halts exports - The Daily", "The Daily", "Port strike halts exports"),
    ("Port strike halts exports \u2013 example.co.uk", "", "Port strike halts exports"),
    ("Russia-Ukraine war: what we know - day 300", "", "Russia-Ukraine war: what we know - day 300"),
    ("Strike ends | but talks go on and on without any end in sight", "", "Strike ends | but talks go on and on without any end in sight"),
])
def test_site_furniture_is_stripped_from_titles(title, outlet, expected):
    assert boilerplate.strip_site_suffix(title, outlet) == expected


def test_title_in_the_corpus_table_has_no_site_suffix(tmp_path):
    write(tmp_path, "a.txt", "Port strike halts exports | World News\n\nDock workers walked out on Monday.")
    assert cleaning.load_corpus(tmp_path).iloc[0]["title"] == "Port strike halts exports"


def test_documents_without_an_outlet_are_labelled_by_a_few_words_of_their_headline():
    docs = pd.DataFrame({"doc_id": ["000_ec12", "001_90", "002_63", "003_45", "004_5c", "005_aa", "006_bb"],
                         "outlet": ["", "Wire", "", "", "Post", "Post", ""],
                         "title": ["N. Korea disputes that it provided weapons", "Wire headline",
                                   "Harbour bridge to close for repairs in May",
                                   "Harbour bridge to close for traffic checks", "Same words here",
                                   "Same words here", ""]})
    assert cleaning.display_labels(docs) == [
        "N. Korea disputes that…", "Wire",
        # four words read the same: more are taken until they differ
        "Harbour bridge to close for repairs…", "Harbour bridge to close for traffic…",
        # a shared outlet with its headline; the same headline twice: the doc_id tells them apart
        "Post: Same words here (004_5c)", "Post: Same words here (005_aa)",
        "006_bb"]  # no headline: the doc_id


def test_a_published_time_that_is_not_iso_8601_stops_the_run_in_one_line(tmp_path, capsys):
    from analysis.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write(corpus, "a.txt", "Headline one\n\nBody one is here.")
    write(corpus, "b.txt", "Headline two\n\nBody two is here.")
    write(corpus, "sources.csv", "doc_id,outlet,published\na,Wire,2024-05-01T14:30:00Z\nb,Post,03/05/2024\n")
    with pytest.raises(CorpusError, match=r"published of b: '03/05/2024' is not an ISO 8601 date or date-time"):
        cleaning.load_corpus(corpus)
    assert main(["analyze", str(corpus), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "published of b" in err
