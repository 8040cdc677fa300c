"""Semantic evidence: a rating head over sentence embeddings, fitted on rated answers.

Cue regexes recognise the wordings their author thought of; the same
behaviour told in a candidate's own plain, non-native or anecdotal words earns
little from them. This layer reads the answer's meaning instead:

1. The answer (outside the parts validity excluded) is split into sentences
   and each sentence is embedded with all-MiniLM-L6-v2
   (:mod:`bot.scoring.embeddings`), at most :data:`MAX_SENTENCES` sentences of
   :data:`SENTENCE_TOKENS` word pieces each.
2. Two pooled vectors describe the answer: the mean of the sentence vectors
   (re-normalised) — what the answer is about overall — and their
   element-wise maximum — the strongest sentence on every direction, so that
   one specific action in a long answer is not averaged away.
3. A ridge regression (Hoerl & Kennard 1970) maps ``[cue features, one-hot
   competency, mean vector]`` to the 1-5 scale; four cutpoints
   chosen for quadratic weighted kappa cut the score into ratings (threshold
   form of ordinal regression, McCullagh 1980). It is fitted on the 768 rated
   answers of ``shared/eval`` by :mod:`bot.scoring.fit_semantic`, which also
   cross-validates it by writer and by scenario.

The head's parameters live in ``semantic_head.npz`` next to this module;
:data:`HEAD_SHA256` pins its digest. Explanations name the sentences that
carried the score: each sentence's contribution is the head's embedding
weights applied to that sentence's vector, and the nearest rubric indicator
(by cosine) names, in plain words, what the sentence resembles.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.scoring.text import Span, sentences

HEAD_PATH = Path(__file__).with_name("semantic_head.npz")
#: Cue features the head reads (see :mod:`bot.scoring.features`).
CUE_FEATURES: tuple[str, ...] = ("f_core", "f_beyond", "a_sum", "a_severe", "is_primary")
#: Sentences embedded per answer; the rest are not read by this layer.
MAX_SENTENCES = 16
#: Word pieces per sentence (a longer sentence is truncated).
SENTENCE_TOKENS = 96
#: A sentence needs this many words to be embedded on its own; shorter ones
#: are joined to the next.
MIN_SENTENCE_WORDS = 3


class HeadChecksumError(RuntimeError):
    """``semantic_head.npz`` differs from the pinned digest."""


@dataclass(frozen=True)
class AnswerVectors:
    """The pooled sentence vectors of one answer.

    Attributes:
        spans: The embedded sentences (offsets into the text that was split).
        vectors: (len(spans), 384) unit vectors.
        mean: (384,) re-normalised mean of ``vectors``.
        max: (384,) element-wise maximum of ``vectors``.
    """

    spans: list[Span]
    vectors: np.ndarray
    mean: np.ndarray
    max: np.ndarray


def sentence_spans(text: str) -> list[Span]:
    """Sentences of ``text`` to embed, short fragments joined to the next.

    Returns:
        At most :data:`MAX_SENTENCES` spans, in order; one span covering the
        whole stripped text if it has no sentence break; ``[]`` for blank text.
    """
    out: list[Span] = []
    pending: Span | None = None
    for span in sentences(text):
        if pending is not None:
            span = Span(pending.start, span.end, text[pending.start : span.end])
            pending = None
        if len(span.text.split()) < MIN_SENTENCE_WORDS:
            pending = span
            continue
        out.append(span)
    if pending is not None:
        if out:
            last = out.pop()
            out.append(Span(last.start, pending.end, text[last.start : pending.end]))
        else:
            out.append(pending)
    return out[:MAX_SENTENCES]


def answer_vectors(encoder: Any, text: str) -> AnswerVectors:
    """Embed the sentences of ``text`` and pool them.

    Args:
        encoder: A :class:`bot.scoring.embeddings.Encoder` (or anything with
            ``encode(text, max_tokens=)``).
        text: The answer text to read (already stripped of excluded parts).

    Returns:
        The :class:`AnswerVectors`; zero vectors for blank text.
    """
    spans = sentence_spans(text)
    if not spans:
        zero = np.zeros(384, dtype=np.float32)
        return AnswerVectors([], np.zeros((0, 384), dtype=np.float32), zero, zero)
    vecs = np.stack([encoder.encode(s.text, max_tokens=SENTENCE_TOKENS) for s in spans])
    mean = vecs.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    mean = mean / norm if norm > 0 else mean
    return AnswerVectors(spans, vecs, mean.astype(np.float32), vecs.max(axis=0))


@dataclass(frozen=True)
class SemanticHead:
    """The fitted rating head.

    Attributes:
        competencies: Competency ids in one-hot order.
        weights: (5 + len(competencies) + 384,) weights in rating units.
        bias: Intercept (rating units).
        cutpoints: Four increasing thresholds.
    """

    competencies: tuple[str, ...]
    weights: np.ndarray
    bias: float
    cutpoints: tuple[float, float, float, float]

    @property
    def _emb_offset(self) -> int:
        return len(CUE_FEATURES) + len(self.competencies)

    def design_row(self, cue: dict[str, float], competency: str, vecs: AnswerVectors) -> np.ndarray:
        """The feature row of one (answer, competency); an unknown competency has no one-hot."""
        onehot = np.zeros(len(self.competencies))
        if competency in self.competencies:
            onehot[self.competencies.index(competency)] = 1.0
        return row(cue, onehot, vecs)

    def score(self, cue: dict[str, float], competency: str, vecs: AnswerVectors) -> tuple[float, float]:
        """(total score, the part carried by the sentence vectors), rating units."""
        x = self.design_row(cue, competency, vecs)
        o = self._emb_offset
        semantic = float(x[o:] @ self.weights[o:])
        return float(self.bias + x @ self.weights), semantic

    def rate(self, score: float) -> int:
        """Rating 1-5 for a score."""
        return 1 + sum(score >= c for c in self.cutpoints)

    def sentence_contributions(self, vecs: AnswerVectors) -> np.ndarray:
        """Per sentence, the mean-vector weights applied to its vector (rating units, (n,))."""
        o = self._emb_offset
        return vecs.vectors @ self.weights[o : o + 384] if len(vecs.vectors) else np.zeros(0)

    def save(self, path: Path = HEAD_PATH) -> str:
        """Write the head; returns the file's SHA-256."""
        np.savez(
            path,
            competencies=np.array(self.competencies),
            weights=self.weights.astype(np.float64),
            bias=np.array([self.bias]),
            cutpoints=np.array(self.cutpoints),
        )
        return hashlib.sha256(path.read_bytes()).hexdigest()


def row(cue: dict[str, float], onehot: np.ndarray, vecs: AnswerVectors) -> np.ndarray:
    """Concatenate cue features, one-hot competency and the mean vector.

    The element-wise maximum is not used: it grows with every added sentence,
    so padding an answer with filler raised its rating.
    """
    return np.concatenate([[cue.get(f, 0.0) for f in CUE_FEATURES], onehot, vecs.mean])


def load_head(path: Path = HEAD_PATH, expected_sha256: str | None = None) -> SemanticHead:
    """Read the fitted head.

    Args:
        path: The ``.npz`` file.
        expected_sha256: Digest to check; default :data:`HEAD_SHA256`.

    Raises:
        FileNotFoundError: The file is missing.
        HeadChecksumError: The digest differs.
        ValueError: The file is malformed.
    """
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    expected = HEAD_SHA256 if expected_sha256 is None else expected_sha256
    if digest != expected:
        raise HeadChecksumError(f"{path}: sha256 {digest}, expected {expected}; refit or restore the file")
    with np.load(path, allow_pickle=False) as npz:
        comps = tuple(str(c) for c in npz["competencies"])
        weights = np.asarray(npz["weights"], dtype=np.float64)
        cuts = tuple(float(c) for c in npz["cutpoints"])
        bias = float(npz["bias"][0])
    if len(weights) != len(CUE_FEATURES) + len(comps) + 384 or len(cuts) != 4 or list(cuts) != sorted(cuts):
        raise ValueError(f"{path}: malformed semantic head")
    return SemanticHead(comps, weights, bias, cuts)  # type: ignore[arg-type]


#: SHA-256 of ``semantic_head.npz`` (written by ``python -m bot.scoring.fit_semantic --write``).
HEAD_SHA256 = "c8033a8027631c06f7530cff4d3ff6bf3ce8960d4cb0b9a57b06c7556bf57a09"
