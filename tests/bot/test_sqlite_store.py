"""The SQLite store against a real file: opening, migrations, bad files, logging, retention."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
from datetime import timedelta
from pathlib import Path

import pytest

from bot.storage import (
    SCHEMA_VERSION,
    CorruptDatabaseError,
    NewerSchemaError,
    QuestionEntry,
    StorageConfig,
    Store,
    StoreError,
    load_salt,
    open_store,
)
from tests.bot.store_helpers import NOW, article_event, entry, make_store, make_v1_database


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


async def test_open_creates_the_latest_schema_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    async with make_store(path) as store:
        assert isinstance(store, Store)
        assert store.backup_path is None
    assert {"questions", "votes", "guild_settings", "schema_version"} <= _tables(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY 1")]
    conn.close()
    assert versions == list(range(1, SCHEMA_VERSION + 1))


async def test_reopening_the_latest_schema_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with make_store(path) as store:
        await store.log_question(entry("how many troops?"))
    async with make_store(path) as store:
        assert store.backup_path is None
        assert await store.count_questions() == 1
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
        stats = await store.stats(days=1, now=NOW)
        assert stats.not_helpful_votes == 1
        new_id = await store.log_question(entry("when were the images released?"))
        assert new_id == 2
    # the backup is the v1 file as it was
    assert _tables(store.backup_path) == {"schema_version", "questions", "votes", "sqlite_sequence"}
    conn = sqlite3.connect(store.backup_path)
    assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 1
    conn.close()


async def test_migrating_an_older_file_adds_the_article_event_log(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    make_v1_database(path)
    async with make_store(path) as store:
        await store.log_article_event(article_event("add"))
        stats = await store.stats(days=1, now=NOW)
        assert (stats.questions, stats.articles_added, stats.articles_removed) == (1, 1, 0)
    assert "article_events" in _tables(path)


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
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(CorruptDatabaseError, match="recipes"):
        await make_store(path).open()
    assert path.read_bytes() == before


async def test_a_newer_schema_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with make_store(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (?, 'future')", (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerSchemaError, match=f"version {SCHEMA_VERSION + 1}"):
        await make_store(path).open()
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))


async def test_log_and_read_back_without_the_raw_user_id(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    user_id = 123456789012345678
    async with make_store(path) as store:
        qid = await store.log_question(
            QuestionEntry(
                user_id=user_id,
                question="x" * 5000,
                found=True,
                answer="more than 3,000 North Korean troops",
                sentence_id="art-s7",
                article_id="art",
                confidence=0.8,
                latency_ms=4.2,
                guild_id=1,
                channel_id=2,
                source="slash",
            )
        )
        logged = await store.get_question(qid)
        assert await store.get_question(qid + 1) is None
    assert logged is not None
    assert len(logged.question) == 1000
    assert (logged.found, logged.answer, logged.sentence_id) == (True, logged.answer, "art-s7")
    assert logged.user_hash == store.hash_user(user_id)
    assert str(user_id) not in logged.user_hash
    dump = "\n".join(sqlite3.connect(path).iterdump())
    assert str(user_id) not in dump


async def test_concurrent_writes_from_many_tasks_lose_nothing(tmp_path: Path) -> None:
    async with make_store(tmp_path / "bot.sqlite3") as store:

        async def writer(task: int) -> list[int]:
            ids = []
            for i in range(25):
                ids.append(await store.log_question(entry(f"q {task}-{i}", user_id=task)))
                if i % 5 == 0:
                    await store.vote(ids[0], user_id=i, helpful=bool(task % 2))
            return ids

        results = await asyncio.gather(*(writer(t) for t in range(40)))
        ids = [i for batch in results for i in batch]
        assert len(ids) == len(set(ids)) == 40 * 25
        assert await store.count_questions() == 1000
        stats = await store.stats(days=1, now=NOW + timedelta(minutes=1))
        assert stats.questions == 1000
        assert stats.helpful_votes + stats.not_helpful_votes == 40 * 5


async def test_retention_prunes_old_questions_and_their_votes(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with make_store(path, retention_days=30) as store:
        old = await store.log_question(entry("old question", days_ago=31))
        kept = await store.log_question(entry("recent question", days_ago=29))
        await store.vote(old, user_id=5, helpful=False)
        assert await store.prune(now=NOW) == 1
        assert await store.get_question(old) is None
        assert await store.get_question(kept) is not None
        conn = sqlite3.connect(path)
        assert conn.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 0
        conn.close()


async def test_open_prunes_at_start_and_zero_keeps_forever(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with make_store(path, retention_days=0) as store:
        await store.log_question(entry("ancient", now=NOW - timedelta(days=4000)))
        assert await store.prune() == 0
    async with make_store(path, retention_days=30) as store:
        assert await store.count_questions() == 0


async def test_daily_pruning_task_runs_and_stops_on_close(tmp_path: Path) -> None:
    store = make_store(tmp_path / "bot.sqlite3", retention_days=1)
    await store.open()
    task = store.start_pruning(timedelta(seconds=0.01))
    await store.log_question(entry("old", now=NOW - timedelta(days=400)))
    for _ in range(100):
        if await store.count_questions() == 0:
            break
        await asyncio.sleep(0.01)
    assert await store.count_questions() == 0
    await store.close()
    assert task.cancelled()


async def test_a_closed_store_says_so(tmp_path: Path) -> None:
    store = make_store(tmp_path / "bot.sqlite3")
    with pytest.raises(StoreError, match="not open"):
        await store.log_question(entry("q"))


def test_salt_file_is_created_once_with_owner_only_permissions(tmp_path: Path) -> None:
    salt_file = tmp_path / "data" / "user-salt"
    salt = load_salt(None, salt_file)
    assert load_salt(None, salt_file) == salt
    assert stat.S_IMODE(os.stat(salt_file).st_mode) == 0o600
    assert load_salt("an-explicit-salt-from-env", salt_file) == b"an-explicit-salt-from-env"
    with pytest.raises(StoreError, match="16"):
        load_salt("short", salt_file)


def test_storage_config_from_env(tmp_path: Path) -> None:
    config = StorageConfig.from_env({})
    assert config.database == Path("data/articlebot.sqlite3")
    assert config.salt_file == Path("data/user-salt")
    config = StorageConfig.from_env(
        {"ARTICLEBOT_DATABASE": str(tmp_path / "x.db"), "ARTICLEBOT_RETENTION_DAYS": "0"}
    )
    assert (config.database, config.retention_days) == (tmp_path / "x.db", 0)
    for bad in ("-1", "ten", "99999"):
        with pytest.raises(StoreError, match="ARTICLEBOT_RETENTION_DAYS"):
            StorageConfig.from_env({"ARTICLEBOT_RETENTION_DAYS": bad})


async def test_open_store_uses_the_environment_and_keeps_the_salt_out(tmp_path: Path) -> None:
    config = StorageConfig(database=tmp_path / "data" / "a.sqlite3")
    store = await open_store(config)
    try:
        await store.log_question(entry("q"))
    finally:
        await store.close()
    salt = config.salt_file.read_bytes()
    assert salt not in config.database.read_bytes()


def test_storage_never_imports_discord() -> None:
    import subprocess
    import sys

    code = (
        "import sys, bot.storage, bot.storage.chart; "
        "print(any(m == 'discord' or m.startswith('discord.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
