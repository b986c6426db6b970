"""Blind pairwise packets for topic summaries (issue 28, round ten): the rules alone against
the rules with the reader's check whether the article covers the topic (``index.topic_presence``).

For each article of ``benchmarks/topic_presence_heldout.json`` (16 development articles, 2
topics each article covers and 2 it does not, never fitted on) it writes
``packets-round10/NN.md``: the article, then for each topic the two replies as the bot gives
them, as "Reply A" and "Reply B" in a random order, and a form. ``key-round10.json`` says
which is which; judges must not open it before every verdict is written.

Run: ``.venv/bin/python benchmarks/summary_judging/make_presence_packets.py``.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from summary_topics import dev_articles  # noqa: E402

from index.summarize import DEFAULT_SETTINGS, Summary, summarize  # noqa: E402

SEED = 10
FORM = """Verdict (write before opening the key):
- Reply A: good / partial / poor; misleading: yes / no
- Reply B: good / partial / poor; misleading: yes / no
- Which would you rather get: A / B / tie
- Notes:
"""


def reply(summary: Summary) -> str:
    if not summary.found:
        return summary.message
    lines = [f"{k}. {s.text}" for k, s in enumerate(summary.sentences, 1)]
    return "\n".join([summary.message, *lines] if summary.unsure else lines)


def main() -> None:
    topics = json.loads((HERE.parent / "topic_presence_heldout.json").read_text())["topics"]
    articles = dev_articles()
    rules = replace(DEFAULT_SETTINGS, topic_presence=False)
    rng = random.Random(SEED)
    key: dict[str, dict[str, str]] = {}
    out = HERE / "packets-round10"
    out.mkdir(exist_ok=True)
    order = list(dict.fromkeys(t["article"] for t in topics))
    for number, article_id in enumerate(order, 1):
        article = articles[article_id]
        paragraphs = "\n\n".join(p.text for p in article.paragraphs)
        parts = [
            f"# Packet {number:02}\n\nHeadline: {article.title}\n\n## The article\n\n{paragraphs}\n"
        ]
        for k, topic in enumerate([t for t in topics if t["article"] == article_id], 1):
            text = topic["topic"]
            old = reply(summarize(article, topic=text, settings=rules))
            new = reply(summarize(article, topic=text))
            new_first = rng.random() < 0.5
            a, b = (new, old) if new_first else (old, new)
            key[f"{number:02}.{k}"] = {
                "A": "presence" if new_first else "rules",
                "B": "rules" if new_first else "presence",
                "topic": text,
                "same": str(old == new).lower(),
            }
            parts.append(
                f"## Topic {k}: “{text}”\n\n### Reply A\n\n{a}\n\n### Reply B\n\n{b}\n\n{FORM}"
            )
        (out / f"{number:02}.md").write_text("\n".join(parts), encoding="utf-8")
    (HERE / "key-round10.json").write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")
    print(
        f"{len(order)} packets, {len(key)} topics, {sum(v['same'] == 'false' for v in key.values())} differ"
    )


if __name__ == "__main__":
    main()
