"""Discord's OpenAPI description as a contract the fake Discord is held to.

Every request body the bot sends and every JSON response the fake returns is
validated with ``jsonschema`` against the operation's schema in the vendored
spec (``tests/discord_spec/openapi.json``). A test passing against the fake
then means the bot sent, and was answered with, what Discord documents.

The spec has no gateway section, so gateway frames are not covered here; the
fake builds those from the same payload helpers its REST answers use.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parents[1] / "discord_spec" / "openapi.json"
SPEC_URI = "urn:discord-openapi"


@dataclass(frozen=True)
class Allowance:
    """A documented difference both discord.py and Discord accept: ``field`` of ``route``."""

    route: str  # a regular expression over "METHOD /spec/template"
    field: str  # a regular expression over the field path, e.g. "message_reference/message_id"
    reason: str
    what: str = r"request|response \d+"  # which body: "request" or "response 429"
    message: str = r".*"  # the validator's message, where the field alone is too broad


# The one place where the spec is knowingly not followed. Each entry must be
# something Discord accepts and discord.py does, and only that.
ALLOWED: tuple[Allowance, ...] = (
    Allowance(
        "POST /channels/{channel_id}/messages",
        r"message_reference/(message_id|channel_id|guild_id)",
        "discord.py's Message.to_reference() sends snowflakes as JSON integers; the spec "
        "types them as strings, Discord parses both",
    ),
    Allowance(
        r"(POST|PATCH) /(channels|webhooks)/.*",
        r"attachments/\d+/id",
        "discord.py numbers a new upload's attachment by its index (0, 1, ...) as an integer, "
        "the files[n] it refers to; the spec types ids as snowflake strings, Discord accepts it",
    ),
    Allowance(
        r".*",
        r"errors/.*_errors/\d+/code",
        "Discord's nested form errors carry string codes (BASE_TYPE_MAX_LENGTH), as its docs "
        "show; the spec's Error schema reuses the integer code of the top level",
    ),
    Allowance(
        r".*",
        r"",
        "Discord's rate-limit docs give a 429 body of message, retry_after, global and an "
        "optional code (what Discord sends and discord.py reads); the spec requires code",
        what=r"response 429",
        message=r"'code' is a required property",
    ),
)

# Every fake's figures for the whole test run (FakeDiscord.close adds its own);
# tests/bot/conftest.py prints them at the end.
TOTALS: Counter[str] = Counter()


@dataclass(frozen=True)
class Mismatch:
    route: str
    what: str  # "request" or "response 200"
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.route} {self.what}: {self.field or '(root)'}: {self.message}"


def _pointer(*parts: str) -> str:
    escaped = (p.replace("~", "~0").replace("/", "~1") for p in parts)
    return SPEC_URI + "#" + urllib.parse.quote("/" + "/".join(escaped))


def _leaf(error: ValidationError) -> ValidationError:
    """The specific error under an ``anyOf``/``oneOf``: jsonschema's pick of the closest branch."""
    leaf = best_match([error]) or error
    while leaf.context:  # best_match stops at a nested oneOf whose branches tie
        leaf = best_match(leaf.context) or leaf.context[0]
    return leaf


@dataclass
class Contract:
    """Validates bodies against the spec and keeps the figures of one fake's life."""

    spec: dict[str, Any]
    counts: Counter[str] = field(default_factory=Counter)
    mismatches: list[Mismatch] = field(default_factory=list)
    allowed: list[Mismatch] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Literal segments first, so "@original" wins over "{message_id}".
        self._paths: list[str] = sorted(self.spec["paths"], key=lambda p: p.count("{"))

    def template(self, path: str) -> str | None:
        """The spec's path template for a request path under /api/v10, or None."""
        tail = re.sub(r"^/api/v\d+", "", path)
        for template in self._paths:
            pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template))
            if re.fullmatch(pattern, tail):
                return template
        return None

    def check(self, method: str, path: str, body: Any, status: int, answer: Any) -> None:
        """Validate one exchange; ``body``/``answer`` are None when there was no JSON."""
        template = self.template(path)
        if template is None:
            return  # the fake's own unknown-route 404 and the gateway upgrade
        route = f"{method} {template}"
        op = self.spec["paths"][template].get(method.lower())
        if op is None:
            self._record(Mismatch(route, "request", "", "no such operation in the spec"))
            return
        if body is not None:
            self._validate(route, "request", body, template, method, "requestBody")
        if answer is not None and status < 500:  # the spec describes no server errors
            responses = op["responses"]
            code = str(status) if str(status) in responses else f"{str(status)[0]}XX"
            if code not in responses:
                self._record(Mismatch(route, f"response {status}", "", "status not in the spec"))
                return
            self._validate(route, f"response {status}", answer, template, method, "responses", code)

    def _validate(self, route: str, what: str, value: Any, template: str, *where: str) -> None:
        kind = "requests" if what == "request" else "responses"
        self.counts[kind] += 1
        for error in _validator(template, *where).iter_errors(value):
            leaf = _leaf(error)
            place = "/".join(str(p) for p in leaf.absolute_path)
            self._record(Mismatch(route, what, place, leaf.message[:200]))

    def _record(self, mismatch: Mismatch) -> None:
        allowed = any(
            re.fullmatch(a.route, mismatch.route)
            and re.fullmatch(a.field, mismatch.field)
            and re.fullmatch(a.what, mismatch.what)
            and re.fullmatch(a.message, mismatch.message)
            for a in ALLOWED
        )
        (self.allowed if allowed else self.mismatches).append(mismatch)
        self.counts["allowed" if allowed else "mismatches"] += 1

    def report(self) -> str:
        lines = "\n".join(f"  {m}" for m in dict.fromkeys(str(m) for m in self.mismatches))
        return f"the fake or the bot broke Discord's API spec:\n{lines}"


@cache
def load_spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text())
    return spec


@cache
def _validator(template: str, method: str, *where: str) -> Draft202012Validator:
    """The validator of one body schema: a ``$ref`` into the spec, so its own refs resolve."""
    spec = load_spec()
    node = spec["paths"][template][method.lower()]
    parts = ["paths", template, method.lower()]
    for key in where:
        node = node[key]
        parts.append(key)
    if "$ref" in node:  # a shared response such as ClientErrorResponse
        parts = node["$ref"].removeprefix("#/").split("/")
    ref = _pointer(*parts, "content", "application/json", "schema")
    return Draft202012Validator({"$ref": ref}, registry=_registry())


@cache
def _registry() -> Registry[Any]:
    resource: Resource[Any] = Resource.from_contents(load_spec(), DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
    return registry


def new_contract() -> Contract:
    return Contract(load_spec())


def json_of(raw: bytes | None, content_type: str | None) -> Any:
    """A response body as JSON, or None when it is not JSON."""
    if not raw or content_type != "application/json":
        return None
    return json.loads(raw)
