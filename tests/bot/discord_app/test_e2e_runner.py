"""End to end: ``bot.discord_app.runner.run_bot``, the ``articlebot`` entry point, against the fake Discord.

``run_bot`` owns its event loop (``asyncio.run``), so it runs in a worker
thread while the fake keeps serving on the test's loop. Only the ways it
ends are tested here: a rejected token and a privileged intent that is not
switched on must each end in one clear line and exit status 1, never a
traceback, and never print the token.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.discord_app.runner import EXIT_FAILURE, run_bot
from tests.bot.fake_discord import FakeDiscord

pytest_plugins = ["tests.bot.conftest_e2e"]

SECRET_TOKEN = "NzQ0.rejected-secret-token.abcdef"


@pytest.fixture
def bot_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fake_discord: FakeDiscord
) -> Iterator[None]:
    """An empty working directory (no stray .env), the dev guild set, logging restored after."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARTICLEBOT_DEV_GUILD_ID", str(fake_discord.guild_id))
    for name in ("ARTICLEBOT_SEEDS", "ARTICLEBOT_ANSWER_CHANNEL_IDS", "ARTICLEBOT_ADMIN_ROLE"):
        monkeypatch.delenv(name, raising=False)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


async def run_in_thread(seeds: Path) -> int:
    async with asyncio.timeout(15):
        return await asyncio.to_thread(run_bot, seeds, seeds.parent / "index")


async def test_e2e_run_bot_rejected_token_exits_with_one_clear_line(
    fake_discord: FakeDiscord,
    bot_environment: None,
    seeds_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", SECRET_TOKEN)  # not the fake's token: 401

    assert await run_in_thread(seeds_copy) == EXIT_FAILURE

    err = capsys.readouterr().err
    assert "rejected DISCORD_TOKEN" in err
    assert "Traceback" not in err
    assert SECRET_TOKEN not in err
    assert fake_discord.requests_to("GET /api/v{version}/users/@me")
    assert not fake_discord.identifies  # never got as far as the gateway


async def test_e2e_run_bot_missing_message_content_intent_exits_with_advice(
    fake_discord: FakeDiscord,
    bot_environment: None,
    seeds_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", fake_discord.token)
    monkeypatch.setenv("ARTICLEBOT_ANSWER_CHANNEL_IDS", str(fake_discord.news_channel_id))
    fake_discord.enabled_privileged_intents = 0  # Message Content off in the portal: 4014

    assert await run_in_thread(seeds_copy) == EXIT_FAILURE

    err = capsys.readouterr().err
    assert "Message Content intent" in err
    assert "Traceback" not in err
    assert fake_discord.token not in err
    assert len(fake_discord.identifies) == 1
