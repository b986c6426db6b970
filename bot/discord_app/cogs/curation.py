"""``/article add`` and ``/article remove`` (admins, as ``/reindex``): the library from Discord.

``add`` takes a link, an attached file, or, given neither, a modal to paste the title
and the text. Both commands hold the bot's reindex lock, so they never run beside a
``/reindex`` or each other, and run the intake's file work (:mod:`bot.intake`) with the
rebuild ``/reindex`` uses in a worker thread: ``bot.rebuild``, which in a sharded
deployment publishes the new version through PostgreSQL so every process serves it.
The engine's corpus is swapped only once the intake returns; a failed add or remove
leaves the folder and the index serving as they were. Replies are private: a fetch may
outlast Discord's 3 seconds, so the command defers first, and an error after a public
deferral could not be private any more.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import PurePath

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.checks import admin_only
from bot.discord_app.client import ArticleBot, report_error
from bot.discord_app.errors import BadArticleSource, LibraryBusy
from bot.discord_app.replies import article_autocomplete, resolve_article
from bot.intake import (
    Draft,
    add_to_folder,
    added_message,
    draft_from_file,
    draft_from_text,
    draft_from_url,
    remove_from_folder,
    removed_message,
)
from bot.intake.drafts import FILE_SUFFIXES, FILE_TYPES
from bot.storage import ArticleEvent, StoreError
from bot.storage.base import ArticleAction
from index import MAX_FILE_BYTES, Article, Corpus

log = logging.getLogger(__name__)

TITLE_MAX = 200
TEXT_MAX = 4000  # Discord's limit for one text input; longer articles come as a file
MODAL_TIMEOUT_S = 15 * 60  # the interaction token's life


def check_attachment(file: discord.Attachment) -> None:
    """Refuse, before downloading, a file that is not an article file or is too large."""
    name = PurePath(file.filename).name
    if PurePath(name).suffix.lower() not in FILE_SUFFIXES:
        raise BadArticleSource(f"“{name}” is not an article file: attach {FILE_TYPES}.")
    if file.size > MAX_FILE_BYTES:
        raise BadArticleSource(
            f"“{name}” is {file.size / 1e6:.1f} MB; articles are at most "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB."
        )


class PasteArticle(discord.ui.Modal, title="Add an article"):
    """The title and the text of an article, pasted (``/article add`` with no option)."""

    def __init__(self, cog: Curation) -> None:
        super().__init__(timeout=MODAL_TIMEOUT_S)
        self.cog = cog
        self.headline: discord.ui.TextInput[PasteArticle] = discord.ui.TextInput(
            max_length=TITLE_MAX, placeholder="The article's headline"
        )
        self.text: discord.ui.TextInput[PasteArticle] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph,
            max_length=TEXT_MAX,
            placeholder="The article's text, paragraphs separated by blank lines",
        )
        self.add_item(discord.ui.Label(text="Title", component=self.headline))
        self.add_item(
            discord.ui.Label(
                text="Text",
                description=f"Up to {TEXT_MAX:,} characters; attach a .txt file for more.",
                component=self.text,
            )
        )

    async def on_submit(self, interaction: discord.Interaction[ArticleBot]) -> None:  # type: ignore[override]
        title, text = self.headline.value, self.text.value
        await self.cog.add(interaction, lambda: asyncio.to_thread(draft_from_text, title, text))

    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction[ArticleBot], error: Exception
    ) -> None:
        await report_error(interaction, error)  # the same friendly replies as commands


class Curation(commands.Cog):
    """``/article``: add and remove articles, admins only."""

    article = app_commands.Group(
        name="article",
        description="Add or remove indexed articles (admins).",
        guild_only=True,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: ArticleBot) -> None:
        self.bot = bot

    @article.command(name="add")
    @app_commands.describe(
        url="A link to a news page",
        file=f"The article as an {FILE_TYPES} file",
    )
    @admin_only()
    async def add_command(
        self,
        interaction: discord.Interaction[ArticleBot],
        url: str | None = None,
        file: discord.Attachment | None = None,
    ) -> None:
        """Add an article from a link or a file, or paste it (give neither)."""
        if url and file:
            raise BadArticleSource("Give a link or a file, not both.")
        if file is not None:
            check_attachment(file)
            await self.add(interaction, lambda: self._draft_from_attachment(file))
        elif url and url.strip():
            allow = self.bot.settings.allow_private_urls
            await self.add(interaction, lambda: draft_from_url(url.strip(), allow_private=allow))
        else:
            await interaction.response.send_modal(PasteArticle(self))

    @article.command(name="remove")
    @app_commands.describe(article="The article to remove (start typing its title)")
    @app_commands.autocomplete(article=article_autocomplete)
    @admin_only()
    async def remove_command(
        self, interaction: discord.Interaction[ArticleBot], article: str
    ) -> None:
        """Remove an article; its file moves to removed/ beside the articles, never deleted."""
        found = resolve_article(self.bot.engine, article)
        async with self._library_lock():
            await interaction.response.defer(thinking=True, ephemeral=True)
            built: list[Corpus] = []
            removed = await asyncio.to_thread(
                remove_from_folder, self.bot.settings.seeds, found, self._rebuild(built)
            )
            self.bot.engine.swap(built[-1])
        log.info("article %s removed by user %s", found.id, interaction.user.id)
        await self._reply(interaction, removed_message(removed))
        await self._record(interaction, "remove", removed.article, removed.article.source)

    async def add(
        self, interaction: discord.Interaction[ArticleBot], draft: Callable[[], Awaitable[Draft]]
    ) -> None:
        """Make the draft, add it to the folder and rebuild, then serve the new corpus."""
        async with self._library_lock():
            await interaction.response.defer(thinking=True, ephemeral=True)
            made = await draft()
            built: list[Corpus] = []
            added = await asyncio.to_thread(
                add_to_folder,
                self.bot.settings.seeds,
                made,
                self._rebuild(built),
                added_by="discord",
            )
            self.bot.engine.swap(built[-1])  # one reference assignment: atomic for readers
        log.info(
            "article %s added by user %s from %s",
            added.article.id,
            interaction.user.id,
            made.source,
        )
        await self._reply(interaction, added_message(added))
        await self._record(interaction, "add", added.article, made.source)

    @contextlib.asynccontextmanager
    async def _library_lock(self) -> AsyncIterator[None]:
        """The reindex lock, refused at once (privately) when a change is under way here or,
        in a sharded bot, a reindex in another process."""
        lock = self.bot.reindex_lock
        if lock.locked():
            raise LibraryBusy()
        async with lock:
            if await self.bot.reindexing_elsewhere():  # a sharded bot's other process
                raise LibraryBusy()
            yield

    def _rebuild(self, built: list[Corpus]) -> Callable[[], Corpus]:
        """The intake's ``rebuild``: ``/reindex``'s, keeping the corpus to swap in after."""
        folder, serving = self.bot.settings.seeds, self.bot.engine.corpus

        def rebuild() -> Corpus:
            built.append(self.bot.rebuild(folder, serving).corpus)
            return built[-1]

        return rebuild

    async def _draft_from_attachment(self, file: discord.Attachment) -> Draft:
        try:
            data = await file.read()
        except discord.HTTPException as exc:
            raise BadArticleSource(
                f"I couldn't download “{file.filename}” from Discord ({exc.status}); attach it again."
            ) from exc
        return await asyncio.to_thread(draft_from_file, file.filename, data)

    async def _reply(self, interaction: discord.Interaction[ArticleBot], text: str) -> None:
        await interaction.followup.send(
            text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
        )

    async def _record(
        self,
        interaction: discord.Interaction[ArticleBot],
        action: ArticleAction,
        article: Article,
        source: str,
    ) -> None:
        """The event in the question log; the change stands even when it cannot be logged."""
        store = self.bot.store
        if store is None:
            return
        event = ArticleEvent(
            action=action,
            article_id=article.id,
            title=article.title,
            source=source or article.source_path,
            user_id=interaction.user.id,
            origin="discord",
            guild_id=interaction.guild_id,
        )
        try:
            await store.log_article_event(event)
        except StoreError as exc:
            log.warning("article %s %s not logged: %s", action, article.id, exc)


async def setup(bot: ArticleBot) -> None:
    await bot.add_cog(Curation(bot))
