"""The PostgreSQL backend: psycopg 3, async connections, for several bot processes at once.

Chosen when ``ARTICLEBOT_DATABASE_URL`` is set (see :func:`bot.storage.backends.open_store`).
Every call's rules are :class:`~bot.storage.store.Store`'s, shared with
:class:`~bot.storage.sqlite.SQLiteStore`; this module is the SQL and the
connections, and the contract tests check that the two backends answer alike.

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
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

import psycopg
from psycopg import errors as pg_errors

from bot.storage.base import StoreError
from bot.storage.config import StorageConfig
from bot.storage.hashing import UserHasher
from bot.storage.postgres_schema import CONNECT_TIMEOUT, connect_sync, migrate, redact
from bot.storage.store import StatsRows, Store

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


class PostgresStore(Store):
    """The :class:`~bot.storage.store.Store` over one PostgreSQL database, shared by processes."""

    def __init__(
        self,
        url: str,
        *,
        hasher: UserHasher,
        retention_days: int = 90,
        pool_size: int = POOL_SIZE,
        reconnect_seconds: float = RECONNECT_SECONDS,
    ) -> None:
        super().__init__(hasher=hasher, retention_days=retention_days)
        self.url = url
        self.migrated_from: int | None = None  # the schema version open() found
        self.reconnect_seconds = reconnect_seconds
        self._pool_size = pool_size
        self._idle: asyncio.Queue[psycopg.AsyncConnection[Any] | None] | None = None

    @classmethod
    def _target(cls, config: StorageConfig) -> str:
        if not config.database_url:
            raise StoreError("ARTICLEBOT_DATABASE_URL is not set")
        return config.database_url

    @staticmethod
    def _to_db_time(moment: datetime) -> datetime:
        return moment

    @staticmethod
    def _from_db_time(value: datetime) -> datetime:
        return value.astimezone(UTC)

    # -- connections ------------------------------------------------------------------------

    async def _connect(self) -> None:
        def check_and_migrate() -> int:
            with connect_sync(self.url, autocommit=True) as conn:
                return migrate(conn, self.url)

        self.migrated_from = await asyncio.to_thread(check_and_migrate)
        idle: asyncio.Queue[psycopg.AsyncConnection[Any] | None] = asyncio.Queue()
        for _ in range(self._pool_size):
            idle.put_nowait(None)  # a slot: connected on first use
        self._idle = idle

    async def _disconnect(self) -> None:
        idle, self._idle = self._idle, None
        while idle is not None and not idle.empty():
            conn = idle.get_nowait()
            if conn is not None:
                with contextlib.suppress(psycopg.Error):
                    await conn.close()

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

    # -- the SQL ------------------------------------------------------------------------------

    async def count_questions(self) -> int:
        row = await self._run(lambda conn: _first(conn.execute("SELECT COUNT(*) FROM questions")))
        return int(row[0])

    async def _insert_questions(self, rows: list[tuple[Any, ...]]) -> list[int]:
        async def insert(conn: psycopg.AsyncConnection[Any]) -> list[int]:
            return [
                (
                    await _first(
                        conn.execute(
                            "INSERT INTO questions (asked_at, guild_id, channel_id, user_hash,"
                            " question, found, answer, sentence_id, article_id, confidence,"
                            " latency_ms, source)"
                            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                            row,
                        )
                    )
                )[0]
                for row in rows
            ]

        return await self._run(insert)

    async def _select_question(self, question_id: int) -> Sequence[Any] | None:
        return await self._run(
            lambda conn: _first(
                conn.execute(
                    "SELECT id, asked_at, guild_id, channel_id, user_hash, question, found,"
                    " answer, sentence_id, article_id, confidence, latency_ms, source"
                    " FROM questions WHERE id = %s",
                    (question_id,),
                )
            )
        )

    async def _upsert_vote(
        self, question_id: int, user_hash: str, helpful: bool, voted_at: Any
    ) -> tuple[bool | None, int, int] | None:
        async def cast(conn: psycopg.AsyncConnection[Any]) -> tuple[bool | None, int, int] | None:
            found = conn.execute(
                "SELECT 1 FROM questions WHERE id = %s FOR KEY SHARE", (question_id,)
            )
            if await _first(found) is None:
                return None
            before = await _first(
                conn.execute(
                    "SELECT helpful FROM votes WHERE question_id = %s AND user_hash = %s"
                    " FOR UPDATE",
                    (question_id, user_hash),
                )
            )
            await conn.execute(
                "INSERT INTO votes (question_id, user_hash, helpful, voted_at)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (question_id, user_hash)"
                " DO UPDATE SET helpful = excluded.helpful, voted_at = excluded.voted_at",
                (question_id, user_hash, helpful, voted_at),
            )
            good, bad = await _first(
                conn.execute(
                    "SELECT COUNT(*) FILTER (WHERE helpful), COUNT(*) FILTER (WHERE NOT helpful)"
                    " FROM votes WHERE question_id = %s",
                    (question_id,),
                )
            )
            return None if before is None else bool(before[0]), good, bad

        return await self._run(cast)

    async def _select_settings(self, guild_id: int) -> Sequence[Any] | None:
        return await self._run(
            lambda conn: _first(
                conn.execute(
                    "SELECT answer_channels, cooldown_seconds, refusal_threshold, ephemeral_ask,"
                    " conversation_minutes, updated_at FROM guild_settings WHERE guild_id = %s",
                    (guild_id,),
                )
            )
        )

    async def _upsert_settings(self, row: tuple[Any, ...]) -> None:
        await self._run(
            lambda conn: conn.execute(
                "INSERT INTO guild_settings (guild_id, answer_channels, cooldown_seconds,"
                " refusal_threshold, ephemeral_ask, conversation_minutes, updated_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (guild_id) DO UPDATE SET answer_channels = excluded.answer_channels,"
                " cooldown_seconds = excluded.cooldown_seconds,"
                " refusal_threshold = excluded.refusal_threshold,"
                " ephemeral_ask = excluded.ephemeral_ask,"
                " conversation_minutes = excluded.conversation_minutes,"
                " updated_at = excluded.updated_at",
                row,
            )
        )

    async def _insert_event(self, row: tuple[Any, ...]) -> None:
        await self._run(
            lambda conn: conn.execute(
                "INSERT INTO article_events (at, guild_id, user_hash, origin, action, article_id,"
                " title, source) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                row,
            )
        )

    async def _stats_rows(self, since: Any, until: Any, guild_id: int | None) -> StatsRows:
        where = "q.asked_at >= %s AND q.asked_at <= %s"
        params: tuple[object, ...] = (since, until)
        if guild_id is not None:
            where += " AND q.guild_id = %s"
            params += (guild_id,)

        async def read(conn: psycopg.AsyncConnection[Any]) -> StatsRows:
            await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            questions = await _all(
                conn.execute(
                    "SELECT extract(epoch FROM asked_at)::float8, found, latency_ms, article_id"
                    f" FROM questions q WHERE {where} ORDER BY q.id",
                    params,
                )
            )
            unanswered = await _all(
                conn.execute(
                    f"SELECT question, COUNT(*) FROM questions q WHERE {where} AND NOT found"
                    " GROUP BY question ORDER BY question",
                    params,
                )
            )
            votes = await _all(
                conn.execute(
                    "SELECT q.question, q.answer, q.sentence_id,"
                    " COUNT(*) FILTER (WHERE v.helpful), COUNT(*) FILTER (WHERE NOT v.helpful)"
                    f" FROM votes v JOIN questions q ON q.id = v.question_id WHERE {where}"
                    " GROUP BY q.id ORDER BY q.id",
                    params,
                )
            )
            events = await _first(
                conn.execute(
                    "SELECT COUNT(*) FILTER (WHERE action = 'add'),"
                    " COUNT(*) FILTER (WHERE action = 'remove')"
                    " FROM (SELECT at AS asked_at, guild_id, action FROM article_events) q"
                    f" WHERE {where}",  # the questions' period and server, on the event's time
                    params,
                )
            )
            return StatsRows(questions, unanswered, votes, events)

        return await self._run(read)

    async def _delete_before(self, cutoff: Any) -> int:
        async def delete(conn: psycopg.AsyncConnection[Any]) -> int:
            await conn.execute("DELETE FROM article_events WHERE at < %s", (cutoff,))
            cur = await conn.execute("DELETE FROM questions WHERE asked_at < %s", (cutoff,))
            return cur.rowcount

        return await self._run(delete)


async def _first(executing: Awaitable[psycopg.AsyncCursor[Any]]) -> Any:
    """The first row of a statement being executed, or None."""
    return await (await executing).fetchone()


async def _all(executing: Awaitable[psycopg.AsyncCursor[Any]]) -> list[Any]:
    return await (await executing).fetchall()
