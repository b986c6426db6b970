"""The environment (and ``.env``), read here and nowhere else, handed down as settings.

:func:`environment` is the process environment with ``.env`` loaded under it;
everything below takes the values it needs as arguments. :func:`load_settings`
builds the Discord bot's settings: every problem is collected and reported
together, one line per variable, so a misconfigured bot says everything that is
wrong at once. The token's value is never part of any message.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.storage import folders
from bot.storage.base import StoreError
from bot.storage.config import StorageConfig
from index import MAX_QUESTION_CHARS

DEFAULT_COOLDOWN_QUESTIONS = 4
DEFAULT_COOLDOWN_SECONDS = 20.0
DEFAULT_MAX_QUESTION_CHARS = 500
# Questions and summaries in flight at once before new ones are refused (bot/serving/backlog.py).
# One costs ~1-5 ms of engine time, run one at a time under the GIL, so 64 in flight is at
# worst ~0.3 s of queued work: the last accepted question is still answered well inside
# Discord's 3 s and long before anyone gives up. 64 is also twice the largest default thread
# pool (32 workers), so shedding never leaves a worker idle while questions are refused, and
# it is 16 users asking their full cooldown allowance (4) at the same moment.
DEFAULT_MAX_PENDING = 64
# A follow-up in a channel: the same member within this; a server's /config conversation wins.
DEFAULT_CONVERSATION_MINUTES = 5.0
MAX_SHARDS = 4096
DEFAULT_STATE_DIR = Path("data") / "shared-index"
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
    conversation_minutes: float = DEFAULT_CONVERSATION_MINUTES
    storage: StorageConfig | None = None  # None: no question log, feedback, /stats or /config
    allow_private_urls: bool = False  # /article add may fetch links to private addresses

    @property
    def wants_message_content(self) -> bool:
        """Answering every message in a channel needs the privileged Message Content intent."""
        return bool(self.answer_channel_ids)

    @property
    def log_level_number(self) -> int:
        return logging.getLevelNamesMapping()[self.log_level]


@dataclass(frozen=True, slots=True)
class ScaleOut:
    """How this process takes part in a scaled-out deployment."""

    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    database_url: str | None = None
    state_dir: Path = DEFAULT_STATE_DIR

    @property
    def sharded(self) -> bool:
        return self.shard_count is not None

    @property
    def shared_index(self) -> bool:
        return self.database_url is not None

    def client_options(self) -> dict[str, Any]:
        """``shard_count`` / ``shard_ids`` for ``AutoShardedBot`` (empty when not sharded)."""
        if self.shard_count is None:
            return {}
        ids = list(self.shard_ids) if self.shard_ids is not None else None
        return {"shard_count": self.shard_count, "shard_ids": ids}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ScaleOut:
        env = os.environ if environ is None else environ
        problems: list[str] = []
        count_text = env.get("ARTICLEBOT_SHARD_COUNT", "").strip()
        ids_text = env.get("ARTICLEBOT_SHARD_IDS", "").strip()
        count: int | None = None
        if count_text:
            if not count_text.isdigit() or not 1 <= int(count_text) <= MAX_SHARDS:
                problems.append(
                    f"ARTICLEBOT_SHARD_COUNT must be a whole number from 1 to {MAX_SHARDS}"
                )
            else:
                count = int(count_text)
        ids: tuple[int, ...] | None = None
        if ids_text:
            if not count_text:
                problems.append("ARTICLEBOT_SHARD_IDS needs ARTICLEBOT_SHARD_COUNT (the total)")
            try:
                ids = parse_shard_ids(ids_text)
            except ValueError as exc:
                problems.append(f"ARTICLEBOT_SHARD_IDS: {exc}")
            if ids is not None and count is not None and max(ids) >= count:
                problems.append(
                    f"ARTICLEBOT_SHARD_IDS: shard ids run from 0 to {count - 1} "
                    f"(ARTICLEBOT_SHARD_COUNT={count})"
                )
        url = env.get("ARTICLEBOT_DATABASE_URL", "").strip() or None
        state = Path(env.get("ARTICLEBOT_STATE_DIR", "").strip() or DEFAULT_STATE_DIR)
        if problems:
            raise ConfigError(problems)
        return cls(count, ids, url, state)


def parse_shard_ids(text: str) -> tuple[int, ...]:
    """``"0,1"``, ``"2-3"`` or ``"0-1,4"`` -> sorted unique ids."""
    ids: set[int] = set()
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        low, _, high = part.partition("-")
        if not low.strip().isdigit() or (high and not high.strip().isdigit()):
            raise ValueError(f"{part!r} is not a shard id or a range like 0-3")
        first, last = int(low), int(high) if high else int(low)
        if last < first:
            raise ValueError(f"the range {part!r} runs backwards")
        ids.update(range(first, last + 1))
    if not ids:
        raise ValueError("no shard ids given")
    return tuple(sorted(ids))


_DOTENV_READ: set[Path] = set()
_TRUE = frozenset({"1", "true", "yes", "on"})
ALLOW_PRIVATE_ENV = "ARTICLEBOT_ALLOW_PRIVATE_URLS"


def environment() -> Mapping[str, str]:
    """The process environment, with ``.env`` of the working directory loaded under it
    once (real variables win)."""
    dotenv = Path.cwd() / ".env"
    if dotenv not in _DOTENV_READ:
        from dotenv import load_dotenv

        load_dotenv(dotenv, override=False)
        _DOTENV_READ.add(dotenv)
    return os.environ


def discord_token(environ: Mapping[str, str] | None = None) -> str:
    """``DISCORD_TOKEN``, stripped: set, the ``articlebot`` command starts the Discord bot."""
    return (environment() if environ is None else environ).get("DISCORD_TOKEN", "").strip()


def allow_private_urls(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``ARTICLEBOT_ALLOW_PRIVATE_URLS`` lets links reach private addresses
    (an intranet; the tests' 127.0.0.1 servers)."""
    env = environment() if environ is None else environ
    return env.get(ALLOW_PRIVATE_ENV, "").strip().lower() in _TRUE


def articles_folder(
    option: str | Path | None = None, environ: Mapping[str, str] | None = None
) -> folders.ArticlesFolder:
    """The articles folder (:func:`bot.storage.folders.articles_folder`) for ``--seeds``
    (``option``) and ``ARTICLEBOT_SEEDS``."""
    env = environment() if environ is None else environ
    return folders.articles_folder(option, env.get(folders.SEEDS_ENV, "").strip() or None)


def index_dir(
    folder: folders.ArticlesFolder,
    data: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Path:
    """Where the index of ``folder`` is kept (:func:`bot.storage.folders.index_dir`) for
    ``--data`` (``data``) and ``ARTICLEBOT_INDEX_DIR``."""
    env = environment() if environ is None else environ
    configured = env.get(folders.INDEX_DIR_ENV, "").strip() or None
    return folders.index_dir(folder, data, configured)


def storage_config(
    folder: folders.ArticlesFolder, environ: Mapping[str, str] | None = None
) -> StorageConfig:
    """The question log's settings, its default file beside the articles' data
    (:func:`bot.storage.folders.data_folder`). Raises ``StoreError`` for a bad setting."""
    env = environment() if environ is None else environ
    return StorageConfig.from_env(env, data=folders.data_folder(folder))


def scale_out(environ: Mapping[str, str] | None = None) -> ScaleOut:
    """How this process takes part in a scaled-out bot (:class:`ScaleOut`); raises
    :class:`ConfigError` naming every bad variable."""
    return ScaleOut.from_env(environment() if environ is None else environ)


def load_settings(
    environ: Mapping[str, str] | None = None, *, seeds: str | Path | None = None
) -> Settings:
    """Build :class:`Settings` from ``environ`` (default: ``os.environ``).

    ``seeds`` (from ``--seeds``) wins over ``ARTICLEBOT_SEEDS``; the folder is chosen by
    :func:`bot.storage.folders.articles_folder`, as in the terminal. Raises
    :class:`ConfigError` naming every bad variable.
    """
    env = environment() if environ is None else environ
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

    articles = articles_folder(seeds, env)
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
    if max_chars > MAX_QUESTION_CHARS:
        problems.append(
            f"ARTICLEBOT_MAX_QUESTION_CHARS can be at most {MAX_QUESTION_CHARS:,}, "
            "the longest question the engine reads"
        )
    max_pending = _positive(
        get("ARTICLEBOT_MAX_PENDING"), "ARTICLEBOT_MAX_PENDING", DEFAULT_MAX_PENDING, problems
    )
    conversation_minutes = _positive(
        get("ARTICLEBOT_CONVERSATION_MINUTES"),
        "ARTICLEBOT_CONVERSATION_MINUTES",
        DEFAULT_CONVERSATION_MINUTES,
        problems,
        kind=float,
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
        conversation_minutes=float(conversation_minutes),
        storage=storage,
        allow_private_urls=allow_private_urls(env),
    )


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


READER_DIR_ENV = "ARTICLEBOT_READER_DIR"


def reader_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """The reader model's folder from ``$ARTICLEBOT_READER_DIR`` (to try another model, as
    ``training/`` does), or None for the one shipped in the package."""
    configured = (environment() if environ is None else environ).get(READER_DIR_ENV, "").strip()
    return Path(configured) if configured else None
