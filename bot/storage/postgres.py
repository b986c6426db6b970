"""The PostgreSQL backend: psycopg 3, async connections, for several bot processes at once.

Chosen when ``ARTICLEBOT_DATABASE_URL`` is set (see :func:`bot.storage.backends.open_store`).
It keeps the same records and figures as :class:`~bot.storage.sqlite.SQLiteStore`
(the stats arithmetic is shared, :func:`~bot.storage.stats.compute_stats`), so
the two backends answer every call alike; the contract tests check that.

The schema and its migrations are in :mod:`bot.storage.postgres_schema`; a
migration that fails rolls back whole, so no file backup is made; back the
database up with ``pg_dump`` as usual.

Connections come from a small pool. When the server goes away (restart,
failover) a call waits for it, reconnecting with back-off, for up to
``reconnect_seconds`` before raising :class:`StoreError`; a call interrupted
that way is retried once the server is back, so a vote cast during a restart
is stored, not lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import psycopg
from psycopg import errors as pg_errors

from bot.storage.base import (
    ArticleEvent,
    GuildSettings,
    LoggedQuestion,
    PruningLifecycle,
    QuestionEntry,
    StoreError,
    UnknownAnswerError,
    VoteResult,
)
from bot.storage.config import StorageConfig
from bot.storage.hashing import UserHasher, load_salt
from bot.storage.postgres_schema import CONNECT_TIMEOUT, connect_sync, migrate, redact
from bot.storage.stats import QuestionRow, Stats, VoteRow, compute_stats, period

log = logging.getLogger(__name__)

T = TypeVar("T")

POOL_SIZE = 4
RECONNECT_SECONDS = 30.0


def _connection_lost(exc: BaseException) -> bool:
    """Whether ``exc`` means the server or the connection went away (worth a retry)."""
    if isinstance(exc, pg_errors.AdminShutdown | pg_errors.CannotConnectNow):
        return True
    if isinstance(exc, psycopg.OperationalError):
        return True
    return isinstance(exc, psycopg.InterfaceError)


class PostgresStore(PruningLifecycle):
    """The :class:`~bot.storage.base.Store` over one PostgreSQL database, shared by processes."""

    def __init__(
        self,
        url: str,
        *,
        hasher: UserHasher,
        retention_days: int = 90,
        pool_size: int = POOL_SIZE,
        reconnect_seconds: float = RECONNECT_SECONDS,
    ) -> None:
        self.url = url
        super().__init__()
        self.retention_days = retention_days
        self.backup_path = None  # migrations are transactional; nothing to back up here
        self.migrated_from: int | None = None
        self.reconnect_seconds = reconnect_seconds
        self._hasher = hasher
        self._pool_size = pool_size
        self._idle: asyncio.Queue[psycopg.AsyncConnection[Any] | None] | None = None

    @classmethod
    def from_config(cls, config: StorageConfig) -> PostgresStore:
        if not config.database_url:
            raise StoreError("ARTICLEBOT_DATABASE_URL is not set")
        salt = load_salt(config.user_salt, config.salt_file)
        return cls(
            config.database_url, hasher=UserHasher(salt), retention_days=config.retention_days
        )

    def hash_user(self, user_id: int) -> str:
        return self._hasher(user_id)

    # -- life cycle ---------------------------------------------------------------

    async def open(self) -> None:
        if self._idle is not None:
            return

        def check_and_migrate() -> int:
            with connect_sync(self.url, autocommit=True) as conn:
                return migrate(conn, self.url)

        self.migrated_from = await asyncio.to_thread(check_and_migrate)
        idle: asyncio.Queue[psycopg.AsyncConnection[Any] | None] = asyncio.Queue()
        for _ in range(self._pool_size):
            idle.put_nowait(None)  # a slot: connected on first use
        self._idle = idle
        try:
            await self.prune()
        except BaseException:
            await self.close()
            raise

    async def _close_backend(self) -> None:
        idle, self._idle = self._idle, None
        if idle is None:
            return
        while not idle.empty():
            conn = idle.get_nowait()
            if conn is not None:
                with contextlib.suppress(psycopg.Error):
                    await conn.close()

    # -- connections --------------------------------------------------------------

    @contextlib.asynccontextmanager
    async def _connection(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        idle = self._idle
        if idle is None:
            raise StoreError("the store is not open")
        conn = await idle.get()
        try:
            if conn is None or conn.closed:
                conn = await psycopg.AsyncConnection.connect(
                    self.url,
                    autocommit=True,
                    connect_timeout=CONNECT_TIMEOUT,
                    options="-c TimeZone=UTC",
                )
            yield conn
        except BaseException as exc:
            if conn is not None and _connection_lost(exc):
                with contextlib.suppress(psycopg.Error):
                    await conn.close()
                conn = None
            raise
        finally:
            idle.put_nowait(conn)

    async def _run(self, work: Callable[[psycopg.AsyncConnection[Any]], Awaitable[T]]) -> T:
        """Run ``work`` in one transaction, waiting out a lost server for ``reconnect_seconds``."""
        deadline = time.monotonic() + self.reconnect_seconds
        delay = 0.05
        while True:
            try:
                async with self._connection() as conn, conn.transaction():
                    return await work(conn)
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                if time.monotonic() + delay > deadline:
                    raise StoreError(
                        f"PostgreSQL at {redact(self.url)} is unreachable: {exc}"
                    ) from exc
                log.warning("PostgreSQL connection lost (%s); retrying", type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)

    # -- question log ---------------------------------------------------------------

    async def log_question(self, entry: QuestionEntry) -> int:
        ids = await self.log_questions([entry])
        return ids[0]

    async def log_questions(self, entries: Iterable[QuestionEntry]) -> list[int]:
        rows = []
        for raw in entries:
            e = raw.clipped()
            rows.append(
                (
                    e.asked_at,
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
            )
        if not rows:
            return []

        async def insert(conn: psycopg.AsyncConnection[Any]) -> list[int]:
            ids: list[int] = []
            async with conn.cursor() as cur:
                for row in rows:
                    await cur.execute(
                        "INSERT INTO questions (asked_at, guild_id, channel_id, user_hash,"
                        " question, found, answer, sentence_id, article_id, confidence,"
                        " latency_ms, source)"
                        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                        row,
                    )
                    got = await cur.fetchone()
                    assert got is not None
                    ids.append(int(got[0]))
            return ids

        return await self._run(insert)

    async def get_question(self, question_id: int) -> LoggedQuestion | None:
        async def fetch(conn: psycopg.AsyncConnection[Any]) -> LoggedQuestion | None:
            cur = await conn.execute(
                "SELECT id, asked_at, guild_id, channel_id, user_hash, question, found, answer,"
                " sentence_id, article_id, confidence, latency_ms, source"
                " FROM questions WHERE id = %s",
                (question_id,),
            )
            row = await cur.fetchone()
            if row is None:
                return None
            return LoggedQuestion.from_row(row, row[1].astimezone(UTC))

        if not -(2**63) <= question_id < 2**63:
            return None
        return await self._run(fetch)

    async def count_questions(self) -> int:
        async def count(conn: psycopg.AsyncConnection[Any]) -> int:
            row = await (await conn.execute("SELECT COUNT(*) FROM questions")).fetchone()
            return int(row[0]) if row else 0

        return await self._run(count)

    # -- votes ------------------------------------------------------------------------

    async def vote(self, question_id: int, user_id: int, helpful: bool) -> VoteResult:
        user_hash = self._hasher(user_id)

        async def cast(conn: psycopg.AsyncConnection[Any]) -> VoteResult:
            exists = await (
                await conn.execute(
                    "SELECT 1 FROM questions WHERE id = %s FOR KEY SHARE", (question_id,)
                )
            ).fetchone()
            if exists is None:
                raise UnknownAnswerError(question_id)
            before = await (
                await conn.execute(
                    "SELECT helpful FROM votes WHERE question_id = %s AND user_hash = %s"
                    " FOR UPDATE",
                    (question_id, user_hash),
                )
            ).fetchone()
            await conn.execute(
                "INSERT INTO votes (question_id, user_hash, helpful, voted_at)"
                " VALUES (%s, %s, %s, now()) ON CONFLICT (question_id, user_hash)"
                " DO UPDATE SET helpful = excluded.helpful, voted_at = excluded.voted_at",
                (question_id, user_hash, helpful),
            )
            counts = await (
                await conn.execute(
                    "SELECT COUNT(*) FILTER (WHERE helpful), COUNT(*) FILTER (WHERE NOT helpful)"
                    " FROM votes WHERE question_id = %s",
                    (question_id,),
                )
            ).fetchone()
            assert counts is not None
            previous = None if before is None else bool(before[0])
            return VoteResult(question_id, helpful, previous, int(counts[0]), int(counts[1]))

        if not -(2**63) <= question_id < 2**63:
            raise UnknownAnswerError(question_id)
        return await self._run(cast)

    # -- per-server settings --------------------------------------------------------------

    async def guild_settings(self, guild_id: int) -> GuildSettings:
        async def fetch(conn: psycopg.AsyncConnection[Any]) -> GuildSettings:
            row = await (
                await conn.execute(
                    "SELECT answer_channels, cooldown_seconds, refusal_threshold, ephemeral_ask,"
                    " updated_at FROM guild_settings WHERE guild_id = %s",
                    (guild_id,),
                )
            ).fetchone()
            if row is None:
                return GuildSettings(guild_id)
            return GuildSettings(
                guild_id=guild_id,
                answer_channels=tuple(int(c) for c in row[0]),
                cooldown_seconds=int(row[1]),
                refusal_threshold=float(row[2]),
                ephemeral_ask=bool(row[3]),
                updated_at=row[4].astimezone(UTC),
            )

        return await self._run(fetch)

    async def save_guild_settings(self, settings: GuildSettings) -> GuildSettings:
        s = GuildSettings(  # rebuilding validates a hand-made invalid copy
            settings.guild_id,
            settings.answer_channels,
            settings.cooldown_seconds,
            settings.refusal_threshold,
            settings.ephemeral_ask,
        )
        now = datetime.now(UTC)

        async def save(conn: psycopg.AsyncConnection[Any]) -> None:
            await conn.execute(
                "INSERT INTO guild_settings (guild_id, answer_channels, cooldown_seconds,"
                " refusal_threshold, ephemeral_ask, updated_at) VALUES (%s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (guild_id) DO UPDATE SET answer_channels = excluded.answer_channels,"
                " cooldown_seconds = excluded.cooldown_seconds,"
                " refusal_threshold = excluded.refusal_threshold,"
                " ephemeral_ask = excluded.ephemeral_ask, updated_at = excluded.updated_at",
                (
                    s.guild_id,
                    list(s.answer_channels),
                    s.cooldown_seconds,
                    s.refusal_threshold,
                    s.ephemeral_ask,
                    now,
                ),
            )

        await self._run(save)
        return GuildSettings(
            s.guild_id,
            s.answer_channels,
            s.cooldown_seconds,
            s.refusal_threshold,
            s.ephemeral_ask,
            updated_at=now,
        )

    # -- article events ---------------------------------------------------------------------

    async def log_article_event(self, event: ArticleEvent) -> None:
        e = event.clipped()
        row = (e.at, e.guild_id, self._hasher(e.user_id), e.origin, e.action)

        async def insert(conn: psycopg.AsyncConnection[Any]) -> None:
            await conn.execute(
                "INSERT INTO article_events (at, guild_id, user_hash, origin, action, article_id,"
                " title, source) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                (*row, e.article_id, e.title, e.source),
            )

        await self._run(insert)

    # -- statistics -------------------------------------------------------------------------

    async def stats(
        self, *, days: int = 7, guild_id: int | None = None, now: datetime | None = None
    ) -> Stats:
        since, until = period(days, now)
        where = "q.asked_at >= %s AND q.asked_at <= %s"
        params: tuple[object, ...] = (since, until)
        if guild_id is not None:
            where += " AND q.guild_id = %s"
            params += (guild_id,)

        async def fetch(
            conn: psycopg.AsyncConnection[Any],
        ) -> tuple[list[QuestionRow], list[tuple[str, int]], list[VoteRow], tuple[int, int]]:
            # one snapshot for all three queries
            await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cur = await conn.execute(
                "SELECT extract(epoch FROM asked_at)::float8, found, latency_ms, article_id"
                f" FROM questions q WHERE {where} ORDER BY q.id",
                params,
            )
            rows = [QuestionRow(r[0], bool(r[1]), r[2], r[3]) for r in await cur.fetchall()]
            cur = await conn.execute(
                f"SELECT question, COUNT(*) FROM questions q WHERE {where} AND NOT found"
                " GROUP BY question ORDER BY question",
                params,
            )
            unanswered = [(r[0], int(r[1])) for r in await cur.fetchall()]
            cur = await conn.execute(
                "SELECT q.question, q.answer, q.sentence_id,"
                " COUNT(*) FILTER (WHERE v.helpful), COUNT(*) FILTER (WHERE NOT v.helpful)"
                f" FROM votes v JOIN questions q ON q.id = v.question_id WHERE {where}"
                " GROUP BY q.id ORDER BY q.id",
                params,
            )
            votes = [VoteRow(r[0], r[1], r[2], int(r[3]), int(r[4])) for r in await cur.fetchall()]
            cur = await conn.execute(
                "SELECT COUNT(*) FILTER (WHERE action = 'add'),"
                " COUNT(*) FILTER (WHERE action = 'remove')"
                " FROM (SELECT at AS asked_at, guild_id, action FROM article_events) q"
                f" WHERE {where}",  # the questions' period and server, on the event's time
                params,
            )
            counted = await cur.fetchone()
            events = (int(counted[0]), int(counted[1])) if counted else (0, 0)
            return rows, unanswered, votes, events

        rows, unanswered, votes, events = await self._run(fetch)
        return compute_stats(
            since=since,
            until=until,
            guild_id=guild_id,
            rows=rows,
            unanswered=unanswered,
            votes=votes,
            article_events=events,
        )

    # -- retention ------------------------------------------------------------------------------

    async def prune(self, now: datetime | None = None) -> int:
        if self.retention_days <= 0:
            return 0
        cutoff = (now or datetime.now(UTC)) - timedelta(days=self.retention_days)

        async def delete(conn: psycopg.AsyncConnection[Any]) -> int:
            await conn.execute("DELETE FROM article_events WHERE at < %s", (cutoff,))
            cur = await conn.execute("DELETE FROM questions WHERE asked_at < %s", (cutoff,))
            return cur.rowcount

        return await self._run(delete)
