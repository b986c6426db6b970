"""The answering service: each question checked, decided and logged once, for either front end.

A real engine over the seeds and a real SQLite store in ``tmp_path``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.serving import answering
from bot.serving.answering import (
    AnsweringService,
    CoolingDown,
    Place,
    QuestionTooLong,
)
from bot.storage import GuildSettings, SQLiteStore, StorageConfig, open_store
from index.engine import Engine
from index.question_input import QuestionError

TROOPS = "how many troops were sent to Russia?"
GUILD = 81384788765712384
MEMBER = Place("slash", 42, GUILD, 7)
TERMINAL = Place("terminal", 1000)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    opened = await open_store(
        StorageConfig(database=tmp_path / "bot.sqlite3", user_salt="salt-for-the-service-tests")
    )
    assert isinstance(opened, SQLiteStore)
    yield opened
    await opened.close()


@pytest.fixture
def service(seed_engine: Engine, store: SQLiteStore) -> AnsweringService:
    return AnsweringService(seed_engine, store, max_chars=200)


async def test_an_answer_is_logged_with_its_place(
    service: AnsweringService, store: SQLiteStore
) -> None:
    reply = await service.ask(MEMBER, TROOPS)
    assert reply.kind == "answer" and reply.answer is not None and reply.answer.found
    assert reply.answer_id is not None
    logged = await store.get_question(reply.answer_id)
    assert logged is not None
    assert (logged.source, logged.guild_id, logged.channel_id) == ("slash", GUILD, 7)


async def test_a_line_with_nothing_to_search_gets_its_gist_unlogged(
    service: AnsweringService,
) -> None:
    greeting = await service.ask(MEMBER, "hello")
    assert (greeting.kind, greeting.answer, greeting.answer_id) == ("greeting", None, None)
    summary = await service.ask(MEMBER, "what happened?")
    assert summary.kind == "summary" and summary.summary is not None


async def test_a_line_asking_about_a_subject_gets_a_summary_on_it_even_after_a_question(
    service: AnsweringService,
) -> None:
    await service.ask(MEMBER, TROOPS)  # a question before: the line is not read as its follow-up
    reply = await service.ask(MEMBER, "whats going on with the drones")
    assert reply.kind == "summary" and reply.answer is None
    assert reply.summary is not None and reply.summary.topic == "the drones"
    assert any("drones" in s.text for s in reply.summary.sentences)


async def test_what_happened_after_a_question_gets_an_account_of_what_it_asked_about(
    service: AnsweringService,
) -> None:
    await service.ask(MEMBER, TROOPS)
    reply = await service.ask(MEMBER, "what happened?")
    assert reply.kind == "summary" and reply.answer is None  # not the reader on "what happened"
    assert reply.summary is not None and reply.summary.topic == "troops were sent to Russia"
    assert any("3,000" in s.text for s in reply.summary.sentences)


async def test_thanks_after_a_question_is_no_follow_up_of_it(service: AnsweringService) -> None:
    await service.ask(MEMBER, TROOPS)
    reply = await service.ask(MEMBER, "thanks")
    assert reply.kind == "thanks" and reply.answer is None
    more = await service.ask(MEMBER, "more please")  # the question is still the conversation's
    assert more.kind == "summary" and more.summary is not None
    assert more.summary.topic == "troops were sent to Russia"


async def test_a_puzzled_what_after_an_answer_shows_it_again_not_another_answer(
    service: AnsweringService,
) -> None:
    first = await service.ask(MEMBER, TROOPS)
    again = await service.ask(MEMBER, "what?")
    assert again.answer is not None and first.answer is not None
    assert again.answer.answer == first.answer.answer and again.answer.read_as == TROOPS


async def test_more_after_a_summary_shows_sentences_of_the_same_article_not_shown_yet(
    service: AnsweringService,
) -> None:
    first = await service.ask(MEMBER, "what happened?")
    more = await service.ask(MEMBER, "more")
    again = await service.ask(MEMBER, "what else?")
    assert first.summary is not None and more.summary is not None and again.summary is not None
    assert more.summary.article_id == first.summary.article_id and more.summary.more
    shown = [s.id for r in (first, more, again) for s in r.summary.sentences]  # type: ignore[union-attr]
    assert more.summary.sentences and again.summary.sentences
    assert len(shown) == len(set(shown))  # each "more" only adds


async def test_more_after_a_topic_summary_stays_on_the_topic(service: AnsweringService) -> None:
    first = await service.ask(MEMBER, "tell me about the drones")
    more = await service.ask(MEMBER, "more")
    assert first.summary is not None and first.summary.topic
    assert more.summary is not None and more.summary.topic == first.summary.topic
    assert not {s.id for s in more.summary.sentences} & {s.id for s in first.summary.sentences}


async def test_more_once_the_summary_is_full_says_so(service: AnsweringService) -> None:
    await service.ask(MEMBER, "what happened?")
    replies = [await service.ask(MEMBER, "more") for _ in range(6)]
    last = replies[-1].summary
    assert last is not None and not last.sentences and last.message


async def test_source_after_an_answer_shows_that_answer_with_its_passages_again(
    service: AnsweringService,
) -> None:
    first = await service.ask(MEMBER, TROOPS)
    again = await service.ask(MEMBER, "source?")
    assert again.kind == "answer" and again.answer is not None and first.answer is not None
    assert again.answer.answer == first.answer.answer
    assert again.answer.citations == first.answer.citations
    assert again.answer.read_as == TROOPS


async def test_what_about_another_articles_subject_gets_an_account_from_that_article(
    strike_and_match: Engine,
) -> None:
    service = AnsweringService(strike_and_match, None, max_chars=200)
    await service.ask(TERMINAL, "how long was the port closed?")
    reply = await service.ask(TERMINAL, "what about the final?")
    assert reply.kind == "summary" and reply.summary is not None
    assert reply.summary.topic == "the final" and reply.summary.article_id == "match"


async def test_a_bare_subject_the_engine_cannot_answer_gets_an_account_of_it(
    service: AnsweringService,
) -> None:
    reply = await service.ask(MEMBER, "kim drone inspection")  # no question in it
    assert reply.kind == "summary" and reply.summary is not None
    assert reply.summary.topic == "kim drone inspection"
    assert any("drone" in s.text for s in reply.summary.sentences)


async def test_a_bare_subject_the_engine_answers_keeps_its_answer(
    service: AnsweringService,
) -> None:
    reply = await service.ask(MEMBER, "number of troops sent to russia")
    assert reply.kind == "answer" and reply.answer is not None and reply.answer.found


async def test_what_it_says_about_a_subject_is_asked_of_the_conversations_article(
    strike_and_match: Engine,
) -> None:
    service = AnsweringService(strike_and_match, None, max_chars=200)
    await service.ask(TERMINAL, "how long was the port closed?")
    reply = await service.ask(TERMINAL, "what does it say about the walkout?")
    assert reply.kind == "summary" and reply.summary is not None
    assert reply.summary.topic == "the walkout" and reply.summary.article_id == "strike"


async def test_tldr_in_a_conversation_about_one_article_summarises_that_one(
    strike_and_match: Engine,
) -> None:
    service = AnsweringService(strike_and_match, None, max_chars=200)
    first = await service.ask(TERMINAL, "tl;dr")  # no conversation yet: which article?
    assert first.kind == "choose"
    await service.ask(TERMINAL, "how long was the port closed?")
    reply = await service.ask(TERMINAL, "tl;dr")
    assert reply.kind == "summary" and reply.summary is not None
    assert reply.summary.article_id == "strike"


async def test_and_the_first_one_after_a_question_is_that_articles_summary(
    strike_and_match: Engine,
) -> None:
    """A tester's "and the second one?" after a question was read with its words and refused."""
    service = AnsweringService(strike_and_match, None, max_chars=200)
    await service.ask(TERMINAL, "how long was the port closed?")
    reply = await service.ask(TERMINAL, "and the first one?")  # match.txt, first by file name
    assert reply.kind == "summary" and reply.summary is not None
    assert reply.summary.article_id == "match" and reply.summary.topic is None


async def test_a_subject_only_a_headline_names_gets_that_articles_account(
    strike_and_match: Engine,
) -> None:
    """A tester's "what happened with the wildfire": only the headline says "wildfire"."""
    service = AnsweringService(strike_and_match, None, max_chars=200)
    reply = await service.ask(TERMINAL, "what happened with the cup?")
    assert reply.kind == "summary" and reply.summary is not None
    assert reply.summary.article_id == "match"


async def test_and_a_subject_after_a_summary_gets_an_account_of_it(
    service: AnsweringService,
) -> None:
    await service.ask(MEMBER, "tell me about the troops")
    reply = await service.ask(MEMBER, "and the drones?")
    assert reply.kind == "summary" and reply.summary is not None
    assert reply.summary.topic == "the drones"
    question = await service.ask(MEMBER, "and how many troops were sent?")  # still a question
    assert question.kind == "answer"


async def test_the_server_threshold_is_the_engines_decision(
    service: AnsweringService, store: SQLiteStore, seed_engine: Engine
) -> None:
    await store.save_guild_settings(GuildSettings(GUILD, refusal_threshold=0.95))
    strict = await service.ask(MEMBER, TROOPS)
    assert strict.answer is not None and not strict.answer.found
    assert strict.answer == _timeless(seed_engine.ask(TROOPS, threshold=0.95), strict.answer)
    elsewhere = await service.ask(Place("slash", 42, GUILD + 1, 7), TROOPS)
    assert elsewhere.answer is not None and elsewhere.answer.found


def _timeless(expected: Any, actual: Any) -> Any:
    """``expected`` with ``actual``'s elapsed time, which differs between two runs."""
    import dataclasses

    return dataclasses.replace(expected, elapsed_ms=actual.elapsed_ms)


@pytest.mark.parametrize(
    ("question", "refusal"),
    [("   ", QuestionError), ("why " * 60, QuestionTooLong), ("🚁🚁", QuestionError)],
)
async def test_a_question_that_cannot_be_answered_is_turned_away_before_any_work(
    service: AnsweringService, question: str, refusal: type[Exception]
) -> None:
    spent: list[int] = []
    with pytest.raises(refusal):
        await service.admit(MEMBER, question, budget=lambda: spent.append(1) or None)
    assert spent == []  # a refused question costs no rate-limit budget


async def test_the_servers_cooldown_holds_a_member_back(
    service: AnsweringService, store: SQLiteStore
) -> None:
    await store.save_guild_settings(GuildSettings(GUILD, cooldown_seconds=600))
    await service.admit(MEMBER, TROOPS)
    with pytest.raises(CoolingDown) as slow:
        await service.admit(MEMBER, "who tested the drones?")
    assert 590 < slow.value.retry_after <= 600 and "try again in" in str(slow.value)
    await service.admit(Place("slash", 43, GUILD, 7), TROOPS)  # another member is not held


async def test_a_stuck_database_falls_back_to_the_settings_last_read(
    service: AnsweringService, store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.save_guild_settings(GuildSettings(GUILD, ephemeral_ask=True))
    assert (await service.admit(MEMBER, TROOPS)).private
    stuck = asyncio.Event()

    async def never_answers(guild_id: int) -> GuildSettings:
        await stuck.wait()
        raise AssertionError("unreachable")

    monkeypatch.setattr(store, "guild_settings", never_answers)
    monkeypatch.setattr(answering, "SETTINGS_PATIENCE_SECONDS", 0.01)
    assert (await service.admit(MEMBER, "who tested the drones?")).private


async def test_the_terminal_has_no_server_settings_and_logs_only_with_a_store(
    seed_engine: Engine,
) -> None:
    service = AnsweringService(seed_engine, None, max_chars=1000)
    turn = await service.admit(TERMINAL, TROOPS)
    assert turn.settings is None and not turn.private
    reply = await service.reply(turn)
    assert reply.answer is not None and reply.answer_id is None


async def test_chat_before_a_follow_up_is_not_read_with_it(service: AnsweringService) -> None:
    await service.ask(MEMBER, TROOPS)
    reply = await service.ask(MEMBER, "ok cool, when did they arrive?")
    assert reply.answer is not None and reply.answer.read_as is not None
    assert "cool" not in reply.answer.read_as and "troops" in reply.answer.read_as
    assert reply.answer.question == "ok cool, when did they arrive?"  # as typed


async def test_chat_before_a_question_is_dropped_without_a_read_as(
    service: AnsweringService,
) -> None:
    reply = await service.ask(MEMBER, "ok cool, how many troops were sent to Russia?")
    assert reply.answer is not None and reply.answer.found
    assert "3,000" in (reply.answer.answer or "") and reply.answer.read_as is None
    after = await service.admit(MEMBER, "and when?")
    assert after.context is not None and "cool" not in after.context.question  # nor remembered


async def test_naming_an_article_after_which_article_gets_its_summary(
    strike_and_match: Engine,
) -> None:
    service = AnsweringService(strike_and_match, None, max_chars=200)
    offered = await service.ask(MEMBER, "what happened?")
    chosen = await service.ask(MEMBER, "the cup final one")
    assert offered.kind == "choose"
    assert chosen.summary is not None and chosen.summary.article_title == "Cup final"


async def test_a_question_after_which_article_is_answered_not_taken_for_a_name(
    strike_and_match: Engine,
) -> None:
    service = AnsweringService(strike_and_match, None, max_chars=200)
    await service.ask(MEMBER, "what happened?")
    reply = await service.ask(MEMBER, "who won the final?")
    assert reply.kind == "answer"
