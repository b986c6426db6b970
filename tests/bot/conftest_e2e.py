"""Fixtures for the end-to-end tests; load with ``pytest_plugins = ["tests.bot.conftest_e2e"]``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.bot.fake_discord import FakeDiscord, patch_discord


@pytest.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """A running fake Discord with discord.py pointed at it.

    Teardown fails the test when the bot tried to reach any host but loopback,
    called a route the fake does not know, or (in ``FakeDiscord.close``) when a
    request body or a response broke Discord's OpenAPI spec
    (tests/bot/discord_contract.py, with its allow-list), naming route and field.
    """
    fake = FakeDiscord()
    await fake.start()
    try:
        with patch_discord(fake, monkeypatch) as guard:
            yield fake
        assert not guard.blocked, f"tried to reach the network: {guard.blocked}"
        unknown = [f"{r.method} {r.path}" for r in fake.unknown_routes]
        assert not unknown, f"the bot called routes the fake does not know: {unknown}"
    finally:
        await fake.close()
