"""Figure files: the background writer saves what save_figure saves, and says when it cannot."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.figures import new_figure
from analysis.figures.save import FORMATS, BackgroundFigureWriter, FigureSaveError, save_figure
from analysis.report.publish import FIGURE_INDEX, Publisher
from analysis.report.run import ReportError, figure_records

ROOT = Path(__file__).resolve().parents[1]


def _figure(label: str):
    fig = new_figure()
    ax = fig.subplots()
    ax.bar(["Outlet A", "Outlet B"], [3, 5], label=label)
    ax.set_title(label)
    ax.legend()
    return fig


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_background_writer_writes_the_bytes_save_figure_writes(tmp_path):
    save_figure(_figure("grades"), tmp_path / "direct", "fig-01-test", "A caption.", "Alt text.")
    writer = BackgroundFigureWriter()
    record = writer.submit(_figure("grades"), tmp_path / "background", "fig-01-test", "A caption.", "Alt text.")
    writer.wait()
    assert record.files == tuple(f"fig-01-test.{fmt}" for fmt in FORMATS)
    assert _files(tmp_path / "background") == _files(tmp_path / "direct")


def test_a_figure_saved_twice_under_one_id_keeps_the_later_version(tmp_path):
    writer = BackgroundFigureWriter()
    writer.submit(_figure("first"), tmp_path / "out", "fig-01-test", "c", "a")
    writer.submit(_figure("second"), tmp_path / "out", "fig-01-test", "c", "a")
    writer.wait()
    save_figure(_figure("second"), tmp_path / "expected", "fig-01-test", "c", "a")
    assert _files(tmp_path / "out") == _files(tmp_path / "expected")


def test_bad_ids_fail_in_the_callers_cell_not_later():
    writer = BackgroundFigureWriter()
    with pytest.raises(ValueError, match="must look like"):
        writer.submit(_figure("x"), "unused", "Figure 1", "c", "a")
    with pytest.raises(ValueError, match="caption and alt"):
        writer.submit(_figure("x"), "unused", "fig-01-test", " ", "a")
    writer.wait()  # nothing was queued


def test_a_figure_the_worker_cannot_write_is_named(tmp_path):
    blocker = tmp_path / "figures"
    blocker.write_text("a file where the folder should be")
    writer = BackgroundFigureWriter()
    writer.submit(_figure("x"), blocker, "fig-02-blocked", "c", "a")
    with pytest.raises(FigureSaveError, match="fig-02-blocked"):
        writer.wait()


def test_publisher_indexes_figures_at_once_and_files_after_waiting(tmp_path):
    report = Publisher(str(tmp_path), "corpus", "0" * 64)
    block = report.figure(_figure("<script>alert(1)</script>"), "fig-01-test", "Caption <b>", "Alt & text")
    index = pd.read_csv(tmp_path / "figures" / FIGURE_INDEX, dtype=str)
    assert index.to_dict("records") == [{"fig_id": "fig-01-test", "caption": "Caption <b>", "alt": "Alt & text",
                                         "files": "fig-01-test.png fig-01-test.svg fig-01-test.pdf"}]
    assert "data:image/png;base64," in block._repr_html_()
    assert "Caption &lt;b&gt;" in block._repr_html_() and "Alt &amp; text" in block._repr_html_()
    report.wait_for_figures()
    assert sorted(p.name for p in (tmp_path / "figures").iterdir()) == sorted(
        [FIGURE_INDEX] + [f"fig-01-test.{fmt}" for fmt in FORMATS])


def test_report_refuses_an_index_whose_files_were_not_written(tmp_path):
    figures = tmp_path / "figures"
    figures.mkdir()
    pd.DataFrame([{"fig_id": "fig-01-test", "caption": "c", "alt": "a",
                   "files": "fig-01-test.png fig-01-test.svg"}]).to_csv(figures / FIGURE_INDEX, index=False)
    (figures / "fig-01-test.png").write_bytes(b"png")
    with pytest.raises(ReportError, match=r"fig-01-test\.svg.*wait_for_figures"):
        figure_records(tmp_path)


def test_a_worker_that_stopped_is_reported_with_the_figure(tmp_path):
    writer = BackgroundFigureWriter()
    writer.submit(_figure("x"), tmp_path, "fig-01-first", "c", "a")
    writer._worker.kill()  # as if the process had crashed
    writer._worker.wait()
    writer.submit(_figure("y"), tmp_path, "fig-02-second", "c", "a")
    with pytest.raises(FigureSaveError, match=r"fig-0[12]-\w+ was not saved: the figure writer process stopped"):
        writer.wait()


def test_the_writer_works_from_a_script_without_a_main_guard(tmp_path):
    script = tmp_path / "script.py"
    script.write_text(
        "import sys\n"
        "from analysis.figures import new_figure\n"
        "from analysis.figures.save import BackgroundFigureWriter\n"
        "fig = new_figure(); fig.subplots().plot([1, 2], [2, 1])\n"
        "writer = BackgroundFigureWriter()\n"
        "writer.submit(fig, sys.argv[1], 'fig-01-test', 'caption', 'alt')\n"
        "writer.wait()\n")
    subprocess.run([sys.executable, str(script), str(tmp_path / "out")], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [f"fig-01-test.{fmt}" for fmt in ("pdf", "png", "svg")]


def test_a_figure_that_cannot_be_pickled_is_saved_in_process_after_the_queue(tmp_path):
    unpicklable = _figure("second")
    unpicklable.axes[0].yaxis.set_major_formatter(lambda value, _: f"{value:.0f} words")
    writer = BackgroundFigureWriter()
    writer.submit(_figure("first"), tmp_path / "out", "fig-01-test", "c", "a")
    record = writer.submit(unpicklable, tmp_path / "out", "fig-01-test", "c", "a")
    writer.wait()
    assert record.files == tuple(f"fig-01-test.{fmt}" for fmt in FORMATS)
    expected = _figure("second")
    expected.axes[0].yaxis.set_major_formatter(lambda value, _: f"{value:.0f} words")
    save_figure(expected, tmp_path / "expected", "fig-01-test", "c", "a")
    assert _files(tmp_path / "out") == _files(tmp_path / "expected")


def test_article_text_in_labels_prints_as_written_and_missing_glyphs_stay_quiet(tmp_path):
    import warnings

    fig = new_figure()
    ax = fig.subplots()
    ax.bar(["📰 Daily $5", "costs $5 or $10"], [1, 2])
    ax.set_title("an invalid formula if parsed: $\\frac{$")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing-glyph warning would fail the test
        report = Publisher(str(tmp_path), "corpus", "0" * 64)
        report.figure(fig, "fig-01-test", "c", "a")
        report.wait_for_figures()
    assert (tmp_path / "figures" / "fig-01-test.svg").read_text(encoding="utf-8").count("costs $5 or $10") == 1


def test_importing_the_figures_leaves_matplotlib_settings_alone():
    # The kit set text.parse_math and svg.hashsalt in matplotlib.rcParams at import,
    # changing every other figure of the notebook or script that imported it.
    script = ("import matplotlib\n"
              "before = dict(matplotlib.rcParams)\n"
              "import analysis.figures.entities, analysis.figures.overlap, analysis.figures.quotes\n"
              "import analysis.figures.numbers, analysis.figures.readability, analysis.figures.save\n"
              "changed = sorted(k for k, v in matplotlib.rcParams.items() if before[k] != v)\n"
              "assert not changed, changed\n")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True)


def test_plot_functions_draw_article_text_as_written():
    from analysis.figures.readability import GRADE_FORMULA_STYLE, plot_readability_grades
    from matplotlib.text import Text

    table = pd.DataFrame({"doc_id": ["a", "b"], "label": ["Costs $5 or $10", "Daily $"]})
    for column in ("text_standard_grade", *GRADE_FORMULA_STYLE):
        table[column] = [8.0, 9.0]
    fig = plot_readability_grades(table)
    texts = [t for t in fig.findobj(Text) if "$" in t.get_text()]
    assert texts and not any(t.get_parse_math() for t in texts)
