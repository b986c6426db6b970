"""Cut the operations the fake Discord serves out of Discord's OpenAPI description.

Run from the repository root: ``python -m tests.discord_spec.extract`` reads
``../shared/discord/openapi.json`` (discord/discord-api-spec, MIT) and writes
``tests/discord_spec/openapi.json``: the operations below plus every component
they reference, unchanged, so ``$ref`` pointers resolve as in the full spec.
The subset is vendored because users may clone the repository without ../shared.
It also writes ``digests.json``: the SHA-256 of the full spec it was cut from
and of the subset, so a clone without ../shared can still check the subset is
the one cut, and one with it that the spec beside it is the one it was cut from.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parents[1].parent / "shared" / "discord" / "openapi.json"
TARGET = HERE / "openapi.json"
DIGESTS = HERE / "digests.json"

OPERATIONS: dict[str, tuple[str, ...]] = {
    "/gateway": ("get",),
    "/gateway/bot": ("get",),
    "/users/@me": ("get",),
    "/users/@me/channels": ("post",),
    "/oauth2/applications/@me": ("get",),
    "/applications/@me": ("get",),
    "/applications/{application_id}/commands": ("get", "put", "post"),
    "/applications/{application_id}/guilds/{guild_id}/commands": ("get", "put", "post"),
    "/channels/{channel_id}": ("get",),
    "/channels/{channel_id}/messages": ("post",),
    "/channels/{channel_id}/messages/{message_id}": ("get", "patch", "delete"),
    "/channels/{channel_id}/typing": ("post",),
    "/guilds/{guild_id}": ("get",),
    "/guilds/{guild_id}/members/{user_id}": ("get",),
    "/interactions/{interaction_id}/{interaction_token}/callback": ("post",),
    "/webhooks/{webhook_id}/{webhook_token}": ("post",),
    "/webhooks/{webhook_id}/{webhook_token}/messages/@original": ("get", "patch", "delete"),
    "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}": ("get", "patch", "delete"),
}


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def subset(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec reduced to :data:`OPERATIONS` and the components they reach."""
    paths = {
        path: {k: v for k, v in spec["paths"][path].items() if k in (*methods, "parameters")}
        for path, methods in OPERATIONS.items()
    }
    components: dict[str, dict[str, Any]] = {}
    todo, seen = _refs(paths), set()
    while todo:
        ref = todo.pop()
        seen.add(ref)
        _, _, kind, name = ref.split("/", 3)  # "#/components/schemas/Name"
        node = spec["components"][kind][name]
        components.setdefault(kind, {})[name] = node
        todo |= _refs(node) - seen
    return {
        "openapi": spec["openapi"],
        "info": spec["info"],
        "paths": paths,
        "components": {kind: dict(sorted(v.items())) for kind, v in sorted(components.items())},
    }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    spec = json.loads(SOURCE.read_text())
    TARGET.write_text(json.dumps(subset(spec), indent=1, sort_keys=False) + "\n")
    digests = {"source_sha256": sha256(SOURCE), "subset_sha256": sha256(TARGET)}
    DIGESTS.write_text(json.dumps(digests, indent=1) + "\n")
    print(f"wrote {TARGET} ({len(OPERATIONS)} paths) and {DIGESTS.name}")


if __name__ == "__main__":
    main()
