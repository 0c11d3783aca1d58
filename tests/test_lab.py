"""Exploring in JupyterLab leaves the repository clean (issue 14, item 8).

``make lab`` opens the project root on ``lab/report.ipynb`` (a git-ignored
working copy); the server's pre-save hook (``analysis.lab.keep_templates_clean``)
saves any notebook under ``notebooks/`` without outputs. The hook is tested
alone and inside a real Jupyter server started with the Makefile's own option.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request

import nbformat
import pytest

from analysis import lab
from conftest import ROOT

MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def executed_notebook() -> dict:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# t"), nbformat.v4.new_code_cell("1 + 1")])
    nb.cells[1].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    nb.cells[1].execution_count = 1
    nb.cells[1].metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00Z"}
    return json.loads(nbformat.writes(nb))


def test_the_hook_strips_templates_only():
    for path in ("notebooks/report.ipynb", "/notebooks/sub/other.ipynb"):
        model = {"type": "notebook", "content": executed_notebook()}
        lab.keep_templates_clean(model=model, path=path, contents_manager=None)
        code = model["content"]["cells"][1]
        assert code["outputs"] == [] and code["execution_count"] is None and "execution" not in code["metadata"]
        assert "".join(code["source"]) == "1 + 1"  # the code itself is kept
    for path in ("lab/report.ipynb", "report.ipynb", "notebooks.ipynb", "reports/notebooks/x.ipynb"):
        model = {"type": "notebook", "content": executed_notebook()}
        lab.keep_templates_clean(model=model, path=path, contents_manager=None)
        assert model["content"]["cells"][1]["outputs"], path
    text = {"type": "file", "content": "notebooks/x", "format": "text"}
    lab.keep_templates_clean(model=text, path="notebooks/notes.txt", contents_manager=None)
    assert text["content"] == "notebooks/x"


def test_make_lab_opens_the_project_root_on_the_ignored_working_copy():
    recipe = MAKEFILE[MAKEFILE.index("\nlab:"):MAKEFILE.index("\nbench:")]
    assert "--ServerApp.root_dir=. " in recipe
    assert f"--LabApp.default_url=/lab/tree/$(LAB_COPY)" in recipe and f"LAB_COPY := {lab.WORKING_COPY}" in MAKEFILE
    assert "--ContentsManager.pre_save_hook=analysis.lab.keep_templates_clean" in recipe
    ignored = subprocess.run(["git", "check-ignore", "-q", lab.WORKING_COPY], cwd=ROOT)
    if ignored.returncode == 128:
        pytest.skip("not a git checkout")
    assert ignored.returncode == 0, f"{lab.WORKING_COPY} is not git-ignored"


@pytest.mark.slow
def test_a_jupyter_server_saves_templates_without_outputs(tmp_path):
    """Save through the contents API of a server configured as ``make lab`` configures it."""
    hook = re.search(r"--ContentsManager\.pre_save_hook=(\S+)", MAKEFILE).group(1)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "lab").mkdir()
    token = secrets.token_hex(16)
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    command = [sys.executable, "-m", "jupyter_server", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={tmp_path}", f"--ContentsManager.pre_save_hook={hook}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = open(tmp_path / "server.log", "wb")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}/api/contents"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}?token={token}", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail((tmp_path / "server.log").read_text()[-2000:])
                time.sleep(0.3)
        for path in ("notebooks/report.ipynb", "lab/report.ipynb"):
            body = json.dumps({"type": "notebook", "format": "json", "content": executed_notebook()}).encode()
            request = urllib.request.Request(f"{base}/{path}?token={token}", data=body, method="PUT",
                                             headers={"Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=10).read()
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    template = nbformat.read(tmp_path / "notebooks" / "report.ipynb", as_version=4)
    assert [c.outputs for c in template.cells if c.cell_type == "code"] == [[]]
    assert [c.execution_count for c in template.cells if c.cell_type == "code"] == [None]
    working = nbformat.read(tmp_path / "lab" / "report.ipynb", as_version=4)
    assert working.cells[1].outputs[0]["data"]["text/plain"] == "2"  # the working copy keeps its outputs
