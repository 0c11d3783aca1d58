"""Parameters are checked up front and refused in one line under their public names (issue 10, item 9)."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

from analysis import cli, resources
from analysis.report import parameters
from analysis.errors import ParameterError
from analysis.report.parameters import PARAMETERS, check_parameters, parse_parameters
from conftest import ROOT, make_docs

#: (parameter, value as typed) pairs the issue reproduced, plus one wrong value of every other kind.
REFUSED = [
    ("top_entities", "0"),
    ("top_entities", "-5"),
    ("top_entities", "101"),
    ("min_passage_words", "0"),
    ("min_passage_words", "2"),
    ("seed", "-1"),
    ("seed", str(2**77)),
    ("seed", "2**77"),
    ("seed", str(2**32)),
    ("spacy_model", "this.x"),
    ("spacy_model", "xx_no_such_pipeline"),
    ("embedding_backend", "torch"),
    ("capitals_as_governments", "maybe"),
]
#: Names the analysis functions use inside; a user never sees them.
INTERNAL_NAMES = ("top_n", "min_words", "num_perm", "backend=")


def _refused(result: int, stderr: str, command: str, name: str, value: str) -> None:
    lines = stderr.strip().splitlines()
    assert result == 2, stderr
    assert len(lines) == 1, stderr
    line = lines[0]
    assert line.startswith(f"parallax {command}: error: parameter {name}: ")
    assert "allowed: " in line
    assert value in line or "bit integer" in line
    assert not any(internal in line for internal in INTERNAL_NAMES), line


@pytest.mark.parametrize(("name", "value"), REFUSED, ids=lambda v: str(v)[:20])
def test_report_refuses_a_bad_value_before_running_anything(name, value, mini_corpus, tmp_path, monkeypatch, capsys):
    from analysis.report import run as report

    def must_not_run(*args, **kwargs):
        raise AssertionError("run_report was reached with a bad parameter")

    monkeypatch.setattr(report, "run_report", must_not_run)
    out = tmp_path / "out"
    result = cli.main(["report", str(mini_corpus), "--out", str(out), "-p", name, value])
    _refused(result, capsys.readouterr().err, "report", name, value)
    assert not out.exists()


@pytest.mark.parametrize(("name", "value"), [("top_entities", "0"), ("min_passage_words", "0"), ("seed", "-1")])
def test_analyze_and_batch_refuse_the_same_values(name, value, mini_corpus, tmp_path, capsys):
    # analyze reads the corpus and runs every section: without the check, min_passage_words 0
    # failed inside shared_passages as "min_words", and top_entities 0 passed unnoticed
    result = cli.main(["analyze", str(mini_corpus), "--out", str(tmp_path / "tables"), "-p", name, value])
    _refused(result, capsys.readouterr().err, "analyze", name, value)
    result = cli.main(["batch", str(tmp_path), "--out", str(tmp_path / "reports"), "-p", name, value])
    _refused(result, capsys.readouterr().err, "batch", name, value)
    assert not (tmp_path / "tables").exists() and not (tmp_path / "reports").exists()


def test_a_module_named_as_spacy_model_is_never_imported(mini_corpus, tmp_path, capsys):
    sys.modules.pop("this", None)  # `import this` prints the Zen of Python: any import shows
    with pytest.raises(resources.ResourceError, match="not installed"):
        resources.resolve_spacy_model("this.x")
    with pytest.raises(ParameterError, match=r"^parameter spacy_model: 'this\.x' is not an installed spaCy pipeline"):
        check_parameters({"spacy_model": "this.x"})
    assert cli.main(["analyze", str(mini_corpus), "--out", str(tmp_path), "-p", "spacy_model", "this.x"]) == 2
    assert "this" not in sys.modules
    assert "Beautiful is better than ugly" not in capsys.readouterr().out


def test_the_command_line_says_it_in_one_line_without_a_traceback(mini_corpus, tmp_path):
    run = subprocess.run([sys.executable, "-m", "analysis.cli", "report", str(mini_corpus), "--out",
                          str(tmp_path / "out"), "-p", "seed", str(2**77)],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.stderr == ("parallax report: error: parameter seed: 151115727451828646838272 is out of range; "
                          "allowed: an integer from 0 to 4294967295\n")
    assert run.returncode == 2 and run.stdout == ""


def test_values_inside_the_ranges_pass_with_their_types():
    given = {"top_entities": "1", "min_passage_words": "3", "seed": "0", "capitals_as_governments": "false",
             "embedding_backend": "numpy", "spacy_model": "auto"}
    assert parse_parameters(given) == {"top_entities": 1, "min_passage_words": 3, "seed": 0,
                                       "capitals_as_governments": False, "embedding_backend": "numpy",
                                       "spacy_model": "auto"}
    assert parse_parameters({"top_entities": "100", "seed": str(2**32 - 1), "min_passage_words": "500",
                             "capitals_as_governments": "True"}) == {
        "top_entities": 100, "seed": 2**32 - 1, "min_passage_words": 500, "capitals_as_governments": True}
    installed = resources.installed_spacy_pipelines()
    assert installed, "the kit's spaCy pipeline is installed"
    assert parse_parameters({"spacy_model": installed[0]}) == {"spacy_model": installed[0]}
    assert check_parameters({}) == parameters.DEFAULTS
    assert check_parameters({"top_entities": 5})["top_entities"] == 5


def test_python_values_are_checked_as_strictly(mini_corpus):
    # what papermill and the notebook pass: "false" (papermill -p keeps it as text) is not False
    from analysis.report import pipeline

    for params, problem in (({"top_entities": 0}, "is out of range"), ({"top_entities": True}, "is not an integer"),
                            ({"top_entities": "20"}, "is text, not an integer"),
                            ({"capitals_as_governments": "false"}, "is text, not True or False"),
                            ({"seed": 1.0}, "is not an integer"), ({"seed": 10**5000}, "16610-bit integer")):
        name = next(iter(params))
        with pytest.raises(ParameterError, match=f"^parameter {name}: .*{problem}"):
            pipeline.open_corpus(mini_corpus, **params)


def test_unknown_names_are_refused_with_the_closest_known_name(mini_corpus, capsys):
    with pytest.raises(ParameterError, match=r"unknown parameter 'top_entity' \(did you mean 'top_entities'\?\); known: "):
        parse_parameters({"top_entity": "3"})
    with pytest.raises(ParameterError, match=r"unknown parameter 'nonsense'; known: spacy_model, "):
        check_parameters({"nonsense": 1})
    assert cli.main(["report", str(mini_corpus), "--out", "o", "-p", "min_pasage_words", "8"]) == 2
    assert "did you mean 'min_passage_words'?" in capsys.readouterr().err


def test_the_notebook_declares_every_parameter_with_its_default_and_range():
    from analysis.report.run import DEFAULT_NOTEBOOK, RUNNER_PARAMETERS, notebook_parameters

    declared = [p for p in notebook_parameters(DEFAULT_NOTEBOOK) if p.name not in RUNNER_PARAMETERS]
    assert [p.name for p in declared] == list(PARAMETERS)
    for param in declared:
        assert param.default == PARAMETERS[param.name].default
        assert param.help == PARAMETERS[param.name].comment()  # "...; allowed: an integer from 1 to 100"


def test_report_help_lists_the_ranges():
    run = subprocess.run([sys.executable, "-m", "analysis.cli", "report", "--help"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0
    help_text = " ".join(run.stdout.split())
    for param in PARAMETERS.values():
        assert f"{param.name} ({param.type.__name__}, default {param.default!r})" in help_text
        assert f"allowed: {param.allowed()}" in help_text


def test_passages_shorter_than_the_seed_do_not_exist():
    # why min_passage_words starts at 3: a passage grows from a 3-word seed, so 1 and 2 mean 3
    from analysis.overlap import passages as overlap

    assert inspect.signature(overlap.shared_passages).parameters["ngram"].default == parameters.MIN_PASSAGE_WORDS
    docs = make_docs({"a": "Dockers walked out at Ravena on Monday.", "b": "Grain waits while dockers walked out again."})
    at_floor = overlap.shared_passages(docs, min_words=parameters.MIN_PASSAGE_WORDS)
    assert not at_floor.empty and at_floor["n_words"].min() == parameters.MIN_PASSAGE_WORDS
    for shorter in range(1, parameters.MIN_PASSAGE_WORDS):
        assert overlap.shared_passages(docs, min_words=shorter).equals(at_floor)


@pytest.mark.slow
def test_papermill_users_get_the_same_message_from_the_first_cell(mini_corpus, tmp_path):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as info:
        papermill.execute_notebook(str(ROOT / "notebooks" / "report.ipynb"), str(tmp_path / "out.ipynb"),
                                   parameters={"corpus": str(mini_corpus), "top_entities": 0},
                                   progress_bar=False, cwd=str(ROOT))
    assert info.value.ename == "ParameterError"
    assert info.value.evalue == "parameter top_entities: 0 is out of range; allowed: an integer from 1 to 100"
