"""Per-server settings for ``/config``: the store they need, and their embed.

Questions read the settings through the answering service
(:meth:`bot.serving.answering.AnsweringService.settings`), once per question.
The ``/config`` commands themselves are the cog in :mod:`bot.discord_app.cogs.settings`.

This is a plain module, never loaded as an extension: ``load_extension``
executes an extension's module afresh and replaces it in ``sys.modules``, so
helpers defined in an extension and imported by another cog would exist twice.
"""

from __future__ import annotations

import logging
from typing import TypeVar

import discord

from bot.discord_app.client import ArticleBot
from bot.discord_app.embeds import INFO
from bot.discord_app.errors import StorageUnavailable
from bot.storage import GuildSettings, Store
from bot.storage.base import (
    MAX_CONVERSATION_MINUTES,
    MAX_REFUSAL_THRESHOLD,
    MIN_CONVERSATION_MINUTES,
    MIN_REFUSAL_THRESHOLD,
)

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
    embed.add_field(name="Conversations", value=conversation_line(settings, bot), inline=False)
    if settings.updated_at:
        embed.timestamp = settings.updated_at
        embed.set_footer(text="Last changed")
    return embed


def conversation_line(settings: GuildSettings, bot: ArticleBot) -> str:
    """How long one member's questions in a channel stay one conversation here."""
    bot_wide = bot.settings.conversation_minutes
    bounds = f"range {MIN_CONVERSATION_MINUTES}–{MAX_CONVERSATION_MINUTES} min"
    minutes = settings.conversation_minutes
    if minutes is None:
        return (
            f"{bot_wide:g} min, the bot's default: a member's follow-up in the same channel "
            f"within it is read with their last question ({bounds})"
        )
    if minutes == 0:
        return (
            "off: each question in a channel is read on its own; threads, DMs and replies "
            f"to an answer keep their context ({bounds}; bot's default {bot_wide:g} min)"
        )
    return (
        f"{minutes} min: a member's follow-up in the same channel within it is read with "
        f"their last question ({bounds}; bot's default {bot_wide:g} min)"
    )


# /config reads and saves through the store too, and must answer (or defer) in 3 s.
CONFIG_PATIENCE_SECONDS = 1.5
