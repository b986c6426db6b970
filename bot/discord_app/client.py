"""The Discord client: ``ArticleBot`` and the command tree's one error handler.

The engine, settings and the rebuild function are handed to the constructor,
which touches no network; extensions load (and commands sync) in
``setup_hook`` once ``start``/``login`` has run.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Settings
from bot.discord_app import errors
from bot.discord_app.cooldowns import QuestionCooldowns
from bot.intake import IntakeError
from bot.serving.answering import AnsweringService, QuestionRefused
from bot.serving.backlog import Backlog, Busy
from bot.storage import Store, StoreError, folders, open_store
from index import (
    Corpus,
    Engine,
    QuestionError,
    ReindexReport,
    SummaryError,
    build_corpus,
)

log = logging.getLogger(__name__)

EXTENSIONS: tuple[str, ...] = (
    "bot.discord_app.cogs.ask",
    "bot.discord_app.cogs.summary",
    "bot.discord_app.cogs.library",
    "bot.discord_app.cogs.help",
    "bot.discord_app.cogs.admin",
    "bot.discord_app.cogs.settings",
    "bot.discord_app.cogs.feedback",
    "bot.discord_app.cogs.stats",
    "bot.discord_app.cogs.curation",
)
APOLOGY = "Sorry, something went wrong on my side while handling that. It has been logged."
DATABASE_DOWN = (
    "The bot's database is unreachable right now, so settings and statistics can't be read "
    "or changed. Questions are still answered; please try again in a minute."
)

MAX_SCHEDULED_DELETES = 1_000  # short-lived notes awaiting deletion; beyond, a note stays
# How long /reindex and /article ask the database whether another process is reindexing
# before they go on anyway (the rebuild itself then refuses, or reports the database down).
PROBE_PATIENCE_SECONDS = 1.0

T = TypeVar("T")

Rebuild = Callable[[Path, Corpus], ReindexReport]
ReindexProbe = Callable[[], bool]  # blocking: whether another process is reindexing


def reindex_in_cache(folder: Path, previous: Corpus) -> ReindexReport:
    """The default ``rebuild``: against the corpus served, the index saved in the user cache."""
    return build_corpus(folder, previous=previous, index_dir=folders.index_folder(folder))


def intents_for(settings: Settings) -> discord.Intents:
    """Only what the bot uses: guilds, messages, DMs; Message Content only when opted in.

    Mentions and DMs carry their content without the privileged intent.
    """
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = settings.wants_message_content
    return intents


class ArticleTree(app_commands.CommandTree["ArticleBot"]):
    """The tree whose ``on_error`` is the one place interaction errors end up."""

    async def on_error(
        self, interaction: discord.Interaction[ArticleBot], error: app_commands.AppCommandError
    ) -> None:
        await report_error(interaction, error)


async def report_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """The friendly private reply for ``error``, or an apology and a log line for a bug:
    the tree's handler, and a modal's (whose errors never reach the tree)."""
    reply = user_message(error)
    if reply is None:
        command = interaction.command.qualified_name if interaction.command else "?"
        original = getattr(error, "original", error)
        log.error(
            "/%s failed for user %s: %s",
            command,
            interaction.user.id,
            type(original).__name__,
            exc_info=original,
        )
        reply = APOLOGY
    else:
        log.debug("/%s refused for user %s: %s", interaction.command, interaction.user.id, reply)
    if interaction.type is discord.InteractionType.autocomplete:
        return  # an autocomplete cannot carry a message
    await send_ephemeral(interaction, reply)


def user_message(error: BaseException) -> str | None:
    """The friendly reply for an expected error, or ``None`` for a bug (apologise and log)."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, errors.UserFacingError | errors.NotAdmin | Busy | QuestionRefused):
        return str(error)
    if isinstance(error, StoreError):  # the store gave up waiting for its database
        return DATABASE_DOWN
    if isinstance(error, app_commands.CommandOnCooldown):
        wait = max(1, round(error.retry_after))
        return (
            f"You're asking faster than I can keep up: try again in {wait} second"
            f"{'s' if wait != 1 else ''}."
        )
    if isinstance(error, QuestionError | SummaryError | IntakeError):
        text = str(error).rstrip(".")
        return text[:1].upper() + text[1:] + "."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command only works in a server."
    if isinstance(error, app_commands.MissingPermissions | app_commands.MissingRole):
        return str(error)
    if isinstance(error, app_commands.BotMissingPermissions):
        return f"I can't do that here: {error}"
    if isinstance(error, app_commands.TransformerError):
        return f"I couldn't understand {str(error.value)[:50]!r} for that option."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
    return None


async def send_ephemeral(interaction: discord.Interaction[Any], text: str) -> None:
    """Reply privately, whether or not the interaction was already deferred."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(
                text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
        else:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
            )
    except discord.HTTPException as exc:
        log.warning("could not send the error reply: %s", exc)


async def in_time(interaction: discord.Interaction[Any], work: Awaitable[T], patience: float) -> T:
    """``work``'s result, deferring the interaction privately first when it takes longer
    than ``patience`` seconds: Discord drops an interaction not acknowledged within 3 s,
    and a store waits out a database restart for much longer than that."""
    task = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({task}, timeout=patience)
    if not done and not interaction.response.is_done():
        await interaction.response.defer(ephemeral=True, thinking=True)
    return await task


class ArticleBot(commands.Bot):
    """The bot: slash commands and message answering over one :class:`Engine`."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        rebuild: Rebuild = reindex_in_cache,
        extensions: tuple[str, ...] = EXTENSIONS,
        store: Store | None = None,
        reindex_elsewhere: ReindexProbe | None = None,
        **options: Any,
    ) -> None:
        options.setdefault("intents", intents_for(settings))
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            tree_cls=ArticleTree,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.settings = settings
        self.engine = engine
        self.rebuild = rebuild
        self.initial_extensions = extensions
        self.cooldowns = QuestionCooldowns(settings.cooldown_questions, settings.cooldown_seconds)
        self.backlog = Backlog(settings.max_pending)  # questions in flight; the rest are refused
        self.reindex_lock = asyncio.Lock()
        self.reindex_elsewhere = reindex_elsewhere  # set when the index is shared (sharding)
        # Questions are checked, decided and logged by the service; its store (question log,
        # votes, server settings) is opened in setup_hook when not given.
        self.service = AnsweringService(
            engine,
            store,
            max_chars=settings.max_question_chars,
            window=settings.conversation_minutes * 60,
        )
        self._owns_store = False
        self._deletions: set[asyncio.Task[None]] = set()  # see delete_later

    @property
    def store(self) -> Store | None:
        return self.service.store

    @store.setter
    def store(self, store: Store | None) -> None:
        self.service.store = store

    async def setup_hook(self) -> None:
        await self.open_store()
        for extension in self.initial_extensions:
            try:
                await self.load_extension(extension)
            except commands.ExtensionError:
                log.exception("could not load extension %s", extension)
                raise
        await self.sync_commands()

    async def open_store(self) -> None:
        """Open the configured database; a bad file turns feedback off instead of the bot."""
        if self.store is not None or self.settings.storage is None:
            return
        try:
            store = await open_store(self.settings.storage)
        except StoreError as exc:
            log.error("feedback, /stats and /config are off: %s", exc)
            return
        store.start_pruning()
        self.store, self._owns_store = store, True

    async def reindexing_elsewhere(self) -> bool:
        """Whether another process of a sharded bot holds the shared reindex lock (a probe,
        so ``/reindex`` and ``/article`` can refuse before acknowledging); False when unknown."""
        probe = self.reindex_elsewhere
        if probe is None:
            return False
        try:
            return await asyncio.wait_for(asyncio.to_thread(probe), PROBE_PATIENCE_SECONDS)
        except Exception as exc:  # unknown: let the rebuild decide (it takes the lock itself)
            log.warning("could not check for a reindex elsewhere: %r", exc)
            return False

    def delete_later(self, message: discord.Message, delay: float) -> None:
        """Delete a short-lived note (cooldown, busy) after ``delay`` s, in a task the bot owns.

        discord.py's ``delete_after`` runs in a task nobody holds, which fails with "Session
        is closed" (an ERROR log) when the bot closes first: under load shedding, every busy
        note still showing at shutdown. These tasks are cancelled on close instead. At most
        ``MAX_SCHEDULED_DELETES`` wait at once, so a flood of refusals cannot grow memory
        without bound; beyond that a note simply stays.
        """
        if len(self._deletions) >= MAX_SCHEDULED_DELETES:
            return
        task = asyncio.create_task(self._delete_after(message.channel.id, message.id, delay))
        self._deletions.add(task)
        task.add_done_callback(self._deletions.discard)

    async def _delete_after(self, channel_id: int, message_id: int, delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            await self.http.delete_message(channel_id, message_id)
        except discord.HTTPException as exc:  # already deleted, or no longer allowed
            log.debug("could not delete note %s: %s", message_id, exc)

    async def close(self) -> None:
        deletions = list(self._deletions)
        for task in deletions:
            task.cancel()
        await asyncio.gather(*deletions, return_exceptions=True)
        await super().close()
        if self._owns_store and self.store is not None:
            store, self.store = self.store, None
            await store.close()

    async def sync_commands(self) -> None:
        """Register the slash commands: in the dev guild (instantly) when set, else globally."""
        try:
            if self.settings.dev_guild_id:
                guild = discord.Object(id=self.settings.dev_guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log.info("synced %d commands to guild %s", len(synced), guild.id)
            else:
                synced = await self.tree.sync()
                log.info("synced %d global commands", len(synced))
        except discord.HTTPException as exc:
            # The bot still answers mentions and any commands registered before.
            log.warning("could not sync slash commands: %s", exc)

    async def on_ready(self) -> None:
        user = self.user
        log.info(
            "connected as %s (id %s) to %d servers; %d articles indexed",
            user,
            user.id if user else "?",
            len(self.guilds),
            len(self.engine.corpus.articles),
        )

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: messages are handled by the ask cog's listener only."""

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        """Listener failures: one log line, and an apology when a message was being answered."""
        log.error("error in %s", event_method, exc_info=sys.exc_info())
        message = next((a for a in args if isinstance(a, discord.Message)), None)
        if event_method == "on_message" and message is not None and not message.author.bot:
            try:
                await message.channel.send(
                    APOLOGY,
                    reference=message.to_reference(fail_if_not_exists=False),
                    mention_author=False,
                    allowed_mentions=discord.AllowedMentions.none(),
                )
            except discord.HTTPException as exc:
                log.warning("could not send the apology: %s", exc)
