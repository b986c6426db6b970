"""The question log from the terminal: ``--log`` questions, and every ``add`` and ``remove``.

Questions are kept only with ``--log``: a terminal user is asked before anything they
type is kept. Articles added or removed are always recorded, as ``/article`` does, so
``stats`` counts them. The store is the one the environment configures
(``ARTICLEBOT_DATABASE`` or ``ARTICLEBOT_DATABASE_URL``); entries carry the source
(origin) ``terminal`` and the local user id, hashed like a Discord id.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from bot.storage import folders
from bot.terminal.options import CliError, articles_folder

if TYPE_CHECKING:
    from bot.storage import StorageConfig, Store
    from bot.storage.base import ArticleAction
    from index.records import Answer, Article


def add_log_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--log",
        action="store_true",
        help="keep the questions in the question log, for `articlebot stats` "
        "(default file: $ARTICLEBOT_DATABASE, else articlebot.sqlite3 in ./data or, for "
        "your own library, in the user data folder)",
    )


def storage_config(args: argparse.Namespace) -> StorageConfig:
    """The question log's settings, its default file beside the articles' data
    (:func:`bot.storage.folders.data_folder`). Raises ``StoreError`` for a bad setting."""
    from bot.storage import StorageConfig

    return StorageConfig.from_env(data=folders.data_folder(articles_folder(args)))


class QuestionLog:
    """An open store and the event loop its async calls run on, for a synchronous caller."""

    def __init__(self, runner: asyncio.Runner, store: Store) -> None:
        self.runner = runner
        self.store = store

    def record(self, answer: Answer) -> None:
        from bot.storage import QuestionEntry

        entry = QuestionEntry.from_answer(
            answer, user_id=os.getuid(), guild_id=None, channel_id=None, source="terminal"
        )
        self.runner.run(self.store.log_question(entry))


@contextmanager
def open_log(args: argparse.Namespace) -> Iterator[QuestionLog | None]:
    """The question log when ``--log`` was given, else None; closed on the way out."""
    if not getattr(args, "log", False):
        yield None
        return
    from bot.storage import StoreError, open_store

    with asyncio.Runner() as runner:
        try:
            store = runner.run(open_store(storage_config(args)))
        except StoreError as exc:
            raise CliError(f"cannot open the question log: {exc}") from exc
        try:
            yield QuestionLog(runner, store)
        finally:
            runner.run(store.close())


def record_article_event(
    args: argparse.Namespace, action: ArticleAction, article: Article, source: str
) -> None:
    """Record an add or remove made here in the question log, for ``stats``.

    The change already stands: a store that cannot be opened or written costs one
    warning line on stderr, never the command's success.
    """
    from bot.storage import ArticleEvent, StoreError, open_store

    event = ArticleEvent(
        action=action,
        article_id=article.id,
        title=article.title,
        source=source or article.source_path,
        user_id=os.getuid(),
        origin="terminal",
    )

    async def write() -> None:
        store = await open_store(storage_config(args))
        try:
            await store.log_article_event(event)
        finally:
            await store.close()

    try:
        asyncio.run(write())
    except (StoreError, OSError) as exc:
        detail = " ".join(str(exc).split())
        print(f"articlebot: warning: not recorded in the question log: {detail}", file=sys.stderr)
