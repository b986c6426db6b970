"""Soak run: the real bot against the local fake Discord, questions at a steady rate.

Not a test. One process, one event loop: the fake Discord (tests/bot/fake_discord.py)
plays Discord and the users; the bot is built by ``bot.runner.create_bot`` over a
copy of the seeds with a SQLite question log, exactly as ``articlebot`` runs it.
Questions arrive as mentions (and every tenth as ``/ask``) at ``--rate`` per
second, with an admin ``/reindex`` every ``--reindex-every`` seconds. Measured:
the latency from delivering a question to the bot's reply being posted, that
every question is answered exactly once, errors (ERROR log records, timeouts,
duplicates, replies Discord would reject), the event loop's worst lag (a probe
that sleeps 10 ms), and resident memory over the first and last thousand
questions.

    .venv/bin/python benchmarks/soak.py                    # 10,000 questions, a table
    .venv/bin/python benchmarks/soak.py --questions 2000 --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402  (MonkeyPatch only: the fake's patch helper takes one)

from bot.config import load_settings  # noqa: E402
from bot.runner import create_bot  # noqa: E402
from index.engine import Engine  # noqa: E402
from tests.bot.fake_discord import FakeDiscord, PostedMessage, patch_discord  # noqa: E402

QUESTIONS = (
    "how many troops were sent?",
    "who showcased new drones?",
    "when were the troops deployed to Russia?",
    "what did Kim Jong Un evaluate?",
    "where did North Korean soldiers fight?",
    "who won the 2018 world cup?",
    "how many North Korean soldiers were deployed earlier?",
    "what did the Joint Chiefs of Staff observe?",
)
TIMEOUT_S = 10.0


class TimedDiscord(FakeDiscord):
    """The fake, noting when each user message got its reply (and how many replies)."""

    def __init__(self) -> None:
        super().__init__()
        self.replied_at: dict[str, list[float]] = {}
        self.followups: dict[str, list[float]] = {}

    def _create_bot_message(self, channel_id: int, body: Any, **kwargs: Any) -> PostedMessage:
        posted = super()._create_bot_message(channel_id, body, **kwargs)
        now = time.perf_counter()
        reference = (body.get("message_reference") or {}).get("message_id")
        if reference is not None and (posted.content or posted.embeds):
            self.replied_at.setdefault(str(reference), []).append(now)
        if posted.via == "followup" and posted.interaction_token:
            self.followups.setdefault(posted.interaction_token, []).append(now)
        return posted

    def trim(self) -> None:
        """Forget old records so the fake's own memory does not count as the bot's."""
        self.requests.clear()
        self.posted.clear()
        self.typing.clear()
        if len(self.messages) > 500:
            for key in list(self.messages)[:-200]:
                del self.messages[key]
        if self._session is not None:
            self._session.sent.clear()
        done = [t for t, r in self.interactions.items() if r.messages or r.choices is not None]
        for token in done[:-50]:
            del self.interactions[token]


class ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()}"[:300])


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def soak(questions: int, rate: float, reindex_every: float) -> dict[str, Any]:
    errors = ErrorCounter()
    logging.getLogger().addHandler(errors)
    logging.getLogger().setLevel(logging.WARNING)
    work = Path(tempfile.mkdtemp(prefix="articlebot-soak-"))
    seeds = work / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    monkeypatch = pytest.MonkeyPatch()
    fake = TimedDiscord()
    await fake.start()
    lag_max = 0.0
    stop = asyncio.Event()

    async def probe() -> None:
        nonlocal lag_max
        while not stop.is_set():
            started = time.perf_counter()
            await asyncio.sleep(0.01)
            lag_max = max(lag_max, time.perf_counter() - started - 0.01)

    try:
        with patch_discord(fake, monkeypatch):
            settings = load_settings(
                {
                    "DISCORD_TOKEN": fake.token,
                    "ARTICLEBOT_SEEDS": str(seeds),
                    "ARTICLEBOT_DEV_GUILD_ID": str(fake.guild_id),
                    "ARTICLEBOT_DATABASE": str(work / "data" / "soak.sqlite3"),
                    "ARTICLEBOT_INDEX_DIR": str(work / "index"),
                    "ARTICLEBOT_COOLDOWN_QUESTIONS": "1000000",
                    "ARTICLEBOT_LOG_LEVEL": "WARNING",
                }
            )
            os.environ["ARTICLEBOT_INDEX_DIR"] = str(work / "index")
            bot = create_bot(settings, Engine.from_folder(seeds))
            runner = asyncio.create_task(bot.start(settings.token))
            await fake.wait_for_identify(timeout=15)
            while bot.get_guild(fake.guild_id) is None:
                await asyncio.sleep(0.01)
            probe_task = asyncio.create_task(probe())

            sent_at: dict[str, float] = {}
            slash: dict[str, float] = {}
            rss: list[float] = []
            reindexes = 0
            interval = 1.0 / rate
            start = time.perf_counter()
            next_reindex = start + reindex_every
            users = [fake.member, fake.editor, fake.admin, fake.owner]
            for i in range(questions):
                due = start + i * interval
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                question = QUESTIONS[i % len(QUESTIONS)]
                user = users[i % len(users)]
                if i % 10 == 9:
                    record = await fake.slash("ask", question=question, user=user)
                    slash[record.token] = time.perf_counter()
                else:
                    message = await fake.send_message(question, author=user, mention_bot=True)
                    sent_at[message["id"]] = time.perf_counter()
                if time.perf_counter() >= next_reindex:
                    await fake.slash("reindex", user=fake.admin)
                    reindexes += 1
                    next_reindex += reindex_every
                if i % 100 == 99:
                    rss.append(rss_mb())
                if i % 500 == 499:
                    fake.trim()
            deadline = time.perf_counter() + TIMEOUT_S
            while time.perf_counter() < deadline and (
                any(k not in fake.replied_at for k in sent_at)
                or any(t not in fake.followups for t in slash)
            ):
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.5)  # a late duplicate would show up here
            elapsed = time.perf_counter() - start
            stop.set()
            await probe_task
            await bot.close()
            await runner
    finally:
        await fake.close()
        monkeypatch.undo()
        logging.getLogger().removeHandler(errors)
        shutil.rmtree(work, ignore_errors=True)

    latencies: list[float] = []
    answered = duplicates = 0
    for key, at in sent_at.items():
        replies = fake.replied_at.get(key, [])
        if replies:
            answered += 1
            latencies.append((replies[0] - at) * 1000)
            duplicates += len(replies) > 1
    for token, at in slash.items():
        replies = fake.followups.get(token, [])
        if replies:
            answered += 1
            latencies.append((replies[0] - at) * 1000)
            duplicates += len(replies) > 1
    per_thousand = 10  # rss sampled every 100 questions
    first = rss[:per_thousand] or [float("nan")]
    last = rss[-per_thousand:] or [float("nan")]
    return {
        "questions": questions,
        "answered": answered,
        "unanswered": questions - answered,
        "duplicates": duplicates,
        "errors": len(errors.lines) + duplicates,
        "error_samples": errors.lines[:5],
        "reindexes": reindexes,
        "rate_per_s": round(questions / elapsed, 1),
        "seconds": round(elapsed, 1),
        "p50_ms": round(percentile(latencies, 50), 2) if latencies else None,
        "p95_ms": round(percentile(latencies, 95), 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 99), 2) if latencies else None,
        "max_ms": round(max(latencies), 2) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies), 2) if latencies else None,
        "loop_lag_max_ms": round(lag_max * 1000, 2),
        "rss_start_mb": round(statistics.fmean(first), 1),
        "rss_end_mb": round(statistics.fmean(last), 1),
        "rss_growth_pct": round((statistics.fmean(last) / statistics.fmean(first) - 1) * 100, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=10_000, help="how many (default 10,000)")
    parser.add_argument("--rate", type=float, default=100.0, help="questions per second (100)")
    parser.add_argument(
        "--reindex-every", type=float, default=5.0, help="seconds between /reindex (5)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    result = asyncio.run(soak(args.questions, args.rate, args.reindex_every))
    if args.json:
        print(json.dumps(result))
    else:
        width = max(len(k) for k in result)
        for key, value in result.items():
            print(f"{key:<{width}}  {value}")
    ok = (
        result["answered"] == result["questions"]
        and result["errors"] == 0
        and (result["p99_ms"] or 1e9) < 250
        and result["loop_lag_max_ms"] < 50
        and result["rss_growth_pct"] < 10
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
