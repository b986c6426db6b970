"""``/reindex``: rebuild the index from the articles folder without stopping the bot."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.checks import admin_only
from bot.discord_app.client import ArticleBot
from bot.discord_app.embeds import reindex_embed, reindex_failed_embed
from bot.discord_app.errors import ReindexRunning
from index import NoArticlesError

log = logging.getLogger(__name__)

# What a rebuild raises when the folder yields nothing usable; anything else is a bug.
REBUILD_FAILURES = (FileNotFoundError, NotADirectoryError, NoArticlesError)


class Admin(commands.Cog):
    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="reindex")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @admin_only()
    async def reindex(self, interaction: discord.Interaction[ArticleBot]) -> None:
        """Re-read the articles folder and swap in the new index (Manage Server or admin role)."""
        lock = self.bot.reindex_lock
        if lock.locked():
            raise ReindexRunning()
        async with lock:
            # The report is public, so the command defers publicly; a refusal must come
            # first, privately, like the one above (a reindex starting elsewhere after this
            # probe is still refused, but by the rebuild, in the public reply).
            if await self.bot.reindexing_elsewhere():
                raise ReindexRunning()
            await interaction.response.defer(thinking=True)
            engine = self.bot.engine
            serving = engine.corpus
            folder = self.bot.settings.seeds
            log.info("reindex of %s started by user %s", folder, interaction.user.id)
            try:
                # A worker thread: questions keep being answered from ``serving`` meanwhile.
                report = await asyncio.to_thread(self.bot.rebuild, folder, serving)
            except REBUILD_FAILURES as exc:
                log.warning("reindex failed, keeping the previous index: %s", exc)
                embed = reindex_failed_embed(exc, serving)
            else:
                engine.swap(report.corpus)  # one reference assignment: atomic for readers
                log.info("reindex done: %s", report.summary_line)
                embed = reindex_embed(report)
            await interaction.followup.send(
                embed=embed, allowed_mentions=discord.AllowedMentions.none()
            )


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Admin(bot))
