"""From ranked sentences to a short answer.

No trained model: the question word decides what kind of answer is wanted,
regular patterns find candidates of that kind in the best sentences, and the
candidate nearest to the question's own words (and not part of them) wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.tokenize import STOP_WORDS, Tokenizer

MAX_ANSWER_WORDS = 12

NUMBER = "number"
DATE = "date"
PERSON = "person"
PLACE = "place"
ENTITY = "entity"
REASON = "reason"
OTHER = "other"

_TYPE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\bhow (many|much|long|far|old|large|big|tall|high)\b|\bwhat (number|percentage|amount|proportion)\b",
            re.I,
        ),
        NUMBER,
    ),
    (
        re.compile(
            r"\bwhen\b|\bwhat (year|date|day|time|month|decade|century)\b|\b(which|what) (years?|dates?|days?|months?)\b|\bhow long ago\b",
            re.I,
        ),
        DATE,
    ),
    (re.compile(r"\bwho(m|se)?\b|\bwhat(?:'s| is) the name of\b", re.I), PERSON),
    (
        re.compile(
            r"\bwhere\b|\b(which|what) (country|city|region|state|town|place|area|province|continent)\b",
            re.I,
        ),
        PLACE,
    ),
    (
        re.compile(
            r"\bwhich (\w+ )?(agency|company|organi[sz]ation|group|newspaper|team|party|university|outlet)\b",
            re.I,
        ),
        ENTITY,
    ),
    (re.compile(r"\bwhy\b", re.I), REASON),
)

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    "hundred|hundreds|thousand|thousands|dozen|dozens|million|millions|billion|billions"
)
_QUANT_PREFIX = (
    r"(?:(?:more|fewer|less) than|over|under|about|around|nearly|almost|at least|at most|some|"
    r"approximately|roughly|up to|an additional|another|additional)\s+"
)
_NUMBER_RE = re.compile(
    rf"(?:{_QUANT_PREFIX})?(?:[$£€]\s?)?(?:\d[\d,]*(?:\.\d+)?|\b(?:{_NUMBER_WORDS})\b)"
    rf"(?:[\s-]+(?:{_NUMBER_WORDS}|percent|per cent)\b|%)*",
    re.I,
)
_DATE_RE = re.compile(
    rf"\b(?:(?:early|mid|late|in|on|since|by)\s+)?(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?"
    rf"|(?:early |mid-?|late )?(?:{_MONTHS})(?:\s+(?:and|or|to)\s+(?:{_MONTHS}))?(?:\s+\d{{4}})?"
    rf"|(?:spring|summer|autumn|fall|winter)\s+\d{{4}}"
    rf"|\d{{4}}(?:s)?(?:\s+(?:and|to|-|–)\s+\d{{4}})?"
    rf"|\d{{1,2}}(?::\d{{2}})?\s*[ap]\.?m\.?"
    rf"|(?:last|next|this|earlier|later) (?:week|month|year|day|decade)|yesterday|today|tomorrow)\b",
    re.I,
)
_NAME_RE = re.compile(
    r"\b[A-Z][\w’'\-]*(?:\s+(?:of|de|da|von|van|al|bin|the|and)?\s*[A-Z][\w’'\-]*)*"
)
_PLACE_PREFIX = re.compile(r"\b(?:in|at|to|from|near|into|across|inside|outside)\s+$", re.I)
_CLAUSE_SPLIT = re.compile(
    r"[,;:()“”\"]|\s[–—-]\s|\b(?:which|who|that|because|while|although|as)\b"
)


@dataclass(frozen=True, slots=True)
class Candidate:
    text: str
    start: int
    end: int


def question_type(question: str) -> str:
    for pattern, kind in _TYPE_RULES:
        if pattern.search(question):
            return kind
    return OTHER


def extract_answer(question: str, kind: str, sentence: str, tokenizer: Tokenizer) -> str | None:
    """The short answer inside ``sentence``, or None when nothing fits ``kind``."""
    question_tokens = set(tokenizer.tokens(question))
    candidates = _candidates(kind, sentence)
    candidates = [c for c in candidates if _novel(c.text, question_tokens, tokenizer)]
    if not candidates:
        if kind in (NUMBER, DATE):
            return None
        return _best_clause(sentence, question_tokens, tokenizer)
    anchors = _anchor_positions(sentence, question_tokens, tokenizer)
    best = min(candidates, key=lambda c: (_distance(c, anchors), c.start))
    return _trim(best.text)


def _candidates(kind: str, sentence: str) -> list[Candidate]:
    if kind == NUMBER:
        return [
            _with_unit(m, sentence)
            for m in _NUMBER_RE.finditer(sentence)
            if _is_quantity(m.group())
        ]
    if kind == DATE:
        return [
            Candidate(m.group().strip(), m.start(), m.end()) for m in _DATE_RE.finditer(sentence)
        ]
    if kind in (PERSON, ENTITY):
        return [c for c in _names(sentence) if not _DATE_RE.fullmatch(c.text)]
    if kind == PLACE:
        names = _names(sentence)
        placed = [
            c for c in names if _PLACE_PREFIX.search(sentence[max(0, c.start - 12) : c.start])
        ]
        return placed or names
    return []


def _is_quantity(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    # Bare years are dates, not counts.
    return not (len(digits) == 4 and digits.startswith(("19", "20")) and "," not in text)


def _with_unit(match: re.Match[str], sentence: str) -> Candidate:
    """Extend "3,000" with the noun it counts: "3,000 North Korean troops"."""
    end = match.end()
    words = list(re.finditer(r"[A-Za-z][\w\-’']*", sentence[end:]))[:4]
    unit_end = end
    for word in words:
        if word.start() - (unit_end - end) > 2 or word.group().lower() in STOP_WORDS:
            break
        unit_end = end + word.end()
        if word.group()[0].islower():
            break
    return Candidate(sentence[match.start() : unit_end].strip(), match.start(), unit_end)


def _names(sentence: str) -> list[Candidate]:
    out = []
    for match in _NAME_RE.finditer(sentence):
        text = match.group().strip()
        if match.start() == 0 and " " not in text and text.lower() in STOP_WORDS:
            continue
        out.append(Candidate(text, match.start(), match.end()))
    return out


def _novel(text: str, question_tokens: set[str], tokenizer: Tokenizer) -> bool:
    """A candidate made only of the question's own words answers nothing."""
    tokens = tokenizer.tokens(text)
    if not tokens:
        return False
    return any(t not in question_tokens for t in tokens)


def _anchor_positions(sentence: str, question_tokens: set[str], tokenizer: Tokenizer) -> list[int]:
    positions = []
    for match in re.finditer(r"\S+", sentence):
        if any(t in question_tokens for t in tokenizer.tokens(match.group())):
            positions.append(match.start())
    return positions


def _distance(candidate: Candidate, anchors: list[int]) -> int:
    if not anchors:
        return 0
    return min(
        0
        if candidate.start <= a < candidate.end
        else min(abs(a - candidate.start), abs(a - candidate.end))
        for a in anchors
    )


def _best_clause(sentence: str, question_tokens: set[str], tokenizer: Tokenizer) -> str | None:
    """The clause with the most new words next to the question's words."""
    parts = [p.strip() for p in _CLAUSE_SPLIT.split(sentence) if p and p.strip()]
    best: tuple[float, str] | None = None
    for part in parts:
        tokens = tokenizer.tokens(part)
        if not tokens:
            continue
        shared = sum(t in question_tokens for t in tokens)
        new = len(tokens) - shared
        if new == 0:
            continue
        score = shared + 0.5 * min(new, 4) - 0.05 * len(tokens)
        if best is None or score > best[0]:
            best = (score, part)
    return _trim(best[1]) if best else None


def _trim(text: str) -> str:
    words = text.strip(" ,.;:").split()
    if len(words) > MAX_ANSWER_WORDS:
        words = words[:MAX_ANSWER_WORDS]
        return " ".join(words) + "…"
    return " ".join(words)
