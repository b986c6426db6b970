"""Choosing the storage backend: SQLite by default, PostgreSQL when a database URL is set."""

from __future__ import annotations

from bot.storage.base import StoreError
from bot.storage.config import StorageConfig
from bot.storage.store import Store

POSTGRES_MISSING = (
    "ARTICLEBOT_DATABASE_URL is set, but PostgreSQL support is not installed: "
    "pip install 'articlebot[postgres]' (or unset it to use the SQLite file)"
)


def require_postgres() -> None:
    """Raise a :class:`StoreError` saying what to install when psycopg is missing.

    PostgreSQL is for several processes on one database (the `postgres` extra);
    the SQLite default needs nothing, so the run-time install leaves it out.
    """
    try:
        import psycopg  # noqa: F401
    except ModuleNotFoundError as exc:
        raise StoreError(POSTGRES_MISSING) from exc


def store_from_config(config: StorageConfig) -> Store:
    """The backend ``config`` names, not yet opened.

    ``ARTICLEBOT_DATABASE_URL`` set: :class:`~bot.storage.postgres.PostgresStore`
    (several processes, one database); otherwise the SQLite file
    ``ARTICLEBOT_DATABASE`` (zero set-up, one process).
    """
    if config.database_url:
        require_postgres()
        from bot.storage.postgres import PostgresStore

        return PostgresStore.from_config(config)
    from bot.storage.sqlite import SQLiteStore

    return SQLiteStore.from_config(config)


async def open_store(config: StorageConfig) -> Store:
    """Open (check, migrate, prune) the store ``config`` names."""
    store = store_from_config(config)
    await store.open()
    return store
