"""Discord questions with nothing to search (cogs/ask.py through Engine.gist): the gist, a greeting."""

from __future__ import annotations

import pytest

from tests.bot.conftest import Harness


async def test_mention_what_happened_gets_the_summary(harness: Harness) -> None:
    calls = await harness.send(harness.message("what happened?", mention_bot=True))

    reply = next(c for c in calls if c.message)
    assert reply.text().startswith("Summary: North Korea")
    assert "The articles don't say" not in reply.text()


async def test_mention_hello_gets_the_line_on_what_to_ask(harness: Harness) -> None:
    calls = await harness.send(harness.message("hello", mention_bot=True))

    [reply] = [c.text() for c in calls if c.message]
    assert reply.startswith("Ask me a question about the indexed articles")


async def test_mention_thanks_gets_a_welcome(harness: Harness) -> None:
    calls = await harness.send(harness.message("thanks!", mention_bot=True))

    [reply] = [c.text() for c in calls if c.message]
    assert reply.startswith("You're welcome!")


@pytest.mark.parametrize(
    ("line", "said"), [("ok", "👍"), ("good bot", "Thank you! 😊"), ("see ya", "Bye! 👋")]
)
async def test_mention_small_talk_is_answered_in_kind(
    harness: Harness, line: str, said: str
) -> None:
    calls = await harness.send(harness.message(line, mention_bot=True))

    assert [c.text() for c in calls if c.message] == [said]


async def test_slash_ask_tldr_gets_the_summary(harness: Harness) -> None:
    calls = await harness.call("ask", question="tl;dr")

    assert calls[-1].text().startswith("Summary: North Korea")


async def test_mention_with_a_slip_says_how_it_was_read(harness: Harness) -> None:
    calls = await harness.send(
        harness.message("how many troopps were sent to Russia?", mention_bot=True)
    )

    reply = next(c for c in calls if c.message)
    assert "3,000" in reply.text() and "*Read “troopps” as “troops”.*" in reply.text()


async def test_mention_asking_about_a_subject_gets_what_the_article_says_on_it(
    harness: Harness,
) -> None:
    calls = await harness.send(harness.message("tell me about the drones", mention_bot=True))

    reply = next(c for c in calls if c.message)
    assert reply.text().startswith("Summary: the drones — North Korea")
    assert "The articles don't say" not in reply.text()


async def test_mention_what_happened_after_a_question_sums_up_what_it_asked_about(
    harness: Harness,
) -> None:
    await harness.send(harness.message("how many troops were sent to Russia?", mention_bot=True))
    calls = await harness.send(harness.message("what happened?", mention_bot=True))

    reply = next(c for c in calls if c.message)
    assert reply.text().startswith("Summary: troops were sent to Russia — North Korea")
    assert "3,000" in reply.text()


async def test_mention_asking_two_things_gets_two_answers(harness: Harness) -> None:
    calls = await harness.send(
        harness.message("when were the images released? where?", mention_bot=True)
    )

    replies = [c.text() for c in calls if c.message]
    assert len(replies) == 2 and "March 27" in replies[0] and "Pyongyang" in replies[1]
