"""Blind A/B packets for accounts led by the summary paragraph (session 22, ``RULE.md``).

``before.json`` and ``after.json`` (this folder) map each line of the account-line sets
(``benchmarks/account_lines/*.jsonl``, "set:line number") on an article with a summary
paragraph to the account it gets, written by runs of
``summary_account.account`` at the two versions. Draws up to 16 of the lines whose account
differs (seed 17) and writes ``packets/NN.md`` (the article as published, the line as typed,
the two replies as A and B at random, a verdict form) and ``key.json``.

Run: ``.venv/bin/python benchmarks/summary_judging/account-standfirst/make.py [FOLDER]``
(this folder, or ``second/`` for the second round).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parents[1]))

from make_packets import article_text  # noqa: E402
from summary_topics import dev_articles  # noqa: E402

from index.loader import load_file  # noqa: E402

ROOT = HERE.parents[2]
SEED = 17
FORM = """## Verdicts (write before opening key.json)

For the Discord user who typed this line:

- Coverage of what the article says on it: A / B / tie
- Faithfulness (nothing misleading, nothing that needs missing context): A / B / tie
- Readability (each sentence understandable on its own): A / B / tie
- Overall, which would you rather get: A / B / tie
- Notes:
"""


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE  # ``second/``: the second round
    before = json.loads((folder / "before.json").read_text(encoding="utf-8"))
    after = json.loads((folder / "after.json").read_text(encoding="utf-8"))
    differ = sorted(k for k in before if before[k]["sentences"] != after[k]["sentences"])
    rng = random.Random(SEED)
    drawn = rng.sample(differ, min(16, len(differ)))
    articles = dev_articles()
    (folder / "packets").mkdir(exist_ok=True)
    key = {}
    for n, name in enumerate(drawn, start=1):
        aid = before[name]["article"]
        article = articles.get(aid) or load_file(ROOT / "training/data/articles" / f"{aid}.txt")
        new_first = rng.random() < 0.5
        first, second = (after, before) if new_first else (before, after)
        text = "\n".join(
            [
                f"# Packet {n:02d}\n",
                f"Headline: {article.title}\n",
                "## The article\n",
                article_text(article, True) + "\n",
                f"## The line typed\n\n{before[name]['line']}\n",
                "## Reply A\n",
                "\n".join(f"{k}. {t}" for k, t in enumerate(first[name]["sentences"], 1)) + "\n",
                "## Reply B\n",
                "\n".join(f"{k}. {t}" for k, t in enumerate(second[name]["sentences"], 1)) + "\n",
                FORM,
            ]
        )
        (folder / "packets" / f"{n:02d}.md").write_text(text, encoding="utf-8")
        key[f"{n:02d}"] = {"line": name, "article": aid, "A": "after" if new_first else "before"}
    (folder / "key.json").write_text(json.dumps(key, indent=1) + "\n", encoding="utf-8")
    print(f"{len(differ)} accounts differ; wrote {len(drawn)} packets and key.json")


if __name__ == "__main__":
    main()
