"""``/config conversation``: a server's own conversation window (issue 26), driven through the
real command tree with a real SQLite store, as ``test_feedback_cogs.py`` drives ``/config``."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.config import Settings
from bot.serving.answering import Place
from bot.storage import GuildSettings, StorageConfig
from tests.bot.conftest import CHANNEL_ID, GUILD_ID, MANAGE_GUILD, MEMBER_ID, BotFactory, Harness
from tests.bot.discord_app.test_feedback_cogs import reply, subcommand

ADMIN = {"permissions": MANAGE_GUILD}
TROOPS = "how many troops were sent to Russia?"
FOLLOW_UP = "and when were they deployed?"


@pytest.fixture
async def bot(make_bot: BotFactory, bot_settings: Settings, tmp_path: Path) -> Harness:
    storage = StorageConfig(database=tmp_path / "bot.sqlite3", user_salt="salt-for-config-tests")
    return await make_bot(dataclasses.replace(bot_settings, storage=storage))


async def _window(bot: Harness) -> int | None:
    settings = await bot.bot.store.guild_settings(GUILD_ID)  # type: ignore[union-attr]
    return settings.conversation_minutes


async def _followed_up(bot: Harness, guild_id: int) -> bool:
    """Whether a member's follow-up in a channel of ``guild_id`` is read with their question."""
    place = Place("mention", MEMBER_ID, guild_id, CHANNEL_ID)
    await bot.bot.service.ask(place, TROOPS)
    return (await bot.bot.service.admit(place, FOLLOW_UP)).context is not None


async def test_show_gives_the_bots_window_to_a_server_that_never_set_one(bot: Harness) -> None:
    shown = reply(await bot.interact(subcommand(bot, "config", "show", **ADMIN)))
    assert "Conversations\n5 min, the bot's default" in shown.text()
    assert "range 0–60 min" in shown.text()


async def test_conversation_0_turns_channel_follow_ups_off_here_only(bot: Harness) -> None:
    done = reply(await bot.interact(subcommand(bot, "config", "conversation", minutes=0, **ADMIN)))
    assert done.ephemeral and "Conversation window set to 0" in done.text()
    assert "Conversations\noff" in done.text()  # the embed shows the new setting
    assert await _window(bot) == 0
    assert not await _followed_up(bot, GUILD_ID)
    assert await _followed_up(bot, GUILD_ID + 1)  # another server keeps the bot's window


async def test_conversation_out_of_bounds_is_refused_naming_the_bounds(bot: Harness) -> None:
    payload = subcommand(bot, "config", "conversation", minutes=61, **ADMIN)
    refused = reply(await bot.interact(payload))
    assert refused.ephemeral and "Not changed" in refused.text()
    assert "between 0 and 60 minutes" in refused.text()
    assert await _window(bot) is None


async def test_reset_conversation_gives_the_server_the_bots_window_again(bot: Harness) -> None:
    reply(await bot.interact(subcommand(bot, "config", "conversation", minutes=12, **ADMIN)))
    assert await _window(bot) == 12
    payload = subcommand(bot, "config", "reset", setting="conversation", **ADMIN)
    done = reply(await bot.interact(payload))
    assert "Conversations\n5 min, the bot's default" in done.text()
    assert await _window(bot) is None


async def test_reset_all_includes_the_conversation_window(bot: Harness) -> None:
    await bot.bot.store.save_guild_settings(  # type: ignore[union-attr]
        GuildSettings(GUILD_ID, cooldown_seconds=30, conversation_minutes=0)
    )
    reply(await bot.interact(subcommand(bot, "config", "reset", setting="all", **ADMIN)))
    assert await bot.bot.store.guild_settings(GUILD_ID) == GuildSettings(GUILD_ID)  # type: ignore[union-attr]


async def test_members_cannot_set_the_conversation_window(bot: Harness) -> None:
    refused = reply(await bot.interact(subcommand(bot, "config", "conversation", minutes=0)))
    assert refused.ephemeral and "Manage Server" in refused.text()
    assert await _window(bot) is None
