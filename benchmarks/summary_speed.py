"""How long a summary takes for an article of 50 sentences, with and without the model.

The article is the first 50 body sentences of the longest development article
(CNN/DailyMail dev or the news ``dev`` split), as the loader splits them. Timed,
each ``--runs`` times after one untimed run: a plain summary when the article's
sentence vectors are not cached yet (the first summary of an article in a
process), the same when they are (any later summary or topic of it), a topic
summary with cached vectors, and the words-only path a process without the model
takes, and a topic summary without the reader's check whether the article covers
the topic (``index.topic_presence``, session 12), and an account of the topic as a chat line
asking for one gets it (``index.summary_account``, session 15); and, in the same run, the summariser as it was at ``--at`` (default: before
issue 28), so a loaded machine can still be compared as a ratio. Prints p50 / p95
wall time and the CPU time of the process per summary (the gap is other work on
the machine), the model's load time and the memory it adds.

Run: ``.venv/bin/python benchmarks/summary_speed.py [--runs N] [--at COMMIT]``.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from index.embedding import shared_embedder
from index.evaluation import summaries as ev
from index.loader import article_from_text
from index.records import Article
from index.summarize import DEFAULT_SETTINGS, summarize
from index.summary_account import account

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summary_coverage import DEV, news_dev, summariser_at

SENTENCES = 50
TOPIC = "the injunction against him"  # the article covers it: the reader is asked


def fifty_sentences() -> Article:
    articles = [a for a, _ in ev.dataset_pairs(ev.read_examples(DEV))] + news_dev()
    longest = max(articles, key=lambda a: a.sentence_count)
    paragraphs: list[str] = []
    kept = 0
    for paragraph in longest.paragraphs:
        take = paragraph.sentences[: SENTENCES - kept]
        if take:
            paragraphs.append(" ".join(s.text for s in take))
            kept += len(take)
    return article_from_text(longest.id, longest.title, paragraphs)


def timed(run: Callable[[], object], runs: int, before: Callable[[], None]) -> tuple[float, ...]:
    """p50 and p95 wall time and mean CPU time of ``run``, in ms."""
    before()
    run()
    wall: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        before()
        w, c = time.perf_counter(), time.process_time()
        run()
        wall.append(1000 * (time.perf_counter() - w))
        cpu.append(1000 * (time.process_time() - c))
    return statistics.median(wall), statistics.quantiles(wall, n=20)[-1], statistics.mean(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--at", default="64fff3e", help="the old summariser's commit")
    args = parser.parse_args()
    before_issue = summariser_at(args.at)
    article = fifty_sentences()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    embedder = shared_embedder()
    if embedder is None:
        raise SystemExit("the embedding model did not load")
    loaded = time.perf_counter() - started
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss
    print(f"model loaded in {loaded:.2f} s, peak resident memory +{grown:.0f} MB")
    print(f"article {article.id}: {article.sentence_count} sentences")
    forget = embedder._cached.cache_clear  # the first summary of an article in a process
    nothing = lambda: None  # noqa: E731
    words = Path("/nonexistent")
    unchecked = replace(DEFAULT_SETTINGS, topic_presence=False)  # before session 12
    rows = {
        f"before ({args.at})": (lambda: before_issue(article), nothing),
        "plain, vectors not cached": (lambda: summarize(article), forget),
        "plain, vectors cached": (lambda: summarize(article), nothing),
        "topic, vectors cached": (lambda: summarize(article, topic=TOPIC), nothing),
        "topic, without the reader's check": (
            lambda: summarize(article, topic=TOPIC, settings=unchecked),
            nothing,
        ),
        "topic, vectors not cached": (lambda: summarize(article, topic=TOPIC), forget),
        "plain, words only (no model)": (lambda: summarize(article, model_dir=words), nothing),
        "account, vectors cached": (lambda: account(article, TOPIC), nothing),
        "account, vectors not cached": (lambda: account(article, TOPIC), forget),
    }
    old = None
    for label, (run, before) in rows.items():
        p50, p95, cpu = timed(run, args.runs, before)
        old = old or (p95, cpu)
        ratio = f"{p95 / old[0]:5.1f}× / {cpu / old[1]:5.1f}×"
        print(
            f"{label:30} p50 {p50:6.1f} ms, p95 {p95:6.1f} ms, CPU {cpu:6.1f} ms; {ratio}",
            flush=True,
        )
    print("ratios: p95 and CPU against the first row")


if __name__ == "__main__":
    main()
