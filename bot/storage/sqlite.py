"""The SQLite backend: standard-library :mod:`sqlite3` on one dedicated worker thread.

Every call runs on a single-thread executor that owns the connection, so the event loop
never waits on the disk and writes never contend for the lock inside the process. The file
is in WAL mode (readers such as ``articlebot stats`` do not block the bot's writes). Its
checks, backup and migrations at :meth:`~bot.storage.store.Store.open` are in
:mod:`bot.storage.sqlite_schema`; the rules of every call are in :class:`~bot.storage.store.Store`.
Times are stored as UTC epoch seconds, answer channels as a JSON list.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from bot.storage.base import StoreError
from bot.storage.config import StorageConfig
from bot.storage.hashing import UserHasher
from bot.storage.sqlite_schema import connect
from bot.storage.store import StatsRows, Store

T = TypeVar("T")


class SQLiteStore(Store):
    """The :class:`~bot.storage.store.Store` over one SQLite file."""

    def __init__(self, path: str | Path, *, hasher: UserHasher, retention_days: int = 90) -> None:
        super().__init__(hasher=hasher, retention_days=retention_days)
        self.path = Path(path)
        self.backup_path: Path | None = None  # set when open() migrated an older file
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None

    @classmethod
    def _target(cls, config: StorageConfig) -> Path:
        return config.database

    @staticmethod
    def _to_db_time(moment: datetime) -> float:
        return moment.astimezone(UTC).timestamp()

    @staticmethod
    def _from_db_time(value: float) -> datetime:
        return datetime.fromtimestamp(value, UTC)

    # -- the worker thread ------------------------------------------------------------------

    async def _connect(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="articlebot-sqlite")
        self._conn, self.backup_path = await self._run(connect, self.path)

    async def _disconnect(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            await asyncio.get_running_loop().run_in_executor(executor, self._close_sync)
            executor.shutdown(wait=True)

    def _close_sync(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("PRAGMA optimize")
            conn.close()

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        if self._executor is None:
            raise StoreError("the store is not open")
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def _sql(
        self, work: Callable[[sqlite3.Connection], T], transaction: str | None = None
    ) -> T:
        """``work(connection)`` on the worker thread: in autocommit, or in a ``"write"``
        or ``"read"`` transaction that commits, or rolls back when ``work`` raises."""

        def run() -> T:
            conn = self._conn
            if conn is None:
                raise StoreError("the store is not open")
            if transaction is None:
                return work(conn)
            if transaction == "write":
                conn.execute("BEGIN IMMEDIATE")  # the write lock first: no deadlock upgrading
            else:
                conn.execute("BEGIN")  # one snapshot for several reads
            with conn:  # COMMIT, or ROLLBACK on an exception
                return work(conn)

        return await self._run(run)

    # -- the SQL ------------------------------------------------------------------------------

    async def count_questions(self) -> int:
        row = await self._sql(lambda c: c.execute("SELECT COUNT(*) FROM questions").fetchone())
        return int(row[0])

    async def _insert_questions(self, rows: list[tuple[Any, ...]]) -> list[int]:
        def insert(conn: sqlite3.Connection) -> list[int]:
            return [
                cast(
                    int,
                    conn.execute(
                        "INSERT INTO questions (asked_at, guild_id, channel_id, user_hash,"
                        " question, found, answer, sentence_id, article_id, confidence,"
                        " latency_ms, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        row,
                    ).lastrowid,
                )
                for row in rows
            ]

        return await self._sql(insert, "write")

    async def _select_question(self, question_id: int) -> Sequence[Any] | None:
        return await self._sql(
            lambda conn: conn.execute(
                "SELECT id, asked_at, guild_id, channel_id, user_hash, question, found, answer,"
                " sentence_id, article_id, confidence, latency_ms, source"
                " FROM questions WHERE id = ?",
                (question_id,),
            ).fetchone()
        )

    async def _upsert_vote(
        self, question_id: int, user_hash: str, helpful: bool, voted_at: Any
    ) -> tuple[bool | None, int, int] | None:
        def cast_vote(conn: sqlite3.Connection) -> tuple[bool | None, int, int] | None:
            found = conn.execute("SELECT 1 FROM questions WHERE id = ?", (question_id,))
            if found.fetchone() is None:
                return None
            before = conn.execute(
                "SELECT helpful FROM votes WHERE question_id = ? AND user_hash = ?",
                (question_id, user_hash),
            ).fetchone()
            conn.execute(
                "INSERT INTO votes (question_id, user_hash, helpful, voted_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (question_id, user_hash)"
                " DO UPDATE SET helpful = excluded.helpful, voted_at = excluded.voted_at",
                (question_id, user_hash, helpful, voted_at),
            )
            good, bad = conn.execute(
                "SELECT COALESCE(SUM(helpful = 1), 0), COALESCE(SUM(helpful = 0), 0)"
                " FROM votes WHERE question_id = ?",
                (question_id,),
            ).fetchone()
            return None if before is None else bool(before[0]), good, bad

        return await self._sql(cast_vote, "write")

    async def _select_settings(self, guild_id: int) -> Sequence[Any] | None:
        row = await self._sql(
            lambda conn: conn.execute(
                "SELECT answer_channels, cooldown_seconds, refusal_threshold, ephemeral_ask,"
                " conversation_minutes, updated_at FROM guild_settings WHERE guild_id = ?",
                (guild_id,),
            ).fetchone()
        )
        return None if row is None else (json.loads(row[0]), *row[1:])

    async def _upsert_settings(self, row: tuple[Any, ...]) -> None:
        guild_id, channels, *rest = row
        await self._sql(
            lambda conn: conn.execute(
                "INSERT INTO guild_settings (guild_id, answer_channels, cooldown_seconds,"
                " refusal_threshold, ephemeral_ask, conversation_minutes, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (guild_id) DO UPDATE SET answer_channels = excluded.answer_channels,"
                " cooldown_seconds = excluded.cooldown_seconds,"
                " refusal_threshold = excluded.refusal_threshold,"
                " ephemeral_ask = excluded.ephemeral_ask,"
                " conversation_minutes = excluded.conversation_minutes,"
                " updated_at = excluded.updated_at",
                (guild_id, json.dumps(channels), *rest),
            )
        )

    async def _insert_event(self, row: tuple[Any, ...]) -> None:
        await self._sql(
            lambda conn: conn.execute(
                "INSERT INTO article_events (at, guild_id, user_hash, origin, action, article_id,"
                " title, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
        )

    async def _stats_rows(self, since: Any, until: Any, guild_id: int | None) -> StatsRows:
        where = "q.asked_at >= ? AND q.asked_at <= ?"
        params: tuple[object, ...] = (since, until)
        if guild_id is not None:
            where += " AND q.guild_id = ?"
            params += (guild_id,)

        def read(conn: sqlite3.Connection) -> StatsRows:
            return StatsRows(
                conn.execute(
                    f"SELECT asked_at, found, latency_ms, article_id FROM questions q WHERE {where}",
                    params,
                ).fetchall(),
                conn.execute(
                    f"SELECT question, COUNT(*) FROM questions q WHERE {where} AND found = 0"
                    " GROUP BY question",
                    params,
                ).fetchall(),
                conn.execute(
                    "SELECT q.question, q.answer, q.sentence_id, SUM(v.helpful = 1),"
                    " SUM(v.helpful = 0) FROM votes v JOIN questions q ON q.id = v.question_id"
                    f" WHERE {where} GROUP BY q.id",
                    params,
                ).fetchall(),
                conn.execute(
                    "SELECT COALESCE(SUM(action = 'add'), 0), COALESCE(SUM(action = 'remove'), 0)"
                    " FROM (SELECT at AS asked_at, guild_id, action FROM article_events) q"
                    f" WHERE {where}",  # the questions' period and server, on the event's time
                    params,
                ).fetchone(),
            )

        return await self._sql(read, "read")

    async def _delete_before(self, cutoff: Any) -> int:
        def delete(conn: sqlite3.Connection) -> int:
            conn.execute("DELETE FROM article_events WHERE at < ?", (cutoff,))
            return conn.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount

        return await self._sql(delete, "write")
