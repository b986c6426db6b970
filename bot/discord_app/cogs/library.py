"""``/articles``: what is indexed, a page at a time."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import ArticleBot
from bot.discord_app.embeds import articles_embed


class Library(commands.Cog):
    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="articles")
    @app_commands.describe(page="Which page of the list (10 articles a page)")
    async def articles(
        self,
        interaction: discord.Interaction[ArticleBot],
        page: app_commands.Range[int, 1, 10_000] = 1,
    ) -> None:
        """List the indexed articles: sentence counts, where each came from, when it was added."""
        embed = articles_embed(self.bot.engine.corpus, page)
        await interaction.response.send_message(
            embed=embed, allowed_mentions=discord.AllowedMentions.none()
        )


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Library(bot))
