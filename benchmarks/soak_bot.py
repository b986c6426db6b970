"""The bot side of the soak (``benchmarks/soak.py``), run as a process of its own.

Why a separate process: the soak measures the bot's resident memory, and in one
process that figure also held the fake Discord's records and the benchmark's
per-question bookkeeping, which grow with every question by design. Here the
process holds what ``articlebot`` holds when it runs for real: settings, the
engine, the discord.py client, the SQLite question log, plus a 10 ms event-loop
lag probe, so ``/proc/<pid>/status`` of this process is the bot's memory.

Settings come from the environment exactly as for ``articlebot`` (the soak
passes ``DISCORD_TOKEN``, ``ARTICLEBOT_SEEDS``, ``ARTICLEBOT_DATABASE`` ...);
the only change from a real run is that discord.py's REST base and gateway
point at the fake Discord the parent serves on 127.0.0.1.

Protocol with the parent, one JSON object per line on stdout:
``{"ready": true, "pid": ...}`` once the bot is connected and sees its guild;
then, after the parent writes any line (or closes) on stdin, the bot closes and
prints ``{"loop_lag_max_ms": ..., "error_count": ..., "errors": [the first lines],
"shed": questions refused by the backlog}``
and exits 0.

    .venv/bin/python benchmarks/soak_bot.py --api-base http://127.0.0.1:PORT/api/v10 \\
        --gateway ws://127.0.0.1:PORT/gateway
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import discord  # noqa: E402
import discord.gateway  # noqa: E402
import discord.http  # noqa: E402
import yarl  # noqa: E402

from bot.config import load_settings  # noqa: E402
from bot.discord_app.runner import create_bot  # noqa: E402
from index import Engine, build_corpus  # noqa: E402

READY_TIMEOUT_S = 60.0
PROBE_S = 0.01


class ErrorCounter(logging.Handler):
    """Counts the ERROR records the bot logs (the soak counts each as an error); keeps a few.

    Only the first lines are kept, so that a run gone wrong neither grows the
    bot's memory nor sends the parent a report line of megabytes.
    """

    KEEP = 20

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if len(self.lines) < self.KEEP:
            self.lines.append(f"{record.name}: {record.getMessage()}"[:300])


def point_discord_at(api_base: str, gateway: str) -> None:
    """Aim discord.py's REST base and default gateway at the fake (what ``patch_discord`` does)."""
    discord.http.Route.BASE = api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)


async def stdin_closed_or_line() -> None:
    """Return when the parent writes a line to stdin or closes it: the stop signal."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    await reader.readline()


def emit(payload: dict[str, Any]) -> None:
    """One JSON line to the parent."""
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


async def serve(api_base: str, gateway: str) -> dict[str, Any]:
    """Run the bot until told to stop; return the worst loop lag, the ERROR lines, the shed count."""
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    logging.getLogger().setLevel(logging.WARNING)
    point_discord_at(api_base, gateway)
    settings = load_settings()
    bot = create_bot(settings, Engine(build_corpus(settings.seeds).corpus))
    runner = asyncio.create_task(bot.start(settings.token))
    lag_max = 0.0
    stop = asyncio.Event()

    async def probe() -> None:
        nonlocal lag_max
        while not stop.is_set():
            started = time.perf_counter()
            await asyncio.sleep(PROBE_S)
            lag_max = max(lag_max, time.perf_counter() - started - PROBE_S)

    try:
        async with asyncio.timeout(READY_TIMEOUT_S):
            while not bot.guilds:  # connected and the guild's GUILD_CREATE is processed
                if runner.done():
                    runner.result()  # raises what stopped the bot
                    raise RuntimeError("the bot stopped before it was ready")
                await asyncio.sleep(0.01)
        probe_task = asyncio.create_task(probe())
        emit({"ready": True, "pid": os.getpid()})
        await stdin_closed_or_line()
        stop.set()
        await probe_task
    finally:
        await bot.close()
        await runner
        logging.getLogger().removeHandler(errors)
    return {
        "loop_lag_max_ms": round(lag_max * 1000, 2),
        "error_count": errors.count,
        "errors": errors.lines,
        "shed": bot.backlog.shed,  # refused as "busy" (ARTICLEBOT_MAX_PENDING), not answered
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api-base", required=True, help="the fake's REST base (…/api/v10)")
    parser.add_argument("--gateway", required=True, help="the fake's gateway (ws://…/gateway)")
    args = parser.parse_args(argv)
    emit(asyncio.run(serve(args.api_base, args.gateway)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
