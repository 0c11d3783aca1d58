"""CSV tables are safe to open in a spreadsheet, and read back exactly (issue 10, item 10).

Article text reaches the tables (outlets, titles, names, quotations). A cell
starting with a formula character is run by a spreadsheet; the kit writes it
with a leading quote (OWASP's CSV-injection guidance) and ``read_table``
returns the original text.
"""

from __future__ import annotations

import csv
import itertools
import math

import pandas as pd
import pytest

from analysis import cli
from analysis.tables import (FORMULA_TRIGGERS, TEXT_MARK, neutralise_cell, read_table, restore_cell,
                             write_table)

#: Outlet names that a spreadsheet would run as formulas (issue 10, item 10).
FORMULA_OUTLETS = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)"]

NASTY = FORMULA_OUTLETS + [
    "=1+1", "-1+1", "-", "+", "@", "=", "\tindented", "\rcarriage", "\0nul", "\uff1dSUM(1)", "\uff0b1",
    "\uff0d1", "\uff20SUM(1)", "'", "''", "'=1+1", "''=1+1", "'''-x", "'abc", "it's", "a=b", " =1+1",
    "", "plain text", "-3", "+44 20 7946 0000", "@handle", "\"=quoted\"", "line\nbreak",
    "=1,2", "'\t", "\u202e=evil",
]


def cells(path):
    """Every cell of a CSV file as the raw string a spreadsheet would get, header included."""
    with open(path, newline="", encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def assert_spreadsheet_safe(path):
    """No cell starts with a formula character, unless it is a plain number (a spreadsheet's -3)."""
    unsafe = [cell for cell in cells(path) if cell.startswith(FORMULA_TRIGGERS) and not is_number(cell)]
    assert not unsafe, f"{path.name}: cells a spreadsheet runs as formulas: {unsafe[:5]}"


@pytest.mark.parametrize("text", NASTY)
def test_neutralise_then_restore_gives_the_text_back(text):
    written = neutralise_cell(text)
    assert restore_cell(written) == text
    assert not written.startswith(FORMULA_TRIGGERS)


def test_round_trip_over_every_short_string_of_the_tricky_characters():
    # exhaustive over a small alphabet: quotes, triggers, ordinary characters
    alphabet = [TEXT_MARK, "=", "-", "@", "\t", "\uff1d", "a", " "]
    for length in range(5):
        for letters in itertools.product(alphabet, repeat=length):
            text = "".join(letters)
            written = neutralise_cell(text)
            assert restore_cell(written) == text, repr(text)
            assert not written.startswith(FORMULA_TRIGGERS), repr(text)
            # only the cells that need it change, by one quote
            assert written == text or written == TEXT_MARK + text


def test_non_text_values_are_left_alone():
    for value in (-3, -3.5, math.nan, None, True):
        assert neutralise_cell(value) is value
        assert restore_cell(value) is value


def test_write_table_neutralises_text_columns_and_leaves_numbers(tmp_path):
    table = pd.DataFrame({"outlet": NASTY, "count": range(-3, len(NASTY) - 3),
                          "score": [-1.5] * len(NASTY)})
    path = write_table(table, tmp_path / "t.csv")
    assert_spreadsheet_safe(path)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert raw["count"].iloc[0] == "-3" and raw["score"].iloc[0] == "-1.5"
    assert raw["outlet"].iloc[0] == TEXT_MARK + FORMULA_OUTLETS[0]
    back = read_table(path)
    assert back["outlet"].tolist() == NASTY
    inferred = read_table(path, dtype=None)
    assert inferred["count"].tolist() == list(range(-3, len(NASTY) - 3))
    assert inferred["outlet"].tolist() == NASTY


def test_string_dtype_and_column_names_are_neutralised(tmp_path):
    table = pd.DataFrame({"=name": pd.array(["=1", None, "ok"], dtype="string")})
    path = write_table(table, tmp_path / "t.csv")
    assert_spreadsheet_safe(path)
    back = read_table(path)
    assert list(back.columns) == ["=name"]
    assert back["=name"].tolist() == ["=1", "", "ok"]


def test_write_table_is_byte_identical_for_identical_data(tmp_path):
    table = pd.DataFrame({"outlet": NASTY})
    first = write_table(table, tmp_path / "a.csv").read_bytes()
    assert write_table(table, tmp_path / "b.csv").read_bytes() == first


@pytest.fixture
def formula_corpus(tmp_path):
    """Three short articles whose outlets are spreadsheet formulas."""
    folder = tmp_path / "formulas"
    folder.mkdir()
    bodies = [
        "Dock workers at the port of Ravena walked out on Monday, halting grain exports for the third time "
        "this year. The union said 4,000 members joined the strike, union leader Maria Costa said.",
        "Dock workers at the port of Ravena walked out on Monday, halting grain exports for the third time "
        "this year. Officials said about 3,500 workers took part, and Maria Costa said \u201cwe will not "
        "load a single ship\u201d.",
        "The strike in Ravena entered its second day on Tuesday. Maria Costa told reporters the union "
        "\u201cwill not load a single ship until wages rise\u201d, and prices fell -3% in early trade.",
    ]
    with open(folder / "sources.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["doc_id", "outlet"])
        for i, (body, outlet) in enumerate(zip(bodies, FORMULA_OUTLETS)):
            (folder / f"d{i}.txt").write_text(f"Ravena dock strike\n\n{body}\n", encoding="utf-8")
            writer.writerow([f"d{i}", outlet])
    return folder


def test_analysis_of_a_corpus_with_formula_outlets_writes_safe_tables(formula_corpus, tmp_path):
    out = tmp_path / "out"
    assert cli.main(["analyze", str(formula_corpus), "--out", str(out)]) == 0
    written = sorted((out / "tables").glob("*.csv"))
    assert len(written) > 10
    outlets_seen = 0
    for path in written:
        assert_spreadsheet_safe(path)
        table = read_table(path)
        for column in ("outlet", "label"):
            if column in table.columns:
                outlets_seen += table[column].isin(FORMULA_OUTLETS).sum()
    assert outlets_seen >= 6
    documents = read_table(out / "tables" / "documents.csv")
    assert documents["outlet"].tolist() == FORMULA_OUTLETS


def test_figure_index_is_safe_and_read_back_exactly(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.report.publish import FIGURE_INDEX, Publisher
    from analysis.report.run import figure_records

    publisher = Publisher(str(tmp_path), "c", "f" * 64)
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    publisher.figure(fig, "fig-01-x", caption=FORMULA_OUTLETS[0], alt=FORMULA_OUTLETS[1])
    publisher.wait_for_figures()
    plt.close(fig)
    assert_spreadsheet_safe(tmp_path / "figures" / FIGURE_INDEX)
    (record,) = figure_records(tmp_path)
    assert (record["caption"], record["alt"]) == (FORMULA_OUTLETS[0], FORMULA_OUTLETS[1])


def test_batch_summary_is_safe(tmp_path):
    from analysis.report.batch import BATCH_TABLE, write_summary

    results = {name: (name, "failed", 1.5, "", f"-p {name}") for name in FORMULA_OUTLETS}
    write_summary(results, tmp_path)
    assert_spreadsheet_safe(tmp_path / BATCH_TABLE)
    assert sorted(read_table(tmp_path / BATCH_TABLE)["corpus"]) == sorted(FORMULA_OUTLETS)


def test_write_table_leaves_the_table_it_writes_unchanged(tmp_path):
    # A str column read back from a pickle (as a Dask worker's tables arrive) shared its memory with
    # to_numpy(copy=True): marking the written cells once marked the caller's table, which the report shows.
    import pickle

    table = pickle.loads(pickle.dumps(pd.DataFrame({"entity": ["- Mike Leigh", "=1", "ok"], "n": [1, 2, 3]})))
    before = table.copy(deep=True)
    write_table(table, tmp_path / "t.csv")
    pd.testing.assert_frame_equal(table, before)
    assert read_table(tmp_path / "t.csv")["entity"].tolist() == ["- Mike Leigh", "=1", "ok"]
