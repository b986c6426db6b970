"""The SQLite backend's own behaviour: its file, WAL mode, schema versions, backups, bad files."""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
from pathlib import Path

import pytest

from bot.storage import SCHEMA_VERSION, CorruptDatabaseError, NewerSchemaError
from bot.storage.sqlite_schema import MIGRATIONS
from tests.bot.store_helpers import (
    NOW,
    article_event,
    entry,
    make_store,
    make_v1_database,
    sqlite_tables,
)


def _one(path: Path, sql: str) -> object:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql).fetchone()[0]


async def test_open_creates_the_latest_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    async with make_store(path) as store:
        assert store.backup_path is None
    assert {"questions", "votes", "guild_settings", "article_events", "schema_version"} <= (
        sqlite_tables(path)
    )
    assert _one(path, "PRAGMA journal_mode") == "wal"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY 1")]
    assert versions == list(range(1, SCHEMA_VERSION + 1))


async def test_reopening_the_latest_schema_makes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with make_store(path) as store:
        await store.log_question(entry("how many troops?"))
    async with make_store(path) as store:
        assert store.backup_path is None
    assert not list(tmp_path.glob("*.bak"))


async def test_migrates_from_v1_keeping_rows_and_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    make_v1_database(path)
    async with make_store(path) as store:
        assert store.backup_path is not None and store.backup_path.exists()
        logged = await store.get_question(1)
        assert logged is not None
        assert logged.question == "how many troops?"
        assert logged.source == "unknown"  # the v2 column, filled with its default
        assert (await store.stats(days=1, now=NOW)).not_helpful_votes == 1
        assert await store.log_question(entry("when were the images released?")) == 2
    # the backup is the v1 file as it was
    assert sqlite_tables(store.backup_path) == {
        "schema_version",
        "questions",
        "votes",
        "sqlite_sequence",
    }
    assert _one(store.backup_path, "SELECT MAX(version) FROM schema_version") == 1


async def test_migrating_an_older_file_adds_the_article_event_log(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    make_v1_database(path)
    async with make_store(path) as store:
        await store.log_article_event(article_event("add"))
        stats = await store.stats(days=1, now=NOW)
        assert (stats.questions, stats.articles_added, stats.articles_removed) == (1, 1, 0)
    assert "article_events" in sqlite_tables(path)


async def test_migrating_v3_keeps_server_settings_on_the_bots_conversation_window(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bot.sqlite3"
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT)")
        for version, statements in enumerate(MIGRATIONS[:3], start=1):
            for statement in statements:
                conn.execute(statement)
            conn.execute("INSERT INTO schema_version VALUES (?, 'then')", (version,))
        conn.execute("INSERT INTO guild_settings VALUES (42, '[7]', 30, 0.7, 1, ?)", (1.0e9,))
    async with make_store(path) as store:
        assert store.backup_path is not None
        kept = await store.guild_settings(42)
        assert (kept.answer_channels, kept.cooldown_seconds, kept.ephemeral_ask) == ((7,), 30, True)
        assert kept.conversation_minutes is None  # the bot's own window until /config sets one
        saved = await store.save_guild_settings(dataclasses.replace(kept, conversation_minutes=0))
    async with make_store(path) as store:
        assert await store.guild_settings(42) == saved
    assert _one(path, "SELECT MAX(version) FROM schema_version") == SCHEMA_VERSION == 4


async def test_a_file_that_is_not_sqlite_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    garbage = b"this is not a database\n" * 200
    path.write_bytes(garbage)
    with pytest.raises(CorruptDatabaseError, match="left untouched"):
        await make_store(path).open()
    assert path.read_bytes() == garbage
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot.sqlite3"]


async def test_a_damaged_sqlite_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with make_store(path) as store:
        await store.log_questions(entry(f"question {i}") for i in range(200))
    raw = bytearray(path.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)  # the first page after the header
    path.write_bytes(bytes(raw))
    with pytest.raises(CorruptDatabaseError):
        await make_store(path).open()
    assert path.read_bytes() == bytes(raw)


async def test_some_other_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.commit()
    before = path.read_bytes()
    with pytest.raises(CorruptDatabaseError, match="recipes"):
        await make_store(path).open()
    assert path.read_bytes() == before


async def test_a_newer_schema_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with make_store(path):
        pass
    with contextlib.closing(sqlite3.connect(path)) as conn:
        conn.execute("INSERT INTO schema_version VALUES (?, 'future')", (SCHEMA_VERSION + 1,))
        conn.commit()
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match=f"version {SCHEMA_VERSION + 1}"):
        await make_store(path).open()
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))


async def test_the_raw_user_id_is_nowhere_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with make_store(path) as store:
        qid = await store.log_question(entry("q", user_id=123456789012345678))
        await store.vote(qid, 123456789012345678, True)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        assert "123456789012345678" not in "\n".join(conn.iterdump())
