"""``articlebot add`` and ``remove`` record their events in the question log the bot writes."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from bot.launcher import main
from bot.storage import UserHasher
from tests.bot.discord_app.test_e2e_bot import NEW_ARTICLE, NEW_ARTICLE_NAME, NEW_ARTICLE_TITLE

SALT = "a-salt-for-the-article-event-test"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "log" / "articlebot.sqlite3"
    monkeypatch.setenv("ARTICLEBOT_DATABASE", str(path))
    monkeypatch.setenv("ARTICLEBOT_USER_SALT", SALT)
    return path


@pytest.fixture
def article_file(tmp_path: Path) -> Path:
    path = tmp_path / NEW_ARTICLE_NAME
    path.write_text(NEW_ARTICLE, encoding="utf-8")
    return path


def test_add_and_remove_are_logged_for_stats(
    database: Path, article_file: Path, seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["add", str(article_file), "--seeds", str(seeds_copy)]) == 0
    assert main(["remove", "Portland Harbor", "--seeds", str(seeds_copy)]) == 0
    capsys.readouterr()

    conn = sqlite3.connect(database)
    rows = conn.execute(
        "SELECT origin, action, title, source, user_hash, guild_id FROM article_events ORDER BY id"
    ).fetchall()
    conn.close()
    me = UserHasher(SALT.encode())(os.getuid())
    assert rows == [
        ("terminal", "add", NEW_ARTICLE_TITLE, f"file: {NEW_ARTICLE_NAME}", me, None),
        ("terminal", "remove", NEW_ARTICLE_TITLE, f"file: {NEW_ARTICLE_NAME}", me, None),
    ]
    assert main(["stats", "--json", "--seeds", str(seeds_copy)]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["articles_added"], figures["articles_removed"]) == (1, 1)


def test_add_succeeds_with_one_warning_line_when_the_log_cannot_be_opened(
    database: Path, article_file: Path, seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database.parent.mkdir()
    database.write_bytes(b"not a database " * 100)
    assert main(["add", str(article_file), "--seeds", str(seeds_copy)]) == 0
    out, err = capsys.readouterr()
    assert f"Added “{NEW_ARTICLE_TITLE}”" in out
    assert len(err.splitlines()) == 1 and err.startswith("articlebot: warning: not recorded")
    assert any(NEW_ARTICLE_TITLE in p.read_text() for p in seeds_copy.iterdir() if p.is_file())
    assert database.read_bytes() == b"not a database " * 100  # left as it was
