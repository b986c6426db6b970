"""One index for every process: article versions published in PostgreSQL, followed by LISTEN.

PostgreSQL holds the article files (once per content hash, ``index_files``),
which files make each published version (``index_version_files``) and the
version in force (``index_in_force``, one row). A process never scores in SQL:
it materialises the version's files into a local folder and builds its
in-memory index from them with the same code as the embedded backend
(:func:`index.build_corpus`, incremental against the corpus it serves), so
answers are identical to a single process reading the same files. Measured on
the seed article and on 100,000 synthetic chunks, scoring from SQL postings
costs milliseconds per query plus a round trip, against well under a
millisecond in memory; see ``benchmarks/scaleout_bench.py``.

- :meth:`SharedIndex.reindex` (``/reindex`` in any process): takes a
  session-level advisory lock with ``pg_try_advisory_lock`` (a second reindex
  anywhere is refused with :class:`ReindexElsewhere`), snapshots the seeds
  folder, builds, and publishes in one transaction that also sends ``NOTIFY``.
  Readers see the old version or the new one, never half: the version row, its
  files and the in-force pointer commit together, and the notification is
  delivered only at commit.
- :meth:`SharedIndex.follow` (every process): ``LISTEN`` on :data:`CHANNEL`,
  plus a check of the version in force every :data:`POLL_SECONDS` and after
  every reconnect, so a lost notification or a server restart only delays the
  switch. A switch rebuilds off the event loop and swaps the engine's corpus.
- :meth:`SharedIndex.load_in_force` (start-up): the version in force; the first
  process on an empty database publishes its seeds folder as version 1.

No discord.py here.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from bot.storage.base import StoreError
from bot.storage.postgres_schema import connect_sync, migrate, redact
from index import Corpus, Engine, ReindexReport, build_corpus

log = logging.getLogger(__name__)

CHANNEL = "articlebot_index"
REINDEX_LOCK = 0x41_72_74_42_6F_74_02  # pg_try_advisory_lock key held while a reindex runs
POLL_SECONDS = 5.0  # safety net when a notification is missed
MAX_FILE_BYTES = 20 * 1024 * 1024


class ReindexElsewhere(StoreError):
    """Another process (or this one) is reindexing right now."""


class NoVersionError(StoreError):
    """No index version has been published yet."""


@dataclass(frozen=True, slots=True)
class Switch:
    """One move of this process to a version: what was built and how long it took."""

    version: int
    report: ReindexReport
    seconds: float


def snapshot_folder(folder: Path) -> dict[str, bytes]:
    """The files the loader reads in ``folder`` (top level, not hidden), by name."""
    folder = Path(folder)
    if not folder.exists():
        raise FileNotFoundError(f"seeds folder not found: {folder}")
    if not folder.is_dir():
        raise NotADirectoryError(f"seeds path is not a folder: {folder}")
    files: dict[str, bytes] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.stat().st_size > MAX_FILE_BYTES:
            log.warning("not publishing %s: larger than %d bytes", path.name, MAX_FILE_BYTES)
            continue
        files[path.name] = path.read_bytes()
    return files


class SharedIndex:
    """The published index versions in one PostgreSQL database, seen from one process.

    ``state_dir`` is this process's working folder: ``v<N>/`` holds the files
    of the version served and ``index/`` the persisted index built from them.
    Blocking methods are for worker threads; :meth:`follow` is a task.
    """

    def __init__(self, url: str, state_dir: str | Path, *, name: str | None = None) -> None:
        self.url = url
        self.state_dir = Path(state_dir)
        self.name = name or f"{socket.gethostname()}:{os.getpid()}"
        self.version: int | None = None  # the version this process serves
        self.switches: list[Switch] = []
        self._migrated = False

    # -- database ---------------------------------------------------------------------

    @contextlib.contextmanager
    def _connect(self) -> Iterator[psycopg.Connection[Any]]:
        conn = connect_sync(self.url, autocommit=True)
        try:
            if not self._migrated:
                migrate(conn, self.url)
                self._migrated = True
            yield conn
        finally:
            conn.close()

    def in_force(self) -> int | None:
        with self._connect() as conn:
            row = conn.execute("SELECT version_id FROM index_in_force").fetchone()
        return None if row is None else int(row[0])

    def fetch(self, version: int) -> dict[str, bytes]:
        """The files of a published version (versions never change once published)."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT vf.name, f.content FROM index_version_files vf"
                " JOIN index_files f ON f.sha256 = vf.sha256"
                " WHERE vf.version_id = %s ORDER BY vf.name",
                (version,),
            ).fetchall()
            count = conn.execute(
                "SELECT files FROM index_versions WHERE id = %s", (version,)
            ).fetchone()
        if count is None:
            raise NoVersionError(f"index version {version} does not exist")
        if len(rows) != int(count[0]):
            raise StoreError(f"index version {version} is incomplete in the database")
        return {name: bytes(content) for name, content in rows}

    def publish(
        self, files: dict[str, bytes], note: str = "", conn: psycopg.Connection[Any] | None = None
    ) -> int:
        """Store ``files`` as a new version and put it in force, atomically; returns its id."""
        if conn is None:
            with self._connect() as own:
                return self.publish(files, note, own)
        hashes = {name: hashlib.sha256(raw).hexdigest() for name, raw in files.items()}
        with conn.transaction(), conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO index_files (sha256, content) VALUES (%s, %s)"
                " ON CONFLICT (sha256) DO NOTHING",
                [(hashes[name], raw) for name, raw in files.items()],
            )
            cur.execute(
                "INSERT INTO index_versions (published_by, files, note) VALUES (%s, %s, %s)"
                " RETURNING id",
                (self.name, len(files), note[:500]),
            )
            row = cur.fetchone()
            assert row is not None
            version = int(row[0])
            cur.executemany(
                "INSERT INTO index_version_files (version_id, name, sha256) VALUES (%s, %s, %s)",
                [(version, name, digest) for name, digest in hashes.items()],
            )
            cur.execute(
                "INSERT INTO index_in_force (singleton, version_id) VALUES (TRUE, %s)"
                " ON CONFLICT (singleton) DO UPDATE SET version_id = excluded.version_id,"
                " switched_at = now()",
                (version,),
            )
            cur.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(version)))
        log.info("published index version %d (%d files)", version, len(files))
        return version

    @contextlib.contextmanager
    def reindex_lock(self, wait: bool = False) -> Iterator[psycopg.Connection[Any]]:
        """Hold the cluster-wide reindex lock; raises :class:`ReindexElsewhere` when taken."""
        with self._connect() as conn:
            if wait:
                conn.execute("SELECT pg_advisory_lock(%s)", (REINDEX_LOCK,))
            else:
                row = conn.execute("SELECT pg_try_advisory_lock(%s)", (REINDEX_LOCK,)).fetchone()
                if not row or not row[0]:
                    raise ReindexElsewhere("a reindex is already running in another process")
            try:
                yield conn
            finally:
                with contextlib.suppress(psycopg.Error):
                    conn.execute("SELECT pg_advisory_unlock(%s)", (REINDEX_LOCK,))

    def reindex_running(self) -> bool:
        """Whether some process holds the reindex lock right now (a probe: it may change
        the next moment). Lets ``/reindex`` refuse before it acknowledges publicly."""
        with self._connect() as conn:
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (REINDEX_LOCK,)).fetchone()
            if not row or not row[0]:
                return True
            conn.execute("SELECT pg_advisory_unlock(%s)", (REINDEX_LOCK,))
        return False

    # -- local folders and builds ------------------------------------------------------------

    @property
    def index_dir(self) -> Path:
        return self.state_dir / "index"

    def _materialise(self, files: dict[str, bytes], target: Path) -> Path:
        """Write ``files`` into ``target`` whole or not at all (temporary folder, rename)."""
        if target.exists():
            return target
        self.state_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
        for name, raw in files.items():
            if "/" in name or name in {"", ".", ".."}:
                raise StoreError(f"refusing an article file name {name!r}")
            (partial / name).write_bytes(raw)
        os.replace(partial, target)
        return target

    @staticmethod
    def _keep(staging: Path, target: Path) -> None:
        """Move the published build's files to their version's folder.

        This process's own follower may have fetched the version already, between the
        publishing commit and this rename: its folder then holds the same files, so it stays.
        """
        try:
            os.replace(staging, target)
        except OSError:
            if not target.is_dir():
                raise

    def _folder(self, version: int) -> Path:
        return self.state_dir / f"v{version}"

    def _forget_older(self, keep: int) -> None:
        for path in self.state_dir.glob("v*"):
            if path.name != f"v{keep}" and path.name[1:].isdigit():
                shutil.rmtree(path, ignore_errors=True)

    def build(self, version: int, previous: Corpus | None = None) -> ReindexReport:
        """The corpus of a published version, built from its files (worker thread)."""
        folder = self._materialise(self.fetch(version), self._folder(version))
        return build_corpus(folder, previous=previous, index_dir=self.index_dir)

    def _served(self, version: int, report: ReindexReport, started: float) -> Switch:
        self.version = version
        switch = Switch(version, report, time.perf_counter() - started)
        self.switches.append(switch)
        self._forget_older(version)
        return switch

    def reindex(self, seeds: str | Path, previous: Corpus | None) -> Switch:
        """Rebuild from the seeds folder and publish it for every process (worker thread).

        Signature-compatible with the bot's ``rebuild`` through :meth:`rebuild_for_bot`.
        Raises :class:`ReindexElsewhere` when another reindex holds the lock, and the
        loader's errors (no articles, missing folder) before anything is published.
        """
        started = time.perf_counter()
        with self.reindex_lock() as conn:
            return self._reindex_locked(conn, Path(seeds), previous, started)

    def _reindex_locked(
        self, conn: psycopg.Connection[Any], seeds: Path, previous: Corpus | None, started: float
    ) -> Switch:
        files = snapshot_folder(seeds)
        staging = self.state_dir / f"staging-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        self._materialise(files, staging)
        try:
            # fails before publishing
            report = build_corpus(staging, previous=previous, index_dir=self.index_dir)
            version = self.publish(files, report.summary_line, conn)
            self._keep(staging, self._folder(version))
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return self._served(version, report, started)

    def rebuild_for_bot(self, seeds: Path, previous: Corpus) -> ReindexReport:
        """The bot's ``rebuild`` hook: reindex and publish, return the report."""
        return self.reindex(seeds, previous).report

    def load_in_force(self, seeds: str | Path) -> Switch:
        """The version in force, built here; an empty database gets ``seeds`` as version 1."""
        started = time.perf_counter()
        version = self.in_force()
        if version is None:
            with self.reindex_lock(wait=True) as conn:
                version = self.in_force()  # someone may have published while we waited
                if version is None:
                    log.info("no index published yet: publishing %s", seeds)
                    return self._reindex_locked(conn, Path(seeds), None, started)
        return self._served(version, self.build(version), started)

    # -- following ---------------------------------------------------------------------------

    async def follow(
        self,
        engine: Engine,
        *,
        on_switch: Callable[[Switch], None] | None = None,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        """Serve every version put in force, until cancelled. Survives server restarts."""
        delay = 0.1
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(
                    self.url, autocommit=True, connect_timeout=5
                )
            except psycopg.Error as exc:
                log.warning("cannot LISTEN at %s (%s); retrying", redact(self.url), exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
                continue
            delay = 0.1
            try:
                await conn.execute(f"LISTEN {CHANNEL}")
                await self._catch_up(engine, on_switch)  # anything missed while away
                while True:
                    async for _notify in conn.notifies(timeout=poll_seconds, stop_after=1):
                        pass
                    await self._catch_up(engine, on_switch)
            except psycopg.Error as exc:
                log.warning("lost the index notifications (%s); reconnecting", type(exc).__name__)
            finally:
                with contextlib.suppress(psycopg.Error):
                    await conn.close()
            await asyncio.sleep(delay)

    async def _catch_up(self, engine: Engine, on_switch: Callable[[Switch], None] | None) -> None:
        version = await asyncio.to_thread(self.in_force)
        if version is None or version == self.version:
            return
        started = time.perf_counter()
        try:
            report = await asyncio.to_thread(self.build, version, engine.corpus)
        except (StoreError, FileNotFoundError, ValueError, RuntimeError) as exc:
            log.error(
                "could not build index version %s, still serving %s: %s", version, self.version, exc
            )
            return
        if self.version is not None and version < self.version:
            return  # a newer one was served meanwhile (by our own /reindex)
        engine.swap(report.corpus)
        switch = self._served(version, report, started)
        log.info("switched to index version %d in %.2f s", version, switch.seconds)
        if on_switch is not None:
            on_switch(switch)
