"""The SQLite backend: standard-library :mod:`sqlite3` on one dedicated worker thread.

Every call runs on a single-thread executor that owns the connection, so the event loop
never waits on the disk and writes never contend for the lock inside the process. The file
is in WAL mode (readers such as ``articlebot stats`` do not block the bot's writes).

At :meth:`SQLiteStore.open` the file is checked before anything is written: a
file that is not SQLite, fails ``PRAGMA quick_check``, is some other program's
database, or carries a schema newer than this code is reported with
:class:`CorruptDatabaseError` / :class:`NewerSchemaError` and left as it is.
An older schema is copied to ``<file>.v<N>-<time>.bak`` (SQLite backup API)
and then migrated forward, one version per transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import sqlite3
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from bot.storage.base import (
    ArticleEvent,
    CorruptDatabaseError,
    GuildSettings,
    LoggedQuestion,
    NewerSchemaError,
    PruningLifecycle,
    QuestionEntry,
    StoreError,
    UnknownAnswerError,
    VoteResult,
)
from bot.storage.config import StorageConfig
from bot.storage.hashing import UserHasher, load_salt
from bot.storage.sqlite_schema import SCHEMA_VERSION, backup, migrate
from bot.storage.stats import QuestionRow, Stats, VoteRow, compute_stats, period

log = logging.getLogger(__name__)

T = TypeVar("T")

SQLITE_HEADER = b"SQLite format 3\x00"


def _epoch(moment: datetime) -> float:
    return moment.astimezone(UTC).timestamp()


def _from_epoch(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


class SQLiteStore(PruningLifecycle):
    """The :class:`~bot.storage.base.Store` over one SQLite file."""

    def __init__(
        self,
        path: str | Path,
        *,
        hasher: UserHasher,
        retention_days: int = 90,
    ) -> None:
        self.path = Path(path)
        super().__init__()
        self.retention_days = retention_days
        self.backup_path: Path | None = None  # set when open() migrated an older file
        self._hasher = hasher
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None
        # Settings are read for every message in a server: cached, replaced on save.
        self._settings: dict[int, GuildSettings] = {}

    @classmethod
    def from_config(cls, config: StorageConfig) -> SQLiteStore:
        salt = load_salt(config.user_salt, config.salt_file)
        return cls(config.database, hasher=UserHasher(salt), retention_days=config.retention_days)

    def hash_user(self, user_id: int) -> str:
        return self._hasher(user_id)

    # -- life cycle ---------------------------------------------------------

    async def open(self) -> None:
        if self._executor is not None:
            return
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="articlebot-sqlite")
        try:
            await self._run(self._open_sync)
            await self.prune()
        except BaseException:
            await self.close()
            raise

    async def _close_backend(self) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(executor, self._close_sync)
        executor.shutdown(wait=True)

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        if self._executor is None:
            raise StoreError("the store is not open")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn, *args)

    # -- opening, checks, migrations (worker thread) --------------------------

    def _open_sync(self) -> None:
        existed = self.path.exists() and self.path.stat().st_size > 0
        if existed:
            self._check_header()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc
        try:
            if existed:
                self._check_integrity(conn)
            version = self._schema_version(conn)
            if version > SCHEMA_VERSION:
                raise NewerSchemaError(
                    f"the database {self.path} has schema version {version}, newer than this "
                    f"articlebot understands ({SCHEMA_VERSION}); upgrade articlebot or set "
                    "ARTICLEBOT_DATABASE to another file. The file was not changed."
                )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=10000")
            if 0 < version < SCHEMA_VERSION:
                self.backup_path = backup(conn, self.path, version)
            migrate(conn, self.path, version)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise self._corrupt(str(exc)) from exc
        except BaseException:
            conn.close()
            raise
        self._conn = conn

    def _corrupt(self, detail: str) -> CorruptDatabaseError:
        return CorruptDatabaseError(
            f"the database {self.path} is not a usable articlebot database ({detail}). "
            "It was left untouched: restore a backup (the .bak files next to it) or set "
            "ARTICLEBOT_DATABASE to a new file."
        )

    def _check_header(self) -> None:
        with self.path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
        if header != SQLITE_HEADER:
            raise self._corrupt("not an SQLite file")

    def _check_integrity(self, conn: sqlite3.Connection) -> None:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            raise self._corrupt("integrity check failed: " + "; ".join(map(str, problems)))

    def _schema_version(self, conn: sqlite3.Connection) -> int:
        tables = {
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not str(row[0]).startswith("sqlite_")
        }
        if "schema_version" not in tables:
            if tables:
                raise self._corrupt(
                    "it holds tables " + ", ".join(sorted(tables)) + " but no schema_version"
                )
            return 0
        row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _close_sync(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA optimize")
            self._conn.close()
            self._conn = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("the store is not open")
        return self._conn

    # -- question log ---------------------------------------------------------

    async def log_question(self, entry: QuestionEntry) -> int:
        ids = await self._run(self._log_sync, [entry])
        return ids[0]

    async def log_questions(self, entries: Iterable[QuestionEntry]) -> list[int]:
        return await self._run(self._log_sync, list(entries))

    def _log_sync(self, entries: list[QuestionEntry]) -> list[int]:
        conn = self._db()
        ids: list[int] = []
        conn.execute("BEGIN IMMEDIATE")
        try:
            for raw in entries:
                e = raw.clipped()
                assert e.asked_at is not None
                cursor = conn.execute(
                    "INSERT INTO questions (asked_at, guild_id, channel_id, user_hash, question,"
                    " found, answer, sentence_id, article_id, confidence, latency_ms, source)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        _epoch(e.asked_at),
                        e.guild_id,
                        e.channel_id,
                        self._hasher(e.user_id),
                        e.question,
                        int(e.found),
                        e.answer,
                        e.sentence_id,
                        e.article_id,
                        e.confidence,
                        e.latency_ms,
                        e.source,
                    ),
                )
                assert cursor.lastrowid is not None
                ids.append(cursor.lastrowid)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return ids

    async def get_question(self, question_id: int) -> LoggedQuestion | None:
        return await self._run(self._get_question_sync, question_id)

    def _get_question_sync(self, question_id: int) -> LoggedQuestion | None:
        row = (
            self._db()
            .execute(
                "SELECT id, asked_at, guild_id, channel_id, user_hash, question, found, answer,"
                " sentence_id, article_id, confidence, latency_ms, source"
                " FROM questions WHERE id = ?",
                (question_id,),
            )
            .fetchone()
        )
        if row is None:
            return None
        return LoggedQuestion.from_row(row, _from_epoch(row[1]))

    async def count_questions(self) -> int:
        return await self._run(
            lambda: int(self._db().execute("SELECT COUNT(*) FROM questions").fetchone()[0])
        )

    # -- votes ------------------------------------------------------------------

    async def vote(self, question_id: int, user_id: int, helpful: bool) -> VoteResult:
        return await self._run(self._vote_sync, question_id, self._hasher(user_id), helpful)

    def _vote_sync(self, question_id: int, user_hash: str, helpful: bool) -> VoteResult:
        conn = self._db()
        conn.execute("BEGIN IMMEDIATE")
        try:
            if (
                conn.execute("SELECT 1 FROM questions WHERE id = ?", (question_id,)).fetchone()
                is None
            ):
                raise UnknownAnswerError(question_id)
            before = conn.execute(
                "SELECT helpful FROM votes WHERE question_id = ? AND user_hash = ?",
                (question_id, user_hash),
            ).fetchone()
            conn.execute(
                "INSERT INTO votes (question_id, user_hash, helpful, voted_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (question_id, user_hash)"
                " DO UPDATE SET helpful = excluded.helpful, voted_at = excluded.voted_at",
                (question_id, user_hash, int(helpful), _epoch(datetime.now(UTC))),
            )
            good, bad = conn.execute(
                "SELECT COALESCE(SUM(helpful = 1), 0), COALESCE(SUM(helpful = 0), 0)"
                " FROM votes WHERE question_id = ?",
                (question_id,),
            ).fetchone()
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        previous = None if before is None else bool(before[0])
        return VoteResult(question_id, helpful, previous, int(good), int(bad))

    # -- per-server settings ------------------------------------------------------

    async def guild_settings(self, guild_id: int) -> GuildSettings:
        cached = self._settings.get(guild_id)
        if cached is None:
            cached = await self._run(self._guild_settings_sync, guild_id)
            self._settings[guild_id] = cached
        return cached

    def _guild_settings_sync(self, guild_id: int) -> GuildSettings:
        row = (
            self._db()
            .execute(
                "SELECT answer_channels, cooldown_seconds, refusal_threshold, ephemeral_ask,"
                " updated_at FROM guild_settings WHERE guild_id = ?",
                (guild_id,),
            )
            .fetchone()
        )
        if row is None:
            return GuildSettings(guild_id)
        return GuildSettings(
            guild_id=guild_id,
            answer_channels=tuple(int(c) for c in json.loads(row[0])),
            cooldown_seconds=int(row[1]),
            refusal_threshold=float(row[2]),
            ephemeral_ask=bool(row[3]),
            updated_at=_from_epoch(row[4]),
        )

    async def save_guild_settings(self, settings: GuildSettings) -> GuildSettings:
        # GuildSettings validates itself; rebuilding catches a hand-made invalid copy.
        checked = GuildSettings(
            settings.guild_id,
            settings.answer_channels,
            settings.cooldown_seconds,
            settings.refusal_threshold,
            settings.ephemeral_ask,
        )
        saved = await self._run(self._save_settings_sync, checked)
        self._settings[saved.guild_id] = saved
        return saved

    def _save_settings_sync(self, s: GuildSettings) -> GuildSettings:
        now = datetime.now(UTC)
        self._db().execute(
            "INSERT INTO guild_settings (guild_id, answer_channels, cooldown_seconds,"
            " refusal_threshold, ephemeral_ask, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (guild_id) DO UPDATE SET answer_channels = excluded.answer_channels,"
            " cooldown_seconds = excluded.cooldown_seconds,"
            " refusal_threshold = excluded.refusal_threshold,"
            " ephemeral_ask = excluded.ephemeral_ask, updated_at = excluded.updated_at",
            (
                s.guild_id,
                json.dumps(list(s.answer_channels)),
                s.cooldown_seconds,
                s.refusal_threshold,
                int(s.ephemeral_ask),
                _epoch(now),
            ),
        )
        return GuildSettings(
            s.guild_id,
            s.answer_channels,
            s.cooldown_seconds,
            s.refusal_threshold,
            s.ephemeral_ask,
            updated_at=now,
        )

    # -- article events ------------------------------------------------------------

    async def log_article_event(self, event: ArticleEvent) -> None:
        e = event.clipped()
        row = (_epoch(e.at), e.guild_id, self._hasher(e.user_id), e.origin, e.action)
        await self._run(
            self._db().execute,
            "INSERT INTO article_events (at, guild_id, user_hash, origin, action, article_id,"
            " title, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*row, e.article_id, e.title, e.source),
        )

    # -- statistics ----------------------------------------------------------------

    async def stats(
        self, *, days: int = 7, guild_id: int | None = None, now: datetime | None = None
    ) -> Stats:
        since, until = period(days, now)
        return await self._run(self._stats_sync, since, until, guild_id)

    def _stats_sync(self, since: datetime, until: datetime, guild_id: int | None) -> Stats:
        conn = self._db()
        where = "q.asked_at >= ? AND q.asked_at <= ?"
        params: tuple[object, ...] = (_epoch(since), _epoch(until))
        if guild_id is not None:
            where += " AND q.guild_id = ?"
            params += (guild_id,)
        conn.execute("BEGIN")  # one snapshot for all three queries
        try:
            rows = [
                QuestionRow(r[0], bool(r[1]), r[2], r[3])
                for r in conn.execute(
                    f"SELECT asked_at, found, latency_ms, article_id FROM questions q WHERE {where}",
                    params,
                )
            ]
            unanswered = conn.execute(
                f"SELECT question, COUNT(*) FROM questions q WHERE {where} AND found = 0"
                " GROUP BY question",
                params,
            ).fetchall()
            votes = [
                VoteRow(*r)
                for r in conn.execute(
                    "SELECT q.question, q.answer, q.sentence_id,"
                    " SUM(v.helpful = 1), SUM(v.helpful = 0)"
                    f" FROM votes v JOIN questions q ON q.id = v.question_id WHERE {where}"
                    " GROUP BY q.id",
                    params,
                )
            ]
            events = conn.execute(
                "SELECT COALESCE(SUM(action = 'add'), 0), COALESCE(SUM(action = 'remove'), 0)"
                " FROM (SELECT at AS asked_at, guild_id, action FROM article_events) q"
                f" WHERE {where}",  # the questions' period and server, on the event's time
                params,
            ).fetchone()
        finally:
            conn.execute("COMMIT")
        return compute_stats(
            since=since,
            until=until,
            guild_id=guild_id,
            rows=rows,
            unanswered=unanswered,
            votes=votes,
            article_events=events,
        )

    # -- retention -------------------------------------------------------------------

    async def prune(self, now: datetime | None = None) -> int:
        if self.retention_days <= 0:
            return 0
        cutoff = (now or datetime.now(UTC)) - timedelta(days=self.retention_days)
        return await self._run(self._prune_sync, _epoch(cutoff))

    def _prune_sync(self, cutoff: float) -> int:
        self._db().execute("DELETE FROM article_events WHERE at < ?", (cutoff,))
        cursor = self._db().execute("DELETE FROM questions WHERE asked_at < ?", (cutoff,))
        return cursor.rowcount
