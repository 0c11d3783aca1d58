"""Sentence and word-piece embeddings with all-MiniLM-L6-v2, cached by content hash.

:class:`Encoder` runs one of the backends of
:mod:`analysis.overlap.encoder_backends` (a NumPy BERT by default, no torch)
and caches the vectors by content hash (sha256 of the model id and the text)
in memory and, optionally, on disk, so a re-run does not recompute them.
:func:`encode` and :func:`token_vectors` share one encoder per process.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from analysis.overlap import encoder_backends as backends
from analysis.overlap.embedding_model import (DEFAULT_BATCH_SIZE, DIMENSIONS, MODEL_DISTRIBUTION, MODEL_NAME,
                                              check_backend, model_info, package_version)


def default_cache_dir() -> Path:
    """On-disk embedding cache: ``$PARALLAX_CACHE/embeddings`` or ``~/.cache/parallax/embeddings``."""
    root = os.environ.get("PARALLAX_CACHE")
    base = Path(root) if root else Path.home() / ".cache" / "parallax"
    return base / "embeddings"


class TokenVectors(NamedTuple):
    """Contextual vectors of one text's word pieces (see :func:`token_vectors`)."""

    tokens: tuple[str, ...]
    vectors: np.ndarray


def _text_list(texts: Iterable[str], method: str) -> list[str]:
    """``texts`` as a list, or a ValueError naming ``method`` if they are not strings."""
    if isinstance(texts, str):
        raise ValueError(f"{method}() takes a list of texts, not a single string.")
    texts = list(texts)
    bad = [type(t).__name__ for t in texts if not isinstance(t, str)]
    if bad:
        raise ValueError(f"{method}() needs strings; got {bad[0]} among the texts.")
    return texts


class Encoder:
    """Sentence encoder with a content-hash cache.

    Parameters
    ----------
    backend : {"numpy", "sentence-transformers"}
        ``"numpy"`` (default) needs only numpy, tokenizers and safetensors;
        ``"sentence-transformers"`` imports that library lazily.
    cache_dir : str or Path or None or False
        Folder for the on-disk cache. ``None`` (default) uses
        :func:`default_cache_dir`; ``False`` keeps the cache in memory only.
    batch_size : int
        Sentences per forward pass.

    Notes
    -----
    The cache key is sha256 of the model id (model name, weights package
    version, backend) and the text, so vectors from different backends or
    weight versions never mix. Cache files are named by the hash only.
    """

    def __init__(self, backend: str = "numpy", cache_dir: str | os.PathLike | None | bool = None,
                 batch_size: int = DEFAULT_BATCH_SIZE):
        check_backend(backend)
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
        self.backend = backend
        self.batch_size = batch_size
        if cache_dir is False:
            self.cache_dir = None
        else:
            self.cache_dir = Path(cache_dir) if cache_dir not in (None, True) else default_cache_dir()
        self.model_id = f"{MODEL_NAME}|{MODEL_DISTRIBUTION}=={package_version()}|{backend}"
        self._memory: dict[str, np.ndarray] = {}
        self._token_memory: dict[str, np.ndarray] = {}

    def info(self) -> dict[str, str]:
        """:func:`model_info` for this encoder's backend."""
        return model_info(self.backend)

    def key(self, text: str) -> str:
        """Content hash of ``text`` under this encoder's model id."""
        return hashlib.sha256(f"{self.model_id}\x00{text}".encode("utf-8")).hexdigest()

    def encode(self, texts: Iterable[str]) -> np.ndarray:
        """Embed texts.

        Parameters
        ----------
        texts : iterable of str

        Returns
        -------
        numpy.ndarray
            Shape ``(n, 384)``, float32, one L2-normalised row per text, in input order.
        """
        texts = _text_list(texts, "encode")
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        keys = [self.key(t) for t in texts]
        missing: dict[str, str] = {}
        for row, (key, text) in enumerate(zip(keys, texts)):
            vector = self._memory.get(key)
            if vector is None:
                vector = self._read_disk(key)
                if vector is not None:
                    self._memory[key] = vector
            if vector is None:
                missing.setdefault(key, text)
            else:
                out[row] = vector
        if missing:
            new_texts = list(missing.values())
            encode = backends.encode_numpy if self.backend == "numpy" else backends.encode_st
            vectors = encode(new_texts, self.batch_size)
            for key, vector in zip(missing, vectors):
                self._memory[key] = vector
                self._write_disk(key, vector)
            for row, key in enumerate(keys):
                if key in missing:
                    out[row] = self._memory[key]
        return out

    def _disk_path(self, key: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / key[:2] / f"{key}.npy"

    def _read_disk(self, key: str) -> np.ndarray | None:
        path = self._disk_path(key)
        if path is None or not path.is_file():
            return None
        try:
            vector = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None  # a damaged cache entry is recomputed, never trusted
        if vector.shape != (DIMENSIONS,) or vector.dtype != np.float32:
            return None
        return vector

    def _write_disk(self, key: str, vector: np.ndarray, folder: str = "") -> None:
        path = self._disk_path(key)
        if path is None:
            return
        if folder:
            path = self.cache_dir / folder / key[:2] / f"{key}.npy"
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a concurrent reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.save(handle, vector, allow_pickle=False)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def token_vectors(self, texts: Iterable[str]) -> list[TokenVectors]:
        """Contextual word-piece vectors of texts (numpy backend only), cached like :meth:`encode`.

        Parameters
        ----------
        texts : iterable of str

        Returns
        -------
        list of TokenVectors
            One per text, in input order: ``tokens`` (the word pieces,
            [CLS]/[SEP] left out, at most 254) and ``vectors`` (float32,
            shape ``(len(tokens), 384)``, L2-normalised rows at float16
            precision): the last hidden states that :meth:`encode` mean-pools.

        Notes
        -----
        Disk entries live under ``<cache_dir>/tokens/`` with their own keys,
        apart from the sentence vectors.
        """
        if self.backend != "numpy":
            raise ValueError("token_vectors() needs backend='numpy'.")
        texts = _text_list(texts, "token_vectors")
        pieces = backends.word_pieces(texts)
        keys = [self.key("\x00tokens\x00" + t) for t in texts]
        found: dict[str, np.ndarray] = {}
        missing: dict[str, str] = {}
        for key, text, tokens in zip(keys, texts, pieces):
            if key in found or key in missing:
                continue
            vectors = self._token_memory.get(key)
            if vectors is None:
                vectors = self._read_token_disk(key, len(tokens))
            if vectors is None:
                missing[key] = text
            else:
                found[key] = self._token_memory[key] = vectors
        if missing:
            for key, vectors in zip(missing, backends.encode_tokens_numpy(list(missing.values()), self.batch_size)):
                found[key] = self._token_memory[key] = vectors
                self._write_disk(key, vectors.astype(np.float16), folder="tokens")
        return [TokenVectors(tokens, found[key]) for key, tokens in zip(keys, pieces)]

    def _read_token_disk(self, key: str, n_tokens: int) -> np.ndarray | None:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / "tokens" / key[:2] / f"{key}.npy"
        if not path.is_file():
            return None
        try:
            vectors = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        if vectors.shape != (n_tokens, DIMENSIONS) or vectors.dtype != np.float16:
            return None
        return vectors.astype(np.float32)


@functools.cache
def _shared_encoder(backend: str, cache_dir: str | bool | None) -> Encoder:
    return Encoder(backend=backend, cache_dir=cache_dir)


def encode(texts: Iterable[str], backend: str = "numpy",
           cache_dir: str | os.PathLike | None | bool = None) -> np.ndarray:
    """Embed texts with a process-wide cached :class:`Encoder`.

    Parameters
    ----------
    texts : iterable of str
    backend : {"numpy", "sentence-transformers"}
    cache_dir : str or Path or None or False
        See :class:`Encoder` (``False``: memory cache only).

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 384)``, float32, L2-normalised rows in input order.
    """
    check_backend(backend)
    # Booleans and None are passed through: str(False) would be a folder named "False".
    key = cache_dir if cache_dir is None or isinstance(cache_dir, bool) else str(cache_dir)
    return _shared_encoder(backend, key).encode(texts)


def token_vectors(texts: Iterable[str], cache_dir: str | os.PathLike | None | bool = None) -> list[TokenVectors]:
    """Contextual word-piece vectors with a process-wide cached numpy :class:`Encoder`.

    Same forward pass as :func:`encode`, before mean pooling; see
    :meth:`Encoder.token_vectors` for the output.
    """
    key = cache_dir if cache_dir is None or isinstance(cache_dir, bool) else str(cache_dir)
    return _shared_encoder("numpy", key).token_vectors(texts)
