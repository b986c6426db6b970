"""The PostgreSQL schema: its forward migrations, and connecting to the server.

Migrations work like SQLite's: a ``schema_version`` table, one transaction per
step, a database from a newer articlebot or holding some other program's tables
refused and left untouched. Several processes starting at once are serialised
by a transaction-level advisory lock, so each step runs exactly once. A
migration that fails rolls back whole (PostgreSQL DDL is transactional).
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg

from bot.storage.base import CorruptDatabaseError, NewerSchemaError, StoreError

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5
MIGRATION_LOCK = 0x41_72_74_42_6F_74_01  # pg_advisory_xact_lock key while migrating
OUR_TABLES = frozenset(
    {
        "schema_version",
        "questions",
        "votes",
        "guild_settings",
        "index_files",
        "index_versions",
        "index_version_files",
        "index_in_force",
        "article_events",
    }
)

# Forward migrations: MIGRATIONS[n - 1] takes the schema from version n - 1 to n.
# Never edit a released step; add a new one. Steps 1 and 2 match SQLite's.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # v1: question log and votes.
    (
        """CREATE TABLE questions (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            asked_at TIMESTAMPTZ NOT NULL,
            guild_id BIGINT,
            channel_id BIGINT,
            user_hash TEXT NOT NULL,
            question TEXT NOT NULL,
            found BOOLEAN NOT NULL,
            answer TEXT,
            sentence_id TEXT,
            article_id TEXT,
            confidence DOUBLE PRECISION NOT NULL,
            latency_ms DOUBLE PRECISION NOT NULL
        )""",
        """CREATE TABLE votes (
            question_id BIGINT NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
            user_hash TEXT NOT NULL,
            helpful BOOLEAN NOT NULL,
            voted_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (question_id, user_hash)
        )""",
    ),
    # v2: where a question came from, per-server settings, indexes for the period queries.
    (
        "ALTER TABLE questions ADD COLUMN source TEXT NOT NULL DEFAULT 'unknown'",
        "CREATE INDEX questions_asked_at ON questions(asked_at)",
        "CREATE INDEX questions_guild_asked_at ON questions(guild_id, asked_at)",
        """CREATE TABLE guild_settings (
            guild_id BIGINT PRIMARY KEY,
            answer_channels BIGINT[] NOT NULL DEFAULT '{}',
            cooldown_seconds INTEGER NOT NULL,
            refusal_threshold DOUBLE PRECISION NOT NULL,
            ephemeral_ask BOOLEAN NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        )""",
    ),
    # v3 (PostgreSQL only): the shared index. Article files are stored once by content
    # hash; a version lists its files; index_in_force holds the one version served.
    (
        """CREATE TABLE index_files (
            sha256 TEXT PRIMARY KEY,
            content BYTEA NOT NULL
        )""",
        """CREATE TABLE index_versions (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            published_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            published_by TEXT NOT NULL,
            files INTEGER NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        )""",
        """CREATE TABLE index_version_files (
            version_id BIGINT NOT NULL REFERENCES index_versions(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            sha256 TEXT NOT NULL REFERENCES index_files(sha256),
            PRIMARY KEY (version_id, name)
        )""",
        """CREATE TABLE index_in_force (
            singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
            version_id BIGINT NOT NULL REFERENCES index_versions(id),
            switched_at TIMESTAMPTZ NOT NULL DEFAULT now()
        )""",
    ),
    # v4: articles added and removed (/article, articlebot add/remove), for /stats;
    # SQLite's v3.
    (
        """CREATE TABLE article_events (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at TIMESTAMPTZ NOT NULL,
            guild_id BIGINT,
            user_hash TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('discord', 'terminal')),
            action TEXT NOT NULL CHECK (action IN ('add', 'remove')),
            article_id TEXT NOT NULL,
            title TEXT NOT NULL,
            source TEXT NOT NULL
        )""",
        "CREATE INDEX article_events_at ON article_events(at)",
    ),
    # v5: each server's conversation window in minutes (/config conversation); NULL, as
    # every server migrated from v4 has it, means the bot's own (ARTICLEBOT_CONVERSATION_MINUTES).
    # SQLite's v4.
    ("ALTER TABLE guild_settings ADD COLUMN conversation_minutes INTEGER",),
)
SCHEMA_VERSION = len(MIGRATIONS)


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "(an unparsable database URL)"
    host = info.get("host", "localhost")
    return f"postgresql://{info.get('user', '')}@{host}:{info.get('port', 5432)}/{info.get('dbname', '')}"


def connect_sync(url: str, **options: Any) -> psycopg.Connection[Any]:
    """A blocking connection in UTC; raises :class:`StoreError` saying where it failed."""
    try:
        return psycopg.connect(
            url, connect_timeout=CONNECT_TIMEOUT, options="-c TimeZone=UTC", **options
        )
    except psycopg.Error as exc:
        raise StoreError(f"cannot connect to PostgreSQL at {redact(url)}: {exc}") from exc


def migrate(conn: psycopg.Connection[Any], url: str = "") -> int:
    """Bring the schema to :data:`SCHEMA_VERSION`; returns the version found before.

    Raises :class:`NewerSchemaError` or :class:`CorruptDatabaseError` and changes
    nothing when the database is not ours to migrate.
    """
    where = redact(url) if url else "the PostgreSQL database"
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema()"
            )
        }
        if "schema_version" not in tables:
            if tables:
                raise CorruptDatabaseError(
                    f"{where} holds tables {', '.join(sorted(tables)[:10])} but no "
                    "articlebot schema_version; it was left untouched. Give articlebot a "
                    "database (or schema) of its own."
                )
            conn.execute(
                "CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
                " applied_at TIMESTAMPTZ NOT NULL)"
            )
            found = 0
        else:
            row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
            found = int(row[0] or 0) if row else 0
        if found > SCHEMA_VERSION:
            raise NewerSchemaError(
                f"{where} has schema version {found}, newer than this articlebot understands "
                f"({SCHEMA_VERSION}); upgrade articlebot. The database was not changed."
            )
    for target in range(found + 1, SCHEMA_VERSION + 1):
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
            if row and row[0] is not None and int(row[0]) >= target:
                continue  # another process applied it while we waited for the lock
            for statement in MIGRATIONS[target - 1]:
                conn.execute(statement)  # literal SQL from MIGRATIONS
            conn.execute(
                "INSERT INTO schema_version (version, applied_at) VALUES (%s, now())", (target,)
            )
        log.info("%s migrated to schema v%d", where, target)
    return found
