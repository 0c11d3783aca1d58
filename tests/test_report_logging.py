"""The report runner quiets papermill's logger for its own run only."""

from __future__ import annotations

import logging

import papermill
import pytest

from analysis.report.run import run_report
from conftest import SEEDS


@pytest.mark.parametrize("stop", [RuntimeError, KeyboardInterrupt])
def test_papermill_logger_level_is_restored_after_a_report(monkeypatch, tmp_path, stop):
    # run_report set the "papermill" logger to WARNING for the rest of the process,
    # silencing the papermill INFO a caller (a notebook, a script) had asked for.
    logger = logging.getLogger("papermill")
    monkeypatch.setattr(logger, "level", logging.INFO)
    during = []

    def execute_notebook(*args, **kwargs):
        during.append(logger.level)
        raise stop("stopped while the notebook ran")

    monkeypatch.setattr(papermill, "execute_notebook", execute_notebook)
    with pytest.raises(stop):
        run_report(SEEDS, tmp_path / "out")
    assert during == [logging.WARNING]
    assert logger.level == logging.INFO
