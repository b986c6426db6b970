"""The app-command checks the cogs share: who may run admin commands, how often one may ask.

They raise typed errors (:mod:`bot.discord_app.errors`,
``app_commands.CommandOnCooldown``) that the tree's one ``on_error`` turns
into friendly ephemeral replies. The bot's type is imported for the type
checker only (as RoboDanny's ``cogs/utils/checks.py`` does): the client
imports this module's neighbours, and nothing here needs the class at run time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

import discord
from discord import app_commands

from bot.discord_app.errors import NotAdmin

if TYPE_CHECKING:
    from bot.discord_app.client import ArticleBot

T = TypeVar("T")


def _bot(interaction: discord.Interaction[Any]) -> ArticleBot:
    """The bot the interaction came to; these checks are only added to an ``ArticleBot``'s tree."""
    return cast("ArticleBot", interaction.client)


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
