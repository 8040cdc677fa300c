"""The offline encoder: checksums, shape, normalisation, pooling sanity."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.scoring.embeddings import (
    DIM,
    MODEL_SHA256,
    Encoder,
    ModelChecksumError,
    ModelMissingError,
    default_paths,
    sha256_file,
    verify,
)


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


def test_pinned_checksum_matches_installed_model() -> None:
    model, _ = default_paths()
    assert sha256_file(model) == MODEL_SHA256


def test_checksum_mismatch_is_a_clear_error(tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(ModelChecksumError, match="checksum mismatch"):
        verify(fake, MODEL_SHA256)
    _, tokenizer = default_paths()
    with pytest.raises(ModelChecksumError):
        Encoder(model_path=fake, tokenizer_path=tokenizer)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError):
        verify(tmp_path / "nope.onnx", MODEL_SHA256)


def test_unit_vectors_and_similarity(encoder: Encoder) -> None:
    a = encoder.encode("I would apologise to the customer.")
    b = encoder.encode("I'd say sorry to the client.")
    c = encoder.encode("The train to the coast leaves at noon.")
    assert a.shape == (DIM,) and a.dtype == np.float32
    assert abs(float(np.linalg.norm(a)) - 1.0) < 1e-4
    assert float(a @ b) > float(a @ c) + 0.2


def test_deterministic_and_long_input(encoder: Encoder) -> None:
    text = "I would check the order. " * 200
    v1, v2 = encoder.encode(text), encoder.encode(text)
    assert np.array_equal(v1, v2)
    assert encoder.encode("").shape == (DIM,)


def test_sentences_in_context_are_unit_vectors_in_order(encoder: Encoder) -> None:
    texts = ["I let them finish.", "Then I check the tracking.", "I call them back."]
    vecs = encoder.encode_in_context(texts)
    assert vecs.shape == (3, DIM)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    alone = np.stack([encoder.encode(t) for t in texts])
    # each row is closest to its own sentence read alone
    assert list(np.argmax(vecs @ alone.T, axis=1)) == [0, 1, 2]
    assert np.array_equal(vecs, encoder.encode_in_context(texts))


def test_sentences_beyond_one_model_window_are_read_in_further_runs(encoder: Encoder) -> None:
    texts = ["I would check every line of the invoice against the purchase order carefully."] * 30
    vecs = encoder.encode_in_context(texts)
    assert vecs.shape == (30, DIM) and np.isfinite(vecs).all()
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert encoder.encode_in_context([]).shape == (0, DIM)
