"""The SQLite schema: its forward migrations and the backup taken before them."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

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
        try:
            for statement in MIGRATIONS[target - 1]:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                (target, datetime.now(UTC).isoformat()),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        log.info("database %s migrated to schema v%d", path, target)
