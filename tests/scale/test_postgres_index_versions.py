"""One index for all processes: publish, switch within 2 s, identical answers, one reindex at a time."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from bot.serving.shared_index import REINDEX_LOCK, ReindexElsewhere, SharedIndex
from index import open_corpus
from index.engine import Engine

QUESTIONS = (
    "how many troops were sent to Russia",
    "when were the images released",
    "who is the president of France",
    "what did the report say about casualties",
)
NEW_ARTICLE = """Lighthouse keepers return to Skerry Point

The old lighthouse at Skerry Point was staffed again in March after twenty years.

Seven keepers moved into the cottages below the tower. The council paid 40,000 pounds for the repairs.
"""


def answers(engine: Engine) -> list[dict[str, object]]:
    out = []
    for question in QUESTIONS:
        data = engine.ask(question).to_json()
        data.pop("elapsed_ms", None)
        out.append(data)
    return out


async def test_postgres_index_answers_identical_to_the_embedded_backend(
    pg_url: str, seeds_copy: Path, tmp_path: Path
) -> None:
    embedded = Engine(open_corpus(seeds_copy, tmp_path / "embedded-index"))
    first = SharedIndex(pg_url, tmp_path / "a", name="a")
    switch = await asyncio.to_thread(first.load_in_force, seeds_copy)
    assert switch.version == 1 and first.in_force() == 1
    later = SharedIndex(pg_url, tmp_path / "b", name="b")
    (seeds_copy / "extra.txt").write_text(NEW_ARTICLE)  # not published: later must not see it
    loaded = await asyncio.to_thread(later.load_in_force, tmp_path / "no-such-folder")
    assert loaded.version == 1
    shared = Engine(loaded.report.corpus)
    assert [a.id for a in shared.corpus.articles] == [a.id for a in embedded.corpus.articles]
    assert answers(shared) == answers(embedded)


async def test_postgres_index_publish_and_switch_within_two_seconds(
    pg_url: str, seeds_copy: Path, tmp_path: Path
) -> None:
    writer = SharedIndex(pg_url, tmp_path / "writer", name="writer")
    reader = SharedIndex(pg_url, tmp_path / "reader", name="reader")
    start = await asyncio.to_thread(writer.load_in_force, seeds_copy)
    writer_engine = Engine(start.report.corpus)
    reader_engine = Engine(
        (await asyncio.to_thread(reader.load_in_force, seeds_copy)).report.corpus
    )
    assert not reader_engine.ask("how many keepers moved into the cottages").found

    switched = asyncio.Event()
    follower = asyncio.create_task(
        reader.follow(reader_engine, on_switch=lambda s: switched.set(), poll_seconds=30)
    )
    try:
        await asyncio.sleep(0.3)  # LISTEN is in place
        (seeds_copy / "lighthouse.txt").write_text(NEW_ARTICLE)
        published = await asyncio.to_thread(writer.reindex, seeds_copy, writer_engine.corpus)
        writer_engine.swap(published.report.corpus)
        sent = time.perf_counter()
        await asyncio.wait_for(switched.wait(), timeout=2.0)
        took = time.perf_counter() - sent
    finally:
        follower.cancel()
        with pytest.raises(asyncio.CancelledError):
            await follower
    assert published.report.added == ("Lighthouse keepers return to Skerry Point",)
    assert reader.version == published.version == 2
    assert took < 2.0
    answer = reader_engine.ask("how many keepers moved into the cottages")
    assert answer.found and "Seven" in (answer.answer or "")
    assert answers(reader_engine) == answers(writer_engine)


async def test_postgres_index_follower_catches_up_after_a_restart(
    pg_server, pg_url: str, seeds_copy: Path, tmp_path: Path
) -> None:
    writer = SharedIndex(pg_url, tmp_path / "writer")
    reader = SharedIndex(pg_url, tmp_path / "reader")
    corpus = (await asyncio.to_thread(writer.load_in_force, seeds_copy)).report.corpus
    engine = Engine((await asyncio.to_thread(reader.load_in_force, seeds_copy)).report.corpus)
    switched = asyncio.Event()
    follower = asyncio.create_task(
        reader.follow(engine, on_switch=lambda s: switched.set(), poll_seconds=0.5)
    )
    try:
        await asyncio.sleep(0.3)
        await asyncio.to_thread(pg_server.restart)
        (seeds_copy / "lighthouse.txt").write_text(NEW_ARTICLE)
        await asyncio.to_thread(writer.reindex, seeds_copy, corpus)
        await asyncio.wait_for(switched.wait(), timeout=10)
    finally:
        follower.cancel()
        with pytest.raises(asyncio.CancelledError):
            await follower
    assert reader.version == 2


def test_postgres_readers_never_see_half_a_version(pg_url: str, tmp_path: Path) -> None:
    shared = SharedIndex(pg_url, tmp_path / "p")
    shared.publish({"a.txt": b"first"})
    stop = threading.Event()
    seen: list[tuple[int, int]] = []

    def read() -> None:
        with psycopg.connect(pg_url) as conn:
            while not stop.is_set():
                with conn.transaction():
                    row = conn.execute(
                        "SELECT i.version_id, v.files, (SELECT count(*) FROM index_version_files f"
                        " WHERE f.version_id = i.version_id)"
                        " FROM index_in_force i JOIN index_versions v ON v.id = i.version_id"
                    ).fetchone()
                assert row is not None
                assert row[1] == row[2], row
                seen.append((row[0], row[2]))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(2, 30):
            shared.publish({f"{i}.txt": f"file {i} of {n}".encode() for i in range(n)})
    finally:
        stop.set()
        reader.join()
    assert shared.in_force() == 29
    assert len(shared.fetch(29)) == 29
    assert len({v for v, _ in seen}) > 1


def test_postgres_concurrent_reindex_refused_across_processes(
    pg_url: str, seeds_copy: Path, tmp_path: Path
) -> None:
    shared = SharedIndex(pg_url, tmp_path / "here")
    shared.load_in_force(seeds_copy)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, psycopg\n"
            "c = psycopg.connect(sys.argv[1], autocommit=True)\n"
            f"c.execute('SELECT pg_advisory_lock({REINDEX_LOCK})')\n"
            "print('locked', flush=True)\n"
            "time.sleep(30)\n",
            pg_url,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        assert shared.reindex_running()  # what /reindex checks before deferring
        with pytest.raises(ReindexElsewhere, match="already running"):
            shared.reindex(seeds_copy, None)
        assert shared.in_force() == 1  # nothing published
    finally:
        holder.kill()
        holder.wait()
    deadline = time.monotonic() + 5
    while True:  # the lock goes with the other process's session
        try:
            assert shared.reindex(seeds_copy, None).version == 2
            break
        except ReindexElsewhere:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    assert not shared.reindex_running()  # the probe left no lock behind


async def test_postgres_reindex_keeps_the_version_its_own_follower_fetched_first(
    pg_url: str, seeds_copy: Path, tmp_path: Path
) -> None:
    """The follower may fetch a version between its publishing commit and the publisher's
    rename of its build; the reindex still succeeds and serves that version."""
    index = SharedIndex(pg_url, tmp_path / "a", name="a")
    start = await asyncio.to_thread(index.load_in_force, seeds_copy)
    fetched = tmp_path / "a" / f"v{start.version + 1}"
    fetched.mkdir()
    (fetched / "already-fetched.txt").write_text(NEW_ARTICLE)  # as the follower writes it
    (seeds_copy / "lighthouse.txt").write_text(NEW_ARTICLE)
    switch = await asyncio.to_thread(index.reindex, seeds_copy, start.report.corpus)
    assert switch.version == start.version + 1 and index.in_force() == switch.version
    assert Engine(switch.report.corpus).ask("how many keepers moved into the cottages").found
