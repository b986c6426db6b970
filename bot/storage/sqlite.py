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
from bot.storage.store import QUESTION_COLUMNS, StatsRows, Store

T = TypeVar("T")

WRITE = "BEGIN IMMEDIATE"  # take the write lock up front: no deadlock upgrading a read
SNAPSHOT = "BEGIN"  # one consistent read of several statements


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

    async def _sql(self, work: Callable[[sqlite3.Connection], T], begin: str = "") -> T:
        """``work(connection)`` on the worker thread; inside ``begin`` ... COMMIT when given
        (ROLLBACK when it raises)."""

        def run() -> T:
            if self._conn is None:
                raise StoreError("the store is not open")
            if not begin:
                return work(self._conn)
            self._conn.execute(begin)
            with self._conn:  # COMMIT, or ROLLBACK on an exception
                return work(self._conn)

        return await self._run(run)

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first row of one statement, or None."""
        return await self._sql(lambda conn: conn.execute(sql, params).fetchone())

    # -- the SQL ------------------------------------------------------------------------------

    async def count_questions(self) -> int:
        return int((await self._one("SELECT COUNT(*) FROM questions"))[0])

    async def _insert_questions(self, rows: list[tuple[Any, ...]]) -> list[int]:
        sql = f"INSERT INTO questions ({QUESTION_COLUMNS}) VALUES ({', '.join('?' * 12)})"
        return await self._sql(
            lambda conn: [cast(int, conn.execute(sql, row).lastrowid) for row in rows], WRITE
        )

    async def _select_question(self, question_id: int) -> Sequence[Any] | None:
        sql = f"SELECT id, {QUESTION_COLUMNS} FROM questions WHERE id = ?"
        return await self._one(sql, (question_id,))  # type: ignore[no-any-return]

    async def _upsert_vote(
        self, question_id: int, user_hash: str, helpful: bool, voted_at: Any
    ) -> tuple[bool | None, int, int] | None:
        def cast_vote(conn: sqlite3.Connection) -> tuple[bool | None, int, int] | None:
            if (
                conn.execute("SELECT 1 FROM questions WHERE id = ?", (question_id,)).fetchone()
                is None
            ):
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

        return await self._sql(cast_vote, WRITE)

    async def _select_settings(self, guild_id: int) -> Sequence[Any] | None:
        row = await self._one(
            "SELECT answer_channels, cooldown_seconds, refusal_threshold, ephemeral_ask,"
            " updated_at FROM guild_settings WHERE guild_id = ?",
            (guild_id,),
        )
        return None if row is None else (json.loads(row[0]), *row[1:])

    async def _upsert_settings(self, row: tuple[Any, ...]) -> None:
        guild_id, channels, *rest = row
        await self._one(
            "INSERT INTO guild_settings (guild_id, answer_channels, cooldown_seconds,"
            " refusal_threshold, ephemeral_ask, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (guild_id) DO UPDATE SET answer_channels = excluded.answer_channels,"
            " cooldown_seconds = excluded.cooldown_seconds,"
            " refusal_threshold = excluded.refusal_threshold,"
            " ephemeral_ask = excluded.ephemeral_ask, updated_at = excluded.updated_at",
            (guild_id, json.dumps(channels), *rest),
        )

    async def _insert_event(self, row: tuple[Any, ...]) -> None:
        await self._one(
            "INSERT INTO article_events (at, guild_id, user_hash, origin, action, article_id,"
            " title, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )

    async def _stats_rows(self, since: Any, until: Any, guild_id: int | None) -> StatsRows:
        where = "q.asked_at >= ? AND q.asked_at <= ?"
        params: tuple[object, ...] = (since, until)
        if guild_id is not None:
            where += " AND q.guild_id = ?"
            params += (guild_id,)

        def read(conn: sqlite3.Connection) -> StatsRows:
            def rows(sql: str) -> list[Any]:
                return conn.execute(sql, params).fetchall()

            return StatsRows(
                rows(
                    f"SELECT asked_at, found, latency_ms, article_id FROM questions q WHERE {where}"
                ),
                rows(
                    f"SELECT question, COUNT(*) FROM questions q WHERE {where} AND found = 0"
                    " GROUP BY question"
                ),
                rows(
                    "SELECT q.question, q.answer, q.sentence_id, SUM(v.helpful = 1),"
                    " SUM(v.helpful = 0) FROM votes v JOIN questions q ON q.id = v.question_id"
                    f" WHERE {where} GROUP BY q.id"
                ),
                rows(
                    "SELECT COALESCE(SUM(action = 'add'), 0), COALESCE(SUM(action = 'remove'), 0)"
                    " FROM (SELECT at AS asked_at, guild_id, action FROM article_events) q"
                    f" WHERE {where}"  # the questions' period and server, on the event's time
                )[0],
            )

        return await self._sql(read, SNAPSHOT)

    async def _delete_before(self, cutoff: Any) -> int:
        def delete(conn: sqlite3.Connection) -> int:
            conn.execute("DELETE FROM article_events WHERE at < ?", (cutoff,))
            return conn.execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,)).rowcount

        return await self._sql(delete, WRITE)
