"""Helpers several cogs share: article autocomplete and lookup, and the no-ping reply.

They live outside ``cogs/`` because ``load_extension`` runs an extension's
module afresh: a helper imported from an extension would exist twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands

from bot.discord_app.errors import ArticleNotFound
from index.engine import Engine
from index.records import Article

MAX_CHOICES = 25  # Discord's cap on autocomplete choices
CHOICE_NAME_LIMIT = 100


def article_choices(articles: Sequence[Article], current: str) -> list[app_commands.Choice[str]]:
    """At most 25 articles matching what is typed: title prefix, then word start, then anywhere."""
    wanted = " ".join(current.casefold().split())
    ranked: list[tuple[int, int, Article]] = []
    for position, article in enumerate(articles):
        title = article.title.casefold()
        if not wanted or title.startswith(wanted) or article.id.casefold().startswith(wanted):
            rank = 0
        elif f" {wanted}" in f" {title}":
            rank = 1
        elif wanted in title or wanted in article.source_path.casefold():
            rank = 2
        else:
            continue
        ranked.append((rank, position, article))
    ranked.sort(key=lambda item: item[:2])
    return [
        app_commands.Choice(name=_choice_name(article.title), value=article.id[:100])
        for _, _, article in ranked[:MAX_CHOICES]
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
    """The article an option names (an autocomplete id, or typed text); raises ArticleNotFound."""
    article = engine.find_article(query)
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
