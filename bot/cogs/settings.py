"""``/config``: per-server answer channels, cooldown, refusal threshold, ephemeral ``/ask``.

Settings live in the store (which caches them); a change is saved and the
next question already uses it (no restart). The helpers at the bottom
(:func:`settings_for`, :func:`is_answer_channel`, :func:`cooldown_wait`,
:func:`guild_cooldown`, :func:`ephemeral_ask`) are what the ask cog calls; with
no store they fall back to the bot-wide behaviour. They keep no state in the
cog: ``load_extension`` executes this module afresh, so classes and globals
here are not shared with the copy the ask cog imported.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.checks import admin_only
from bot.client import ArticleBot
from bot.embeds import INFO
from bot.errors import UserFacingError
from bot.storage import GuildSettings, SettingsError, Store
from bot.storage.base import (
    MAX_COOLDOWN_SECONDS,
    MAX_REFUSAL_THRESHOLD,
    MIN_COOLDOWN_SECONDS,
    MIN_REFUSAL_THRESHOLD,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
COG_NAME = "ServerSettings"
Setting = Literal["all", "channels", "cooldown", "threshold", "ephemeral"]


class StorageUnavailable(UserFacingError):
    def __init__(self) -> None:
        super().__init__(
            "Settings and statistics are off: the bot's database could not be opened at start "
            "(the bot's log says why). Questions are still answered."
        )


class BadSetting(UserFacingError):
    """A value out of bounds; the message names the bounds."""


def store_of(bot: ArticleBot) -> Store:
    store: Store | None = getattr(bot, "store", None)
    if store is None:
        raise StorageUnavailable()
    return store


class ServerSettings(commands.Cog, name=COG_NAME):
    """``/config``: per-server settings, admins only."""

    config = app_commands.Group(
        name="config",
        description="Show or change how the bot behaves in this server (admins).",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    async def get(self, guild_id: int) -> GuildSettings:
        return await store_of(self.bot).guild_settings(guild_id)

    async def change(self, guild_id: int, **changes: Any) -> GuildSettings:
        """Validate and save; raises :class:`BadSetting` naming the bounds."""
        current = await self.get(guild_id)
        try:
            wanted = dataclasses.replace(current, **changes)
        except SettingsError as exc:
            raise BadSetting(f"Not changed: {exc}.") from exc
        saved = await store_of(self.bot).save_guild_settings(wanted)
        log.info("server %s settings changed: %s", guild_id, sorted(changes))
        return saved

    # -- /config ----------------------------------------------------------------

    @config.command(name="show")
    @admin_only()
    async def show(self, interaction: discord.Interaction[ArticleBot]) -> None:
        """Show this server's settings."""
        assert interaction.guild_id is not None
        settings = await self.get(interaction.guild_id)
        await interaction.response.send_message(
            embed=settings_embed(settings, self.bot), ephemeral=True
        )

    @config.command(name="channel-add")
    @app_commands.describe(channel="Answer every question asked in this channel")
    @admin_only()
    async def channel_add(
        self, interaction: discord.Interaction[ArticleBot], channel: discord.TextChannel
    ) -> None:
        """Answer every question in a channel (not only mentions)."""
        assert interaction.guild_id is not None
        current = await self.get(interaction.guild_id)
        saved = await self.change(
            interaction.guild_id, answer_channels=(*current.answer_channels, channel.id)
        )
        note = ""
        if not self.bot.intents.message_content:
            note = (
                "\nNote: the bot runs without the Message Content intent, so in that channel it "
                "still only sees messages that mention it. Set ARTICLEBOT_ANSWER_CHANNEL_IDS "
                "(which turns the intent on) to answer every message."
            )
        await self._done(interaction, saved, f"I'll answer questions in {channel.mention}.{note}")

    @config.command(name="channel-remove")
    @app_commands.describe(channel="Stop answering every question in this channel")
    @admin_only()
    async def channel_remove(
        self, interaction: discord.Interaction[ArticleBot], channel: discord.TextChannel
    ) -> None:
        """Stop answering every question in a channel (mentions still work)."""
        assert interaction.guild_id is not None
        current = await self.get(interaction.guild_id)
        if channel.id not in current.answer_channels:
            raise BadSetting(f"{channel.mention} is not an answer channel here.")
        saved = await self.change(
            interaction.guild_id,
            answer_channels=current.without_channel(channel.id).answer_channels,
        )
        await self._done(
            interaction, saved, f"I no longer answer every question in {channel.mention}."
        )

    @config.command(name="cooldown")
    @app_commands.describe(
        seconds=f"Seconds between one member's questions here, {MIN_COOLDOWN_SECONDS} to "
        f"{MAX_COOLDOWN_SECONDS} (0: only the bot-wide limit)"
    )
    @admin_only()
    async def cooldown(
        self,
        interaction: discord.Interaction[ArticleBot],
        seconds: app_commands.Range[int, MIN_COOLDOWN_SECONDS, MAX_COOLDOWN_SECONDS],
    ) -> None:
        """Set the minimum time between one member's questions in this server."""
        assert interaction.guild_id is not None
        saved = await self.change(interaction.guild_id, cooldown_seconds=seconds)
        await self._done(interaction, saved, f"Cooldown set to {seconds} s.")

    @config.command(name="threshold")
    @app_commands.describe(
        value=f"Lowest confidence that still gets an answer, {MIN_REFUSAL_THRESHOLD} "
        f"(default) to {MAX_REFUSAL_THRESHOLD} (stricter)"
    )
    @admin_only()
    async def threshold(
        self,
        interaction: discord.Interaction[ArticleBot],
        value: app_commands.Range[float, MIN_REFUSAL_THRESHOLD, MAX_REFUSAL_THRESHOLD],
    ) -> None:
        """Set how sure the bot must be to answer instead of saying the articles don't say."""
        assert interaction.guild_id is not None
        saved = await self.change(interaction.guild_id, refusal_threshold=value)
        await self._done(interaction, saved, f"Refusal threshold set to {value:.2f}.")

    @config.command(name="ephemeral")
    @app_commands.describe(mode="Who sees /ask answers")
    @app_commands.choices(
        mode=[
            app_commands.Choice(name="only the member who asked", value="on"),
            app_commands.Choice(name="everyone in the channel", value="off"),
        ]
    )
    @admin_only()
    async def ephemeral(
        self, interaction: discord.Interaction[ArticleBot], mode: app_commands.Choice[str]
    ) -> None:
        """Choose whether /ask answers are visible only to the member who asked."""
        assert interaction.guild_id is not None
        saved = await self.change(interaction.guild_id, ephemeral_ask=mode.value == "on")
        await self._done(interaction, saved, f"/ask answers are now seen by {mode.name}.")

    @config.command(name="reset")
    @app_commands.describe(setting="Which setting goes back to its default")
    @admin_only()
    async def reset(
        self, interaction: discord.Interaction[ArticleBot], setting: Setting = "all"
    ) -> None:
        """Put one setting, or all of them, back to the default."""
        assert interaction.guild_id is not None
        default = GuildSettings(interaction.guild_id)
        fields = {
            "channels": ("answer_channels",),
            "cooldown": ("cooldown_seconds",),
            "threshold": ("refusal_threshold",),
            "ephemeral": ("ephemeral_ask",),
        }
        names = (
            [n for group in fields.values() for n in group] if setting == "all" else fields[setting]
        )
        saved = await self.change(
            interaction.guild_id, **{name: getattr(default, name) for name in names}
        )
        await self._done(interaction, saved, f"Reset {setting} to the default.")

    async def _done(
        self, interaction: discord.Interaction[ArticleBot], saved: GuildSettings, text: str
    ) -> None:
        await interaction.response.send_message(
            text,
            embed=settings_embed(saved, self.bot),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )


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


# -- helpers for the ask cog -------------------------------------------------------


# A settings read normally takes a millisecond. One waiting for a restarting database must
# not hold up answers, nor keep /ask from being acknowledged within Discord's 3 seconds
# (it reads the settings twice before deferring), so it gives up after this long.
SETTINGS_PATIENCE_SECONDS = 0.5
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


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(ServerSettings(bot))
