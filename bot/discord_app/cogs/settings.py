"""``/config``: per-server answer channels, cooldown, refusal threshold, ephemeral ``/ask``,
conversation window.

Settings live in the store (which caches them for 5 s; its own saves at once); a change
is saved and the next question already uses it (no restart). Questions read them through
the answering service (:meth:`bot.serving.answering.AnsweringService.settings`); the
helpers this cog shares with ``/stats`` live in the plain module
:mod:`bot.discord_app.server_settings`: this extension's module is executed afresh by
``load_extension``, so nothing here is imported elsewhere.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app import server_settings
from bot.discord_app.checks import admin_only
from bot.discord_app.client import ArticleBot, in_time
from bot.discord_app.errors import BadSetting
from bot.discord_app.server_settings import settings_embed, store_of
from bot.storage import GuildSettings, SettingsError
from bot.storage.base import (
    MAX_CONVERSATION_MINUTES,
    MAX_COOLDOWN_SECONDS,
    MAX_REFUSAL_THRESHOLD,
    MIN_CONVERSATION_MINUTES,
    MIN_COOLDOWN_SECONDS,
    MIN_REFUSAL_THRESHOLD,
)

log = logging.getLogger(__name__)

COG_NAME = "ServerSettings"
Setting = Literal["all", "channels", "cooldown", "threshold", "ephemeral", "conversation"]
Changes = Callable[[GuildSettings], dict[str, Any]]


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

    async def get(self, interaction: discord.Interaction[ArticleBot]) -> GuildSettings:
        """This server's settings, read in time (see :meth:`update`)."""
        assert interaction.guild_id is not None
        read = store_of(self.bot).guild_settings(interaction.guild_id)
        return await in_time(interaction, read, server_settings.CONFIG_PATIENCE_SECONDS)

    async def update(
        self, interaction: discord.Interaction[ArticleBot], changes: Changes
    ) -> GuildSettings:
        """Read, change and save this server's settings as one piece of work.

        A store waiting out a database restart would keep the command past
        Discord's 3 seconds, so after :data:`~bot.discord_app.server_settings.CONFIG_PATIENCE_SECONDS`
        the command is acknowledged (privately) and answered when the work ends;
        the store's :class:`StoreError` reaches the tree's handler, which says the
        database is unreachable. One deadline for the whole read-change-save, not one
        per store call, so two slow calls cannot add up past it.
        """
        assert interaction.guild_id is not None
        work = self.change(interaction.guild_id, changes)
        return await in_time(interaction, work, server_settings.CONFIG_PATIENCE_SECONDS)

    async def change(self, guild_id: int, changes: Changes) -> GuildSettings:
        """Validate and save ``changes(current)``; raises :class:`BadSetting` naming the bounds."""
        store = store_of(self.bot)
        current = await store.guild_settings(guild_id)
        fields = changes(current)
        try:
            wanted = dataclasses.replace(current, **fields)
        except SettingsError as exc:
            raise BadSetting(f"Not changed: {exc}.") from exc
        saved = await store.save_guild_settings(wanted)
        log.info("server %s settings changed: %s", guild_id, sorted(fields))
        return saved

    # -- /config ----------------------------------------------------------------

    @config.command(name="show")
    @admin_only()
    async def show(self, interaction: discord.Interaction[ArticleBot]) -> None:
        """Show this server's settings."""
        settings = await self.get(interaction)
        await self._send(interaction, embed=settings_embed(settings, self.bot))

    @config.command(name="channel-add")
    @app_commands.describe(channel="Answer every question asked in this channel")
    @admin_only()
    async def channel_add(
        self, interaction: discord.Interaction[ArticleBot], channel: discord.TextChannel
    ) -> None:
        """Answer every question in a channel (not only mentions)."""
        saved = await self.update(
            interaction,
            lambda current: {"answer_channels": (*current.answer_channels, channel.id)},
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

        def without(current: GuildSettings) -> dict[str, Any]:
            if channel.id not in current.answer_channels:
                raise BadSetting(f"{channel.mention} is not an answer channel here.")
            return {"answer_channels": current.without_channel(channel.id).answer_channels}

        saved = await self.update(interaction, without)
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
        saved = await self.update(interaction, lambda _: {"cooldown_seconds": seconds})
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
        saved = await self.update(interaction, lambda _: {"refusal_threshold": value})
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
        on = mode.value == "on"
        saved = await self.update(interaction, lambda _: {"ephemeral_ask": on})
        await self._done(interaction, saved, f"/ask answers are now seen by {mode.name}.")

    @config.command(name="conversation")
    @app_commands.describe(
        minutes=f"How long one member's questions in a channel stay one conversation, "
        f"{MIN_CONVERSATION_MINUTES} (off) to {MAX_CONVERSATION_MINUTES}"
    )
    @admin_only()
    async def conversation(
        self,
        interaction: discord.Interaction[ArticleBot],
        minutes: app_commands.Range[int, MIN_CONVERSATION_MINUTES, MAX_CONVERSATION_MINUTES],
    ) -> None:
        """Set how long a member's follow-ups in a channel are read with their last question."""
        saved = await self.update(interaction, lambda _: {"conversation_minutes": minutes})
        if minutes:
            text = (
                f"Conversation window set to {minutes} min: a member's follow-up in the same "
                "channel within it is read with their last question."
            )
        else:
            text = (
                "Conversation window set to 0: each question in a channel is read on its own "
                "(threads, DMs and replies to an answer still keep their context)."
            )
        await self._done(interaction, saved, text)

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
            "conversation": ("conversation_minutes",),  # None: the bot's own window
        }
        names = (
            [n for group in fields.values() for n in group] if setting == "all" else fields[setting]
        )
        saved = await self.update(
            interaction, lambda _: {name: getattr(default, name) for name in names}
        )
        await self._done(interaction, saved, f"Reset {setting} to the default.")

    async def _done(
        self, interaction: discord.Interaction[ArticleBot], saved: GuildSettings, text: str
    ) -> None:
        await self._send(interaction, text, embed=settings_embed(saved, self.bot))

    async def _send(
        self, interaction: discord.Interaction[ArticleBot], text: str | None = None, **kwargs: Any
    ) -> None:
        """Privately; after a slow store's deferral the follow-up replaces "thinking"."""
        kwargs.update(ephemeral=True, allowed_mentions=discord.AllowedMentions.none())
        if text is not None:
            kwargs["content"] = text
        if interaction.response.is_done():
            await interaction.followup.send(**kwargs)
        else:
            await interaction.response.send_message(**kwargs)


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(ServerSettings(bot))
