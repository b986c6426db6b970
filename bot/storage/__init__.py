"""Question log, feedback votes, article events, per-server settings and statistics.

No discord.py here: the bot's cogs and the ``articlebot stats`` command share
:class:`Store` (every call's rules, :mod:`bot.storage.store`) and its records.
:class:`SQLiteStore` is the default backend and
:class:`~bot.storage.postgres.PostgresStore` the one for several processes; :func:`open_store` opens the one the environment configures
(``ARTICLEBOT_DATABASE`` or ``ARTICLEBOT_DATABASE_URL``, ``ARTICLEBOT_RETENTION_DAYS``,
``ARTICLEBOT_USER_SALT``).
"""

from bot.storage.backends import open_store, store_from_config
from bot.storage.base import (
    ArticleEvent,
    CorruptDatabaseError,
    GuildSettings,
    LoggedQuestion,
    NewerSchemaError,
    QuestionEntry,
    SettingsError,
    StoreError,
    UnknownAnswerError,
    VoteResult,
)
from bot.storage.config import StorageConfig
from bot.storage.hashing import UserHasher, load_salt
from bot.storage.sqlite import SQLiteStore
from bot.storage.sqlite_schema import SCHEMA_VERSION
from bot.storage.stats import Stats
from bot.storage.store import Store

__all__ = [
    "SCHEMA_VERSION",
    "ArticleEvent",
    "CorruptDatabaseError",
    "GuildSettings",
    "LoggedQuestion",
    "NewerSchemaError",
    "QuestionEntry",
    "SQLiteStore",
    "SettingsError",
    "Stats",
    "StorageConfig",
    "Store",
    "StoreError",
    "UnknownAnswerError",
    "UserHasher",
    "VoteResult",
    "load_salt",
    "open_store",
    "store_from_config",
]
