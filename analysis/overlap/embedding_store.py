"""The on-disk embedding cache: vectors kept in a few shard files, written as a run goes.

A run encodes the sentences it is missing :data:`SHARD_TEXTS` at a time and
writes each batch as one shard file before it encodes the next, so a run that
is stopped keeps every finished batch, and a rerun encodes only what no shard
holds. (The cache before this one wrote one file per sentence: 38,141 files
for BBC News' 2,225 articles.)

Layout: ``<cache_dir>/shards/<kind>/<name>.shard``, ``kind`` ``sentences``
(sentence vectors, float32) or ``tokens`` (word-piece vectors, float16). A
shard is three ``.npy`` records back to back (:func:`numpy.save`): the keys
(``S64``: the hex content hashes of :meth:`analysis.overlap.embeddings.Encoder.key`),
the row offsets (int64, ``n + 1``: text ``i`` owns rows ``offsets[i]:offsets[i + 1]``)
and the vectors (``(rows, 384)``). Its ``name`` is the first 32 hex digits of
the sha256 of the file's bytes, so:

- a shard is deterministic: the same texts encoded in the same order give the
  same bytes and the same name;
- a shard is written to a temporary file in the same folder and renamed onto
  its name (:func:`os.replace`), so a reader never sees half a shard, and two
  processes that write the same batch write the same file: concurrent runs on
  one cache are safe without locks;
- a damaged or truncated shard cannot pass for a good one: its bytes no longer
  hash to its name. It is ignored, deleted and its texts recomputed, with a
  one-line warning on the ``parallax.cache`` logger, never a traceback and
  never a wrong vector.

When two shards hold one key, the shard with the smaller name gives its vector
(the same one in every run). The index (key -> shard) is read from the keys
and offsets records of every shard when a store is first used; the vectors of
a shard are read, and its hash checked, only when one of its keys is needed.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analysis.overlap.embedding_model import DIMENSIONS

#: Texts encoded, then written, per shard. Set by hand and measured on BBC News
#: (python -m bench.bench_cache, 300 articles, 6,043 sentences): 6 shard files
#: instead of 6,043 per-sentence files; the numpy encoder ran 18 sentences a
#: second on the shared 2-core machine (load 11), so a stopped run loses at most
#: about a minute of work; BBC's 2,225 articles (38,141 sentences) make 38 files.
SHARD_TEXTS = 1024

SUFFIX = ".shard"
KEY_DTYPE = "S64"

logger = logging.getLogger("parallax.cache")


def shard_bytes(keys: Sequence[str], vectors: Sequence[np.ndarray], dtype) -> bytes:
    """The bytes of a shard holding ``vectors[i]`` (one row or a ``(rows, 384)`` array) under ``keys[i]``."""
    blocks = [np.asarray(v, dtype=dtype).reshape(-1, DIMENSIONS) for v in vectors]
    offsets = np.zeros(len(blocks) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(b) for b in blocks])
    stacked = np.concatenate(blocks) if blocks else np.empty((0, DIMENSIONS), dtype=dtype)
    buffer = io.BytesIO()
    np.save(buffer, np.array(list(keys), dtype=KEY_DTYPE), allow_pickle=False)
    np.save(buffer, offsets, allow_pickle=False)
    np.save(buffer, stacked, allow_pickle=False)
    return buffer.getvalue()


def shard_name(data: bytes) -> str:
    """A shard's file stem: the first 32 hex digits of the sha256 of its bytes."""
    return hashlib.sha256(data).hexdigest()[:32]


class ShardDamaged(ValueError):
    """A shard file that cannot be trusted (reason in the message)."""


def _read_index(handle) -> tuple[np.ndarray, np.ndarray]:
    keys = np.load(handle, allow_pickle=False)
    offsets = np.load(handle, allow_pickle=False)
    if keys.dtype != np.dtype(KEY_DTYPE) or keys.ndim != 1:
        raise ShardDamaged("bad key record")
    if offsets.dtype != np.int64 or offsets.shape != (len(keys) + 1,) or offsets[0] != 0 \
            or np.any(np.diff(offsets) < 0):
        raise ShardDamaged("bad offset record")
    return keys, offsets


class ShardStore:
    """Vectors by content key in the shard files of one folder (see the module docstring).

    Parameters
    ----------
    folder : Path
        ``<cache_dir>/shards/<kind>``; created on the first write.
    dtype : numpy dtype
        Dtype of the stored vectors (float32 sentence vectors, float16 word pieces).
    """

    def __init__(self, folder: Path, dtype):
        self.folder = Path(folder)
        self.dtype = np.dtype(dtype)
        self._index: dict[str, tuple[str, int]] | None = None

    def _warn_and_drop(self, path: Path, reason: str) -> None:
        logger.warning("parallax: embedding cache shard %s is damaged (%s); ignored, its sentences recomputed",
                       path.name, reason)
        try:
            path.unlink()
        except OSError:
            pass
        if self._index is not None:
            stem = path.stem
            self._index = {k: v for k, v in self._index.items() if v[0] != stem}

    def index(self) -> dict[str, tuple[str, int]]:
        """key -> (shard name, position in the shard), read once from the shard files."""
        if self._index is None:
            self._index = {}
            paths = sorted(self.folder.glob("*" + SUFFIX)) if self.folder.is_dir() else []
            for path in paths:
                try:
                    with open(path, "rb") as handle:
                        keys, _ = _read_index(handle)
                except Exception as error:  # noqa: BLE001 -- any unreadable shard is ignored, never raised
                    self._warn_and_drop(path, type(error).__name__)
                    continue
                for row, key in enumerate(keys.tolist()):
                    self._index.setdefault(key.decode("ascii"), (path.stem, row))
        return self._index

    def _load(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Offsets and vectors of one shard, checked against its name."""
        path = self.folder / f"{name}{SUFFIX}"
        data = path.read_bytes()
        if shard_name(data) != name:
            raise ShardDamaged("content does not match its name")
        handle = io.BytesIO(data)
        keys, offsets = _read_index(handle)
        vectors = np.load(handle, allow_pickle=False)
        if vectors.dtype != self.dtype or vectors.shape != (int(offsets[-1]), DIMENSIONS) \
                or not np.isfinite(vectors).all():
            raise ShardDamaged("bad vector record")
        return offsets, vectors

    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those ``keys`` that some shard holds (a damaged shard holds none)."""
        index = self.index()
        wanted: dict[str, list[tuple[str, int]]] = {}
        for key in dict.fromkeys(keys):
            where = index.get(key)
            if where is not None:
                wanted.setdefault(where[0], []).append((key, where[1]))
        found: dict[str, np.ndarray] = {}
        for name in sorted(wanted):
            try:
                offsets, vectors = self._load(name)
            except Exception as error:  # noqa: BLE001 -- a damaged shard is recomputed, never trusted
                self._warn_and_drop(self.folder / f"{name}{SUFFIX}", str(error) or type(error).__name__)
                continue
            for key, row in wanted[name]:
                found[key] = vectors[offsets[row]:offsets[row + 1]].copy()
        return found

    def put(self, keys: Sequence[str], vectors: Sequence[np.ndarray]) -> Path | None:
        """Write one shard of ``vectors`` under ``keys`` (temporary file, then rename); its path."""
        if not keys:
            return None
        data = shard_bytes(keys, vectors, self.dtype)
        name = shard_name(data)
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{name}{SUFFIX}"
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        index = self.index()
        for row, key in enumerate(keys):
            if key not in index or name < index[key][0]:
                index[key] = (name, row)
        return path
