"""Write throughput of the SQLite store and event-loop lag while it writes.

    .venv/bin/python benchmarks/store_throughput.py [--questions 5000] [--tasks 50]

Logs questions from many concurrent tasks (one ``log_question`` each, as the
bot does) on a real file in a temporary folder, while a probe task sleeps 1 ms
in a loop and records how late it wakes up. Prints questions per second and
the probe's lag percentiles. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from bot.storage import QuestionEntry, SQLiteStore, UserHasher

PROBE_SLEEP = 0.001


async def probe(lags: list[float], stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        started = loop.time()
        await asyncio.sleep(PROBE_SLEEP)
        lags.append((loop.time() - started - PROBE_SLEEP) * 1000)


def _entry(i: int) -> QuestionEntry:
    return QuestionEntry(
        user_id=1000 + i % 97,
        question=f"how many troops were sent to the front in wave {i}?",
        found=i % 4 != 0,
        answer="more than 3,000 North Korean troops" if i % 4 else None,
        sentence_id="art-s7",
        article_id="art",
        confidence=0.8,
        latency_ms=3.0,
        guild_id=1,
        channel_id=2,
        source="mention",
    )


async def run(questions: int, tasks: int, batch: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = SQLiteStore(Path(folder) / "bench.sqlite3", hasher=UserHasher(b"x" * 32))
        async with store:
            baseline: list[float] = []
            stop = asyncio.Event()
            task = asyncio.create_task(probe(baseline, stop))
            await asyncio.sleep(0.5)
            stop.set()
            await task

            lags: list[float] = []
            stop = asyncio.Event()
            probe_task = asyncio.create_task(probe(lags, stop))
            per_task = questions // tasks

            async def writer(t: int) -> None:
                base = t * per_task
                if batch > 1:
                    for start in range(0, per_task, batch):
                        await store.log_questions(
                            _entry(base + i) for i in range(start, min(per_task, start + batch))
                        )
                else:
                    for i in range(per_task):
                        await store.log_question(_entry(base + i))

            started = time.perf_counter()
            await asyncio.gather(*(writer(t) for t in range(tasks)))
            elapsed = time.perf_counter() - started
            stop.set()
            await probe_task
            written = await store.count_questions()
        mode = f"batches of {batch}" if batch > 1 else "one question per call"
        print(f"{written} questions from {tasks} tasks, {mode}: {elapsed:.2f} s")
        print(f"  throughput: {written / elapsed:,.0f} questions/s")
        for name, values in (("idle loop", baseline), ("while logging", lags)):
            ordered = sorted(values)
            p99 = ordered[int(len(ordered) * 0.99) - 1]
            print(
                f"  loop lag {name}: median {statistics.median(values):.2f} ms,"
                f" p99 {p99:.2f} ms, max {max(values):.2f} ms ({len(values)} probes)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--batch", type=int, default=1)
    args = parser.parse_args()
    asyncio.run(run(args.questions, args.tasks, args.batch))


if __name__ == "__main__":
    main()
