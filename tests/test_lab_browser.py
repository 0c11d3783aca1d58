"""JupyterLab in a real browser: the report notebook runs top to bottom and shows its figures.

Starts ``jupyter lab`` on 127.0.0.1 (free port, random token) over a temporary
copy of ``notebooks/`` (so no run can save outputs into the repository),
drives Debian's headless Chromium through Playwright to open the report
notebook and run all cells from the Run menu, then checks that a figure
rendered inline, that no cell wrote an error and that the reuse viewer's prose
reads left-aligned. Screenshots are kept in ``test-artifacts/jupyterlab-report.png``
and ``test-artifacts/jupyterlab-reuse-viewer.png``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
#: Without the networking flags Chromium's background connections are refused by a closed network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOT = ARTIFACTS / "jupyterlab-report.png"
SERVER_START_SECONDS = 90
KERNEL_START_MS = 90_000
RUN_ALL_MS = 120_000
ERROR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
FIGURE = ".jp-OutputArea-output img"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_answering(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"jupyter lab exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    pytest.fail(f"jupyter lab did not answer within {SERVER_START_SECONDS} s:\n{log.read_text()[-3000:]}")


def _notebook_kernel_state(base: str, token: str, notebook: str) -> str:
    """The execution state of the kernel of ``notebook``'s session ("" while there is none)."""
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as response:
        sessions = json.load(response)
    for session in sessions:
        if session.get("path", "").endswith(notebook) and session.get("kernel"):
            return session["kernel"].get("execution_state", "")
    return ""


def _wait_for_kernel(page, base: str, token: str, notebook: str) -> None:
    """Wait until the notebook's kernel is idle, answering JupyterLab's kernel dialog as a user would.

    JupyterLab sometimes asks "Select Kernel" although the notebook names its
    kernel (when the kernel list arrives after the notebook opened); the
    dialog preselects the notebook's kernel, so accepting it is the user's move.
    """
    dialog_accept = page.locator(".jp-Dialog .jp-mod-accept")
    deadline = time.monotonic() + KERNEL_START_MS / 1000
    while time.monotonic() < deadline:
        if dialog_accept.count() and dialog_accept.first.is_visible():
            dialog_accept.first.click()
        elif _notebook_kernel_state(base, token, notebook) == "idle":
            page.locator('.jp-Notebook-ExecutionIndicator[data-status="idle"]').wait_for()
            return
        page.wait_for_timeout(500)
    pytest.fail(f"the notebook's kernel was not idle within {KERNEL_START_MS // 1000} s")


def _bring_into_view(page, element) -> None:
    """Scroll ``element`` to the middle of the notebook, again until it stays there.

    JupyterLab renders cells far off screen lazily, so heights above a cell
    change as it is approached and one scroll can land short.
    """
    for _ in range(10):
        element.evaluate("el => el.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(300)
        box = element.bounding_box()
        if box and 0 <= box["y"] and box["y"] + min(box["height"], 400) <= page.viewport_size["height"]:
            return


def _open_and_run_all(page, base: str, token: str, notebook: str) -> None:
    """Open ``notebook``, wait for its kernel, run all cells from the Run menu and wait until done."""
    page.goto(f"{base}/lab/tree/{notebook}?token={token}")
    page.locator(".jp-NotebookPanel .jp-CodeCell").first.wait_for()
    _wait_for_kernel(page, base, token, notebook)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    code_cells = page.locator(".jp-NotebookPanel .jp-CodeCell").count()
    # Finished when every code cell shows an execution count ("[n]:", not "[*]:" or "[ ]:")
    # and the kernel is idle.
    page.wait_for_function(
        """(count) => {
            const prompts = [...document.querySelectorAll(
                '.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')];
            const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
            return prompts.length === count && prompts.every(p => /\\[\\d+\\]/.test(p.textContent))
                && status !== null && status.dataset.status === 'idle';
        }""", arg=code_cells, timeout=RUN_ALL_MS)


@pytest.fixture
def lab_server(tmp_path):
    """A JupyterLab server over a scratch copy of the project's notebooks; yields (base URL, token)."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "notebooks", project / "notebooks")
    # The notebook's default corpus (a path relative to the project) resolves through the copy's parents.
    (project / "seeds").symlink_to(ROOT / "seeds", target_is_directory=True)
    # No "get notified about Jupyter news?" toast over the notebook, and no attempt to fetch news.
    notification = tmp_path / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text('{"fetchNews": "false", "checkForUpdates": false}', encoding="utf-8")
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ,
               JUPYTER_CONFIG_DIR=str(tmp_path / "config"),  # no user configuration leaks in
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
               # the kit's own kernel first, before any user-installed "python3" kernel
               JUPYTER_PATH=os.pathsep.join(filter(None, [str(Path(sys.prefix) / "share" / "jupyter"),
                                                          os.environ.get("JUPYTER_PATH")])),
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    log = tmp_path / "jupyter-lab.log"
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={project / 'notebooks'}",
               f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
               f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}"]
    if os.geteuid() == 0:  # CI runs as root
        command.append("--allow-root")
    with open(log, "wb") as log_file:
        server = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, env=env, cwd=project)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_answering(f"{base}/api/status?token={token}", server, log)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: Debian's chromium package could not "
                                                  "be installed here (`make browser` installs it as root)")
def test_report_notebook_runs_all_cells_in_jupyterlab(lab_server):
    from playwright.sync_api import sync_playwright

    base, token = lab_server
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            try:
                _open_and_run_all(page, base, token, "report.ipynb")
            finally:
                figures = page.locator(FIGURE)
                if figures.count():
                    _bring_into_view(page, figures.first)
                page.screenshot(path=str(SCREENSHOT))

            errors = page.locator(ERROR_OUTPUT)
            error_texts = [errors.nth(i).inner_text()[:500] for i in range(errors.count())]
            assert error_texts == [], f"cells wrote errors (screenshot {SCREENSHOT}):\n" + "\n---\n".join(error_texts)
            assert figures.count() >= 1, f"no figure rendered in an output area (screenshot {SCREENSHOT})"
            first = figures.first
            assert first.evaluate("img => img.complete && img.naturalWidth > 0"), "the first figure did not load"
            assert first.get_attribute("alt"), "the figure has no alt text"
            # JupyterLab right-aligns table cells; the report's prose and tables read left-aligned here too
            aligns = page.eval_on_selector_all(
                ".pxr p, .pxr-index li, table.parallax-documents td, table.parallax-table td, table.parallax-table th",
                "els => els.map(e => getComputedStyle(e).textAlign)")
            assert aligns and set(aligns) <= {"left", "start"}, set(aligns)
            viewer = page.locator("section.pxr-pair").first
            _bring_into_view(page, viewer)
            page.screenshot(path=str(ARTIFACTS / "jupyterlab-reuse-viewer.png"))
        finally:
            browser.close()


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: Debian's chromium package could not "
                                                  "be installed here (`make browser` installs it as root)")
def test_article_text_with_dollar_signs_is_not_typeset_as_mathematics(lab_server, tmp_path):
    import nbformat
    from playwright.sync_api import sync_playwright

    article = "It cost $5 or $10 a round, <b>not</b> more."
    cells = [
        # control: JupyterLab does typeset $...$ in an HTML output, so the check below can fail
        'from IPython.display import HTML\nHTML("<p class=\'control\'>costs $5 or $10</p>")',
        f"from analysis.report import render\nrender.note({article!r})",
        f"import pandas as pd\nrender.table(pd.DataFrame({{'text': [{article!r}, 'a $100m deal']}}))",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp_path / "project" / "notebooks" / "escaping.ipynb")
    base, token = lab_server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            _open_and_run_all(page, base, token, "escaping.ipynb")
            outputs = page.locator(".jp-OutputArea-output")
            assert outputs.count() == 3
            page.locator(".jp-OutputArea-output mjx-container").first.wait_for()  # the control was typeset
            assert outputs.nth(0).locator("mjx-container").count() == 1
            for i in (1, 2):
                assert outputs.nth(i).locator("mjx-container").count() == 0
                assert "$5 or $10 a round, <b>not</b> more." in outputs.nth(i).inner_text()
        finally:
            browser.close()
