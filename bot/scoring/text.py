"""Text normalisation and segmentation that keep character offsets.

Every function here keeps a 1:1 mapping between the normalised text and the
original answer, so evidence spans found in the normalised text are offsets
into the candidate's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Characters mapped one-to-one before matching (curly quotes, dashes).
_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\t": " ",
        "\r": " ",
    }
)

#: Maximum answer length considered, in characters. Longer answers are scored
#: on their first MAX_CHARS characters (flag ``too_long``); 20,000 characters
#: is about 3,500 words, far beyond any spoken answer.
MAX_CHARS = 20_000

_WORD_RE = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*", re.UNICODE)
_SENT_END_RE = re.compile(r"(?<=[.!?;])[\"')\]]*\s+|\n+|(?<=[.!?])(?=[A-Z])")
_CLAUSE_RE = re.compile(r"[,;:()\[\]\"]|\s-\s|\bbut\b|\bthough\b|\bhowever\b")


def unify(text: str) -> str:
    """Curly quotes and dashes made plain, case kept; same length as ``text``."""
    return text.translate(_CHAR_MAP)


def normalise(text: str) -> str:
    """Lower-case and unify quotes/dashes, keeping ``len`` and offsets.

    Args:
        text: Any string.

    Returns:
        A string of the same length where ``result[i]`` is the normalised form
        of ``text[i]`` (characters whose lower-case form has another length,
        e.g. ``"İ"``, are kept as they are).
    """
    out = []
    for ch in unify(text):
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
    return "".join(out)


@dataclass(frozen=True)
class Span:
    """A span of the answer: ``text == answer[start:end]``."""

    start: int
    end: int
    text: str


def sentences(text: str) -> list[Span]:
    """Split text into sentences (also at ``;`` and line breaks).

    Args:
        text: The (normalised or original) answer.

    Returns:
        Non-empty spans, in order, stripped of surrounding whitespace.
    """
    spans: list[Span] = []
    pos = 0
    for match in _SENT_END_RE.finditer(text):
        _add_span(spans, text, pos, match.start())
        pos = match.end()
    _add_span(spans, text, pos, len(text))
    return spans


def _add_span(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append(Span(start, end, text[start:end]))


def words(text: str) -> list[str]:
    """Alphabetic words (letters, inner apostrophes/hyphens), lower-cased."""
    return [w.lower() for w in _WORD_RE.findall(text)]


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the words of :func:`words`."""
    return [(m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def clause_start(text: str, pos: int, floor: int = 0) -> int:
    """Offset where the clause containing ``pos`` starts.

    A clause ends at punctuation (``, ; : ( ) "``), a spaced dash, or
    "but/though/however".

    Args:
        text: Normalised text.
        pos: An offset in ``text``.
        floor: Do not look before this offset (the sentence start).

    Returns:
        The clause start offset, ``floor <= result <= pos``.
    """
    start = floor
    for match in _CLAUSE_RE.finditer(text, floor, pos):
        start = match.end()
    return start


#: Content-free words ignored when comparing an answer with the question.
STOPWORDS = frozenset(
    """a an the and or but if then so to of in on at for by with from as is are was were be been being
    it its this that these those there here i me my we our you your he she they them their his her
    would will could can should do does did done have has had not no yes what how when where who why
    which while about into out up down over again also just very really than too some any all each
    i'd i'll i'm i've id im ive it's dont don't""".split()
)


def content_words(text: str) -> list[str]:
    """Words of :func:`words` minus :data:`STOPWORDS`."""
    return [w for w in words(text) if w not in STOPWORDS]
