"""When a topic summary says "the article says nothing about X", and how often wrongly.

On the development articles only: each of the 50 CNN/DailyMail articles of
``tests/data/cnndm-dev.jsonl`` with its reference highlights as topics, and each
article of the ``dev`` split of ``training/data/articles`` with its answerable
questions (``training/data/questions``) as topics. A topic asked of its own
article should be found; the same topic asked of another article of the same set
(the next one in the list) should not. For each cosine threshold this prints how
often "says nothing" is said wrongly (own topics) and how often something is
found wrongly (others' topics), by words alone (the threshold out of reach) and
by words or meaning (a sentence at or above the threshold), as
``index.summarize`` decides.

Run: ``.venv/bin/python benchmarks/summary_topics.py``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from index.embedding import shared_embedder
from index.evaluation import summaries as ev
from index.records import Article
from index.summarize import DEFAULT_SETTINGS, summarize

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "cnndm-dev.jsonl"
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
WORDS_ONLY = replace(DEFAULT_SETTINGS, topic_min_similarity=2.0)  # no cosine reaches 2


@dataclass(frozen=True, slots=True)
class Probe:
    """One topic asked of one article: found by words, and its best cosine with a sentence."""

    own: bool
    by_words: bool
    closeness: float


def topic_sets() -> dict[str, list[tuple[Article, list[str]]]]:
    cnn = [
        (article, [h for h in reference.splitlines() if h.strip()])
        for article, reference in ev.dataset_pairs(ev.read_examples(DEV))
    ]
    data = ROOT / "training" / "data"
    dev = json.loads((data / "split.json").read_text(encoding="utf-8"))["dev"]
    questions: dict[str, list[str]] = {name: [] for name in dev}
    for path in sorted((data / "questions").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["article"] in questions and row["answerable"]:
                questions[row["article"]].append(row["question"])
    from index.loader import load_file

    news = [(load_file(data / "articles" / f"{name}.txt"), questions[name]) for name in dev]
    return {"CNN/DailyMail highlights": cnn, "news dev questions": news}


def probes(pairs: Sequence[tuple[Article, list[str]]]) -> list[Probe]:
    embedder = shared_embedder()
    if embedder is None:
        raise SystemExit("the embedding model did not load")
    result: list[Probe] = []
    for k, (article, _) in enumerate(pairs):
        vectors = embedder.embed([s.text for s in article.sentences])
        others = pairs[(k + 1) % len(pairs)][1]
        for own, topics in ((True, pairs[k][1]), (False, others)):
            for topic in topics:
                found = summarize(article, topic=topic, settings=WORDS_ONLY).found
                closeness = float((vectors @ embedder.embed([topic])[0]).max())
                result.append(Probe(own, found, closeness))
    return result


def rates(found: Sequence[bool], own: Sequence[bool]) -> tuple[float, float]:
    """Share of own topics called absent, share of others' topics called present."""
    f, o = np.array(found), np.array(own)
    return float((~f[o]).mean()), float(f[~o].mean())


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    for name, pairs in topic_sets().items():
        found = probes(pairs)
        own = [p.own for p in found]
        print(f"{name}: {sum(own)} own topics, {len(own) - sum(own)} others'")
        print("  rule                 | 'says nothing' wrongly | found wrongly")
        missed, extra = rates([p.by_words for p in found], own)
        print(f"  words only           | {missed:21.1%} | {extra:12.1%}")
        for t in THRESHOLDS:
            missed, extra = rates([p.by_words or p.closeness >= t for p in found], own)
            mark = " (shipped)" if t == DEFAULT_SETTINGS.topic_min_similarity else ""
            print(f"  words or cosine {t:.2f} | {missed:21.1%} | {extra:12.1%}{mark}")


if __name__ == "__main__":
    main()
