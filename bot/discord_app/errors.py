"""Errors the bot shows to users, matched by type in the tree's one ``on_error``.

Each carries a message written for the person who typed the command; the
handler sends it ephemerally and logs nothing more than a debug line.
"""

from __future__ import annotations

from discord import app_commands


class UserFacingError(app_commands.AppCommandError):
    """A problem with the request, not the bot; ``str(error)`` is the reply."""


class ArticleNotFound(UserFacingError):
    def __init__(self, query: str) -> None:
        shown = query if len(query) <= 80 else query[:79] + "…"
        super().__init__(
            f"No indexed article matches “{shown}”. Pick one from the suggestions, "
            "or see them all with /articles."
        )


class ReindexRunning(UserFacingError):
    def __init__(self) -> None:
        super().__init__(
            "A reindex is already running; its report will appear when it finishes. "
            "Questions are still answered from the current index meanwhile."
        )


class LibraryBusy(UserFacingError):
    """``/article add`` or ``remove`` while a reindex or another change holds the lock."""

    def __init__(self) -> None:
        super().__init__(
            "The articles are being changed right now (a reindex, or another add or remove); "
            "try again when it finishes. Questions are still answered meanwhile."
        )


class BadArticleSource(UserFacingError):
    """What ``/article add`` was given cannot be an article (wrong file, both options...)."""


class OwnerOnly(UserFacingError):
    def __init__(self) -> None:
        super().__init__("Only the bot's owner can see the figures of every server together.")


class StorageUnavailable(UserFacingError):
    """A command needing the database while the bot runs without one."""

    def __init__(self) -> None:
        super().__init__(
            "Settings and statistics are off: the bot's database could not be opened at start "
            "(the bot's log says why). Questions are still answered."
        )


class BadSetting(UserFacingError):
    """A /config value out of bounds; the message names the bounds."""


class NotAdmin(app_commands.CheckFailure):
    """The member lacks Manage Server and the configured admin role."""

    def __init__(self, admin_role: str | None) -> None:
        role = f" or the “{admin_role}” role" if admin_role else ""
        super().__init__(f"Only members with the Manage Server permission{role} can do that.")
