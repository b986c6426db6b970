"""``/summary article [topic] [sentences]``: an extractive summary, quoted and cited."""

from __future__ import annotations

import asyncio

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.checks import question_cooldown
from bot.discord_app.client import ArticleBot
from bot.discord_app.embeds import summary_embed
from bot.discord_app.replies import article_autocomplete, resolve_article, slash_place
from bot.serving.messages import strip_discord_markup
from index import MAX_SENTENCES, summary_for


class Summaries(commands.Cog):
    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="summary")
    @app_commands.describe(
        article="The article to summarise (start typing its title)",
        topic="Only what the article says about this, e.g. “drones”",
        sentences=f"How many sentences, 1 to {MAX_SENTENCES} (default: 2 to 5, by its length)",
    )
    @app_commands.autocomplete(article=article_autocomplete)
    @question_cooldown()
    async def summary(
        self,
        interaction: discord.Interaction[ArticleBot],
        article: str,
        topic: str | None = None,
        sentences: app_commands.Range[int, 1, MAX_SENTENCES] | None = None,
    ) -> None:
        """Summarise one article, or what it says about a topic, in its own sentences."""
        found = resolve_article(self.bot.engine, article)
        wanted = strip_discord_markup(topic)[:200] if topic else None
        with self.bot.backlog.slot():  # Busy when full: refused privately, before deferring
            await interaction.response.defer(thinking=True)
            result = await asyncio.to_thread(summary_for, found, wanted or None, sentences)
            await interaction.followup.send(
                embed=summary_embed(result), allowed_mentions=discord.AllowedMentions.none()
            )
        self.bot.service.remember_summary(slash_place(interaction), result)  # "more" shows more


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Summaries(bot))
