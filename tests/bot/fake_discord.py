"""A local fake of Discord's REST API and gateway, for end-to-end tests.

The real discord.py client connects to it exactly as it would to Discord:
``static_login`` (GET /users/@me), ``application_info``, command sync, then
the gateway websocket (HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats).
Tests then play the part of users: :meth:`FakeDiscord.send_message` delivers a
MESSAGE_CREATE, :meth:`FakeDiscord.slash` an INTERACTION_CREATE, and the
``wait_for_*`` helpers return what the bot posted back.

Where discord.py looks for Discord
    * REST: ``discord.http.Route.BASE`` (webhooks and interaction callbacks
      use the same ``Route`` class).
    * Gateway: discord.py 2.7's ``Client.connect`` does **not** ask
      GET /gateway/bot (only ``AutoShardedClient`` does); it connects straight
      to ``DiscordWebSocket.DEFAULT_GATEWAY`` and, after READY, to the
      ``resume_gateway_url`` the READY event names. :func:`patch_discord`
      points both here. The client asks for ``?v=10&encoding=json&compress=
      zlib-stream``, and the fake answers as Discord does: binary frames of
      one zlib stream per connection, each ending in a sync flush.

The fake behaves like Discord where a bot could get it wrong: messages over
Discord's size limits and replies to unknown messages get 400 (errors nested
by field, ``BASE_TYPE_MAX_LENGTH``), a second response to one interaction gets
400, an interaction answered after its 3-second deadline gets 404, guild
message content is blanked unless the bot is mentioned or asked for the
Message Content intent, and the ``pings`` of every posted message are computed
from its ``allowed_mentions``. The bot's own public messages come back to it
as MESSAGE_CREATE. Every answer carries ``X-RateLimit-*`` headers and creating
messages has a per-channel bucket (429 when spent, see ``rate_limits``).
Tests play users only as Discord's client lets them: :meth:`FakeDiscord.slash`
and :meth:`FakeDiscord.send_message` raise :class:`ClientRefused` for what the
client would not send (hidden commands, option rules, over-long messages).
Every request body and JSON answer is checked against Discord's OpenAPI spec
(``contract``, see tests/bot/discord_contract.py). Routes it does not know
are logged at ERROR, recorded in ``unknown_routes`` and answered with 404, so
a gap shows up instead of passing silently.

What it speaks
    REST (under /api/v10, ``Authorization: Bot <token>`` checked, 401 otherwise):
    GET /gateway, /gateway/bot, /users/@me, /oauth2/applications/@me;
    GET/PUT/POST application commands, global and per guild (validated, ids
    kept across overwrites); GET /channels/{id}, /guilds/{id},
    /guilds/{id}/members/{id}; POST/GET/PATCH/DELETE channel messages
    (``message_reference``, ``allowed_mentions``, embeds, components,
    multipart ``payload_json``); POST typing; POST /users/@me/channels (DMs);
    POST interaction callbacks (types 4, 5, 6, 7, 8, 9 (a modal); ``with_response``);
    the follow-up webhook (POST, GET/PATCH/DELETE ``@original`` and by id); and, as
    Discord's CDN does, GET /attachments/{id}/{filename} (no authorization) for files a
    user attached to a command (:meth:`FakeDiscord.upload`).
    Gateway: HELLO (10), HEARTBEAT (1) -> ACK (11), IDENTIFY (2) -> READY with
    the guild unavailable, then GUILD_CREATE (4004 for a bad token, 4014 for
    a privileged intent not enabled), RESUME (6) -> replay of missed events
    then RESUMED (INVALID_SESSION for an unknown session), REQUEST_GUILD_MEMBERS
    (8) -> GUILD_MEMBERS_CHUNK, PRESENCE/VOICE updates accepted; test helpers
    send MESSAGE_CREATE, INTERACTION_CREATE (commands, subcommands, attachment
    options, autocomplete, button clicks, modal submits), RECONNECT (7),
    INVALID_SESSION (9), a close with any code, or an abrupt drop.

Shards
    ``FakeDiscord(shard_count=4, guild_count=8)`` runs several servers spread
    over shards by Discord's rule ``(guild_id >> 22) % shard_count`` (guild
    ``i`` lands on shard ``i % shard_count``). GET /gateway/bot recommends
    ``shard_count``; IDENTIFY must carry ``shard: [shard_id, shard_count]``
    with exactly that count (4011 Sharding required when it is missing or too
    small, 4010 Invalid shard otherwise). Each shard's connection gets READY
    and GUILD_CREATE for its own guilds only, and every event of a guild
    (MESSAGE_CREATE, INTERACTION_CREATE, GUILD_MEMBERS_CHUNK) goes out on its
    shard's connection only; DMs go to shard 0, as on Discord. With the
    defaults (one shard, one guild) it is the single-connection fake above.
    ``identify_peer`` can name the client behind each TCP source port, so a
    test with several bot processes can tell which one sent what.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import itertools
import json
import logging
import re
import secrets
import socket
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
import discord
import discord.gateway
import discord.http
import pytest
import yarl
from aiohttp import web

from tests.bot.discord_contract import TOTALS, json_of, new_contract

log = logging.getLogger("fake_discord")

Json = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000
HEARTBEAT_INTERVAL_MS = 41_250
INTERACTION_DEADLINE_S = 3.0
DEFAULT_TOKEN = "fake-token.for-tests.only"

# Permission bits (https://discord.com/developers/docs/topics/permissions).
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_APPLICATION_COMMANDS = 1 << 31
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS
)

# Gateway intents the fake honours.
INTENT_GUILDS = 1 << 0
INTENT_GUILD_MEMBERS = 1 << 1
INTENT_GUILD_PRESENCES = 1 << 8
INTENT_GUILD_MESSAGES = 1 << 9
INTENT_DIRECT_MESSAGES = 1 << 12
INTENT_MESSAGE_CONTENT = 1 << 15
PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT

# Message and embed limits Discord enforces with 400 Invalid Form Body.
MAX_CONTENT = 2000
MAX_CONTENT_NITRO = 4000  # what a Nitro user may type; bots are held to MAX_CONTENT
MAX_STRING_OPTION = 6000  # the longest string option value the client sends
MAX_EMBEDS = 10
MAX_EMBED_TITLE = 256
MAX_EMBED_DESCRIPTION = 4096
MAX_EMBED_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER = 2048
MAX_AUTHOR_NAME = 256
MAX_EMBED_TOTAL = 6000
MAX_AUTOCOMPLETE_CHOICES = 25

EPHEMERAL = 1 << 6
LOADING = 1 << 7

# Interaction callback types.
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8
MODAL = 9
MODAL_SUBMIT = 5  # the interaction type a submitted modal arrives as
ATTACHMENT_OPTION = 11
TEXT_INPUT = 4
LABEL = 18

# Component limits.
MAX_ACTION_ROWS = 5
MAX_ROW_ITEMS = 5
MAX_CUSTOM_ID = 100
MAX_BUTTON_LABEL = 80

GATEWAY_ONLY_MESSAGE_FIELDS = frozenset({"guild_id", "member"})  # MESSAGE_CREATE extras
BODY = web.RequestKey("json_body", object)  # the parsed request body, set by the middleware
COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")
OPTION_TYPES: dict[type, int] = {str: 3, int: 4, bool: 5, float: 10}


class _Snowflakes:
    """Increasing, realistic snowflakes (timestamp in the top bits)."""

    def __init__(self) -> None:
        self._counter = itertools.count(1)

    def __call__(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (ms << 22) | (next(self._counter) & 0x3FFFFF)

    def on_shard(self, shard_id: int, shard_count: int) -> int:
        """A snowflake that, as a guild id, Discord routes to ``shard_id`` of ``shard_count``."""
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        ms += (shard_id - ms) % shard_count  # the shard is the timestamp modulo the count
        return (ms << 22) | (next(self._counter) & 0x3FFFFF)


def shard_for(guild_id: int, shard_count: int) -> int:
    """Discord's rule for the shard that receives a guild's events."""
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True)
class FakeGuild:
    """One server the bot is in; its payloads come from :class:`FakeDiscord`.

    Every guild has the same shape (two text channels in a category, the same
    four roles) under its own ids, and the same users as members.
    """

    id: int
    name: str
    admin_role_id: int  # "Server Admin": Manage Server
    editor_role_id: int  # "Article Editor": no special permissions
    bot_role_id: int
    category_id: int
    channel_id: int  # "general"
    news_channel_id: int  # "news-questions"

    @property
    def everyone_role_id(self) -> int:
        return self.id  # Discord: @everyone shares the guild id

    @property
    def channel_ids(self) -> tuple[int, int, int]:
        return (self.category_id, self.channel_id, self.news_channel_id)


@dataclass(frozen=True)
class Dispatch:
    """One gateway event the fake sent: on which shard, and for which guild."""

    shard_id: int
    event: str
    guild_id: int | None
    seq: int


def _frame(op: int, data: Any = None) -> Json:
    """A gateway frame other than a dispatch: Discord sends ``s`` and ``t`` as null."""
    return {"op": op, "d": data, "s": None, "t": None}


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


def _json_response(data: Any, status: int = 200) -> web.Response:
    # discord.py parses a body as JSON only when Content-Type is exactly
    # "application/json" (no charset), so web.json_response will not do.
    return web.Response(
        status=status,
        body=json.dumps(data).encode(),
        headers={"Content-Type": "application/json"},
    )


def _error(status: int, message: str, code: int = 0, errors: Json | None = None) -> web.Response:
    body: Json = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return _json_response(body, status)


class ClientRefused(ValueError):
    """What a test asked for cannot happen: Discord's client would not send it."""


class FormError(Exception):
    """A request body Discord would reject with 400 Invalid Form Body.

    ``path`` is the field, dotted (``embeds.0.title``; empty for the body itself).
    Discord answers with the errors nested by that path, each with a string code;
    ``BASE_TYPE_MAX_LENGTH`` is Discord's, the fake's other codes are its own.
    """

    def __init__(self, path: str, message: str, code: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path, self.message = path, message
        self.code = code or (
            "BASE_TYPE_MAX_LENGTH" if "or fewer in length" in message else "INVALID"
        )

    def errors(self) -> Json:
        """``{"embeds": {"0": {"title": {"_errors": [{"code": ..., "message": ...}]}}}}``."""
        tree: Json = {"_errors": [{"code": self.code, "message": self.message}]}
        for part in reversed(self.path.split(".") if self.path else []):
            tree = {part: tree}
        return tree


@dataclass
class FakeUser:
    id: int
    username: str
    bot: bool = False
    role_ids: tuple[int, ...] = ()

    def payload(self) -> Json:
        return {
            "id": str(self.id),
            "username": self.username,
            "global_name": None if self.bot else self.username.title(),
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "primary_guild": None,
        }

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"


@dataclass
class RecordedRequest:
    method: str
    path: str
    route: str  # the route template, e.g. "POST /channels/{channel_id}/messages"
    query: dict[str, str]
    json: Any
    authorization: str | None
    at: float = field(default_factory=time.monotonic)
    peer: str | None = None  # who sent it, when FakeDiscord.identify_peer knows


# The request being handled, so handlers deep down can credit what they create to its sender.
_current_request: contextvars.ContextVar[RecordedRequest | None] = contextvars.ContextVar(
    "fake_discord_request", default=None
)


@dataclass
class PostedMessage:
    """A message the bot created through REST (channel message or webhook)."""

    channel_id: int
    request: Json  # the JSON body the bot sent
    message: Json  # the message object the fake answered with
    via: str  # "channel", "interaction", "followup", "edit"
    interaction_token: str | None = None
    peer: str | None = None  # who posted it, when FakeDiscord.identify_peer knows

    @property
    def content(self) -> str:
        return str(self.message.get("content") or "")

    @property
    def embeds(self) -> list[Json]:
        return list(self.message.get("embeds") or [])

    @property
    def ephemeral(self) -> bool:
        return bool(int(self.message.get("flags") or 0) & EPHEMERAL)

    @property
    def allowed_mentions(self) -> Json | None:
        value = self.request.get("allowed_mentions")
        return value if isinstance(value, dict) else None

    @property
    def pings(self) -> set[str]:
        return set(self.message.get("_pings", ()))

    def text(self) -> str:
        """Content plus every visible embed string, for substring assertions."""
        return "\n".join([self.content, *(embed_text(e) for e in self.embeds)]).strip()


@dataclass
class InteractionRecord:
    payload: Json  # the INTERACTION_CREATE the fake dispatched
    dispatched_at: float
    callbacks: list[Json] = field(default_factory=list)  # callback request bodies
    messages: list[PostedMessage] = field(default_factory=list)  # original + followups
    late: bool = False
    opened_by: InteractionRecord | None = None  # a modal submit's: the one that showed it

    @property
    def token(self) -> str:
        return str(self.payload["token"])

    @property
    def callback_type(self) -> int | None:
        return int(self.callbacks[0]["type"]) if self.callbacks else None

    @property
    def deferred(self) -> bool:
        return self.callback_type == DEFERRED_CHANNEL_MESSAGE

    @property
    def modal(self) -> Json | None:
        """The modal the bot answered with (type 9): custom id, title, components."""
        if self.callback_type != MODAL:
            return None
        return dict(self.callbacks[0].get("data") or {})

    @property
    def choices(self) -> list[Json] | None:
        """Autocomplete choices, when the bot answered with type 8."""
        if self.callback_type != AUTOCOMPLETE_RESULT:
            return None
        return list((self.callbacks[0].get("data") or {}).get("choices") or [])

    def describe(self) -> str:
        data = self.payload.get("data") or {}
        if "name" in data:
            return f"/{data['name']}"
        kind = "modal" if self.payload.get("type") == MODAL_SUBMIT else "button"
        return f"{kind} {data.get('custom_id')!r}"

    def final_message(self) -> PostedMessage | None:
        """The message the user sees: the last one with content or embeds."""
        shown = [m for m in self.messages if m.content or m.embeds]
        return shown[-1] if shown else None


def embed_text(embed: Json) -> str:
    parts = [embed.get("title") or "", embed.get("description") or ""]
    for f in embed.get("fields") or []:
        parts += [f.get("name") or "", f.get("value") or ""]
    parts.append((embed.get("footer") or {}).get("text") or "")
    parts.append((embed.get("author") or {}).get("name") or "")
    return "\n".join(p for p in parts if p)


def validate_message_body(body: Json) -> None:
    """Raise :class:`FormError` where Discord would answer 400 Invalid Form Body."""
    content = body.get("content")
    if content is not None and len(str(content)) > MAX_CONTENT:
        raise FormError("content", f"Must be {MAX_CONTENT} or fewer in length.")
    embeds = body.get("embeds") or []
    if len(embeds) > MAX_EMBEDS:
        raise FormError("embeds", f"must be {MAX_EMBEDS} or fewer in length")
    _validate_components(body.get("components") or [])
    total = 0
    for i, embed in enumerate(embeds):
        title = embed.get("title") or ""
        description = embed.get("description") or ""
        fields = embed.get("fields") or []
        footer = (embed.get("footer") or {}).get("text") or ""
        author = (embed.get("author") or {}).get("name") or ""
        checks = [
            ("title", title, MAX_EMBED_TITLE),
            ("description", description, MAX_EMBED_DESCRIPTION),
            ("footer.text", footer, MAX_FOOTER),
            ("author.name", author, MAX_AUTHOR_NAME),
        ]
        if len(fields) > MAX_EMBED_FIELDS:
            raise FormError(f"embeds.{i}.fields", f"must be {MAX_EMBED_FIELDS} or fewer in length")
        for j, f in enumerate(fields):
            name, value = f.get("name") or "", f.get("value") or ""
            if not name or not value:
                raise FormError(f"embeds.{i}.fields.{j}", "name and value are required")
            checks += [
                (f"fields.{j}.name", name, MAX_FIELD_NAME),
                (f"fields.{j}.value", value, MAX_FIELD_VALUE),
            ]
            total += len(name) + len(value)
        for where, text, limit in checks:
            if len(text) > limit:
                raise FormError(f"embeds.{i}.{where}", f"must be {limit} or fewer in length")
        total += len(title) + len(description) + len(footer) + len(author)
    if total > MAX_EMBED_TOTAL:
        raise FormError("embeds", f"total size exceeds {MAX_EMBED_TOTAL}")


def _validate_components(rows: list[Json]) -> None:
    if len(rows) > MAX_ACTION_ROWS:
        raise FormError("components", f"must be {MAX_ACTION_ROWS} or fewer in length")
    custom_ids: set[str] = set()
    for i, row in enumerate(rows):
        items = row.get("components") or []
        if row.get("type") != 1 or not 1 <= len(items) <= MAX_ROW_ITEMS:
            raise FormError(f"components.{i}", f"an action row holds 1 to {MAX_ROW_ITEMS} items")
        for j, item in enumerate(items):
            where = f"components.{i}.components.{j}"
            custom_id = item.get("custom_id")
            if custom_id is not None:
                if not 1 <= len(custom_id) <= MAX_CUSTOM_ID:
                    raise FormError(f"{where}.custom_id", f"must be 1 to {MAX_CUSTOM_ID} long")
                if custom_id in custom_ids:
                    raise FormError(f"{where}.custom_id", f"duplicate {custom_id!r}")
                custom_ids.add(custom_id)
            if len(item.get("label") or "") > MAX_BUTTON_LABEL:
                raise FormError(f"{where}.label", f"must be {MAX_BUTTON_LABEL} or fewer in length")
            if item.get("type") == 2 and (item.get("style") == 5) == bool(custom_id):
                raise FormError(f"{where}", "a link button has a url, any other a custom_id")


def components_response(rows: list[Json]) -> list[Json]:
    """Components as Discord answers them: numbered ``id``s, no ``emoji.id`` for unicode emoji."""
    ids = itertools.count(1)

    def number(item: Json) -> Json:
        item = {**item, "id": item.get("id") or next(ids)}
        if isinstance(item.get("emoji"), dict):
            item["emoji"] = {k: v for k, v in item["emoji"].items() if v is not None}
        if "components" in item:
            item["components"] = [number(c) for c in item["components"]]
        return item

    return [number(row) for row in rows]


def buttons(message: Json) -> list[Json]:
    """Every button of a message, row by row."""
    return [
        item
        for row in message.get("components") or []
        for item in row.get("components") or []
        if item.get("type") == 2
    ]


def check_option_values(command: str, schema: Json, values: dict[str, Any]) -> None:
    """Raise :class:`ClientRefused` for option values Discord's client would not send."""
    for opt in schema.get("options") or []:
        name, kind = opt["name"], int(opt["type"])
        value = values.get(name)
        if kind in (1, 2):
            continue  # subcommands: their own options are checked at the leaf
        if value is None:
            if opt.get("required"):
                raise ClientRefused(f"/{command}: option {name!r} is required")
            continue
        where = f"/{command} {name}={str(value)[:40]!r}"
        choices = opt.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise ClientRefused(f"{where}: not one of the choices")
        if kind == 3:
            low, high = opt.get("min_length", 1), opt.get("max_length", MAX_STRING_OPTION)
            if not low <= len(value) <= min(high, MAX_STRING_OPTION):
                raise ClientRefused(f"{where}: length {len(value)} outside {low}..{high}")
        elif kind in (4, 10):
            low, high = opt.get("min_value", -(2**53)), opt.get("max_value", 2**53)
            if isinstance(value, bool) or not low <= value <= high:
                raise ClientRefused(f"{where}: outside {low}..{high}")


def validate_commands(commands: list[Json]) -> None:
    """The checks Discord applies to a bulk command overwrite."""
    names = set()
    for i, cmd in enumerate(commands):
        name = cmd.get("name") or ""
        kind = int(cmd.get("type", 1))
        if kind == 1 and (not COMMAND_NAME.match(name) or name != name.lower()):
            raise FormError(f"{i}.name", f"invalid slash command name {name!r}")
        if (kind, name) in names:
            raise FormError(f"{i}.name", f"duplicate command {name!r}")
        names.add((kind, name))
        if kind == 1 and not 1 <= len(cmd.get("description") or "") <= 100:
            raise FormError(f"{i}.description", "must be between 1 and 100 in length")
        _validate_options(f"{i}", cmd.get("options") or [])


def _validate_options(where: str, options: list[Json]) -> None:
    if len(options) > 25:
        raise FormError(f"{where}.options", "must be 25 or fewer in length")
    seen_optional = False
    for j, opt in enumerate(options):
        name = opt.get("name") or ""
        if not COMMAND_NAME.match(name) or name != name.lower():
            raise FormError(f"{where}.options.{j}.name", f"invalid option name {name!r}")
        if not 1 <= len(opt.get("description") or "") <= 100:
            raise FormError(f"{where}.options.{j}.description", "must be 1 to 100 long")
        if opt.get("required"):
            if seen_optional:
                raise FormError(f"{where}.options.{j}", "required options must come first")
        else:
            seen_optional = True
        if len(opt.get("choices") or []) > 25:
            raise FormError(f"{where}.options.{j}.choices", "must be 25 or fewer in length")
        if opt.get("autocomplete") and opt.get("choices"):
            raise FormError(f"{where}.options.{j}", "autocomplete cannot have choices")
        _validate_options(f"{where}.options.{j}", opt.get("options") or [])


@dataclass
class _Bucket:
    """One rate-limit bucket: ``limit`` requests per ``window`` seconds, as Discord counts."""

    limit: int
    window: float
    resets_at: float = 0.0
    used: int = 0

    def take(self, now: float) -> bool:
        """Count one request; False when the bucket is spent (Discord answers 429)."""
        if now >= self.resets_at:
            self.resets_at, self.used = now + self.window, 0
        if self.used >= self.limit:
            return False
        self.used += 1
        return True

    def headers(self, name: str, now: float) -> dict[str, str]:
        after = max(0.0, self.resets_at - now)
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.limit - self.used)),
            "X-RateLimit-Reset": f"{time.time() + after:.3f}",
            "X-RateLimit-Reset-After": f"{after:.3f}",
            "X-RateLimit-Bucket": name,
        }


# Per-route buckets, per major parameter (channel, guild, webhook) as on Discord.
# Discord lets a bot create 5 messages per 5 s in a channel; the fake's default
# bucket is far roomier (100 a second) so the suite and the soak benchmark are
# not paced by it, and tests tighten it through FakeDiscord.rate_limits.
MESSAGE_ROUTE = "POST /api/v{version}/channels/{channel_id}/messages"
DEFAULT_RATE_LIMITS: dict[str, tuple[int, float]] = {MESSAGE_ROUTE: (50, 0.5)}
ROOMY_BUCKET = (1000, 1.0)
MAJOR_PARAMETERS = ("channel_id", "guild_id", "token")


class _Session:
    """A gateway session: its id, shard, sequence and the events sent, for RESUME."""

    def __init__(
        self, session_id: str, shard_id: int = 0, shard_count: int = 1, intents: int = 0
    ) -> None:
        self.id = session_id
        self.shard_id = shard_id
        self.shard_count = shard_count
        self.intents = intents
        self.seq = 0
        self.sent: list[Json] = []  # dispatches with their "s", kept for replay
        self.ws: web.WebSocketResponse | None = None  # the connection carrying it, if any
        self.peer: str | None = None  # who identified, when FakeDiscord.identify_peer knows

    @property
    def live(self) -> bool:
        return self.ws is not None and not self.ws.closed


class FakeDiscord:
    """An aiohttp server that speaks enough Discord for a real discord.py bot."""

    def __init__(
        self, *, token: str = DEFAULT_TOKEN, shard_count: int = 1, guild_count: int = 1
    ) -> None:
        if shard_count < 1 or guild_count < 1:
            raise ValueError("shard_count and guild_count must be at least 1")
        self.token = token
        self.shard_count = shard_count  # what GET /gateway/bot recommends and IDENTIFY must use
        self.snowflake = _Snowflakes()
        self.host = "127.0.0.1"
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Condition()
        # Names the client behind a TCP source port (e.g. which bot process); None: unknown.
        self.identify_peer: Callable[[int], str | None] | None = None

        # Identities. Guild i lands on shard i % shard_count; the first is "the" guild.
        self.application_id = self.snowflake()
        self.bot_user = FakeUser(self.snowflake(), "articlebot", bot=True)
        self.guilds = [self._new_guild(i) for i in range(guild_count)]
        primary = self.guilds[0]
        self.guild_id = primary.id
        self.everyone_role_id = primary.everyone_role_id
        self.admin_role_id = primary.admin_role_id
        self.editor_role_id = primary.editor_role_id
        self.bot_role_id = primary.bot_role_id
        self.owner = FakeUser(self.snowflake(), "owner", role_ids=(self.admin_role_id,))
        self.admin = FakeUser(self.snowflake(), "ada_admin", role_ids=(self.admin_role_id,))
        self.editor = FakeUser(self.snowflake(), "eddie_editor", role_ids=(self.editor_role_id,))
        self.member = FakeUser(self.snowflake(), "mia_member")
        self.bot_user.role_ids = (self.bot_role_id,)
        self.users = [self.bot_user, self.owner, self.admin, self.editor, self.member]
        self.category_id = primary.category_id
        self.channel_id = primary.channel_id
        self.news_channel_id = primary.news_channel_id
        self.dm_channels: dict[int, int] = {}  # user id -> DM channel id
        self.threads: dict[int, int] = {}  # thread id -> its parent text channel's id

        # Records.
        self.contract = new_contract()  # every REST body checked against Discord's spec
        self.requests: list[RecordedRequest] = []
        self.unknown_routes: list[RecordedRequest] = []
        self.posted: list[PostedMessage] = []
        self.typing: list[tuple[int, float]] = []
        self.deleted: list[int] = []  # ids of messages the bot deleted
        self.interactions: dict[str, InteractionRecord] = {}  # by token
        self.attachments: dict[int, tuple[Json, bytes]] = {}  # uploads: id -> (object, bytes)
        self.commands: dict[int | None, list[Json]] = {}  # guild id (None: global) -> commands
        self.messages: dict[int, Json] = {}  # every message by id, users' and the bot's
        self.identifies: list[Json] = []
        self.resumes: list[Json] = []
        self.dispatches: list[Dispatch] = []  # every event sent, with its shard
        self.heartbeats = 0
        self.gateway_queries: list[dict[str, str]] = []
        self.ready_sent = 0  # READY dispatches so far
        self.resumed_sent = 0
        self.interaction_deadline = INTERACTION_DEADLINE_S
        # Privileged intents switched on in the (imaginary) Developer Portal; IDENTIFY
        # asking for any other one is closed with 4014, as Discord does.
        self.enabled_privileged_intents = PRIVILEGED_INTENTS
        # Rate limits: (limit, window in seconds) by route template; see DEFAULT_RATE_LIMITS.
        self.rate_limits = dict(DEFAULT_RATE_LIMITS)
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self.rate_limited: list[str] = []  # routes answered 429
        # Slash command permission overrides (Server Settings > Integrations):
        # (guild id, command name) -> ids of users and roles shown the command anyway.
        self.command_overrides: dict[tuple[int, str], set[int]] = {}
        self.compressed_frames = 0  # gateway frames sent zlib-compressed
        self._zlib: dict[web.WebSocketResponse, Any] = {}  # zlib-stream compressor per socket

        # Gateway state: every session by id (for RESUME), the current one of each shard.
        self._sessions: dict[str, _Session] = {}
        self._current: dict[int, _Session] = {}
        self._sockets: set[web.WebSocketResponse] = set()
        self._echoes: set[asyncio.Task[None]] = set()  # the bot's own messages on their way

    def _new_guild(self, index: int) -> FakeGuild:
        guild_id = self.snowflake.on_shard(index % self.shard_count, self.shard_count)
        return FakeGuild(
            id=guild_id,
            name="Article Readers" if index == 0 else f"Article Readers {index + 1}",
            admin_role_id=self.snowflake(),
            editor_role_id=self.snowflake(),
            bot_role_id=self.snowflake(),
            category_id=self.snowflake(),
            channel_id=self.snowflake(),
            news_channel_id=self.snowflake(),
        )

    def guild(self, guild_id: int | None = None) -> FakeGuild:
        """A guild by id (the first guild by default); KeyError for an unknown one."""
        if guild_id is None:
            return self.guilds[0]
        for guild in self.guilds:
            if guild.id == guild_id:
                return guild
        raise KeyError(f"the fake has no guild {guild_id}")

    def guild_of_channel(self, channel_id: int) -> FakeGuild | None:
        """The guild a channel (or thread) belongs to; None for DMs and unknown channels."""
        channel_id = self.threads.get(channel_id, channel_id)
        return next((g for g in self.guilds if channel_id in g.channel_ids), None)

    def shard_of(self, guild_id: int) -> int:
        return shard_for(guild_id, self.shard_count)

    def guilds_on_shard(self, shard_id: int) -> list[FakeGuild]:
        return [g for g in self.guilds if self.shard_of(g.id) == shard_id]

    # ------------------------------------------------------------------ setup

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway"

    async def start(self) -> None:
        app = web.Application(middlewares=[self._record_middleware])
        app.add_routes(self._routes())
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((self.host, 0))
        self.port = sock.getsockname()[1]
        site = web.SockSite(self._runner, sock)
        await site.start()
        log.info("fake Discord listening on %s", self.base_url)

    async def close(self) -> None:
        for task in list(self._echoes):
            task.cancel()
        for ws in list(self._sockets):
            if not ws.closed:
                await ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        # Last, so whoever started the fake (fixture or test) fails on a spec mismatch.
        TOTALS.update(self.contract.counts)
        self.contract.counts.clear()  # a second close() adds nothing
        assert not self.contract.mismatches, self.contract.report()

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _routes(self) -> list[web.RouteDef]:
        api = "/api/v{version:\\d+}"
        app = api + "/applications/{app_id}"
        hook = api + "/webhooks/{app_id}/{token}"
        return [
            web.get("/gateway", self._gateway_ws),
            web.get(api + "/gateway", self._get_gateway),
            web.get(api + "/gateway/bot", self._get_gateway_bot),
            web.get(api + "/users/@me", self._get_me),
            web.get(api + "/oauth2/applications/@me", self._get_application),
            web.get(api + "/applications/@me", self._get_application),
            web.get(app + "/commands", self._get_commands),
            web.put(app + "/commands", self._put_commands),
            web.post(app + "/commands", self._post_command),
            web.get(app + "/guilds/{guild_id}/commands", self._get_commands),
            web.put(app + "/guilds/{guild_id}/commands", self._put_commands),
            web.post(app + "/guilds/{guild_id}/commands", self._post_command),
            web.get(api + "/channels/{channel_id}", self._get_channel),
            web.post(api + "/channels/{channel_id}/messages", self._post_message),
            web.get(api + "/channels/{channel_id}/messages/{message_id}", self._get_message),
            web.patch(api + "/channels/{channel_id}/messages/{message_id}", self._patch_message),
            web.delete(api + "/channels/{channel_id}/messages/{message_id}", self._delete_message),
            web.post(api + "/channels/{channel_id}/typing", self._typing),
            web.post(api + "/users/@me/channels", self._open_dm),
            web.get(api + "/guilds/{guild_id}", self._get_guild),
            web.get(api + "/guilds/{guild_id}/members/{user_id}", self._get_member),
            web.post(api + "/interactions/{interaction_id}/{token}/callback", self._callback),
            web.post(hook, self._followup),
            web.get(hook + "/messages/{message_id}", self._get_webhook_message),
            web.patch(hook + "/messages/{message_id}", self._edit_webhook_message),
            web.delete(hook + "/messages/{message_id}", self._delete_webhook_message),
            web.get("/attachments/{attachment_id}/{filename}", self._get_attachment),
            web.route("*", "/{tail:.*}", self._unknown),
        ]

    @web.middleware
    async def _record_middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if request.path == "/gateway":
            return await handler(request)
        body: Any = None
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
            elif request.content_type.startswith("multipart/"):
                form = await request.post()
                raw = form.get("payload_json")
                body = json.loads(str(raw)) if raw is not None else {}
            else:
                body = await request.text()
        request[BODY] = body
        info = request.match_info.route.resource
        template = info.canonical if info is not None else request.path
        record = RecordedRequest(
            method=request.method,
            path=request.path,
            route=f"{request.method} {template}",
            query=dict(request.query),
            json=body,
            authorization=request.headers.get("Authorization"),
            peer=self._peer(request),
        )
        self.requests.append(record)
        _current_request.set(record)  # this request's own task: handlers credit its sender
        is_webhook = "/webhooks/" in request.path or "/interactions/" in request.path
        is_cdn = request.path.startswith("/attachments/")  # the CDN asks for no token
        bucket_name, bucket = self._bucket(request, template)
        now = time.monotonic()
        if not (is_webhook or is_cdn) and record.authorization != f"Bot {self.token}":
            response: web.StreamResponse = _error(401, "401: Unauthorized")
        elif not bucket.take(now):
            self.rate_limited.append(record.route)
            retry = round(bucket.resets_at - now, 3)
            body_429 = {"message": "You are being rate limited.", "retry_after": retry}
            response = _json_response({**body_429, "global": False, "code": 0}, 429)
        else:
            try:
                response = await handler(request)
            except FormError as exc:
                log.error("fake Discord rejected %s %s: %s", request.method, request.path, exc)
                response = _error(400, "Invalid Form Body", 50035, exc.errors())
        for name, value in bucket.headers(bucket_name, time.monotonic()).items():
            response.headers.setdefault(name, value)  # a handler's own (an injected 429) win
        if isinstance(response, web.Response):
            answer = json_of(response.body, response.content_type)  # type: ignore[arg-type]
            self.contract.check(request.method, request.path, body, response.status, answer)
        await self._notify()
        return response

    def _bucket(self, request: web.Request, template: str) -> tuple[str, _Bucket]:
        """The bucket of a request: its route, split by the route's major parameter."""
        route = f"{request.method} {template}"
        major = next(
            (request.match_info[p] for p in MAJOR_PARAMETERS if p in request.match_info), ""
        )
        key = (route, major)
        if key not in self._buckets:
            self._buckets[key] = _Bucket(*self.rate_limits.get(route, ROOMY_BUCKET))
        return format(zlib.crc32(route.encode()), "08x"), self._buckets[key]

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def _peer(self, request: web.Request) -> str | None:
        """Who is on the other end of ``request``'s connection, asked while it is open."""
        if self.identify_peer is None:
            return None
        address = request.transport.get_extra_info("peername") if request.transport else None
        return self.identify_peer(int(address[1])) if address else None

    # ------------------------------------------------------------- payloads

    def role_payloads(self, guild: FakeGuild | None = None) -> list[Json]:
        guild = guild or self.guilds[0]

        def role(role_id: int, name: str, permissions: int, position: int) -> Json:
            return {
                "id": str(role_id),
                "name": name,
                "color": 0,
                "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
                "hoist": False,
                "icon": None,
                "unicode_emoji": None,
                "position": position,
                "permissions": str(permissions),
                "managed": role_id == guild.bot_role_id,
                "mentionable": False,
                "flags": 0,
            }

        return [
            role(guild.everyone_role_id, "@everyone", EVERYONE_PERMISSIONS, 0),
            role(guild.editor_role_id, "Article Editor", 0, 1),
            role(guild.bot_role_id, "articlebot", EVERYONE_PERMISSIONS, 2),
            role(guild.admin_role_id, "Server Admin", MANAGE_GUILD | MENTION_EVERYONE, 3),
        ]

    def roles_in(self, user: FakeUser, guild: FakeGuild | None = None) -> tuple[int, ...]:
        """``user.role_ids`` (ids of the first guild's roles) as the same roles in ``guild``."""
        guild = guild or self.guilds[0]
        first = self.guilds[0]
        same = {
            first.admin_role_id: guild.admin_role_id,
            first.editor_role_id: guild.editor_role_id,
            first.bot_role_id: guild.bot_role_id,
        }
        return tuple(same.get(r, r) for r in user.role_ids)

    def permissions_of(self, user: FakeUser, guild: FakeGuild | None = None) -> int:
        if user is self.owner:
            return (1 << 53) - 1  # the owner has every permission
        guild = guild or self.guilds[0]
        roles = {int(r["id"]): int(r["permissions"]) for r in self.role_payloads(guild)}
        value = roles[guild.everyone_role_id]
        for role_id in self.roles_in(user, guild):
            value |= roles.get(role_id, 0)
        if value & ADMINISTRATOR:
            return (1 << 53) - 1
        return value

    def member_payload(
        self, user: FakeUser, *, with_user: bool = True, guild: FakeGuild | None = None
    ) -> Json:
        data: Json = {
            "roles": [str(r) for r in self.roles_in(user, guild)],
            "nick": None,
            "avatar": None,
            "banner": None,
            "joined_at": "2024-01-01T00:00:00+00:00",
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = user.payload()
        return data

    def channel_payload(self, channel_id: int) -> Json:
        if channel_id in self.dm_channels.values():
            user_id = next(u for u, c in self.dm_channels.items() if c == channel_id)
            user = self.user(user_id)
            return {
                "id": str(channel_id),
                "type": 1,
                "last_message_id": None,
                "recipients": [user.payload()],
            }
        guild = self.guild_of_channel(channel_id)
        if guild is None:
            raise KeyError(f"the fake has no channel {channel_id}")
        if channel_id in self.threads:
            return self._thread_payload(channel_id, guild)
        names = {guild.channel_id: "general", guild.news_channel_id: "news-questions"}
        if channel_id == guild.category_id:
            return {
                "id": str(channel_id),
                "type": 4,
                "guild_id": str(guild.id),
                "name": "Text Channels",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
                "flags": 0,
            }
        return {
            "id": str(channel_id),
            "type": 0,
            "guild_id": str(guild.id),
            "name": names[channel_id],
            "position": list(names).index(channel_id),
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": str(guild.category_id),
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "default_auto_archive_duration": 1440,
            "flags": 0,
        }

    def _thread_payload(self, thread_id: int, guild: FakeGuild) -> Json:
        """A public thread (type 11) under its text channel, started by the member."""
        return {
            "id": str(thread_id),
            "type": 11,
            "guild_id": str(guild.id),
            "parent_id": str(self.threads[thread_id]),
            "owner_id": str(self.member.id),
            "name": "questions",
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": 0,
            "member_count": 1,
            "total_message_sent": 0,
            "flags": 0,
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": _now_iso(),
                "locked": False,
            },
        }

    async def open_thread(self, parent_id: int | None = None) -> int:
        """A member starts a public thread in ``parent_id`` (default: general); Discord tells
        the bot with THREAD_CREATE. Returns the thread's id, a channel id for messages."""
        parent_id = parent_id or self.channel_id
        guild = self.guild_of_channel(parent_id)
        assert guild is not None, f"no text channel {parent_id}"
        thread_id = self.snowflake()
        self.threads[thread_id] = parent_id
        data = {**self._thread_payload(thread_id, guild), "newly_created": True}
        await self._dispatch_guild("THREAD_CREATE", data, guild.id)
        return thread_id

    def guild_payload(self, guild: FakeGuild | None = None) -> Json:
        guild = guild or self.guilds[0]
        return {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner.id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "features": [],
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "vanity_url_code": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "application_id": None,
            "roles": self.role_payloads(guild),
            "emojis": [],
            "stickers": [],
            "soundboard_sounds": [],
            "premium_progress_bar_enabled": False,
            "safety_alerts_channel_id": None,
            "incidents_data": None,
        }

    def guild_create_payload(self, guild: FakeGuild | None = None, intents: int = 0) -> Json:
        """GUILD_CREATE for a connection that identified with ``intents``."""
        guild = guild or self.guilds[0]
        data = self.guild_payload(guild)
        data.update(
            {
                "unavailable": False,
                "large": False,
                "lazy": True,
                "joined_at": "2024-01-01T00:00:00+00:00",
                "member_count": len(self.users),
                # Without the privileged members intent Discord sends only the bot itself.
                "members": [
                    self.member_payload(u, guild=guild)
                    for u in self.users
                    if intents & INTENT_GUILD_MEMBERS or u is self.bot_user
                ],
                "channels": [self.channel_payload(c) for c in guild.channel_ids],
                "threads": [],
                "presences": [],
                "voice_states": [],
                "stage_instances": [],
                "guild_scheduled_events": [],
            }
        )
        return data

    def application_payload(self) -> Json:
        return {
            "id": str(self.application_id),
            "name": "articlebot",
            "icon": None,
            "description": "Answers questions about news articles.",
            "summary": "",
            "type": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": self.owner.payload(),
            "team": None,
            "flags": 0,
            "flags_new": "0",
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "approximate_guild_count": len(self.guilds),
            "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0,
            "explicit_content_filter": 0,
            "eligible_oauth2_scopes": ["bot", "applications.commands"],
            "bot": self.bot_user.payload(),
            "install_params": {"scopes": ["bot", "applications.commands"], "permissions": "0"},
        }

    def user(self, user_id: int) -> FakeUser:
        return next(u for u in self.users if u.id == user_id)

    def message_payload(
        self,
        *,
        channel_id: int,
        author: FakeUser,
        content: str = "",
        embeds: list[Json] | None = None,
        flags: int = 0,
        message_id: int | None = None,
        webhook_id: int | None = None,
        interaction: InteractionRecord | None = None,
        components: list[Json] | None = None,
    ) -> Json:
        in_guild = channel_id not in self.dm_channels.values()
        guild = self.guild_of_channel(channel_id) or self.guilds[0]
        data: Json = {
            "id": str(message_id or self.snowflake()),
            "channel_id": str(channel_id),
            "author": author.payload(),
            "content": content,
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": embeds or [],
            "pinned": False,
            "type": 0,
            "flags": flags,
            "components": components or [],
        }
        if in_guild:
            data["guild_id"] = str(guild.id)
            data["member"] = self.member_payload(author, with_user=False, guild=guild)
        if webhook_id is not None:
            data["webhook_id"] = str(webhook_id)
            data["application_id"] = str(self.application_id)
        if interaction is not None:
            data["type"] = 20
            data["interaction_metadata"] = self._interaction_metadata(interaction, guild)
        return data

    def _interaction_metadata(self, interaction: InteractionRecord, guild: FakeGuild) -> Json:
        """What a message says about the interaction it answers; a modal submit's names
        the interaction that showed the modal instead of a command."""
        metadata: Json = {
            "id": interaction.payload["id"],
            "type": interaction.payload["type"],
            "user": interaction.payload["member"]["user"]
            if "member" in interaction.payload
            else interaction.payload["user"],
            "authorizing_integration_owners": {"0": str(guild.id)},
        }
        if interaction.opened_by is not None:
            opener = self._interaction_metadata(interaction.opened_by, guild)
            metadata["triggering_interaction_metadata"] = opener
            return metadata
        metadata["name"] = (interaction.payload.get("data") or {}).get("name")
        if "message" in interaction.payload:  # a component's: the message clicked
            metadata["interacted_message_id"] = interaction.payload["message"]["id"]
        return metadata

    # ----------------------------------------------------------------- REST

    async def _unknown(self, request: web.Request) -> web.StreamResponse:
        record = self.requests[-1]
        self.unknown_routes.append(record)
        log.error("fake Discord: UNKNOWN ROUTE %s %s (answered 404)", request.method, request.path)
        return _error(404, "404: Not Found (route unknown to the fake)")

    async def _get_attachment(self, request: web.Request) -> web.Response:
        """A file a user attached, as Discord's CDN serves it."""
        found = self.attachments.get(int(request.match_info["attachment_id"]))
        if found is None or found[0]["filename"] != request.match_info["filename"]:
            return web.Response(status=404, text="Not Found")
        attachment, data = found
        return web.Response(body=data, headers={"Content-Type": attachment["content_type"]})

    async def _get_gateway(self, request: web.Request) -> web.Response:
        return _json_response({"url": self.gateway_url})

    async def _get_gateway_bot(self, request: web.Request) -> web.Response:
        return _json_response(
            {
                "url": self.gateway_url,
                "shards": self.shard_count,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 14_400_000,
                    "max_concurrency": 1,
                },
            }
        )

    async def _get_me(self, request: web.Request) -> web.Response:
        data = self.bot_user.payload()
        data.update({"verified": True, "mfa_enabled": False, "flags": 0, "locale": "en-US"})
        return _json_response(data)

    async def _get_application(self, request: web.Request) -> web.Response:
        return _json_response(self.application_payload())

    def _check_app(self, request: web.Request) -> web.Response | None:
        if request.match_info["app_id"] != str(self.application_id):
            return _error(403, "Missing Access", 50001)
        guild = request.match_info.get("guild_id")
        if guild is not None and guild not in {str(g.id) for g in self.guilds}:
            return _error(403, "Missing Access", 50001)
        return None

    def _stored_command(self, data: Json, guild_id: int | None, existing: list[Json]) -> Json:
        old = next((c for c in existing if c["name"] == data["name"]), None)
        stored = {
            "type": 1,
            "options": [],
            "default_member_permissions": None,
            "dm_permission": True,
            "nsfw": False,
            **data,
            "id": old["id"] if old else str(self.snowflake()),
            "application_id": str(self.application_id),
            "version": str(self.snowflake()),
        }
        # Discord answers permissions as a string and the integration types it applied.
        if stored["default_member_permissions"] is not None:
            stored["default_member_permissions"] = str(stored["default_member_permissions"])
        stored["integration_types"] = stored.get("integration_types") or [0]
        if guild_id is not None:
            stored["guild_id"] = str(guild_id)
        return stored

    async def _get_commands(self, request: web.Request) -> web.Response:
        if (denied := self._check_app(request)) is not None:
            return denied
        guild = request.match_info.get("guild_id")
        return _json_response(self.commands.get(int(guild) if guild else None, []))

    async def _put_commands(self, request: web.Request) -> web.Response:
        if (denied := self._check_app(request)) is not None:
            return denied
        guild = request.match_info.get("guild_id")
        guild_id = int(guild) if guild else None
        body = request[BODY] or []
        validate_commands(body)
        existing = self.commands.get(guild_id, [])
        self.commands[guild_id] = [self._stored_command(c, guild_id, existing) for c in body]
        return _json_response(self.commands[guild_id])

    async def _post_command(self, request: web.Request) -> web.Response:
        if (denied := self._check_app(request)) is not None:
            return denied
        guild = request.match_info.get("guild_id")
        guild_id = int(guild) if guild else None
        validate_commands([request[BODY]])
        existing = self.commands.get(guild_id, [])
        stored = self._stored_command(request[BODY], guild_id, existing)
        self.commands[guild_id] = [c for c in existing if c["name"] != stored["name"]] + [stored]
        return _json_response(stored, 201)

    def _known_channel(self, channel_id: int) -> bool:
        return (
            self.guild_of_channel(channel_id) is not None or channel_id in self.dm_channels.values()
        )

    async def _get_channel(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel_id"])
        if not self._known_channel(channel_id):
            return _error(404, "Unknown Channel", 10003)
        return _json_response(self.channel_payload(channel_id))

    async def _get_guild(self, request: web.Request) -> web.Response:
        try:
            guild = self.guild(int(request.match_info["guild_id"]))
        except (KeyError, ValueError):
            return _error(404, "Unknown Guild", 10004)
        return _json_response(self.guild_payload(guild))

    async def _get_member(self, request: web.Request) -> web.Response:
        user_id = int(request.match_info["user_id"])
        try:
            guild = self.guild(int(request.match_info["guild_id"]))
        except (KeyError, ValueError):
            return _error(404, "Unknown Guild", 10004)
        if user_id not in {u.id for u in self.users}:
            return _error(404, "Unknown Member", 10007)
        return _json_response(self.member_payload(self.user(user_id), guild=guild))

    async def _open_dm(self, request: web.Request) -> web.Response:
        user_id = int((request[BODY] or {})["recipient_id"])
        return _json_response(self.channel_payload(self.dm_channel(self.user(user_id))))

    async def _typing(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel_id"])
        if not self._known_channel(channel_id):
            return _error(404, "Unknown Channel", 10003)
        self.typing.append((channel_id, time.monotonic()))
        return web.Response(status=204)

    def _pings(self, body: Json, content: str, reference: Json | None) -> list[str]:
        """Who a message with this body notifies, following Discord's allowed_mentions rules."""
        allowed = body.get("allowed_mentions")
        if allowed is None:
            parse = {"everyone", "users", "roles"}
            users: set[str] = set()
            roles: set[str] = set()
            replied = True
        else:
            parse = set(allowed.get("parse") or [])
            users = {str(u) for u in allowed.get("users") or []}
            roles = {str(r) for r in allowed.get("roles") or []}
            replied = bool(allowed.get("replied_user", False))
        pings: list[str] = []
        if "everyone" in parse and re.search(r"@(everyone|here)", content):
            pings.append("everyone")
        for uid in re.findall(r"<@!?(\d+)>", content):
            if "users" in parse or uid in users:
                pings.append(f"user:{uid}")
        for rid in re.findall(r"<@&(\d+)>", content):
            if "roles" in parse or rid in roles:
                pings.append(f"role:{rid}")
        if reference is not None and replied:
            pings.append(f"replied_user:{reference['author']['id']}")
        return pings

    def _create_bot_message(
        self,
        channel_id: int,
        body: Json,
        *,
        via: str,
        flags: int = 0,
        interaction: InteractionRecord | None = None,
    ) -> PostedMessage:
        validate_message_body(body)
        content = str(body.get("content") or "")
        reference: Json | None = None
        ref = body.get("message_reference")
        if ref and ref.get("message_id"):
            reference = self.messages.get(int(ref["message_id"]))
            if reference is None and ref.get("fail_if_not_exists", True):
                raise FormError("message_reference", "Unknown message")
        message = self.message_payload(
            channel_id=channel_id,
            author=self.bot_user,
            content=content,
            embeds=list(body.get("embeds") or []),
            components=components_response(list(body.get("components") or [])),
            flags=flags | int(body.get("flags") or 0),
            webhook_id=self.application_id if via != "channel" else None,
            interaction=interaction,
        )
        if reference is not None:
            message["type"] = 19
            message["message_reference"] = {
                "type": 0,
                "message_id": reference["id"],
                "channel_id": reference["channel_id"],
                **({"guild_id": reference["guild_id"]} if "guild_id" in reference else {}),
            }
            message["referenced_message"] = reference
        pings = self._pings(body, content, reference)
        message["mention_everyone"] = "everyone" in pings
        message["mentions"] = [
            self.user(int(p.split(":")[1])).payload()
            for p in pings
            if p.startswith(("user:", "replied_user:"))
            and int(p.split(":")[1]) in {u.id for u in self.users}
        ]
        message["mention_roles"] = [p.split(":")[1] for p in pings if p.startswith("role:")]
        self.messages[int(message["id"])] = message
        sender = _current_request.get()
        posted = PostedMessage(
            channel_id,
            body,
            message,
            via,
            interaction.token if interaction else None,
            peer=sender.peer if sender is not None else None,
        )
        posted.message["_pings"] = pings
        self.posted.append(posted)
        if interaction is not None:
            interaction.messages.append(posted)
        return posted

    @staticmethod
    def _public(message: Json) -> Json:
        """A message as REST returns it: no fake bookkeeping, no gateway-only fields."""
        rest = {
            k: v
            for k, v in message.items()
            if not k.startswith("_") and k not in GATEWAY_ONLY_MESSAGE_FIELDS
        }
        if isinstance(rest.get("referenced_message"), dict):
            rest["referenced_message"] = FakeDiscord._public(rest["referenced_message"])
        rest["mentions"] = [
            {k: v for k, v in u.items() if k != "member"} for u in rest.get("mentions", [])
        ]
        return rest

    async def _post_message(self, request: web.Request) -> web.Response:
        channel_id = int(request.match_info["channel_id"])
        if not self._known_channel(channel_id):
            return _error(404, "Unknown Channel", 10003)
        body = request[BODY] or {}
        if not (body.get("content") or body.get("embeds") or body.get("sticker_ids")):
            return _error(400, "Cannot send an empty message", 50006)
        posted = self._create_bot_message(channel_id, body, via="channel")
        self._echo(posted)
        return _json_response(self._public(posted.message))

    async def _get_message(self, request: web.Request) -> web.Response:
        message = self.messages.get(int(request.match_info["message_id"]))
        if message is None or message["channel_id"] != request.match_info["channel_id"]:
            return _error(404, "Unknown Message", 10008)
        return _json_response(self._public(message))

    async def _patch_message(self, request: web.Request) -> web.Response:
        message = self.messages.get(int(request.match_info["message_id"]))
        if message is None or message["channel_id"] != request.match_info["channel_id"]:
            return _error(404, "Unknown Message", 10008)
        if message["author"]["id"] != str(self.bot_user.id):
            return _error(403, "Cannot edit a message authored by another user", 50005)
        body = request[BODY] or {}
        validate_message_body(body)
        for key in ("content", "embeds", "flags", "components"):
            if key in body:
                message[key] = body[key]
        message["components"] = components_response(message["components"])
        message["edited_timestamp"] = _now_iso()
        self.posted.append(PostedMessage(int(message["channel_id"]), body, message, "edit-channel"))
        return _json_response(self._public(message))

    async def _delete_message(self, request: web.Request) -> web.Response:
        message = self.messages.get(int(request.match_info["message_id"]))
        if message is None or message["channel_id"] != request.match_info["channel_id"]:
            return _error(404, "Unknown Message", 10008)
        if message["author"]["id"] != str(self.bot_user.id):
            return _error(403, "Missing Permissions", 50013)  # no Manage Messages here
        del self.messages[int(message["id"])]
        self.deleted.append(int(message["id"]))
        return web.Response(status=204)

    async def _callback(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        record = self.interactions.get(token)
        if record is None or str(record.payload["id"]) != request.match_info["interaction_id"]:
            return _error(404, "Unknown interaction", 10062)
        if time.monotonic() - record.dispatched_at > self.interaction_deadline:
            record.late = True
            log.error("fake Discord: interaction %s answered after the deadline", token[:8])
            return _error(404, "Unknown interaction", 10062)
        if record.callbacks:
            return _error(400, "Interaction has already been acknowledged.", 40060)
        body = request[BODY] or {}
        kind = int(body.get("type", 0))
        data = body.get("data") or {}
        channel_id = int(record.payload["channel"]["id"])
        response: Json = {
            "interaction": {
                "id": str(record.payload["id"]),
                "type": record.payload["type"],
            }
        }
        if kind == AUTOCOMPLETE_RESULT:
            if len(data.get("choices") or []) > MAX_AUTOCOMPLETE_CHOICES:
                raise FormError("choices", f"must be {MAX_AUTOCOMPLETE_CHOICES} or fewer in length")
            record.callbacks.append(body)
            return web.Response(status=204)
        if kind in (DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE):
            return await self._update_callback(record, body, response, request)
        if kind == MODAL:
            if record.payload["type"] == MODAL_SUBMIT:
                return _error(400, "A modal cannot answer a modal submit", 50035)
            record.callbacks.append(body)  # the spec contract checks its shape
            if request.query.get("with_response") in ("1", "true", "True"):
                return _json_response(response)  # no resource: a modal is no message
            return web.Response(status=204)
        if kind not in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE):
            return _error(400, f"the fake does not support callback type {kind}", 50035)
        flags = int(data.get("flags") or 0)
        if kind == CHANNEL_MESSAGE and not (data.get("content") or data.get("embeds")):
            return _error(400, "Cannot send an empty message", 50006)
        validate_message_body(data)
        record.callbacks.append(body)
        if kind == DEFERRED_CHANNEL_MESSAGE:
            flags |= LOADING
            posted = self._create_bot_message(
                channel_id, {}, via="interaction", flags=flags, interaction=record
            )
        else:
            posted = self._create_bot_message(
                channel_id, data, via="interaction", flags=flags, interaction=record
            )
        response["interaction"].update(
            {
                "response_message_id": posted.message["id"],
                "response_message_loading": kind == DEFERRED_CHANNEL_MESSAGE,
                "response_message_ephemeral": bool(flags & EPHEMERAL),
            }
        )
        if kind == CHANNEL_MESSAGE:  # Discord returns no message for a deferral
            response["resource"] = {"type": kind, "message": self._public(posted.message)}
        self._echo(posted)
        if request.query.get("with_response") in ("1", "true", "True"):
            return _json_response(response)
        return web.Response(status=204)

    async def _update_callback(
        self, record: InteractionRecord, body: Json, response: Json, request: web.Request
    ) -> web.Response:
        """Types 6 and 7: acknowledge a component click, or edit the message it sits on."""
        source = record.payload.get("message")
        if source is None:
            return _error(400, "Interaction has no message to update", 50035)
        record.callbacks.append(body)
        message = self.messages[int(source["id"])]
        if int(body["type"]) == UPDATE_MESSAGE:
            data = body.get("data") or {}
            validate_message_body(data)
            for key in ("content", "embeds", "components"):
                if key in data:
                    message[key] = data[key]
            message["components"] = components_response(message["components"])
            message["edited_timestamp"] = _now_iso()
            edit = PostedMessage(int(message["channel_id"]), data, message, "update", record.token)
            self.posted.append(edit)
            record.messages.append(edit)
        if int(body["type"]) == UPDATE_MESSAGE:
            response["resource"] = {"type": UPDATE_MESSAGE, "message": self._public(message)}
        if request.query.get("with_response") in ("1", "true", "True"):
            return _json_response(response)
        return web.Response(status=204)

    def _webhook_record(self, request: web.Request) -> InteractionRecord | None:
        if request.match_info["app_id"] != str(self.application_id):
            return None
        return self.interactions.get(request.match_info["token"])

    async def _followup(self, request: web.Request) -> web.Response:
        record = self._webhook_record(request)
        if record is None:
            return _error(404, "Unknown Webhook", 10015)
        if not record.callbacks:
            return _error(404, "Unknown Webhook", 10015)  # Discord: respond before following up
        body = request[BODY] or {}
        if not (body.get("content") or body.get("embeds")):
            return _error(400, "Cannot send an empty message", 50006)
        flags = int(body.get("flags") or 0)
        original = record.messages[0] if record.messages else None
        if (
            original is not None
            and record.deferred
            and int(original.message.get("flags") or 0) & LOADING
        ):
            # The first followup after a deferral replaces the "thinking" message,
            # keeping its ephemerality.
            original.message["flags"] = int(original.message["flags"]) & EPHEMERAL
            flags = int(original.message["flags"])
        channel_id = int(record.payload["channel"]["id"])
        posted = self._create_bot_message(
            channel_id, body, via="followup", flags=flags, interaction=record
        )
        self._echo(posted)
        if request.query.get("wait") in ("true", "1", "True"):
            return _json_response(self._public(posted.message))
        return web.Response(status=204)

    def _webhook_message(self, record: InteractionRecord, message_id: str) -> PostedMessage | None:
        if message_id == "@original":
            return record.messages[0] if record.messages else None
        return next((m for m in record.messages if m.message["id"] == message_id), None)

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        record = self._webhook_record(request)
        if record is None:
            return _error(404, "Unknown Webhook", 10015)
        posted = self._webhook_message(record, request.match_info["message_id"])
        if posted is None:
            return _error(404, "Unknown Message", 10008)
        return _json_response(self._public(posted.message))

    async def _edit_webhook_message(self, request: web.Request) -> web.Response:
        record = self._webhook_record(request)
        if record is None:
            return _error(404, "Unknown Webhook", 10015)
        posted = self._webhook_message(record, request.match_info["message_id"])
        if posted is None:
            return _error(404, "Unknown Message", 10008)
        body = request[BODY] or {}
        validate_message_body(body)
        message = posted.message
        for key in ("content", "embeds", "components"):
            if key in body:
                message[key] = body[key]
        message["components"] = components_response(message["components"])
        message["flags"] = int(message.get("flags") or 0) & ~LOADING
        message["edited_timestamp"] = _now_iso()
        content = str(message.get("content") or "")
        message["_pings"] = self._pings(body, content, None)
        edit = PostedMessage(posted.channel_id, body, message, "edit", record.token)
        self.posted.append(edit)
        record.messages.append(edit)
        return _json_response(self._public(message))

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        record = self._webhook_record(request)
        if record is None:
            return _error(404, "Unknown Webhook", 10015)
        posted = self._webhook_message(record, request.match_info["message_id"])
        if posted is None:
            return _error(404, "Unknown Message", 10008)
        record.messages = [m for m in record.messages if m.message is not posted.message]
        return web.Response(status=204)

    # -------------------------------------------------------------- gateway

    async def _gateway_ws(self, request: web.Request) -> web.StreamResponse:
        self.gateway_queries.append(dict(request.query))
        if request.query.get("encoding", "json") != "json":
            return _error(400, "the fake speaks encoding=json only")
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        self._sockets.add(ws)
        if request.query.get("compress") == "zlib-stream":
            self._zlib[ws] = zlib.compressobj()  # one stream for the connection's life
        peer = self._peer(request)
        await self._send(ws, _frame(10, {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}))
        try:
            async for msg in ws:
                if msg.type is aiohttp.WSMsgType.TEXT:
                    await self._gateway_op(ws, json.loads(msg.data), peer)
                elif msg.type is aiohttp.WSMsgType.ERROR:
                    break
        finally:
            self._sockets.discard(ws)
            self._zlib.pop(ws, None)
            for session in self._sessions.values():
                if session.ws is ws:
                    session.ws = None  # events keep being queued for a RESUME
            await self._notify()
        return ws

    async def _send(self, ws: web.WebSocketResponse, payload: Json) -> None:
        """A text frame, or with ``compress=zlib-stream`` a binary frame of the connection's
        one zlib stream, each message ending in a sync flush (``00 00 ff ff``) as Discord does."""
        data = json.dumps(payload)
        stream = self._zlib.get(ws)
        if stream is None:
            await ws.send_str(data)
            return
        await ws.send_bytes(stream.compress(data.encode()) + stream.flush(zlib.Z_SYNC_FLUSH))
        self.compressed_frames += 1

    def _session_on(self, ws: web.WebSocketResponse) -> _Session | None:
        return next((s for s in self._sessions.values() if s.ws is ws), None)

    async def _attach(self, session: _Session, ws: web.WebSocketResponse) -> None:
        """Make ``ws`` carry ``session`` as its shard's current one; an older connection
        of that shard is closed, as Discord does when a session moves."""
        replaced = self._current.get(session.shard_id)
        for old in {session.ws, replaced.ws if replaced else None} - {None, ws}:
            assert old is not None
            for other in self._sessions.values():
                if other.ws is old:
                    other.ws = None
            if not old.closed:
                await old.close(code=4000)
        session.ws = ws
        self._current[session.shard_id] = session

    async def _gateway_op(self, ws: web.WebSocketResponse, msg: Json, peer: str | None) -> None:
        op, data = msg.get("op"), msg.get("d")
        if op == 1:
            self.heartbeats += 1
            await self._send(ws, _frame(11))
        elif op == 2:
            await self._identify(ws, data, peer)
        elif op == 6:
            await self._resume(ws, data)
        elif op == 8:
            await self._request_members(ws, data)
        elif op in (3, 4):
            pass  # presence and voice state updates: accepted, nothing to do
        else:
            log.error("fake Discord: UNKNOWN GATEWAY OPCODE %s", op)
            await ws.close(code=4001, message=b"Unknown opcode")
        await self._notify()

    def _shard_problem(self, shard: Any) -> tuple[int, bytes] | None:
        """The close code Discord answers a bad ``shard`` in IDENTIFY with, or None."""
        if shard is None:
            return (4011, b"Sharding required.") if self.shard_count > 1 else None
        valid = (
            isinstance(shard, list)
            and len(shard) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) for n in shard)
        )
        if valid and shard[1] < self.shard_count:
            return 4011, b"Sharding required."  # too few shards for the bot's guilds
        if not valid or shard[1] != self.shard_count or not 0 <= shard[0] < shard[1]:
            return 4010, b"Invalid shard."
        return None

    async def _identify(self, ws: web.WebSocketResponse, data: Json, peer: str | None) -> None:
        self.identifies.append(data)
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(data.get("intents", 0))
        if intents & PRIVILEGED_INTENTS & ~self.enabled_privileged_intents:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        problem = self._shard_problem(data.get("shard"))
        if problem is not None:
            await ws.close(code=problem[0], message=problem[1])
            return
        shard_id, shard_count = data.get("shard") or (0, 1)
        session = _Session(secrets.token_hex(16), shard_id, shard_count, intents)
        session.peer = peer
        self._sessions[session.id] = session
        await self._attach(session, ws)
        guilds = self.guilds_on_shard(shard_id)
        await self._dispatch_on(
            session,
            "READY",
            {
                "v": 10,
                "user": {**self.bot_user.payload(), "verified": True, "mfa_enabled": False},
                "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
                "session_id": session.id,
                "resume_gateway_url": self.gateway_url,
                "application": {"id": str(self.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "geo_ordered_rtc_regions": [],
                **({"shard": data["shard"]} if "shard" in data else {}),
            },
        )
        self.ready_sent += 1
        if intents & INTENT_GUILDS:
            for guild in guilds:
                await self._dispatch_on(
                    session, "GUILD_CREATE", self.guild_create_payload(guild, intents)
                )

    async def _resume(self, ws: web.WebSocketResponse, data: Json) -> None:
        self.resumes.append(data)
        session = self._sessions.get(str(data.get("session_id")))
        if data.get("token") != self.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        if session is None:
            await self._send(ws, _frame(9, False))
            return
        await self._attach(session, ws)
        seq = int(data.get("seq") or 0)
        for event in session.sent:
            if event["s"] > seq:
                await self._send(ws, event)
        await self._dispatch_on(session, "RESUMED", {})
        self.resumed_sent += 1

    async def _request_members(self, ws: web.WebSocketResponse, data: Json) -> None:
        session = self._session_on(ws)
        if session is None:
            await ws.close(code=4003, message=b"Not authenticated.")
            return
        guild = self.guild(int(data.get("guild_id") or self.guild_id))
        await self._dispatch_on(
            session,
            "GUILD_MEMBERS_CHUNK",
            {
                "guild_id": str(guild.id),
                "members": [self.member_payload(u, guild=guild) for u in self.users],
                "chunk_index": 0,
                "chunk_count": 1,
                "not_found": [],
                "nonce": data.get("nonce"),
            },
        )

    async def _dispatch(self, event: str, data: Json, *, shard_id: int = 0) -> None:
        """Send ``event`` on the current session of ``shard_id`` (queued while it is away)."""
        session = self._current.get(shard_id)
        if session is None:
            raise RuntimeError(
                f"no gateway session on shard {shard_id}: the bot has not identified"
            )
        await self._dispatch_on(session, event, data)

    async def _dispatch_guild(self, event: str, data: Json, guild_id: int | None) -> None:
        """Send a guild's event on that guild's shard only; DMs (no guild) go to shard 0."""
        await self._dispatch(
            event, data, shard_id=0 if guild_id is None else self.shard_of(guild_id)
        )

    async def _dispatch_on(self, session: _Session, event: str, data: Json) -> None:
        session.seq += 1
        payload = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.sent.append(payload)
        guild = data.get("guild_id") or (data.get("id") if event == "GUILD_CREATE" else None)
        self.dispatches.append(
            Dispatch(session.shard_id, event, int(guild) if guild else None, session.seq)
        )
        ws = session.ws
        if ws is None or ws.closed:
            return  # kept for replay when the client resumes
        with contextlib.suppress(ConnectionResetError):
            await self._send(ws, payload)

    # ---------------------------------------------------------- test helpers

    @property
    def _session(self) -> _Session | None:
        """Shard 0's current session (the only one of an unsharded bot)."""
        return self._current.get(0)

    @property
    def session_id(self) -> str | None:
        """The id of shard 0's current gateway session (from the last READY)."""
        return self._session.id if self._session is not None else None

    @property
    def connected(self) -> bool:
        """Whether shard 0 (the only shard of an unsharded bot) has a live session."""
        return self._session is not None and self._session.live

    @property
    def connected_shards(self) -> dict[int, str | None]:
        """Shards with a live session, each with who identified it (``identify_peer``)."""
        return {shard: s.peer for shard, s in sorted(self._current.items()) if s.live}

    def sent(self, event: str) -> list[Json]:
        """The data of every ``event`` dispatched so far, on any shard and session."""
        return [e["d"] for s in self._sessions.values() for e in s.sent if e["t"] == event]

    def events_for(self, guild_id: int, event: str | None = None) -> list[Dispatch]:
        """The events sent for one guild (all shards), optionally of one type."""
        return [
            d
            for d in self.dispatches
            if d.guild_id == guild_id and (event is None or d.event == event)
        ]

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 5.0) -> None:
        """Wait until ``predicate()`` holds; re-checked after every request or gateway op."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(predicate)

    async def wait_for_identify(self, count: int = 1, timeout: float = 5.0) -> None:
        await self.wait_until(lambda: self.ready_sent >= count and self.connected, timeout)

    async def wait_for_shards(self, shard_ids: Iterable[int], timeout: float = 5.0) -> None:
        """Wait until every shard in ``shard_ids`` has a live, identified session."""
        wanted = set(shard_ids)
        try:
            await self.wait_until(lambda: wanted <= set(self.connected_shards), timeout)
        except TimeoutError:
            raise AssertionError(
                f"fake Discord: shards {sorted(wanted - set(self.connected_shards))} never "
                f"identified (connected: {self.connected_shards})"
            ) from None

    def dm_channel(self, user: FakeUser) -> int:
        if user.id not in self.dm_channels:
            self.dm_channels[user.id] = self.snowflake()
        return self.dm_channels[user.id]

    async def send_message(
        self,
        content: str,
        *,
        author: FakeUser | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        mention_bot: bool = False,
        webhook_id: int | None = None,
        nitro: bool = False,
        reply_to: Json | None = None,
    ) -> Json:
        """Deliver MESSAGE_CREATE as Discord would to this bot; returns the full message.

        ``mention_bot`` prefixes ``<@bot_id>``. Mentions of users and roles in
        ``content`` are resolved the way Discord resolves them. The bot only
        receives the message when it identified with the matching intent, and
        only sees the content when it is mentioned, in DMs, or has the
        Message Content intent. ``webhook_id`` makes it a webhook's message;
        ``reply_to`` (a message, e.g. ``PostedMessage.message``) makes it a reply. A
        message longer than Discord's client lets one type (2,000 characters,
        4,000 with ``nitro``) raises :class:`ClientRefused`.
        """
        author = author or self.member
        if mention_bot:
            content = f"{self.bot_user.mention} {content}"
        cap = MAX_CONTENT_NITRO if nitro else MAX_CONTENT
        if len(content) > cap:
            raise ClientRefused(
                f"Discord's client sends at most {cap} characters, not {len(content)}"
            )
        if dm:
            channel_id = self.dm_channel(author)
            if not any(u.id == author.id for u in self.users):
                self.users.append(author)
        channel_id = channel_id or self.channel_id
        guild = None if dm else self.guild_of_channel(channel_id) or self.guilds[0]
        message = self.message_payload(channel_id=channel_id, author=author, content=content)
        mentioned = {int(u) for u in re.findall(r"<@!?(\d+)>", content)}
        message["mentions"] = [
            {**u.payload(), "member": self.member_payload(u, with_user=False, guild=guild)}
            if not dm
            else u.payload()
            for u in self.users
            if u.id in mentioned
        ]
        message["mention_roles"] = re.findall(r"<@&(\d+)>", content)
        message["mention_everyone"] = bool(
            re.search(r"@(everyone|here)", content)
            and self.permissions_of(author, guild) & MENTION_EVERYONE
        )
        if webhook_id is not None:
            message["webhook_id"] = str(webhook_id)
        if reply_to is not None:  # as Discord sends a reply: the message it replies to inside
            message["type"] = 19
            message["message_reference"] = {
                "type": 0,
                "message_id": reply_to["id"],
                "channel_id": reply_to["channel_id"],
                **({"guild_id": reply_to["guild_id"]} if "guild_id" in reply_to else {}),
            }
            message["referenced_message"] = self._public(reply_to)
        self.messages[int(message["id"])] = message
        await self._deliver(message, guild, mentions_bot=self.bot_user.id in mentioned)
        return message

    async def _deliver(self, message: Json, guild: FakeGuild | None, *, mentions_bot: bool) -> None:
        """MESSAGE_CREATE to the bot, on the guild's shard, as its intents allow."""
        needed = INTENT_GUILD_MESSAGES if guild is not None else INTENT_DIRECT_MESSAGES
        shard_id = 0 if guild is None else self.shard_of(guild.id)
        session = self._current.get(shard_id)
        intents = session.intents if session is not None else 0
        if not intents & needed:
            log.warning("fake Discord: bot lacks the intent for this message; not delivered")
            return
        delivered = {k: v for k, v in message.items() if not k.startswith("_")}
        sees_content = (
            guild is None
            or mentions_bot
            or message["author"]["id"] == str(self.bot_user.id)
            or intents & INTENT_MESSAGE_CONTENT
        )
        if not sees_content:
            delivered.update({"content": "", "embeds": [], "attachments": [], "components": []})
        await self._dispatch("MESSAGE_CREATE", delivered, shard_id=shard_id)

    def _echo(self, posted: PostedMessage) -> None:
        """Discord sends the bot its own public messages too (channel posts, interaction
        responses, follow-ups); ephemeral ones and deferrals' placeholders stay private.

        Sent from a task once the request is answered, as the REST answer usually
        reaches a client before the gateway event."""
        flags = int(posted.message.get("flags") or 0)
        if flags & (EPHEMERAL | LOADING):
            return
        guild = self.guild_of_channel(posted.channel_id)
        if guild is None and posted.channel_id not in self.dm_channels.values():
            return
        if self._current.get(0 if guild is None else self.shard_of(guild.id)) is None:
            return  # not identified on that shard (yet): Discord has nobody to tell
        task = asyncio.create_task(self._deliver(posted.message, guild, mentions_bot=False))
        self._echoes.add(task)
        task.add_done_callback(self._echoes.discard)

    def command(self, name: str, guild_id: int | None = None, *, dm: bool = False) -> Json | None:
        """A registered command by name: the guild's copy first (the first guild's by
        default), then the global one; in a DM only a global one."""
        for scope in (None,) if dm else (guild_id or self.guild_id, None):
            for cmd in self.commands.get(scope, []):
                if cmd["name"] == name and int(cmd.get("type", 1)) == 1:
                    return cmd
        return None

    def _options(self, cmd: Json | None, values: dict[str, Any], focused: str | None) -> list[Json]:
        schema = {o["name"]: o for o in (cmd or {}).get("options", [])}
        options = []
        for name, value in values.items():
            if value is None:
                continue
            if cmd is not None and name not in schema:
                raise KeyError(f"{cmd['name']} has no option {name!r}; it has {sorted(schema)}")
            kind = schema[name]["type"] if name in schema else OPTION_TYPES[type(value)]
            option: Json = {"name": name, "type": kind, "value": value}
            if name == focused:
                option["focused"] = True
                option["value"] = str(value)
            options.append(option)
        return options

    def _resolved(self, options: list[Json]) -> Json:
        """The ``resolved`` objects Discord attaches for user (6), channel (7), role (8) and
        attachment (11) options."""
        resolved: dict[str, Json] = {}
        for option in options:
            nested = self._resolved(option.get("options") or [])
            for key, values in nested.items():
                resolved.setdefault(key, {}).update(values)
            kind, value = option.get("type"), option.get("value")
            if value is None or kind not in (6, 7, 8, ATTACHMENT_OPTION):
                continue
            option["value"] = str(value)
            if kind == ATTACHMENT_OPTION:
                if int(value) not in self.attachments:
                    raise KeyError(f"no uploaded attachment {value}; use FakeDiscord.upload")
                attachment = self.attachments[int(value)][0]
                resolved.setdefault("attachments", {})[str(value)] = dict(attachment)
            elif kind == 7:
                channel = self.channel_payload(int(value))
                channel["permissions"] = str(EVERYONE_PERMISSIONS)
                resolved.setdefault("channels", {})[str(value)] = channel
            elif kind == 6:
                user = self.user(int(value))
                resolved.setdefault("users", {})[str(value)] = user.payload()
                member = self.member_payload(user, with_user=False)
                member["permissions"] = str(self.permissions_of(user))
                resolved.setdefault("members", {})[str(value)] = member
            else:
                roles = [r for g in self.guilds for r in self.role_payloads(g)]
                role = next(r for r in roles if r["id"] == str(value))
                resolved.setdefault("roles", {})[str(value)] = role
        return resolved

    async def _interaction(
        self,
        kind: int,
        name: str,
        options: dict[str, Any],
        *,
        user: FakeUser | None,
        channel_id: int | None,
        focused: str | None = None,
        dm: bool = False,
    ) -> InteractionRecord:
        user = user or self.member
        channel_id = self.dm_channel(user) if dm else channel_id or self.channel_id
        guild = None if dm else self.guild_of_channel(channel_id) or self.guilds[0]
        top, *path = name.split()
        cmd = self.command(top, guild.id if guild else None, dm=dm)
        if cmd is None:
            log.warning("fake Discord: /%s was never registered by the bot", top)
        elif kind == 2:
            self._client_offers(cmd, user, guild)
        # "/config show": subcommands (type 1) and groups (type 2) nest the options.
        schema: Json | None = cmd
        chain: list[Json] = []
        for part in path:
            sub = next((o for o in (schema or {}).get("options", []) if o["name"] == part), None)
            if schema is not None and sub is None:
                raise KeyError(f"/{name}: no subcommand {part!r}")
            chain.append({"name": part, "type": sub["type"] if sub else 1, "options": []})
            schema = sub
        if kind == 2 and schema is not None:
            check_option_values(name, schema, options)
        leaf = self._options(schema, options, focused)
        for level in reversed(chain):
            level["options"] = leaf
            leaf = [level]
        data: Json = {
            "id": cmd["id"] if cmd else str(self.snowflake()),
            "name": top,
            "type": 1,
            "options": leaf,
        }
        resolved = self._resolved(leaf)
        if resolved:
            data["resolved"] = resolved
        if cmd is not None and "guild_id" in cmd:
            data["guild_id"] = cmd["guild_id"]
        return await self._dispatch_interaction(kind, data, user=user, channel_id=channel_id)

    def upload(
        self, filename: str, data: bytes, content_type: str = "text/plain; charset=utf-8"
    ) -> int:
        """A file a user picks for an attachment option; pass the id it returns as the
        option's value. Discord keeps it on its CDN (here GET /attachments/...) and the
        interaction carries its object in ``resolved.attachments``."""
        attachment_id = self.snowflake()
        url = f"{self.base_url}/attachments/{attachment_id}/{filename}"
        attachment = {
            "id": str(attachment_id),
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
            "ephemeral": True,
        }
        self.attachments[attachment_id] = (attachment, data)
        return attachment_id

    async def submit_modal(
        self, record: InteractionRecord, values: dict[str, str]
    ) -> InteractionRecord:
        """Fill in the modal the bot answered ``record`` with and submit it, as its user.

        ``values`` are keyed by each text input's label (or custom id); inputs left out
        are sent empty. What the client would not send raises :class:`ClientRefused`: a
        required input left empty, text outside its length bounds.
        """
        modal = record.modal
        if modal is None:
            raise ValueError(f"{record.describe()} was not answered with a modal")
        left = dict(values)
        rows = []
        for item in modal["components"]:
            labelled = item["type"] == LABEL
            inputs = [item["component"]] if labelled else item["components"]
            filled = []
            for text_input in inputs:
                names = (
                    item.get("label") if labelled else text_input.get("label"),
                    text_input["custom_id"],
                )
                key = next((n for n in names if n in left), None)
                value = left.pop(key) if key is not None else ""
                self._check_text_input(text_input, value, names[0] or names[1])
                filled.append(
                    {
                        "type": TEXT_INPUT,
                        "id": text_input.get("id"),
                        "custom_id": text_input["custom_id"],
                        "value": value,
                    }
                )
            if labelled:
                rows.append({"type": LABEL, "id": item.get("id"), "component": filled[0]})
            else:
                rows.append({"type": 1, "id": item.get("id"), "components": filled})
        if left:
            raise KeyError(f"the modal has no inputs {sorted(left)}")
        author = record.payload.get("member", record.payload).get("user") or {}
        return await self._dispatch_interaction(
            MODAL_SUBMIT,
            {"custom_id": modal["custom_id"], "components": rows},
            user=self.user(int(author["id"])),
            channel_id=int(record.payload["channel_id"]),
            opened_by=record,
        )

    @staticmethod
    def _check_text_input(text_input: Json, value: str, name: str) -> None:
        if not value and text_input.get("required", True):
            raise ClientRefused(f"the modal's {name!r} is required")
        low, high = text_input.get("min_length") or 0, text_input.get("max_length") or 4000
        if value and not low <= len(value) <= high:
            raise ClientRefused(f"the modal's {name!r}: length {len(value)} outside {low}..{high}")

    def _client_offers(self, cmd: Json, user: FakeUser, guild: FakeGuild | None) -> None:
        """Raise :class:`ClientRefused` where Discord's client would not offer ``cmd``:
        outside its ``contexts``, or hidden by ``default_member_permissions`` with no
        override for the user or one of their roles."""
        context = 0 if guild is not None else 1  # GUILD, BOT_DM
        contexts = cmd.get("contexts")
        if contexts is None:  # before contexts existed: dm_permission
            contexts = [0, 1] if cmd.get("dm_permission", True) else [0]
        if context not in contexts:
            raise ClientRefused(f"/{cmd['name']} is not offered in context {context}")
        needed = cmd.get("default_member_permissions")
        if guild is None or needed is None:
            return
        shown_to = self.command_overrides.get((guild.id, cmd["name"]), set())
        if shown_to & {user.id, guild.everyone_role_id, *self.roles_in(user, guild)}:
            return
        permissions, bits = self.permissions_of(user, guild), int(needed)
        if not permissions & ADMINISTRATOR and (bits == 0 or permissions & bits != bits):
            raise ClientRefused(
                f"/{cmd['name']} is hidden from {user.username}: it needs permissions {bits}"
            )

    def allow_command(self, name: str, who: FakeUser | int, guild_id: int | None = None) -> None:
        """A server's override showing ``/name`` to a user (or a role id) whatever
        ``default_member_permissions`` says, as Server Settings > Integrations does."""
        target = who.id if isinstance(who, FakeUser) else who
        self.command_overrides.setdefault((guild_id or self.guild_id, name), set()).add(target)

    async def _dispatch_interaction(
        self,
        kind: int,
        data: Json,
        *,
        user: FakeUser,
        channel_id: int,
        message: Json | None = None,
        opened_by: InteractionRecord | None = None,
    ) -> InteractionRecord:
        guild = self.guild_of_channel(channel_id)
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)
        payload: Json = {
            "id": str(self.snowflake()),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "channel_id": str(channel_id),
            "channel": self.channel_payload(channel_id),
            "token": token,
            "version": 1,
            "app_permissions": str(EVERYONE_PERMISSIONS),
            "locale": "en-US",
            "entitlements": [],
            # Guild-installed app: the guild's id, or "0" in a DM with the bot.
            "authorizing_integration_owners": {"0": str(guild.id) if guild else "0"},
            "context": 0 if guild else 1,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if guild is None:  # a DM: the invoking user, no guild or member
            payload["user"] = user.payload()
        else:
            permissions = str(self.permissions_of(user, guild))
            payload.update(
                {
                    "guild_id": str(guild.id),
                    "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
                    "member": {
                        **self.member_payload(user, guild=guild),
                        "permissions": permissions,
                    },
                    "guild_locale": "en-US",
                }
            )
        if message is not None:
            payload["message"] = self._public(message)
        record = InteractionRecord(payload, time.monotonic(), opened_by=opened_by)
        self.interactions[token] = record
        await self._dispatch_guild("INTERACTION_CREATE", payload, guild.id if guild else None)
        return record

    async def slash(
        self,
        name: str,
        *,
        user: FakeUser | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        **options: Any,
    ) -> InteractionRecord:
        """Invoke ``/name`` (``"config show"`` for a subcommand) as ``user`` with ``options``.

        ``user`` is a plain member by default; ``dm`` invokes it in the user's DM
        with the bot. Channel, user and role options take the id.
        Option types come from the command the bot registered; an option the
        command does not have raises ``KeyError``. What Discord's client would
        not send raises :class:`ClientRefused`: a command outside its
        ``contexts`` or hidden by ``default_member_permissions`` (see
        :meth:`allow_command`), a missing required option, a value outside its
        choices, ``min_value``/``max_value`` or length limits (6,000 at most).
        """
        return await self._interaction(2, name, options, user=user, channel_id=channel_id, dm=dm)

    async def autocomplete(
        self,
        name: str,
        focused: str,
        *,
        user: FakeUser | None = None,
        channel_id: int | None = None,
        **options: Any,
    ) -> InteractionRecord:
        """Send the autocomplete interaction a client sends while ``focused`` is typed."""
        options.setdefault(focused, "")
        return await self._interaction(
            4, name, options, user=user, channel_id=channel_id, focused=focused
        )

    async def click(
        self,
        message: PostedMessage | Json,
        label_or_custom_id: str,
        *,
        user: FakeUser | None = None,
    ) -> InteractionRecord:
        """Click the button with this label (or custom id) on a message the bot posted."""
        current = message.message if isinstance(message, PostedMessage) else message
        current = self.messages.get(int(current["id"]), current)
        found = [
            b
            for b in buttons(current)
            if label_or_custom_id in (b.get("label"), b.get("custom_id"))
        ]
        if not found:
            labels = [b.get("label") or b.get("custom_id") for b in buttons(current)]
            raise KeyError(f"no button {label_or_custom_id!r}; the message has {labels}")
        button = found[0]
        if button.get("disabled"):
            raise ValueError(f"button {label_or_custom_id!r} is disabled")
        data = {"custom_id": button["custom_id"], "component_type": 2}
        return await self._dispatch_interaction(
            3,
            data,
            user=user or self.member,
            channel_id=int(current["channel_id"]),
            message=current,
        )

    async def wait_for_message(
        self,
        channel_id: int | None = None,
        timeout: float = 5.0,
        *,
        predicate: Callable[[PostedMessage], bool] | None = None,
        after: int = 0,
    ) -> PostedMessage:
        """The first message the bot posted to ``channel_id`` (via REST) after index ``after``."""
        channel_id = channel_id or self.channel_id

        def match() -> PostedMessage | None:
            for posted in self.posted[after:]:
                if (
                    posted.channel_id == channel_id
                    and posted.via == "channel"
                    and (predicate is None or predicate(posted))
                ):
                    return posted
            return None

        try:
            await self.wait_until(lambda: match() is not None, timeout)
        except TimeoutError:
            raise AssertionError(self._timeout_report(f"no message in {channel_id}")) from None
        found = match()
        assert found is not None
        return found

    async def wait_for_interaction_response(
        self, interaction: InteractionRecord | str, timeout: float = 5.0
    ) -> InteractionRecord:
        """Wait until the interaction has a visible answer (or autocomplete choices)."""
        record = self.interactions[interaction] if isinstance(interaction, str) else interaction

        def done() -> bool:
            return (
                record.choices is not None
                or record.final_message() is not None
                or record.callback_type in (DEFERRED_UPDATE_MESSAGE, MODAL)
            )

        try:
            await self.wait_until(done, timeout)
        except TimeoutError:
            raise AssertionError(
                self._timeout_report(f"no answer to {record.describe()}")
            ) from None
        return record

    def _live(self, shard_id: int) -> tuple[_Session, web.WebSocketResponse]:
        session = self._current.get(shard_id)
        assert session is not None and session.ws is not None, (
            f"the bot is not connected on shard {shard_id}"
        )
        return session, session.ws

    async def close_gateway(self, code: int = 4000, *, shard_id: int = 0) -> None:
        """Close a shard's websocket with ``code`` (Discord's "unknown error" by default)."""
        _, ws = self._live(shard_id)
        await ws.close(code=code, message=b"fake Discord closed the connection")

    async def drop_gateway(self, *, shard_id: int = 0) -> None:
        """Cut a shard's connection without a close frame, like a network failure."""
        session, ws = self._live(shard_id)
        session.ws = None
        ws._writer.transport.abort()  # type: ignore[union-attr]  # no close frame at all
        await self._notify()

    async def send_reconnect(self, *, shard_id: int = 0) -> None:
        """Send op 7 RECONNECT, asking the client to reconnect and resume."""
        _, ws = self._live(shard_id)
        await self._send(ws, _frame(7))

    async def invalidate_session(self, resumable: bool = False, *, shard_id: int = 0) -> None:
        """Send op 9 INVALID_SESSION; a non-resumable one makes the client identify again."""
        session, ws = self._live(shard_id)
        if not resumable:
            self._sessions.pop(session.id, None)
        await self._send(ws, _frame(9, resumable))

    def requests_to(self, route: str) -> list[RecordedRequest]:
        """Recorded requests whose ``route`` (``"METHOD /template"``) contains ``route``."""
        return [r for r in self.requests if route in r.route]

    def _timeout_report(self, what: str) -> str:
        recent = "\n".join(f"  {r.method} {r.path}" for r in self.requests[-10:])
        return (
            f"fake Discord: {what} in time.\nLast requests:\n{recent or '  (none)'}\n"
            f"Unknown routes: {[f'{r.method} {r.path}' for r in self.unknown_routes]}"
        )


class NetworkGuard:
    """Refuses name resolution of anything but loopback, and remembers who asked."""

    ALLOWED = frozenset({"127.0.0.1", "localhost", "::1"})

    def __init__(self) -> None:
        self.blocked: list[str] = []
        self._real = socket.getaddrinfo

    def getaddrinfo(self, host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and str(name) not in self.ALLOWED:
            self.blocked.append(str(name))
            raise OSError(f"e2e tests must not touch the network (tried to resolve {name!r})")
        return self._real(host, *args, **kwargs)


@contextlib.contextmanager
def patch_discord(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    """Point discord.py's REST base and gateway at ``fake``; block other hosts."""
    guard = NetworkGuard()
    monkeypatch.setattr(socket, "getaddrinfo", guard.getaddrinfo)
    monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
    monkeypatch.setattr(
        discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url)
    )
    yield guard
