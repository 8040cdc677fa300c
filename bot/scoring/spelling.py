"""Tolerate common misspellings of rubric cue words, deterministically.

Rubric cues are regular expressions, so "apolgise", "calender" or "recieve"
would miss the cue words "apologi[sz]e", "calendar", "receive". Before the
cues are matched, each answer word that is *not* a known English word and
does not already start with a cue word is compared with the rubric's cue
vocabulary (the literal letter runs of its cues, >= 5 letters). If exactly one
cue word is one typing slip away from the start of the answer word, the
answer word is rewritten to that cue word (plus its own ending) in a
corrected copy of the answer, and the cues are matched on that copy. Spans
are mapped back to the candidate's own words.

A typing slip is one of (Damerau, 1964): a dropped letter, an extra letter,
two neighbouring letters swapped, or one vowel written as another vowel.
Consonant substitutions are not allowed ("listed" is not "listen"), words
shorter than 5 letters are never touched, and the first letter must agree.
"Known English word" = a whole-word entry of the MiniLM WordPiece vocabulary
(``tokenizer.json`` of the pinned embedding model, ~22,000 English words), so
a real word is never "corrected" into a cue word.

Cost: one dictionary probe per unknown word (a deletion index, SymSpell-style;
Garbe 2012), so this adds well under a millisecond per answer.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from bot.scoring.rubric import CompiledRubric
from bot.scoring.text import word_spans

MIN_LEN = 5
#: Words longer than this are never corrected (no cue word is that long;
#: keeps the cost linear in the answer length).
MAX_LEN = 24
#: Corrections remembered per rubric (cleared when full).
MEMO_SIZE = 50_000
_VOWELS = frozenset("aeiouy")
_ESCAPE_RE = re.compile(r"\\[a-zA-Z]|\[[^\]]*\]|\{[^}]*\}|\(\?[:!=<]+")
_LETTERS_RE = re.compile(rf"[a-z]{{{MIN_LEN},}}")


@lru_cache(maxsize=1)
def known_words() -> frozenset[str]:
    """Whole English words of the embedding model's WordPiece vocabulary.

    Returns:
        Lower-case alphabetic vocabulary entries (no ``##`` pieces); empty if
        the tokenizer package is not installed (then every unknown word of
        >= 5 letters may be corrected).
    """
    try:
        from bot.scoring.embeddings import default_paths

        _, tok_path = default_paths()
        vocab = json.loads(tok_path.read_text(encoding="utf-8"))["model"]["vocab"]
    except Exception:  # pragma: no cover - package missing
        return frozenset()
    return frozenset(w for w in vocab if w.isalpha() and w.isascii())


def cue_vocabulary(patterns: list[str]) -> frozenset[str]:
    """Literal letter runs (>= 5 letters) of regex sources."""
    out: set[str] = set()
    for src in patterns:
        out.update(_LETTERS_RE.findall(_ESCAPE_RE.sub(" ", src)))
    return frozenset(out)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Speller:
    """Corrects answer words towards one rubric's cue vocabulary."""

    def __init__(self, vocab: frozenset[str]) -> None:
        self.vocab = vocab
        self.max_stem = max((len(v) for v in vocab), default=0)
        self.index: dict[str, set[str]] = {}
        for stem in vocab:
            self.index.setdefault(stem, set()).add(stem)
            for d in _deletes(stem):
                self.index.setdefault(d, set()).add(stem)
        self.known = known_words()
        self._memo: dict[str, str | None] = {}

    def correct_word(self, word: str) -> str | None:
        """The corrected word, or None if it is fine / not correctable."""
        if word in self._memo:
            return self._memo[word]
        fixed = self._correct(word)
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
        self._memo[word] = fixed
        return fixed

    def _correct(self, word: str) -> str | None:
        if not MIN_LEN <= len(word) <= MAX_LEN or not word.isalpha() or not word.isascii() or word in self.known:
            return None
        if word in self.vocab:
            return None
        # a cue word the answer word already starts with: only a longer one may win
        have = max((len(p) for p in self._prefixes(word)), default=0)
        found: dict[str, str] = {}
        for n in range(MIN_LEN - 1, min(len(word), self.max_stem + 1) + 1):
            head, tail = word[:n], word[n:]
            for cand in self._candidates(head):
                if len(cand) > have and cand[0] == head[0] and cand != head and _slip(head, cand):
                    fixed = cand + tail
                    if len(cand) > len(found.get(fixed, "")):
                        found[fixed] = cand
        if not found:
            return None
        best = max(len(c) for c in found.values())
        winners = sorted((abs(len(f) - len(word)), f) for f, c in found.items() if len(c) == best)
        if len({found[f] for _, f in winners}) != 1:
            return None  # two different cue words are equally close: leave it
        return winners[0][1]

    def _prefixes(self, word: str) -> list[str]:
        return [word[:n] for n in range(MIN_LEN, len(word) + 1) if word[:n] in self.vocab]

    def _candidates(self, head: str) -> set[str]:
        out = set(self.index.get(head, ()))
        for d in _deletes(head):
            out |= self.index.get(d, set())
        return out

    def correct(self, norm: str) -> tuple[str, list[int]] | None:
        """Corrected copy of ``norm`` and the map corrected offset -> original.

        Returns:
            ``(text, offsets)`` with ``len(offsets) == len(text) + 1``, or
            ``None`` when no word was corrected (match on ``norm`` itself).
        """
        pieces: list[str] = []
        offsets: list[int] = []
        pos = 0
        changed = False
        for start, end in word_spans(norm):
            fixed = self.correct_word(norm[start:end])
            if fixed is None:
                continue
            changed = True
            pieces.append(norm[pos:start])
            offsets.extend(range(pos, start))
            pieces.append(fixed)
            # every character of the corrected word maps into the original word
            offsets.extend(min(start + i, end - 1) for i in range(len(fixed)))
            pos = end
        if not changed:
            return None
        pieces.append(norm[pos:])
        offsets.extend(range(pos, len(norm) + 1))
        return "".join(pieces), offsets


def _slip(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` differ by exactly one typing slip."""
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            i = diff[0]
            return a[i] in _VOWELS and b[i] in _VOWELS
        if len(diff) == 2:
            i, j = diff
            return j == i + 1 and a[i] == b[j] and a[j] == b[i]
        return False
    short, long_ = (a, b) if la < lb else (b, a)
    for i in range(len(long_)):
        if long_[:i] + long_[i + 1 :] == short:
            return True
    return False


_SPELLERS: dict[str, Speller] = {}


def speller_for(rubric: CompiledRubric) -> Speller:
    """The (cached) speller of a rubric's cue vocabulary."""
    sp = _SPELLERS.get(rubric.hash)
    if sp is None:
        patterns = [c.pattern for inds in rubric.indicators.values() for ind in inds for c in ind.cues]
        sp = _SPELLERS[rubric.hash] = Speller(cue_vocabulary(patterns))
    return sp
