"""Conversations (bot/serving/conversations.py): expiry, the bound, no context across people or
places, a line respelled once, a question about another article read afresh, and a follow-up
never answered with the answer just given when reading it as typed finds another."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.serving.answering import AnsweringService, Place
from bot.serving.conversations import Conversations
from bot.storage import GuildSettings, StorageConfig, Store, open_store
from index import Previous, build_corpus
from index import engine as engine_module
from index.engine import Engine
from index.loader import article_from_text
from index.spelling import respell

TROOPS = "how many troops were sent to Russia?"
FOLLOW_UP = "and when were they deployed?"
GUILD, CHANNEL, USER = 81384788765712384, 7, 42
MEMBER = Place("mention", USER, GUILD, CHANNEL)
LAST = Previous(TROOPS, "a1")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_turn_is_recalled_within_the_window_and_not_after() -> None:
    clock = Clock()
    conversations = Conversations(clock=clock)
    conversations.remember(MEMBER.conversation, LAST)
    clock.now = 299
    assert conversations.last(MEMBER.conversation, within=300) == LAST
    clock.now = 301
    assert conversations.last(MEMBER.conversation, within=300) is None


def test_a_turn_is_forgotten_after_its_lifetime_even_in_a_thread() -> None:
    clock = Clock()
    conversations = Conversations(lifetime=1800, clock=clock)
    conversations.remember(MEMBER.conversation, LAST)
    clock.now = 1801
    assert conversations.last(MEMBER.conversation, within=float("inf")) is None
    assert len(conversations) == 0


def test_the_least_recently_used_conversation_goes_first_beyond_the_bound() -> None:
    conversations = Conversations(capacity=2)
    for user in (1, 2, 3):
        conversations.remember((GUILD, CHANNEL, user), LAST)
    assert len(conversations) == 2
    assert conversations.last((GUILD, CHANNEL, 1), within=60) is None
    assert conversations.last((GUILD, CHANNEL, 3), within=60) == LAST


@pytest.mark.parametrize(
    "elsewhere",
    [
        Place("mention", USER + 1, GUILD, CHANNEL),  # another member, same channel
        Place("mention", USER, GUILD, CHANNEL + 1),  # same member, another channel
        Place("mention", USER, GUILD + 1, CHANNEL),  # same member and channel id, another server
    ],
    ids=["user", "channel", "server"],
)
async def test_context_never_crosses_users_channels_or_servers(
    seed_engine: Engine, elsewhere: Place
) -> None:
    service = AnsweringService(seed_engine, max_chars=200)
    await service.ask(MEMBER, TROOPS)
    turn = await service.admit(elsewhere, FOLLOW_UP)
    assert turn.context is None


async def test_a_follow_up_is_answered_in_context_and_says_how_it_was_read(
    seed_engine: Engine,
) -> None:
    service = AnsweringService(seed_engine, max_chars=200)
    first = await service.ask(MEMBER, TROOPS)
    reply = await service.ask(MEMBER, FOLLOW_UP)
    assert reply.answer is not None and first.answer is not None
    assert reply.answer.question == FOLLOW_UP
    assert reply.answer.context_read is not None and "Russia" in reply.answer.context_read
    assert reply.answer.article_id == first.answer.article_id


async def test_a_channel_conversation_ends_after_the_window(seed_engine: Engine) -> None:
    clock = Clock()
    service = AnsweringService(
        seed_engine, max_chars=200, window=300, conversations=Conversations(clock=clock)
    )
    await service.ask(MEMBER, TROOPS)
    clock.now = 301
    assert (await service.admit(MEMBER, FOLLOW_UP)).context is None
    thread = Place("mention", USER, GUILD, CHANNEL + 5, thread=True)
    await service.ask(thread, TROOPS)
    clock.now = 1000
    assert (await service.admit(thread, FOLLOW_UP)).context is not None


# -- a server's own window (/config conversation) ----------------------------------------

OTHER_GUILD = GUILD + 1  # never set its window: the bot's own


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await open_store(
        StorageConfig(database=tmp_path / "bot.sqlite3", user_salt="salt-for-the-conversations")
    )
    yield opened
    await opened.close()


def _service(engine: Engine, store: Store, clock: Clock) -> AnsweringService:
    return AnsweringService(
        engine, store, max_chars=200, window=300, conversations=Conversations(clock=clock)
    )


async def _followed_up(service: AnsweringService, place: Place) -> bool:
    """Whether the follow-up is read with the conversation's last turn."""
    return (await service.admit(place, FOLLOW_UP)).context is not None


async def test_a_server_window_of_0_reads_each_channel_question_afresh_another_keeps_the_bots(
    seed_engine: Engine, store: Store
) -> None:
    await store.save_guild_settings(GuildSettings(GUILD, conversation_minutes=0))
    clock = Clock()
    service = _service(seed_engine, store, clock)
    elsewhere = Place("mention", USER, OTHER_GUILD, CHANNEL)
    await service.ask(MEMBER, TROOPS)
    await service.ask(elsewhere, TROOPS)
    clock.now = 1
    assert not await _followed_up(service, MEMBER)
    assert await _followed_up(service, elsewhere)


async def test_a_server_short_window_ends_before_the_bots(
    seed_engine: Engine, store: Store
) -> None:
    await store.save_guild_settings(GuildSettings(GUILD, conversation_minutes=1))
    clock = Clock()
    service = _service(seed_engine, store, clock)
    elsewhere = Place("mention", USER, OTHER_GUILD, CHANNEL)
    await service.ask(MEMBER, TROOPS)
    await service.ask(elsewhere, TROOPS)
    clock.now = 59
    assert await _followed_up(service, MEMBER)
    clock.now = 61
    assert not await _followed_up(service, MEMBER)
    assert await _followed_up(service, elsewhere)  # the bot's 5 minutes


async def test_a_thread_stays_one_conversation_where_the_server_window_is_0(
    seed_engine: Engine, store: Store
) -> None:
    await store.save_guild_settings(GuildSettings(GUILD, conversation_minutes=0))
    clock = Clock()
    service = _service(seed_engine, store, clock)
    thread = Place("mention", USER, GUILD, CHANNEL + 5, thread=True)
    await service.ask(thread, TROOPS)
    clock.now = 1000
    assert await _followed_up(service, thread)


# -- reading a line once, and leaving an article for another ---------------------------------


@pytest.fixture(scope="module")
def two_articles(seed_engine: Engine) -> Engine:
    lighthouse = article_from_text(
        "lighthouse",
        "Harbor lighthouse reopens",
        ["The harbor lighthouse reopened on 4 May. Mayor Helen Ortiz opened it with a speech."],
    )
    corpus = build_corpus([*seed_engine.corpus.articles, lighthouse]).corpus
    return Engine(corpus)


async def test_a_line_is_respelled_once_for_its_gist_context_and_answer(
    seed_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def counted(text: str, *args: Any) -> Any:
        calls.append(text)
        return respell(text, *args)

    monkeypatch.setattr(engine_module, "respell", counted)
    service = AnsweringService(seed_engine, max_chars=200)
    await service.ask(MEMBER, TROOPS)
    reply = await service.ask(MEMBER, "and when were the troopps deployed?")
    assert len(calls) == 2  # one per line
    assert reply.answer is not None and reply.answer.respelled == (("troopps", "troops"),)


async def test_a_question_naming_another_articles_subject_leaves_the_conversations_article(
    two_articles: Engine,
) -> None:
    service = AnsweringService(two_articles, max_chars=200)
    first = await service.ask(MEMBER, TROOPS)
    switched = await service.ask(MEMBER, "and when did ortiz open it?")
    assert first.answer is not None and first.answer.article_id != "lighthouse"
    assert switched.answer is not None and switched.answer.read_as is None
    assert switched.answer.article_id == "lighthouse" and switched.answer.found


async def test_a_follow_up_that_finds_the_previous_answer_again_is_read_again_as_typed(
    seed_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = seed_engine.answer
    read: list[str] = []

    def answer(text: str, *args: Any, **kwargs: Any) -> Any:
        read.append(text)
        found = real(text, *args, **kwargs)
        if text == TROOPS or "(" in text:  # the carried words lead back to the answer given
            return replace(found, found=True, answer="3,000")
        return replace(found, found=True, answer="January and February")

    monkeypatch.setattr(seed_engine, "answer", answer)
    service = AnsweringService(seed_engine, max_chars=200)
    await service.ask(MEMBER, TROOPS)
    reply = await service.ask(MEMBER, "and how many died?")
    assert read[1:] == ["how many died (troops were sent to Russia)?", "how many died?"]
    assert reply.answer is not None and reply.answer.answer == "January and February"
    assert reply.answer.read_as is None  # what was read: the line as typed


@pytest.mark.parametrize(("confidence", "answered"), [(0.9, "Yonhap"), (0.3, None)])
async def test_a_follow_up_the_carried_words_leave_unanswered_is_read_again_as_typed(
    seed_engine: Engine, monkeypatch: pytest.MonkeyPatch, confidence: float, answered: str | None
) -> None:
    """A tester's "who announced her death" after "when did she join atlantic" was read as
    "who announced her death (join atlantic)?" and refused; asked as typed, it was answered.
    The second reading is a second guess, taken only when sure (``SECOND_READING``)."""
    real = seed_engine.answer
    read: list[str] = []

    def answer(text: str, *args: Any, **kwargs: Any) -> Any:
        read.append(text)
        found = real(text, *args, **kwargs)
        if "(" in text:  # the carried words lead nowhere
            return replace(found, found=False, answer=None)
        if text == TROOPS:
            return found
        return replace(found, found=True, answer="Yonhap", confidence=confidence)

    monkeypatch.setattr(seed_engine, "answer", answer)
    service = AnsweringService(seed_engine, max_chars=200)
    await service.ask(MEMBER, TROOPS)
    reply = await service.ask(MEMBER, "who reported it?")
    assert read[1:] == ["who reported it (troops were sent to Russia)?", "who reported it?"]
    assert reply.answer is not None and reply.answer.answer == answered


async def test_a_pronoun_after_a_whole_question_still_stands_for_the_running_subject(
    seed_engine: Engine,
) -> None:
    service = AnsweringService(seed_engine, max_chars=200)
    await service.ask(MEMBER, "when did Kim Jong Un evaluate the drones?")
    whole = await service.ask(MEMBER, "what drones were evaluated?")  # read as typed
    turn = await service.admit(MEMBER, "what did he say?")
    assert whole.answer is not None and whole.answer.read_as is None
    assert turn.context is not None and "Kim Jong Un" in turn.context.question
