"""Two articlebot processes, two shards each, one PostgreSQL, against the local fake Discord.

The deployment docs/operations.md ("Scaling out") describes, run for real:
the fake serves eight guilds over four shards; process A runs the shipped
entry point with ``ARTICLEBOT_SHARD_IDS=0,1`` and process B with ``2,3``,
both ``ARTICLEBOT_SHARD_COUNT=4`` and the same ``ARTICLEBOT_DATABASE_URL`` on
the test suite's private PostgreSQL. The fake names the process behind every
connection (its TCP source port, looked up in ``/proc``), so "answered by the
process owning the shard" is checked, not assumed.

The server, the fake and both processes start once for the module; the tests
share them and each checks only what it caused, so their order does not
matter except that the PostgreSQL restart runs last.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
import pytest
import pytest_asyncio

from tests.bot.fake_discord import FakeDiscord, FakeGuild, InteractionRecord, PostedMessage
from tests.conftest import ROOT, SEEDS
from tests.pg_server import PostgresServer

pytestmark = pytest.mark.asyncio(loop_scope="module")

SHARDS = 4
GUILDS = 8  # two per shard
PROCESSES = {"A": (0, 1), "B": (2, 3)}
SALT = "shard-e2e-salt-shared-by-every-process"
STARTUP_TIMEOUT_S = 60.0  # two interpreters, two index builds, a 5 s gap between shards
ANSWER_TIMEOUT_S = 15.0
PROPAGATION_LIMIT_S = 2.0
TROOPS = "how many troops were sent to Russia?"
VISITORS = "how many visitors did the harbour lantern festival draw?"
NEW_ARTICLE_TITLE = "Harbour Lantern Festival Draws Record Crowds"
NEW_ARTICLE = f"""{NEW_ARTICLE_TITLE}

The harbour lantern festival in Port Alder drew a record crowd of 48,000 visitors on Saturday \
night, organisers said.

Volunteers lit 1,200 paper lanterns along the sea wall before the fireworks began at nine \
o'clock. The mayor, Ines Varga, opened the festival with a speech about the town's fishing history.

Organisers said next year's festival will move to the new marina because the old pier needs \
repairs.
"""
TUNNEL = "how long is the Glacier Pass tunnel?"
TUNNEL_TITLE = "Glacier Rail Line Carries First Passengers Through New Tunnel"
TUNNEL_ARTICLE = f"""{TUNNEL_TITLE}

The first passenger train ran through the new Glacier Pass tunnel on Monday, carrying 340 \
passengers from Brenner Falls to the coast.

The Glacier Pass tunnel is 14 kilometres long and took six years to build.
"""
FIGURES: dict[str, float] = {}  # measured here, printed at the end of the module


# -- which process is behind a TCP port ---------------------------------------------------


def _inode_of_loopback_connection(port: int, server_port: int) -> int | None:
    """The socket inode of the live connection 127.0.0.1:``port`` -> 127.0.0.1:``server_port``.

    Matching the local port alone was flaky: the kernel reuses an ephemeral port
    for connections to other destinations (PostgreSQL), and a closed one lingers
    in TIME_WAIT with inode 0, so the first row with that port was not always
    the gateway connection.
    """
    local, remote = f"0100007F:{port:04X}", f"0100007F:{server_port:04X}"
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[1] == local and fields[2] == remote and fields[9] != "0":
            return int(fields[9])
    return None


def socket_owner(port: int, server_port: int, pids: dict[int, str]) -> str | None:
    """Which of ``pids`` (pid -> name) holds the client socket on ``port`` to ``server_port``."""
    inode = _inode_of_loopback_connection(port, server_port)
    if inode is None:
        return None
    target = f"socket:[{inode}]"
    for pid, name in pids.items():
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) == target:
                        return name
    return None


# -- the processes ----------------------------------------------------------------------


@dataclass
class BotProcess:
    name: str
    shard_ids: tuple[int, ...]
    seeds: Path
    log_path: Path
    popen: subprocess.Popen[bytes]

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return f"--- process {self.name} log (last {lines} lines) ---\n" + "\n".join(
            text.splitlines()[-lines:]
        )

    def stop(self) -> None:
        """Ctrl-C, as an operator would; killed if it does not exit in time."""
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGINT)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)


@dataclass
class Cluster:
    fake: FakeDiscord
    pg: PostgresServer
    database_url: str
    processes: dict[str, BotProcess] = field(default_factory=dict)

    def owner_of(self, guild: FakeGuild) -> BotProcess:
        shard = self.fake.shard_of(guild.id)
        return next(p for p in self.processes.values() if shard in p.shard_ids)

    def guilds_of(self, name: str) -> list[FakeGuild]:
        return [g for g in self.fake.guilds if self.owner_of(g).name == name]

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read the shared database directly (blocking: call through ``asyncio.to_thread``)."""
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()  # type: ignore[arg-type]

    def failures(self) -> str:
        return "\n".join(p.log_tail() for p in self.processes.values())


def bot_environment(cluster: Cluster, shard_ids: tuple[int, ...], home: Path) -> dict[str, str]:
    """The shipped settings for one process of the deployment; no test-only switches."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARTICLEBOT_", "DISCORD_"))}
    env.update(
        {
            "FAKE_DISCORD_URL": cluster.fake.base_url,  # read by tests/scale/bot_process.py only
            "DISCORD_TOKEN": cluster.fake.token,
            "ARTICLEBOT_SEEDS": str(home / "seeds"),
            "ARTICLEBOT_DATABASE_URL": cluster.database_url,
            "ARTICLEBOT_STATE_DIR": str(home / "state"),
            "ARTICLEBOT_SHARD_COUNT": str(SHARDS),
            "ARTICLEBOT_SHARD_IDS": ",".join(map(str, shard_ids)),
            "ARTICLEBOT_USER_SALT": SALT,  # every process must hash users alike
            "ARTICLEBOT_COOLDOWN_QUESTIONS": "1000",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def start_process(cluster: Cluster, name: str, home: Path) -> BotProcess:
    home.mkdir(parents=True)
    seeds = home / "seeds"
    seeds.mkdir()
    for path in SEEDS.iterdir():
        (seeds / path.name).write_bytes(path.read_bytes())
    log_path = home / "bot.log"
    with log_path.open("wb") as log:
        popen = subprocess.Popen(
            [sys.executable, "-m", "tests.scale.bot_process"],
            cwd=home,  # no stray .env; relative data/ paths land here
            env=bot_environment(cluster, PROCESSES[name], home),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return BotProcess(name, PROCESSES[name], seeds, log_path, popen)


async def wait_for_cluster(cluster: Cluster) -> None:
    """Until all four shards are identified, failing at once if a process dies."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while True:
        try:
            await cluster.fake.wait_for_shards(range(SHARDS), timeout=0.5)
            return
        except AssertionError:
            pass
        dead = [p.name for p in cluster.processes.values() if p.popen.poll() is not None]
        if dead or time.monotonic() > deadline:
            pytest.fail(
                f"bot processes {dead or 'alive'} did not connect all shards "
                f"(connected: {cluster.fake.connected_shards})\n{cluster.failures()}"
            )


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cluster(
    pg_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Cluster]:
    fake = FakeDiscord(shard_count=SHARDS, guild_count=GUILDS)
    await fake.start()
    if not pg_server.running:
        pg_server.start()
    cluster = Cluster(fake, pg_server, pg_server.create_database("shards"))
    pids: dict[int, str] = {}
    fake.identify_peer = lambda port: socket_owner(port, fake.port, pids)
    root = tmp_path_factory.mktemp("shard-e2e")
    try:
        for name in PROCESSES:
            process = start_process(cluster, name, root / name)
            cluster.processes[name] = process
            pids[process.popen.pid] = name
        await wait_for_cluster(cluster)
        yield cluster
        unknown = [f"{r.method} {r.path}" for r in fake.unknown_routes]
        assert not unknown, f"the bots called routes the fake does not know: {unknown}"
    finally:
        for process in cluster.processes.values():
            await asyncio.to_thread(process.stop)
        await fake.close()
        for line in (f"{key}: {value:.3f}" for key, value in sorted(FIGURES.items())):
            print(f"shard e2e figure {line}")


# -- helpers ---------------------------------------------------------------------------


def reply_to(message: dict[str, Any]) -> Callable[[PostedMessage], bool]:
    return lambda posted: (
        (posted.message.get("message_reference") or {}).get("message_id") == message["id"]
    )


async def ask(cluster: Cluster, guild: FakeGuild, question: str = TROOPS) -> PostedMessage:
    """Mention the bot with ``question`` in ``guild``; its one reply."""
    fake = cluster.fake
    sent = await fake.send_message(question, channel_id=guild.channel_id, mention_bot=True)
    try:
        return await fake.wait_for_message(
            guild.channel_id, ANSWER_TIMEOUT_S, predicate=reply_to(sent)
        )
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{cluster.failures()}") from None


async def answered(
    cluster: Cluster, record: InteractionRecord, timeout: float = ANSWER_TIMEOUT_S
) -> PostedMessage:
    """The message an interaction ended with."""
    try:
        await cluster.fake.wait_for_interaction_response(record, timeout)
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{cluster.failures()}") from None
    message = record.final_message()
    assert message is not None
    return message


async def vote(cluster: Cluster, answer: PostedMessage, label: str, **kwargs: Any) -> str:
    return (await answered(cluster, await cluster.fake.click(answer, label, **kwargs))).text()


async def eventually(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll ``check`` (a blocking call, run in a thread) until it returns something true."""
    deadline = time.monotonic() + timeout
    while True:
        result = await asyncio.to_thread(check)
        if result or time.monotonic() > deadline:
            return result
        await asyncio.sleep(0.05)


def answer_id(answer: PostedMessage) -> int:
    custom_ids = [
        item["custom_id"]
        for row in answer.message.get("components") or []
        for item in row.get("components") or []
    ]
    found = next(int(m[1]) for c in custom_ids if (m := re.search(r":(\d+)$", c)))
    return found


def total_votes(cluster: Cluster) -> int:
    return int(cluster.query("SELECT COUNT(*) FROM votes")[0][0])


async def stats_text(cluster: Cluster, guild: FakeGuild) -> str:
    record = await cluster.fake.slash(
        "stats", user=cluster.fake.owner, channel_id=guild.channel_id, all_servers=True
    )
    return (await answered(cluster, record)).text()


# -- the tests -------------------------------------------------------------------------------


async def test_shard_each_process_identified_its_own_shards(cluster: Cluster) -> None:
    assert cluster.fake.connected_shards == {0: "A", 1: "A", 2: "B", 3: "B"}
    assert cluster.fake.requests_to("PUT /api/v{version}/applications/{app_id}/commands")
    versions = await asyncio.to_thread(cluster.query, "SELECT id FROM index_versions")
    assert len(versions) >= 1  # the first process published the seeds; the other loaded them


async def test_shard_question_in_every_guild_answered_once_by_the_owning_process(
    cluster: Cluster,
) -> None:
    fake = cluster.fake
    sent = {
        g.id: await fake.send_message(TROOPS, channel_id=g.channel_id, mention_bot=True)
        for g in fake.guilds
    }
    slashes = {
        g.id: await fake.slash("ask", channel_id=g.news_channel_id, question=TROOPS)
        for g in fake.guilds
    }
    for guild in fake.guilds:
        owner = cluster.owner_of(guild)
        shard = fake.shard_of(guild.id)
        reply = await fake.wait_for_message(
            guild.channel_id, ANSWER_TIMEOUT_S, predicate=reply_to(sent[guild.id])
        )
        slash = await answered(cluster, slashes[guild.id])
        assert "3,000" in reply.text() and "3,000" in slash.text()
        assert (reply.peer, slash.peer) == (owner.name, owner.name), guild
        for event in ("MESSAGE_CREATE", "INTERACTION_CREATE"):
            assert {d.shard_id for d in fake.events_for(guild.id, event)} == {shard}
    for guild in fake.guilds:
        replies = [p for p in fake.posted if reply_to(sent[guild.id])(p)]
        assert len(replies) == 1, f"guild {guild.name} got {len(replies)} replies"
        assert len(slashes[guild.id].callbacks) == 1  # one process acknowledged the /ask


async def test_shard_reindex_in_one_process_reaches_the_other_within_2_seconds(
    cluster: Cluster,
) -> None:
    fake = cluster.fake
    a, b = cluster.processes["A"], cluster.processes["B"]
    guild_a, guild_b = cluster.guilds_of("A")[0], cluster.guilds_of("B")[0]
    assert "48,000" not in (await ask(cluster, guild_b, VISITORS)).text()
    (a.seeds / "harbour-lanterns.txt").write_text(NEW_ARTICLE)  # only A's folder has it

    record = await fake.slash("reindex", user=fake.admin, channel_id=guild_a.channel_id)
    report = await answered(cluster, record, timeout=30)
    assert "Reindex finished" in report.text() and report.peer == "A"
    published_at = next(
        r.at for r in fake.requests if r.method == "POST" and record.token in r.path
    )

    while True:
        listing = await fake.slash("articles", channel_id=guild_b.channel_id)
        shown = await answered(cluster, listing)
        seen_at = next(r.at for r in fake.requests if listing.token in r.path)
        if NEW_ARTICLE_TITLE in shown.text():
            break
        assert seen_at - published_at < PROPAGATION_LIMIT_S, cluster.failures()
    assert shown.peer == "B"
    FIGURES["reindex propagation A -> B (s)"] = seen_at - published_at
    assert seen_at - published_at < PROPAGATION_LIMIT_S

    answer = await ask(cluster, guild_b, VISITORS)
    assert "48,000" in answer.text() and answer.peer == "B"
    assert not (b.seeds / "harbour-lanterns.txt").exists()  # B has it from PostgreSQL


async def test_shard_votes_from_both_processes_appear_in_one_stats(cluster: Cluster) -> None:
    fake = cluster.fake
    answers = [await ask(cluster, cluster.guilds_of(name)[-1]) for name in PROCESSES]
    for answer in answers:
        assert "Thanks: marked helpful" in await vote(cluster, answer, "Helpful")
        assert "marked not helpful" in await vote(cluster, answer, "Not helpful", user=fake.editor)
    ids = [answer_id(a) for a in answers]
    rows = await asyncio.to_thread(
        cluster.query,
        "SELECT q.guild_id, COUNT(v.*) FROM questions q JOIN votes v ON v.question_id = q.id"
        " WHERE q.id = ANY(%s) GROUP BY q.guild_id",
        ids,
    )
    by_guild = dict(rows)
    assert {cluster.owner_of(fake.guild(g)).name for g in by_guild} == {"A", "B"}
    assert sorted(by_guild.values()) == [2, 2]

    votes = await asyncio.to_thread(total_votes, cluster)
    for guild in (cluster.guilds_of("A")[0], cluster.guilds_of("B")[0]):  # either process
        text = await stats_text(cluster, guild)
        assert "every server" in text and f"of {votes:,} votes" in text
    refused = await fake.slash(
        "stats", user=fake.admin, channel_id=cluster.guilds_of("A")[0].channel_id, all_servers=True
    )
    assert "owner" in (await answered(cluster, refused)).text()


async def test_shard_second_reindex_refused_across_processes(cluster: Cluster) -> None:
    """A's reindex is held inside its publishing transaction (a table lock taken here), so it
    is certainly running when B is asked to reindex: no timing involved."""
    fake = cluster.fake
    guild_a, guild_b = cluster.guilds_of("A")[0], cluster.guilds_of("B")[0]
    blocker = await asyncio.to_thread(psycopg.connect, cluster.database_url)
    try:
        await asyncio.to_thread(blocker.execute, "LOCK TABLE index_in_force IN EXCLUSIVE MODE")
        first = await fake.slash("reindex", user=fake.admin, channel_id=guild_a.channel_id)
        waiting = await eventually(
            lambda: cluster.query(
                "SELECT COUNT(*) FROM pg_locks WHERE NOT granted"
                " AND relation = 'index_in_force'::regclass"
            )[0][0]
        )
        assert waiting, f"A's reindex never reached its publishing step\n{cluster.failures()}"

        second = await fake.slash("reindex", user=fake.admin, channel_id=guild_b.channel_id)
        refused = await answered(cluster, second)
        assert "already running" in refused.text() and refused.peer == "B"
        again = await answered(
            cluster, await fake.slash("reindex", user=fake.admin, channel_id=guild_a.channel_id)
        )
        assert "already running" in again.text() and again.peer == "A"
        assert refused.ephemeral and again.ephemeral  # refused alike, in or out of process
        assert first.final_message() is None  # still running
    finally:
        await asyncio.to_thread(blocker.rollback)
        await asyncio.to_thread(blocker.close)
    report = await answered(cluster, first, timeout=30)
    assert "Reindex finished" in report.text() and report.peer == "A"


async def test_shard_article_added_in_one_process_is_answered_by_the_other(
    cluster: Cluster,
) -> None:
    fake = cluster.fake
    guild_a, guild_b = cluster.guilds_of("A")[0], cluster.guilds_of("B")[0]
    assert "14 kilometres" not in (await ask(cluster, guild_b, TUNNEL)).text()
    upload = fake.upload("glacier-tunnel.txt", TUNNEL_ARTICLE.encode())
    record = await fake.slash(
        "article add", user=fake.admin, channel_id=guild_a.channel_id, file=upload
    )
    added = await answered(cluster, record, timeout=30)
    assert f"Added “{TUNNEL_TITLE}”" in added.text() and added.peer == "A"
    added_at = time.monotonic()
    while True:
        listing = await fake.slash("articles", channel_id=guild_b.channel_id)
        shown = await answered(cluster, listing)
        if TUNNEL_TITLE in shown.text():
            break
        assert time.monotonic() - added_at < 10, cluster.failures()
    FIGURES["article add A -> served by B (s)"] = time.monotonic() - added_at
    assert shown.peer == "B"
    answer = await ask(cluster, guild_b, TUNNEL)
    assert "14 kilometres" in answer.text() and answer.peer == "B"
    rows = await asyncio.to_thread(
        cluster.query, "SELECT origin, action, title FROM article_events"
    )
    assert ("discord", "add", TUNNEL_TITLE) in rows


async def test_postgres_restart_mid_run_answers_again_and_loses_no_vote(cluster: Cluster) -> None:
    fake = cluster.fake
    guild_a, guild_b = cluster.guilds_of("A")[1], cluster.guilds_of("B")[1]
    before = {name: await ask(cluster, guild) for name, guild in (("A", guild_a), ("B", guild_b))}
    for answer in before.values():
        assert "Thanks" in await vote(cluster, answer, "Helpful")
    votes_before = await asyncio.to_thread(total_votes, cluster)

    started = time.monotonic()
    await asyncio.to_thread(cluster.pg.stop)
    try:
        click = await fake.click(before["B"], "Helpful", user=fake.editor)
        await fake.wait_until(lambda: click.deferred, timeout=10)  # acknowledged, still storing
        question = await fake.send_message(TROOPS, channel_id=guild_a.channel_id, mention_bot=True)
        slash = await fake.slash("ask", channel_id=guild_b.news_channel_id, question=TROOPS)
        await fake.wait_until(lambda: slash.deferred, timeout=10)  # in time, database or not
    finally:
        await asyncio.to_thread(cluster.pg.start)  # same port, same data folder
    back = time.monotonic()
    FIGURES["postgres down (s)"] = back - started

    assert "Thanks: marked helpful" in (await answered(cluster, click, timeout=40)).text()
    during = await fake.wait_for_message(guild_a.channel_id, 40, predicate=reply_to(question))
    FIGURES["question held over the outage, answered after restart (s)"] = time.monotonic() - back
    assert "3,000" in during.text() and during.peer == "A"
    slashed = await answered(cluster, slash, timeout=40)
    assert "3,000" in slashed.text() and slashed.peer == "B" and not slash.late
    for name, guild in (("A", guild_a), ("B", guild_b)):
        after = await ask(cluster, guild)
        assert "3,000" in after.text() and after.peer == name
        assert "Thanks" in await vote(cluster, after, "Helpful")
    votes_after = await asyncio.to_thread(total_votes, cluster)
    assert votes_after == votes_before + 3  # the one cast during the outage included
    assert f"of {votes_after:,} votes" in await stats_text(cluster, guild_b)
