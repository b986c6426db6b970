"""``/help``: what the bot does and how to ask, with examples."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import ArticleBot
from bot.discord_app.embeds import help_embed


class Help(commands.Cog):
    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction[ArticleBot]) -> None:
        """How to ask questions and get summaries, with examples."""
        await interaction.response.send_message(embed=help_embed(), ephemeral=True)


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Help(bot))
