"""Helpers for the storage tests: stores on a real SQLite file or PostgreSQL database, known rows."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from bot.storage import ArticleEvent, QuestionEntry, SQLiteStore, Store, UserHasher
from bot.storage.postgres import PostgresStore
from bot.storage.sqlite_schema import MIGRATIONS

SALT = b"test-salt-0123456789abcdef"
# Noon today: recent enough that opening a store (which prunes by the real clock) keeps the rows.
NOW = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)


def make_store(path: Path, retention_days: int = 90) -> SQLiteStore:
    return SQLiteStore(path, hasher=UserHasher(SALT), retention_days=retention_days)


def entry(
    question: str,
    *,
    found: bool = True,
    user_id: int = 1,
    guild_id: int | None = 10,
    answer: str | None = "3,000",
    sentence_id: str | None = "art-s1",
    article_id: str | None = "art",
    latency_ms: float = 10.0,
    days_ago: float = 0.0,
    now: datetime = NOW,
) -> QuestionEntry:
    return QuestionEntry(
        user_id=user_id,
        question=question,
        found=found,
        answer=answer if found else None,
        sentence_id=sentence_id,
        article_id=article_id,
        confidence=0.9 if found else 0.2,
        latency_ms=latency_ms,
        guild_id=guild_id,
        channel_id=20,
        source="mention",
        asked_at=now - timedelta(days=days_ago),
    )


def article_event(
    action: str = "add",
    *,
    user_id: int = 1,
    guild_id: int | None = 10,
    origin: str = "discord",
    days_ago: float = 0.0,
    now: datetime = NOW,
) -> ArticleEvent:
    return ArticleEvent(
        action=action,  # type: ignore[arg-type]
        article_id="harbor_lighthouse",
        title="Portland Harbor Lighthouse Reopens",
        source="https://news.example/lighthouse",
        user_id=user_id,
        origin=origin,  # type: ignore[arg-type]
        guild_id=guild_id,
        at=now - timedelta(days=days_ago),
    )


def make_v1_database(path: Path) -> None:
    """A database as the first schema version left it, with one question and one vote."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.execute("INSERT INTO schema_version VALUES (1, '2026-01-01T00:00:00+00:00')")
    conn.execute(
        "INSERT INTO questions (asked_at, guild_id, channel_id, user_hash, question, found,"
        " answer, sentence_id, article_id, confidence, latency_ms)"
        " VALUES (?, 10, 20, 'abc', 'how many troops?', 1, '3,000', 'art-s1', 'art', 0.9, 12.5)",
        (NOW.timestamp(),),
    )
    conn.execute("INSERT INTO votes VALUES (1, 'abc', 0, ?)", (NOW.timestamp(),))
    conn.close()


def make_pg_store(url: str, retention_days: int = 90, **options: Any) -> PostgresStore:
    return PostgresStore(url, hasher=UserHasher(SALT), retention_days=retention_days, **options)


def table_rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` read straight from the store's database, either backend (blocking)."""
    if isinstance(store, PostgresStore):
        with psycopg.connect(store.url) as conn:
            return conn.execute(sql).fetchall()
    assert isinstance(store, SQLiteStore)
    with contextlib.closing(sqlite3.connect(store.path)) as conn:
        return conn.execute(sql).fetchall()


def sqlite_tables(path: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
