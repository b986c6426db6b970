"""Checks shared by the cogs: who may reindex, how often one may ask, what counts as a question.

The interaction checks raise typed errors (:mod:`bot.errors`,
``app_commands.CommandOnCooldown``) that the tree's one ``on_error`` turns
into friendly ephemeral replies.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

from bot.errors import NotAdmin

if TYPE_CHECKING:
    from bot.client import ArticleBot

T = TypeVar("T")

# <@123>, <@!123>, <@&123>, <#123>, custom emoji <:name:123>, <a:name:123>,
# slash-command mentions </ask:123> and timestamps <t:1700000000:R>.
_DISCORD_TOKENS = re.compile(r"<(?:@[!&]?\d+|#\d+|a?:\w+:\d+|/[\w -]+:\d+|t:-?\d+(?::[tTdDfFR])?)>")
_EVERYONE = re.compile(r"@(?:everyone|here)\b", re.IGNORECASE)
_MD_LINK = re.compile(r"\[([^\]]*)\]\(<?https?://[^)\s]+>?\)")
_MD_LINE_PREFIX = re.compile(r"^\s*(?:>>>|>|#{1,3}|-#|[-*+]|\d+\.)\s+", re.MULTILINE)
_MD_CHARS = re.compile(r"(\*\*|__|~~|\|\||```|[*_~`|\\])")

_QUESTION_WORDS = frozenset(
    "who whom whose what when where why which how is are was were do does did can could "
    "will would should shall has have had may might".split()
)


def strip_discord_markup(text: str) -> str:
    """The plain question in a message: no mentions, channel links, emoji, or markdown.

    >>> strip_discord_markup("<@123> **how many** troops? @everyone")
    'how many troops?'
    """
    text = text.replace("\0", " ")  # NUL is the placeholder below; a typed one is just a gap
    text = _DISCORD_TOKENS.sub(" ", text)
    text = _EVERYONE.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_LINE_PREFIX.sub("", text)
    # Underscores inside words (snake_case, file_names) are kept; markup ones go.
    text = re.sub(r"(?<=\w)_(?=\w)", "\0", text)
    text = _MD_CHARS.sub("", text).replace("\0", "_")
    return " ".join(text.split())


def looks_like_question(text: str) -> bool:
    """Whether a message in an answer channel is worth answering.

    A question mark anywhere, or a first word that starts a question
    ("how", "did", "which" ...). Chatter such as "thanks!" is left alone.
    """
    text = text.strip()
    if len(text) < 3:
        return False
    if "?" in text:
        return True
    first = re.split(r"[\s,']+", text.lower(), maxsplit=1)[0]
    return first in _QUESTION_WORDS


class QuestionCooldowns:
    """A per-user token bucket shared by /ask, /summary and messages.

    ``hit(user_id)`` spends one question and returns ``None``, or returns the
    seconds to wait when the user has used up ``rate`` questions within ``per``.
    """

    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.per = per
        self._clock = clock
        self._buckets: dict[int, app_commands.Cooldown] = {}

    def hit(self, user_id: int) -> float | None:
        now = self._clock()
        if len(self._buckets) > 10_000:  # forget users whose window has long passed
            self._buckets = {
                uid: b for uid, b in self._buckets.items() if b.get_tokens(now) < self.rate
            }
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = app_commands.Cooldown(self.rate, self.per)
        return bucket.update_rate_limit(now)

    def cooldown_for(self, user_id: int) -> app_commands.Cooldown:
        return self._buckets.get(user_id) or app_commands.Cooldown(self.rate, self.per)


def _bot(interaction: discord.Interaction[Any]) -> ArticleBot:
    from bot.client import ArticleBot

    client = interaction.client
    if not isinstance(client, ArticleBot):  # pragma: no cover - wiring error
        raise TypeError("these checks only work on an ArticleBot")
    return client


def question_cooldown() -> Callable[[T], T]:
    """Check: spend one of the user's questions or raise ``CommandOnCooldown``."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        cooldowns = _bot(interaction).cooldowns
        retry_after = cooldowns.hit(interaction.user.id)
        if retry_after is not None:
            raise app_commands.CommandOnCooldown(
                cooldowns.cooldown_for(interaction.user.id), retry_after
            )
        return True

    return app_commands.check(predicate)


def is_admin(
    permissions: discord.Permissions, user: discord.abc.User, admin_role: str | None
) -> bool:
    """Manage Server (or Administrator), or the configured role by id or by name."""
    if permissions.manage_guild or permissions.administrator:
        return True
    if not admin_role or not isinstance(user, discord.Member):
        return False
    wanted = admin_role.strip().lstrip("@")
    for role in user.roles:
        if str(role.id) == wanted or role.name.casefold() == wanted.casefold():
            return True
    return False


def admin_only() -> Callable[[T], T]:
    """Check run on every call, in a server only: pair it with ``default_permissions``, which only hides."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        if interaction.guild_id is None:  # ``guild_only`` only hides the command in DMs
            raise app_commands.NoPrivateMessage()
        role = _bot(interaction).settings.admin_role
        if is_admin(interaction.permissions, interaction.user, role):
            return True
        raise NotAdmin(role)

    return app_commands.check(predicate)
