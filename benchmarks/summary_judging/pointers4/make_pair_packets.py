"""Blind A/B packets: the default summaries before and after a change, on the team's training articles.

``before.json`` and ``after.json`` map each labelled training-split article's id
(``benchmarks/main_points/``, never judged before) to its default summary
(sentence texts), written by running the summariser at the two commits. Draws up to 24 of
the articles whose summaries differ (fixed seed), writes ``packets/NN.md`` (the article, the
two summaries as A and B at random, the verdict form) and ``key.json``, which judges must not
open before every verdict is written.

Run: ``.venv/bin/python benchmarks/summary_judging/pointers4/make_pair_packets.py``.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from make_packets import FORM, article_text  # noqa: E402

from index.loader import load_file  # noqa: E402
from index.records import Article  # noqa: E402

ROOT = HERE.parents[2]
SEED = 17
COUNT = 24


def development_articles() -> dict[str, Article]:
    """The team's training-split articles (never used for summary judging before)."""
    split = json.loads((ROOT / "training" / "data" / "split.json").read_text(encoding="utf-8"))
    folder = ROOT / "training" / "data" / "articles"
    return {n: load_file(folder / f"{n}.txt") for n in split["train"]}


def main() -> None:
    before = json.loads((HERE / "before.json").read_text(encoding="utf-8"))
    after = json.loads((HERE / "after.json").read_text(encoding="utf-8"))
    differ = sorted(k for k in before if before[k] != after[k])
    rng = random.Random(SEED)
    drawn = rng.sample(differ, min(COUNT, len(differ)))
    articles = development_articles()
    (HERE / "packets").mkdir(exist_ok=True)
    key = {}
    for n, name in enumerate(drawn, start=1):
        article = articles[name]
        new_first = rng.random() < 0.5
        first, second = (after, before) if new_first else (before, after)
        title = article.title if article.title != article.id else "(no headline)"
        text = "\n".join(
            [
                f"# Packet {n:02d}\n",
                f"Headline: {title}\n",
                "## The article\n",
                article_text(article) + "\n",
                "## Summary A\n",
                "\n".join(f"{k}. {t}" for k, t in enumerate(first[name], start=1)) + "\n",
                "## Summary B\n",
                "\n".join(f"{k}. {t}" for k, t in enumerate(second[name], start=1)) + "\n",
                FORM,
            ]
        )
        (HERE / "packets" / f"{n:02d}.md").write_text(text, encoding="utf-8")
        key[f"{n:02d}"] = {"article": name, "A": "after" if new_first else "before"}
    (HERE / "key.json").write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")
    print(f"{len(differ)} summaries differ; wrote {len(drawn)} packets and key.json")


if __name__ == "__main__":
    main()
