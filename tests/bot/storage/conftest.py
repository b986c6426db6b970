"""Fixtures for the storage tests: stores of each backend on fresh databases.

``backend`` is parametrised over SQLite and PostgreSQL, so a test that asks for
``store`` (opened) or ``stores`` (a factory) runs once per backend, as
``[sqlite]`` and ``[postgres]``. PostgreSQL is the private server of
``tests/scale/conftest.py`` (its fixtures, imported here): where it cannot start
the ``[postgres]`` tests skip with the reason, and with ``CI`` set they fail.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.storage import SQLiteStore, Store
from bot.storage.postgres import PostgresStore
from tests.bot.store_helpers import make_pg_store, make_store
from tests.pg_server import PostgresServer
from tests.scale.conftest import pg_server, pg_url

__all__ = ["pg_server", "pg_url"]  # the session's PostgreSQL, shared with tests/scale

BACKENDS = ("sqlite", "postgres")


class Stores:
    """Unopened stores of one backend: on a new database, or on the database of another
    store (as a second bot process would be)."""

    def __init__(self, tmp_path: Path, server: PostgresServer | None) -> None:
        self._tmp_path = tmp_path
        self._server = server
        self._made = 0

    def new(self, **options: Any) -> Any:
        if self._server is not None:
            return make_pg_store(self._server.create_database(), **options)
        self._made += 1
        return make_store(self._tmp_path / f"bot-{self._made}.sqlite3", **options)

    def twin(self, store: Store, **options: Any) -> Any:
        if isinstance(store, PostgresStore):
            return make_pg_store(store.url, **options)
        assert isinstance(store, SQLiteStore)
        return make_store(store.path, **options)


@pytest.fixture(params=BACKENDS)
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Stores:
    server = request.getfixturevalue("pg_server") if request.param == "postgres" else None
    if server is not None and not server.running:  # a test stopped it and failed
        server.start()
    return Stores(tmp_path, server)


@pytest.fixture
async def store(stores: Stores) -> AsyncIterator[Any]:
    """An opened store on a fresh database (90 days' retention)."""
    async with stores.new() as opened:
        yield opened
