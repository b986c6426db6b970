"""``--log``: terminal questions go to the question log the bot writes, so ``stats`` shows them.

Off by default: a terminal user is asked before anything they type is kept.
The store is the one the environment configures (``ARTICLEBOT_DATABASE`` or
``ARTICLEBOT_DATABASE_URL``); entries carry the source ``terminal`` and the
local user id, hashed like a Discord id.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from bot.terminal.options import CliError

if TYPE_CHECKING:
    from bot.storage import Store
    from index.records import Answer


def add_log_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--log",
        action="store_true",
        help="keep the questions in the question log, for `articlebot stats` "
        "(default file: $ARTICLEBOT_DATABASE or data/articlebot.sqlite3)",
    )


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
            store = runner.run(open_store())
        except StoreError as exc:
            raise CliError(f"cannot open the question log: {exc}") from exc
        try:
            yield QuestionLog(runner, store)
        finally:
            runner.run(store.close())
