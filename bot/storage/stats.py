"""Figures for a period, computed from plain rows so every backend shares the arithmetic.

A backend fetches narrow rows (:class:`QuestionRow`, :class:`VoteRow`) and calls
:func:`compute_stats`. Near-identical unanswered questions are grouped with
:func:`group_questions`: the same words after normalising, or a high token
overlap, or a high :mod:`difflib` ratio for typos.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from difflib import SequenceMatcher
from typing import NamedTuple

TOP_N = 5
TOKEN_OVERLAP = 0.75  # Jaccard overlap of word sets that makes two questions one group
TYPO_RATIO = 0.88  # difflib ratio of the normalised texts that makes two questions one group
MAX_GROUPED = 2000  # distinct unanswered questions considered for grouping
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_FILLER = frozenset({"the", "a", "an", "please", "pls", "bot", "articlebot"})


class QuestionRow(NamedTuple):
    asked_at: float  # UTC epoch seconds
    found: bool
    latency_ms: float
    article_id: str | None


class VoteRow(NamedTuple):
    """The votes of one logged answer."""

    question: str
    answer: str | None
    sentence_id: str | None
    helpful: int
    not_helpful: int


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    """Near-identical questions: the most frequent wording and the total count."""

    text: str
    count: int
    variants: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FlaggedAnswer:
    """One answer (same short answer from the same sentence) and its votes."""

    answer: str
    question: str
    sentence_id: str | None
    not_helpful: int
    helpful: int


@dataclass(frozen=True, slots=True)
class ArticleCount:
    article_id: str
    questions: int


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    answered: int
    refused: int


@dataclass(frozen=True, slots=True)
class Stats:
    since: datetime
    until: datetime
    guild_id: int | None
    questions: int
    answered: int
    refused: int
    helpful_votes: int
    not_helpful_votes: int
    p95_latency_ms: float | None
    top_unanswered: tuple[QuestionGroup, ...] = ()
    not_helpful: tuple[FlaggedAnswer, ...] = ()
    top_articles: tuple[ArticleCount, ...] = ()
    per_day: tuple[DayCount, ...] = field(default_factory=tuple)
    articles_added: int = 0  # article events of the period (/article add, articlebot add)
    articles_removed: int = 0

    @property
    def days(self) -> int:
        return max(1, (self.until.date() - self.since.date()).days + 1)

    @property
    def answered_share(self) -> float | None:
        return self.answered / self.questions if self.questions else None

    @property
    def refused_share(self) -> float | None:
        return self.refused / self.questions if self.questions else None

    @property
    def helpful_ratio(self) -> float | None:
        votes = self.helpful_votes + self.not_helpful_votes
        return self.helpful_votes / votes if votes else None

    def to_json(self) -> dict[str, object]:
        return {
            "since": self.since.isoformat(),
            "until": self.until.isoformat(),
            "days": self.days,
            "guild_id": self.guild_id,
            "questions": self.questions,
            "answered": self.answered,
            "refused": self.refused,
            "answered_share": _round(self.answered_share),
            "refused_share": _round(self.refused_share),
            "helpful_votes": self.helpful_votes,
            "not_helpful_votes": self.not_helpful_votes,
            "helpful_ratio": _round(self.helpful_ratio),
            "p95_latency_ms": _round(self.p95_latency_ms, 1),
            "top_unanswered": [
                {"question": g.text, "count": g.count, "variants": list(g.variants)}
                for g in self.top_unanswered
            ],
            "not_helpful": [
                {
                    "answer": f.answer,
                    "question": f.question,
                    "sentence_id": f.sentence_id,
                    "not_helpful": f.not_helpful,
                    "helpful": f.helpful,
                }
                for f in self.not_helpful
            ],
            "top_articles": [
                {"article_id": a.article_id, "questions": a.questions} for a in self.top_articles
            ],
            "per_day": [
                {"day": d.day.isoformat(), "answered": d.answered, "refused": d.refused}
                for d in self.per_day
            ],
            "articles_added": self.articles_added,
            "articles_removed": self.articles_removed,
        }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def period(days: int, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The ``days`` whole UTC days ending with today: [midnight ``days - 1`` days ago, now]."""
    if days < 1:
        raise ValueError("a period is at least one day")
    until = (now or datetime.now(UTC)).astimezone(UTC)
    first = until.date() - timedelta(days=days - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=UTC)
    return since, until


def compute_stats(
    *,
    since: datetime,
    until: datetime,
    guild_id: int | None,
    rows: Iterable[QuestionRow],
    unanswered: Iterable[tuple[str, int]],
    votes: Iterable[VoteRow],
    article_events: tuple[int, int] = (0, 0),
    top_n: int = TOP_N,
) -> Stats:
    """The figures for one period from its question rows, refused texts with counts, votes
    and the (added, removed) counts of its article events."""
    rows = list(rows)
    answered = sum(1 for r in rows if r.found)
    per_day: dict[date, list[int]] = {}
    day = since.astimezone(UTC).date()
    while day <= until.astimezone(UTC).date():
        per_day[day] = [0, 0]
        day += timedelta(days=1)
    articles: Counter[str] = Counter()
    for row in rows:
        counts = per_day.setdefault(datetime.fromtimestamp(row.asked_at, UTC).date(), [0, 0])
        counts[0 if row.found else 1] += 1
        if row.article_id:
            articles[row.article_id] += 1
    vote_rows = list(votes)
    return Stats(
        since=since,
        until=until,
        guild_id=guild_id,
        questions=len(rows),
        answered=answered,
        refused=len(rows) - answered,
        helpful_votes=sum(v.helpful for v in vote_rows),
        not_helpful_votes=sum(v.not_helpful for v in vote_rows),
        p95_latency_ms=percentile([r.latency_ms for r in rows], 95),
        top_unanswered=tuple(group_questions(unanswered)[:top_n]),
        not_helpful=tuple(flagged_answers(vote_rows)[:top_n]),
        top_articles=tuple(
            ArticleCount(a, n)
            for a, n in sorted(articles.items(), key=lambda item: (-item[1], item[0]))[:top_n]
        ),
        per_day=tuple(DayCount(d, a, r) for d, (a, r) in sorted(per_day.items())),
        articles_added=int(article_events[0]),
        articles_removed=int(article_events[1]),
    )


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile (the smallest value with ``pct``% of values at or below it)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def normalise(question: str) -> str:
    """Lower case, accents and punctuation removed, filler words dropped."""
    text = unicodedata.normalize("NFKD", question.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    words = [w for w in _WORD.findall(text) if w not in _FILLER]
    return " ".join(words)


def _similar(a: str, a_words: frozenset[str], b: str, b_words: frozenset[str]) -> bool:
    if a == b:
        return True
    if a_words and b_words:
        overlap = len(a_words & b_words) / len(a_words | b_words)
        if overlap >= TOKEN_OVERLAP:
            return True
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= TYPO_RATIO


def group_questions(counted: Iterable[tuple[str, int]]) -> list[QuestionGroup]:
    """Group near-identical questions, most frequent first; ties by text.

    Greedy: each wording, most frequent first, joins the first group whose
    leading wording it resembles, else starts a group.
    """
    merged: Counter[str] = Counter()
    wording: dict[str, Counter[str]] = {}
    for text, count in counted:
        key = normalise(text)
        if not key:
            continue
        merged[key] += count
        wording.setdefault(key, Counter())[text.strip()] += count
    keys = sorted(merged, key=lambda k: (-merged[k], k))[:MAX_GROUPED]
    groups: list[tuple[str, frozenset[str], list[str]]] = []
    for key in keys:
        words = frozenset(key.split())
        for lead, lead_words, members in groups:
            if _similar(lead, lead_words, key, words):
                members.append(key)
                break
        else:
            groups.append((key, words, [key]))
    result = []
    for _lead, _words, members in groups:
        texts: Counter[str] = Counter()
        for member in members:
            texts.update(wording[member])
        ranked = sorted(texts, key=lambda t: (-texts[t], t))
        result.append(QuestionGroup(ranked[0], sum(merged[m] for m in members), tuple(ranked[1:])))
    return sorted(result, key=lambda g: (-g.count, g.text))


def flagged_answers(votes: Iterable[VoteRow]) -> list[FlaggedAnswer]:
    """Answers with at least one "not helpful" vote, most flagged first.

    The same short answer from the same sentence counts as one answer across
    the questions that got it; the question shown is the one with most flags.
    """
    totals: dict[tuple[str, str | None], list[int]] = {}
    example: dict[tuple[str, str | None], tuple[int, str]] = {}
    for vote in votes:
        key: tuple[str, str | None]
        if vote.answer is None:  # a refusal: what was disliked is the missing answer
            key = (f"(refused) {vote.question}", None)
        else:
            key = (vote.answer, vote.sentence_id)
        counts = totals.setdefault(key, [0, 0])
        counts[0] += vote.not_helpful
        counts[1] += vote.helpful
        if key not in example or vote.not_helpful > example[key][0]:
            example[key] = (vote.not_helpful, vote.question)
    flagged = [
        FlaggedAnswer(answer, example[(answer, sid)][1], sid, bad, good)
        for (answer, sid), (bad, good) in totals.items()
        if bad > 0
    ]
    return sorted(flagged, key=lambda f: (-f.not_helpful, f.helpful, f.answer))
