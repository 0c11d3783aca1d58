"""Batch planning: which folders under a root are corpora, and which of their reports are up to date.

:func:`plan_batch` compares each corpus's report manifest fingerprint with the
fingerprint of its current inputs, parameters and software
(:func:`analysis.report.manifest.report_fingerprint`); :func:`analysis.report.batch.run_batch`
runs the corpora it marks ``run``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.corpus.inputs import METADATA_FILES

#: Columns of :func:`plan_batch`'s table.
PLAN_COLUMNS = ["corpus", "corpus_path", "report", "fingerprint", "action", "reason"]
#: File suffixes that make a folder a corpus.
ARTICLE_SUFFIXES = frozenset({".txt", ".csv", ".jsonl"})


def find_corpora(root: str | Path, exclude: tuple[str | Path, ...] = ()) -> list[Path]:
    """The corpus folders directly under ``root``, sorted by name.

    A corpus folder holds at least one article file (``.txt``, ``.csv`` or
    ``.jsonl``; ``sources.csv`` alone does not count). Hidden folders, and
    folders in or equal to one of ``exclude`` (such as the batch's own output
    folder), are left out.

    Parameters
    ----------
    root : str or pathlib.Path
        The folder holding one sub-folder per corpus.
    exclude : tuple of str or pathlib.Path
        Folders never to treat as corpora.

    Returns
    -------
    list of pathlib.Path
        ``root / name`` for each corpus folder.

    Raises
    ------
    ValueError
        ``root`` is not a folder.
    """
    root = Path(root)
    if not root.is_dir():
        raise ValueError(f"{root}: no such folder (give the folder that holds one sub-folder per corpus)")
    excluded = [Path(e).resolve() for e in exclude]
    corpora = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        resolved = folder.resolve()
        if any(resolved == e or e in resolved.parents for e in excluded):
            continue
        if any(f.is_file() and f.suffix.lower() in ARTICLE_SUFFIXES and f.name.lower() not in METADATA_FILES
               for f in folder.iterdir()):
            corpora.append(folder)
    return corpora


def full_parameters(parameters: dict | None = None) -> dict:
    """The analysis parameters a report runs with: the notebook's defaults updated by ``parameters``.

    These are what the report's manifest records and fingerprints (the
    runner-set ``corpus``, ``output_dir`` and ``staging_dir`` excluded).
    """
    from analysis.report.run import DEFAULT_NOTEBOOK, RUNNER_PARAMETERS, notebook_parameters

    values = {p.name: p.default for p in notebook_parameters(DEFAULT_NOTEBOOK) if p.name not in RUNNER_PARAMETERS}
    values.update(parameters or {})
    return values


def plan_batch(root: str | Path, out: str | Path, parameters: dict | None = None,
               force: bool = False) -> pd.DataFrame:
    """Decide, for every corpus under ``root``, whether its report must be (re)written.

    A corpus is skipped when ``out/<corpus>/manifest.json`` exists, its
    fingerprint equals :func:`analysis.report.manifest.report_fingerprint` of the
    corpus with the same parameters now (same input files, parameters and
    package versions), and every output file it lists is still there. The
    staging folder of an interrupted run (``.<corpus>.parallax-staging-*``,
    hidden) never counts as a report.

    Parameters
    ----------
    root : str or pathlib.Path
        Folder of corpus folders (see :func:`find_corpora`).
    out : str or pathlib.Path
        Folder that holds one report folder per corpus.
    parameters : dict, optional
        Notebook parameters (already coerced), applied to every corpus.
    force : bool
        Run every corpus, whatever its report.

    Returns
    -------
    pandas.DataFrame
        One row per corpus, sorted by ``corpus``: ``corpus`` (folder name),
        ``corpus_path`` (str, ``root/corpus``), ``report`` (str,
        ``out/corpus``), ``fingerprint`` (str, current; empty when the corpus
        cannot be hashed), ``action`` (``run`` or ``skip``), ``reason`` (why).
    """
    from analysis.report.manifest import MANIFEST_NAME, read_manifest, report_fingerprint

    corpora = find_corpora(root, exclude=(out,))
    values = full_parameters(parameters) if corpora else {}
    rows = []
    for corpus_path in corpora:
        report = Path(out) / corpus_path.name
        try:
            current = report_fingerprint(corpus_path, values)
        except OSError as exc:
            rows.append((corpus_path.name, str(corpus_path), str(report), "", "run", f"cannot hash inputs: {exc}"))
            continue
        if force:
            action, reason = "run", "--force"
        elif not (report / MANIFEST_NAME).is_file():
            action, reason = "run", "no finished report"
        else:
            try:
                manifest = read_manifest(report)
            except ValueError:
                manifest = None
            if not isinstance(manifest, dict):
                action, reason = "run", "the report's manifest cannot be read"
            elif manifest.get("fingerprint") != current:
                action, reason = "run", "inputs, parameters or versions changed"
            elif any(not (report / str(r.get("path", ""))).is_file() for r in manifest.get("outputs", [])):
                action, reason = "run", "files of the report are missing"
            else:
                action, reason = "skip", "inputs, parameters and versions unchanged"
        rows.append((corpus_path.name, str(corpus_path), str(report), current, action, reason))
    table = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    return table.sort_values("corpus", kind="stable").reset_index(drop=True)

