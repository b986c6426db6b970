"""Questions: mentions, DMs, opted-in answer channels, and ``/ask``."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app import feedback
from bot.discord_app.checks import question_cooldown
from bot.discord_app.client import ArticleBot
from bot.discord_app.embeds import answer_embed, asked_in, choice_embed, summary_embed
from bot.discord_app.replies import article_autocomplete, reply_to, resolve_article, slash_place
from bot.serving.answering import CoolingDown, Place, QuestionRefused, Reply
from bot.serving.backlog import Busy
from bot.serving.messages import looks_like_question, questions_in, strip_discord_markup
from bot.storage import GuildSettings
from index import Previous, QuestionError

log = logging.getLogger(__name__)

HOW_TO_ASK = (
    "Ask me a question about the indexed articles (/articles lists them), or “what happened?” "
    "for a summary. /help shows more."
)
# Small talk answered in kind (index.gist.small_talk); a greeting gets how to ask.
SMALL_TALK = {
    "thanks": "You're welcome! Ask me anything else about the articles.",
    "ack": "👍",
    "praise": "Thank you! 😊",
    "bye": "Bye! 👋",
}
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
        place = Place(
            "mention" if addressed and message.guild else "dm" if addressed else "channel",
            message.author.id,
            message.guild.id if message.guild else None,
            message.channel.id,
            isinstance(message.channel, discord.Thread),
        )
        settings = await self.bot.service.settings(place)  # the one read for this question
        if not addressed and not self._in_answer_channel(message, settings):
            return
        question = strip_discord_markup(message.content)
        if not addressed and not looks_like_question(question):
            return
        if not question:
            await reply_to(message, HOW_TO_ASK)
            return
        replied_to = self._replied_to(message)
        for part in questions_in(question):  # "how much did it raise? who is the CEO?": each
            if not await self._answer(message, place, settings, part, replied_to):
                return
            replied_to = None  # the next question follows on from this one's answer

    async def _answer(
        self,
        message: discord.Message,
        place: Place,
        settings: GuildSettings | None,
        question: str,
        replied_to: Previous | None,
    ) -> bool:
        """Answer one question of ``message`` in a reply; False when it was turned away."""
        try:
            turn = await self.bot.service.admit(
                place,
                question,
                settings,
                budget=lambda: self.bot.cooldowns.hit(place.user_id),
                replied_to=replied_to,
            )
        except CoolingDown as slow:
            note = await reply_to(message, str(slow))
            self.bot.delete_later(note, max(round(slow.retry_after), 5))
            return False
        except (QuestionRefused, QuestionError) as refused:
            await reply_to(message, str(refused))
            return False
        try:
            with self.bot.backlog.slot():
                async with message.channel.typing():
                    reply = await self.bot.service.reply(turn)
                await reply_to(message, **self.render(reply))
        except Busy as busy:  # raised on entering the slot only: nothing was sent yet
            self.bot.delete_later(await reply_to(message, str(busy)), BUSY_DELETE_AFTER_S)
            return False
        return True

    def _replied_to(self, message: discord.Message) -> Previous | None:
        """The context of a reply to one of the bot's answers, rebuilt from that answer's
        embed (its question as read, the article it came from): no process needs to have
        seen the question before."""
        reference = message.reference
        answer = reference.resolved if reference is not None else None
        me = self.bot.user
        if not isinstance(answer, discord.Message) or me is None or answer.author.id != me.id:
            return None
        asked = next((found for e in answer.embeds if (found := asked_in(e))), None)
        if asked is None:
            return None
        question, title = asked
        article = next(
            (a for a in self.bot.engine.corpus.articles if title and _same_title(a.title, title)),
            None,
        )
        return Previous(question, article.id if article else None)

    def _addressed(self, message: discord.Message) -> bool:
        """A DM, a mention of the bot, or a mention of the bot's own role."""
        if message.guild is None:
            return True
        me = self.bot.user
        if me is not None and any(user.id == me.id for user in message.mentions):
            return True
        own_role = message.guild.self_role
        return own_role is not None and own_role in message.role_mentions

    def _in_answer_channel(self, message: discord.Message, settings: GuildSettings | None) -> bool:
        """Whether the bot's configuration or the server's ``/config`` makes this message's
        channel (or its thread's parent) an answer channel."""
        channels = set(self.bot.settings.answer_channel_ids)
        if settings is not None:
            channels.update(settings.answer_channels)
        parent = getattr(message.channel, "parent_id", None)  # threads of an answer channel too
        return message.channel.id in channels or parent in channels

    @staticmethod
    def render(reply: Reply) -> dict[str, Any]:
        """The reply as ``send`` arguments: the answer with its feedback buttons, or the gist
        (how to ask, the summary, the choice of articles)."""
        if reply.kind == "greeting":
            return {"content": HOW_TO_ASK}
        if reply.kind in SMALL_TALK:
            return {"content": SMALL_TALK[reply.kind]}
        if reply.kind == "choose":
            return {"embed": choice_embed(reply.articles)}
        if reply.summary is not None:
            return {"embed": summary_embed(reply.summary)}
        assert reply.answer is not None
        return {"embed": answer_embed(reply.answer), **feedback.view_kwargs(reply.answer_id)}

    # -- /ask ---------------------------------------------------------------

    @app_commands.command(name="ask")
    @app_commands.describe(
        question="What you want to know, e.g. “how many troops were sent to Russia?”",
        article="Only search this article (start typing its title)",
    )
    @app_commands.autocomplete(article=article_autocomplete)
    @question_cooldown()
    async def ask(
        self,
        interaction: discord.Interaction[ArticleBot],
        question: str,
        article: str | None = None,
    ) -> None:
        """Ask about the articles: a short answer with the sentences it comes from."""
        place = slash_place(interaction)
        # Checked, cleaned and held to the server's cooldown before deferring, so a refusal
        # is a private reply of its own.
        turn = await self.bot.service.admit(place, strip_discord_markup(question))
        article_id = resolve_article(self.bot.engine, article).id if article else None
        with self.bot.backlog.slot():  # Busy when full: refused privately, before deferring
            await interaction.response.defer(thinking=True, ephemeral=turn.private)
            reply = await self.bot.service.reply(turn, article_id)
            await interaction.followup.send(
                **self.render(reply),
                allowed_mentions=discord.AllowedMentions.none(),
                ephemeral=turn.private,
            )


def _same_title(title: str, shown: str) -> bool:
    """Whether ``shown`` (an embed's, perhaps clipped with an ellipsis) is ``title``."""
    return title == shown or (shown.endswith("…") and title.startswith(shown[:-1]))


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Ask(bot))
