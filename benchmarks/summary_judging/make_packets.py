"""Blind pairwise judging packets for the summaries (issue 28), development articles only.

Draws 16 articles with a fixed seed: 10 of the 50 CNN/DailyMail development articles
in ``tests/data/cnndm-dev.jsonl`` and 6 of the ``dev`` split of ``training/data/articles``
(2 Global Voices, 2 Wikinews, 2 invented), each of 12 or more sentences. For each
it writes ``packets/NN.md``: the article, then the bot's default summary and the
first three body sentences as "Summary A" and "Summary B" in a random order, and a
verdict form. For the 8 articles named in ``topics.json`` (topics written from each
article's text before any topic summary was made) a second section holds the bot's
topic summary. ``key.json`` says which of A and B is the bot's; judges must not
open it before every verdict is written (README.md).

Run: ``.venv/bin/python benchmarks/summary_judging/make_packets.py [--list] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from index.evaluation import summaries as ev
from index.loader import load_file
from index.records import Article, Sentence
from index.summarize import summarize
from index.summary_account import summary_for
from index.summary_settings import Summary

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SEED = 28
MIN_SENTENCES = 12
DRAWS = {"cnndm": 10, "gv": 2, "wn": 2, "inv": 2}

FORM = """## Verdicts (write before opening key.json)

For a Discord user who wants to know what the article says:

- Coverage of the main points: A / B / tie
- Faithfulness (nothing misleading, nothing that needs missing context): A / B / tie
- Readability (each sentence understandable on its own): A / B / tie
- Overall, which would you rather get: A / B / tie
- Notes:
"""

TOPIC_FORM = """### Topic verdict

- Is it about the topic: good / partial / poor
- Misleading (a sentence that reads wrongly without its context, or claims the article
  says nothing when it does): yes / no
- Notes:
"""


def candidates() -> dict[str, list[Article]]:
    pools: dict[str, list[Article]] = {kind: [] for kind in DRAWS}
    examples = ev.read_examples(ROOT / "tests" / "data" / "cnndm-dev.jsonl")
    pools["cnndm"] = [a for a, _ in ev.dataset_pairs(examples)]
    split = json.loads((ROOT / "training" / "data" / "split.json").read_text(encoding="utf-8"))
    for name in split["dev"]:
        kind = name.split("-")[0].rstrip("0123456789")
        if kind in pools and kind != "cnndm":
            pools[kind].append(load_file(ROOT / "training" / "data" / "articles" / f"{name}.txt"))
    return {k: [a for a in v if a.sentence_count >= MIN_SENTENCES] for k, v in pools.items()}


def draw() -> list[Article]:
    rng = random.Random(SEED)
    chosen: list[Article] = []
    for kind, pool in candidates().items():
        chosen.extend(rng.sample(sorted(pool, key=lambda a: a.id), DRAWS[kind]))
    rng.shuffle(chosen)
    return chosen


def listing(sentences: tuple[Sentence, ...], summary: Summary | None = None) -> str:
    """Numbered, as shown: a quotation set out in the article in quotation marks."""
    shown = [summary.shown(s) if summary else s.text for s in sentences]
    return "\n".join(f"{n}. {text}" for n, text in enumerate(shown, start=1))


def article_text(article: Article, standfirst: bool = False) -> str:
    """The body's paragraphs; with ``standfirst``, as published: its summary paragraph first."""
    shown = (article.standfirst, *article.paragraphs) if standfirst else article.paragraphs
    return "\n\n".join(p.text for p in shown if p is not None)


def packet(
    number: int, article: Article, bot_first: bool, topic: str | None, standfirst: bool = False
) -> str:
    bot = summarize(article).sentences
    lead = article.sentences[:3]
    first, second = (bot, lead) if bot_first else (lead, bot)
    title = article.title if article.title != article.id else "(no headline)"
    parts = [
        f"# Packet {number:02d}\n",
        f"Headline: {title}\n",
        "## The article\n",
        article_text(article, standfirst) + "\n",
        "## Summary A\n",
        listing(first) + "\n",
        "## Summary B\n",
        listing(second) + "\n",
        FORM,
    ]
    if topic:
        result = summary_for(article, topic)  # what /summary shows
        body = listing(result.sentences, result) if result.found else f"({result.message})"
        parts += [f"## Topic summary: “{topic}”\n", body + "\n", TOPIC_FORM]
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="only list the articles drawn")
    parser.add_argument("--out", type=Path, default=HERE / "packets", help="the packets' folder")
    parser.add_argument(
        "--standfirst", action="store_true", help="show an article's summary paragraph first"
    )
    args = parser.parse_args()
    articles = draw()
    if args.list:
        for n, a in enumerate(articles, start=1):
            print(f"{n:02d} {a.id} ({a.sentence_count} sentences) {a.title[:60]}")
        return
    topics: dict[str, str] = json.loads((HERE / "topics.json").read_text(encoding="utf-8"))
    rng = random.Random(SEED + 1)
    key: dict[str, dict[str, str]] = {}
    out = args.out
    out.mkdir(exist_ok=True)
    for n, article in enumerate(articles, start=1):
        bot_first = rng.random() < 0.5
        text = packet(n, article, bot_first, topics.get(article.id), args.standfirst)
        (out / f"{n:02d}.md").write_text(text, encoding="utf-8")
        key[f"{n:02d}"] = {
            "article": article.id,
            "A": "bot" if bot_first else "first three sentences",
            "B": "first three sentences" if bot_first else "bot",
        }
    (HERE / "key.json").write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(articles)} packets to {out} and the key to {HERE / 'key.json'}")


if __name__ == "__main__":
    main()
