"""Feedback buttons under every answer: helpful, not helpful, show paragraph.

The buttons are :class:`discord.ui.DynamicItem` s whose custom id carries the
answer id (``articlebot:fb:<action>:<answer id>``). discord.py rebuilds them
from the id of any click, so buttons on answers posted before a restart keep
working: nothing is held in memory per message.

The answering service logs each answer (:mod:`bot.serving.answering`); the ask
cog puts :func:`feedback_view` under it when it has an id.

This is a plain module, never loaded as an extension: ``load_extension``
executes an extension's module afresh and replaces it in ``sys.modules``, so
a class defined in an extension and imported by another cog would exist
twice. Here there is one :class:`FeedbackButton`, the one the
``bot.discord_app.cogs.feedback`` extension registers and the one the answers carry.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Literal

import discord

from bot.discord_app.client import ArticleBot, in_time
from bot.discord_app.embeds import DESCRIPTION_LIMIT, INFO, TITLE_LIMIT, clip, escape
from bot.storage import Store, StoreError, UnknownAnswerError
from index.records import paragraph_place

log = logging.getLogger(__name__)

Action = Literal["helpful", "unhelpful", "paragraph"]
CUSTOM_ID = "articlebot:fb:{action}:{answer_id}"
TEMPLATE = r"articlebot:fb:(?P<action>helpful|unhelpful|paragraph):(?P<answer_id>[0-9]{1,18})"
_BUTTONS: dict[str, tuple[str, str, discord.ButtonStyle]] = {
    "helpful": ("Helpful", "👍", discord.ButtonStyle.success),
    "unhelpful": ("Not helpful", "👎", discord.ButtonStyle.secondary),
    "paragraph": ("Show paragraph", "📄", discord.ButtonStyle.secondary),
}
GONE = (
    "I no longer have the record of that answer (answers are forgotten after the retention "
    "period). Ask again to get a fresh one."
)
UNSAVED = (
    "I couldn't save your vote: the bot's database is unreachable right now. "
    "Please click again in a minute."
)
# Discord drops a click not acknowledged within 3 s. A vote normally takes milliseconds;
# one waiting for a restarting database is acknowledged first and answered when stored.
VOTE_PATIENCE_SECONDS = 1.5


class FeedbackButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    """One feedback button; all its state is in its custom id."""

    def __init__(self, action: str, answer_id: int) -> None:
        label, emoji, style = _BUTTONS[action]
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji=emoji,
                style=style,
                custom_id=CUSTOM_ID.format(action=action, answer_id=answer_id),
            )
        )
        self.action = action
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> FeedbackButton:
        return cls(match["action"], int(match["answer_id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        bot: ArticleBot = interaction.client
        store = getattr(bot, "store", None)
        if store is None:
            await _reply(interaction, "Feedback is off: the bot's database is not available.")
            return
        if self.action == "paragraph":
            await show_paragraph(interaction, bot, self.answer_id)
            return
        helpful = self.action == "helpful"
        vote = self._vote(store, interaction.user.id, helpful)
        await _reply(interaction, await in_time(interaction, vote, VOTE_PATIENCE_SECONDS))

    async def _vote(self, store: Store, user_id: int, helpful: bool) -> str:
        """Store the vote (the store waits out a database restart); returns the reply."""
        try:
            result = await store.vote(self.answer_id, user_id, helpful)
        except UnknownAnswerError:
            return GONE
        except StoreError as exc:
            log.warning("could not store a vote on answer %s: %s", self.answer_id, exc)
            return UNSAVED
        verdict = "helpful" if helpful else "not helpful"
        if result.changed:
            text = f"Changed your vote to {verdict}."
        elif result.previous is not None:
            text = f"You already marked this answer {verdict}."
        else:
            text = f"Thanks: marked {verdict}."
        if not helpful:
            text += " Admins see answers marked not helpful in /stats."
        return text


def feedback_view(answer_id: int) -> discord.ui.View:
    """The three buttons for one logged answer; persistent (no timeout)."""
    view = discord.ui.View(timeout=None)
    for action in _BUTTONS:
        view.add_item(FeedbackButton(action, answer_id))
    return view


def view_kwargs(answer_id: int | None) -> dict[str, Any]:
    """``view=`` the buttons of a logged answer for a send call, or nothing when it was not
    logged (follow-ups reject ``view=None``)."""
    return {} if answer_id is None else {"view": feedback_view(answer_id)}


async def show_paragraph(
    interaction: discord.Interaction[Any], bot: ArticleBot, answer_id: int
) -> None:
    """Ephemeral: the whole paragraph around the answer's top citation, the sentence in bold."""
    assert bot.store is not None
    logged = await bot.store.get_question(answer_id)
    if logged is None:
        await _reply(interaction, GONE)
        return
    if logged.sentence_id is None:
        await _reply(interaction, "That answer cited no passage.")
        return
    try:
        sentence = bot.engine.corpus.sentence(logged.sentence_id)
        article = bot.engine.corpus.article(sentence.article_id)
        paragraph = article.paragraph(sentence.paragraph)
    except (KeyError, IndexError):
        await _reply(
            interaction,
            "That passage is no longer in the index (the articles were reindexed since). "
            "Ask again for a fresh answer.",
        )
        return
    embed = discord.Embed(
        title=clip(escape(article.title), TITLE_LIMIT),
        description=paragraph_text(paragraph.text, sentence.start, sentence.end),
        colour=INFO,
    )
    where = paragraph_place(paragraph.number).capitalize()
    embed.set_footer(text=f"{where} · the cited sentence is in bold")
    await interaction.response.send_message(
        embed=embed, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
    )


def paragraph_text(text: str, start: int, end: int) -> str:
    """The paragraph escaped for an embed, ``text[start:end]`` in bold, within the limit."""
    before, cited, after = (escape(part) for part in (text[:start], text[start:end], text[end:]))
    cited = f"**{cited}**" if cited else ""
    joined = " ".join(p for p in (before, cited, after) if p)
    if len(joined) <= DESCRIPTION_LIMIT:
        return joined
    budget = max(DESCRIPTION_LIMIT - len(cited) - 4, 0)  # keep the cited sentence whole
    head = clip(before, budget // 2) if before else ""
    tail = clip(after, budget - len(head)) if after else ""
    return clip(" ".join(p for p in (head, cited, tail) if p), DESCRIPTION_LIMIT)


async def _reply(interaction: discord.Interaction[Any], text: str) -> None:
    """Answer privately; after a deferral the follow-up replaces the "thinking" message."""
    if interaction.response.is_done():
        await interaction.followup.send(
            text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )
        return
    await interaction.response.send_message(
        text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
    )
