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
