"""Choosing and opening a backend from the configuration; the salt; no discord.py in storage."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.storage import StorageConfig, StoreError, load_salt, open_store, store_from_config
from bot.storage.postgres import PostgresStore
from tests.bot.store_helpers import entry


def test_salt_file_is_created_once_with_owner_only_permissions(tmp_path: Path) -> None:
    salt_file = tmp_path / "data" / "user-salt"
    salt = load_salt(None, salt_file)
    assert load_salt(None, salt_file) == salt
    assert stat.S_IMODE(os.stat(salt_file).st_mode) == 0o600
    assert load_salt("an-explicit-salt-from-env", salt_file) == b"an-explicit-salt-from-env"
    with pytest.raises(StoreError, match="16"):
        load_salt("short", salt_file)


def test_storage_config_from_env(tmp_path: Path) -> None:
    config = StorageConfig.from_env({})
    assert config.database == Path("data/articlebot.sqlite3")
    assert config.salt_file == Path("data/user-salt")
    config = StorageConfig.from_env(
        {"ARTICLEBOT_DATABASE": str(tmp_path / "x.db"), "ARTICLEBOT_RETENTION_DAYS": "0"}
    )
    assert (config.database, config.retention_days) == (tmp_path / "x.db", 0)
    for bad in ("-1", "ten", "99999"):
        with pytest.raises(StoreError, match="ARTICLEBOT_RETENTION_DAYS"):
            StorageConfig.from_env({"ARTICLEBOT_RETENTION_DAYS": bad})


async def test_open_store_uses_the_environment_and_keeps_the_salt_out(tmp_path: Path) -> None:
    config = StorageConfig(database=tmp_path / "data" / "a.sqlite3")
    store = await open_store(config)
    try:
        await store.log_question(entry("q"))
    finally:
        await store.close()
    assert config.salt_file.read_bytes() not in config.database.read_bytes()


def test_postgres_is_chosen_by_the_database_url(tmp_path: Path) -> None:
    url = "postgresql://bot:secret@db.example:5432/articlebot"
    config = StorageConfig.from_env(
        {"ARTICLEBOT_DATABASE": str(tmp_path / "x.sqlite3"), "ARTICLEBOT_DATABASE_URL": url}
    )
    assert config.database_url == url
    chosen = store_from_config(config)
    assert isinstance(chosen, PostgresStore) and chosen.url == url
    sqlite = store_from_config(StorageConfig(database=tmp_path / "y.sqlite3"))
    assert type(sqlite).__name__ == "SQLiteStore"
    with pytest.raises(StoreError, match="ARTICLEBOT_DATABASE_URL is not set"):
        PostgresStore.from_config(StorageConfig(database=tmp_path / "y.sqlite3"))
    with pytest.raises(Exception, match="ARTICLEBOT_DATABASE_URL"):
        StorageConfig.from_env({"ARTICLEBOT_DATABASE_URL": "mysql://nope"})


def test_storage_never_imports_discord() -> None:
    code = (
        "import sys, bot.storage, bot.storage.chart; "
        "print(any(m == 'discord' or m.startswith('discord.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
