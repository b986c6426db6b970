"""The terminal's answering service and question log: ``--log`` questions, every ``add`` and ``remove``.

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

from bot.terminal.options import CliError, articles_folder

if TYPE_CHECKING:
    from bot.serving.answering import AnsweringService, Reply
    from bot.storage import StorageConfig
    from bot.storage.base import ArticleAction
    from index import Article, Engine, Summary


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
    from bot.config import storage_config as configured

    return configured(articles_folder(args))


class TerminalAnswers:
    """The answering service for synchronous terminal code: one event loop per command.

    Every terminal question takes the service's path (:mod:`bot.serving.answering`),
    as a Discord question does: checked and cleaned once, answered, and logged when
    ``--log`` opened the question log.
    """

    def __init__(self, runner: asyncio.Runner, service: AnsweringService) -> None:
        from bot.serving.answering import Place

        self.runner = runner
        self.service = service
        self.place = Place("terminal", os.getuid())

    def ask(self, question: str, article_id: str | None = None) -> Reply:
        """The reply to ``question``; raises ``QuestionRefused`` or ``QuestionError`` saying why not."""
        return self.runner.run(self.service.ask(self.place, question, article_id))

    def talked_of(self) -> str | None:
        """The article this chat is about, if any (:meth:`AnsweringService.talked_of`)."""
        return self.service.talked_of(self.place)

    def remember_summary(self, summary: Summary) -> None:
        """``summary N`` is the conversation's last turn: "more" after it shows more."""
        self.service.remember_summary(self.place, summary)


@contextmanager
def answering(args: argparse.Namespace, engine: Engine) -> Iterator[TerminalAnswers]:
    """The service over ``engine``, logging to the question log when ``--log`` was given."""
    from bot.serving.answering import AnsweringService
    from bot.storage import StoreError, open_store
    from index import MAX_QUESTION_CHARS

    with asyncio.Runner() as runner:
        store = None
        if getattr(args, "log", False):
            try:
                store = runner.run(open_store(storage_config(args)))
            except StoreError as exc:
                raise CliError(f"cannot open the question log: {exc}") from exc
        service = AnsweringService(engine, store, max_chars=MAX_QUESTION_CHARS)
        try:
            yield TerminalAnswers(runner, service)
        finally:
            if store is not None:
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
