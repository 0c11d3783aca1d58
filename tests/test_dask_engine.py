"""The analysis on a real Dask cluster writes the same tables, byte for byte, as a local run.

A `dask scheduler` and two `dask worker` processes (one thread each, no
dashboard) are started on 127.0.0.1 on free ports for this module and stopped
at its end, whatever happens. Documents are cut into batches of 2, sentences
into batches of 16 and stories one per passage task, so each corpus is several
tasks and the joining of batch results is exercised; a local run with the
whole corpus as one batch of documents and of stories is the reference, so a
stage that depended on which documents share its batch would fail here too.
(Sentence batches stay fixed: a sentence vector's last bits depend on the
sentences it is encoded with, which is why the kit fixes those batches.)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import ROOT

CORPORA = (ROOT / "tests" / "data" / "stories", ROOT / "seeds" / "nk-wagner-arms")
#: Seconds the cluster may take to come up on a loaded 2-core machine.
CLUSTER_START_TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _dask_command() -> list[str]:
    return [str(Path(sys.executable).with_name("dask"))]


@pytest.fixture(scope="module")
def scheduler_address(tmp_path_factory):
    """A running scheduler with two single-thread workers; torn down at the end of the module.

    The workers keep their sentence vectors in a cache folder of their own, so
    they compute every vector the cluster runs use.
    """
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PARALLAX_CACHE": str(tmp_path_factory.mktemp("worker-cache"))}
    common = dict(cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    processes = []
    try:
        processes.append(subprocess.Popen(_dask_command() + ["scheduler", "--host", "127.0.0.1", "--port", str(port),
                                                             "--no-dashboard"], **common))
        for _ in range(2):
            processes.append(subprocess.Popen(_dask_command() + ["worker", address, "--nthreads", "1",
                                                                 "--no-dashboard", "--host", "127.0.0.1",
                                                                 "--no-nanny"], **common))
        from distributed import Client

        deadline = time.monotonic() + CLUSTER_START_TIMEOUT
        client = None
        while client is None:
            try:
                client = Client(address, timeout=5, set_as_default=False)
            except OSError:
                if time.monotonic() > deadline:
                    raise
        try:
            client.wait_for_workers(2, timeout=max(1, deadline - time.monotonic()))
        finally:
            client.close()
        yield address
    finally:
        for process in processes[::-1]:
            process.terminate()
        for process in processes[::-1]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def table_bytes(corpus: Path, scheduler: str = "") -> dict[str, bytes]:
    """Every table of ``parallax analyze`` as the CSV bytes it writes.

    A local run starts with an empty sentence-vector cache (in memory and on
    disk), so it computes every vector in the batches it cuts: a vector's last
    bits depend on the sentences it is encoded with.
    """
    from analysis.overlap import embeddings
    from analysis.report import pipeline
    from analysis.tables import write_table

    out = {}
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        if not scheduler:
            patch.setenv("PARALLAX_CACHE", str(Path(folder) / "cache"))
            embeddings._shared_encoder.cache_clear()
        for name, table in pipeline.analyze(corpus, scheduler=scheduler).items():
            out[name] = write_table(table, Path(folder) / f"{name}.csv").read_bytes()
    return out


@pytest.mark.parametrize("corpus", CORPORA, ids=[c.name for c in CORPORA])
def test_cluster_tables_equal_local_tables(corpus, scheduler_address, monkeypatch):
    from analysis.report import stages

    monkeypatch.setattr(stages, "SENTENCES_PER_BATCH", 16)
    monkeypatch.setattr(stages, "DOCUMENTS_PER_BATCH", 10_000)
    monkeypatch.setattr(stages, "PAIRS_PER_BATCH", 10_000)
    whole = table_bytes(corpus)
    monkeypatch.setattr(stages, "DOCUMENTS_PER_BATCH", 2)
    monkeypatch.setattr(stages, "PAIRS_PER_BATCH", 1)
    local = table_bytes(corpus)
    cluster = table_bytes(corpus, scheduler=scheduler_address)
    assert sorted(cluster) == sorted(local) == sorted(whole)
    assert len(whole) > 20 and whole["sentence_alignment"].count(b"\n") > 10
    for name in whole:
        assert local[name] == whole[name], f"{name}.csv differs when the corpus is cut into batches"
        assert cluster[name] == whole[name], f"{name}.csv differs when run on the Dask cluster"


def test_the_work_ran_on_the_workers(scheduler_address):
    from distributed import Client

    table_bytes(CORPORA[0], scheduler=scheduler_address)
    with Client(scheduler_address, set_as_default=False) as client:
        loaded = client.run(lambda: "analysis.report.stages" in sys.modules and "spacy" in sys.modules)
    assert len(loaded) == 2 and any(loaded.values())


def test_a_local_run_imports_no_dask():
    code = ("import sys; from analysis.report import pipeline; pipeline.analyze(sys.argv[1]); "
            "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code, str(CORPORA[0])], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("command", ["analyze", "report", "batch"])
@pytest.mark.parametrize("address", ["not an address", "tcp://127.0.0.1:99999", "gopher://127.0.0.1:8786"])
def test_a_malformed_address_is_one_line_and_exit_2(command, address, tmp_path, capsys):
    from analysis.cli import main

    source = CORPORA[0].parent if command == "batch" else CORPORA[0]
    assert main([command, str(source), "--out", str(tmp_path / "out"), "--scheduler", address]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "scheduler" in err
    assert not (tmp_path / "out").exists()


def test_no_scheduler_there_is_one_line_and_exit_2(tmp_path, monkeypatch):
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    code = ("import sys; import analysis.engine as e; e.CONNECT_TIMEOUT_SECONDS = 2; "
            "from analysis.cli import main; sys.exit(main(sys.argv[1:]))")
    done = subprocess.run([sys.executable, "-c", code, "analyze", str(CORPORA[0]), "--out", str(tmp_path / "out"),
                           "--scheduler", address], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert f"no Dask scheduler answered at {address}" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_report_on_the_cluster_has_the_local_tables(scheduler_address, tmp_path):
    """``parallax report --scheduler``: the notebook runs its stages on the cluster; tables and manifest
    parameters are those of a local run."""
    import json

    from analysis.cli import main

    corpus = CORPORA[0]
    assert main(["report", str(corpus), "--out", str(tmp_path / "report"), "--scheduler", scheduler_address]) == 0
    local = table_bytes(corpus)
    tables = tmp_path / "report" / "tables"
    for name, content in local.items():
        assert (tables / f"{name}.csv").read_bytes() == content, f"{name}.csv"
    manifest = json.loads((tmp_path / "report" / "manifest.json").read_text())
    assert "scheduler" not in json.dumps(manifest["parameters"])
