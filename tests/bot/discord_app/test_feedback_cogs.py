"""Feedback buttons, /stats and /config driven through the real command tree and view store.

Uses the recorder harness from ``tests/bot/conftest.py`` with a real SQLite
file in ``tmp_path``: the store, the dynamic buttons, the admin checks and
the tree's error handler all run for real.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.config import Settings
from bot.discord_app import feedback, server_settings
from bot.serving import answering
from bot.serving.answering import Place
from bot.storage import QuestionEntry, SQLiteStore, StorageConfig, StoreError
from index.confidence import REFUSAL_THRESHOLD
from tests.bot.conftest import (
    ADMIN_ROLE_ID,
    BOT_ID,
    CHANNEL_ID,
    GUILD_ID,
    MANAGE_GUILD,
    MEMBER_ID,
    OWNER_ID,
    BotFactory,
    Call,
    DiscordRecorder,
    Harness,
    _finish,
    member_payload,
    now,
    snowflake,
    user_payload,
)

SALT = "salt-for-the-feedback-tests"
TROOPS = "how many troops were sent to Russia?"


@pytest.fixture(autouse=True)
def multipart_recorder(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the recorder read messages sent with a file (multipart ``payload_json``)."""
    original = DiscordRecorder.request

    def request(self: DiscordRecorder, method: str, url: str, **kwargs: Any) -> Any:
        form = kwargs.get("data")
        if isinstance(form, aiohttp.FormData):
            fields = {opts["name"]: value for opts, _headers, value in form._fields}
            payload = json.loads(fields.pop("payload_json"))
            payload["_files"] = sorted(
                opts.get("filename") for opts, _h, _v in form._fields if opts.get("filename")
            )
            kwargs["data"] = json.dumps(payload)
        return original(self, method, url, **kwargs)

    monkeypatch.setattr(DiscordRecorder, "request", request)


@pytest.fixture
def store_settings(bot_settings: Settings, tmp_path: Path) -> Settings:
    config = StorageConfig(database=tmp_path / "data" / "bot.sqlite3", user_salt=SALT)
    return dataclasses.replace(bot_settings, storage=config)


@pytest.fixture
async def bot(make_bot: BotFactory, store_settings: Settings) -> Harness:
    return await make_bot(store_settings)


def subcommand(harness: Harness, group: str, name: str, **kwargs: Any) -> dict[str, Any]:
    """``/group name option:value`` as an interaction payload."""
    options = {k: v for k, v in kwargs.items() if k not in ("user_id", "permissions", "roles")}
    people = {k: v for k, v in kwargs.items() if k in ("user_id", "permissions", "roles")}
    payload = harness.command(group, **people)
    inner = harness.command(name, **options)["data"]["options"]
    for option in inner:
        if isinstance(option["value"], float):
            option["type"] = 10
    payload["data"]["options"] = [{"type": 1, "name": name, "options": inner}]
    return payload


def buttons(call: Call) -> dict[str, str]:
    """Button label to custom id in a sent message."""
    message = call.message or {}
    return {
        c["label"]: c["custom_id"]
        for row in message.get("components") or []
        for c in row["components"]
    }


def click(
    harness: Harness, custom_id: str, answer: Call, *, user_id: int = MEMBER_ID
) -> dict[str, Any]:
    """A MESSAGE_COMPONENT interaction: ``user_id`` clicks ``custom_id`` under ``answer``."""
    sent = answer.message or {}
    message = {
        "id": snowflake(),
        "channel_id": str(CHANNEL_ID),
        "author": user_payload(BOT_ID, "articlebot", bot=True),
        "content": sent.get("content") or "",
        "embeds": sent.get("embeds") or [],
        "components": sent.get("components") or [],
        "attachments": [],
        "mentions": [],
        "mention_roles": [],
        "mention_everyone": False,
        "pinned": False,
        "tts": False,
        "timestamp": now(),
        "edited_timestamp": None,
        "type": 0,
        "flags": 0,
    }
    member = member_payload(user_id, f"user{user_id % 1000}")
    member["permissions"] = "0"
    return {
        "id": snowflake(),
        "application_id": str(BOT_ID),
        "type": 3,
        "token": f"component-token-{snowflake()}",
        "version": 1,
        "channel_id": str(CHANNEL_ID),
        "guild_id": str(GUILD_ID),
        "member": member,
        "locale": "en-US",
        "guild_locale": "en-US",
        "app_permissions": "0",
        "attachment_size_limit": 8 * 1024 * 1024,
        "entitlements": [],
        "context": 0,
        "message": message,
        "data": {"component_type": 2, "custom_id": custom_id},
    }


async def ask(harness: Harness, question: str = TROOPS, **kwargs: Any) -> Call:
    calls = await harness.call("ask", question=question, **kwargs)
    answers = [c for c in calls if c.message and c.message.get("embeds")]
    assert answers, calls
    return answers[-1]


async def _private_deferral(bot: Harness, first: int) -> Call:
    """Wait for the interaction's first response after call ``first``: a private deferral."""
    async with asyncio.timeout(5):
        while not any(c.path.endswith("/callback") for c in bot.http.calls[first:]):
            await asyncio.sleep(0.01)
    deferral = next(c for c in bot.http.calls[first:] if c.path.endswith("/callback"))
    assert deferral.body["type"] == 5 and deferral.body["data"]["flags"] & 64
    return deferral


def reply(calls: list[Call]) -> Call:
    sent = [c for c in calls if c.message is not None]
    assert len(sent) == 1, calls
    return sent[0]


async def test_every_answer_carries_feedback_buttons(bot: Harness) -> None:
    answer = await ask(bot)
    ids = buttons(answer)
    assert set(ids) == {"Helpful", "Not helpful", "Show paragraph"}
    assert ids["Not helpful"].startswith("articlebot:fb:unhelpful:")
    mention = await bot.send(bot.message(TROOPS, mention_bot=True))
    assert set(buttons(reply(mention))) == set(ids)
    assert buttons(reply(mention))["Helpful"] != ids["Helpful"]  # each answer its own id
    store = bot.bot.store
    assert isinstance(store, SQLiteStore)
    logged = await store.get_question(int(ids["Helpful"].rsplit(":", 1)[1]))
    assert logged is not None and logged.question == TROOPS and logged.source == "slash"
    assert logged.user_hash == store.hash_user(MEMBER_ID)


async def test_vote_and_change_vote_by_clicking(bot: Harness) -> None:
    answer = await ask(bot)
    ids = buttons(answer)
    first = reply(await bot.interact(click(bot, ids["Not helpful"], answer)))
    assert first.ephemeral and "marked not helpful" in first.text()
    again = reply(await bot.interact(click(bot, ids["Helpful"], answer)))
    assert again.ephemeral and "Changed your vote to helpful" in again.text()
    other = reply(await bot.interact(click(bot, ids["Helpful"], answer, user_id=OWNER_ID)))
    assert "Thanks" in other.text()
    stats = await bot.bot.store.stats(days=1)  # type: ignore[union-attr]
    assert (stats.helpful_votes, stats.not_helpful_votes) == (2, 0)


async def test_buttons_work_after_the_bot_is_recreated_on_the_same_database(
    make_bot: BotFactory, store_settings: Settings
) -> None:
    first = await make_bot(store_settings)
    answer = await ask(first)
    ids = buttons(answer)
    await first.bot.close()

    second = await make_bot(store_settings)  # a new bot object, as after a restart
    assert second.bot is not first.bot
    voted = reply(await second.interact(click(second, ids["Not helpful"], answer)))
    assert voted.ephemeral and "marked not helpful" in voted.text()
    shown = reply(await second.interact(click(second, ids["Show paragraph"], answer)))
    assert shown.ephemeral
    embed = shown.message["embeds"][0]  # type: ignore[index]
    assert "**" in embed["description"] and "3,000" in embed["description"]
    assert "Paragraph" in embed["footer"]["text"]


async def test_a_button_for_a_pruned_answer_says_so(bot: Harness) -> None:
    custom_id = "articlebot:fb:helpful:999999"
    answer = await ask(bot)
    message = click(bot, custom_id, answer)
    message["message"]["components"] = [
        {
            "type": 1,
            "components": [{"type": 2, "style": 3, "label": "Helpful", "custom_id": custom_id}],
        }
    ]
    gone = reply(await bot.interact(message))
    assert gone.ephemeral and "no longer have the record" in gone.text()


async def test_non_admins_are_refused_stats_and_config(bot: Harness) -> None:
    for payload in (
        bot.command("stats"),
        subcommand(bot, "config", "show"),
        subcommand(bot, "config", "cooldown", seconds=30),
    ):
        refused = reply(await bot.interact(payload))
        assert refused.ephemeral and "Manage Server" in refused.text()
    settings = await bot.bot.store.guild_settings(GUILD_ID)  # type: ignore[union-attr]
    assert settings.cooldown_seconds == 0


async def test_admin_stats_embed_and_chart(bot: Harness) -> None:
    await ask(bot)
    await ask(bot, "who is the president of France?")
    calls = await bot.call("stats", permissions=MANAGE_GUILD)
    sent = [c for c in calls if c.message and c.message.get("embeds")]
    assert len(sent) == 1 and sent[0].ephemeral
    message = sent[0].message
    assert message is not None and message["_files"] == ["stats.png"]
    embed = message["embeds"][0]
    assert embed["image"]["url"] == "attachment://stats.png"
    assert "**2** questions" in embed["description"]
    assert "president of France" in sent[0].text()
    by_role = await bot.call("stats", roles=(ADMIN_ROLE_ID,))
    assert any(c.message and c.message.get("embeds") for c in by_role)


async def test_admin_stats_without_the_chart_extra_sends_the_figures_alone(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "matplotlib" else find_spec(name, *a),
    )
    calls = await bot.call("stats", permissions=MANAGE_GUILD)
    message = next(c.message for c in calls if c.message and c.message.get("embeds"))
    assert not message.get("_files") and "image" not in message["embeds"][0]


async def test_config_changes_take_effect_without_restart(bot: Harness) -> None:
    admin = {"permissions": MANAGE_GUILD}
    shown = reply(await bot.interact(subcommand(bot, "config", "show", **admin)))
    assert shown.ephemeral and "Refusal threshold" in shown.text()

    done = reply(await bot.interact(subcommand(bot, "config", "ephemeral", mode="on", **admin)))
    assert "only the member who asked" in done.text()
    answer = await ask(bot)
    assert answer.ephemeral

    reply(await bot.interact(subcommand(bot, "config", "threshold", value=0.9, **admin)))
    service = bot.bot.service
    here = await service.ask(Place("slash", MEMBER_ID, GUILD_ID, CHANNEL_ID), TROOPS)
    assert here.answer is not None and not here.answer.found  # below this server's bar now
    elsewhere = await service.ask(Place("slash", MEMBER_ID, GUILD_ID + 1, 1), TROOPS)
    assert elsewhere.answer is not None and elsewhere.answer.found  # others keep the default
    # refused as the engine refuses: the closest passages in their ranked order
    engine_refusal = bot.bot.engine.ask(TROOPS, threshold=0.9)
    assert here.answer.citations == engine_refusal.citations

    reply(await bot.interact(subcommand(bot, "config", "cooldown", seconds=600, **admin)))
    await ask(bot, "when were the images released?")
    waited = reply(await bot.call("ask", question="who tested the drones?"))
    assert waited.ephemeral and "try again in" in waited.text()

    reply(await bot.interact(subcommand(bot, "config", "reset", setting="all", **admin)))
    settings = await bot.bot.store.guild_settings(GUILD_ID)  # type: ignore[union-attr]
    assert (settings.cooldown_seconds, settings.ephemeral_ask) == (0, False)


@pytest.mark.parametrize(
    ("name", "options", "bounds"),
    [
        ("cooldown", {"seconds": 3601}, "between 0 and 3600"),
        ("cooldown", {"seconds": -5}, "between 0 and 3600"),
        ("threshold", {"value": 0.2}, f"between {REFUSAL_THRESHOLD} and 0.95"),
        ("threshold", {"value": 1.5}, f"between {REFUSAL_THRESHOLD} and 0.95"),
    ],
)
async def test_config_rejects_out_of_bounds_values(
    bot: Harness, name: str, options: dict[str, Any], bounds: str
) -> None:
    payload = subcommand(bot, "config", name, permissions=MANAGE_GUILD, **options)
    refused = reply(await bot.interact(payload))
    assert refused.ephemeral and bounds in refused.text() and "Not changed" in refused.text()
    settings = await bot.bot.store.guild_settings(GUILD_ID)  # type: ignore[union-attr]
    assert (settings.cooldown_seconds, settings.refusal_threshold) == (0, REFUSAL_THRESHOLD)


async def test_without_storage_answers_still_work(make_bot: BotFactory) -> None:
    harness = await make_bot()  # the recorder's default settings: no database configured
    answer = await ask(harness)
    assert buttons(answer) == {}
    refused = reply(await harness.call("stats", permissions=MANAGE_GUILD))
    assert refused.ephemeral and "database" in refused.text()


async def test_a_corrupt_database_is_reported_and_left_alone(
    make_bot: BotFactory, store_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    assert store_settings.storage is not None
    path = store_settings.storage.database
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a database" * 100)
    harness = await make_bot(store_settings)
    assert harness.bot.store is None
    assert "not a usable articlebot database" in caplog.text
    assert path.read_bytes() == b"not a database" * 100
    answer = await ask(harness)  # still answers, without buttons
    assert buttons(answer) == {}


async def test_stats_of_every_server_together_for_the_owner_only(bot: Harness) -> None:
    """A sharded bot's processes share one database; the owner sees all servers at once."""
    await ask(bot)
    store = bot.bot.store
    assert store is not None
    elsewhere = QuestionEntry(MEMBER_ID, "which zebra escaped?", found=False, guild_id=GUILD_ID + 1)
    await store.log_question(elsewhere)

    refused = reply(await bot.call("stats", permissions=MANAGE_GUILD, all_servers=True))
    assert refused.ephemeral and "owner" in refused.text() and "zebra" not in refused.text()
    everywhere = reply(
        await bot.call("stats", user_id=OWNER_ID, permissions=MANAGE_GUILD, all_servers=True)
    )
    assert everywhere.ephemeral and "every server" in everywhere.text()
    assert "**2** questions" in everywhere.text() and "zebra" in everywhere.text()
    here = reply(await bot.call("stats", user_id=OWNER_ID, permissions=MANAGE_GUILD))
    assert "**1** questions" in here.text() and "zebra" not in here.text()


async def test_a_slow_vote_is_acknowledged_in_time_then_answered(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A vote waiting for a restarting database defers the click instead of letting
    Discord's 3-second deadline pass, and is confirmed once stored."""
    answer = await ask(bot)
    store = bot.bot.store
    assert store is not None
    stored = asyncio.Event()
    real_vote = store.vote

    async def vote_when_the_database_is_back(*args: Any) -> Any:
        await stored.wait()
        return await real_vote(*args)

    monkeypatch.setattr(store, "vote", vote_when_the_database_is_back)
    monkeypatch.setattr(feedback, "VOTE_PATIENCE_SECONDS", 0.01)
    first = len(bot.http.calls)
    tasks = bot.start_interaction(click(bot, buttons(answer)["Helpful"], answer))
    await _private_deferral(bot, first)
    stored.set()
    await _finish(tasks)
    confirmed = reply(bot.http.calls[first:])
    assert confirmed.ephemeral and "Thanks: marked helpful" in confirmed.text()
    assert (await store.stats(days=1)).helpful_votes == 1


async def test_a_vote_the_database_cannot_take_says_so(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = await ask(bot)
    store = bot.bot.store
    assert store is not None

    async def unreachable(*args: Any) -> Any:
        raise StoreError("PostgreSQL at postgresql://bot@db:5432/bot is unreachable")

    monkeypatch.setattr(store, "vote", unreachable)
    refused = reply(await bot.interact(click(bot, buttons(answer)["Helpful"], answer)))
    assert refused.ephemeral and "couldn't save your vote" in refused.text()


async def test_extensions_share_one_copy_of_the_feedback_and_settings_helpers(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``load_extension`` executes an extension's module afresh and replaces it in
    ``sys.modules``: helpers that cogs import from each other would exist twice, and a
    click would run whichever copy sent the answer. They live in plain modules instead."""
    loaded = bot.bot.extensions
    registered = loaded["bot.discord_app.cogs.feedback"].FeedbackButton
    assert (
        registered
        is loaded["bot.discord_app.cogs.ask"].feedback.FeedbackButton
        is feedback.FeedbackButton
    )
    assert (
        loaded["bot.discord_app.cogs.stats"].store_of
        is loaded["bot.discord_app.cogs.settings"].store_of
    )
    assert loaded["bot.discord_app.cogs.settings"].store_of is server_settings.store_of
    # The view of a sent answer re-registers its button class; a click on it still runs
    # the one module, so patching that module alone changes what the click says.
    answer = await ask(bot)
    store = bot.bot.store
    assert store is not None

    async def unreachable(*args: Any) -> Any:
        raise StoreError("database restarting")

    monkeypatch.setattr(store, "vote", unreachable)
    monkeypatch.setattr(feedback, "UNSAVED", "patched in bot.discord_app.feedback only")
    refused = reply(await bot.interact(click(bot, buttons(answer)["Helpful"], answer)))
    assert refused.text() == "patched in bot.discord_app.feedback only"


async def test_config_during_a_database_restart_is_acknowledged_then_answered(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/config waiting on a restarting database defers (privately) instead of letting
    Discord's 3-second deadline pass, and shows the settings once the store answers."""
    store = bot.bot.store
    assert store is not None
    back = asyncio.Event()
    real_read = store.guild_settings

    async def read_when_the_database_is_back(guild_id: int) -> Any:
        await back.wait()
        return await real_read(guild_id)

    monkeypatch.setattr(store, "guild_settings", read_when_the_database_is_back)
    monkeypatch.setattr(server_settings, "CONFIG_PATIENCE_SECONDS", 0.01)
    first = len(bot.http.calls)
    payload = subcommand(bot, "config", "cooldown", seconds=30, permissions=MANAGE_GUILD)
    tasks = bot.start_interaction(payload)
    await _private_deferral(bot, first)
    back.set()
    await _finish(tasks)
    done = reply(bot.http.calls[first:])
    assert done.ephemeral and "Cooldown set to 30 s." in done.text()
    assert (await real_read(GUILD_ID)).cooldown_seconds == 30


async def test_config_with_the_database_down_says_so(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = bot.bot.store
    assert store is not None

    async def unreachable(guild_id: int) -> Any:
        raise StoreError("PostgreSQL at postgresql://bot@db:5432/bot is unreachable")

    monkeypatch.setattr(store, "guild_settings", unreachable)
    refused = reply(await bot.interact(subcommand(bot, "config", "show", permissions=MANAGE_GUILD)))
    assert refused.ephemeral and "database is unreachable" in refused.text()
    assert "postgresql://" not in refused.text()  # the URL stays in the log


async def test_settings_slower_than_their_patience_fall_back_to_the_last_known(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the database stuck (restarting), /ask still answers in time, with the server's
    settings as last read, instead of waiting for the store past Discord's deadline."""
    admin = {"permissions": MANAGE_GUILD}
    reply(await bot.interact(subcommand(bot, "config", "ephemeral", mode="on", **admin)))
    assert (await ask(bot)).ephemeral  # read once while the database answers
    store = bot.bot.store
    assert store is not None
    stuck = asyncio.Event()

    async def never_answers(guild_id: int) -> Any:
        await stuck.wait()

    monkeypatch.setattr(store, "guild_settings", never_answers)
    monkeypatch.setattr(answering, "SETTINGS_PATIENCE_SECONDS", 0.01)
    answer = await ask(bot, "when were the images released?")
    assert answer.ephemeral and "articlebot:fb:helpful:" in str(buttons(answer))
