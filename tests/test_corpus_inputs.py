"""Hostile or odd corpus inputs (issue 10 items 3, 4, 8, 11, 12): symlinks, dot
files, huge documents, control characters, UTF-16 without a byte-order mark."""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest

from analysis.corpus import boilerplate, cleaning, decoding, inputs, reading
from analysis.report import manifest
from analysis.corpus.reading import CorpusError
from analysis.measures.name_matching import load_aliases

ARTICLE = "A headline about ports\n\nDock workers walked out on Monday, the union said.\n"


@pytest.fixture
def folder(tmp_path):
    """A corpus folder with one article, and a file outside it to link to."""
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (tmp_path / "secret.csv").write_text("doc_id,outlet\na,Leak\n", encoding="utf-8")
    return root


# --- item 3: symbolic links ---------------------------------------------------

def test_symlink_leading_out_of_the_corpus_is_refused(folder):
    (folder / "zz.txt").symlink_to(folder.parent / "secret.txt")
    with pytest.raises(CorpusError, match=r"zz\.txt: a symbolic link to .*secret\.txt, outside the corpus"):
        reading.read_corpus(folder)


@pytest.mark.parametrize("relative", [True, False])
def test_symlinked_sources_csv_leading_out_is_refused(folder, relative):
    target = folder.parent / "secret.csv"
    (folder / "sources.csv").symlink_to(os.path.relpath(target, folder) if relative else target)
    with pytest.raises(CorpusError, match=r"sources\.csv: a symbolic link to .*secret\.csv, outside"):
        reading.read_corpus(folder)


def test_symlinked_aliases_csv_leading_out_is_refused(folder):
    (folder.parent / "aliases.csv").write_text("alias,entity\nX,Y\n", encoding="utf-8")
    (folder / "aliases.csv").symlink_to(folder.parent / "aliases.csv")
    with pytest.raises(CorpusError, match=r"aliases\.csv: a symbolic link to .*, outside the corpus"):
        load_aliases(folder)


@pytest.mark.parametrize("links, name, problem", [
    ({"b.txt": "c.txt", "c.txt": "b.txt"}, "b.txt", "loops"),
    ({"self.txt": "self.txt"}, "self.txt", "loops"),
    ({"gone.txt": "nowhere.txt"}, "gone.txt", "does not exist"),
    ({"aliases.csv": "missing.csv"}, "aliases.csv", "does not exist"),
])
def test_symlink_loops_and_dangling_links_are_reported(folder, links, name, problem):
    for link, target in links.items():
        (folder / link).symlink_to(target)
    with pytest.raises(CorpusError, match=rf"{name}: a symbolic link .*{problem}"):
        reading.read_corpus(folder)


def test_symlink_to_a_file_inside_the_corpus_is_read(folder):
    (folder / "drafts").mkdir()
    (folder / "drafts" / "b.txt").write_text("Another headline here\n\nA second body.\n", encoding="utf-8")
    (folder / "b.txt").symlink_to("drafts/b.txt")
    raw = reading.read_corpus(folder)
    assert raw["doc_id"].tolist() == ["a", "b"]
    assert raw.loc[1, "source_file"] == "b.txt"


def test_corpus_named_through_a_symlinked_folder_is_read(folder, tmp_path):
    (folder / "b.txt").symlink_to("a.txt")
    (tmp_path / "link").symlink_to(folder, target_is_directory=True)
    assert reading.read_corpus(tmp_path / "link")["doc_id"].tolist() == ["a", "b"]
    assert [p.name for p in inputs.corpus_files(tmp_path / "link")] == ["a.txt", "b.txt"]


# --- item 4: dot files ---------------------------------------------------------

DOT_FILES = [".hidden.txt", "..txt", ".txt", ".#a.txt", ".DS_Store", ".notes.csv"]


def test_dot_files_are_never_documents(folder):
    for name in DOT_FILES:
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    assert reading.read_corpus(folder)["doc_id"].tolist() == ["a"]


def test_corpus_files_is_the_one_list_of_inputs(folder):
    (folder / "sources.csv").write_text("doc_id,outlet\na,Wire\n", encoding="utf-8")
    (folder / "aliases.csv").write_text("alias,entity\nX,Y\n", encoding="utf-8")
    (folder / "notes.md").write_text("not an input", encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "c.txt").write_text(ARTICLE, encoding="utf-8")
    for name in DOT_FILES:
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    assert [p.name for p in inputs.corpus_files(folder)] == ["a.txt", "aliases.csv", "sources.csv"]
    single = folder / "sub" / "c.txt"
    assert inputs.corpus_files(single) == [single]


def test_every_file_read_is_fingerprinted(folder):
    # manifest.file_records skips dot files: a file read as a document but not
    # fingerprinted would let verify and batch miss an edit to it.
    for name in DOT_FILES:
        (folder / name).write_text(ARTICLE, encoding="utf-8")
    fingerprinted = {record["path"] for record in manifest.file_records(folder)}
    assert set(reading.read_corpus(folder)["source_file"]) <= fingerprinted
    assert {p.name for p in inputs.corpus_files(folder)} <= fingerprinted


# --- item 8: huge documents ------------------------------------------------------

def test_file_too_big_to_be_a_document_is_refused_before_it_is_read(folder):
    big = folder / "big.txt"
    with open(big, "wb") as handle:  # sparse: 100 MB on paper, nothing on disk or in memory
        handle.truncate(100 * 2**20)
    # Read, the file would be refused as binary (all NUL bytes); the size check comes first.
    with pytest.raises(CorpusError, match=r"big\.txt: 104,857,600 bytes.*limit.*per document"):
        reading.read_corpus(folder)


LIMIT = reading.MAX_DOCUMENT_CHARS


@pytest.mark.parametrize("text", [
    "Headline of a long one\n\n" + "Word after word after word.\n" * (LIMIT // 28 + 1),
    "x" * (LIMIT + 1),  # one line, no newline at all
    "\u00e9" * (LIMIT + 1),  # two bytes a character: under the byte limit, over the character limit
])
def test_document_over_the_character_limit_is_refused_naming_it(folder, text):
    (folder / "long.txt").write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"long\.txt: {len(text):,} characters; the limit is {LIMIT:,}"):
        reading.read_corpus(folder)


def test_limit_leaves_room_for_the_longest_news_articles():
    # The longest BBC article of the benchmark set has 25,485 characters.
    assert LIMIT >= 5 * 25_485
    assert reading.MAX_FILE_BYTES >= 4 * LIMIT  # UTF-8 takes up to 4 bytes a character


def test_csv_and_jsonl_field_over_the_limit_names_file_and_row(folder):
    huge = "y" * (LIMIT + 1)
    (folder / "a.txt").unlink()
    (folder / "t.csv").write_text(f"doc_id,text\nok,Fine text here.\nbig,{huge}\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"t\.csv: row 2 \(doc_id 'big'\): column 'text' has {LIMIT + 1:,} char"):
        reading.read_corpus(folder)
    (folder / "t.csv").unlink()
    (folder / "t.jsonl").write_text(json.dumps({"text": "ok", "title": huge}) + "\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"t\.jsonl: row 1 .*column 'title' has {LIMIT + 1:,} characters"):
        reading.read_corpus(folder)


def test_oversized_sources_csv_field_is_named(folder):
    (folder / "sources.csv").write_text(f"doc_id,outlet\na,{'z' * (LIMIT + 1)}\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=rf"sources\.csv: row 1: column 'outlet' has {LIMIT + 1:,} characters"):
        reading.read_corpus(folder)


def test_oversized_table_file_is_refused_before_it_is_read(folder, monkeypatch):
    monkeypatch.setattr(reading, "MAX_TABLE_BYTES", 100)
    (folder / "t.csv").write_text("doc_id,text\n" + "d,Some text.\n" * 10, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"t\.csv: 142 bytes; the limit is 100 bytes per table file"):
        reading.read_corpus(folder)


def test_body_over_the_limit_is_refused_before_parsing(folder, monkeypatch):
    # Lines become paragraphs joined by a blank line, so a body can be longer
    # than its file: the limit is checked again on the body spaCy will parse.
    text = "\n".join(f"w{i}" for i in range(10, 19))
    monkeypatch.setattr(reading, "MAX_DOCUMENT_CHARS", len(text) + 2)
    (folder / "a.txt").write_text(text, encoding="utf-8")
    raw = reading.read_corpus(folder)
    with pytest.raises(CorpusError, match=r"a\.txt: the body to analyse has 43 characters; the limit is 37"):
        cleaning.clean_corpus(raw)


# --- item 11: control characters ----------------------------------------------------

@pytest.mark.parametrize("control", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
                                     "\u2068", "\u2069", "\u200e", "\u200f", "\u061c", "\x1b", "\x07", "\x9b"])
def test_bidi_and_terminal_controls_are_removed_from_lines(control):
    assert boilerplate.normalize_line(f"John {control}Kirby{control} said") == "John Kirby said"


def test_removed_controls_are_counted_per_document(folder):
    (folder / "a.txt").write_text("Headline about \u202eKirby\u202c\n\nJohn \u202eybriK\u202c said it.\u200f\n",
                                  encoding="utf-8")
    docs = cleaning.load_corpus(folder)
    assert docs.loc[0, "body"] == "John ybriK said it."  # reversed text is what the file holds
    assert docs.loc[0, "controls_removed"] == 5
    table = cleaning.document_table(docs)
    assert table.loc[0, "controls_removed"] == 5


def test_titles_and_outlets_from_tables_lose_controls_too(folder):
    (folder / "a.txt").unlink()
    (folder / "t.csv").write_text("doc_id,title,outlet,text\nd1,\u202eTitle,Wire\u2066,Body text here.\n",
                                  encoding="utf-8")
    docs = cleaning.load_corpus(folder)
    assert (docs.loc[0, "title"], docs.loc[0, "outlet"]) == ("Title", "Wire")
    assert docs.loc[0, "controls_removed"] == 2


def test_printable_escapes_control_and_format_characters():
    assert inputs.printable("a\x1b[31m\u202eb\nc\udcff.txt") == "a\\x1b[31m\\u202eb\\nc\\udcff.txt"
    assert inputs.printable("Café “ok”.txt") == "Café “ok”.txt"


def test_file_names_in_errors_are_printed_escaped(folder):
    (folder / "\x1b[31mred.txt").write_bytes(b"")
    with pytest.raises(CorpusError) as info:
        reading.read_corpus(folder)
    assert "\x1b" not in str(info.value)
    assert "\\x1b[31mred.txt: the file is empty" in str(info.value)


@pytest.mark.parametrize("name", ["\x1b[31mred.txt", "\u202eevil.txt", " .txt"])
def test_doc_ids_that_cannot_be_shown_are_refused(folder, name):
    (folder / name).write_text(ARTICLE, encoding="utf-8")
    with pytest.raises(CorpusError, match="doc_id .* cannot be shown") as info:
        reading.read_corpus(folder)
    assert "\x1b" not in str(info.value) and "\u202e" not in str(info.value)


# --- item 12 (part): UTF-16 without a byte-order mark ---------------------------------

@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(encoding):
    data = "Café owners say “no” to a 2,000-word rule.\r\nSecond line.\r\n".encode(encoding)
    text, found = decoding.decode_text(data, "a.txt")
    assert found == encoding
    assert text == "Café owners say “no” to a 2,000-word rule.\nSecond line.\n"


def _zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "x" * 100)
    return buffer.getvalue()


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00",
    _zip_bytes(),
    bytes([1, 0]) * 200,  # 16-bit integers: NUL in every other byte, but not text
])
def test_binaries_are_still_refused(data):
    with pytest.raises(CorpusError, match="binary"):
        decoding.decode_text(data, "a.txt")


# --- what the user sees ------------------------------------------------------------------

def test_command_line_refuses_a_link_out_of_the_corpus_in_one_line(folder, tmp_path, capsys):
    from analysis.cli import main

    (folder / "zz.txt").symlink_to(folder.parent / "secret.txt")
    assert main(["analyze", str(folder), "--out", str(tmp_path / "out")]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "zz.txt: a symbolic link to" in captured.err
    assert "root:x" not in captured.out + captured.err
    assert not (tmp_path / "out").exists()
