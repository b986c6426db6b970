"""Scale-out wiring on Discord: gateway shards per process, and following the shared index.

The settings (:class:`bot.config.ScaleOut`) say which shards this process runs;
sharded, the bot is an ``AutoShardedBot`` running those shards, else the plain
one-connection bot. With a database URL the index is shared through PostgreSQL
(:mod:`bot.serving.shared_index`), and every process follows its versions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from discord.ext import commands

if TYPE_CHECKING:
    from bot.config import ScaleOut
    from bot.discord_app.client import ArticleBot
    from bot.serving.shared_index import SharedIndex
    from index import Corpus, ReindexReport

log = logging.getLogger(__name__)


def shard_of(guild_id: int, shard_count: int) -> int:
    """Discord's rule: the shard that receives a guild's events."""
    return (guild_id >> 22) % shard_count


_sharded_classes: dict[type, type] = {}


def bot_class(base: type[ArticleBot], scale: ScaleOut) -> type[ArticleBot]:
    """``base`` itself, or ``base`` mixed with ``commands.AutoShardedBot`` when sharded."""
    if not scale.sharded:
        return base
    if base not in _sharded_classes:
        _sharded_classes[base] = type(
            f"Sharded{base.__name__}", (base, commands.AutoShardedBot), {}
        )
    cls: type[ArticleBot] = _sharded_classes[base]
    return cls


def rebuild_hook(shared: SharedIndex) -> Any:
    """The bot's ``rebuild``: reindex and publish; a reindex elsewhere is the usual refusal."""
    from bot.discord_app.errors import ReindexRunning
    from bot.serving.shared_index import ReindexElsewhere

    def rebuild(folder: Path, previous: Corpus) -> ReindexReport:
        try:
            return shared.rebuild_for_bot(folder, previous)
        except ReindexElsewhere:
            raise ReindexRunning() from None

    return rebuild


@contextlib.asynccontextmanager
async def following(bot: ArticleBot, shared: SharedIndex) -> AsyncIterator[asyncio.Task[None]]:
    """Follow the published index versions while the bot runs."""
    task = asyncio.create_task(shared.follow(bot.engine), name="articlebot-index-follower")
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
