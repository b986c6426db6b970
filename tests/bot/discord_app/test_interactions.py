"""The bot driven through its real command tree and message listener.

Payloads enter through the connection state's gateway parsers and every HTTP
call the bot makes is recorded (see ``conftest.py``); nothing of the bot is
mocked. Engines are real, over copies of the seeds.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
from pathlib import Path

import discord
import pytest

from bot.config import Settings
from bot.discord_app.embeds import NO_ANSWER_TITLE, answer_embed
from index import ReindexReport, build_corpus
from index.article_choice import find_article
from index.engine import Engine
from index.records import Answer
from tests.bot.conftest import (
    ADMIN_ROLE_ID,
    ANSWER_CHANNEL_ID,
    MANAGE_GUILD,
    OWNER_ID,
    BotFactory,
    Call,
    Harness,
)

TROOPS = "how many troops were sent to Russia?"
UNANSWERABLE = "what is the capital of France?"
LIGHTHOUSE = """The Lighthouse of Varna Reopens

The old lighthouse of Varna was built in 1887 by the harbour engineer Petar Ivanov.

After a restoration that cost 2 million euros, the lighthouse reopened to visitors on Saturday. \
The mayor said the tower would host a small maritime museum.
"""


def only_message(calls: list[Call]) -> Call:
    sent = [c for c in calls if c.message is not None]
    assert len(sent) == 1, calls
    return sent[0]


def embed_of(call: Call) -> dict[str, object]:
    embeds = (call.message or {}).get("embeds") or []
    assert len(embeds) == 1, call
    embed: dict[str, object] = embeds[0]
    return embed


def assert_deferred_then_followed_up(calls: list[Call]) -> Call:
    """The interaction was deferred first (3-second rule), then answered by follow-up."""
    assert calls[0].path.endswith("/callback") and calls[0].body["type"] == 5, calls
    followup = only_message(calls)
    assert followup.path.startswith("/webhooks/"), followup
    assert followup.message is not None
    assert followup.message["allowed_mentions"] == {"parse": []}
    return followup


def assert_ephemeral_refusal(calls: list[Call], *words: str) -> None:
    """One immediate ephemeral reply (no defer) whose text has ``words``."""
    assert len(calls) == 1, calls
    reply = calls[0]
    assert reply.path.endswith("/callback") and reply.body["type"] == 4
    assert reply.ephemeral
    for word in words:
        assert word.lower() in reply.text().lower()


def engine_answer(engine: Engine, question: str) -> Answer:
    return engine.ask(question)


# -- /ask and questions in messages ---------------------------------------------


async def test_ask_answers_troops_question_with_3000_and_a_citation(harness: Harness) -> None:
    calls = await harness.call("ask", question=TROOPS)

    reply = assert_deferred_then_followed_up(calls)
    embed = embed_of(reply)
    assert "3,000" in reply.text()
    description = str(embed["description"])
    assert "**[1]**" in description and "paragraph" in description
    assert "North Korea’s Military Expansion" in description
    # The bot shows exactly what the engine says, nothing invented.
    expected = answer_embed(engine_answer(harness.bot.engine, TROOPS))
    assert embed["title"] == expected.title


async def test_ask_refuses_a_question_the_articles_cannot_answer(harness: Harness) -> None:
    calls = await harness.call("ask", question=UNANSWERABLE)

    embed = embed_of(assert_deferred_then_followed_up(calls))
    assert embed["title"] == NO_ANSWER_TITLE


async def test_ask_can_be_limited_to_one_article(make_bot: BotFactory, seeds_copy: Path) -> None:
    (seeds_copy / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    harness = await make_bot()
    lighthouse = find_article(harness.bot.engine.corpus.articles, "lighthouse")
    assert lighthouse is not None

    calls = await harness.call("ask", question="when was it built?", article=lighthouse.id)

    reply = assert_deferred_then_followed_up(calls)
    assert "Lighthouse of Varna" in reply.text()
    assert "North Korea" not in reply.text()


async def test_ask_with_unknown_article_is_told_so_privately(harness: Harness) -> None:
    calls = await harness.call("ask", question=TROOPS, article="no such article")

    assert_ephemeral_refusal(calls, "no indexed article matches", "/articles")


async def test_mention_is_answered_in_a_reply_that_pings_nobody(harness: Harness) -> None:
    calls = await harness.send(harness.message(TROOPS, mention_bot=True))

    assert calls[0].path.endswith("/typing")  # typing indicator while working
    reply = only_message(calls)
    message = reply.message or {}
    assert message["allowed_mentions"] == {"parse": [], "replied_user": False}
    assert message["message_reference"]["fail_if_not_exists"] is False
    assert "3,000" in reply.text()


async def test_mention_markup_is_stripped_before_asking(harness: Harness) -> None:
    noisy = (
        f"@everyone <@&{ADMIN_ROLE_ID}> **how many** _troops_ were `sent` to Russia? <#123> @here"
    )
    clean = await harness.send(harness.message(TROOPS, mention_bot=True))
    messy = await harness.send(harness.message(noisy, mention_bot=True, everyone=True))

    assert embed_of(only_message(messy)) == embed_of(only_message(clean))
    sent = only_message(messy).message or {}
    assert sent["allowed_mentions"]["parse"] == []
    assert "@everyone" not in only_message(messy).text()


async def test_mention_of_the_bots_role_counts_as_a_mention(harness: Harness) -> None:
    from tests.bot.conftest import BOT_ROLE_ID

    content = f"<@&{BOT_ROLE_ID}> {TROOPS}"
    calls = await harness.send(harness.message(content, role_mentions=(BOT_ROLE_ID,)))

    assert "3,000" in only_message(calls).text()


async def test_dm_is_answered(harness: Harness) -> None:
    calls = await harness.send(harness.message(TROOPS, dm=True))

    assert "3,000" in only_message(calls).text()


async def test_empty_mention_gets_a_hint(harness: Harness) -> None:
    calls = await harness.send(harness.message("", mention_bot=True))

    assert only_message(calls).text().startswith("Ask me a question about the indexed articles")


async def test_unaddressed_messages_and_bots_are_ignored(harness: Harness) -> None:
    chatter = await harness.send(harness.message(TROOPS))  # a channel that is not opted in
    answer_chatter = await harness.send(harness.message("thanks all", channel_id=ANSWER_CHANNEL_ID))
    bot_payload = harness.message(TROOPS, mention_bot=True)
    bot_payload["author"]["bot"] = True
    from_bot = await harness.send(bot_payload)

    assert chatter == answer_chatter == from_bot == []


async def test_questions_in_an_answer_channel_are_answered(harness: Harness) -> None:
    calls = await harness.send(harness.message(TROOPS, channel_id=ANSWER_CHANNEL_ID))

    reply = only_message(calls)
    assert reply.path == f"/channels/{ANSWER_CHANNEL_ID}/messages"
    assert "3,000" in reply.text()


async def test_answer_channels_opt_in_to_message_content_intent(
    make_bot: BotFactory, bot_settings: Settings
) -> None:
    with_channels = await make_bot()
    without = await make_bot(dataclasses.replace(bot_settings, answer_channel_ids=frozenset()))

    assert with_channels.bot.intents.message_content
    assert not without.bot.intents.message_content
    assert not without.bot.intents.members and not without.bot.intents.presences


# -- cooldown and length cap -----------------------------------------------------


async def test_cooldown_gets_a_friendly_private_reply(
    make_bot: BotFactory, bot_settings: Settings
) -> None:
    settings = dataclasses.replace(bot_settings, cooldown_questions=1, cooldown_seconds=60)
    harness = await make_bot(settings)

    first = await harness.call("ask", question=TROOPS)
    second = await harness.call("ask", question=TROOPS)
    by_message = await harness.send(harness.message(TROOPS, mention_bot=True))

    assert_deferred_then_followed_up(first)
    assert_ephemeral_refusal(second, "try again in")
    assert "try again in" in only_message(by_message).text()
    other_user = await harness.call("ask", question=TROOPS, user_id=OWNER_ID)
    assert_deferred_then_followed_up(other_user)  # the cooldown is per user


async def test_overlong_question_gets_a_friendly_private_reply(
    make_bot: BotFactory, bot_settings: Settings
) -> None:
    harness = await make_bot(dataclasses.replace(bot_settings, max_question_chars=100))
    long_question = "how many troops were sent to Russia " + "and why " * 40 + "?"

    calls = await harness.call("ask", question=long_question)
    by_message = await harness.send(harness.message(long_question, mention_bot=True))

    assert_ephemeral_refusal(calls, "characters long", "under 100")
    assert "characters long" in only_message(by_message).text()


async def test_question_of_only_mentions_is_refused_privately(harness: Harness) -> None:
    calls = await harness.call("ask", question="@everyone <@123>")

    assert_ephemeral_refusal(calls, "question is empty")


# -- /summary, /articles, /help ----------------------------------------------------


async def test_summary_quotes_the_article(harness: Harness) -> None:
    article = harness.bot.engine.corpus.articles[0]

    calls = await harness.call("summary", article=article.id, sentences=2)

    embed = embed_of(assert_deferred_then_followed_up(calls))
    assert str(embed["title"]).startswith("Summary:")
    description = str(embed["description"])
    assert description.count("**1.**") == 1 and description.count("**2.**") == 1
    assert "**3.**" not in description
    assert article.sentences[0].text[:40] in description.replace("\\", "")


async def test_more_after_a_summary_shows_more_of_it(harness: Harness) -> None:
    article = harness.bot.engine.corpus.articles[0]
    await harness.call("summary", article=article.id, sentences=2)

    calls = await harness.send(harness.message("more", mention_bot=True))

    reply = next(c for c in calls if c.message)
    assert reply.text().startswith("More:") and "**3.**" in reply.text()


async def test_summary_on_a_topic_by_typed_title(harness: Harness) -> None:
    calls = await harness.call("summary", article="north korea", topic="drones", sentences=3)

    embed = embed_of(assert_deferred_then_followed_up(calls))
    assert "drones" in str(embed["title"])
    assert "drone" in str(embed["description"]).lower()


async def test_summary_on_a_missing_topic_says_so(harness: Harness) -> None:
    calls = await harness.call("summary", article="north korea", topic="lighthouses")

    embed = embed_of(assert_deferred_then_followed_up(calls))
    assert "Nothing on" in str(embed["title"])


async def test_articles_lists_the_seed_article(harness: Harness) -> None:
    calls = await harness.call("articles")

    reply = only_message(calls)
    assert reply.body["type"] == 4  # answered at once: nothing slow to do
    text = reply.text()
    assert "North Korea’s Military Expansion" in text
    assert "23 sentences" in text and "indexed <t:" in text
    assert "Page 1 of 1" in text


async def test_articles_are_paged_when_long(make_bot: BotFactory, seeds_copy: Path) -> None:
    for n in range(1, 25):
        (seeds_copy / f"note_{n:02}.txt").write_text(
            f"Harbour note {n:02}\n\nThe harbour note number {n} was filed today.\n",
            encoding="utf-8",
        )
    harness = await make_bot()

    first = only_message(await harness.call("articles")).text()
    last = only_message(await harness.call("articles", page=3)).text()

    assert "Page 1 of 3" in first and "/articles page:2" in first
    assert "**1.**" in first and "**11.**" not in first
    assert "Page 3 of 3" in last and "**25.**" in last


async def test_help_explains_with_examples(harness: Harness) -> None:
    calls = await harness.call("help")

    reply = only_message(calls)
    assert reply.ephemeral
    assert "/ask" in reply.text() and "/summary" in reply.text()
    assert "how many people were evacuated?" in reply.text()


# -- autocomplete --------------------------------------------------------------------


async def test_article_autocomplete_offers_at_most_25_filtered_choices(
    make_bot: BotFactory, seeds_copy: Path
) -> None:
    for n in range(40):
        (seeds_copy / f"port_{n:02}.txt").write_text(
            f"Port report {n:02}\n\nShips arrived in port number {n} today.\n", encoding="utf-8"
        )
    harness = await make_bot()

    everything = await harness.interact(harness.autocomplete("ask", "article", article=""))
    korea = await harness.interact(
        harness.autocomplete("summary", "article", article="korea", topic="")
    )

    choices = everything[0].body["data"]["choices"]
    assert everything[0].body["type"] == 8 and len(choices) == 25
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    only = korea[0].body["data"]["choices"]
    assert [c["name"] for c in only] == [
        "North Korea’s Military Expansion: Troop Support to Russia and New Drone Developments"
    ]


# -- /reindex ---------------------------------------------------------------------


async def test_reindex_refused_for_a_member_without_permission(
    harness: Harness, seeds_copy: Path
) -> None:
    (seeds_copy / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    before = harness.bot.engine.corpus

    calls = await harness.call("reindex")

    assert_ephemeral_refusal(calls, "manage server", "article admins")
    assert harness.bot.engine.corpus is before


async def test_reindex_in_a_dm_is_refused(harness: Harness) -> None:
    calls = await harness.call("reindex", dm=True, permissions=MANAGE_GUILD)

    assert_ephemeral_refusal(calls, "only works in a server")


async def test_reindex_by_admin_reports_a_new_article_and_answers_from_it(
    harness: Harness, seeds_copy: Path
) -> None:
    (seeds_copy / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")

    calls = await harness.call("reindex", permissions=MANAGE_GUILD)

    report = assert_deferred_then_followed_up(calls).text()
    assert "Reindex finished" in report
    assert "Added (1)" in report and "The Lighthouse of Varna Reopens" in report
    assert "2 articles (1 added, 0 changed, 0 removed)" in report
    assert "Sentences" in report and "Chunks" in report and " s" in report
    answer = await harness.call("ask", question="when was the lighthouse of Varna built?")
    embed = embed_of(assert_deferred_then_followed_up(answer))
    assert "1887" in str(embed["title"])


async def test_reindex_allowed_by_the_admin_role(harness: Harness) -> None:
    calls = await harness.call("reindex", roles=(ADMIN_ROLE_ID,))

    report = assert_deferred_then_followed_up(calls).text()
    assert "Reindex finished" in report and "0 added" in report


async def test_second_reindex_while_one_runs_is_told_so(
    make_bot: BotFactory, seeds_copy: Path
) -> None:
    started, release = threading.Event(), threading.Event()

    def slow_rebuild(folder: Path, previous: object) -> ReindexReport:
        started.set()
        release.wait(timeout=10)
        return build_corpus(folder, previous=previous)  # type: ignore[arg-type]

    harness = await make_bot(rebuild=slow_rebuild)
    first = harness.start_interaction(harness.command("reindex", permissions=MANAGE_GUILD))
    await asyncio.to_thread(started.wait, 5)

    second = await harness.call("reindex", permissions=MANAGE_GUILD)
    answered_meanwhile = await harness.call("ask", question=TROOPS)
    release.set()
    await asyncio.gather(*first)

    assert_ephemeral_refusal(second, "already running")
    assert "3,000" in only_message(answered_meanwhile).text()
    reports = [c for c in harness.http.sent() if "Reindex finished" in c.text()]
    assert len(reports) == 1


async def test_reindex_running_in_another_process_is_refused_privately_too(
    make_bot: BotFactory,
) -> None:
    """A sharded bot asks the database before deferring publicly, so the refusal for a
    reindex in another process looks like the one for a reindex in this process."""

    def must_not_run(folder: Path, previous: object) -> ReindexReport:
        raise AssertionError("rebuilt while another process was reindexing")

    harness = await make_bot(rebuild=must_not_run, reindex_elsewhere=lambda: True)
    calls = await harness.call("reindex", permissions=MANAGE_GUILD)
    assert_ephemeral_refusal(calls, "already running")


async def test_reindex_goes_ahead_when_the_check_for_another_cannot_be_made(
    make_bot: BotFactory,
) -> None:
    """A probe that fails (database restarting) does not block /reindex: the rebuild takes
    the lock itself and refuses or reports as usual."""

    def unreachable() -> bool:
        raise OSError("connection refused")

    harness = await make_bot(reindex_elsewhere=unreachable)
    calls = await harness.call("reindex", permissions=MANAGE_GUILD)
    assert "Reindex finished" in assert_deferred_then_followed_up(calls).text()


async def test_failing_reindex_keeps_the_old_index_and_names_the_file(
    harness: Harness, seeds_copy: Path
) -> None:
    before = harness.bot.engine.corpus
    for path in seeds_copy.iterdir():
        path.write_bytes(b"\x00\xff\x00 not an article")

    calls = await harness.call("reindex", permissions=MANAGE_GUILD)

    text = assert_deferred_then_followed_up(calls).text()
    assert "Reindex failed" in text and "nothing changed" in text
    assert "000_814f4a391a44af90.txt: looks binary" in text.replace("\\", "")
    assert harness.bot.engine.corpus is before
    again = await harness.call("ask", question=TROOPS)
    assert "3,000" in only_message(again).text()


async def test_unexpected_error_gets_an_apology_and_a_log_line(
    make_bot: BotFactory, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_rebuild(folder: Path, previous: object) -> ReindexReport:
        raise RuntimeError("disk on fire")

    harness = await make_bot(rebuild=broken_rebuild)
    before = harness.bot.engine.corpus

    with caplog.at_level(logging.ERROR, logger="bot.discord_app.client"):
        calls = await harness.call("reindex", permissions=MANAGE_GUILD)

    apology = only_message(calls)
    assert apology.ephemeral or calls[0].body["type"] == 5
    assert "something went wrong" in apology.text()
    assert "disk on fire" not in apology.text()
    assert any("/reindex failed" in r.getMessage() for r in caplog.records)
    assert harness.bot.engine.corpus is before


# -- start-up --------------------------------------------------------------------


async def test_dev_guild_gets_the_commands_synced_at_start(
    make_bot: BotFactory, bot_settings: Settings
) -> None:
    harness = await make_bot(dataclasses.replace(bot_settings, dev_guild_id=4242))

    syncs = [c for c in harness.http.calls if c.method == "PUT"]
    assert [c.path for c in syncs] == [
        f"/applications/{harness.bot.application_id}/guilds/4242/commands"
    ]
    names = {command["name"] for command in syncs[0].body}
    assert {"ask", "summary", "articles", "help", "reindex"} <= names
    reindex = next(c for c in syncs[0].body if c["name"] == "reindex")
    assert (
        int(reindex["default_member_permissions"]) == discord.Permissions(manage_guild=True).value
    )


async def test_engine_is_handed_in_not_built(bot_settings: Settings, make_bot: BotFactory) -> None:
    engine = Engine(build_corpus(bot_settings.seeds).corpus)
    harness = await make_bot(engine=engine)

    assert harness.bot.engine is engine


# -- the event loop keeps serving ------------------------------------------------


async def _probe(stop: asyncio.Event, lags: list[float], interval: float = 0.001) -> None:
    """Record how late each short sleep wakes up: the event loop's lag."""
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        started = loop.time()
        await asyncio.sleep(interval)
        lags.append(loop.time() - started - interval)


async def test_event_loop_stays_responsive_during_reindex_and_questions(
    make_bot: BotFactory, seeds_copy: Path
) -> None:
    seed = next(seeds_copy.glob("*.txt")).read_text(encoding="utf-8").split("\n")
    for n in range(60):  # enough articles that a rebuild on the loop would be felt
        copy = [f"{seed[0]} (copy {n})", *seed[1:3], f"copy-{n:03}-article", *seed[4:]]
        (seeds_copy / f"copy_{n:02}.txt").write_text("\n".join(copy), encoding="utf-8")
    harness = await make_bot()
    stop, lags = asyncio.Event(), []
    probe = asyncio.create_task(_probe(stop, lags))

    await harness.call("reindex", permissions=MANAGE_GUILD)
    for _ in range(5):
        await harness.call("ask", question=TROOPS)
        await harness.send(harness.message(TROOPS, mention_bot=True))
    stop.set()
    await probe

    assert lags and max(lags) < 0.1, f"the loop stalled for {max(lags) * 1000:.0f} ms"


class BrokenEngine(Engine):
    """An engine whose questions fail unexpectedly (a stand-in dependency, not bot code)."""

    def answer(self, text: str, article_id: str | None = None, **options: object) -> Answer:
        raise RuntimeError("index corrupted")


async def test_unexpected_failure_while_answering_is_apologised_for_everywhere(
    make_bot: BotFactory, bot_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    harness = await make_bot(engine=BrokenEngine(build_corpus(bot_settings.seeds).corpus))

    with caplog.at_level(logging.ERROR, logger="bot.discord_app.client"):
        slash = await harness.call("ask", question=TROOPS)
        mention = await harness.send(harness.message(TROOPS, mention_bot=True))

    assert slash[0].body["type"] == 5  # deferred before the engine was asked
    for calls in (slash, mention):
        reply = only_message(calls)
        assert "something went wrong" in reply.text()
        assert "index corrupted" not in reply.text()
        assert (reply.message or {})["allowed_mentions"]["parse"] == []
    logged = [r.getMessage() for r in caplog.records]
    assert any("/ask failed" in m for m in logged)
    assert any("error in on_message" in m for m in logged)
