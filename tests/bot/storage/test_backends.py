"""Choosing the storage backend: PostgreSQL support is an extra, and its absence is explained."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot.serving.engines import load_engine
from bot.storage import StorageConfig, StoreError, store_from_config
from bot.storage.backends import POSTGRES_MISSING
from bot.storage.sqlite import SQLiteStore

URL = "postgresql://articlebot@127.0.0.1:1/articlebot"


@pytest.fixture
def without_psycopg(monkeypatch: pytest.MonkeyPatch) -> None:
    """An install without the `postgres` extra: importing psycopg fails."""
    monkeypatch.setitem(sys.modules, "psycopg", None)


@pytest.mark.usefixtures("without_psycopg")
def test_sqlite_needs_no_postgres_support(tmp_path: Path) -> None:
    store = store_from_config(StorageConfig(database=tmp_path / "log.sqlite3"))

    assert isinstance(store, SQLiteStore)


@pytest.mark.usefixtures("without_psycopg")
def test_a_database_url_without_the_extra_says_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as raised:
        store_from_config(StorageConfig(database=tmp_path / "log.sqlite3", database_url=URL))

    assert str(raised.value) == POSTGRES_MISSING
    assert "articlebot[postgres]" in str(raised.value)


@pytest.mark.usefixtures("without_psycopg")
def test_the_shared_index_without_the_extra_says_what_to_install(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"articlebot\[postgres\]"):
        load_engine(tmp_path, index_dir=tmp_path / "index", database_url=URL, state_dir=tmp_path)
