"""Semantic evidence: a rating head over sentence embeddings, fitted on rated answers.

Cue regexes recognise the wordings their author thought of; the same
behaviour told in a candidate's own plain, non-native or anecdotal words earns
little from them. This layer reads the answer's meaning instead:

1. The answer (outside the parts validity excluded) is split into sentences
   (a long one into its clauses, :func:`clauses`);
   names, places and gendered pronouns are neutralised
   (:mod:`bot.scoring.neutral`), typing slips in the rubric's words are
   corrected (:mod:`bot.scoring.spelling`) and each sentence is embedded with all-MiniLM-L6-v2
   (:mod:`bot.scoring.embeddings`), at most :data:`MAX_SENTENCES` sentences of
   :data:`SENTENCE_TOKENS` word pieces each.
2. Two pooled vectors describe the answer: the mean of the sentence vectors
   (re-normalised) — what the answer is about overall — and their
   element-wise maximum — the strongest sentence on every direction, so that
   one specific action in a long answer is not averaged away.
3. A ridge regression (Hoerl & Kennard 1970) maps ``[cue features, one-hot
   competency, mean vector, max vector]`` to the 1-5 scale; four cutpoints
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
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.scoring.neutral import neutralise, rubric_words
from bot.scoring.rubric import CompiledRubric
from bot.scoring.spelling import speller_for
from bot.scoring.text import Span, content_words, sentences, unify, words
from bot.scoring.validity import ACTION_VERBS, Validity, outside_text

HEAD_PATH = Path(__file__).with_name("semantic_head.npz")
#: Cue features the head reads (see :mod:`bot.scoring.features`).
CUE_FEATURES: tuple[str, ...] = ("f_core", "f_beyond", "a_sum", "a_severe", "is_primary")
#: Sentences embedded per answer; the rest are not read by this layer.
MAX_SENTENCES = 16
#: Word pieces per sentence (a longer sentence is truncated).
SENTENCE_TOKENS = 96
#: Dimensions of a sentence vector (all-MiniLM-L6-v2).
DIM = 384
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


#: A sentence longer than this many words is read clause by clause, split
#: before its connectors ("then", "and then", "after that", "also", ", I"):
#: chat-style answers often run every step into one unpunctuated sentence,
#: and the max vector then sees only their blend (+0.002 QWK held out by
#: writer, +0.004 by scenario; 12 and 25 words give the same within 0.002).
CLAUSE_SPLIT_WORDS = 18
#: Where a clause may start: before a sequencing word, or after a comma before "I".
_CONNECTOR_RE = re.compile(
    r"(?:,\s*|\s+)(?=(?:and\s+)?then\b|after\s+that\b|afterwards\b|so\s+that\b|also\b)"
    r"|,\s+(?=and\s+i\b|so\s+i\b|i\b)",
    re.IGNORECASE,
)
#: A clause needs this many words; a shorter piece stays with the next.
MIN_CLAUSE_WORDS = 4


def clauses(spans: list[Span]) -> list[Span]:
    """Split each span longer than :data:`CLAUSE_SPLIT_WORDS` words at its clause connectors.

    Args:
        spans: Sentences (offsets into one text).

    Returns:
        The spans, the long ones replaced by their clauses (offsets kept,
        in order; a piece under :data:`MIN_CLAUSE_WORDS` words is not split off).
    """
    out: list[Span] = []
    for span in spans:
        if len(span.text.split()) <= CLAUSE_SPLIT_WORDS:
            out.append(span)
            continue
        pos = 0
        for m in _CONNECTOR_RE.finditer(span.text):
            if len(span.text[pos : m.start()].split()) >= MIN_CLAUSE_WORDS:
                out.append(Span(span.start + pos, span.start + m.start(), span.text[pos : m.start()]))
                pos = m.end()
        out.append(Span(span.start + pos, span.end, span.text[pos:]))
    return out


def sentence_spans(text: str) -> list[Span]:
    """Sentences of ``text`` to embed, short fragments joined to the next.

    Returns:
        At most :data:`MAX_SENTENCES` spans, in order; one span covering the
        whole stripped text if it has no sentence break; ``[]`` for blank text.
    """
    out: list[Span] = []
    pending: Span | None = None
    for span in clauses(sentences(text)):
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


def _key(sentence: str) -> str:
    return " ".join(words(sentence))


def answer_vectors(
    encoder: Any,
    text: str,
    rewrite: Callable[[str], str] | None = None,
    select: Callable[[Span], bool] | None = None,
) -> AnswerVectors:
    """Embed the sentences of ``text`` and pool them.

    Args:
        encoder: A :class:`bot.scoring.embeddings.Encoder` (or anything with
            ``encode_in_context(texts, max_tokens=)``).
        text: The answer text to read (already stripped of excluded parts).
        rewrite: Applied to each sentence before it is embedded (the spans
            keep their offsets into ``text``), e.g.
            :func:`bot.scoring.neutral.neutralise`.
        select: Keeps the sentences to read; when it keeps none, all are read.
            A sentence (or clause) repeated word for word is read once.

    Returns:
        The :class:`AnswerVectors`; zero vectors for blank text.
    """
    spans = sentence_spans(text)
    if select is not None:
        spans = [s for s in spans if select(s)] or spans
    seen: set[str] = set()
    spans = [s for s in spans if not (_key(s.text) in seen or seen.add(_key(s.text)))]  # a repeat is read once
    if not spans:
        zero = np.zeros(384, dtype=np.float32)
        return AnswerVectors([], np.zeros((0, 384), dtype=np.float32), zero, zero)
    read = rewrite or (lambda s: s)
    vecs = encoder.encode_in_context([read(s.text) for s in spans], max_tokens=SENTENCE_TOKENS)
    mean = vecs.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    mean = mean / norm if norm > 0 else mean
    return AnswerVectors(spans, vecs, mean.astype(np.float32), vecs.max(axis=0))


#: A sentence about the interview rather than the situation.
_META_RE = re.compile(
    r"\b(?:the|this|your|my|that|good|great|interesting|tricky|hard|difficult) "
    r"(?:question|answer|interview|scenario|assessment)s?\b|\bthanks? (?:you )?for (?:asking|the)\b"
    r"|\b(?:interesting|tricky|difficult|good|great|common|typical) (?:situation|case|one)\b"
)
#: Phrases in which a verb of the list is not an action.
_NOT_ACTION_RE = re.compile(r"\b(?:a )?(?:great|good) deal\b|\bthank you\b|\bthanks\b")
#: Past forms of action verbs that do not end in -ed.
_IRREGULAR = frozenset(
    "told said made kept gave got took put went did wrote sent found read set let held paid ran built began "
    "brought bought sat stood spoke rang left met saw knew thought understood".split()
)


#: Words that make the candidate the one who acts.
_SUBJECTS = frozenset("i i'd i'll i'm i've id im ill ive we we'd we'll we've you you'd you'll".split())
#: Someone else as the subject: what they did sets the scene.
_OTHERS = frozenset(
    "he she they he'd she'd they'd customer customers client manager boss colleague supervisor someone man "
    "woman person supplier guy lady".split()
)
#: "the shop I worked in": where the candidate worked sets the scene, it is no action.
_SCENE_RE = re.compile(r"\bwork(?:ed|ing|s)? (?:in|at|for|as|with)\b")


def _action_word(w: str) -> bool:
    if w in ACTION_VERBS or w in _IRREGULAR:
        return True
    for suffix in ("ing", "ed", "es", "s", "d"):
        if w.endswith(suffix) and len(w) > len(suffix) + 1:
            stem = w[: -len(suffix)]
            if stem in ACTION_VERBS or stem + "e" in ACTION_VERBS or stem[:-1] in ACTION_VERBS:
                return True
    return False


def describes_action(sentence: str) -> bool:
    """Whether a lower-case sentence tells something the candidate does.

    True when a verb of :data:`bot.scoring.validity.ACTION_VERBS` (in any
    form: -s/-es, -d/-ed, -ing, with the final "e" dropped or the last
    consonant doubled, or a common irregular past) is not done by someone
    else: no other person ("he", "the customer", "a manager") in the three
    words before it, unless the candidate is there too ("I", "we"). What
    someone else did ("A manager once asked me to skip it") and where the
    candidate worked set the scene and are not actions.
    """
    tokens = words(_SCENE_RE.sub(" ", _NOT_ACTION_RE.sub(" ", sentence)))
    for i, w in enumerate(tokens):
        if not _action_word(w):
            continue
        before = tokens[max(0, i - 3) : i]
        if any(t in _SUBJECTS for t in before) or not any(t in _OTHERS for t in before):
            return True
    return False


def read_answer(
    encoder: Any,
    val: Validity,
    rubric: CompiledRubric,
    anchors: Sequence[tuple[int, int]] = (),
    topic: frozenset[str] = frozenset(),
) -> AnswerVectors:
    """The vectors the head reads for one answer: the one way answers are embedded.

    The text outside the parts validity excluded, in its own case (names are
    found by their capitals), split into sentences. Only sentences that tell
    what the candidate does in this situation are read: a sentence holding a
    matched cue (``anchors``), or one with an action verb
    (:func:`describes_action`) and a word of the scenario (``topic``) that
    does not talk about the interview itself ("Thank you for the question.",
    "I hope this answer gives you an idea of my approach."): such filler
    would otherwise move the mean, and padding must not raise a rating
    (rating guide: naming is not doing). If no sentence qualifies, all are
    read. Each
    sentence read is neutralised (:func:`bot.scoring.neutral.neutralise`,
    keeping the rubric's words), lower-cased, spell-corrected towards the
    rubric's cue words (:meth:`bot.scoring.spelling.Speller.correct`) and
    embedded.

    Args:
        encoder: As for :func:`answer_vectors`.
        val: The answer's validity result.
        rubric: The question's compiled rubric.
        anchors: ``(start, end)`` offsets of matched cues, for or against.
        topic: Lower-case word prefixes that place a sentence in the
            scenario (the rubric's topic words, the question's content words).

    Returns:
        The :class:`AnswerVectors`; span offsets are offsets into ``val.text``.
    """
    keep, speller = rubric_words(rubric), speller_for(rubric)

    def read(sentence: str) -> str:
        plain = neutralise(sentence, keep).lower()
        fixed = speller.correct(plain)
        return fixed[0] if fixed else plain

    def about(span: Span) -> bool:
        if any(span.start < b and a < span.end for a, b in anchors):
            return True
        low = span.text.lower()
        if _META_RE.search(low):
            return False
        return describes_action(low) and any(w.startswith(t) for w in content_words(low) for t in topic)

    return answer_vectors(encoder, unify(outside_text(val.text, val.excluded)), rewrite=read, select=about)


@dataclass(frozen=True)
class SemanticHead:
    """The fitted rating head.

    Attributes:
        competencies: Competency ids in one-hot order.
        weights: (5 + len(competencies) + 2 * 384,) weights in rating units:
            cue features, one-hot competency, mean vector, max vector.
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
        """Per sentence, its share of the part of the score the vectors carry.

        The mean vector's part is split over the sentences in proportion to
        their vectors (the mean is linear in them, up to its norm); each
        dimension of the max vector's part goes to the sentence that holds
        the maximum. The shares sum to the vector part of :meth:`score`.

        Returns:
            (len(vecs.spans),) rating units; empty for an answer with no
            sentence read.
        """
        n = len(vecs.vectors)
        if not n:
            return np.zeros(0)
        o = self._emb_offset
        w_mean, w_max = self.weights[o : o + DIM], self.weights[o + DIM : o + 2 * DIM]
        total = vecs.vectors.sum(axis=0)
        norm = float(np.linalg.norm(total))
        share = vecs.vectors @ w_mean / norm if norm > 0 else np.zeros(n)
        holder = np.argmax(vecs.vectors, axis=0)
        share = share + np.bincount(holder, weights=w_max * vecs.max, minlength=n)
        return share

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
    """Concatenate cue features, one-hot competency, the mean and the max vector.

    The max vector keeps one specific action in a long answer from being
    averaged away (+0.013 QWK held out by writer, +0.019 by scenario; long
    answers -0.40 -> -0.29, ``docs/scoring.md`` § 2.2.0). Repeating a sentence
    leaves it unchanged, and only sentences about the candidate's own actions
    on the scenario are read (:func:`read_answer`), so filler cannot raise it.
    """
    return np.concatenate([[cue.get(f, 0.0) for f in CUE_FEATURES], onehot, vecs.mean, vecs.max])


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
    if len(weights) != len(CUE_FEATURES) + len(comps) + 2 * DIM or len(cuts) != 4 or list(cuts) != sorted(cuts):
        raise ValueError(f"{path}: malformed semantic head")
    return SemanticHead(comps, weights, bias, cuts)  # type: ignore[arg-type]


#: SHA-256 of ``semantic_head.npz`` (written by ``python -m bot.scoring.fit_semantic --write``).
HEAD_SHA256 = "86011df30644357e7d4a2d64bfa5b3603d1cbaeff91c56ab4b5d95b9113492e7"
