"""Who and where, masked before an answer's meaning is read.

A rating must not move when the customer in a candidate's story is called
Maria rather than Mr Chen, is "she" rather than "he", or lives in Lagos rather
than Leeds. Cue patterns never look at names, but a sentence embedding does:
the same sentence with another name lands elsewhere in the vector space, and
the semantic head (:mod:`bot.scoring.semantic`) turns that into a different
score. :func:`neutralise` rewrites a sentence so that these words no longer
reach the encoder:

- a run of capitalised words that does not open the sentence (with a title
  such as "Mr" or "Dr" in front) becomes one placeholder, :data:`PLACEHOLDER`,
  except the pronoun "I", weekdays and months, acronyms in capitals ("HR",
  "VAT") and words the rubrics use (``keep``), so that "I told the HR team
  on Monday" keeps its meaning;
- third-person pronouns become the plural form ("she" -> "they", "his" /
  "her" / "him" -> "them"), so that gender does not move the vector.

This is the counterfactual-fairness idea of Kusner et al. (2017, "Counterfactual
Fairness", NeurIPS) applied at the input, as in Garg et al. (2019,
"Counterfactual Fairness in Text Classification through Robustness"):
identity terms are replaced by a neutral token before the model reads them.
A name that opens a sentence is left as it is (it cannot be told from an
ordinary capitalised first word); the invariance tests pin the behaviour.
"""

from __future__ import annotations

import re

from bot.scoring.rubric import CompiledRubric
from bot.scoring.spelling import cue_vocabulary

#: What a masked name or place becomes.
PLACEHOLDER = "someone"
#: Words never masked although capitalised.
CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)
_TITLES = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Madam)\.?"
_NAME_RUN_RE = re.compile(rf"(?:\b{_TITLES}\s+)?\b[A-Z][a-z]+(?:['\u2019]s)?(?:[ -][A-Z][a-z]+(?:['\u2019]s)?)*\b")
_TITLE_ONLY_RE = re.compile(rf"\b{_TITLES}(?=\s|$)")
_SUBJECT_RE = re.compile(r"\b(?:he|she)\b", re.IGNORECASE)
_OTHER_RE = re.compile(r"\b(?:him|her|his|hers|their|theirs)\b", re.IGNORECASE)
_REFLEXIVE_RE = re.compile(r"\b(?:himself|herself)\b", re.IGNORECASE)
_FIRST_WORD_RE = re.compile(r"^\W*")


def neutralise(sentence: str, keep: frozenset[str] = frozenset()) -> str:
    """The sentence with names, places and gendered pronouns neutralised.

    Args:
        sentence: One sentence (its first word is taken as capitalised by
            position, not as a name).
        keep: Lower-case words never masked (the rubrics' vocabulary).

    Returns:
        The rewritten sentence (its length may differ: never use its offsets).
    """
    first = len(_FIRST_WORD_RE.match(sentence).group(0))  # type: ignore[union-attr]

    def mask(m: re.Match[str]) -> str:
        words = re.split(r"[ -]", m.group(0))
        if m.start() == first and not _TITLE_ONLY_RE.match(m.group(0)):
            # the sentence's first word is capitalised by position: keep it,
            # mask what follows it only if that is a name run of its own
            head, rest = words[0], words[1:]
            tail = " ".join(rest)
            return head + (" " + neutralise_run(tail, keep) if tail else "")
        return neutralise_run(m.group(0), keep)

    out = _NAME_RUN_RE.sub(mask, sentence)
    out = _SUBJECT_RE.sub("they", out)
    out = _OTHER_RE.sub("them", out)
    return _REFLEXIVE_RE.sub("themselves", out)


def neutralise_run(run: str, keep: frozenset[str]) -> str:
    """One capitalised run -> the placeholder, or itself if it holds a kept word.

    A run such as "Maria Lopez" or "Mr Chen" is one person: it becomes one
    :data:`PLACEHOLDER`. A run with a word of ``keep``, a calendar word or
    "I" is left alone.
    """
    if not run:
        return run
    words = [w.split("'")[0].split("\u2019")[0] for w in re.split(r"[ -]", run)]
    names = [w for w in words if not _TITLE_ONLY_RE.fullmatch(w)]
    if not names or any(w.lower() in keep or w.lower() in CALENDAR or w == "I" for w in names):
        return run
    return PLACEHOLDER + ("'s" if re.search(r"['\u2019]s$", run) else "")


_KEEP: dict[str, frozenset[str]] = {}


def rubric_words(rubric: CompiledRubric) -> frozenset[str]:
    """The lower-case words a rubric uses (cue literals, indicator texts, topic words); cached by hash."""
    words = _KEEP.get(rubric.hash)
    if words is None:
        patterns = [c.pattern for inds in rubric.indicators.values() for ind in inds for c in ind.cues]
        texts = " ".join(ind.text for inds in rubric.indicators.values() for ind in inds)
        words = cue_vocabulary(patterns) | set(re.findall(r"[a-z]+", texts.lower())) | set(rubric.topic)
        _KEEP[rubric.hash] = words = frozenset(words)
    return words
