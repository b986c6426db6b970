"""Blind pairwise packets for the speaker check (session 18; RULE.md beside this file).

Reads ``before.json`` and ``after.json`` (the topic replies to every topic of
``benchmarks/topic_speakers/second/topics.json`` without and with the check), keeps the topics
whose reply changes and writes ``packets/NN.md`` per article: the article, then each topic's two
replies as "Reply A" and "Reply B" in a random order, with a form. ``key.json`` says which is
which; move it out of the judges' reach until every verdict is written.

Run: ``.venv/bin/python benchmarks/summary_judging/speakers/make_packets.py [FOLDER]`` (FOLDER
holding ``before.json`` and ``after.json``: this one, or ``../reactions`` for the reaction
topics' round).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE.parent))

from make_presence_packets import FORM  # noqa: E402  (round ten's form, the same questions)
from summary_topics import dev_articles  # noqa: E402

SEED = 18


def reply(saved: dict[str, object]) -> str:
    if not saved["found"]:
        return str(saved["message"])
    lines = [f"{k}. {text}" for k, text in enumerate(saved["sentences"], 1)]  # type: ignore[arg-type]
    return "\n".join([str(saved["message"]), *lines] if saved["unsure"] else lines)


def main() -> None:
    folder = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE
    before = json.loads((folder / "before.json").read_text(encoding="utf-8"))
    after = json.loads((folder / "after.json").read_text(encoding="utf-8"))
    changed = [(b, a) for b, a in zip(before, after, strict=True) if reply(b) != reply(a)]
    articles = dev_articles()
    rng = random.Random(SEED)
    key: dict[str, dict[str, str]] = {}
    out = folder / "packets"
    out.mkdir(exist_ok=True)
    order = list(dict.fromkeys(b["article"] for b, _ in changed))
    for number, article_id in enumerate(order, 1):
        article = articles[article_id]
        paragraphs = "\n\n".join(p.text for p in article.paragraphs)
        parts = [
            f"# Packet {number:02}\n\nHeadline: {article.title}\n\n## The article\n\n{paragraphs}\n"
        ]
        mine = [(b, a) for b, a in changed if b["article"] == article_id]
        for k, (b, a) in enumerate(mine, 1):
            label = f"{number:02}.{k}"
            first, second = (a, b) if rng.random() < 0.5 else (b, a)
            key[label] = {"A": "after" if first is a else "before", "topic": b["topic"]}
            parts.append(
                f"## Topic {label}: `/summary topic: {b['topic']}`\n\n### Reply A\n\n{reply(first)}\n\n"
                f"### Reply B\n\n{reply(second)}\n\n{FORM}"
            )
        (out / f"{number:02}.md").write_text("\n".join(parts), encoding="utf-8")
    (folder / "key.json").write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")
    print(f"{len(changed)} topics changed, {len(order)} packets")


if __name__ == "__main__":
    main()
