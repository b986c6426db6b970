"""End to end on the fake Discord: follow-ups read in their conversation, and only there (issue 26).

A follow-up's answer embed names the question as read ("Read as: ..."); one read
afresh names the question as asked ("Q: ...").
"""

from __future__ import annotations

import asyncio

from bot.discord_app.client import ArticleBot
from bot.serving.conversations import Conversations
from tests.bot.discord_app.test_e2e_bot import StartBot, articlebot, start_bot  # noqa: F401
from tests.bot.fake_discord import FakeDiscord, FakeUser, PostedMessage

pytest_plugins = ["tests.bot.conftest_e2e"]

TROOPS = "how many troops were sent to Russia?"
FOLLOW_UP = "and when were they deployed?"


async def ask(
    fake: FakeDiscord,
    question: str,
    *,
    channel_id: int | None = None,
    author: FakeUser | None = None,
    reply_to: PostedMessage | None = None,
) -> PostedMessage:
    """``question`` mentioning the bot; the bot's answer."""
    channel_id = channel_id or fake.channel_id
    after = len(fake.posted)
    await fake.send_message(
        question,
        mention_bot=True,
        channel_id=channel_id,
        author=author,
        reply_to=reply_to.message if reply_to else None,
    )
    return await fake.wait_for_message(channel_id, after=after, timeout=15)


def heading(answer: PostedMessage) -> str:
    """The answer embed's author line: "Q: <as asked>" or "Read as: <as read>"."""
    return str(answer.embeds[0]["author"]["name"])


async def test_e2e_a_follow_up_in_the_channel_is_read_with_the_question_before(
    fake_discord: FakeDiscord,
    articlebot: ArticleBot,  # noqa: F811
) -> None:
    assert heading(await ask(fake_discord, TROOPS)) == f"Q: {TROOPS}"
    follow_up = heading(await ask(fake_discord, FOLLOW_UP))
    assert follow_up.startswith("Read as: ") and "Russia" in follow_up


async def test_e2e_another_members_question_in_between_starts_afresh(
    fake_discord: FakeDiscord,
    articlebot: ArticleBot,  # noqa: F811
) -> None:
    await ask(fake_discord, TROOPS)
    other = await ask(fake_discord, FOLLOW_UP, author=fake_discord.editor)
    assert heading(other) == f"Q: {FOLLOW_UP}"
    assert heading(await ask(fake_discord, FOLLOW_UP)).startswith("Read as: ")


async def test_e2e_a_reply_to_an_answer_carries_its_context_to_any_process(
    fake_discord: FakeDiscord,
    articlebot: ArticleBot,  # noqa: F811
) -> None:
    answer = await ask(fake_discord, TROOPS)
    articlebot.service.conversations = Conversations()  # as if another process got the reply
    follow_up = heading(await ask(fake_discord, FOLLOW_UP, reply_to=answer))
    assert follow_up.startswith("Read as: ") and "Russia" in follow_up


async def test_e2e_a_thread_is_one_conversation_past_the_channel_window(
    fake_discord: FakeDiscord,
    start_bot: StartBot,  # noqa: F811
) -> None:
    await start_bot(ARTICLEBOT_CONVERSATION_MINUTES="0.0001")  # a channel's: 6 ms
    thread = await fake_discord.open_thread()
    await ask(fake_discord, TROOPS, channel_id=thread)
    await asyncio.sleep(0.05)
    assert heading(await ask(fake_discord, FOLLOW_UP, channel_id=thread)).startswith("Read as: ")
    await ask(fake_discord, TROOPS)
    await asyncio.sleep(0.05)
    assert heading(await ask(fake_discord, FOLLOW_UP)) == f"Q: {FOLLOW_UP}"
