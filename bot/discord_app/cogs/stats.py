"""``/stats`` (admins): how the bot did in this server, as an embed plus a PNG chart.

``/stats all_servers:True`` is for the bot's owner: the figures of every
server together. A sharded bot runs as several processes, each serving some
servers, all writing to one database; this is where the owner sees them as one.
"""

from __future__ import annotations

import io
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.checks import admin_only
from bot.discord_app.client import ArticleBot
from bot.discord_app.embeds import FIELD_VALUE_LIMIT, INFO, clip, escape, fit
from bot.discord_app.errors import OwnerOnly
from bot.discord_app.server_settings import store_of
from bot.storage.chart import chart_available, render_chart_async
from bot.storage.stats import Stats

log = logging.getLogger(__name__)

MAX_DAYS = 90
CHART_NAME = "stats.png"
LINE_LIMIT = 180  # one list entry, so five entries fit a field


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _lines(entries: list[str], empty: str) -> str:
    """Entries one per line, as many as fit one field."""
    out: list[str] = []
    used = 0
    for entry in entries:
        if used + len(entry) + 1 > FIELD_VALUE_LIMIT:
            break
        out.append(entry)
        used += len(entry) + 1
    return "\n".join(out) or empty


def stats_embed(stats: Stats, titles: dict[str, str], chart: bool = True) -> discord.Embed:
    """The figures within Discord's embed limits; the ``chart``, when there is one, is
    attached as ``stats.png``."""
    votes = stats.helpful_votes + stats.not_helpful_votes
    p95 = "–" if stats.p95_latency_ms is None else f"{stats.p95_latency_ms:,.0f} ms"
    where = " in every server" if stats.guild_id is None else ""
    embed = discord.Embed(
        title=f"Questions{where} in the last {stats.days} day{'s' if stats.days != 1 else ''}",
        description=(
            f"**{stats.questions:,}** questions · answered **{_share(stats.answered_share)}** · "
            f"refused **{_share(stats.refused_share)}**\n"
            f"Helpful: **{_share(stats.helpful_ratio)}** of {votes:,} votes · "
            f"p95 latency {p95}\n"
            f"Articles: **{stats.articles_added:,}** added · "
            f"**{stats.articles_removed:,}** removed"
        ),
        colour=INFO,
    )
    embed.add_field(
        name="Most frequent unanswered questions",
        value=_lines(
            [
                f"{g.count}× {clip(escape(g.text), LINE_LIMIT)}"
                + (f" (+{len(g.variants)} similar)" if g.variants else "")
                for g in stats.top_unanswered
            ],
            "none: every question got an answer",
        ),
        inline=False,
    )
    embed.add_field(
        name="Answers most often marked not helpful",
        value=_lines(
            [
                f"{f.not_helpful}× “{clip(escape(f.answer), 80)}” for "
                f"“{clip(escape(f.question), LINE_LIMIT - 90)}”"
                for f in stats.not_helpful
            ],
            "none",
        ),
        inline=False,
    )
    embed.add_field(
        name="Most asked-about articles",
        value=_lines(
            [
                f"{a.questions}× {clip(escape(titles.get(a.article_id, a.article_id)), LINE_LIMIT)}"
                for a in stats.top_articles
            ],
            "none",
        ),
        inline=False,
    )
    if chart:
        embed.set_image(url=f"attachment://{CHART_NAME}")
    embed.set_footer(text=f"{stats.since:%d %b %Y} – {stats.until:%d %b %Y %H:%M} UTC")
    return fit(embed)


class StatsCog(commands.Cog, name="Stats"):
    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @app_commands.command(name="stats")
    @app_commands.describe(
        days=f"How many days back, 1 to {MAX_DAYS} (default 7)",
        all_servers="Every server the bot is in together (the bot's owner only)",
    )
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @admin_only()
    async def stats(
        self,
        interaction: discord.Interaction[ArticleBot],
        days: app_commands.Range[int, 1, MAX_DAYS] = 7,
        all_servers: bool = False,
    ) -> None:
        """How the bot did here: answered and refused, feedback, what it could not answer."""
        if not 1 <= days <= MAX_DAYS:  # Range is enforced by the client only
            days = min(max(days, 1), MAX_DAYS)
        store = store_of(self.bot)
        if all_servers and not await self.bot.is_owner(interaction.user):
            raise OwnerOnly()  # other servers' questions are not a server admin's to read
        await interaction.response.defer(thinking=True, ephemeral=True)
        stats = await store.stats(days=days, guild_id=None if all_servers else interaction.guild_id)
        titles = {a.id: a.title for a in self.bot.engine.corpus.articles}
        with_chart = chart_available()  # the ``chart`` extra; without it, the figures alone
        embed = stats_embed(stats, titles, chart=with_chart)
        files = []
        if with_chart:
            chart = await render_chart_async(stats)
            files.append(discord.File(io.BytesIO(chart), filename=CHART_NAME))
        await interaction.followup.send(
            embed=embed,
            files=files,
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(StatsCog(bot))
