"""Blind A/B packets: the default summaries before and after a change, for two new judges.

``DIR/before.json`` and ``DIR/after.json`` map each article's id to its default summary
(sentence texts), written by running the summariser at the two versions. Draws up to
``--count`` of the articles whose summaries differ (seed 17), writes ``DIR/packets/NN.md``
(the article, the two summaries as A and B at random, the verdict form of
``make_packets.py``) and ``DIR/key.json``, which judges must not open before every verdict
is written. ``--pool development`` reads the development articles (the 50 CNN/DailyMail of
``tests/data`` and the news ``dev`` split); ``--pool training`` the team's training-split
articles, never used for summary judging before session 17's fourth try.

Run: ``.venv/bin/python benchmarks/summary_judging/make_pair_packets.py DIR [--pool P] [--count N]``.
The folders ``pointers`` (16), ``pointers2`` (16), ``pointers3`` (24), ``pointers4``
(``--pool training``, 24), ``learned`` (24) and ``standfirst`` (``--standfirst``: the article
as published, its summary paragraph first; 16) were drawn this way.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from make_packets import FORM, article_text

from index.evaluation import summaries as ev
from index.loader import load_file
from index.records import Article

ROOT = Path(__file__).resolve().parents[2]
SPLIT = ROOT / "training" / "data" / "split.json"
ARTICLES = ROOT / "training" / "data" / "articles"
SEED = 17


def pool(name: str) -> dict[str, Article]:
    split = json.loads(SPLIT.read_text(encoding="utf-8"))
    if name == "training":
        return {n: load_file(ARTICLES / f"{n}.txt") for n in split["train"]}
    examples = ev.read_examples(ROOT / "tests" / "data" / "cnndm-dev.jsonl")
    articles = [a for a, _ in ev.dataset_pairs(examples)]
    articles += [load_file(ARTICLES / f"{n}.txt") for n in split["dev"]]
    return {a.id: a for a in articles}


def packet(
    number: int, article: Article, first: list[str], second: list[str], standfirst: bool = False
) -> str:
    title = article.title if article.title != article.id else "(no headline)"
    text = article_text(article, standfirst)
    return "\n".join(
        [
            f"# Packet {number:02d}\n",
            f"Headline: {title}\n",
            "## The article\n",
            text + "\n",
            "## Summary A\n",
            "\n".join(f"{k}. {t}" for k, t in enumerate(first, start=1)) + "\n",
            "## Summary B\n",
            "\n".join(f"{k}. {t}" for k, t in enumerate(second, start=1)) + "\n",
            FORM,
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="holds before.json and after.json")
    parser.add_argument("--pool", choices=("development", "training"), default="development")
    parser.add_argument("--count", type=int, default=16, help="the most packets drawn")
    parser.add_argument(
        "--standfirst", action="store_true", help="show the article's summary paragraph first"
    )
    args = parser.parse_args()
    before = json.loads((args.folder / "before.json").read_text(encoding="utf-8"))
    after = json.loads((args.folder / "after.json").read_text(encoding="utf-8"))
    differ = sorted(k for k in before if before[k] != after[k])
    rng = random.Random(SEED)
    drawn = rng.sample(differ, min(args.count, len(differ)))
    articles = pool(args.pool)
    (args.folder / "packets").mkdir(exist_ok=True)
    key = {}
    for n, name in enumerate(drawn, start=1):
        new_first = rng.random() < 0.5
        first, second = (after, before) if new_first else (before, after)
        text = packet(n, articles[name], first[name], second[name], args.standfirst)
        (args.folder / "packets" / f"{n:02d}.md").write_text(text, encoding="utf-8")
        key[f"{n:02d}"] = {"article": name, "A": "after" if new_first else "before"}
    (args.folder / "key.json").write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")
    print(f"{len(differ)} summaries differ; wrote {len(drawn)} packets and key.json")


if __name__ == "__main__":
    main()
