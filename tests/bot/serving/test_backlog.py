"""Load shedding: the backlog guard alone, then through the real command tree and listener.

"Full" is made deterministic, never by timing: a backlog of one place, held by
a question whose engine call blocks on a ``threading.Event`` until the test
releases it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sys
import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.config import Settings
from bot.serving.backlog import Backlog, Busy
from index import build_corpus
from index.engine import Engine
from index.records import Answer
from tests.bot.conftest import BotFactory, Call, Harness

TROOPS = "how many troops were sent to Russia?"
BUSY = "answering a lot of questions right now"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


# -- the guard --------------------------------------------------------------------


def test_backlog_refuses_at_the_limit_and_counts_the_refusal() -> None:
    backlog = Backlog(2)

    with backlog.slot(), backlog.slot():
        assert backlog.full
        with pytest.raises(Busy), backlog.slot():
            pytest.fail("a third request was let in")  # pragma: no cover

    assert (backlog.pending, backlog.shed) == (0, 1)


def test_backlog_slot_is_released_when_the_work_fails() -> None:
    backlog = Backlog(1)

    with pytest.raises(RuntimeError), backlog.slot():
        raise RuntimeError("engine broke")

    assert backlog.pending == 0
    with backlog.slot():  # the place is usable again
        assert backlog.full


async def test_backlog_slot_is_released_when_the_task_is_cancelled() -> None:
    backlog, entered = Backlog(1), asyncio.Event()

    async def hold() -> None:
        with backlog.slot():
            entered.set()
            await asyncio.Event().wait()  # until cancelled

    task = asyncio.create_task(hold())
    await entered.wait()
    assert backlog.full
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    assert backlog.pending == 0 and backlog.shed == 0


def test_backlog_warns_when_shedding_starts_then_at_most_every_ten_seconds(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    backlog = Backlog(1, clock=clock)

    with caplog.at_level(logging.WARNING, logger="bot.serving.backlog"), backlog.slot():
        for at in (0.0, 1.0, 9.9, 10.0, 10.5):
            clock.now = at
            with pytest.raises(Busy), backlog.slot():
                pass  # pragma: no cover

    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 2, warnings  # at 0 s and at 10 s
    assert "ARTICLEBOT_MAX_PENDING=1" in warnings[0]
    assert "3 refused since the last warning, 4 since start" in warnings[1]
    assert backlog.shed == 5


def test_backlog_needs_room_for_one_request() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Backlog(0)


# -- through the bot -----------------------------------------------------------------


class GatedEngine(Engine):
    """The first question blocks in its worker thread until ``release`` is set."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.calls = 0
        self.started, self.release = threading.Event(), threading.Event()

    def answer(self, text: str, article_id: str | None = None, **options: Any) -> Answer:
        self.calls += 1
        if self.calls == 1:
            self.started.set()
            self.release.wait(timeout=10)
        return super().answer(text, article_id, **options)


@dataclasses.dataclass
class Full:
    """A bot whose one backlog place is held by a question stuck in the engine."""

    harness: Harness
    engine: GatedEngine
    holder: set[asyncio.Task[object]]


@pytest.fixture
async def full(make_bot: BotFactory, bot_settings: Settings) -> AsyncIterator[Full]:
    engine = GatedEngine(build_corpus(bot_settings.seeds).corpus)
    harness = await make_bot(dataclasses.replace(bot_settings, max_pending=1), engine=engine)
    holder = harness.start_interaction(harness.command("ask", question=TROOPS))
    assert await asyncio.to_thread(engine.started.wait, 5), "the first question never started"
    assert harness.bot.backlog.full
    yield Full(harness, engine, holder)
    engine.release.set()
    await asyncio.gather(*holder)


def sent(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.message is not None]


async def test_ask_when_the_backlog_is_full_is_refused_privately_before_deferring(
    full: Full,
) -> None:
    calls = await full.harness.call("ask", question=TROOPS)

    assert len(calls) == 1, calls  # no defer: the refusal is the interaction's response
    assert calls[0].path.endswith("/callback") and calls[0].body["type"] == 4
    assert calls[0].ephemeral and BUSY in calls[0].text()
    assert full.engine.calls == 1  # only the question holding the place
    assert full.harness.bot.backlog.shed == 1


async def test_summary_when_the_backlog_is_full_is_refused_privately(full: Full) -> None:
    article = full.harness.bot.engine.corpus.articles[0]

    calls = await full.harness.call("summary", article=article.id)

    assert len(calls) == 1 and calls[0].ephemeral and BUSY in calls[0].text(), calls


async def test_message_question_when_the_backlog_is_full_gets_the_busy_reply(
    full: Full,
) -> None:
    calls = await full.harness.send(full.harness.message(TROOPS, mention_bot=True))

    [reply] = sent(calls)
    assert BUSY in reply.text()
    assert (reply.message or {})["allowed_mentions"]["parse"] == []
    assert not any(c.path.endswith("/typing") for c in calls)  # no work was started
    assert full.engine.calls == 1


async def test_backlog_place_is_given_back_once_the_question_is_answered(full: Full) -> None:
    full.engine.release.set()
    await asyncio.gather(*full.holder)

    calls = await full.harness.call("ask", question=TROOPS)

    assert full.harness.bot.backlog.pending == 0
    assert "3,000" in sent(calls)[0].text()
    assert full.engine.calls == 2


async def test_busy_note_is_deleted_after_a_while(
    full: Full, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the module as the bot loaded it (load_extension imports a fresh copy)
    monkeypatch.setattr(sys.modules["bot.discord_app.cogs.ask"], "BUSY_DELETE_AFTER_S", 0.01)

    await full.harness.send(full.harness.message(TROOPS, mention_bot=True))
    async with asyncio.timeout(5):
        while not any(c.method == "DELETE" for c in full.harness.http.calls):
            await asyncio.sleep(0.01)

    [delete] = [c for c in full.harness.http.calls if c.method == "DELETE"]
    assert delete.path.startswith("/channels/") and "/messages/" in delete.path


async def test_fault_bot_closing_with_busy_notes_showing_cancels_their_deletion(
    full: Full,
) -> None:
    """discord.py's ``delete_after`` task would fail with "Session is closed" (an ERROR)."""
    await full.harness.send(full.harness.message(TROOPS, mention_bot=True))
    full.engine.release.set()
    await asyncio.gather(*full.holder)

    await full.harness.bot.close()

    waiting = [t for t in asyncio.all_tasks() if "_delete_after" in repr(t.get_coro())]
    assert waiting == []
    assert not any(c.method == "DELETE" for c in full.harness.http.calls)
