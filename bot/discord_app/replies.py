"""Helpers several cogs share: article autocomplete and lookup, the no-ping reply, and where
a slash command was used.

They live outside ``cogs/`` because ``load_extension`` runs an extension's
module afresh: a helper imported from an extension would exist twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands

from bot.discord_app.errors import ArticleNotFound
from bot.serving.answering import Place
from index import Article, Engine, find_article, matching_articles

MAX_CHOICES = 25  # Discord's cap on autocomplete choices
CHOICE_NAME_LIMIT = 100


def article_choices(articles: Sequence[Article], current: str) -> list[app_commands.Choice[str]]:
    """At most 25 articles that what is typed may mean, best first, by the rule every command
    uses (:func:`index.article_choice.matching_articles`); before anything is typed, the first
    of the listing."""
    found = matching_articles(articles, current) if current.strip() else articles
    return [
        app_commands.Choice(name=_choice_name(article.title), value=article.id[:100])
        for article in found[:MAX_CHOICES]
    ]


def _choice_name(title: str) -> str:
    title = " ".join(title.split()) or "(untitled)"
    return title if len(title) <= CHOICE_NAME_LIMIT else title[: CHOICE_NAME_LIMIT - 1] + "…"


async def article_autocomplete(
    interaction: discord.Interaction[Any], current: str
) -> list[app_commands.Choice[str]]:
    engine: Engine = interaction.client.engine
    return article_choices(engine.corpus.articles, current)


def resolve_article(engine: Engine, query: str) -> Article:
    """The article an option names (an autocomplete id, or a number, id or title typed, as
    :func:`index.article_choice.find_article` reads it); raises ArticleNotFound."""
    article = find_article(engine.corpus.articles, query)
    if article is None:
        raise ArticleNotFound(query)
    return article


async def reply_to(
    message: discord.Message, content: str | None = None, **kwargs: Any
) -> discord.Message:
    """Reply to ``message`` without pinging its author or anyone else; the reply sent."""
    return await message.channel.send(
        content,
        reference=message.to_reference(fail_if_not_exists=False),
        mention_author=False,
        allowed_mentions=discord.AllowedMentions.none(),
        **kwargs,
    )


def slash_place(interaction: discord.Interaction[Any]) -> Place:
    """Where a slash command was used, for the answering service: its conversation is the
    member's in that channel, as a mention's is."""
    return Place(
        "slash",
        interaction.user.id,
        interaction.guild_id,
        interaction.channel_id,
        isinstance(interaction.channel, discord.Thread),
    )
