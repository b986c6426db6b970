"""Scale-out settings and wiring: gateway shards per process, and the shared index.

``ARTICLEBOT_SHARD_COUNT`` (total shards across all processes) and
``ARTICLEBOT_SHARD_IDS`` (this process's shards: ``0,1`` or ``0-1``) make the
bot an ``AutoShardedBot`` running those shards; unset, it is the plain
one-connection bot. ``ARTICLEBOT_DATABASE_URL`` (read by
:class:`~bot.storage.config.StorageConfig`) makes the index shared through
PostgreSQL (:mod:`bot.discord_app.shared_index`); ``ARTICLEBOT_STATE_DIR`` is
where this process keeps the files of the version it serves.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from discord.ext import commands

from bot.discord_app.config import ConfigError

if TYPE_CHECKING:
    from bot.discord_app.client import ArticleBot
    from bot.discord_app.shared_index import SharedIndex
    from index.corpus import Corpus
    from index.reindex import ReindexReport

log = logging.getLogger(__name__)

MAX_SHARDS = 4096
DEFAULT_STATE_DIR = Path("data") / "shared-index"


def shard_of(guild_id: int, shard_count: int) -> int:
    """Discord's rule: the shard that receives a guild's events."""
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True, slots=True)
class ScaleOut:
    """How this process takes part in a scaled-out deployment."""

    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    database_url: str | None = None
    state_dir: Path = DEFAULT_STATE_DIR

    @property
    def sharded(self) -> bool:
        return self.shard_count is not None

    @property
    def shared_index(self) -> bool:
        return self.database_url is not None

    def client_options(self) -> dict[str, Any]:
        """``shard_count`` / ``shard_ids`` for ``AutoShardedBot`` (empty when not sharded)."""
        if self.shard_count is None:
            return {}
        ids = list(self.shard_ids) if self.shard_ids is not None else None
        return {"shard_count": self.shard_count, "shard_ids": ids}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ScaleOut:
        env = os.environ if environ is None else environ
        problems: list[str] = []
        count_text = env.get("ARTICLEBOT_SHARD_COUNT", "").strip()
        ids_text = env.get("ARTICLEBOT_SHARD_IDS", "").strip()
        count: int | None = None
        if count_text:
            if not count_text.isdigit() or not 1 <= int(count_text) <= MAX_SHARDS:
                problems.append(
                    f"ARTICLEBOT_SHARD_COUNT must be a whole number from 1 to {MAX_SHARDS}"
                )
            else:
                count = int(count_text)
        ids: tuple[int, ...] | None = None
        if ids_text:
            if not count_text:
                problems.append("ARTICLEBOT_SHARD_IDS needs ARTICLEBOT_SHARD_COUNT (the total)")
            try:
                ids = parse_shard_ids(ids_text)
            except ValueError as exc:
                problems.append(f"ARTICLEBOT_SHARD_IDS: {exc}")
            if ids is not None and count is not None and max(ids) >= count:
                problems.append(
                    f"ARTICLEBOT_SHARD_IDS: shard ids run from 0 to {count - 1} "
                    f"(ARTICLEBOT_SHARD_COUNT={count})"
                )
        url = env.get("ARTICLEBOT_DATABASE_URL", "").strip() or None
        state = Path(env.get("ARTICLEBOT_STATE_DIR", "").strip() or DEFAULT_STATE_DIR)
        if problems:
            raise ConfigError(problems)
        return cls(count, ids, url, state)


def parse_shard_ids(text: str) -> tuple[int, ...]:
    """``"0,1"``, ``"2-3"`` or ``"0-1,4"`` -> sorted unique ids."""
    ids: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        low, _, high = part.partition("-")
        if not low.strip().isdigit() or (high and not high.strip().isdigit()):
            raise ValueError(f"{part!r} is not a shard id or a range like 0-3")
        first, last = int(low), int(high) if high else int(low)
        if last < first:
            raise ValueError(f"the range {part!r} runs backwards")
        ids.update(range(first, last + 1))
    if not ids:
        raise ValueError("no shard ids given")
    return tuple(sorted(ids))


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
    from bot.discord_app.shared_index import ReindexElsewhere

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


def load_engine(
    seeds: Path, scale: ScaleOut | None = None, *, index_dir: Path | None = None
) -> tuple[Any, SharedIndex | None]:
    """The engine to serve: from the seeds folder, or the version in force in PostgreSQL.

    Raises the loader's errors, :class:`~bot.storage.base.StoreError` when the
    database cannot be used, :class:`ConfigError` for bad scale-out settings.
    """
    from index.building import load_corpus
    from index.engine import Engine

    scale = scale or ScaleOut.from_env()
    if not scale.shared_index:
        return Engine(load_corpus(seeds, index_dir=index_dir)), None
    from bot.discord_app.shared_index import SharedIndex

    assert scale.database_url is not None
    shared = SharedIndex(scale.database_url, scale.state_dir)
    switch = shared.load_in_force(seeds)
    log.info("serving index version %d", switch.version)
    return Engine(switch.report.corpus), shared
