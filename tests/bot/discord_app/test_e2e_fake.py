"""The fake Discord itself, driven by a minimal discord.py bot (no articlebot code).

These pin down what the fake guarantees, so a failure in the articlebot e2e
tests points at the bot rather than at the fake.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.bot.fake_discord import EPHEMERAL, FakeDiscord, buttons

pytest_plugins = ["tests.bot.conftest_e2e"]


class VoteView(discord.ui.View):
    @discord.ui.button(label="Yes", custom_id="vote:yes")
    async def yes(
        self, interaction: discord.Interaction, button: discord.ui.Button[VoteView]
    ) -> None:
        await interaction.response.send_message("Thanks!", ephemeral=True)

    @discord.ui.button(label="Close", custom_id="vote:close")
    async def close(
        self, interaction: discord.Interaction, button: discord.ui.Button[VoteView]
    ) -> None:
        await interaction.response.edit_message(content="Closed.", view=None)


class MiniBot(commands.Bot):
    def __init__(self, guild_id: int) -> None:
        intents = discord.Intents.default()
        super().__init__(command_prefix="!", intents=intents, guild_ready_timeout=0.05)
        self.guild = discord.Object(guild_id)

    async def setup_hook(self) -> None:
        @app_commands.command()
        @app_commands.describe(text="what to say back")
        async def echo(interaction: discord.Interaction, text: str) -> None:
            """Say something back."""
            await interaction.response.defer(thinking=True)
            await interaction.followup.send(
                embed=discord.Embed(title=text), allowed_mentions=discord.AllowedMentions.none()
            )

        @app_commands.command()
        async def secret(interaction: discord.Interaction) -> None:
            """Answer only to you."""
            await interaction.response.send_message("psst", ephemeral=True)

        @app_commands.command()
        async def vote(interaction: discord.Interaction) -> None:
            """Post a message with buttons."""
            await interaction.response.send_message("Vote?", view=VoteView())

        self.tree.add_command(vote)
        self.tree.add_command(echo)
        self.tree.add_command(secret)
        self.tree.copy_global_to(guild=self.guild)
        await self.tree.sync(guild=self.guild)

    async def on_message(self, message: discord.Message) -> None:
        if self.user is not None and self.user.mentioned_in(message) and not message.author.bot:
            async with message.channel.typing():
                await message.reply(
                    embed=discord.Embed(title="heard", description=message.content),
                    mention_author=False,
                    allowed_mentions=discord.AllowedMentions.none(),
                )


@pytest.fixture
async def mini_bot(fake_discord: FakeDiscord) -> AsyncIterator[MiniBot]:
    bot = MiniBot(fake_discord.guild_id)
    task = asyncio.create_task(bot.start(fake_discord.token))
    await fake_discord.wait_for_identify()
    async with asyncio.timeout(5):
        await bot.wait_until_ready()
    yield bot
    await bot.close()
    await task


async def test_e2e_fake_login_identify_and_sync(
    fake_discord: FakeDiscord, mini_bot: MiniBot
) -> None:
    assert mini_bot.user is not None and mini_bot.user.id == fake_discord.bot_user.id
    guild = mini_bot.get_guild(fake_discord.guild_id)
    assert guild is not None and guild.get_channel(fake_discord.channel_id) is not None
    assert guild.me is not None and guild.get_member(fake_discord.admin.id) is None
    assert fake_discord.gateway_queries[0]["encoding"] == "json"
    assert {c["name"] for c in fake_discord.commands[fake_discord.guild_id]} == {
        "echo",
        "secret",
        "vote",
    }


async def test_e2e_fake_mention_reply(fake_discord: FakeDiscord, mini_bot: MiniBot) -> None:
    sent = await fake_discord.send_message("hello @everyone **bold**", mention_bot=True)
    reply = await fake_discord.wait_for_message(fake_discord.channel_id)
    assert reply.message["message_reference"]["message_id"] == sent["id"]
    assert "hello @everyone" in reply.text()
    assert reply.pings == set()
    assert fake_discord.typing


async def test_e2e_fake_slash_and_resume(fake_discord: FakeDiscord, mini_bot: MiniBot) -> None:
    record = await fake_discord.slash("echo", text="hi there")
    await fake_discord.wait_for_interaction_response(record)
    assert record.deferred
    assert record.final_message().embeds[0]["title"] == "hi there"

    secret = await fake_discord.wait_for_interaction_response(await fake_discord.slash("secret"))
    assert secret.final_message().ephemeral
    assert secret.final_message().message["flags"] & EPHEMERAL

    await fake_discord.close_gateway(4000)
    await fake_discord.wait_until(lambda: fake_discord.resumed_sent == 1)
    record = await fake_discord.slash("echo", text="again")
    await fake_discord.wait_for_interaction_response(record)
    assert fake_discord.ready_sent == 1


async def test_e2e_fake_buttons_click_reply_and_update(
    fake_discord: FakeDiscord, mini_bot: MiniBot
) -> None:
    poll = await fake_discord.wait_for_interaction_response(await fake_discord.slash("vote"))
    message = poll.final_message()
    assert message is not None
    assert [b["label"] for b in buttons(message.message)] == ["Yes", "Close"]

    thanks = await fake_discord.wait_for_interaction_response(
        await fake_discord.click(message, "Yes")
    )
    assert thanks.final_message().content == "Thanks!" and thanks.final_message().ephemeral

    closed = await fake_discord.wait_for_interaction_response(
        await fake_discord.click(message, "Close")
    )
    assert closed.callback_type == 7
    assert fake_discord.messages[int(message.message["id"])]["content"] == "Closed."
    assert buttons(fake_discord.messages[int(message.message["id"])]) == []


async def test_e2e_fake_serves_an_auto_sharded_bot(fake_discord: FakeDiscord) -> None:
    bot = commands.AutoShardedBot(
        command_prefix="!", intents=discord.Intents.default(), guild_ready_timeout=0.05
    )
    task = asyncio.create_task(bot.start(fake_discord.token))
    try:
        await fake_discord.wait_for_identify()
        async with asyncio.timeout(5):
            await bot.wait_until_ready()
        assert fake_discord.requests_to("GET /api/v{version}/gateway/bot")
        assert fake_discord.identifies[0]["shard"] == [0, 1]
        assert bot.get_guild(fake_discord.guild_id) is not None
    finally:
        await bot.close()
        await task
