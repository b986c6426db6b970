"""Per-server settings as the rest of the bot reads them, and their embed.

:func:`settings_for`, :func:`is_answer_channel`, :func:`cooldown_wait`,
:func:`guild_cooldown` and :func:`ephemeral_ask` are what the ask cog and the
feedback buttons call; with no store they fall back to the bot-wide behaviour.
The ``/config`` commands themselves are the cog in :mod:`bot.discord_app.cogs.settings`.

This is a plain module, never loaded as an extension: ``load_extension``
executes an extension's module afresh and replaces it in ``sys.modules``, so
helpers (and their caches of the last known settings and of when each member
last asked) defined in an extension and imported by another cog would exist
twice. Here there is one copy, shared by every cog.
"""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.discord_app.client import ArticleBot
from bot.discord_app.embeds import INFO
from bot.discord_app.errors import StorageUnavailable
from bot.storage import GuildSettings, Store
from bot.storage.base import MAX_COOLDOWN_SECONDS, MAX_REFUSAL_THRESHOLD, MIN_REFUSAL_THRESHOLD

log = logging.getLogger(__name__)

T = TypeVar("T")


def store_of(bot: ArticleBot) -> Store:
    """The bot's store; raises :class:`StorageUnavailable` (a reply) when it is off."""
    store: Store | None = getattr(bot, "store", None)
    if store is None:
        raise StorageUnavailable()
    return store


def settings_embed(settings: GuildSettings, bot: ArticleBot) -> discord.Embed:
    channels = ", ".join(f"<#{c}>" for c in settings.answer_channels) or "none (mentions and DMs)"
    bot_wide = bot.settings.answer_channel_ids
    if bot_wide:
        channels += f"\nAlso, from the bot's configuration: {', '.join(f'<#{c}>' for c in sorted(bot_wide))}"
    cooldown = (
        f"{settings.cooldown_seconds} s between one member's questions"
        if settings.cooldown_seconds
        else "bot-wide limit only"
    )
    embed = discord.Embed(title="Settings for this server", colour=INFO)
    embed.add_field(name="Answer channels", value=channels[:1024], inline=False)
    embed.add_field(
        name="Cooldown",
        value=f"{cooldown} (bot-wide: {bot.settings.cooldown_questions} questions per "
        f"{bot.settings.cooldown_seconds:g} s)",
        inline=False,
    )
    embed.add_field(
        name="Refusal threshold",
        value=f"{settings.refusal_threshold:.2f} (range {MIN_REFUSAL_THRESHOLD}–"
        f"{MAX_REFUSAL_THRESHOLD}; higher refuses more)",
        inline=False,
    )
    embed.add_field(
        name="/ask answers",
        value="only the member who asked sees them"
        if settings.ephemeral_ask
        else "everyone in the channel sees them",
        inline=False,
    )
    if settings.updated_at:
        embed.timestamp = settings.updated_at
        embed.set_footer(text="Last changed")
    return embed


# A settings read normally takes a millisecond. One waiting for a restarting database must
# not hold up answers, nor keep /ask from being acknowledged within Discord's 3 seconds
# (it reads the settings twice before deferring), so it gives up after this long.
SETTINGS_PATIENCE_SECONDS = 0.5
# /config reads and saves through the store too, and must answer (or defer) in 3 s.
CONFIG_PATIENCE_SECONDS = 1.5
LAST_KNOWN_SERVERS = 10_000  # servers whose last settings are kept for such a fallback
_last_known: weakref.WeakKeyDictionary[ArticleBot, OrderedDict[int, GuildSettings]] = (
    weakref.WeakKeyDictionary()
)


async def settings_for(bot: ArticleBot, guild_id: int | None) -> GuildSettings | None:
    """This server's settings; None in DMs or when storage is off.

    When the store fails or is slower than :data:`SETTINGS_PATIENCE_SECONDS`,
    the settings last read for the server (None, the defaults, if none were):
    a database hiccup must not stop answers.
    """
    store: Store | None = getattr(bot, "store", None)
    if guild_id is None or store is None:
        return None
    known = _last_known.setdefault(bot, OrderedDict())
    try:
        settings = await asyncio.wait_for(store.guild_settings(guild_id), SETTINGS_PATIENCE_SECONDS)
    except TimeoutError:
        log.warning(
            "the settings of server %s were not read in time; using the last known", guild_id
        )
        return known.get(guild_id)
    except Exception:
        log.exception("could not read the settings of server %s", guild_id)
        return known.get(guild_id)
    known[guild_id] = settings
    known.move_to_end(guild_id)
    if len(known) > LAST_KNOWN_SERVERS:
        known.popitem(last=False)
    return settings


async def is_answer_channel(bot: ArticleBot, message: discord.Message) -> bool:
    """Whether /config made this message's channel (or its thread's parent) an answer channel."""
    settings = await settings_for(bot, message.guild.id if message.guild else None)
    if settings is None or not settings.answer_channels:
        return False
    parent = getattr(message.channel, "parent_id", None)
    return message.channel.id in settings.answer_channels or parent in settings.answer_channels


# When each member last asked in each server, per bot (a restart forgets it, as intended).
_last_question: weakref.WeakKeyDictionary[ArticleBot, dict[tuple[int, int], float]] = (
    weakref.WeakKeyDictionary()
)


async def cooldown_wait(bot: ArticleBot, guild_id: int | None, user_id: int) -> float | None:
    """Seconds this member must wait under the server's cooldown, or None (the question counts)."""
    settings = await settings_for(bot, guild_id)
    if settings is None or settings.cooldown_seconds <= 0:
        return None
    last_asked = _last_question.setdefault(bot, {})
    key = (settings.guild_id, user_id)
    now = time.monotonic()
    last = last_asked.get(key)
    if last is not None and now - last < settings.cooldown_seconds:
        return settings.cooldown_seconds - (now - last)
    if len(last_asked) > 10_000:  # forget members whose longest possible cooldown has passed
        horizon = now - MAX_COOLDOWN_SECONDS
        last_asked = _last_question[bot] = {k: t for k, t in last_asked.items() if t > horizon}
    last_asked[key] = now
    return None


def guild_cooldown() -> Callable[[T], T]:
    """Check for slash commands: the server's cooldown, as ``CommandOnCooldown``."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        wait = await cooldown_wait(interaction.client, interaction.guild_id, interaction.user.id)
        if wait is not None:
            raise app_commands.CommandOnCooldown(app_commands.Cooldown(1, wait), wait)
        return True

    return app_commands.check(predicate)


async def ephemeral_ask(bot: ArticleBot, guild_id: int | None) -> bool:
    settings = await settings_for(bot, guild_id)
    return settings is not None and settings.ephemeral_ask
