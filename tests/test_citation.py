"""CITATION.cff is valid CFF 1.2, and figure citations are built from it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import jsonschema
import yaml

from analysis.report.citation import cite_figure, load_citation
from conftest import ROOT

SCHEMA = ROOT / "tests" / "data" / "cff" / "schema-1.2.0.json"


def test_citation_cff_is_valid_against_the_cff_1_2_schema():
    schema = json.loads(SCHEMA.read_text())
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    jsonschema.validate(citation, schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    assert citation["cff-version"] == "1.2.0"


def test_schema_check_catches_an_invalid_file():
    schema = json.loads(SCHEMA.read_text())
    broken = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    del broken["authors"]
    validator = jsonschema.Draft7Validator(schema)
    assert any("authors" in error.message for error in validator.iter_errors(broken))


def test_version_in_citation_matches_the_package():
    import tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert load_citation()["version"] == project["version"]


def test_figure_citation_names_software_corpus_figure_and_report():
    text = cite_figure("fig-01-readability", "nk-wagner-arms", "0123456789abcdef" * 4)
    assert "Parallax" in text and "(version 0.1.0)" in text
    assert "fig-01-readability" in text and "nk-wagner-arms" in text and "0123456789ab" in text


def test_source_date_epoch_dates_pdf_and_svg_reproducibly(tmp_path):
    code = (
        "import sys\n"
        "from analysis.figures import new_figure\n"
        "from analysis.figures.save import save_figure\n"
        "fig = new_figure(); fig.subplots().plot([1, 2], [2, 1])\n"
        "save_figure(fig, sys.argv[1], 'fig-01-test', 'caption', 'alt')\n"
    )
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1671753600"}  # 2022-12-23
    outputs = []
    for run in ("a", "b"):
        subprocess.run([sys.executable, "-c", code, str(tmp_path / run)], check=True, env=env, cwd=ROOT)
        outputs.append({p.name: p.read_bytes() for p in (tmp_path / run).iterdir()})
    assert outputs[0] == outputs[1]
    assert b"20221223" in outputs[0]["fig-01-test.pdf"]
    assert b"2022-12-23" in outputs[0]["fig-01-test.svg"]
