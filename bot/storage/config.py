"""Storage settings, parsed from the environment variables :mod:`bot.config` hands over."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.storage.base import StoreError

DEFAULT_DATABASE = Path("data") / "articlebot.sqlite3"
SALT_FILE_NAME = "user-salt"
DEFAULT_RETENTION_DAYS = 90
MAX_RETENTION_DAYS = 3650


@dataclass(frozen=True, slots=True)
class StorageConfig:
    """Where the database lives, how long questions are kept, where the salt comes from.

    ``retention_days`` of 0 keeps questions forever.
    """

    database: Path = DEFAULT_DATABASE
    retention_days: int = DEFAULT_RETENTION_DAYS
    user_salt: str | None = None
    database_url: str | None = None  # PostgreSQL (``ARTICLEBOT_DATABASE_URL``) instead of the file

    @property
    def salt_file(self) -> Path:
        return self.database.parent / SALT_FILE_NAME

    @classmethod
    def from_env(cls, environ: Mapping[str, str], data: Path | None = None) -> StorageConfig:
        """``ARTICLEBOT_DATABASE``, else ``articlebot.sqlite3`` in ``data`` (the folder
        :func:`bot.storage.folders.data_folder` picks; ``./data`` when not given)."""
        env = environ
        default = (data or DEFAULT_DATABASE.parent) / DEFAULT_DATABASE.name
        database = env.get("ARTICLEBOT_DATABASE", "").strip() or str(default)
        raw_days = env.get("ARTICLEBOT_RETENTION_DAYS", "").strip()
        retention = DEFAULT_RETENTION_DAYS
        if raw_days:
            try:
                retention = int(raw_days)
            except ValueError:
                raise StoreError(
                    f"ARTICLEBOT_RETENTION_DAYS must be a whole number of days, not {raw_days!r}"
                ) from None
        if not 0 <= retention <= MAX_RETENTION_DAYS:
            raise StoreError(
                f"ARTICLEBOT_RETENTION_DAYS must be between 0 (keep forever) and {MAX_RETENTION_DAYS}"
            )
        salt = env.get("ARTICLEBOT_USER_SALT") or None
        url = env.get("ARTICLEBOT_DATABASE_URL", "").strip() or None
        if url is not None and not url.startswith(("postgresql://", "postgres://")):
            raise StoreError(
                "ARTICLEBOT_DATABASE_URL must be a PostgreSQL URL "
                "(postgresql://user:password@host:5432/dbname)"
            )
        return cls(
            database=Path(database), retention_days=retention, user_salt=salt, database_url=url
        )
