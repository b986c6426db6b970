"""Settings validation and the start-up failures a user can cause."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from bot import config
from bot.config import (
    DEFAULT_MAX_PENDING,
    ConfigError,
    Settings,
    load_settings,
)
from bot.discord_app.client import intents_for
from bot.discord_app.runner import EXIT_CONFIG, EXIT_FAILURE, RedactFilter, run_bot
from tests.bot.conftest import DiscordRecorder, FakeResponse
from tests.conftest import SEEDS

SECRET = "MTIz.secret-token.value"
VARIABLES = (
    "DISCORD_TOKEN",
    "ARTICLEBOT_SEEDS",
    "ARTICLEBOT_DEV_GUILD_ID",
    "ARTICLEBOT_ANSWER_CHANNEL_IDS",
    "ARTICLEBOT_ADMIN_ROLE",
    "ARTICLEBOT_LOG_LEVEL",
    "ARTICLEBOT_COOLDOWN_QUESTIONS",
    "ARTICLEBOT_COOLDOWN_SECONDS",
    "ARTICLEBOT_MAX_QUESTION_CHARS",
    "ARTICLEBOT_MAX_PENDING",
)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """No articlebot variables, an empty working directory, root logging restored after."""
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield tmp_path
    root.handlers[:] = handlers
    root.setLevel(level)


def test_full_configuration() -> None:
    settings = load_settings(
        {
            "DISCORD_TOKEN": f"  {SECRET} ",
            "ARTICLEBOT_SEEDS": str(SEEDS),
            "ARTICLEBOT_DEV_GUILD_ID": "123456789012345678",
            "ARTICLEBOT_ANSWER_CHANNEL_IDS": "111, 222,,333",
            "ARTICLEBOT_ADMIN_ROLE": "@Editors",
            "ARTICLEBOT_LOG_LEVEL": "debug",
            "ARTICLEBOT_COOLDOWN_QUESTIONS": "2",
            "ARTICLEBOT_COOLDOWN_SECONDS": "7.5",
            "ARTICLEBOT_MAX_QUESTION_CHARS": "300",
        }
    )

    expected = Settings(
        token=SECRET,
        seeds=SEEDS,
        dev_guild_id=123456789012345678,
        answer_channel_ids=frozenset({111, 222, 333}),
        admin_role="Editors",
        log_level="DEBUG",
        cooldown_questions=2,
        cooldown_seconds=7.5,
        max_question_chars=300,
    )
    for name in (f.name for f in dataclasses.fields(Settings) if f.name != "storage"):
        assert getattr(settings, name) == getattr(expected, name), name  # storage: its own tests
    assert settings.wants_message_content
    assert SECRET not in repr(settings)


def test_defaults_need_only_a_token() -> None:
    settings = load_settings({"DISCORD_TOKEN": SECRET}, seeds=SEEDS)

    assert settings.dev_guild_id is None and settings.admin_role is None
    assert not settings.wants_message_content
    intents = intents_for(settings)
    assert intents.guilds and intents.guild_messages and intents.dm_messages
    assert not intents.message_content and not intents.members and not intents.presences


def test_every_problem_is_reported_at_once_without_the_token() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(
            {
                "DISCORD_TOKEN": "Bot " + SECRET,
                "ARTICLEBOT_SEEDS": "/no/such/folder",
                "ARTICLEBOT_DEV_GUILD_ID": "my-server",
                "ARTICLEBOT_ANSWER_CHANNEL_IDS": "123,general",
                "ARTICLEBOT_LOG_LEVEL": "loud",
                "ARTICLEBOT_COOLDOWN_SECONDS": "-1",
                "ARTICLEBOT_MAX_QUESTION_CHARS": "many",
            }
        )

    message = str(caught.value)
    assert len(caught.value.problems) == 7
    for fragment in (
        "without the 'Bot ' prefix",
        "/no/such/folder does not exist",
        "ARTICLEBOT_DEV_GUILD_ID: 'my-server' is not a Discord id",
        "ARTICLEBOT_ANSWER_CHANNEL_IDS: 'general'",
        "ARTICLEBOT_LOG_LEVEL must be one of",
        "ARTICLEBOT_COOLDOWN_SECONDS must be positive",
        "ARTICLEBOT_MAX_QUESTION_CHARS must be a positive int",
    ):
        assert fragment in message
    assert SECRET not in message


def test_backlog_limit_defaults_and_is_read_from_the_environment() -> None:
    default = load_settings({"DISCORD_TOKEN": SECRET}, seeds=SEEDS)
    chosen = load_settings({"DISCORD_TOKEN": SECRET, "ARTICLEBOT_MAX_PENDING": " 8 "}, seeds=SEEDS)

    assert default.max_pending == DEFAULT_MAX_PENDING
    assert chosen.max_pending == 8


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("0", "ARTICLEBOT_MAX_PENDING must be positive, not '0'"),
        ("-5", "ARTICLEBOT_MAX_PENDING must be positive, not '-5'"),
        ("2.5", "ARTICLEBOT_MAX_PENDING must be a positive int, not '2.5'"),
        ("lots", "ARTICLEBOT_MAX_PENDING must be a positive int, not 'lots'"),
    ],
)
def test_bad_backlog_limit_is_reported_by_name(value: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({"DISCORD_TOKEN": SECRET, "ARTICLEBOT_MAX_PENDING": value}, seeds=SEEDS)

    assert caught.value.problems == (problem,)


@pytest.mark.parametrize("token", ["", "   ", "two words"])
def test_missing_or_malformed_token(token: str) -> None:
    with pytest.raises(ConfigError, match="DISCORD_TOKEN"):
        load_settings({"DISCORD_TOKEN": token}, seeds=SEEDS)


def test_seeds_argument_wins_over_the_variable(tmp_path: Path) -> None:
    settings = load_settings(
        {"DISCORD_TOKEN": SECRET, "ARTICLEBOT_SEEDS": "/nowhere"}, seeds=tmp_path
    )

    assert settings.seeds == tmp_path


def test_settings_from_dotenv_file_with_environment_winning(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean_env / ".env").write_text(
        f"DISCORD_TOKEN={SECRET}\nARTICLEBOT_SEEDS={SEEDS}\nARTICLEBOT_LOG_LEVEL=WARNING\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("ARTICLEBOT_LOG_LEVEL", "ERROR")

    settings = load_settings()

    assert settings.token == SECRET and settings.seeds == SEEDS
    assert settings.log_level == "ERROR"


def test_run_bot_without_token_explains_and_exits(
    clean_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = run_bot(SEEDS, clean_env / "index")

    err = capsys.readouterr().err
    assert status == EXIT_CONFIG
    assert err.startswith("articlebot: invalid configuration")
    assert "DISCORD_TOKEN is not set" in err and "Traceback" not in err


def test_run_bot_with_empty_seeds_folder_exits_cleanly(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", SECRET)
    (clean_env / "empty").mkdir()

    status = run_bot(clean_env / "empty", clean_env / "index")

    assert status == EXIT_FAILURE
    assert "no usable articles" in capsys.readouterr().err


def test_rejected_token_gets_a_clear_message_and_is_never_shown(
    clean_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Unauthorized(DiscordRecorder):
        def request(self, method: str, url: str, **kwargs: object) -> FakeResponse:
            super().request(method, url, **kwargs)
            return FakeResponse(401, {"message": "401: Unauthorized", "code": 0})

    recorder = Unauthorized()
    monkeypatch.setattr(aiohttp, "ClientSession", lambda *a, **k: recorder)
    monkeypatch.setenv("DISCORD_TOKEN", SECRET)
    monkeypatch.setenv("ARTICLEBOT_LOG_LEVEL", "DEBUG")

    with caplog.at_level(logging.DEBUG):
        status = run_bot(SEEDS, clean_env / "index")

    captured = capsys.readouterr()
    assert status == EXIT_FAILURE
    assert [c.path for c in recorder.calls] == ["/users/@me"]  # nothing past the login
    assert "Discord rejected DISCORD_TOKEN" in captured.err
    assert "Traceback" not in captured.err
    everything = captured.out + captured.err + caplog.text
    assert SECRET not in everything


def test_redact_filter_hides_the_token_in_log_records() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "sent %s", (SECRET,), None)

    RedactFilter(SECRET).filter(record)

    assert record.getMessage() == "sent [token redacted]"


def test_without_a_folder_setting_the_bot_uses_the_users_library(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside a checkout ``/article add`` writes the user's library, the log goes beside it."""
    monkeypatch.setenv("XDG_DATA_HOME", str(clean_env / "xdg-data"))
    settings = load_settings({"DISCORD_TOKEN": SECRET})
    home = clean_env / "xdg-data" / "articlebot"
    assert settings.seeds == home / "articles" and any(settings.seeds.iterdir())
    assert settings.storage is not None and settings.storage.database.parent == home


@pytest.mark.parametrize(
    ("value", "allowed"), [("1", True), ("yes", True), ("0", False), ("", False)]
)
def test_the_private_links_setting_is_read_from_the_environment(value: str, allowed: bool) -> None:
    assert config.allow_private_urls({"ARTICLEBOT_ALLOW_PRIVATE_URLS": value}) is allowed
    assert (
        load_settings(
            {"DISCORD_TOKEN": "a.b.c", "ARTICLEBOT_ALLOW_PRIVATE_URLS": value}
        ).allow_private_urls
        is allowed
    )
