"""Bot fixtures: the real ArticleBot with Discord's HTTP transport replaced by a recorder.

discord.py sends every REST call (bot API, interaction callbacks, follow-up
webhooks) through one ``aiohttp.ClientSession``. The recorder stands in for
that session: it answers the few routes the bot uses with Discord-shaped
payloads and keeps every call. Events come in through the connection
state's gateway parsers (``GUILD_CREATE``, ``MESSAGE_CREATE``,
``INTERACTION_CREATE``) exactly as the websocket would feed them, so the
real command tree, checks, cooldowns and error handlers all run.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest

from bot.config import Settings
from bot.discord_app.client import ArticleBot
from bot.discord_app.runner import create_bot
from index import build_corpus
from index.engine import Engine

TOKEN = "fake-token-for-tests"
BOT_ID = 900_000_000_000_000_001
GUILD_ID = 800_000_000_000_000_001
CHANNEL_ID = 700_000_000_000_000_001
ANSWER_CHANNEL_ID = 700_000_000_000_000_002
ADMIN_ROLE_ID = 600_000_000_000_000_001
BOT_ROLE_ID = 600_000_000_000_000_002
ADMIN_ROLE_NAME = "Article admins"
OWNER_ID = 500_000_000_000_000_001
MEMBER_ID = 500_000_000_000_000_002
ROLE_ADMIN_ID = 500_000_000_000_000_003
MANAGE_GUILD = discord.Permissions(manage_guild=True, send_messages=True).value
PLAIN = discord.Permissions(send_messages=True, use_application_commands=True).value

_ids = itertools.count(100_000_000_000_000_000)


def snowflake() -> str:
    return str(next(_ids))


def now() -> str:
    return datetime.now(UTC).isoformat()


def user_payload(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
    }


def member_payload(user_id: int, name: str, roles: tuple[int, ...] = ()) -> dict[str, Any]:
    return {
        "user": user_payload(user_id, name),
        "roles": [str(r) for r in roles],
        "joined_at": now(),
        "deaf": False,
        "mute": False,
        "flags": 0,
    }


def role_payload(role_id: int, name: str, permissions: int = 0, **extra: Any) -> dict[str, Any]:
    return {
        "id": str(role_id),
        "name": name,
        "color": 0,
        "hoist": False,
        "position": 1,
        "permissions": str(permissions),
        "managed": False,
        "mentionable": True,
        "flags": 0,
        **extra,
    }


def guild_payload() -> dict[str, Any]:
    channel = {"type": 0, "position": 0, "permission_overwrites": [], "guild_id": str(GUILD_ID)}
    return {
        "id": str(GUILD_ID),
        "name": "News room",
        "owner_id": str(OWNER_ID),
        "unavailable": False,
        "member_count": 4,
        "roles": [
            role_payload(GUILD_ID, "@everyone", PLAIN),
            role_payload(ADMIN_ROLE_ID, ADMIN_ROLE_NAME),
            role_payload(BOT_ROLE_ID, "articlebot", tags={"bot_id": str(BOT_ID)}, managed=True),
        ],
        "channels": [
            {**channel, "id": str(CHANNEL_ID), "name": "general"},
            {**channel, "id": str(ANSWER_CHANNEL_ID), "name": "ask-the-news", "position": 1},
        ],
        "members": [member_payload(BOT_ID, "articlebot", (BOT_ROLE_ID,))],
        "emojis": [],
        "stickers": [],
        "features": [],
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "premium_tier": 0,
        "nsfw_level": 0,
        "preferred_locale": "en-US",
        "system_channel_flags": 0,
    }


@dataclass
class Call:
    """One HTTP request the bot made."""

    method: str
    path: str
    body: Any

    @property
    def message(self) -> dict[str, Any] | None:
        """The message this call sends, whatever the route (callback, follow-up, channel)."""
        if not isinstance(self.body, dict):
            return None
        if self.path.endswith("/callback"):
            data = self.body.get("data")
            return data if isinstance(data, dict) and self.body.get("type") in (4, 7) else None
        if self.method == "POST" and (
            re.fullmatch(r"/webhooks/\d+/[^/]+", self.path)
            or re.fullmatch(r"/channels/\d+/messages", self.path)
        ):
            return dict(self.body)
        if self.method == "PATCH" and "/messages/" in self.path:
            return dict(self.body)
        return None

    @property
    def ephemeral(self) -> bool:
        message = self.message or {}
        return bool(int(message.get("flags", 0) or 0) & 64)

    def text(self) -> str:
        """Content plus every embed's visible text, for loose assertions."""
        message = self.message or {}
        parts = [message.get("content") or ""]
        for embed in message.get("embeds") or []:
            parts += [embed.get("title", ""), embed.get("description", "")]
            parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields", [])]
            parts.append((embed.get("footer") or {}).get("text", ""))
        return "\n".join(p for p in parts if p)


class FakeResponse:
    def __init__(self, status: int, payload: Any) -> None:
        self.status = status
        self.reason = "OK" if status < 400 else "Error"
        self._text = "" if payload is None else json.dumps(payload)
        self.headers = {"content-type": "application/json"} if payload is not None else {}

    async def text(self, encoding: str = "utf-8") -> str:
        return self._text

    async def __aenter__(self) -> FakeResponse:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class DiscordRecorder:
    """Stands in for the ``aiohttp.ClientSession`` discord.py makes at login."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.closed = False

    def request(self, method: str, url: str, **kwargs: Any) -> FakeResponse:
        path = url.split("/api/v10", 1)[-1]
        data = kwargs.get("data")
        body = json.loads(data) if isinstance(data, str | bytes) else data
        call = Call(method, path, body)
        self.calls.append(call)
        status, payload = self._answer(call)
        return FakeResponse(status, payload)

    async def close(self) -> None:
        self.closed = True

    def _answer(self, call: Call) -> tuple[int, Any]:
        method, path, body = call.method, call.path, call.body
        if path == "/users/@me":
            return 200, user_payload(BOT_ID, "articlebot", bot=True)
        if path == "/oauth2/applications/@me":
            return 200, {
                "id": str(BOT_ID),
                "name": "articlebot",
                "icon": None,
                "description": "",
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": user_payload(OWNER_ID, "owner"),
                "verify_key": "0" * 64,
                "flags": 0,
            }
        if method == "PUT" and path.endswith("/commands"):
            return 200, []
        if path.endswith("/typing"):
            return 204, None
        if path.endswith("/callback"):
            kind = body.get("type") if isinstance(body, dict) else None
            flags = int(((body or {}).get("data") or {}).get("flags", 0) or 0)
            return 200, {
                "interaction": {
                    "id": path.split("/")[2],
                    "type": 2,
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": bool(flags & 64),
                }
            }
        if method == "DELETE":
            return 204, None
        message = call.message
        if message is not None:
            channel = path.split("/")[2] if path.startswith("/channels/") else str(CHANNEL_ID)
            return 200, {
                "id": snowflake(),
                "channel_id": channel,
                "author": user_payload(BOT_ID, "articlebot", bot=True),
                "content": message.get("content") or "",
                "embeds": message.get("embeds") or [],
                "attachments": [],
                "mentions": [],
                "mention_roles": [],
                "mention_everyone": False,
                "pinned": False,
                "tts": False,
                "timestamp": now(),
                "edited_timestamp": None,
                "type": 0,
                "flags": int(message.get("flags", 0) or 0),
            }
        return 404, {"message": "Unknown route in the test recorder", "code": 0}

    def sent(self) -> list[Call]:
        """Calls that carried a message (content or embeds) to Discord."""
        return [c for c in self.calls if c.message is not None]


@dataclass
class Harness:
    """A logged-in ArticleBot plus the recorder of what it sent."""

    bot: ArticleBot
    http: DiscordRecorder
    _next: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # -- interactions -----------------------------------------------------

    def command(
        self,
        name: str,
        *,
        user_id: int = MEMBER_ID,
        permissions: int = PLAIN,
        roles: tuple[int, ...] = (),
        dm: bool = False,
        **options: Any,
    ) -> dict[str, Any]:
        """An APPLICATION_COMMAND interaction payload for ``/name option:value ...``."""
        return self._interaction(2, name, user_id, permissions, roles, dm, options, focused=None)

    def autocomplete(
        self, name: str, focused: str, *, user_id: int = MEMBER_ID, **options: Any
    ) -> dict[str, Any]:
        return self._interaction(4, name, user_id, PLAIN, (), False, options, focused=focused)

    def _interaction(
        self,
        kind: int,
        name: str,
        user_id: int,
        permissions: int,
        roles: tuple[int, ...],
        dm: bool,
        options: dict[str, Any],
        focused: str | None,
    ) -> dict[str, Any]:
        option_payloads = []
        for key, value in options.items():
            option: dict[str, Any] = {
                "name": key,
                "type": 4 if isinstance(value, int) else 3,
                "value": value,
            }
            if key == focused:
                option["focused"] = True
            option_payloads.append(option)
        payload: dict[str, Any] = {
            "id": snowflake(),
            "application_id": str(BOT_ID),
            "type": kind,
            "token": f"interaction-token-{next(self._next)}",
            "version": 1,
            "channel_id": str(CHANNEL_ID),
            "locale": "en-US",
            "app_permissions": str(discord.Permissions.all().value),
            "entitlements": [],
            "attachment_size_limit": 8 * 1024 * 1024,
            "data": {"id": snowflake(), "name": name, "type": 1, "options": option_payloads},
        }
        # The partial channel Discord sends with every interaction (discord.py reads the id here).
        payload["channel"] = (
            {"id": str(CHANNEL_ID), "type": 1}
            if dm
            else {
                "id": str(CHANNEL_ID),
                "type": 0,
                "name": "general",
                "position": 0,
                "permission_overwrites": [],
                "guild_id": str(GUILD_ID),
            }
        )
        if dm:
            payload["user"] = user_payload(user_id, f"user{user_id % 1000}")
            payload["context"] = 1
        else:
            member = member_payload(user_id, f"user{user_id % 1000}", roles)
            member["permissions"] = str(permissions)
            payload |= {"guild_id": str(GUILD_ID), "member": member, "guild_locale": "en-US"}
            payload["context"] = 0
        return payload

    def start_interaction(self, payload: dict[str, Any]) -> set[asyncio.Task[Any]]:
        """Feed INTERACTION_CREATE to the connection state; returns the tasks it started."""
        before = asyncio.all_tasks()
        self.bot._connection.parse_interaction_create(payload)  # type: ignore[arg-type]
        return asyncio.all_tasks() - before

    async def interact(self, payload: dict[str, Any]) -> list[Call]:
        """Run one interaction to completion; returns the calls it made."""
        first = len(self.http.calls)
        await _finish(self.start_interaction(payload))
        return self.http.calls[first:]

    async def call(self, name: str, **kwargs: Any) -> list[Call]:
        return await self.interact(self.command(name, **kwargs))

    # -- messages ---------------------------------------------------------

    def message(
        self,
        content: str,
        *,
        user_id: int = MEMBER_ID,
        channel_id: int = CHANNEL_ID,
        mention_bot: bool = False,
        dm: bool = False,
        everyone: bool = False,
        role_mentions: tuple[int, ...] = (),
    ) -> dict[str, Any]:
        """A MESSAGE_CREATE payload; ``mention_bot`` prefixes ``<@bot>`` as Discord does."""
        author = user_payload(user_id, f"user{user_id % 1000}")
        mentions = []
        if mention_bot:
            content = f"<@{BOT_ID}> {content}"
            mentions.append(
                {
                    **user_payload(BOT_ID, "articlebot", bot=True),
                    "member": member_payload(BOT_ID, "articlebot"),
                }
            )
        payload: dict[str, Any] = {
            "id": snowflake(),
            "channel_id": str(channel_id),
            "author": author,
            "content": content,
            "timestamp": now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": everyone,
            "mentions": mentions,
            "mention_roles": [str(r) for r in role_mentions],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }
        if not dm:
            payload["guild_id"] = str(GUILD_ID)
            member = member_payload(user_id, author["username"])
            del member["user"]
            payload["member"] = member
        return payload

    async def send(self, payload: dict[str, Any]) -> list[Call]:
        """Deliver MESSAGE_CREATE and wait for the bot's listeners to finish."""
        first = len(self.http.calls)
        before = asyncio.all_tasks()
        self.bot._connection.parse_message_create(payload)  # type: ignore[arg-type]
        await _finish(asyncio.all_tasks() - before)
        return self.http.calls[first:]


async def _finish(tasks: set[asyncio.Task[Any]]) -> None:
    """Await ``tasks`` and whatever they start, with a deadline so a hang fails fast."""
    current = asyncio.current_task()
    pending = {t for t in tasks if t is not current}
    seen: set[asyncio.Task[Any]] = set()
    async with asyncio.timeout(10):
        while pending:
            before = asyncio.all_tasks()
            await asyncio.gather(*pending, return_exceptions=True)
            seen |= pending
            pending = {
                t
                for t in asyncio.all_tasks() - before - seen
                if t is not current and t.get_name().startswith(("discord.py", "CommandTree"))
            }


BotFactory = Callable[..., Awaitable[Harness]]


@pytest.fixture
def bot_settings(seeds_copy: Path) -> Settings:
    """Settings over a writable copy of the seeds, generous cooldown, one answer channel."""
    return Settings(
        token=TOKEN,
        seeds=seeds_copy,
        admin_role=ADMIN_ROLE_NAME,
        answer_channel_ids=frozenset({ANSWER_CHANNEL_ID}),
        cooldown_questions=100,
        cooldown_seconds=60,
    )


@pytest.fixture
async def make_bot(
    monkeypatch: pytest.MonkeyPatch, bot_settings: Settings
) -> AsyncIterator[BotFactory]:
    """Build, log in (against the recorder) and return bots; closes them afterwards."""
    started: list[ArticleBot] = []

    async def factory(
        settings: Settings | None = None, engine: Engine | None = None, **options: Any
    ) -> Harness:
        settings = settings or bot_settings
        engine = engine or Engine(build_corpus(settings.seeds).corpus)
        recorder = DiscordRecorder()
        monkeypatch.setattr(aiohttp, "ClientSession", lambda *a, **k: recorder)
        bot = create_bot(settings, engine, **options)
        started.append(bot)
        await bot.login(settings.token)
        bot._connection.parse_guild_create(guild_payload())  # type: ignore[arg-type]
        return Harness(bot, recorder)

    yield factory
    for bot in started:
        await bot.close()


@pytest.fixture
async def harness(make_bot: BotFactory) -> Harness:
    return await make_bot()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The Discord spec contract's figures for the run (see tests/bot/discord_contract.py)."""
    from tests.bot.discord_contract import ALLOWED, TOTALS

    if TOTALS["requests"] or TOTALS["responses"]:
        terminalreporter.write_line(
            f"Discord spec contract: {TOTALS['requests']} request and {TOTALS['responses']} "
            f"response bodies validated, {TOTALS['mismatches']} mismatches, "
            f"{TOTALS['allowed']} allowed by {len(ALLOWED)} allow-list entries"
        )
