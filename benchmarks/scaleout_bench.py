"""Scale-out benchmark (not a test): 1, 2 and 4 processes on PostgreSQL vs the embedded backend.

Each worker process loads the seeds, then answers questions as the bot does
(``Engine.ask`` off the loop + ``store.log_question``) for ``--seconds``;
the parent reports questions per second over all processes and the p95
latency of one question. Then the reindex propagation time: one process
publishes a new index version, a follower in another process switches; the
median over ``--rounds``.

    .venv/bin/python benchmarks/scaleout_bench.py [--seconds 5] [--database-url URL]

Without ``--database-url`` it starts a private PostgreSQL like the tests do.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = (
    "how many troops were sent to Russia",
    "when were the images released",
    "who is the president of France",
    "what did the report say about casualties",
)


def _worker(backend: str, target: str, seeds: str, seconds: float, out: mp.Queue) -> None:  # type: ignore[type-arg]
    from bot.storage import QuestionEntry, SQLiteStore, UserHasher
    from bot.storage.postgres import PostgresStore
    from index.engine import Engine
    from index.saved.building import open_corpus

    engine = Engine(open_corpus(seeds, Path(tempfile.mkdtemp()) / "index"))
    hasher = UserHasher(b"bench-salt-0123456789abcdef")
    store = (
        PostgresStore(target, hasher=hasher)
        if backend == "postgres"
        else SQLiteStore(target, hasher=hasher)
    )

    async def run() -> list[float]:
        await store.open()
        latencies: list[float] = []
        deadline = time.perf_counter() + seconds
        i = 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            question = QUESTIONS[i % len(QUESTIONS)]
            answer = await asyncio.to_thread(engine.ask, question)
            await store.log_question(
                QuestionEntry.from_answer(
                    answer, user_id=i, guild_id=1, channel_id=2, source="mention"
                )
            )
            latencies.append((time.perf_counter() - started) * 1000)
            i += 1
        await store.close()
        return latencies

    out.put(asyncio.run(run()))


def measure(
    backend: str, target: str, seeds: str, processes: int, seconds: float
) -> dict[str, float]:
    if backend == "embedded":  # create the schema once: concurrent first opens race (noted)
        from bot.storage import SQLiteStore, UserHasher

        async def create() -> None:
            async with SQLiteStore(target, hasher=UserHasher(b"bench-salt-0123456789abcdef")):
                pass

        asyncio.run(create())
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    workers = [
        ctx.Process(target=_worker, args=(backend, target, seeds, seconds, queue))
        for _ in range(processes)
    ]
    for w in workers:
        w.start()
    latencies = [lat for _ in workers for lat in queue.get()]
    for w in workers:
        w.join()
    ordered = sorted(latencies)
    return {
        "questions_per_s": len(latencies) / seconds,
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
    }


def _follower(url: str, state: str, seeds: str, ready: mp.Event, out: mp.Queue) -> None:  # type: ignore[type-arg]
    from bot.serving.shared_index import SharedIndex
    from index.engine import Engine

    shared = SharedIndex(url, state)
    engine = Engine(shared.load_in_force(seeds).report.corpus)

    async def run() -> None:
        task = asyncio.create_task(
            shared.follow(engine, on_switch=lambda s: out.put(time.time()), poll_seconds=30)
        )
        await asyncio.sleep(0.5)
        ready.set()
        await asyncio.sleep(3600)
        task.cancel()

    asyncio.run(run())


def propagation(url: str, seeds: Path, rounds: int) -> list[float]:
    from bot.serving.shared_index import SharedIndex

    work = Path(tempfile.mkdtemp())
    folder = work / "seeds"
    shutil.copytree(seeds, folder)
    writer = SharedIndex(url, work / "writer")
    corpus = writer.load_in_force(folder).report.corpus
    ctx = mp.get_context("spawn")
    ready, queue = ctx.Event(), ctx.Queue()
    follower = ctx.Process(target=_follower, args=(url, str(work / "f"), str(folder), ready, queue))
    follower.start()
    ready.wait(60)
    times = []
    for n in range(rounds):
        (folder / f"extra-{n}.txt").write_text(
            f"Extra article {n}\n\nThe bench added article number {n} to the seeds.\n"
        )
        switch = writer.reindex(folder, corpus)
        corpus = switch.report.corpus
        published = time.time()
        times.append(queue.get(timeout=10) - published)
    follower.kill()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    seeds = ROOT / "seeds"
    server = None
    if args.database_url is None:
        from tests.pg_server import PostgresServer

        server = PostgresServer().start()
    try:
        print(
            f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        )
        print(f"{'backend':<10} {'procs':>5} {'questions/s':>12} {'p95 ms':>8}")
        for processes in (1, 2, 4):
            url = args.database_url or server.create_database("bench")  # type: ignore[union-attr]
            sqlite_file = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
            for backend, target in (("embedded", sqlite_file), ("postgres", url)):
                row = measure(backend, target, str(seeds), processes, args.seconds)
                print(
                    f"{backend:<10} {processes:>5} {row['questions_per_s']:>12.0f} {row['p95_ms']:>8.2f}"
                )
        url = args.database_url or server.create_database("bench")  # type: ignore[union-attr]
        times = propagation(url, seeds, args.rounds)
        print(
            f"reindex propagation (publish -> other process serving it): median "
            f"{statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms "
            f"over {len(times)} rounds"
        )
    finally:
        if server is not None:
            server.cleanup()


if __name__ == "__main__":
    main()
