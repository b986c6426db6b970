"""``articlebot stats`` over a real SQLite file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.launcher import main
from tests.bot.store_helpers import article_event, entry, make_store


@pytest.fixture
async def database(tmp_path: Path) -> Path:
    path = tmp_path / "bot.sqlite3"
    async with make_store(path) as store:
        just_now = datetime.now(UTC) - timedelta(seconds=1)  # the CLI's period ends now
        qid = await store.log_question(entry("how many troops were sent to Russia?", now=just_now))
        await store.log_question(
            entry("who is the president of France?", found=False, now=just_now)
        )
        await store.vote(qid, user_id=3, helpful=False)
        await store.log_article_event(article_event("add", origin="terminal", now=just_now))
        await store.log_article_event(article_event("add", now=just_now))
        await store.log_article_event(article_event("remove", guild_id=11, now=just_now))
    return path


def test_stats_prints_the_figures(
    database: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARTICLEBOT_USER_SALT", "a-salt-for-the-cli-test")
    assert main(["stats", "--database", str(database), "--days", "3"]) == 0
    out = capsys.readouterr().out
    assert "Questions: 2" in out
    assert "who is the president of France?" in out
    assert "3,000" in out and "how many troops were sent to Russia?" in out
    assert "Articles: 2 added, 1 removed" in out


def test_stats_json_and_chart(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = tmp_path / "chart.png"
    assert main(["stats", "--database", str(database), "--json", "--chart", str(chart)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["questions"], data["refused"], data["not_helpful_votes"]) == (2, 1, 1)
    assert (data["articles_added"], data["articles_removed"]) == (2, 1)
    assert data["top_unanswered"][0]["question"] == "who is the president of France?"
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_stats_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--database", str(tmp_path / "missing.sqlite3")]) == 1
    assert "no question log at" in capsys.readouterr().err
    assert main(["stats", "--database", str(tmp_path / "x"), "--days", "0"]) == 1
    assert "--days" in capsys.readouterr().err
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 100)
    assert main(["stats", "--database", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("articlebot: the database") and "Traceback" not in err
