"""Questions: mentions, DMs, opted-in answer channels, and ``/ask``."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app import feedback, server_settings
from bot.discord_app.checks import question_cooldown
from bot.discord_app.client import ArticleBot
from bot.discord_app.embeds import answer_embed, choice_embed, summary_embed
from bot.discord_app.errors import Busy, EmptyQuestion, QuestionTooLong
from bot.discord_app.messages import looks_like_question, strip_discord_markup
from bot.discord_app.replies import article_autocomplete, reply_to, resolve_article
from bot.storage.base import Source
from index.engine import QuestionError, clean_question
from index.records import Answer
from index.summarize import summarize

log = logging.getLogger(__name__)

HOW_TO_ASK = (
    "Ask me about the indexed articles, for example “how many troops were sent to Russia?”. /help shows more."
)
BUSY_DELETE_AFTER_S = 10.0  # the "ask again in a few seconds" note is stale after that


class Ask(commands.Cog):
    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    # -- messages ---------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.webhook_id is not None:
            return
        addressed = self._addressed(message)
        in_answer_channel = self._in_answer_channel(message) or (
            not addressed and await server_settings.is_answer_channel(self.bot, message)
        )
        if not addressed and not in_answer_channel:
            return
        question = strip_discord_markup(message.content)
        if not addressed and not looks_like_question(question):
            return
        if not question:
            await reply_to(message, HOW_TO_ASK)
            return
        limit = self.bot.settings.max_question_chars
        if len(question) > limit:
            await reply_to(message, str(QuestionTooLong(len(question), limit)))
            return
        guild_id = message.guild.id if message.guild else None
        retry_after = self.bot.cooldowns.hit(message.author.id)
        if retry_after is None:
            retry_after = await server_settings.cooldown_wait(self.bot, guild_id, message.author.id)
        if retry_after is not None:
            wait = max(1, round(retry_after))
            note = await reply_to(
                message, f"You're asking faster than I can keep up: try again in {wait} s."
            )
            self.bot.delete_later(note, max(wait, 5))
            return
        source: Source = (
            "mention" if addressed and message.guild else "dm" if addressed else "channel"
        )
        try:
            with self.bot.backlog.slot():
                await self._reply_with_answer(message, question, guild_id, source)
        except Busy as busy:  # raised on entering the slot only: nothing was sent yet
            self.bot.delete_later(await reply_to(message, str(busy)), BUSY_DELETE_AFTER_S)

    async def _reply_with_answer(
        self, message: discord.Message, question: str, guild_id: int | None, source: Source
    ) -> None:
        """Answer, log and reply: everything a question costs, held in one backlog slot."""
        async with message.channel.typing():
            gist = await asyncio.to_thread(self.gist_reply, question)
            if gist is not None:
                await reply_to(message, **gist)
                return
            try:
                answer = await self.answer(question)
            except QuestionError as exc:
                await reply_to(message, str(exc))
                return
        answer, view = await feedback.record_answer(
            self.bot,
            answer,
            user_id=message.author.id,
            guild_id=guild_id,
            channel_id=message.channel.id,
            source=source,
        )
        await reply_to(message, embed=answer_embed(answer), **feedback.view_kwargs(view))

    def _addressed(self, message: discord.Message) -> bool:
        """A DM, a mention of the bot, or a mention of the bot's own role."""
        if message.guild is None:
            return True
        me = self.bot.user
        if me is not None and any(user.id == me.id for user in message.mentions):
            return True
        own_role = message.guild.self_role
        return own_role is not None and own_role in message.role_mentions

    def _in_answer_channel(self, message: discord.Message) -> bool:
        channels = self.bot.settings.answer_channel_ids
        if not channels:
            return False
        parent = getattr(message.channel, "parent_id", None)  # threads of an answer channel too
        return message.channel.id in channels or parent in channels

    def gist_reply(self, line: str, article_id: str | None = None) -> dict[str, Any] | None:
        """The reply to a line with nothing to search (:meth:`Engine.gist`): the summary, a
        choice of articles or how to ask, as ``send`` arguments; None for a question."""
        gist = self.bot.engine.gist(line, article_id)
        if gist is None:
            return None
        if gist.kind == "greeting":
            return {"content": HOW_TO_ASK}
        if gist.kind == "choose":
            return {"embed": choice_embed(gist.articles)}
        return {"embed": summary_embed(summarize(gist.articles[0]))}

    async def answer(self, question: str, article_id: str | None = None) -> Answer:
        """Ask the engine in a worker thread, so the event loop keeps serving."""
        return await asyncio.to_thread(self.bot.engine.ask, question, article_id)

    # -- /ask ---------------------------------------------------------------

    @app_commands.command(name="ask")
    @app_commands.describe(
        question="What you want to know, e.g. “how many troops were sent to Russia?”",
        article="Only search this article (start typing its title)",
    )
    @app_commands.autocomplete(article=article_autocomplete)
    @question_cooldown()
    @server_settings.guild_cooldown()
    async def ask(
        self,
        interaction: discord.Interaction[ArticleBot],
        question: str,
        article: str | None = None,
    ) -> None:
        """Ask about the articles: a short answer with the sentences it comes from."""
        text = strip_discord_markup(question)
        limit = self.bot.settings.max_question_chars
        if len(text) > limit:
            raise QuestionTooLong(len(text), limit)
        if not text:
            raise EmptyQuestion()
        clean_question(text)  # the engine's own limits, checked before deferring
        article_id = resolve_article(self.bot.engine, article).id if article else None
        with self.bot.backlog.slot():  # Busy when full: refused privately, before deferring
            ephemeral = await server_settings.ephemeral_ask(self.bot, interaction.guild_id)
            await interaction.response.defer(thinking=True, ephemeral=ephemeral)
            gist = await asyncio.to_thread(self.gist_reply, text, article_id)
            if gist is not None:
                none = discord.AllowedMentions.none()
                await interaction.followup.send(**gist, allowed_mentions=none, ephemeral=ephemeral)
                return
            answer = await self.answer(text, article_id)
            answer, view = await feedback.record_answer(
                self.bot,
                answer,
                user_id=interaction.user.id,
                guild_id=interaction.guild_id,
                channel_id=interaction.channel_id,
                source="slash",
            )
            await interaction.followup.send(
                embed=answer_embed(answer),
                allowed_mentions=discord.AllowedMentions.none(),
                ephemeral=ephemeral,
                **feedback.view_kwargs(view),
            )


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Ask(bot))
