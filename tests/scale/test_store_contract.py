"""The store contract: the same calls give the same results on SQLite and on PostgreSQL.

Every ``test_store_contract_*`` test runs once per backend (``[sqlite]`` and
``[postgres]``); ``test_store_contract_backends_agree`` runs one scenario on
both and compares what they return field by field. The PostgreSQL-only tests
cover its migrations on a fresh database and a server restart mid-run.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from bot.storage import (
    CorruptDatabaseError,
    GuildSettings,
    NewerSchemaError,
    SettingsError,
    StorageConfig,
    Store,
    UnknownAnswerError,
    UserHasher,
    store_from_config,
)
from bot.storage.postgres import PostgresStore
from bot.storage.postgres_schema import MIGRATIONS, SCHEMA_VERSION
from tests.bot.store_helpers import NOW, SALT, article_event, entry, make_store
from tests.pg_server import PostgresServer

BACKENDS = ("sqlite", "postgres")


def make_pg_store(url: str, retention_days: int = 90, **options: Any) -> PostgresStore:
    return PostgresStore(url, hasher=UserHasher(SALT), retention_days=retention_days, **options)


def new_store(backend: str, tmp_path: Path, request: pytest.FixtureRequest, **options: Any) -> Any:
    if backend == "sqlite":
        return make_store(tmp_path / f"bot-{len(list(tmp_path.iterdir()))}.sqlite3", **options)
    server: PostgresServer = request.getfixturevalue("pg_server")
    return make_pg_store(server.create_database(), **options)


@pytest.fixture(params=BACKENDS)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Any]:
    opened = new_store(request.param, tmp_path, request)
    await opened.open()
    try:
        yield opened
    finally:
        await opened.close()


async def scenario(store: Any) -> dict[str, Any]:
    """A fixed sequence of calls; everything observable it returns."""
    out: dict[str, Any] = {}
    ids = await store.log_questions(
        [
            entry("how many troops were sent to Russia?", user_id=1, latency_ms=12.0),
            entry("how many troops were sent to Russia", user_id=2, latency_ms=30.0),
            entry("who is the president?", found=False, user_id=3, latency_ms=5.0),
            entry("who is the president", found=False, user_id=4, days_ago=1),
            entry("what is the weather?", found=False, user_id=5, guild_id=11, days_ago=2),
            entry("when were images released?", article_id="other", latency_ms=80.0),
        ]
    )
    ids.append(await store.log_question(entry("old one", days_ago=10)))
    out["ids"] = ids
    out["first"] = await store.get_question(ids[0])
    out["missing"] = await store.get_question(10_000)
    votes = [
        await store.vote(ids[0], 7, False),
        await store.vote(ids[0], 8, False),
        await store.vote(ids[0], 7, True),  # changed
        await store.vote(ids[2], 7, False),
        await store.vote(ids[5], 9, True),
    ]
    out["votes"] = votes
    out["default_settings"] = await store.guild_settings(10)
    saved = await store.save_guild_settings(
        GuildSettings(10, answer_channels=(5, 6, 5), cooldown_seconds=30, refusal_threshold=0.7)
    )
    out["saved"] = saved
    out["read_back"] = await store.guild_settings(10)
    for event in (
        article_event("add"),
        article_event("remove", user_id=2),
        article_event("add", guild_id=11, days_ago=1),
        article_event("add", guild_id=None, origin="terminal"),
        article_event("remove", days_ago=10),
    ):
        await store.log_article_event(event)
    out["stats_all"] = (await store.stats(days=7, now=NOW)).to_json()
    out["stats_guild"] = (await store.stats(days=3, guild_id=11, now=NOW)).to_json()
    out["stats_one_day"] = (await store.stats(days=1, now=NOW)).to_json()
    out["pruned"] = await store.prune(now=NOW + timedelta(days=85))
    out["after_prune"] = await store.count_questions()
    return out


async def test_store_contract_backends_agree(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    results = {}
    for backend in BACKENDS:
        opened = new_store(backend, tmp_path, request)
        async with opened:
            assert isinstance(opened, Store)
            results[backend] = await scenario(opened)
    sqlite, postgres = results["sqlite"], results["postgres"]
    assert sqlite.keys() == postgres.keys()
    for key in sqlite:
        assert sqlite[key] == postgres[key], key
    assert sqlite["stats_all"]["questions"] == 6
    assert (sqlite["stats_all"]["articles_added"], sqlite["stats_all"]["articles_removed"]) == (
        3,
        1,
    )
    assert sqlite["pruned"] == 1


async def test_store_contract_log_and_read_back(store: Any) -> None:
    qid = await store.log_question(entry("x" * 5000, user_id=123456789012345678))
    logged = await store.get_question(qid)
    assert logged is not None
    assert len(logged.question) == 1000
    assert logged.asked_at == NOW
    assert (logged.found, logged.answer, logged.sentence_id, logged.source) == (
        True,
        "3,000",
        "art-s1",
        "mention",
    )
    assert logged.user_hash == store.hash_user(123456789012345678)
    assert await store.get_question(qid + 1) is None


async def test_store_contract_votes_change_and_unknown_answers(store: Any) -> None:
    qid = await store.log_question(entry("q"))
    first = await store.vote(qid, 1, False)
    assert (first.previous, first.helpful_count, first.not_helpful_count) == (None, 0, 1)
    again = await store.vote(qid, 1, True)
    assert again.changed and (again.helpful_count, again.not_helpful_count) == (1, 0)
    with pytest.raises(UnknownAnswerError):
        await store.vote(qid + 99, 1, True)


async def test_store_contract_settings_round_trip_and_bounds(store: Any) -> None:
    assert await store.guild_settings(42) == GuildSettings(42)
    saved = await store.save_guild_settings(GuildSettings(42).with_channel(7).with_channel(8))
    assert saved.updated_at is not None
    assert (await store.guild_settings(42)).answer_channels == (7, 8)
    with pytest.raises(SettingsError):
        GuildSettings(42, cooldown_seconds=99999)


async def test_store_contract_concurrent_writes_lose_nothing(store: Any) -> None:
    async def writer(task: int) -> list[int]:
        ids = []
        for i in range(10):
            ids.append(await store.log_question(entry(f"q {task}-{i}", user_id=task)))
        await store.vote(ids[0], user_id=task, helpful=bool(task % 2))
        return ids

    results = await asyncio.gather(*(writer(t) for t in range(20)))
    ids = [i for batch in results for i in batch]
    assert len(set(ids)) == 200
    assert await store.count_questions() == 200
    stats = await store.stats(days=1, now=NOW + timedelta(minutes=1))
    assert stats.questions == 200
    assert stats.helpful_votes + stats.not_helpful_votes == 20


async def test_store_contract_retention_prunes_votes_too(store: Any) -> None:
    old = await store.log_question(entry("old", days_ago=100))
    await store.vote(old, 1, False)
    kept = await store.log_question(entry("new"))
    assert await store.prune(now=NOW) == 1
    assert await store.get_question(old) is None
    assert await store.get_question(kept) is not None
    stats = await store.stats(days=365, now=NOW)
    assert stats.not_helpful_votes == 0


def _event_rows(store: Any) -> list[tuple[Any, ...]]:
    """The stored article events as (user_hash, origin, action, title, source), any backend."""
    sql = "SELECT user_hash, origin, action, title, source FROM article_events ORDER BY id"
    if isinstance(store, PostgresStore):
        with psycopg.connect(store.url) as conn:
            return conn.execute(sql).fetchall()
    import sqlite3

    conn = sqlite3.connect(store.path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


async def test_store_contract_article_events_are_stored_with_a_hashed_user(store: Any) -> None:
    await store.log_article_event(article_event("add", user_id=123456789012345678))
    await store.log_article_event(article_event("remove", origin="terminal", guild_id=None))
    rows = await asyncio.to_thread(_event_rows, store)
    assert rows == [
        (
            store.hash_user(123456789012345678),
            "discord",
            "add",
            "Portland Harbor Lighthouse Reopens",
            "https://news.example/lighthouse",
        ),
        (
            store.hash_user(1),
            "terminal",
            "remove",
            "Portland Harbor Lighthouse Reopens",
            "https://news.example/lighthouse",
        ),
    ]
    assert "123456789012345678" not in repr(rows)


async def test_store_contract_stats_count_article_events_of_the_period_and_server(
    store: Any,
) -> None:
    for event in (
        article_event("add"),
        article_event("add", days_ago=2),
        article_event("remove", days_ago=1),
        article_event("add", guild_id=11),
        article_event("remove", guild_id=None, origin="terminal"),
        article_event("add", days_ago=30),
    ):
        await store.log_article_event(event)
    here = await store.stats(days=7, guild_id=10, now=NOW)
    assert (here.articles_added, here.articles_removed) == (2, 1)
    everywhere = await store.stats(days=7, now=NOW)
    assert (everywhere.articles_added, everywhere.articles_removed) == (3, 2)
    today = (await store.stats(days=1, guild_id=10, now=NOW)).to_json()
    assert (today["articles_added"], today["articles_removed"]) == (1, 0)


async def test_store_contract_retention_prunes_article_events(store: Any) -> None:
    await store.log_article_event(article_event("add", days_ago=100))
    await store.log_article_event(article_event("remove"))
    await store.prune(now=NOW)
    assert [row[2] for row in await asyncio.to_thread(_event_rows, store)] == ["remove"]


# -- PostgreSQL only --------------------------------------------------------------------


def _versions(url: str) -> list[int]:
    with psycopg.connect(url) as conn:
        return [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY 1")]


async def test_postgres_migrations_on_a_fresh_database(pg_url: str) -> None:
    async with make_pg_store(pg_url) as store:
        assert store.migrated_from == 0
    assert _versions(pg_url) == list(range(1, SCHEMA_VERSION + 1))
    with psycopg.connect(pg_url) as conn:
        tables = {
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        }
    assert {
        "questions",
        "votes",
        "guild_settings",
        "index_versions",
        "index_in_force",
        "article_events",
    } <= tables
    async with make_pg_store(pg_url) as store:  # reopening changes nothing
        assert store.migrated_from == SCHEMA_VERSION
    assert _versions(pg_url) == list(range(1, SCHEMA_VERSION + 1))


async def test_postgres_migrates_from_v1_keeping_rows(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        conn.execute(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
            " applied_at TIMESTAMPTZ NOT NULL)"
        )
        for statement in MIGRATIONS[0]:
            conn.execute(statement)  # type: ignore[arg-type]
        conn.execute("INSERT INTO schema_version VALUES (1, now())")
        conn.execute(
            "INSERT INTO questions (asked_at, guild_id, channel_id, user_hash, question, found,"
            " answer, sentence_id, article_id, confidence, latency_ms)"
            " VALUES (%s, 10, 20, 'abc', 'how many troops?', true, '3,000', 'art-s1', 'art',"
            " 0.9, 12.5)",
            (NOW,),
        )
        conn.execute("INSERT INTO votes VALUES (1, 'abc', false, now())")
    async with make_pg_store(pg_url) as store:
        assert store.migrated_from == 1
        logged = await store.get_question(1)
        assert logged is not None and logged.source == "unknown"
        assert (await store.stats(days=1, now=NOW)).not_helpful_votes == 1
        assert await store.log_question(entry("next")) == 2


async def test_postgres_concurrent_first_opens_migrate_once(pg_url: str) -> None:
    stores = [make_pg_store(pg_url) for _ in range(4)]
    await asyncio.gather(*(s.open() for s in stores))
    for s in stores:
        await s.close()
    assert _versions(pg_url) == list(range(1, SCHEMA_VERSION + 1))
    assert sum(1 for s in stores if s.migrated_from == 0) >= 1


async def test_postgres_newer_schema_and_foreign_tables_are_refused(
    pg_server: PostgresServer, pg_url: str
) -> None:
    async with make_pg_store(pg_url):
        pass
    with psycopg.connect(pg_url) as conn:
        conn.execute("INSERT INTO schema_version VALUES (%s, now())", (SCHEMA_VERSION + 1,))
    with pytest.raises(NewerSchemaError, match=f"version {SCHEMA_VERSION + 1}"):
        await make_pg_store(pg_url).open()
    other = pg_server.create_database()
    with psycopg.connect(other) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(CorruptDatabaseError, match="recipes"):
        await make_pg_store(other).open()
    with psycopg.connect(other) as conn:
        assert conn.execute(
            "SELECT count(*) FROM pg_tables WHERE tablename = 'questions'"
        ).fetchone() == (0,)


async def test_postgres_restart_mid_run_loses_no_vote(
    pg_server: PostgresServer, pg_url: str
) -> None:
    async with make_pg_store(pg_url, reconnect_seconds=30) as store:
        qid = await store.log_question(entry("how many troops?"))
        await store.vote(qid, 1, True)
        restart = threading.Thread(target=pg_server.restart, kwargs={"down_seconds": 0.5})
        restart.start()
        try:
            await asyncio.sleep(0.2)  # the server is going down or down
            results = await asyncio.gather(*(store.vote(qid, u, u % 2 == 0) for u in range(2, 12)))
        finally:
            await asyncio.to_thread(restart.join)
        assert pg_server.running
        assert results[-1].helpful_count + results[-1].not_helpful_count >= 1
        stats = await store.stats(days=1, now=NOW + timedelta(hours=11))
        assert stats.helpful_votes + stats.not_helpful_votes == 11


def test_postgres_is_chosen_by_the_database_url(tmp_path: Path) -> None:
    url = "postgresql://bot:secret@db.example:5432/articlebot"
    config = StorageConfig.from_env(
        {"ARTICLEBOT_DATABASE": str(tmp_path / "x.sqlite3"), "ARTICLEBOT_DATABASE_URL": url}
    )
    assert config.database_url == url
    chosen = store_from_config(config)
    assert isinstance(chosen, PostgresStore)
    assert type(store_from_config(StorageConfig(database=tmp_path / "y.sqlite3"))).__name__ == (
        "SQLiteStore"
    )
    with pytest.raises(Exception, match="ARTICLEBOT_DATABASE_URL"):
        StorageConfig.from_env({"ARTICLEBOT_DATABASE_URL": "mysql://nope"})
