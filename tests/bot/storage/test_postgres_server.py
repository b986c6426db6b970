"""The PostgreSQL backend's own behaviour: migrations on a shared database, foreign and newer
schemas, concurrent first opens, and a server restart in the middle of a run."""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from datetime import timedelta

import psycopg
import pytest

from bot.storage import CorruptDatabaseError, NewerSchemaError
from bot.storage.postgres_schema import MIGRATIONS, SCHEMA_VERSION
from tests.bot.store_helpers import NOW, entry, make_pg_store
from tests.pg_server import PostgresServer


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
            conn.execute(statement)
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


async def test_postgres_migrating_v4_keeps_server_settings_on_the_bots_window(
    pg_url: str,
) -> None:
    with psycopg.connect(pg_url) as conn:
        conn.execute(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY,"
            " applied_at TIMESTAMPTZ NOT NULL)"
        )
        for version, statements in enumerate(MIGRATIONS[:4], start=1):
            for statement in statements:
                conn.execute(statement)
            conn.execute("INSERT INTO schema_version VALUES (%s, now())", (version,))
        conn.execute("INSERT INTO guild_settings VALUES (42, '{7}', 30, 0.7, true, now())")
    async with make_pg_store(pg_url) as store:
        assert store.migrated_from == 4
        kept = await store.guild_settings(42)
        assert (kept.answer_channels, kept.cooldown_seconds, kept.ephemeral_ask) == ((7,), 30, True)
        assert kept.conversation_minutes is None  # the bot's own window until /config sets one
        saved = await store.save_guild_settings(dataclasses.replace(kept, conversation_minutes=0))
    async with make_pg_store(pg_url) as store:
        assert await store.guild_settings(42) == saved
    assert _versions(pg_url) == list(range(1, SCHEMA_VERSION + 1)) == [1, 2, 3, 4, 5]


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


async def test_postgres_pool_holds_at_most_pool_size_connections(pg_url: str) -> None:
    dbname = pg_url.rsplit("/", 1)[1]
    async with make_pg_store(pg_url, pool_size=2) as store:
        ids = await asyncio.gather(*(store.log_question(entry(f"q{i}")) for i in range(30)))
        assert len(set(ids)) == 30
        with psycopg.connect(pg_url) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (dbname,),
            ).fetchone()
    assert row is not None and 1 <= row[0] <= 2
