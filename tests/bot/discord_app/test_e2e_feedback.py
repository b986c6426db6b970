"""End to end through the fake Discord: ask, click "Not helpful", and /stats shows that answer.

The real bot (``create_bot`` + ``bot.start``) with its SQLite file in
``tmp_path``, against ``tests/bot/fake_discord.py`` on 127.0.0.1.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.discord_app.client import ArticleBot
from tests.bot.discord_app.test_e2e_bot import answer_of, articlebot, normalise, start_bot
from tests.bot.fake_discord import FakeDiscord, buttons

pytest_plugins = ["tests.bot.conftest_e2e"]
__all__ = ["articlebot", "start_bot"]  # fixtures shared with the bot's e2e tests

QUESTION = "when did Pyongyang release images"


async def test_e2e_feedback_not_helpful_shows_in_stats(
    fake_discord: FakeDiscord, articlebot: ArticleBot, tmp_path: Path
) -> None:
    asked = await answer_of(fake_discord, await fake_discord.slash("ask", question=QUESTION))
    labels = [b.get("label") for b in buttons(asked.message)]
    assert labels == ["Helpful", "Not helpful", "Show paragraph"]

    voted = await answer_of(fake_discord, await fake_discord.click(asked, "Not helpful"))
    assert voted.ephemeral and "not helpful" in voted.text()

    fake_discord.allow_command("stats", fake_discord.member)  # shown; the bot still refuses
    refused = await answer_of(fake_discord, await fake_discord.slash("stats"))
    assert refused.ephemeral and "Manage Server" in refused.text()

    shown = await answer_of(
        fake_discord, await fake_discord.slash("stats", user=fake_discord.admin)
    )
    assert shown.ephemeral
    embed = shown.embeds[0]
    flagged = next(f for f in embed["fields"] if "not helpful" in f["name"])
    assert QUESTION in normalise(flagged["value"])
    assert "**1** questions" in embed["description"]
    assert embed["image"]["url"] == "attachment://stats.png"

    # what reached the database: the vote, keyed by a hash, never the raw user id
    conn = sqlite3.connect(tmp_path / "articlebot.sqlite3")
    try:
        rows = conn.execute("SELECT user_hash, helpful FROM votes").fetchall()
        dump = "\n".join(conn.iterdump())
    finally:
        conn.close()
    assert len(rows) == 1 and rows[0][1] == 0
    assert str(fake_discord.member.id) not in dump
