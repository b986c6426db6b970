"""The bot against a fake Discord that behaves like Discord where the bot depends on it.

Discord's client rules (hidden commands, option limits, message length), the
bot's own messages coming back over the gateway, rate limits and compressed
frames: each test here would pass on a fake that skipped the rule only if the
bot did too. The spec contract itself (tests/bot/discord_contract.py) runs in
every e2e test through the ``fake_discord`` fixture.
"""

from __future__ import annotations

import asyncio
import json
import time

import aiohttp
import pytest

from bot.discord_app.client import ArticleBot
from bot.serving.messages import looks_like_question
from tests.bot.discord_app.test_e2e_bot import StartBot, answer_of, articlebot, start_bot  # noqa: F401
from tests.bot.discord_contract import SPEC_PATH, new_contract
from tests.bot.fake_discord import (
    MAX_CONTENT,
    MAX_CONTENT_NITRO,
    MAX_STRING_OPTION,
    MESSAGE_ROUTE,
    ClientRefused,
    FakeDiscord,
    FakeUser,
)
from tests.discord_spec import extract

pytest_plugins = ["tests.bot.conftest_e2e"]

QUESTION = "how many troops were sent to Russia?"
SETTLE_S = 0.3  # long enough for a wrong second reply to arrive over the loopback fake


def bot_messages(fake: FakeDiscord, channel_id: int, after: int = 0) -> list[str]:
    return [p.message["id"] for p in fake.posted[after:] if p.channel_id == channel_id]


# -- the contract itself ----------------------------------------------------------------


def test_contract_names_the_route_and_field_of_a_body_that_breaks_the_spec() -> None:
    contract = new_contract()
    contract.check("POST", "/api/v10/channels/1/messages", {"content": 5}, 204, None)
    assert [(m.route, m.field) for m in contract.mismatches] == [
        ("POST /channels/{channel_id}/messages", "content")
    ]
    assert contract.counts["requests"] == 1


def test_contract_allows_only_the_listed_difference() -> None:
    contract = new_contract()
    reference = {"message_id": 123, "channel_id": 456, "fail_if_not_exists": False}
    body = {"content": "hi", "message_reference": reference}
    contract.check("POST", "/api/v10/channels/1/messages", body, 204, None)
    assert contract.mismatches == [] and len(contract.allowed) == 1
    contract.check("POST", "/api/v10/channels/1/messages", {**body, "tts": "yes"}, 204, None)
    assert [m.field for m in contract.mismatches] == ["tts"]


def test_vendored_spec_is_the_subset_cut_and_closed_under_its_references() -> None:
    """Holds in any clone; with ../shared beside it, the spec there is also the one cut from."""
    digests = json.loads(extract.DIGESTS.read_text())
    vendored = json.loads(SPEC_PATH.read_text())
    assert extract.sha256(SPEC_PATH) == digests["subset_sha256"]
    assert extract.subset(vendored) == vendored  # every operation there, every $ref resolves
    if extract.SOURCE.exists():  # then it must still be the spec the subset was cut from
        assert extract.sha256(extract.SOURCE) == digests["source_sha256"]
        assert extract.subset(json.loads(extract.SOURCE.read_text())) == vendored


# -- the bot's own messages, other bots' and webhooks' -----------------------------------


@pytest.fixture
async def answer_channel_bot(fake_discord: FakeDiscord, start_bot: StartBot) -> ArticleBot:  # noqa: F811
    return await start_bot(ARTICLEBOT_ANSWER_CHANNEL_IDS=str(fake_discord.news_channel_id))


async def test_the_bot_does_not_answer_its_own_reply_in_an_answer_channel(
    fake_discord: FakeDiscord, answer_channel_bot: ArticleBot
) -> None:
    channel = fake_discord.news_channel_id
    await fake_discord.send_message("", channel_id=channel, mention_bot=True)
    reply = await fake_discord.wait_for_message(channel)
    assert looks_like_question(reply.content)  # the how-to-ask note: the loop this guards
    await fake_discord.wait_until(
        lambda: reply.message["id"] in [m["id"] for m in fake_discord.sent("MESSAGE_CREATE")]
    )  # Discord sends the bot its own reply
    await asyncio.sleep(SETTLE_S)
    assert bot_messages(fake_discord, channel) == [reply.message["id"]]


OTHER_BOT = FakeUser(4242, "newsbot", bot=True)


@pytest.mark.parametrize("mention", [True, False], ids=["mention", "answer_channel"])
@pytest.mark.parametrize("author", ["itself", "other_bot", "webhook"])
async def test_the_bot_ignores_bots_and_webhooks(
    fake_discord: FakeDiscord, answer_channel_bot: ArticleBot, author: str, mention: bool
) -> None:
    user = {"itself": fake_discord.bot_user, "other_bot": OTHER_BOT}.get(
        author, fake_discord.member
    )
    if user is OTHER_BOT and OTHER_BOT not in fake_discord.users:
        fake_discord.users.append(OTHER_BOT)
    webhook_id = 777 if author == "webhook" else None
    channel = fake_discord.news_channel_id
    await fake_discord.send_message(
        QUESTION, author=user, channel_id=channel, mention_bot=mention, webhook_id=webhook_id
    )
    await asyncio.sleep(SETTLE_S)
    assert bot_messages(fake_discord, channel) == []
    assert fake_discord.typing == []

    await fake_discord.send_message(QUESTION, channel_id=channel, mention_bot=mention)
    await fake_discord.wait_for_message(channel)  # a person still gets the answer


# -- permissions: hidden by Discord, refused by the bot -----------------------------------


@pytest.mark.parametrize("command", ["reindex", "stats", "config show"])
async def test_manage_server_commands_are_hidden_and_refused_at_run_time(
    fake_discord: FakeDiscord,
    articlebot: ArticleBot,  # noqa: F811
    command: str,
) -> None:
    with pytest.raises(ClientRefused, match="hidden from mia_member"):
        await fake_discord.slash(command)
    fake_discord.allow_command(command.split()[0], fake_discord.member)
    refusal = await answer_of(fake_discord, await fake_discord.slash(command))
    assert refusal.ephemeral and "Manage Server" in refusal.text()


async def test_admin_sees_and_runs_config(
    fake_discord: FakeDiscord,
    articlebot: ArticleBot,  # noqa: F811
) -> None:
    shown = await answer_of(
        fake_discord, await fake_discord.slash("config show", user=fake_discord.admin)
    )
    assert "Manage Server" not in shown.text()


# -- the longest questions Discord delivers -----------------------------------------------


async def test_longest_slash_question_gets_the_length_refusal(
    fake_discord: FakeDiscord,
    articlebot: ArticleBot,  # noqa: F811
) -> None:
    question = ("how many troops were sent to Russia " * 300)[:MAX_STRING_OPTION]
    with pytest.raises(ClientRefused):
        await fake_discord.slash("ask", question=question + "?")
    with pytest.raises(ClientRefused):
        await fake_discord.slash("ask", question="")
    refusal = await answer_of(fake_discord, await fake_discord.slash("ask", question=question))
    limit = articlebot.settings.max_question_chars
    assert refusal.ephemeral
    assert f"{MAX_STRING_OPTION:,} characters long; please keep it under {limit:,}" in (
        refusal.text()
    )


@pytest.mark.parametrize("nitro", [False, True], ids=["2000", "4000_nitro"])
async def test_longest_message_question_gets_the_length_refusal(
    fake_discord: FakeDiscord,
    articlebot: ArticleBot,  # noqa: F811
    nitro: bool,
) -> None:
    cap = MAX_CONTENT_NITRO if nitro else MAX_CONTENT
    prefix = len(fake_discord.bot_user.mention) + 1
    question = ("how many troops were sent to Russia " * 200)[: cap - prefix]
    with pytest.raises(ClientRefused):
        await fake_discord.send_message(question + "?", mention_bot=True, nitro=nitro)
    await fake_discord.send_message(question, mention_bot=True, nitro=nitro)
    reply = await fake_discord.wait_for_message(fake_discord.channel_id)
    limit = articlebot.settings.max_question_chars
    assert f"characters long; please keep it under {limit:,}" in reply.content
    assert len(reply.content) <= MAX_CONTENT


# -- Discord's transport: limits, rate limits, compression ------------------------------


async def bot_post(fake: FakeDiscord, body: dict[str, object]) -> tuple[int, dict[str, str], dict]:
    """POST a channel message with the bot's token, as discord.py would."""
    url = f"{fake.api_base}/channels/{fake.channel_id}/messages"
    headers = {"Authorization": f"Bot {fake.token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=body, headers=headers) as r,
    ):
        return r.status, dict(r.headers), await r.json()


async def test_a_message_over_2000_characters_gets_discords_nested_error(
    fake_discord: FakeDiscord,
) -> None:
    status, _, body = await bot_post(fake_discord, {"content": "x" * (MAX_CONTENT + 1)})
    assert status == 400 and body["code"] == 50035
    assert body["errors"] == {
        "content": {
            "_errors": [
                {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}
            ]
        }
    }
    status, _, _ = await bot_post(fake_discord, {"content": "x" * MAX_CONTENT})
    assert status == 200


async def test_message_bucket_answers_429_with_rate_limit_headers(
    fake_discord: FakeDiscord,
) -> None:
    fake_discord.rate_limits[MESSAGE_ROUTE] = (2, 5.0)
    answers = [await bot_post(fake_discord, {"content": f"n{i}"}) for i in range(3)]
    assert [status for status, _, _ in answers] == [200, 200, 429]
    first, last = answers[0][1], answers[2][1]
    assert first["X-RateLimit-Limit"] == "2" and first["X-RateLimit-Remaining"] == "1"
    assert first["X-RateLimit-Bucket"] == last["X-RateLimit-Bucket"]
    assert 0 < answers[2][2]["retry_after"] <= 5 and answers[2][2]["global"] is False


async def test_the_bot_keeps_to_the_message_bucket(
    fake_discord: FakeDiscord,
    start_bot: StartBot,  # noqa: F811
) -> None:
    await start_bot(ARTICLEBOT_COOLDOWN_QUESTIONS="100")
    fake_discord.rate_limits[MESSAGE_ROUTE] = (2, 0.5)
    started = time.monotonic()
    for _ in range(5):
        await fake_discord.send_message(QUESTION, mention_bot=True)
    await fake_discord.wait_until(
        lambda: len(bot_messages(fake_discord, fake_discord.channel_id)) == 5, timeout=10
    )
    assert fake_discord.rate_limited == []  # discord.py waited on X-RateLimit-Remaining: 0
    assert time.monotonic() - started >= 1.0  # two full windows for five messages


async def test_gateway_frames_are_zlib_stream_compressed(
    fake_discord: FakeDiscord,
    articlebot: ArticleBot,  # noqa: F811
) -> None:
    await fake_discord.send_message(QUESTION, mention_bot=True)
    await fake_discord.wait_for_message(fake_discord.channel_id)
    assert fake_discord.gateway_queries[0]["compress"] == "zlib-stream"
    assert fake_discord.compressed_frames >= 4  # HELLO, READY, GUILD_CREATE, MESSAGE_CREATE


# -- DMs: Discord's payload without guild or member --------------------------------------


async def test_ask_in_a_dm_is_answered_and_server_commands_are_not_offered(
    fake_discord: FakeDiscord,
    start_bot: StartBot,  # noqa: F811
) -> None:
    await start_bot(ARTICLEBOT_DEV_GUILD_ID="")  # global commands: the only ones in DMs
    record = await fake_discord.slash("ask", dm=True, question=QUESTION)
    assert "guild_id" not in record.payload and "member" not in record.payload
    assert record.payload["context"] == 1 and record.payload["user"]["id"]
    answer = await answer_of(fake_discord, record)
    assert answer.embeds and answer.channel_id == fake_discord.dm_channel(fake_discord.member)
    for command in ("reindex", "stats", "config show"):
        with pytest.raises(ClientRefused, match="not offered in context 1"):
            await fake_discord.slash(command, dm=True, user=fake_discord.admin)
