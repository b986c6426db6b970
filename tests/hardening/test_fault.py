"""Injected faults: a damaged index, a killed reindex, unreadable seeds, a failing database,
Discord answering 429/500/502, and the gateway closing mid-conversation.
"""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.storage import QuestionEntry, SQLiteStore, folders
from index import build_corpus, open_corpus, read_index, read_manifest
from index.article_choice import find_article
from index.engine import Engine
from index.saved.manifest import MANIFEST_NAME
from tests.bot.conftest import MANAGE_GUILD, BotFactory
from tests.bot.fake_discord import FakeDiscord, _error, _json_response, patch_discord
from tests.hardening.conftest import Capture, StartFakeBot, table_counts

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "how many troops were sent to Russia?"


# -- the persisted index damaged while the bot runs ---------------------------------------


def damage(index_dir: Path, how: str) -> None:
    manifest = read_manifest(index_dir)
    data = index_dir / manifest.index_file
    if how == "truncated":
        data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])
    elif how == "corrupted":
        raw = bytearray(data.read_bytes())
        for i in range(100, len(raw), 997):
            raw[i] ^= 0xFF
        data.write_bytes(bytes(raw))
    elif how == "deleted":
        data.unlink()
    elif how == "manifest_garbage":
        (index_dir / MANIFEST_NAME).write_bytes(b"\x00{not json")


@pytest.mark.parametrize("how", ["truncated", "corrupted", "deleted", "manifest_garbage"])
async def test_fault_index_damaged_while_running_then_restart_rebuilds_and_serves(
    how: str, fake_discord: FakeDiscord, start_fake_bot: StartFakeBot, seeds_copy: Path
) -> None:
    index_dir = folders.index_folder(seeds_copy)
    first = await start_fake_bot()
    assert read_index(index_dir)  # the start saved a good index
    damage(index_dir, how)

    after = len(fake_discord.posted)  # still serving from memory
    await fake_discord.send_message(QUESTION, mention_bot=True)
    assert (await fake_discord.wait_for_message(after=after)).embeds
    await first.close()

    report = build_corpus(seeds_copy, index_dir=index_dir)  # what a restart does (open_corpus)
    assert report.index_problem and "rebuilding" in report.index_problem
    assert report.saved
    assert read_index(index_dir)  # rebuilt and stored again
    second = await start_fake_bot(engine=Engine(report.corpus))
    after = len(fake_discord.posted)
    await fake_discord.send_message(QUESTION, mention_bot=True)
    reply = await fake_discord.wait_for_message(after=after)
    assert reply.embeds and second.engine.corpus.articles


# -- a reindex killed with SIGKILL mid-write ------------------------------------------------

# Runs ``articlebot index build`` with one step slowed down so SIGKILL lands mid-write:
# "npz" stalls after the new arrays are written to their temporary file (before the
# rename), "manifest" after the new arrays are in place but before the manifest points
# to them.
SLOW_BUILD = """
import os, sys, time
import index.saved.store as store
stage = os.environ["KILL_STAGE"]
marker = os.environ["KILL_MARKER"]
real_savez, real_replace = store.np.savez, os.replace
def savez(handle, **arrays):
    real_savez(handle, **arrays)
    handle.flush()
    if stage == "npz":
        open(marker, "w").close()
        time.sleep(60)
def replace(src, dst):
    if stage == "manifest" and str(dst).endswith("manifest.json"):
        open(marker, "w").close()
        time.sleep(60)
    real_replace(src, dst)
store.np.savez = savez
store.os.replace = replace
from bot.launcher import main
sys.exit(main(sys.argv[1:]))
"""


def generate_articles(folder: Path, count: int, start: int = 0) -> None:
    words = [f"term{i}" for i in range(3000)]
    for a in range(start, start + count):
        paragraphs = [
            " ".join(
                f"The {words[(a * 31 + p * 7 + s) % 3000]} report {s} names {words[(a + s * 13) % 3000]}."
                for s in range(6)
            )
            for p in range(5)
        ]
        body = "\n\n".join(paragraphs)
        (folder / f"gen_{a:04d}.txt").write_text(f"Generated article {a}\n\n{body}\n", "utf-8")


@pytest.mark.parametrize("stage", ["npz", "manifest"])
def test_fault_reindex_killed_mid_write_leaves_the_old_index_serving(
    stage: str, seeds_copy: Path, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    generate_articles(seeds_copy, 120)
    old = build_corpus(seeds_copy, index_dir=index_dir)
    assert old.saved
    old_manifest = read_manifest(index_dir)
    generate_articles(seeds_copy, 5, start=500)  # the reindex would add these

    marker = tmp_path / "stalled"
    env = {**os.environ, "KILL_STAGE": stage, "KILL_MARKER": str(marker), "PYTHONPATH": str(ROOT)}
    env.pop("DISCORD_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, "index", "build", "--force",
         "--seeds", str(seeds_copy), "--index-dir", str(index_dir)],
        env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the build never reached the write"
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    debris = {p.name for p in index_dir.iterdir()} - {MANIFEST_NAME, old_manifest.index_file}
    assert debris, "killed mid-write: a temporary or orphaned new file is left behind"

    _index, manifest = read_index(index_dir)  # the old index, whole
    assert manifest.index_file == old_manifest.index_file
    assert len(manifest.articles) == len(old_manifest.articles)

    restarted = build_corpus(seeds_copy, index_dir=index_dir)  # what the bot does at start
    assert restarted.index_problem == ""
    assert len(restarted.retokenised) == 5  # only the new articles; the old index was reused
    engine = Engine(restarted.corpus)
    assert engine.ask(QUESTION).citations
    assert find_article(engine.corpus.articles, "Generated article 502") is not None


# -- the seeds folder unreadable during /reindex --------------------------------------------


def break_seeds(seeds: Path, how: str) -> str | None:
    """Break the folder; returns the file name the admin must be told about (if any)."""
    if how == "dangling_symlink":
        (seeds / "moved_away.txt").symlink_to(seeds / "no-such-file.txt")
        return "moved_away.txt"
    if how == "undecodable_only":
        for path in seeds.iterdir():
            path.unlink()
        (seeds / "latin1.txt").write_bytes(
            "Caf\xe9 story\n\nUne caf\xe9 ouvre.\n".encode("latin-1")
        )
        return "latin1.txt"
    if how == "directory_only":
        for path in seeds.iterdir():
            path.unlink()
        (seeds / "article.txt").mkdir()
        return None
    if how == "folder_vanished":
        seeds.rename(seeds.with_name("seeds-gone"))
        return None
    raise AssertionError(how)


@pytest.mark.parametrize(
    "how", ["dangling_symlink", "undecodable_only", "directory_only", "folder_vanished"]
)
async def test_fault_seeds_unreadable_during_reindex_old_index_serves(
    how: str, make_bot: BotFactory, seeds_copy: Path
) -> None:
    h = await make_bot()
    before = h.bot.engine.corpus
    named = break_seeds(seeds_copy, how)

    calls = await h.call("reindex", permissions=MANAGE_GUILD)
    (report,) = [c for c in calls if c.message and c.message.get("embeds")]
    text = report.text().replace("\\", "")  # markdown escapes off
    if named is not None:
        assert named in text
    if how == "dangling_symlink":  # the good article is still there: rebuilt, file reported
        assert "Reindex finished" in text and "Skipped files" in text
        assert [a.id for a in h.bot.engine.corpus.articles] == [a.id for a in before.articles]
    else:
        assert "nothing changed" in text
        assert h.bot.engine.corpus is before
    calls = await h.send(h.message(QUESTION, mention_bot=True))
    assert [c for c in calls if c.message and c.message.get("embeds")]


# -- the database busy, locked or full ----------------------------------------------------


class FailingStore(SQLiteStore):
    """The real store whose question log write fails the way ``failure`` says."""

    failure: BaseException = OSError(errno.ENOSPC, "No space left on device")

    async def log_question(self, entry: QuestionEntry) -> int:
        raise self.failure


@pytest.mark.parametrize(
    "failure",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        sqlite3.OperationalError("database or disk is full"),
        sqlite3.OperationalError("database is locked"),
    ],
    ids=["enospc", "disk_full", "locked"],
)
async def test_fault_log_write_failure_still_sends_the_answer_and_logs(
    failure: BaseException,
    make_bot: BotFactory,
    database: Path,
    all_logs: Capture,
) -> None:
    from bot.storage import UserHasher

    store = FailingStore(database, hasher=UserHasher(b"s" * 32))
    store.failure = failure
    await store.open()
    try:
        h = await make_bot(store=store)
        calls = await h.send(h.message(QUESTION, mention_bot=True))
        (reply,) = [c for c in calls if c.message]
        assert reply.message["embeds"] and not reply.message.get("components")
        calls = await h.call("ask", question=QUESTION)
        assert [c for c in calls if c.message and c.message.get("embeds")]
    finally:
        await store.close()
    logged = [r for r in all_logs.records if r.getMessage() == "could not log a question"]
    assert len(logged) == 2 and all(r.exc_info for r in logged)


async def test_fault_database_locked_by_another_process_answer_still_sent(
    make_bot: BotFactory, database: Path, bot_settings: Any
) -> None:
    """A real exclusive lock held by another connection: the answer waits for it, then is logged."""
    import dataclasses

    from bot.storage import StorageConfig

    settings = dataclasses.replace(
        bot_settings, storage=StorageConfig(database=database, user_salt="x" * 32)
    )
    h = await make_bot(settings)
    holder = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(0.5, holder.execute, ("COMMIT",))
    release.start()
    try:
        started = time.perf_counter()
        calls = await h.send(h.message(QUESTION, mention_bot=True))
        waited = time.perf_counter() - started
    finally:
        release.join()
        holder.close()
    (reply,) = [c for c in calls if c.message]
    assert reply.message["embeds"]
    assert waited >= 0.4  # it really waited for the lock
    assert table_counts(database)["questions"] == 1


# -- Discord answering 429 / 500 / 502 on the reply route ------------------------------------


class FlakyDiscord(FakeDiscord):
    """The fake Discord, failing the next reply requests with the queued statuses."""

    def __init__(self) -> None:
        super().__init__()
        self.failures: list[int] = []
        self.failed: list[tuple[str, int]] = []

    def _fail_next(self, request: web.Request) -> web.Response | None:
        if not self.failures:
            return None
        status = self.failures.pop(0)
        self.failed.append((request.path, status))
        if status == 429:
            body = {"message": "You are being rate limited.", "retry_after": 0.2, "global": False}
            response = _json_response(body, 429)
            response.headers.update(
                {
                    "Via": "1.1 google",
                    "Retry-After": "1",
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset-After": "0.2",
                    "X-RateLimit-Bucket": "fake-bucket",
                    "X-RateLimit-Scope": "user",
                }
            )
            return response
        return _error(status, f"{status}: fake Discord failure")

    async def _post_message(self, request: web.Request) -> web.Response:
        return self._fail_next(request) or await super()._post_message(request)

    async def _followup(self, request: web.Request) -> web.Response:
        return self._fail_next(request) or await super()._followup(request)


@pytest.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """This module's fake Discord can fail replies on demand (overrides the shared fixture)."""
    fake = FlakyDiscord()
    await fake.start()
    try:
        with patch_discord(fake, monkeypatch) as guard:
            yield fake
        assert not guard.blocked and not fake.unknown_routes
    finally:
        await fake.close()


# discord.py waits 1 s before retrying a 5xx; one status per case keeps this quick.
@pytest.mark.parametrize("statuses", [[429], [500], [502]], ids=str)
async def test_fault_discord_errors_on_reply_route_answer_arrives_once(
    statuses: list[int], fake_discord: FakeDiscord, start_fake_bot: StartFakeBot
) -> None:
    assert isinstance(fake_discord, FlakyDiscord)
    await start_fake_bot()

    fake_discord.failures = list(statuses)
    asked = await fake_discord.send_message(QUESTION, mention_bot=True)
    reply = await fake_discord.wait_for_message(timeout=10)
    assert [s for _, s in fake_discord.failed] == statuses
    await asyncio.sleep(0.3)
    replies = [
        p for p in fake_discord.posted
        if p.via == "channel" and (p.message.get("message_reference") or {}).get("message_id") == asked["id"]
    ]  # fmt: skip
    assert replies == [reply]

    fake_discord.failures = list(statuses)
    record = await fake_discord.slash("ask", question=QUESTION)
    await fake_discord.wait_for_interaction_response(record, timeout=10)
    assert len([m for m in record.messages if m.via == "followup"]) == 1


# -- the gateway closing mid-conversation ------------------------------------------------------


async def test_fault_gateway_closes_while_answering_in_flight_answer_once_and_next_answered(
    fake_discord: FakeDiscord, start_fake_bot: StartFakeBot, seeds_copy: Path
) -> None:
    engine = Engine(open_corpus(seeds_copy, folders.index_folder(seeds_copy)))
    entered, release = threading.Event(), threading.Event()
    real_answer = engine.answer

    def slow_answer(question: str, article_id: str | None = None, **options: Any) -> Any:
        if "slow" in question:
            entered.set()
            release.wait(5)
        return real_answer(question, article_id, **options)

    engine.answer = slow_answer  # type: ignore[method-assign]
    await start_fake_bot(engine=engine)
    asked = await fake_discord.send_message(
        "slow: how many troops were sent to Russia?", mention_bot=True
    )
    assert await asyncio.to_thread(entered.wait, 5), "the question never reached the engine"
    await fake_discord.drop_gateway()  # no close frame: a network failure mid-answer
    release.set()
    reply = await fake_discord.wait_for_message(timeout=10)
    assert reply.message["message_reference"]["message_id"] == asked["id"]
    await fake_discord.wait_until(
        lambda: fake_discord.resumed_sent == 1 and fake_discord.connected, 10
    )

    after = len(fake_discord.posted)
    await fake_discord.send_message(QUESTION, author=fake_discord.editor, mention_bot=True)
    await fake_discord.wait_for_message(after=after)
    await asyncio.sleep(0.2)
    answers_to_first = [
        p for p in fake_discord.posted
        if (p.message.get("message_reference") or {}).get("message_id") == asked["id"]
    ]  # fmt: skip
    assert len(answers_to_first) == 1
