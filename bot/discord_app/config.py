"""Bot settings from environment variables (and ``.env``), validated at start.

Every problem is collected and reported together, one line per variable, so a
misconfigured bot says everything that is wrong at once. The token's value is
never part of any message.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.storage import folders
from bot.storage.base import StoreError
from bot.storage.config import StorageConfig

DEFAULT_COOLDOWN_QUESTIONS = 4
DEFAULT_COOLDOWN_SECONDS = 20.0
DEFAULT_MAX_QUESTION_CHARS = 500
# Questions and summaries in flight at once before new ones are refused (bot/discord_app/backlog.py).
# One costs ~1-5 ms of engine time, run one at a time under the GIL, so 64 in flight is at
# worst ~0.3 s of queued work: the last accepted question is still answered well inside
# Discord's 3 s and long before anyone gives up. 64 is also twice the largest default thread
# pool (32 workers), so shedding never leaves a worker idle while questions are refused, and
# it is 16 users asking their full cooldown allowance (4) at the same moment.
DEFAULT_MAX_PENDING = 64
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(ValueError):
    """The configuration cannot be used; the message lists every problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("invalid configuration:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True, slots=True)
class Settings:
    """What the bot needs to run. Only ``token`` is required."""

    token: str = field(repr=False)
    seeds: Path = folders.LOCAL_SEEDS
    dev_guild_id: int | None = None
    answer_channel_ids: frozenset[int] = frozenset()
    admin_role: str | None = None  # a role name or a role id, besides Manage Server
    log_level: str = "INFO"
    cooldown_questions: int = DEFAULT_COOLDOWN_QUESTIONS
    cooldown_seconds: float = DEFAULT_COOLDOWN_SECONDS
    max_question_chars: int = DEFAULT_MAX_QUESTION_CHARS
    max_pending: int = DEFAULT_MAX_PENDING  # in flight at once; more are refused, not queued
    storage: StorageConfig | None = None  # None: no question log, feedback, /stats or /config

    @property
    def wants_message_content(self) -> bool:
        """Answering every message in a channel needs the privileged Message Content intent."""
        return bool(self.answer_channel_ids)

    @property
    def log_level_number(self) -> int:
        return logging.getLevelNamesMapping()[self.log_level]


def load_settings(
    environ: Mapping[str, str] | None = None, *, seeds: str | Path | None = None
) -> Settings:
    """Build :class:`Settings` from ``environ`` (default: ``os.environ``).

    ``seeds`` (from ``--seeds``) wins over ``ARTICLEBOT_SEEDS``; the folder is chosen by
    :func:`bot.storage.folders.articles_folder`, as in the terminal. Raises
    :class:`ConfigError` naming every bad variable.
    """
    env = os.environ if environ is None else environ
    problems: list[str] = []

    def get(name: str) -> str:
        return env.get(name, "").strip()

    token = get("DISCORD_TOKEN")
    if not token:
        problems.append(
            "DISCORD_TOKEN is not set: copy the token from the Developer Portal "
            "(your application -> Bot -> Reset Token) into .env or the environment"
        )
    elif token.lower().startswith("bot "):
        problems.append("DISCORD_TOKEN should be the bare token, without the 'Bot ' prefix")
    elif any(ch.isspace() for ch in token) or not token.isascii():
        problems.append(
            "DISCORD_TOKEN contains spaces or unusual characters; paste the token exactly"
        )

    articles = folders.articles_folder(seeds, env)
    try:
        folder = folders.ready_articles_folder(articles, need_articles=False)
    except folders.FolderError as exc:
        problems.append(str(exc))
        folder = articles.path

    dev_guild_id = _snowflake(get("ARTICLEBOT_DEV_GUILD_ID"), "ARTICLEBOT_DEV_GUILD_ID", problems)

    channel_ids: set[int] = set()
    for part in get("ARTICLEBOT_ANSWER_CHANNEL_IDS").split(","):
        if part.strip():
            channel = _snowflake(part.strip(), "ARTICLEBOT_ANSWER_CHANNEL_IDS", problems)
            if channel is not None:
                channel_ids.add(channel)

    admin_role = get("ARTICLEBOT_ADMIN_ROLE").lstrip("@") or None

    log_level = (get("ARTICLEBOT_LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        problems.append(f"ARTICLEBOT_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}")

    cooldown_questions = _positive(
        get("ARTICLEBOT_COOLDOWN_QUESTIONS"),
        "ARTICLEBOT_COOLDOWN_QUESTIONS",
        DEFAULT_COOLDOWN_QUESTIONS,
        problems,
    )
    cooldown_seconds = _positive(
        get("ARTICLEBOT_COOLDOWN_SECONDS"),
        "ARTICLEBOT_COOLDOWN_SECONDS",
        DEFAULT_COOLDOWN_SECONDS,
        problems,
        kind=float,
    )
    max_chars = _positive(
        get("ARTICLEBOT_MAX_QUESTION_CHARS"),
        "ARTICLEBOT_MAX_QUESTION_CHARS",
        DEFAULT_MAX_QUESTION_CHARS,
        problems,
    )
    max_pending = _positive(
        get("ARTICLEBOT_MAX_PENDING"), "ARTICLEBOT_MAX_PENDING", DEFAULT_MAX_PENDING, problems
    )

    storage = None
    try:
        storage = StorageConfig.from_env(env, data=folders.data_folder(articles))
    except StoreError as exc:
        problems.append(str(exc))

    if problems:
        raise ConfigError(problems)
    return Settings(
        token=token,
        seeds=folder,
        dev_guild_id=dev_guild_id,
        answer_channel_ids=frozenset(channel_ids),
        admin_role=admin_role,
        log_level=log_level,
        cooldown_questions=int(cooldown_questions),
        cooldown_seconds=float(cooldown_seconds),
        max_question_chars=int(max_chars),
        max_pending=int(max_pending),
        storage=storage,
    )


def settings_from_env(seeds: str | Path | None = None, dotenv: str | Path = ".env") -> Settings:
    """Read ``dotenv`` into the environment (real variables win) and load settings."""
    from dotenv import load_dotenv

    load_dotenv(Path(dotenv), override=False)
    return load_settings(seeds=seeds)


def _snowflake(text: str, name: str, problems: list[str]) -> int | None:
    if not text:
        return None
    if not text.isdigit() or int(text) <= 0:
        problems.append(
            f"{name}: {text[:30]!r} is not a Discord id (turn on Developer Mode, "
            "then right-click -> Copy ID)"
        )
        return None
    return int(text)


def _positive(text: str, name: str, default: float, problems: list[str], kind: type = int) -> float:
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        problems.append(f"{name} must be a positive {kind.__name__}, not {text[:30]!r}")
        return default
    if value <= 0:
        problems.append(f"{name} must be positive, not {text[:30]!r}")
        return default
    return float(value)
