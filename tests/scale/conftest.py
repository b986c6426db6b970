"""Fixtures for the scale-out tests: one PostgreSQL server per session, one database per test."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.pg_server import PostgresServer, PostgresUnavailable


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A private PostgreSQL on 127.0.0.1, started once and stopped at the end of the session.

    Where it cannot start, every test using it skips with the reason (pytest's
    summary shows it once); with ``CI`` set they fail instead, so CI cannot go
    green without them.
    """
    server: PostgresServer | None = None
    try:
        server = PostgresServer()
        server.start()
    except PostgresUnavailable as exc:
        if server is not None:
            server.cleanup()
        _unavailable(exc)
    assert server is not None
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> str:
    """The URL of a fresh, empty database on the session's server."""
    if not pg_server.running:  # a test that stopped it and failed before starting it again
        pg_server.start()
    return pg_server.create_database()


def _unavailable(exc: PostgresUnavailable) -> None:
    message = f"PostgreSQL test server unavailable: {exc}"
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
