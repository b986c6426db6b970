"""Per-server settings stored in SQLite: defaults, saving, bounds."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.storage import GuildSettings, SettingsError
from bot.storage.base import (
    DEFAULT_COOLDOWN_SECONDS,
    MAX_ANSWER_CHANNELS,
    MAX_CONVERSATION_MINUTES,
    MAX_COOLDOWN_SECONDS,
    MAX_REFUSAL_THRESHOLD,
    MIN_CONVERSATION_MINUTES,
    MIN_REFUSAL_THRESHOLD,
)
from index.confidence import REFUSAL_THRESHOLD
from tests.bot.store_helpers import make_store


async def test_defaults_then_saved_values_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with make_store(path) as store:
        settings = await store.guild_settings(42)
        assert settings == GuildSettings(42)
        assert settings.cooldown_seconds == DEFAULT_COOLDOWN_SECONDS
        changed = dataclasses.replace(
            settings.with_channel(111).with_channel(222).with_channel(111),
            cooldown_seconds=30,
            refusal_threshold=0.7,
            ephemeral_ask=True,
        )
        saved = await store.save_guild_settings(changed)
        assert saved.updated_at is not None
        assert saved.answer_channels == (111, 222)
    async with make_store(path) as store:
        again = await store.guild_settings(42)
        assert again == saved
        assert again.refuses(0.65) and not again.refuses(0.7)
        removed = await store.save_guild_settings(again.without_channel(111))
        assert (await store.guild_settings(42)).answer_channels == (222,) == removed.answer_channels
        assert await store.guild_settings(43) == GuildSettings(43)


@pytest.mark.parametrize(
    "changes",
    [
        {"cooldown_seconds": -1},
        {"cooldown_seconds": MAX_COOLDOWN_SECONDS + 1},
        {"cooldown_seconds": 2.5},
        {"cooldown_seconds": True},
        {"refusal_threshold": MIN_REFUSAL_THRESHOLD - 0.01},
        {"refusal_threshold": MAX_REFUSAL_THRESHOLD + 0.01},
        {"refusal_threshold": float("nan")},
        {"answer_channels": tuple(range(1, MAX_ANSWER_CHANNELS + 2))},
        {"answer_channels": (0,)},
        {"conversation_minutes": MIN_CONVERSATION_MINUTES - 1},
        {"conversation_minutes": MAX_CONVERSATION_MINUTES + 1},
        {"conversation_minutes": 2.5},
        {"conversation_minutes": True},
    ],
)
def test_out_of_bounds_values_are_rejected(changes: dict[str, object]) -> None:
    with pytest.raises(SettingsError):
        GuildSettings(1, **changes)  # type: ignore[arg-type]


async def test_store_refuses_a_settings_object_made_invalid_by_hand(tmp_path: Path) -> None:
    bad = GuildSettings(1)
    object.__setattr__(bad, "cooldown_seconds", 10**6)
    async with make_store(tmp_path / "bot.sqlite3") as store:
        with pytest.raises(SettingsError, match="between"):
            await store.save_guild_settings(bad)
        assert await store.guild_settings(1) == GuildSettings(1)


def test_the_lowest_refusal_threshold_is_the_engines() -> None:
    assert MIN_REFUSAL_THRESHOLD == REFUSAL_THRESHOLD
