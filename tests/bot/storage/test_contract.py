"""The storage contract: each behaviour of :class:`~bot.storage.store.Store`, on both backends.

Every test here runs once per backend (``[sqlite]``, ``[postgres]``, see
``conftest.py``); :func:`test_backends_agree_call_for_call` runs one scenario on
both and compares everything they return. Backend-only behaviour (files,
schema versions, the PostgreSQL pool and restarts) is in ``test_sqlite_file.py``
and ``test_postgres_server.py``.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from bot.storage import (
    GuildSettings,
    QuestionEntry,
    SettingsError,
    Store,
    StoreError,
    UnknownAnswerError,
)
from bot.storage.store import MAX_SQL_ID
from tests.bot.storage.conftest import BACKENDS, Stores
from tests.bot.store_helpers import NOW, article_event, entry, table_rows

USER = 123456789012345678  # a Discord-sized id, never to be found in storage


def _rows(store: Store, sql: str) -> Any:
    return asyncio.to_thread(table_rows, store, sql)


# -- the question log --------------------------------------------------------------------


async def test_a_store_is_a_store(store: Any) -> None:
    assert isinstance(store, Store)


async def test_logged_question_reads_back_clipped(store: Any) -> None:
    qid = await store.log_question(entry("x" * 5000, user_id=USER))
    logged = await store.get_question(qid)
    assert logged is not None
    assert (len(logged.question), logged.asked_at, logged.source) == (1000, NOW, "mention")
    assert (logged.found, logged.answer, logged.sentence_id, logged.article_id) == (
        True,
        "3,000",
        "art-s1",
        "art",
    )
    assert (logged.guild_id, logged.channel_id, logged.confidence, logged.latency_ms) == (
        10,
        20,
        0.9,
        10.0,
    )


async def test_numbers_out_of_range_are_stored_in_range(store: Any) -> None:
    odd = QuestionEntry(1, "q", True, "a" * 400, confidence=float("nan"), latency_ms=-5.0)
    logged = await store.get_question(await store.log_question(odd))
    assert (logged.confidence, logged.latency_ms, len(logged.answer)) == (0.0, 0.0, 300)


async def test_the_raw_user_id_is_never_stored(store: Any) -> None:
    qid = await store.log_question(entry("q", user_id=USER))
    await store.vote(qid, USER, True)
    await store.log_article_event(article_event(user_id=USER))
    logged = await store.get_question(qid)
    assert logged.user_hash == store.hash_user(USER) != store.hash_user(USER + 1)
    everything = [
        await _rows(store, f"SELECT * FROM {table}")
        for table in ("questions", "votes", "article_events")
    ]
    assert str(USER) not in repr(everything)


async def test_batches_get_ids_in_order(store: Any) -> None:
    ids = await store.log_questions(entry(f"q{i}") for i in range(3))
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert [(await store.get_question(i)).question for i in ids] == ["q0", "q1", "q2"]
    assert await store.log_questions([]) == []


async def test_an_unknown_answer_id_reads_as_none(store: Any) -> None:
    qid = await store.log_question(entry("q"))
    for missing in (qid + 1, 10_000, MAX_SQL_ID + 1, -(2**70)):  # also ids SQL cannot bind
        assert await store.get_question(missing) is None


async def test_concurrent_writes_from_many_tasks_lose_nothing(store: Any) -> None:
    async def writer(task: int) -> list[int]:
        ids = []
        for i in range(25):
            ids.append(await store.log_question(entry(f"q {task}-{i}", user_id=task)))
            if i % 5 == 0:
                await store.vote(ids[0], user_id=i, helpful=bool(task % 2))
        return ids

    results = await asyncio.gather(*(writer(t) for t in range(40)))
    ids = [i for batch in results for i in batch]
    assert len(ids) == len(set(ids)) == 1000
    assert await store.count_questions() == 1000
    stats = await store.stats(days=1, now=NOW + timedelta(minutes=1))
    assert stats.questions == 1000
    assert stats.helpful_votes + stats.not_helpful_votes == 40 * 5


async def test_a_reopened_store_keeps_its_rows(stores: Stores) -> None:
    async with stores.new() as first:
        qid = await first.log_question(entry("how many troops?"))
    async with stores.twin(first) as again:
        assert await again.count_questions() == 1
        assert (await again.get_question(qid)).question == "how many troops?"


async def test_a_store_that_is_not_open_says_so(stores: Stores) -> None:
    with pytest.raises(StoreError, match="not open"):
        await stores.new().log_question(entry("q"))


# -- votes ---------------------------------------------------------------------------------


async def test_a_first_vote_is_counted(store: Any) -> None:
    qid = await store.log_question(entry("q"))
    first = await store.vote(qid, 1, False)
    assert (first.previous, first.changed, first.helpful_count, first.not_helpful_count) == (
        None,
        False,
        0,
        1,
    )


async def test_voting_again_replaces_the_earlier_vote(store: Any) -> None:
    qid = await store.log_question(entry("q"))
    await store.vote(qid, 1, False)
    await store.vote(qid, 2, False)
    again = await store.vote(qid, 1, True)
    assert (again.previous, again.changed) == (False, True)
    assert (again.helpful_count, again.not_helpful_count) == (1, 1)
    same = await store.vote(qid, 1, True)
    assert (same.previous, same.changed, same.helpful_count) == (True, False, 1)


@pytest.mark.parametrize("offset", [99, 2**64])
async def test_a_vote_on_an_unknown_answer_is_refused(store: Any, offset: int) -> None:
    qid = await store.log_question(entry("q"))
    with pytest.raises(UnknownAnswerError):
        await store.vote(qid + offset, 1, True)
    assert (await store.stats(days=1, now=NOW)).helpful_votes == 0


# -- per-server settings ------------------------------------------------------------------------


async def test_a_server_without_settings_gets_the_defaults(store: Any) -> None:
    assert await store.guild_settings(42) == GuildSettings(42)


async def test_saved_settings_read_back(stores: Stores) -> None:
    async with stores.new() as store:
        wanted = GuildSettings(42, (7, 8, 7), cooldown_seconds=30, refusal_threshold=0.7)
        saved = await store.save_guild_settings(wanted.with_channel(9))
        assert saved.updated_at is not None and saved.answer_channels == (7, 8, 9)
        assert await store.guild_settings(42) == saved
    async with stores.twin(store) as fresh:  # from the database, not a cache
        read = await fresh.guild_settings(42)
    assert read == saved and read.ephemeral_ask is False
    assert abs((read.updated_at - saved.updated_at).total_seconds()) < 0.001


async def test_a_servers_conversation_window_is_saved_and_unset_means_the_bots(
    stores: Stores,
) -> None:
    async with stores.new() as store:
        assert (await store.guild_settings(42)).conversation_minutes is None  # the bot's own
        await store.save_guild_settings(GuildSettings(42, conversation_minutes=0))
        await store.save_guild_settings(GuildSettings(43, conversation_minutes=12))
        await store.save_guild_settings(GuildSettings(44, cooldown_seconds=30))
    async with stores.twin(store) as fresh:  # from the database, not a cache
        windows = [(await fresh.guild_settings(g)).conversation_minutes for g in (42, 43, 44)]
        assert windows == [0, 12, None]
        await fresh.save_guild_settings(GuildSettings(43))  # reset: back to the bot's
        assert await _rows(
            fresh, "SELECT conversation_minutes FROM guild_settings WHERE guild_id = 43"
        ) == [(None,)]


async def test_settings_out_of_bounds_are_refused_and_nothing_is_saved(store: Any) -> None:
    with pytest.raises(SettingsError):
        GuildSettings(42, cooldown_seconds=99999)
    forged = GuildSettings(42)
    object.__setattr__(forged, "refusal_threshold", 5.0)  # a hand-made invalid copy
    with pytest.raises(SettingsError):
        await store.save_guild_settings(forged)
    assert await store.guild_settings(42) == GuildSettings(42)


async def test_own_settings_changes_are_seen_at_once(store: Any) -> None:
    await store.guild_settings(42)  # cached
    await store.save_guild_settings(GuildSettings(42, cooldown_seconds=60))
    assert (await store.guild_settings(42)).cooldown_seconds == 60


async def test_another_process_settings_change_is_seen_within_the_ttl(
    stores: Stores, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr("bot.storage.store.monotonic", lambda: clock[0])
    async with stores.new() as here, stores.twin(here) as other:
        assert (await here.guild_settings(42)).cooldown_seconds == 0
        await other.save_guild_settings(GuildSettings(42, cooldown_seconds=60))
        clock[0] += here.settings_ttl - 0.5
        assert (await here.guild_settings(42)).cooldown_seconds == 0  # cached, not read again
        clock[0] += 0.5
        assert (await here.guild_settings(42)).cooldown_seconds == 60
    assert 1 <= here.settings_ttl <= 10  # "within a few seconds", the documented figure


async def test_settings_are_read_at_most_once_per_ttl(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []
    real = store._select_settings

    async def counted(guild_id: int) -> Any:
        reads.append(guild_id)
        return await real(guild_id)

    monkeypatch.setattr(store, "_select_settings", counted)
    for _ in range(50):
        await store.guild_settings(42)
    await store.guild_settings(43)
    assert reads == [42, 43]


async def test_a_save_during_a_read_is_not_overwritten_by_the_read(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store._select_settings
    reading = asyncio.Event()
    release = asyncio.Event()

    async def slow(guild_id: int) -> Any:
        row = await real(guild_id)  # the old settings
        reading.set()
        await release.wait()
        return row

    monkeypatch.setattr(store, "_select_settings", slow)
    read = asyncio.create_task(store.guild_settings(42))
    await reading.wait()
    await store.save_guild_settings(GuildSettings(42, cooldown_seconds=60))
    release.set()
    assert (await read).cooldown_seconds == 0  # that read began before the save
    assert (await store.guild_settings(42)).cooldown_seconds == 60


async def test_the_settings_cache_is_bounded(store: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.storage.store.SETTINGS_CACHE_SIZE", 3)
    for guild_id in range(1, 6):
        await store.guild_settings(guild_id)
    assert list(store._settings) == [3, 4, 5]


# -- article events ----------------------------------------------------------------------------


async def test_article_events_are_stored_with_a_hashed_user(store: Any) -> None:
    await store.log_article_event(article_event("add", user_id=USER))
    await store.log_article_event(article_event("remove", origin="terminal", guild_id=None))
    stored = await _rows(
        store, "SELECT user_hash, origin, action, title, source FROM article_events ORDER BY id"
    )
    title, link = "Portland Harbor Lighthouse Reopens", "https://news.example/lighthouse"
    assert stored == [
        (store.hash_user(USER), "discord", "add", title, link),
        (store.hash_user(1), "terminal", "remove", title, link),
    ]


async def test_stats_count_article_events_of_the_period_and_server(store: Any) -> None:
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
    today = await store.stats(days=1, guild_id=10, now=NOW)
    assert (today.articles_added, today.articles_removed) == (1, 0)


# -- retention -----------------------------------------------------------------------------------


async def test_retention_prunes_old_questions_and_their_votes(stores: Stores) -> None:
    async with stores.new(retention_days=30) as store:
        old = await store.log_question(entry("old question", days_ago=31))
        kept = await store.log_question(entry("recent question", days_ago=29))
        await store.vote(old, user_id=5, helpful=False)
        assert await store.prune(now=NOW) == 1
        assert await store.get_question(old) is None
        assert await store.get_question(kept) is not None
        assert await _rows(store, "SELECT question_id FROM votes") == []


async def test_retention_prunes_article_events(store: Any) -> None:
    await store.log_article_event(article_event("add", days_ago=100))
    await store.log_article_event(article_event("remove"))
    await store.prune(now=NOW)
    assert await _rows(store, "SELECT action FROM article_events") == [("remove",)]


async def test_opening_prunes_and_zero_keeps_forever(stores: Stores) -> None:
    async with stores.new(retention_days=0) as store:
        await store.log_question(entry("ancient", now=NOW - timedelta(days=4000)))
        assert await store.prune() == 0
    async with stores.twin(store, retention_days=30) as again:
        assert await again.count_questions() == 0


async def test_the_daily_pruning_task_runs_and_stops_on_close(stores: Stores) -> None:
    store = stores.new(retention_days=1)
    await store.open()
    task = store.start_pruning(timedelta(seconds=0.01))
    await store.log_question(entry("old", now=NOW - timedelta(days=400)))
    for _ in range(200):
        if await store.count_questions() == 0:
            break
        await asyncio.sleep(0.01)
    assert await store.count_questions() == 0
    await store.close()
    assert task.cancelled()


# -- both backends, call for call ----------------------------------------------------------------


async def _scenario(store: Any) -> dict[str, Any]:
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
    out["votes"] = [
        await store.vote(ids[0], 7, False),
        await store.vote(ids[0], 8, False),
        await store.vote(ids[0], 7, True),  # changed
        await store.vote(ids[2], 7, False),
        await store.vote(ids[5], 9, True),
    ]
    out["default_settings"] = await store.guild_settings(10)
    out["saved"] = await store.save_guild_settings(
        GuildSettings(10, answer_channels=(5, 6, 5), cooldown_seconds=30, refusal_threshold=0.7)
    )
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


async def test_backends_agree_call_for_call(request: pytest.FixtureRequest, tmp_path: Any) -> None:
    results = {}
    for backend in BACKENDS:
        server = request.getfixturevalue("pg_server") if backend == "postgres" else None
        async with Stores(tmp_path, server).new() as store:
            results[backend] = await _scenario(store)
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
