"""The answer scorer: validity checks -> indicator evidence -> calibrated rating.

Layers, in order (see ``docs/scoring.md``):

1. :mod:`bot.scoring.validity` flags the answer and excludes parts that are
   not evidence (copied question, keyword lists, instructions to the grader,
   markup).
2. :mod:`bot.scoring.indicators` matches the rubric's indicators for and
   against each competency, with negation scope.
3. Optionally, :mod:`bot.scoring.embeddings` compares the answer with the
   rubric's rated example answers.
4. :mod:`bot.scoring.calibration` maps the features to 1-5; rules then cap
   ratings (gaming flags -> 1, instruction to grader / counterproductive
   behaviour / no positive evidence -> at most 2).

The scorer is deterministic and never raises on any ``str`` input.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from typing import Any

import numpy as np

from bot.scoring import validity
from bot.scoring.calibration import LinearOrdinal, load_designs
from bot.scoring.features import competency_features, example_level
from bot.scoring.indicators import Hit, match_indicators
from bot.scoring.rubric import CompiledRubric, compile_rubric
from bot.scoring.semantic import AnswerVectors, SemanticHead, load_head, read_answer
from bot.scoring.spelling import speller_for
from bot.scoring.text import content_words, sentences
from bot.scoring.types import CompetencyRating, Evidence, ScoreResult
from bot.scoring.version import SCORER_VERSION

log = logging.getLogger(__name__)

#: Flags that make every rating 1 (the guide's anchor-1 cases).
GAMING_FLAGS = ("gibberish", "copies_question", "off_topic", "script")
#: Cosine similarity to the scenario (question + rubric examples) below which
#: an answer with no indicator match and no topic word is ``off_topic``.
OFF_TOPIC_SIM = 0.30
#: Answers with fewer words than this are always worth a follow-up.
PROBE_WORDS = 12
#: A longer answer without a cue of the primary competency is probed only if
#: its primary rating is below this (the meaning shows nothing of it).
PROBE_BELOW = 3
#: Cap applied when the answer instructs the grader (rating guide: "usually 1").
INSTRUCTION_CAP = 2
#: Cap when a counterproductive behaviour is present ("a reasonable step
#: outweighed by a poor one" is a 2).
SEVERE_CAP = 2
#: Cap without a "beyond the obvious" indicator (anchor 5 requires one).
NO_BEYOND_CAP = 4
#: Cap without any positive evidence ("naming is not doing": at most 2).
NO_EVIDENCE_CAP = 2
#: The design used when none is named: ``"semantic"`` (cue features and
#: sentence meaning, see :mod:`bot.scoring.semantic`), which agrees best with
#: raters on writers it was not fitted on (``docs/scoring.md``); ``None``
#: would mean the cue design selected in ``params.json``.
DEFAULT_DESIGN: str | None = "semantic"
#: The calibrated cue design that supplies the "other" ratings and the cue
#: features of the semantic design.
CUE_DESIGN = "indicators_calibrated"
#: The rating guide's anchors (``shared/spec/rating_guide.md``): what the
#: next rating up needs, shown in every explanation.
NEXT_UP = {
    1: "a 2 needs at least a step that shows the competency",
    2: "a 3 needs a reasonable intention for this competency, with nothing outweighing it",
    3: "a 4 needs specific, effective actions for this competency",
    4: "a 5 needs several specific actions and something beyond the obvious: a follow-up, a check or a reason",
}
#: Semantic ratings without any cue-matched action stop here: meaning alone
#: may show a reasonable intention (3), not specific actions ("naming is not
#: doing").
SEMANTIC_NO_CUE_CAP = 3
#: A cue-matched step with nothing against it is at least a 2 (rating
#: guide: "a 2 needs at least a step that shows the competency").
SEMANTIC_STEP_FLOOR = 2
#: Two distinct cue-matched actions with nothing against them are at least a
#: 3 (rating guide: a 4 is "specific, effective actions ... nothing
#: counterproductive", so two of them are no less than adequate). Measured:
#: +0.003 QWK held out by writer, +0.006 by scenario (docs/scoring.md § 2.2.0).
SEMANTIC_TWO_STEP_FLOOR = 3
#: Sentences named in a semantic explanation.
EXPLAIN_SENTENCES = 2


def semantic_caps(rating: int, cue: dict[str, float], flags: set[str]) -> tuple[int | None, list[str]]:
    """The rating guide's rules applied to a semantic rating.

    Args:
        rating: The head's rating, 1-5.
        cue: The competency's cue features (``a_severe``, ``a_sum``,
            ``f_core``, ``f_beyond`` and ``n_for`` are read).
        flags: The answer's flags.

    Returns:
        (rating or ``None`` for insufficient evidence, the reasons applied).
        An answer in a language the scorer cannot read is insufficient
        evidence, never a 1; an instruction to the grader or a
        counterproductive behaviour caps the rating at 2. Unlike the cue
        design, a 5 is not capped for want of a "beyond the obvious" cue:
        raters give 5s for follow-ups and checks told in words no cue
        knows, and the cap cost agreement (``docs/scoring.md``).
    """
    if "other_language" in flags:
        return None, ["insufficient evidence: written in a language the scorer cannot read"]
    why: list[str] = []
    if "instructs_grader" in flags and rating > INSTRUCTION_CAP:
        rating = INSTRUCTION_CAP
        why.append(f"capped at {INSTRUCTION_CAP}: answer instructs the grader")
    if cue.get("a_severe", 0.0) > 0 and rating > SEVERE_CAP:
        rating = SEVERE_CAP
        why.append(f"capped at {SEVERE_CAP}: counterproductive behaviour")
    shown = cue.get("f_core", 0.0) + cue.get("f_beyond", 0.0) > 0
    clean = cue.get("a_sum", 0.0) <= 0 and "instructs_grader" not in flags
    if clean and cue.get("n_for", 0.0) >= 2 and rating < SEMANTIC_TWO_STEP_FLOOR:
        rating = SEMANTIC_TWO_STEP_FLOOR
        why.append(f"raised to {SEMANTIC_TWO_STEP_FLOOR}: two distinct actions for the competency, nothing against")
    if clean and shown and rating < SEMANTIC_STEP_FLOOR:
        rating = SEMANTIC_STEP_FLOOR
        why.append(f"raised to {SEMANTIC_STEP_FLOOR}: a step that shows the competency, nothing against it")
    if not shown and rating > SEMANTIC_NO_CUE_CAP:
        rating = SEMANTIC_NO_CUE_CAP
        why.append(f"capped at {SEMANTIC_NO_CUE_CAP}: no specific action named for this competency")
    return rating, why


#: "Other" competencies (outside the question's pair) are rated only on
#: strong evidence: at least OTHER_MIN_CORE distinct specific actions of that
#: competency (indicators of weight >= OTHER_CORE_WEIGHT, not "beyond"), each
#: shown by its own words, no evidence against it, and a resulting rating of
#: at least OTHER_MIN_RATING, spread over at least two sentences. Only answers
#: that engage with the question (positive evidence on its primary
#: competency) of at least OTHER_MIN_WORDS words are searched.
OTHER_MIN_CORE = 3
OTHER_CORE_WEIGHT = 0.8
OTHER_MIN_RATING = 4
OTHER_MIN_WORDS = 25
#: Flags under which no "other" competency is reported.
OTHER_BLOCKING_FLAGS = (
    "gibberish",
    "copies_question",
    "off_topic",
    "script",
    "instructs_grader",
    "keyword_list",
    "other_language",
)


class Scorer:
    """Score free-text answers against a question's rubric.

    Args:
        design: Name of the calibrated design to use (default: the one
            selected in ``params.json``).
        embeddings: Load the embedding model (needed by designs that use
            embeddings and for the off-topic check); ``None`` = load it.
        encoder: An already loaded :class:`bot.scoring.embeddings.Encoder`.
        other_rubrics: Question id -> rubric mapping whose competency blocks
            are used to recognise competencies outside a question's pair
            ("other" ratings); default: the bank's rubric files, read on first
            use; ``{}`` turns "other" ratings off.

    Raises:
        bot.scoring.embeddings.ModelChecksumError: A model file differs from
            its pinned SHA-256.
        bot.scoring.embeddings.ModelMissingError: A model file is missing.
        ValueError: ``params.json`` is malformed or the design is unknown.
    """

    def __init__(
        self,
        design: str | None = None,
        embeddings: bool | None = None,
        encoder: Any = None,
        other_rubrics: dict[str, Any] | None = None,
    ) -> None:
        selected, designs = load_designs()
        name = design or DEFAULT_DESIGN or selected
        self.head: SemanticHead | None = None
        if name == "semantic":
            self.head = load_head()
            self.model: LinearOrdinal = designs[CUE_DESIGN]
            embeddings = True
        elif name in designs:
            self.model = designs[name]
        else:
            raise ValueError(f"unknown scoring design {name!r}; known: {sorted(designs) + ['semantic']}")
        self.design = name
        if encoder is None and (embeddings is None or embeddings or self.model.uses_embeddings):
            from bot.scoring.embeddings import Encoder

            encoder = Encoder()
        self.encoder = encoder
        self._example_cache: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        #: Compute the embedding feature and the sentence vectors even if the
        #: design does not use them (for fitting, see :mod:`bot.scoring.fit`
        #: and :mod:`bot.scoring.fit_semantic`).
        self.always_embed = False
        #: Features of the last scored answer: competency -> (features, set by
        #: a rule?); read by :mod:`bot.scoring.fit`.
        self.last_features: dict[str, tuple[dict[str, float], bool]] = {}
        #: Sentence vectors of the last scored answer (semantic design or
        #: ``always_embed``); read by :mod:`bot.scoring.fit_semantic`.
        self.last_vectors: AnswerVectors | None = None
        self._other_rubrics = other_rubrics
        self._other: CompiledRubric | None = None
        self._other_combined: dict[str, list[re.Pattern[str]]] | None = None

    # ------------------------------------------------------------------ public

    def score(self, answer_text: str, question: Any) -> ScoreResult:
        """Score one answer.

        Args:
            answer_text: The candidate's answer; any string (non-strings are
                converted with ``str``).
            question: A :class:`bot.bank.files.QuestionSpec` (uses ``id``,
                ``primary``, ``secondary``, ``variants``, ``rubric``).

        Returns:
            The :class:`ScoreResult`; ratings hold at least the primary and
            secondary competency. On an internal error the ratings are
            ``None`` and the flag ``scorer_error`` is set (logged).
        """
        comps = [question.primary, question.secondary]
        try:
            return self._score(answer_text, question, comps)
        except Exception:  # never raise into the chat
            log.exception("scoring failed for question %s", getattr(question, "id", "?"))
            return ScoreResult(
                question_id=str(getattr(question, "id", "")),
                ratings={
                    c: CompetencyRating(c, None, explanation="scorer error", role=r)
                    for c, r in zip(comps, ("primary", "secondary"), strict=False)
                },
                flags=["scorer_error"],
                needs_probe=False,
                scorer_version=SCORER_VERSION,
                rubric_version="",
                design=self.design,
            )

    # ----------------------------------------------------------------- private

    def _score(self, answer_text: str, question: Any, comps: list[str]) -> ScoreResult:
        self.last_features, self.last_vectors = {}, None
        if not isinstance(answer_text, str):
            answer_text = "" if answer_text is None else str(answer_text)
        rubric = compile_rubric(question.rubric, question.id)
        val = validity.check(answer_text, list(question.variants))
        flags = set(val.flags)
        roles = {question.primary: "primary", question.secondary: "secondary"}

        if "empty" in flags:
            ratings = {
                c: CompetencyRating(c, None, explanation="empty answer: insufficient evidence", role=roles[c])
                for c in comps
            }
            return self._result(question, rubric, ratings, flags, needs_probe=True)

        sents = sentences(val.norm)
        hits = match_indicators(rubric, comps, val.text, val.norm, sents, val.excluded)
        if any(h.negated for hs in hits.values() for h in hs):
            flags.add("negated_behaviour")
        any_hit = any(hits[c] for c in comps)
        kept = validity.outside_text(val.norm, val.excluded)

        topic = self._topic_words(rubric, question)
        if not any_hit and not flags & {"gibberish", "copies_question", "other_language"} and val.words:
            if self._off_topic(kept, topic, rubric, question):
                flags.add("off_topic")

        emb_level: dict[str, float] = {c: 0.0 for c in comps}
        if (self.model.uses_embeddings or self.always_embed) and self.encoder is not None and val.words:
            vec = self.encoder.encode(kept)
            ex_vecs, ex_ratings = self._examples(rubric, comps)
            for i, c in enumerate(comps):
                mask = ex_ratings[:, i] > 0
                emb_level[c] = example_level(vec, ex_vecs[mask], ex_ratings[mask, i])

        vecs = None
        if (self.head is not None or self.always_embed) and self.encoder is not None:
            anchors = [(h.evidence.start, h.evidence.end) for c in comps for h in hits[c]]
            vecs = read_answer(self.encoder, val, rubric, anchors, topic)
        self.last_vectors = vecs
        ratings: dict[str, CompetencyRating] = {}
        gaming = [f for f in GAMING_FLAGS if f in flags]
        only_excluded = not val.words and bool(flags & {"keyword_list", "instructs_grader", "markup"})
        for c in comps:
            evidence = [h.evidence for h in hits[c]]
            feats = competency_features(hits[c], roles[c] == "primary", emb_level[c])
            self.last_features[c] = (feats, bool(gaming or only_excluded))
            if self.model.uses_embeddings and val.words:
                evidence.append(self._emb_evidence(val.text, emb_level[c]))
            if "other_language" in flags and not flags & {"gibberish", "copies_question", "script"}:
                ratings[c] = CompetencyRating(
                    c,
                    None,
                    evidence,
                    None,
                    "insufficient evidence: written in a language the scorer cannot read",
                    roles[c],
                )
                continue
            if gaming or only_excluded:
                reason = ", ".join(gaming) or "nothing but " + "/".join(
                    sorted(flags & {"keyword_list", "instructs_grader", "markup"})
                )
                ratings[c] = CompetencyRating(c, 1, evidence, None, f"rated 1: {reason}", roles[c])
                continue
            if vecs is not None and self.head is not None:
                ratings[c] = self._rate_semantic(c, roles[c], feats, evidence, flags, vecs, rubric, val.text)
                continue
            ratings[c] = self._rate(c, roles[c], hits[c], feats, evidence, flags)

        engaged = any(h.evidence.polarity == "for" for h in hits[question.primary])
        if not gaming and not only_excluded and engaged:
            ratings.update(self._other_ratings(val, sents, flags, comps))

        # vague: nothing of the question's main competency, by cue or by meaning
        primary = ratings.get(question.primary)
        vague = not hits[question.primary] and (primary is None or (primary.rating or 0) < PROBE_BELOW)
        needs_probe = bool(
            not flags & {"instructs_grader", "copies_question", "script"}
            and ("too_short" in flags or len(val.words) < PROBE_WORDS or vague)
        )
        return self._result(question, rubric, ratings, flags, needs_probe)

    def _rate(
        self,
        comp: str,
        role: str,
        hits: list[Hit],
        feats: dict[str, float],
        evidence: list[Evidence],
        flags: set[str],
    ) -> CompetencyRating:
        model = self.model
        score = model.score(feats)
        rating = model.rate(score)
        parts = [f"{k} {v:+.2f}" for k, v in model.contributions(feats).items()]
        expl = f"score {score:.2f} = bias {model.bias:.2f} " + " ".join(parts) + f" -> {rating}"
        n_for = feats["f_core"] + feats["f_beyond"]
        caps: list[tuple[int, str]] = []
        if "instructs_grader" in flags:
            caps.append((INSTRUCTION_CAP, "answer instructs the grader"))
        if feats["a_severe"] > 0:
            caps.append((SEVERE_CAP, "counterproductive behaviour"))
        if n_for <= 0:
            caps.append((NO_EVIDENCE_CAP, "no behaviour shown for this competency"))
        if feats["f_beyond"] <= 0:
            caps.append((NO_BEYOND_CAP, "nothing beyond the obvious (follow-up, check, prevention, reason)"))
        for cap, why in caps:
            if rating > cap:
                rating = cap
                expl += f"; capped at {cap}: {why}"
        return CompetencyRating(comp, rating, evidence, score, expl, role)

    def _rate_semantic(
        self,
        comp: str,
        role: str,
        feats: dict[str, float],
        evidence: list[Evidence],
        flags: set[str],
        vecs: AnswerVectors,
        rubric: CompiledRubric,
        text: str,
    ) -> CompetencyRating:
        assert self.head is not None
        head = self.head
        score, meaning = head.score(feats, comp, vecs)
        rating = head.rate(score)
        expl = (
            f"score {score:.2f} = cue evidence and baseline {score - meaning:+.2f}, "
            f"meaning of the sentences {meaning:+.2f} -> {rating}"
        )
        evidence = evidence + self._sentence_evidence(comp, vecs, rubric, text)
        capped, why = semantic_caps(rating, feats, flags)
        if why:
            expl += "; " + "; ".join(why)
        if capped is not None:
            if capped < 5 and not why:
                gap = head.cutpoints[capped - 1] - score
                expl += f"; {NEXT_UP[capped]} (score {gap:+.2f} more)"
        return CompetencyRating(comp, capped, evidence, score, expl, role)

    def _sentence_evidence(self, comp: str, vecs: AnswerVectors, rubric: CompiledRubric, text: str) -> list[Evidence]:
        """The sentences that moved the semantic score most, each with its nearest indicator."""
        assert self.head is not None
        if not len(vecs.spans):
            return []
        contrib = self.head.sentence_contributions(vecs)
        centred = contrib - float(np.median(contrib)) if len(contrib) > 1 else contrib
        inds = [i for i in rubric.indicators.get(comp, ())]
        ind_vecs = self._indicator_vecs(rubric, comp)
        out: list[Evidence] = []
        for k in np.argsort(-np.abs(centred))[:EXPLAIN_SENTENCES]:
            span = vecs.spans[int(k)]
            polarity = "for" if contrib[k] >= 0 else "against"
            name, note = "meaning", "sentence read by meaning"
            if inds:
                sims = ind_vecs @ vecs.vectors[int(k)]
                best = inds[int(np.argmax(sims))]
                name = f"meaning:{best.id}"
                note = f"reads like: {best.text.lower()} ({'for' if best.polarity == 'for' else 'against'})"
            out.append(
                Evidence(
                    text[span.start : span.end],
                    span.start,
                    span.end,
                    name,
                    polarity,
                    round(float(abs(contrib[k])), 4),
                    note,
                )
            )
        return out

    def _indicator_vecs(self, rubric: CompiledRubric, comp: str) -> np.ndarray:
        key = "indicators:" + rubric.hash + "|" + comp
        if key not in self._example_cache:
            texts = [i.text for i in rubric.indicators.get(comp, ())]
            self._example_cache[key] = (self.encoder.encode_many(texts), np.zeros(0))
        return self._example_cache[key][0]

    def _other_rubric(self) -> CompiledRubric:
        """One compiled rubric holding every competency's indicators.

        Each competency's block is taken from the rubric where it is the
        primary competency (else the first rubric that has it).
        """
        if self._other is None:
            rubrics = self._other_rubrics
            if rubrics is None:
                try:
                    from bot.bank.files import read_bank

                    rubrics = {qid: q.rubric for qid, q in read_bank().questions.items()}
                except Exception:  # no bank: no "other" ratings
                    log.warning("question bank not readable; 'other' competencies are not rated")
                    rubrics = {}
            blocks: dict[str, Any] = {}
            for qid in sorted(rubrics):
                rub = rubrics[qid] or {}
                for comp, block in (rub.get("competencies") or {}).items():
                    if comp not in blocks or comp == rub.get("primary"):
                        blocks[comp] = block
            self._other = compile_rubric({"version": 1, "scenario": "*", "competencies": blocks}, "*")
        return self._other

    def _other_prefilter(self, rubric: CompiledRubric) -> dict[str, list[re.Pattern[str]]]:
        """Competency -> one combined regex per specific-action indicator."""
        if self._other_combined is None:
            self._other_combined = {
                c: [
                    re.compile("|".join(f"(?:{cue.pattern})" for cue in ind.cues))
                    for ind in inds
                    if ind.polarity == "for" and not ind.beyond and ind.weight >= OTHER_CORE_WEIGHT
                ]
                for c, inds in rubric.indicators.items()
            }
        return self._other_combined

    def _other_ratings(
        self, val: Any, sents: list[Any], flags: set[str], comps: list[str]
    ) -> dict[str, CompetencyRating]:
        """Ratings of competencies outside the question's pair with strong evidence."""
        if flags & set(OTHER_BLOCKING_FLAGS) or len(val.words) < OTHER_MIN_WORDS:
            return {}
        rubric = self._other_rubric()
        # cheap necessary condition first: enough distinct specific actions
        # matched at all (one combined regex per indicator, no negation yet)
        corrected = speller_for(rubric).correct(val.norm)
        text = corrected[0] if corrected else val.norm
        others = []
        for c, combined in self._other_prefilter(rubric).items():
            if c in comps:
                continue
            found = 0
            for i, rx in enumerate(combined):
                if len(combined) - i + found < OTHER_MIN_CORE:
                    break
                if rx.search(text):
                    found += 1
                    if found >= OTHER_MIN_CORE:
                        others.append(c)
                        break
        if not others:
            return {}
        hits = match_indicators(rubric, others, val.text, val.norm, sents, val.excluded)
        out: dict[str, CompetencyRating] = {}
        for c in others:
            hs = hits[c]
            if not hs or any(h.evidence.polarity == "against" for h in hs):
                continue
            # specific actions, each shown by its own words (a span shared
            # by two indicators counts once)
            spans: list[tuple[int, int]] = []
            core: set[str] = set()
            for h in hs:
                ind, ev = h.indicator, h.evidence
                if ind.beyond or ind.weight < OTHER_CORE_WEIGHT or ind.id in core:
                    continue
                if any(ev.start < b and a < ev.end for a, b in spans):
                    continue
                spans.append((ev.start, ev.end))
                core.add(ind.id)
            if len(core) < OTHER_MIN_CORE:
                continue
            starts = [x.start for x in sents]
            in_sents = {bisect_right(starts, a) for a, _ in spans}
            if len(in_sents) < 2:  # a list of phrases, not described actions
                continue
            distinct = {h.indicator.id for h in hs}
            feats = competency_features(hs, False)
            rated = self._rate(c, "other", hs, feats, [h.evidence for h in hs], flags)
            if rated.rating is not None and rated.rating >= OTHER_MIN_RATING:
                rated.explanation += f"; other competency: {len(distinct)} distinct behaviours shown, none against"
                out[c] = rated
        return out

    @staticmethod
    def _topic_words(rubric: CompiledRubric, question: Any) -> frozenset[str]:
        """Prefixes that place a word in the scenario: topic words, first 5 letters of the question's words."""
        q_words = {w[:5] for v in question.variants for w in content_words(v) if len(w) >= 4}
        return frozenset(rubric.topic) | q_words

    def _off_topic(self, kept: str, topic: frozenset[str], rubric: CompiledRubric, question: Any) -> bool:
        if any(w.startswith(t) for w in content_words(kept) for t in topic):
            return False
        if self.encoder is None:
            return True
        vec = self.encoder.encode(kept, max_tokens=128)
        refs = self._scenario_vecs(rubric, question)
        return float((refs @ vec).max()) < OFF_TOPIC_SIM

    def _scenario_vecs(self, rubric: CompiledRubric, question: Any) -> np.ndarray:
        key = "scenario:" + rubric.hash + "|" + "|".join(question.variants)
        if key not in self._example_cache:
            texts = list(question.variants) + [e.text for e in rubric.examples]
            self._example_cache[key] = (self.encoder.encode_many(texts), np.zeros(0))
        return self._example_cache[key][0]

    def _examples(self, rubric: CompiledRubric, comps: list[str]) -> tuple[np.ndarray, np.ndarray]:
        key = rubric.hash + "|" + "|".join(comps)
        if key not in self._example_cache:
            vecs = self.encoder.encode_many([e.text for e in rubric.examples])
            ratings = np.array(
                [[e.ratings.get(c, 0) for c in comps] for e in rubric.examples], dtype=np.float32
            ).reshape(len(rubric.examples), len(comps))
            self._example_cache[key] = (vecs, ratings)
        return self._example_cache[key]

    def _emb_evidence(self, text: str, level: float) -> Evidence:
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        return Evidence(
            text=text[start:end][:200],
            start=start,
            end=end,
            indicator="example_similarity",
            polarity="for" if level >= 0 else "against",
            strength=round(abs(level), 4),
            note=f"closest rubric examples rate it {level + 3:.2f}",
        )

    def _result(
        self,
        question: Any,
        rubric: CompiledRubric,
        ratings: dict[str, CompetencyRating],
        flags: set[str],
        needs_probe: bool,
    ) -> ScoreResult:
        return ScoreResult(
            question_id=str(question.id),
            ratings=ratings,
            flags=sorted(flags),
            needs_probe=needs_probe,
            scorer_version=SCORER_VERSION,
            rubric_version=rubric.version,
            design=self.design,
        )
