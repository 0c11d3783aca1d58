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
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

import numpy as np

from analysis.overlap import encoder_backends as backends
from analysis.overlap.embedding_store import SHARD_TEXTS, ShardStore
from analysis.overlap.embedding_model import (DEFAULT_BATCH_SIZE, DIMENSIONS, MODEL_DISTRIBUTION, MODEL_NAME,
                                              check_backend, model_info, package_version)
from analysis.threads import BLAS_THREADS


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
    version, backend, BLAS threads) and the text, so vectors from different backends or
    weight versions never mix. On disk the vectors are kept in shard files
    of :data:`~analysis.overlap.embedding_store.SHARD_TEXTS` texts each,
    written as the run goes (:mod:`analysis.overlap.embedding_store`, under
    ``<cache_dir>/shards/``); no file name holds any text. The per-sentence
    files of the cache before shards (``<cache_dir>/<2 hex>/<key>.npy``,
    ``<cache_dir>/tokens/...``) are still read for a key no shard holds and
    copied into a shard; they are never written, and can be deleted.
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
        # "blas1": vectors computed with one BLAS thread (analysis.threads); the cache's older
        # vectors, from as many threads as the machine had cores, are not read
        self.model_id = f"{MODEL_NAME}|{MODEL_DISTRIBUTION}=={package_version()}|{backend}|blas{BLAS_THREADS}"
        self._memory: dict[str, np.ndarray] = {}
        self._token_memory: dict[str, np.ndarray] = {}
        shards = self.cache_dir / "shards" if self.cache_dir is not None else None
        self._sentences = ShardStore(shards / "sentences", np.float32) if shards else None
        self._tokens = ShardStore(shards / "tokens", np.float16) if shards else None

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

        Notes
        -----
        Texts no cache holds are encoded :data:`~analysis.overlap.embedding_store.SHARD_TEXTS`
        at a time, in input order, each batch written to the disk cache as
        one shard before the next is encoded (with or without a disk cache,
        so the vectors are the same either way): a run stopped midway keeps
        its finished batches and a rerun encodes only the rest.
        """
        texts = _text_list(texts, "encode")
        keys = [self.key(t) for t in texts]
        wanted = {key: text for key, text in zip(keys, texts) if key not in self._memory}
        encode = backends.encode_numpy if self.backend == "numpy" else backends.encode_st
        self._fill(self._memory, self._sentences, wanted, lambda batch: encode(batch, self.batch_size),
                   fit=lambda key, rows: rows[0] if rows.shape == (1, DIMENSIONS) else None,
                   read_old=lambda key: _read_old_file(self.cache_dir / key[:2] / f"{key}.npy",
                                                       (DIMENSIONS,), np.float32))
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = self._memory[key]
        return out

    def _fill(self, memory: dict, store: ShardStore | None, wanted: dict[str, str], compute, fit,
              read_old) -> None:
        """Put the vectors of ``wanted`` (key -> text) into ``memory``: from the shards, then
        from the per-sentence files of the old cache, else computed a shard at a time and written.
        ``fit(key, rows)`` gives the vector a shard's rows hold (None: unfit); ``read_old(key)``
        the old cache's file (None: absent or unfit)."""
        if not wanted:
            return
        if store is not None:
            for key, stored in store.get(list(wanted)).items():
                vector = fit(key, stored)
                if vector is not None:
                    memory[key] = vector
            old = {}
            for key in wanted:
                if key not in memory:
                    vector = read_old(key)
                    if vector is not None:
                        old[key] = memory[key] = vector
            moved = list(old)
            for start in range(0, len(moved), SHARD_TEXTS):   # the old cache, moved into shards
                part = moved[start:start + SHARD_TEXTS]
                store.put(part, [old[k] for k in part])
        missing = [key for key in wanted if key not in memory]
        for start in range(0, len(missing), SHARD_TEXTS):
            part = missing[start:start + SHARD_TEXTS]
            vectors = list(compute([wanted[k] for k in part]))
            if store is not None:
                store.put(part, vectors)
            for key, vector in zip(part, vectors):
                memory[key] = vector

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
        Disk shards live under ``<cache_dir>/shards/tokens/`` with their own
        keys, apart from the sentence vectors, and are stored as float16.
        """
        if self.backend != "numpy":
            raise ValueError("token_vectors() needs backend='numpy'.")
        texts = _text_list(texts, "token_vectors")
        pieces = backends.word_pieces(texts)
        keys = [self.key("\x00tokens\x00" + t) for t in texts]
        n_tokens = {key: len(tokens) for key, tokens in zip(keys, pieces)}
        wanted = {key: text for key, text in zip(keys, texts) if key not in self._token_memory}

        def compute(batch):
            return [v.astype(np.float16) for v in backends.encode_tokens_numpy(batch, self.batch_size)]

        self._fill(self._token_memory, self._tokens, wanted, compute,
                   fit=lambda key, rows: rows if rows.shape == (n_tokens[key], DIMENSIONS) else None,
                   read_old=lambda key: _read_old_file(self.cache_dir / "tokens" / key[:2] / f"{key}.npy",
                                                       (n_tokens[key], DIMENSIONS), np.float16))
        return [TokenVectors(tokens, self._token_memory[key].astype(np.float32))
                for key, tokens in zip(keys, pieces)]


def _read_old_file(path: Path, shape: tuple, dtype) -> np.ndarray | None:
    """A vector of the per-sentence cache before shards (``<cache_dir>/<2 hex>/<key>.npy``),
    read when no shard holds the key; None when absent or not as expected."""
    if not path.is_file():
        return None
    try:
        vector = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None  # a damaged cache entry is recomputed, never trusted
    if vector.shape != shape or vector.dtype != dtype or not np.isfinite(vector).all():
        return None
    return vector


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
