"""The :class:`Store`: every storage call with its rules, once; a backend supplies only its SQL.

The rules live here so the backends cannot drift apart: entries are clipped to
the stored lengths, user ids are hashed before they reach a backend, answer ids
outside SQL's 64-bit range are unknown answers, settings are validated on save
and cached on read, retention prunes questions (their votes cascade) and
article events alike, and the figures come from :func:`~bot.storage.stats.compute_stats`.

A backend (:class:`~bot.storage.sqlite.SQLiteStore`,
:class:`~bot.storage.postgres.PostgresStore`) implements the abstract ``_``
methods, each one transaction of SQL over plain tuples, and the two time
conversions between :class:`~datetime.datetime` and its column type.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from time import monotonic
from typing import TYPE_CHECKING, Any, NamedTuple, Self

from bot.storage.base import (
    ArticleEvent,
    GuildSettings,
    LoggedQuestion,
    QuestionEntry,
    UnknownAnswerError,
    VoteResult,
)
from bot.storage.hashing import UserHasher, load_salt
from bot.storage.stats import QuestionRow, Stats, VoteRow, compute_stats, period

if TYPE_CHECKING:
    from bot.storage.config import StorageConfig

PRUNE_INTERVAL = timedelta(days=1)
# Settings are read for every message in a server, so each process caches them. Another
# process's /config change is seen here within SETTINGS_TTL_SECONDS; this process's own
# saves replace the cached copy at once.
SETTINGS_TTL_SECONDS = 5.0
SETTINGS_CACHE_SIZE = 10_000  # servers; the least recently read are dropped first
MAX_SQL_ID = 2**63 - 1  # SQLite INTEGER and PostgreSQL BIGINT

_log = logging.getLogger("bot.storage")


class StatsRows(NamedTuple):
    """What a backend reads for :meth:`Store.stats`, in one snapshot, as its driver returns it."""

    questions: Sequence[Sequence[Any]]  # (asked_at as epoch seconds, found, latency_ms, article_id)
    unanswered: Sequence[Sequence[Any]]  # (refused question text, count)
    votes: Sequence[Sequence[Any]]  # VoteRow's fields, one row per answer voted on
    article_events: Sequence[Any]  # (added, removed)


class Store(ABC):
    """What the bot and the CLI need from storage. All methods run off the event loop."""

    settings_ttl = SETTINGS_TTL_SECONDS

    def __init__(self, *, hasher: UserHasher, retention_days: int = 90) -> None:
        self.retention_days = retention_days
        self._hasher = hasher
        self._opened = False
        self._pruner: asyncio.Task[None] | None = None
        # guild id -> (monotonic time read or saved, settings)
        self._settings: OrderedDict[int, tuple[float, GuildSettings]] = OrderedDict()

    @classmethod
    def from_config(cls, config: StorageConfig) -> Self:
        """The store ``config`` names, with the salt it names (created on first use)."""
        salt = load_salt(config.user_salt, config.salt_file)
        return cls(  # type: ignore[misc]  # a backend takes its _target first
            cls._target(config), hasher=UserHasher(salt), retention_days=config.retention_days
        )

    def hash_user(self, user_id: int) -> str:
        return self._hasher(user_id)

    # -- life cycle ---------------------------------------------------------------------

    async def open(self) -> None:
        """Check, migrate and prune; raises :class:`StoreError` subclasses on a bad database."""
        if self._opened:
            return
        self._opened = True
        try:
            await self._connect()
            await self.prune()
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._pruner is not None:
            self._pruner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pruner
            self._pruner = None
        self._opened = False
        self._settings.clear()
        await self._disconnect()

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def start_pruning(self, interval: timedelta = PRUNE_INTERVAL) -> asyncio.Task[None]:
        """Prune every ``interval`` (daily) until :meth:`close`."""
        if self._pruner is None or self._pruner.done():
            self._pruner = asyncio.create_task(self._prune_forever(interval.total_seconds()))
        return self._pruner

    async def _prune_forever(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                removed = await self.prune()
            except Exception:  # keep serving; the next day tries again
                _log.exception("pruning old questions failed")
            else:
                if removed:
                    _log.info(
                        "pruned %d questions older than %d days", removed, self.retention_days
                    )

    # -- question log -----------------------------------------------------------------------

    async def log_question(self, entry: QuestionEntry) -> int:
        """Store one answered question; returns its answer id."""
        return (await self.log_questions([entry]))[0]

    async def log_questions(self, entries: Iterable[QuestionEntry]) -> list[int]:
        """Store several questions in one transaction; returns their answer ids in order."""
        rows = [self._question_row(entry.clipped()) for entry in entries]
        return await self._insert_questions(rows) if rows else []

    def _question_row(self, e: QuestionEntry) -> tuple[Any, ...]:
        """``(asked_at, guild_id, channel_id, user_hash, question, found, answer, sentence_id,
        article_id, confidence, latency_ms, source)``, the ``questions`` columns after ``id``
        in table order; the user id is hashed, never stored in clear."""
        assert e.asked_at is not None  # clipped() fills it in
        return (
            self._to_db_time(e.asked_at),
            e.guild_id,
            e.channel_id,
            self._hasher(e.user_id),
            e.question,
            e.found,
            e.answer,
            e.sentence_id,
            e.article_id,
            e.confidence,
            e.latency_ms,
            e.source,
        )

    async def get_question(self, question_id: int) -> LoggedQuestion | None:
        """The logged question with this answer id; None when never logged or pruned."""
        if not -MAX_SQL_ID <= question_id <= MAX_SQL_ID:
            return None  # a forged button id: no such row, and SQL cannot even bind it
        row = await self._select_question(question_id)
        return None if row is None else LoggedQuestion.from_row(row, self._from_db_time(row[1]))

    # -- votes ------------------------------------------------------------------------------

    async def vote(self, question_id: int, user_id: int, helpful: bool) -> VoteResult:
        """One vote per user per answer; voting again replaces the earlier vote."""
        counted = None
        if -MAX_SQL_ID <= question_id <= MAX_SQL_ID:
            now = self._to_db_time(datetime.now(UTC))
            counted = await self._upsert_vote(question_id, self._hasher(user_id), helpful, now)
        if counted is None:
            raise UnknownAnswerError(question_id)
        previous, helpful_count, not_helpful_count = counted
        return VoteResult(
            question_id, helpful, previous, int(helpful_count), int(not_helpful_count)
        )

    # -- per-server settings ------------------------------------------------------------------

    async def guild_settings(self, guild_id: int) -> GuildSettings:
        """The server's settings, or the defaults when none were saved; at most
        :data:`SETTINGS_TTL_SECONDS` old."""
        started = monotonic()
        cached = self._settings.get(guild_id)
        if cached is not None and started - cached[0] < self.settings_ttl:
            self._settings.move_to_end(guild_id)
            return cached[1]
        row = await self._select_settings(guild_id)
        if row is None:
            settings = GuildSettings(guild_id)
        else:
            channels, cooldown, threshold, ephemeral, minutes, updated_at = row
            settings = GuildSettings(
                guild_id,
                tuple(int(c) for c in channels),
                int(cooldown),
                float(threshold),
                bool(ephemeral),
                None if minutes is None else int(minutes),  # NULL: the bot's own window
                updated_at=self._from_db_time(updated_at),
            )
        newer = self._settings.get(guild_id)
        if newer is None or newer[0] <= started:  # a save while this read ran wins
            self._remember(settings, started)
        return settings

    async def save_guild_settings(self, settings: GuildSettings) -> GuildSettings:
        """Save and return the settings, stamped; :class:`SettingsError` when out of bounds."""
        now = datetime.now(UTC)
        saved = replace(settings, updated_at=now)  # replace() validates a hand-made copy again
        await self._upsert_settings(
            (
                saved.guild_id,
                list(saved.answer_channels),
                saved.cooldown_seconds,
                saved.refusal_threshold,
                saved.ephemeral_ask,
                saved.conversation_minutes,
                self._to_db_time(now),
            )
        )
        self._remember(saved, monotonic())
        return saved

    def _remember(self, settings: GuildSettings, at: float) -> None:
        self._settings[settings.guild_id] = (at, settings)
        self._settings.move_to_end(settings.guild_id)
        if len(self._settings) > SETTINGS_CACHE_SIZE:
            self._settings.popitem(last=False)

    # -- article events -------------------------------------------------------------------------

    async def log_article_event(self, event: ArticleEvent) -> None:
        """Record one article added or removed (``/article``, ``articlebot add``/``remove``)."""
        e = event.clipped()
        await self._insert_event(
            (
                self._to_db_time(e.at),
                e.guild_id,
                self._hasher(e.user_id),
                e.origin,
                e.action,
                e.article_id,
                e.title,
                e.source,
            )
        )

    # -- statistics and retention -------------------------------------------------------------------

    async def stats(
        self, *, days: int = 7, guild_id: int | None = None, now: datetime | None = None
    ) -> Stats:
        """Figures for the ``days`` up to ``now``; all servers when ``guild_id`` is None
        (then the terminal's article events count too)."""
        since, until = period(days, now)
        rows = await self._stats_rows(self._to_db_time(since), self._to_db_time(until), guild_id)
        return compute_stats(
            since=since,
            until=until,
            guild_id=guild_id,
            rows=[QuestionRow(float(r[0]), bool(r[1]), r[2], r[3]) for r in rows.questions],
            unanswered=[(r[0], int(r[1])) for r in rows.unanswered],
            votes=[VoteRow(r[0], r[1], r[2], int(r[3]), int(r[4])) for r in rows.votes],
            article_events=(int(rows.article_events[0]), int(rows.article_events[1])),
        )

    async def prune(self, now: datetime | None = None) -> int:
        """Delete questions (and their votes) and article events older than the retention
        period; returns how many questions went. A retention of 0 keeps everything."""
        if self.retention_days <= 0:
            return 0
        cutoff = (now or datetime.now(UTC)) - timedelta(days=self.retention_days)
        return await self._delete_before(self._to_db_time(cutoff))

    # -- what a backend implements ---------------------------------------------------------------

    @abstractmethod
    async def count_questions(self) -> int: ...

    @classmethod
    @abstractmethod
    def _target(cls, config: StorageConfig) -> Any:
        """The first argument of the backend's constructor (a path, a URL) from ``config``."""

    @staticmethod
    @abstractmethod
    def _to_db_time(moment: datetime) -> Any: ...

    @staticmethod
    @abstractmethod
    def _from_db_time(value: Any) -> datetime: ...

    @abstractmethod
    async def _connect(self) -> None:
        """Check and migrate the database and get ready to serve calls."""

    @abstractmethod
    async def _disconnect(self) -> None:
        """Release what :meth:`_connect` took (also after it failed half-way)."""

    @abstractmethod
    async def _insert_questions(self, rows: list[tuple[Any, ...]]) -> list[int]:
        """Insert rows of :meth:`_question_row` in one transaction; their ids in order."""

    @abstractmethod
    async def _select_question(self, question_id: int) -> Sequence[Any] | None:
        """One question's ``id`` and the columns of :meth:`_question_row`, in that order."""

    @abstractmethod
    async def _upsert_vote(
        self, question_id: int, user_hash: str, helpful: bool, voted_at: Any
    ) -> tuple[bool | None, int, int] | None:
        """In one transaction: this user's earlier vote (None if none), then the answer's
        (helpful, not helpful) counts after this vote; None, storing nothing, when no
        question has this id."""

    @abstractmethod
    async def _select_settings(self, guild_id: int) -> Sequence[Any] | None:
        """``(answer channel ids, cooldown_seconds, refusal_threshold, ephemeral_ask,
        conversation_minutes (NULL: never set), updated_at)`` of one server, or None."""

    @abstractmethod
    async def _upsert_settings(self, row: tuple[Any, ...]) -> None:
        """Insert or replace ``(guild_id, answer channel id list, cooldown_seconds,
        refusal_threshold, ephemeral_ask, conversation_minutes, updated_at)``."""

    @abstractmethod
    async def _insert_event(self, row: tuple[Any, ...]) -> None:
        """Insert ``(at, guild_id, user_hash, origin, action, article_id, title, source)``."""

    @abstractmethod
    async def _stats_rows(self, since: Any, until: Any, guild_id: int | None) -> StatsRows:
        """The period's rows (questions between ``since`` and ``until``, on one server
        unless ``guild_id`` is None; article events on their own time), one snapshot."""

    @abstractmethod
    async def _delete_before(self, cutoff: Any) -> int:
        """Delete article events and questions (votes cascade) older than ``cutoff``;
        returns how many questions went."""
