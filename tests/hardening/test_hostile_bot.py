"""Hostile questions through the bot: every case by mention and by ``/ask``.

All cases run against the real bot over the recording HTTP session (fast
enough for the whole list); a representative subset also runs end to end
over the local fake Discord with a real SQLite question log. Each case gets
exactly one reply (an answer, a refusal or a friendly error), no exception
reaches a log at ERROR, nobody is pinged, and the only stored change is the
question's own log row.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from pathlib import Path
from typing import Any

import pytest

from bot.config import Settings
from bot.serving.messages import strip_discord_markup
from bot.storage import StorageConfig
from index.engine import Engine
from index.question_input import QuestionError, clean_question
from tests.bot.conftest import BotFactory, Call
from tests.bot.fake_discord import FakeDiscord, PostedMessage
from tests.hardening.conftest import SALT, Capture, StartFakeBot, logged_questions, table_counts
from tests.hardening.hostile_cases import (
    CASES,
    FAKE_CASES,
    IDS,
    ROLE_MENTION,
    USER_MENTION,
    Hostile,
)

REPLY_SECONDS = 3.0  # Discord's interaction deadline; a mention reply should be as quick


def expected_logged(text: str) -> str | None:
    """The question the engine sees after markup is stripped, or None when it is refused early."""
    try:
        return clean_question(strip_discord_markup(text))
    except QuestionError:
        return None


def assert_silent(message: dict[str, Any]) -> None:
    allowed = message.get("allowed_mentions")
    assert allowed is not None, "no allowed_mentions: Discord's default would ping"
    assert allowed.get("parse") == [], allowed
    assert not allowed.get("users") and not allowed.get("roles"), allowed
    assert not allowed.get("replied_user"), allowed


def visible(calls: list[Call]) -> list[dict[str, Any]]:
    return [
        c.message
        for c in calls
        if c.message and (c.message.get("content") or c.message.get("embeds"))
    ]


def check_db(database: Path, before: dict[str, int], text: str, limit: int, engine: Engine) -> None:
    """Nothing but one questions row (when the question reached the engine) was added.

    A line with nothing to search gets the gist reply (how to ask, or a summary) and is
    not a question: nothing is logged for it.
    """
    after = table_counts(database)
    grown = {t: after[t] - before.get(t, 0) for t in after if after[t] != before.get(t, 0)}
    question = strip_discord_markup(text)
    cleaned = expected_logged(text)
    reached_engine = cleaned is not None and len(question) <= limit and engine.gist(cleaned) is None
    assert grown == ({"questions": 1} if reached_engine else {}), grown
    if reached_engine:
        stored = logged_questions(database)[-1]
        assert stored == expected_logged(text)[: len(stored)]


@pytest.fixture
def hostile_settings(bot_settings: Settings, database: Path) -> Settings:
    return dataclasses.replace(
        bot_settings, storage=StorageConfig(database=database, user_salt=SALT)
    )


@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_hostile_bot_mention_and_ask(
    case: Hostile,
    make_bot: BotFactory,
    hostile_settings: Settings,
    database: Path,
    all_logs: Capture,
) -> None:
    h = await make_bot(hostile_settings)
    stored = h.bot.store is not None
    limit = hostile_settings.max_question_chars

    before = table_counts(database)
    started = time.perf_counter()
    calls = await h.send(h.message(case.text, mention_bot=True))
    assert time.perf_counter() - started < REPLY_SECONDS
    replies = visible(calls)
    assert len(replies) == 1, [c.path for c in calls]
    assert_silent(replies[0])
    if stored:
        check_db(database, before, case.text, limit, h.bot.engine)

    before = table_counts(database)
    started = time.perf_counter()
    calls = await h.call("ask", question=case.text)
    assert time.perf_counter() - started < REPLY_SECONDS
    replies = visible(calls)
    assert len(replies) == 1, [(c.path, c.body) for c in calls]
    assert_silent(replies[0])
    if stored:
        check_db(database, before, case.text, limit, h.bot.engine)

    assert all_logs.errors() == []


def fake_text(case: Hostile, fake: FakeDiscord) -> str:
    """The case with its mentions pointing at the fake's real member and role."""
    return case.text.replace(USER_MENTION, f"<@{fake.member.id}>").replace(
        ROLE_MENTION, f"<@&{fake.admin_role_id}>"
    )


def assert_no_pings(posted: PostedMessage) -> None:
    assert_silent(posted.request)
    assert posted.pings == set(), posted.pings
    assert not posted.message["mention_everyone"]
    assert posted.message["mentions"] == [] and posted.message["mention_roles"] == []


@pytest.mark.parametrize("case", FAKE_CASES, ids=[c.id for c in FAKE_CASES])
async def test_hostile_e2e_over_fake_discord(
    case: Hostile,
    fake_discord: FakeDiscord,
    start_fake_bot: StartFakeBot,
    database: Path,
    all_logs: Capture,
) -> None:
    bot = await start_fake_bot()
    text = fake_text(case, fake_discord)
    limit = bot.settings.max_question_chars

    before = table_counts(database)
    after = len(fake_discord.posted)
    # The admin may mention everyone: Discord would really ping if the bot let it.
    asked = await fake_discord.send_message(text, author=fake_discord.admin, mention_bot=True)
    reply = await fake_discord.wait_for_message(
        fake_discord.channel_id, after=after, timeout=REPLY_SECONDS
    )
    assert reply.message["message_reference"]["message_id"] == asked["id"]
    assert_no_pings(reply)
    await asyncio.sleep(0.05)
    assert len([p for p in fake_discord.posted[after:] if p.via == "channel"]) == 1
    check_db(database, before, text, limit, bot.engine)

    before = table_counts(database)
    record = await fake_discord.slash("ask", question=text, user=fake_discord.admin)
    await fake_discord.wait_for_interaction_response(record, timeout=REPLY_SECONDS)
    assert not record.late
    shown = record.final_message()
    assert shown is not None
    assert_no_pings(shown)
    assert len([m for m in record.messages if m.content or m.embeds]) == 1
    check_db(database, before, text, limit, bot.engine)

    assert all_logs.errors() == []
