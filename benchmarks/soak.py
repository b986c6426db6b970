"""Soak run: the real bot against the local fake Discord, questions at a steady rate.

Not a test. Two processes: this one serves the fake Discord
(tests/bot/fake_discord.py), plays the users and keeps the books; the bot runs
in ``benchmarks/soak_bot.py``, built by ``bot.discord_app.runner.create_bot`` over a copy of
the seeds with a SQLite question log, exactly as ``articlebot`` runs it, only
pointed at the fake on 127.0.0.1. Questions arrive as mentions (and every tenth
as ``/ask``) at ``--rate`` per second, with an admin ``/reindex`` every
``--reindex-every`` seconds. Measured: the latency from delivering a question
to the bot's reply being posted, that every question is answered exactly once,
errors (ERROR log records in either process, timeouts, duplicates, replies
Discord would reject), the bot's event loop's worst lag (a probe that sleeps
10 ms, in the bot's process), and the bot process's resident memory over the
first and last thousand questions (also over the second thousand, after the
caches have filled). ``shed`` is how many questions the bot refused as busy
(its backlog, ``ARTICLEBOT_MAX_PENDING``, was full); any is a missed target.

Why the bot has a process of its own: the fake's records and the per-question
bookkeeping here grow with every question by design (about 1 KB a question),
and in one process they were counted as the bot's memory.

    .venv/bin/python benchmarks/soak.py                    # 10,000 questions at 20/s, a table
    .venv/bin/python benchmarks/soak.py --questions 2000 --json
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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

from tests.bot.fake_discord import FakeDiscord, PostedMessage  # noqa: E402

BOT_PROCESS = ROOT / "benchmarks" / "soak_bot.py"
QUESTIONS = (
    "how many troops were sent to Russia?",
    "who showcased new drones?",
    "when were the troops deployed to Russia?",
    "what did Kim Jong Un evaluate?",
    "where did North Korean soldiers fight?",
    "who won the 2018 world cup?",
    "how many North Korean soldiers were deployed earlier?",
    "what did the Joint Chiefs of Staff observe?",
)
TIMEOUT_S = 10.0
START_TIMEOUT_S = 90.0  # the bot process builds its index and connects
STOP_TIMEOUT_S = 30.0
RSS_EVERY = 100  # questions between samples of the bot's resident memory
PER_THOUSAND = 1000 // RSS_EVERY
REPORT_LIMIT = 1 << 20  # bytes of one report line from the bot process


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
        """Forget old records: the fake keeps everything for tests, a soak needs none of it."""
        self.requests.clear()
        self.posted.clear()
        self.typing.clear()
        getattr(self, "dispatches", []).clear()  # the event log the sharded fake keeps
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


def rss_mb(pid: int | str = "self") -> float:
    """Resident memory of a process (``VmRSS``), in MiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def bot_environment(fake: FakeDiscord, work: Path) -> dict[str, str]:
    """The bot's settings, passed as ``articlebot`` takes them: environment variables."""
    env = dict(os.environ)
    env.update(
        {
            "DISCORD_TOKEN": fake.token,
            "ARTICLEBOT_SEEDS": str(work / "seeds"),
            "ARTICLEBOT_DEV_GUILD_ID": str(fake.guild_id),
            "ARTICLEBOT_DATABASE": str(work / "data" / "soak.sqlite3"),
            "ARTICLEBOT_INDEX_DIR": str(work / "index"),
            "ARTICLEBOT_COOLDOWN_QUESTIONS": "1000000",
            "ARTICLEBOT_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


class BotProcess:
    """``benchmarks/soak_bot.py`` as a child: started, waited for, stopped, its report read."""

    def __init__(self, fake: FakeDiscord, work: Path) -> None:
        self.fake = fake
        self.work = work
        self.proc: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None, "not started"
        return self.proc.pid

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(BOT_PROCESS),
            "--api-base",
            self.fake.api_base,
            "--gateway",
            self.fake.gateway_url,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=bot_environment(self.fake, self.work),
            cwd=str(self.work),
            limit=REPORT_LIMIT,
        )
        line = await self._line(START_TIMEOUT_S)
        if not line.get("ready"):
            raise RuntimeError(f"the bot process did not start: {line}")

    async def _line(self, timeout: float) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdout is not None
        async with asyncio.timeout(timeout):
            raw = await self.proc.stdout.readline()
        if not raw:
            code = await self.proc.wait()
            raise RuntimeError(f"the bot process exited (status {code}) without a report")
        report: dict[str, Any] = json.loads(raw)
        return report

    async def stop(self) -> dict[str, Any]:
        """Ask the bot to close; its report: worst loop lag and its ERROR lines."""
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(b"stop\n")
        await self.proc.stdin.drain()
        report = await self._line(STOP_TIMEOUT_S)
        await asyncio.wait_for(self.proc.wait(), STOP_TIMEOUT_S)
        return report

    async def kill(self) -> None:
        """Last resort on the way out of a failed run."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()


async def soak(questions: int, rate: float, reindex_every: float) -> dict[str, Any]:
    errors = ErrorCounter()  # the fake's ERROR records: requests Discord would reject
    logging.getLogger().addHandler(errors)
    logging.getLogger().setLevel(logging.WARNING)
    work = Path(tempfile.mkdtemp(prefix="articlebot-soak-"))
    shutil.copytree(ROOT / "seeds", work / "seeds")
    fake = TimedDiscord()
    await fake.start()
    bot = BotProcess(fake, work)
    sent_at: dict[str, float] = {}
    slash: dict[str, float] = {}
    rss: list[float] = []
    reindexes = 0
    try:
        await bot.start()
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
            if i % RSS_EVERY == RSS_EVERY - 1:
                rss.append(rss_mb(bot.pid))
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
        report = await bot.stop()
    finally:
        with contextlib.suppress(ProcessLookupError):
            await bot.kill()
        await fake.close()
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
    error_lines = [*report["errors"], *errors.lines]
    error_count = report["error_count"] + len(errors.lines)

    def mean_mb(samples: list[float]) -> float | None:
        return round(statistics.fmean(samples), 1) if samples else None

    def growth(before: float | None, after: float | None) -> float | None:
        if before is None or after is None:
            return None  # a run too short to have the samples
        return round((after / before - 1) * 100, 2)

    first = mean_mb(rss[:PER_THOUSAND])
    second = mean_mb(rss[PER_THOUSAND : 2 * PER_THOUSAND])
    last = mean_mb(rss[-PER_THOUSAND:])
    return {
        "questions": questions,
        "answered": answered,
        "unanswered": questions - answered,
        "duplicates": duplicates,
        "errors": error_count + duplicates,
        "error_samples": error_lines[:5],
        "reindexes": reindexes,
        "shed": report.get("shed", 0),  # refused by the bot's backlog (ARTICLEBOT_MAX_PENDING)
        "rate_per_s": round(questions / elapsed, 1),
        "seconds": round(elapsed, 1),
        "p50_ms": round(percentile(latencies, 50), 2) if latencies else None,
        "p95_ms": round(percentile(latencies, 95), 2) if latencies else None,
        "p99_ms": round(percentile(latencies, 99), 2) if latencies else None,
        "max_ms": round(max(latencies), 2) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies), 2) if latencies else None,
        "loop_lag_max_ms": report["loop_lag_max_ms"],
        "rss_of": "bot process",
        "rss_start_mb": first,
        "rss_end_mb": last,
        "rss_growth_pct": growth(first, last),
        "rss_second_thousand_mb": second,
        "rss_growth_after_warmup_pct": growth(second, last),
        "rss_max_mb": round(max(rss), 1) if rss else None,
        "rss_by_thousand_mb": [
            mean_mb(rss[k : k + PER_THOUSAND]) for k in range(0, len(rss), PER_THOUSAND)
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=10_000, help="how many (default 10,000)")
    # What this 2-core machine holds with the reader at p99 < 250 ms (docs/operations.md: 20/s
    # gave p99 71 ms, 30/s 336 ms).
    parser.add_argument("--rate", type=float, default=20.0, help="questions per second (20)")
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
        and result["shed"] == 0  # a "busy, ask again" reply is counted as a reply, not an answer
        and (result["p99_ms"] or 1e9) < 250
        and result["loop_lag_max_ms"] < 50
        and result["rss_growth_pct"] is not None
        and result["rss_growth_pct"] < 10
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
