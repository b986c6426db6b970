"""Records, errors and settings bounds shared by every storage backend.

Nothing here imports discord.py: the bot, the ``articlebot stats`` command and
both backends speak these types. User ids never cross into storage in clear:
:class:`~bot.storage.store.Store` hashes them with its
:class:`~bot.storage.hashing.UserHasher` before a backend writes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, Self

from index import MAX_QUESTION_CHARS, REFUSAL_THRESHOLD

if TYPE_CHECKING:
    from index import Answer

Source = Literal["mention", "dm", "channel", "slash", "terminal", "unknown"]
ArticleAction = Literal["add", "remove"]
Origin = Literal["discord", "terminal"]

MAX_ANSWER_CHARS = 300
MAX_EVENT_TITLE_CHARS = 300
MAX_EVENT_SOURCE_CHARS = 2000

# Per-server settings bounds. The engine refuses below its own threshold
# (``index.confidence.REFUSAL_THRESHOLD``, chosen on the development files); a server can
# only make the bot stricter.
MIN_REFUSAL_THRESHOLD = REFUSAL_THRESHOLD
MAX_REFUSAL_THRESHOLD = 0.95
DEFAULT_REFUSAL_THRESHOLD = MIN_REFUSAL_THRESHOLD
MIN_COOLDOWN_SECONDS = 0
MAX_COOLDOWN_SECONDS = 3600
DEFAULT_COOLDOWN_SECONDS = 0  # 0: only the bot-wide question limit applies
# A channel's conversation (the same member's questions within this many minutes are one
# conversation, so a follow-up is read with the last turn). None: the bot's own window
# (ARTICLEBOT_CONVERSATION_MINUTES, 5 by default); 0: no follow-ups across channel messages.
MIN_CONVERSATION_MINUTES = 0
MAX_CONVERSATION_MINUTES = 60
MAX_ANSWER_CHANNELS = 25


class StoreError(RuntimeError):
    """Storage cannot be used; the message says what to do."""


class CorruptDatabaseError(StoreError):
    """The database file is unreadable or not an articlebot database. It was not modified."""


class NewerSchemaError(StoreError):
    """The database was written by a newer articlebot. It was not modified."""


class UnknownAnswerError(LookupError):
    """No logged answer has this id (never logged, or pruned by retention)."""


class SettingsError(ValueError):
    """A per-server setting out of bounds; the message names the bounds."""


@dataclass(frozen=True, slots=True)
class QuestionEntry:
    """One question as the bot answered it, before it is stored.

    ``user_id`` is the raw Discord id; the store hashes it with its salt and
    never writes it.
    """

    user_id: int
    question: str
    found: bool
    answer: str | None = None
    sentence_id: str | None = None
    article_id: str | None = None
    confidence: float = 0.0
    latency_ms: float = 0.0
    guild_id: int | None = None
    channel_id: int | None = None
    source: Source = "unknown"
    asked_at: datetime | None = None

    @classmethod
    def from_answer(
        cls,
        answer: Answer,
        *,
        user_id: int,
        guild_id: int | None,
        channel_id: int | None,
        source: Source,
        latency_ms: float | None = None,
    ) -> QuestionEntry:
        """The entry for an engine answer: the top citation is the one the answer came from."""
        top = answer.citations[0] if answer.citations else None
        if answer.answer_citation is not None:
            top = next((c for c in answer.citations if c.n == answer.answer_citation), top)
        return cls(
            user_id=user_id,
            question=answer.question,
            found=answer.found,
            answer=answer.answer,
            sentence_id=top.sentence_id if top else None,
            article_id=top.article_id if top else answer.article_id,
            confidence=answer.confidence,
            latency_ms=answer.elapsed_ms if latency_ms is None else latency_ms,
            guild_id=guild_id,
            channel_id=channel_id,
            source=source,
        )

    def clipped(self) -> QuestionEntry:
        """Text cut to the stored lengths, numbers made finite, time filled in."""
        confidence = self.confidence if math.isfinite(self.confidence) else 0.0
        latency = self.latency_ms if math.isfinite(self.latency_ms) else 0.0
        return replace(
            self,
            question=self.question[:MAX_QUESTION_CHARS],
            answer=None if self.answer is None else self.answer[:MAX_ANSWER_CHARS],
            confidence=min(max(confidence, 0.0), 1.0),
            latency_ms=max(latency, 0.0),
            asked_at=self.asked_at or datetime.now(UTC),
        )


@dataclass(frozen=True, slots=True)
class ArticleEvent:
    """One article added to or removed from the library, before it is stored.

    ``user_id`` is the raw id of who did it (a Discord id, or the local uid for the
    terminal); the store hashes it like a question's asker and never writes it.
    ``source`` is where the article came from: its link, ``file: name.html`` or
    ``pasted``. Events are pruned with the questions (see :meth:`Store.prune`): they
    name a user, and the article file itself keeps its source and ``Added:`` time.
    """

    action: ArticleAction
    article_id: str
    title: str
    source: str
    user_id: int
    origin: Origin
    guild_id: int | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def clipped(self) -> ArticleEvent:
        """Text cut to the stored lengths."""
        return replace(
            self,
            title=self.title[:MAX_EVENT_TITLE_CHARS],
            source=self.source[:MAX_EVENT_SOURCE_CHARS],
        )


@dataclass(frozen=True, slots=True)
class LoggedQuestion:
    """A stored question. ``id`` is the answer id carried by the feedback buttons."""

    id: int
    asked_at: datetime
    guild_id: int | None
    channel_id: int | None
    user_hash: str
    question: str
    found: bool
    answer: str | None
    sentence_id: str | None
    article_id: str | None
    confidence: float
    latency_ms: float
    source: str

    @classmethod
    def from_row(cls, row: Sequence[Any], asked_at: datetime) -> Self:
        """A row of the ``questions`` table in column order (each backend's SELECT spells
        it out as a literal, so the SQL stays checkable), with ``asked_at`` already
        converted from the backend's time type."""
        return cls(
            id=int(row[0]),
            asked_at=asked_at,
            guild_id=row[2],
            channel_id=row[3],
            user_hash=row[4],
            question=row[5],
            found=bool(row[6]),
            answer=row[7],
            sentence_id=row[8],
            article_id=row[9],
            confidence=row[10],
            latency_ms=row[11],
            source=row[12],
        )


@dataclass(frozen=True, slots=True)
class VoteResult:
    """The state after a vote: ``previous`` is the user's earlier vote, if any."""

    question_id: int
    helpful: bool
    previous: bool | None
    helpful_count: int
    not_helpful_count: int

    @property
    def changed(self) -> bool:
        return self.previous is not None and self.previous != self.helpful


@dataclass(frozen=True, slots=True)
class GuildSettings:
    """Per-server settings, validated on construction."""

    guild_id: int
    answer_channels: tuple[int, ...] = ()
    cooldown_seconds: int = DEFAULT_COOLDOWN_SECONDS
    refusal_threshold: float = DEFAULT_REFUSAL_THRESHOLD
    ephemeral_ask: bool = False
    conversation_minutes: int | None = None  # None: the bot's own window (never set here)
    updated_at: datetime | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        validate_cooldown(self.cooldown_seconds)
        if self.conversation_minutes is not None:
            validate_conversation_minutes(self.conversation_minutes)
        validate_refusal_threshold(self.refusal_threshold)
        channels = tuple(dict.fromkeys(int(c) for c in self.answer_channels))
        if len(channels) > MAX_ANSWER_CHANNELS:
            raise SettingsError(f"at most {MAX_ANSWER_CHANNELS} answer channels per server")
        if any(c <= 0 for c in channels):
            raise SettingsError("channel ids are positive numbers")
        object.__setattr__(self, "answer_channels", channels)

    def with_channel(self, channel_id: int) -> GuildSettings:
        return replace(self, answer_channels=(*self.answer_channels, channel_id))

    def without_channel(self, channel_id: int) -> GuildSettings:
        return replace(
            self, answer_channels=tuple(c for c in self.answer_channels if c != channel_id)
        )

    def refuses(self, confidence: float) -> bool:
        """Whether an answer with this confidence is below this server's bar."""
        return confidence < self.refusal_threshold


def validate_cooldown(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SettingsError("cooldown is a whole number of seconds")
    if not MIN_COOLDOWN_SECONDS <= value <= MAX_COOLDOWN_SECONDS:
        raise SettingsError(
            f"cooldown must be between {MIN_COOLDOWN_SECONDS} and {MAX_COOLDOWN_SECONDS} seconds"
        )
    return value


def validate_conversation_minutes(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SettingsError("the conversation window is a whole number of minutes")
    if not MIN_CONVERSATION_MINUTES <= value <= MAX_CONVERSATION_MINUTES:
        raise SettingsError(
            f"the conversation window must be between {MIN_CONVERSATION_MINUTES} and "
            f"{MAX_CONVERSATION_MINUTES} minutes"
        )
    return value


def validate_refusal_threshold(value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SettingsError("refusal threshold is a number")
    if not MIN_REFUSAL_THRESHOLD <= value <= MAX_REFUSAL_THRESHOLD:
        raise SettingsError(
            f"refusal threshold must be between {MIN_REFUSAL_THRESHOLD} and {MAX_REFUSAL_THRESHOLD}"
        )
    return float(value)
