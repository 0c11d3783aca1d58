"""Backends that turn texts into all-MiniLM-L6-v2 vectors: a NumPy BERT and sentence-transformers.

The default backend is a NumPy re-implementation of the BERT encoder that
sentence-transformers runs for ``all-MiniLM-L6-v2`` (6 layers, 384 dimensions,
mean pooling, L2 normalisation), reading the weights with ``safetensors.numpy``
and the tokenizer with ``tokenizers``; it reproduces sentence-transformers'
vectors to cosine >= 0.9999 (``tests/test_embeddings.py``). The other backend
runs sentence-transformers itself (optional; it needs torch). No caching here:
:class:`analysis.overlap.embeddings.Encoder` caches what these compute.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analysis.overlap.embedding_model import DIMENSIONS, TOKEN_BUDGET, model_dir
from analysis.threads import with_fixed_blas_threads

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
def load_numpy_model(folder: str) -> _BertModel:
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


def gelu(x: np.ndarray) -> np.ndarray:
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
        x[start:start + _GELU_ROWS] = gelu(x[start:start + _GELU_ROWS])
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


@with_fixed_blas_threads
def encode_numpy(texts: Sequence[str], batch_size: int) -> np.ndarray:
    model = load_numpy_model(str(model_dir()))
    encodings = model.tokenizer.encode_batch(list(texts))
    lengths = np.array([len(e.ids) for e in encodings], dtype=np.int64)
    out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
    for chunk in _length_batches(lengths, batch_size, TOKEN_BUDGET):
        ids, mask = _padded(encodings, chunk, lengths)
        out[chunk] = _forward(model, ids, mask)
    return out


@with_fixed_blas_threads
def encode_tokens_numpy(texts: Sequence[str], batch_size: int) -> list[np.ndarray]:
    """Last-layer vectors of each text's word pieces, [CLS] and [SEP] left out.

    Rows are L2-normalised and rounded to float16 precision (returned as
    float32), so a vector read back from the disk cache equals a fresh one.
    """
    model = load_numpy_model(str(model_dir()))
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


def word_pieces(texts: Sequence[str]) -> list[tuple[str, ...]]:
    model = load_numpy_model(str(model_dir()))
    return [tuple(e.tokens[1:-1]) for e in model.tokenizer.encode_batch(list(texts))]


@functools.cache
def load_st_model(folder: str):
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ValueError("backend='sentence-transformers' needs the optional package "
                         "sentence-transformers (and torch): pip install sentence-transformers; "
                         "or use the default backend='numpy'.") from None
    return SentenceTransformer(folder, device="cpu")


def encode_st(texts: Sequence[str], batch_size: int) -> np.ndarray:
    model = load_st_model(str(model_dir()))
    vectors = model.encode(list(texts), batch_size=batch_size, convert_to_numpy=True,
                           normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float32)
