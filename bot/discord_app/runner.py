"""Starting the bot: settings, logging, the engine, then ``bot.start``.

``run_bot`` is what ``articlebot`` calls when ``DISCORD_TOKEN`` is set. Every
failure a user can cause (bad settings, no articles, a rejected token, a
missing privileged intent, no network) ends in one clear line and an exit
status, never a traceback, and never shows the token.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import discord

from bot.config import ConfigError, ScaleOut, Settings, load_settings, scale_out
from bot.discord_app.client import ArticleBot, Rebuild
from bot.discord_app.sharding import bot_class, following, rebuild_hook
from bot.serving.engines import load_engine
from bot.storage import folders
from bot.storage.base import StoreError
from index import Corpus, Engine, NoArticlesError, ReindexReport, build_corpus

if TYPE_CHECKING:
    from bot.serving.shared_index import SharedIndex

log = logging.getLogger("bot")

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_CONFIG = 2
REJECTED_TOKEN = (
    "Discord rejected DISCORD_TOKEN. Copy a fresh token from the Developer Portal "
    "(your application -> Bot -> Reset Token) into .env; the application's client "
    "secret or public key will not work."
)


def create_bot(settings: Settings, engine: Engine, **options: Any) -> ArticleBot:
    """The bot, ready for ``await bot.start(token)``; no network is touched here.

    ``options`` go to :class:`ArticleBot` (``rebuild=``, ``extensions=``, and
    discord.py client options).
    """
    scale: ScaleOut = options.pop("scale", None) or ScaleOut()
    for key, value in scale.client_options().items():  # sharded: AutoShardedBot options
        options.setdefault(key, value)
    return bot_class(ArticleBot, scale)(settings, engine, **options)


async def serve(
    settings: Settings,
    engine: Engine,
    shared: SharedIndex | None = None,
    index_dir: Path | None = None,
    scale: ScaleOut | None = None,
) -> None:
    """Run until the connection is closed for good; cleans up on the way out.

    ``index_dir`` is where ``/reindex`` saves the index (unless it is shared).
    """
    if shared is None:
        bot = create_bot(settings, engine, rebuild=local_rebuild(index_dir), scale=scale)
        async with bot:
            await bot.start(settings.token)
        return
    bot = create_bot(
        settings,
        engine,
        rebuild=rebuild_hook(shared),
        reindex_elsewhere=shared.reindex_running,
        scale=scale,
    )
    async with bot, following(bot, shared):
        await bot.start(settings.token)


def local_rebuild(index_dir: Path | None) -> Rebuild:
    """The bot's ``rebuild`` over its own seeds, saving the index in ``index_dir`` (None:
    the user cache, :func:`bot.storage.folders.index_folder`)."""

    def rebuild_here(folder: Path, previous: Corpus) -> ReindexReport:
        directory = index_dir or folders.index_folder(folder)
        return build_corpus(folder, previous=previous, index_dir=directory)

    return rebuild_here


def run_bot(seeds_dir: str | Path | None, index_dir: Path, model_dir: Path | None = None) -> int:
    """Entry point behind ``articlebot`` with a token configured; returns the exit status.

    ``seeds_dir`` is ``--seeds`` (``None``: the rule of
    :func:`bot.storage.folders.articles_folder`); ``index_dir`` is where the index is kept
    and ``model_dir`` the reader to load (None: the shipped one), as the launcher decided.
    The environment is read here once (:mod:`bot.config`) and handed down.
    """
    try:
        settings = load_settings(seeds=seeds_dir)
        scale = scale_out()
    except ConfigError as exc:
        _fail(str(exc))
        return EXIT_CONFIG
    configure_logging(settings)
    try:
        engine, shared = load_engine(
            settings.seeds,
            index_dir=index_dir,
            database_url=scale.database_url,
            state_dir=scale.state_dir,
            model_dir=model_dir,
        )
    except (FileNotFoundError, NotADirectoryError, NoArticlesError, StoreError) as exc:
        _fail(str(exc))
        return EXIT_FAILURE
    for problem in engine.corpus.problems:
        log.warning("skipped %s", problem)
    try:
        asyncio.run(serve(settings, engine, shared, index_dir, scale))
    except discord.LoginFailure:
        _fail(REJECTED_TOKEN)
        return EXIT_FAILURE
    except discord.ConnectionClosed as exc:
        # Close codes discord.py does not reconnect from, e.g. 4004 when the token is reset
        # in the Developer Portal while the bot runs.
        _fail(
            REJECTED_TOKEN
            if exc.code == 4004
            else f"Discord closed the connection for good (code {exc.code})"
        )
        return EXIT_FAILURE
    except discord.PrivilegedIntentsRequired:
        _fail(
            "ARTICLEBOT_ANSWER_CHANNEL_IDS needs the Message Content intent: turn it on in the "
            "Developer Portal (your application -> Bot -> Privileged Gateway Intents), or leave "
            "ARTICLEBOT_ANSWER_CHANNEL_IDS empty to answer mentions, DMs and slash commands only."
        )
        return EXIT_FAILURE
    except discord.HTTPException as exc:
        _fail(f"Discord answered with an error while connecting: {exc.status} {exc.text[:200]}")
        return EXIT_FAILURE
    except OSError as exc:  # aiohttp.ClientConnectorError and DNS failures are OSErrors
        _fail(f"cannot reach Discord ({type(exc).__name__}: {exc}); check the network")
        return EXIT_FAILURE
    return EXIT_OK


def configure_logging(settings: Settings) -> None:
    """discord.py's log format at the configured level, with the token redacted everywhere."""
    handler = logging.StreamHandler()
    handler.addFilter(RedactFilter(settings.token))
    discord.utils.setup_logging(handler=handler, level=settings.log_level_number, root=True)


class RedactFilter(logging.Filter):
    """Replaces a secret in every record that passes the handler (belt and braces)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secret:
            return True
        message = record.getMessage()
        text = message
        if record.exc_info and record.exc_info[1] is not None:
            text += str(record.exc_info[1])
        if self.secret in text:
            record.msg = message.replace(self.secret, "[token redacted]")
            record.args = None
            if record.exc_info and self.secret in str(record.exc_info[1]):
                record.exc_info = None
                record.exc_text = None
        return True


def _fail(message: str) -> None:
    print(f"articlebot: {message}", file=sys.stderr)
