"""The fake Discord's shards, driven by plain discord.py clients (no articlebot code).

These pin down the routing the two-process test in ``test_shard_e2e.py``
relies on: guilds spread over shards by ``(guild_id >> 22) % shard_count``,
IDENTIFY checked against the shard count, READY/GUILD_CREATE and every
guild event only on the connection of the guild's shard.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.bot.fake_discord import FakeDiscord, patch_discord, shard_for

SHARDS = 4
GUILDS = 8


class ShardClient(commands.AutoShardedBot):
    """A minimal sharded client recording which guilds' events reached it."""

    def __init__(self, shard_ids: list[int]) -> None:
        super().__init__(
            command_prefix="!",
            intents=discord.Intents.default(),
            shard_count=SHARDS,
            shard_ids=shard_ids,
            guild_ready_timeout=0.05,
        )
        self.seen: list[tuple[str, int | None]] = []

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """No 5-second gap between shards: the fake has no identify rate limit."""

    async def setup_hook(self) -> None:
        @app_commands.command()
        async def ping(interaction: discord.Interaction) -> None:
            """Answer pong."""
            self.seen.append(("interaction", interaction.guild_id))
            await interaction.response.send_message(f"pong from shard {interaction.guild.shard_id}")  # type: ignore[union-attr]

        self.tree.add_command(ping)
        await self.tree.sync()

    async def on_message(self, message: discord.Message) -> None:
        self.seen.append(("message", message.guild.id if message.guild else None))


async def eventually(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait for state the fake is not told about (a client's own records)."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.01)


@pytest.fixture
async def sharded_fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    fake = FakeDiscord(shard_count=SHARDS, guild_count=GUILDS)
    await fake.start()
    try:
        with patch_discord(fake, monkeypatch) as guard:
            yield fake
        assert not guard.blocked
        assert not fake.unknown_routes
    finally:
        await fake.close()


@pytest.fixture
async def two_clients(sharded_fake: FakeDiscord) -> AsyncIterator[tuple[ShardClient, ShardClient]]:
    """Two clients splitting the four shards, like two bot processes."""
    clients = (ShardClient([0, 1]), ShardClient([2, 3]))
    tasks = [asyncio.create_task(c.start(sharded_fake.token)) for c in clients]
    try:
        await sharded_fake.wait_for_shards(range(SHARDS))
        async with asyncio.timeout(5):
            for client in clients:
                await client.wait_until_ready()
        yield clients
    finally:
        for client in clients:
            await client.close()
        await asyncio.gather(*tasks, return_exceptions=True)


def test_shard_fake_spreads_guilds_over_shards() -> None:
    fake = FakeDiscord(shard_count=SHARDS, guild_count=GUILDS)
    assert [shard_for(g.id, SHARDS) for g in fake.guilds] == [i % SHARDS for i in range(GUILDS)]
    assert all(len(fake.guilds_on_shard(s)) == GUILDS // SHARDS for s in range(SHARDS))
    assert len({c for g in fake.guilds for c in g.channel_ids}) == 3 * GUILDS
    assert fake.guild_id == fake.guilds[0].id and fake.channel_id == fake.guilds[0].channel_id


async def test_shard_fake_gateway_bot_recommends_its_shard_count(sharded_fake: FakeDiscord) -> None:
    headers = {"Authorization": f"Bot {sharded_fake.token}"}
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{sharded_fake.api_base}/gateway/bot", headers=headers) as response,
    ):
        body = await response.json()
    assert body["shards"] == SHARDS
    assert body["url"] == sharded_fake.gateway_url


async def identify_and_close_code(fake: FakeDiscord, shard: list[int] | None) -> int | None:
    """IDENTIFY over a raw websocket; the close code the fake answers with (None: READY)."""
    data: dict[str, object] = {"token": fake.token, "intents": 1, "properties": {}}
    if shard is not None:
        data["shard"] = shard
    async with aiohttp.ClientSession() as session, session.ws_connect(fake.gateway_url) as ws:
        hello = await ws.receive_json(timeout=5)
        assert hello["op"] == 10
        await ws.send_json({"op": 2, "d": data})
        message = await ws.receive(timeout=5)
        if message.type is aiohttp.WSMsgType.TEXT:
            assert message.json()["t"] == "READY"
            return None
        return ws.close_code


@pytest.mark.parametrize(
    ("shard", "code"),
    [
        (None, 4011),  # a sharded bot must say which shard
        ([0, 2], 4011),  # too few shards for the guilds
        ([0, 8], 4010),  # a count the fake does not route by
        ([4, 4], 4010),  # a shard id out of range
        ([3, 4], None),
    ],
)
async def test_shard_fake_identify_checks_the_shard(
    sharded_fake: FakeDiscord, shard: list[int] | None, code: int | None
) -> None:
    assert await identify_and_close_code(sharded_fake, shard) == code


async def test_shard_fake_ready_and_guild_create_only_for_the_shards_guilds(
    sharded_fake: FakeDiscord, two_clients: tuple[ShardClient, ShardClient]
) -> None:
    low, high = two_clients
    assert {g.id for g in low.guilds} == {
        g.id for g in sharded_fake.guilds if shard_for(g.id, SHARDS) in (0, 1)
    }
    assert {g.id for g in high.guilds} == {
        g.id for g in sharded_fake.guilds if shard_for(g.id, SHARDS) in (2, 3)
    }
    assert sorted(i["shard"][0] for i in sharded_fake.identifies) == [0, 1, 2, 3]
    for guild in sharded_fake.guilds:
        created = sharded_fake.events_for(guild.id, "GUILD_CREATE")
        assert [d.shard_id for d in created] == [shard_for(guild.id, SHARDS)]
    ready_guilds = {
        d.shard_id for d in sharded_fake.dispatches if d.event == "READY" and d.guild_id is None
    }
    assert ready_guilds == {0, 1, 2, 3}


async def test_shard_fake_routes_messages_and_interactions_to_the_guilds_shard(
    sharded_fake: FakeDiscord, two_clients: tuple[ShardClient, ShardClient]
) -> None:
    for guild in sharded_fake.guilds:
        await sharded_fake.send_message("hello", channel_id=guild.channel_id)
        record = await sharded_fake.slash("ping", channel_id=guild.channel_id)
        answer = await sharded_fake.wait_for_interaction_response(record)
        shard = shard_for(guild.id, SHARDS)
        assert answer.final_message().content == f"pong from shard {shard}"  # type: ignore[union-attr]
        owner, other = two_clients if shard in (0, 1) else reversed(two_clients)
        await eventually(lambda g=guild, o=owner: ("message", g.id) in o.seen)
        assert owner.seen.count(("message", guild.id)) == 1
        assert owner.seen.count(("interaction", guild.id)) == 1
        assert not [s for s in other.seen if s[1] == guild.id]
        events = sharded_fake.events_for(guild.id)
        assert {d.shard_id for d in events} == {shard}
        assert {d.event for d in events} == {"GUILD_CREATE", "MESSAGE_CREATE", "INTERACTION_CREATE"}


async def test_shard_fake_resumes_one_shard_and_replays_its_events(
    sharded_fake: FakeDiscord, two_clients: tuple[ShardClient, ShardClient]
) -> None:
    _, high = two_clients
    guild = sharded_fake.guilds_on_shard(2)[0]
    await sharded_fake.drop_gateway(shard_id=2)
    assert 2 not in sharded_fake.connected_shards and 3 in sharded_fake.connected_shards
    await sharded_fake.send_message("while away", channel_id=guild.channel_id)  # queued
    await sharded_fake.wait_until(lambda: sharded_fake.resumed_sent == 1, timeout=10)
    await eventually(lambda: ("message", guild.id) in high.seen)
    assert sharded_fake.resumes[0]["session_id"] != sharded_fake.session_id  # shard 2's, not 0's
    assert sharded_fake.ready_sent == SHARDS  # resumed, not identified again


@pytest.fixture
def labelled_ports(sharded_fake: FakeDiscord) -> Iterator[list[int]]:
    ports: list[int] = []

    def label(port: int) -> str:
        ports.append(port)
        return "client-under-test"

    sharded_fake.identify_peer = label
    yield ports
    sharded_fake.identify_peer = None


async def test_shard_fake_names_who_sent_each_request(
    sharded_fake: FakeDiscord,
    labelled_ports: list[int],
    two_clients: tuple[ShardClient, ShardClient],
) -> None:
    assert set(sharded_fake.connected_shards.values()) == {"client-under-test"}
    record = await sharded_fake.slash(
        "ping", channel_id=sharded_fake.guilds_on_shard(3)[0].channel_id
    )
    answer = await sharded_fake.wait_for_interaction_response(record)
    assert answer.final_message().peer == "client-under-test"  # type: ignore[union-attr]
    assert all(r.peer == "client-under-test" for r in sharded_fake.requests)
    assert labelled_ports and all(port > 0 for port in labelled_ports)
