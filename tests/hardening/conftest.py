"""Fixtures for the hardening tests: the bot harnesses of ``tests/bot`` plus a database view.

``make_bot``/``harness`` (the real bot over a recording HTTP session) and
``fake_discord`` (the local fake Discord) are the same fixtures the bot tests
use; ``start_fake_bot`` starts the real bot against the fake with a SQLite
question log in the test's temporary folder.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import load_settings
from bot.discord_app.client import ArticleBot
from bot.discord_app.runner import create_bot
from bot.storage import folders
from index import open_corpus
from index.engine import Engine
from tests.bot.conftest import bot_settings, harness, make_bot  # noqa: F401  (fixtures)
from tests.bot.conftest_e2e import fake_discord  # noqa: F401  (fixture)
from tests.bot.fake_discord import FakeDiscord

StartFakeBot = Callable[..., Awaitable[ArticleBot]]
SALT = "hardening-tests-salt-0123456789abcdef"


def table_counts(database: Path) -> dict[str, int]:
    """Rows per table, read through a separate connection (what anyone opening the file sees)."""
    if not database.exists():
        return {}
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        names = [n for n in names if not n.startswith("sqlite_")]  # AUTOINCREMENT bookkeeping
        return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def logged_questions(database: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT question FROM questions ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "data" / "articlebot.sqlite3"


@pytest.fixture
async def start_fake_bot(
    fake_discord: FakeDiscord,  # noqa: F811
    seeds_copy: Path,
    database: Path,
    tmp_path: Path,
) -> AsyncIterator[StartFakeBot]:
    """Start the real bot (``create_bot`` + ``bot.start``) against the fake; closed at teardown."""
    started: list[tuple[ArticleBot, asyncio.Task[None]]] = []

    async def start(
        *, engine: Engine | None = None, options: dict[str, Any] | None = None, **env: str
    ) -> ArticleBot:
        environ = {
            "DISCORD_TOKEN": fake_discord.token,
            "ARTICLEBOT_SEEDS": str(seeds_copy),
            "ARTICLEBOT_DEV_GUILD_ID": str(fake_discord.guild_id),
            "ARTICLEBOT_DATABASE": str(database),
            "ARTICLEBOT_COOLDOWN_QUESTIONS": "100000",
            "ARTICLEBOT_ADMIN_ROLE": "Article Editor",
            **env,
        }
        settings = load_settings(environ)
        bot = create_bot(
            settings,
            engine or Engine(open_corpus(seeds_copy, folders.index_folder(seeds_copy))),
            **(options or {}),
        )
        task = asyncio.create_task(bot.start(settings.token))
        started.append((bot, task))
        await fake_discord.wait_for_identify(count=fake_discord.ready_sent + 1)
        async with asyncio.timeout(5):
            while bot.get_guild(fake_discord.guild_id) is None:
                assert not task.done(), task
                await asyncio.sleep(0.01)
        return bot

    yield start
    for bot, task in started:
        await bot.close()
        async with asyncio.timeout(5):
            await task


class Capture(logging.Handler):
    """Every log record of the process, formatted with its exception text."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.records: list[logging.LogRecord] = []
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.lines.append(self.format(record))

    def errors(self) -> list[str]:
        return [self.format(r) for r in self.records if r.levelno >= logging.ERROR]


@pytest.fixture
def all_logs() -> Iterator[Capture]:
    """Captures every record at DEBUG and above from every logger."""
    handler = Capture()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
