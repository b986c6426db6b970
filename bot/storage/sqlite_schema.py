"""The SQLite file: its checks, its schema's forward migrations and the backup taken before them.

:func:`connect` checks the file before anything is written: a file that is not
SQLite, fails ``PRAGMA quick_check``, is some other program's database, or
carries a schema newer than this code is reported with
:class:`CorruptDatabaseError` / :class:`NewerSchemaError` and left as it is.
An older schema is copied to ``<file>.v<N>-<time>.bak`` (SQLite backup API)
and then migrated forward, one version per transaction.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from bot.storage.base import CorruptDatabaseError, NewerSchemaError, StoreError

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"

# Forward migrations: MIGRATIONS[n - 1] takes the schema from version n - 1 to n.
# Never edit a released step; add a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # v1: question log and votes.
    (
        """CREATE TABLE questions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            asked_at REAL NOT NULL,
            guild_id INTEGER,
            channel_id INTEGER,
            user_hash TEXT NOT NULL,
            question TEXT NOT NULL,
            found INTEGER NOT NULL CHECK (found IN (0, 1)),
            answer TEXT,
            sentence_id TEXT,
            article_id TEXT,
            confidence REAL NOT NULL,
            latency_ms REAL NOT NULL
        )""",
        """CREATE TABLE votes (
            question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
            user_hash TEXT NOT NULL,
            helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
            voted_at REAL NOT NULL,
            PRIMARY KEY (question_id, user_hash)
        )""",
    ),
    # v2: where a question came from, per-server settings, indexes for the period queries.
    (
        "ALTER TABLE questions ADD COLUMN source TEXT NOT NULL DEFAULT 'unknown'",
        "CREATE INDEX questions_asked_at ON questions(asked_at)",
        "CREATE INDEX questions_guild_asked_at ON questions(guild_id, asked_at)",
        """CREATE TABLE guild_settings (
            guild_id INTEGER PRIMARY KEY,
            answer_channels TEXT NOT NULL DEFAULT '[]',
            cooldown_seconds INTEGER NOT NULL,
            refusal_threshold REAL NOT NULL,
            ephemeral_ask INTEGER NOT NULL CHECK (ephemeral_ask IN (0, 1)),
            updated_at REAL NOT NULL
        )""",
    ),
    # v3: articles added and removed (/article, articlebot add/remove), for /stats.
    (
        """CREATE TABLE article_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at REAL NOT NULL,
            guild_id INTEGER,
            user_hash TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('discord', 'terminal')),
            action TEXT NOT NULL CHECK (action IN ('add', 'remove')),
            article_id TEXT NOT NULL,
            title TEXT NOT NULL,
            source TEXT NOT NULL
        )""",
        "CREATE INDEX article_events_at ON article_events(at)",
    ),
    # v4: each server's conversation window in minutes (/config conversation); NULL, as
    # every server migrated from v3 has it, means the bot's own (ARTICLEBOT_CONVERSATION_MINUTES).
    ("ALTER TABLE guild_settings ADD COLUMN conversation_minutes INTEGER",),
)
SCHEMA_VERSION = len(MIGRATIONS)


def backup(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the database at schema ``version`` to ``<file>.v<N>-<time>.bak`` (SQLite backup API)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.v{version}-{stamp}-{counter}.bak")
        counter += 1
    copy = sqlite3.connect(target)
    try:
        conn.backup(copy)
    finally:
        copy.close()
    log.info("backed up schema v%d database to %s before migrating", version, target)
    return target


def migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Bring the schema from ``version`` to :data:`SCHEMA_VERSION`, one transaction per step."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        "version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    for target in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        with conn:  # COMMIT, or ROLLBACK on an exception
            for statement in MIGRATIONS[target - 1]:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                (target, datetime.now(UTC).isoformat()),
            )
        log.info("database %s migrated to schema v%d", path, target)


def connect(path: Path) -> tuple[sqlite3.Connection, Path | None]:
    """An autocommit connection to the checked, migrated file, and the backup made before
    migrating an older schema (None when there was nothing to migrate)."""
    existed = path.exists() and path.stat().st_size > 0
    if existed:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise _corrupt(path, "not an SQLite file")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the database {path}: {exc}") from exc
    try:
        if existed:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
            if problems != ["ok"]:
                raise _corrupt(path, "integrity check failed: " + "; ".join(map(str, problems)))
        version = _schema_version(conn, path)
        if version > SCHEMA_VERSION:
            raise NewerSchemaError(
                f"the database {path} has schema version {version}, newer than this "
                f"articlebot understands ({SCHEMA_VERSION}); upgrade articlebot or set "
                "ARTICLEBOT_DATABASE to another file. The file was not changed."
            )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=10000")
        made = backup(conn, path, version) if 0 < version < SCHEMA_VERSION else None
        migrate(conn, path, version)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _corrupt(path, str(exc)) from exc
    except BaseException:
        conn.close()
        raise
    return conn, made


def _corrupt(path: Path, detail: str) -> CorruptDatabaseError:
    return CorruptDatabaseError(
        f"the database {path} is not a usable articlebot database ({detail}). "
        "It was left untouched: restore a backup (the .bak files next to it) or set "
        "ARTICLEBOT_DATABASE to a new file."
    )


def _schema_version(conn: sqlite3.Connection, path: Path) -> int:
    tables = {
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not str(row[0]).startswith("sqlite_")
    }
    if "schema_version" not in tables:
        if tables:
            raise _corrupt(
                path, "it holds tables " + ", ".join(sorted(tables)) + " but no schema_version"
            )
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)
