"""Shard settings and the sharded bot: ``ARTICLEBOT_SHARD_COUNT`` / ``ARTICLEBOT_SHARD_IDS``."""

from __future__ import annotations

from pathlib import Path

import pytest
from discord.ext import commands

from bot.config import ConfigError, ScaleOut, Settings, parse_shard_ids
from bot.discord_app.client import ArticleBot
from bot.discord_app.errors import ReindexRunning
from bot.discord_app.runner import create_bot
from bot.discord_app.sharding import rebuild_hook, shard_of
from bot.serving.shared_index import REINDEX_LOCK, SharedIndex
from index.engine import Engine


def test_shard_ids_parse_lists_and_ranges() -> None:
    assert parse_shard_ids("0,1") == (0, 1)
    assert parse_shard_ids("2-3") == (2, 3)
    assert parse_shard_ids("0-1, 4,1") == (0, 1, 4)
    for bad in ("", "a", "3-1", "1-x", "-2"):
        with pytest.raises(ValueError):
            parse_shard_ids(bad)


def test_shard_settings_from_env_are_validated_together() -> None:
    assert ScaleOut.from_env({}) == ScaleOut()
    assert not ScaleOut.from_env({}).sharded
    scale = ScaleOut.from_env({"ARTICLEBOT_SHARD_COUNT": "4", "ARTICLEBOT_SHARD_IDS": "2-3"})
    assert scale.client_options() == {"shard_count": 4, "shard_ids": [2, 3]}
    every = ScaleOut.from_env({"ARTICLEBOT_SHARD_COUNT": "2"})
    assert every.client_options() == {"shard_count": 2, "shard_ids": None}
    with pytest.raises(ConfigError) as caught:
        ScaleOut.from_env({"ARTICLEBOT_SHARD_COUNT": "2", "ARTICLEBOT_SHARD_IDS": "1-2"})
    assert "0 to 1" in str(caught.value)
    with pytest.raises(ConfigError, match="needs ARTICLEBOT_SHARD_COUNT"):
        ScaleOut.from_env({"ARTICLEBOT_SHARD_IDS": "0"})
    with pytest.raises(ConfigError, match="ARTICLEBOT_SHARD_COUNT"):
        ScaleOut.from_env({"ARTICLEBOT_SHARD_COUNT": "zero"})


def test_shard_of_guild_follows_discords_rule() -> None:
    guilds = [(n << 22) | 12345 for n in range(8)]
    assert [shard_of(g, 4) for g in guilds] == [0, 1, 2, 3, 0, 1, 2, 3]
    assert shard_of(81384788765712384, 1) == 0


def test_sharded_create_bot_is_an_auto_sharded_article_bot(
    seed_engine: Engine, tmp_path: Path
) -> None:
    settings = Settings(token="t", seeds=tmp_path)
    plain = create_bot(settings, seed_engine, scale=ScaleOut())
    assert type(plain) is ArticleBot
    sharded = create_bot(settings, seed_engine, scale=ScaleOut(shard_count=4, shard_ids=(2, 3)))
    assert isinstance(sharded, ArticleBot)
    assert isinstance(sharded, commands.AutoShardedBot)
    assert sharded.shard_count == 4 and sharded.shard_ids == [2, 3]
    assert sharded.engine is seed_engine


def test_shard_process_reindex_held_elsewhere_is_the_usual_refusal(
    pg_url: str, seeds_copy: Path, tmp_path: Path
) -> None:
    import psycopg

    shared = SharedIndex(pg_url, tmp_path / "state")
    corpus = shared.load_in_force(seeds_copy).report.corpus
    hook = rebuild_hook(shared)
    with psycopg.connect(pg_url, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", (REINDEX_LOCK,))
        with pytest.raises(ReindexRunning):
            hook(seeds_copy, corpus)
    assert hook(seeds_copy, corpus).corpus.articles
