"""Run the real ``articlebot`` entry point in its own process, against a local fake Discord.

``python -m tests.scale.bot_process`` is ``articlebot`` (:func:`bot.launcher.main`,
which starts the bot when ``DISCORD_TOKEN`` is set) with discord.py's two
addresses of Discord pointed at ``FAKE_DISCORD_URL`` first: the REST base
(``Route.BASE``) and the gateway (``DEFAULT_GATEWAY``, which a bot with a
fixed shard count connects to without asking GET /gateway/bot). Name
resolution of any host but loopback is refused, so the process cannot reach
the real Discord whatever it tries. Everything else (settings from the
environment, sharding, PostgreSQL) is the shipped code path, unchanged.
"""

from __future__ import annotations

import os
import socket
import sys

import discord.gateway
import discord.http
import yarl

from tests.bot.fake_discord import NetworkGuard

FAKE_URL_VARIABLE = "FAKE_DISCORD_URL"


def point_at_fake(base_url: str) -> None:
    """Send discord.py's REST calls and gateway connections to ``base_url`` only."""
    url = yarl.URL(base_url)
    if url.host not in NetworkGuard.ALLOWED:
        raise SystemExit(f"{FAKE_URL_VARIABLE} must point at loopback, not {url.host!r}")
    socket.getaddrinfo = NetworkGuard().getaddrinfo  # type: ignore[assignment]
    discord.http.Route.BASE = f"{base_url}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(
        f"ws://{url.host}:{url.port}/gateway"
    )


def main() -> int:
    base_url = os.environ.get(FAKE_URL_VARIABLE, "").strip()
    if not base_url:
        print(f"bot_process: set {FAKE_URL_VARIABLE}", file=sys.stderr)
        return 2
    point_at_fake(base_url)
    from bot.launcher import main as articlebot

    return articlebot(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
