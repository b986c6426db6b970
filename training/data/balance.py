"""Balance the news QA set so a question's wording does not give away its label.

    python3 training/data/balance.py            # writes balance.json, prints the figures

Run after the second pass (it reads the questions with ``checks/`` applied).
Two mechanical steps, both seeded and written to ``balance.json`` so every
reader of the data (``training/news_data.py``) sees the same set:

1. **Drops** "how many" / "how much" questions until they are at most a
   third of the set, unanswerable ones first while their kind's unanswerable
   share is above ``TARGET_UNANSWERABLE``: the writers leaned on counts, and
   on counts the article does not give, so "how many" alone predicted
   "unanswerable" 43 % of the time.
2. **Recases** a random part of the questions written all in lower case and
   without a question mark, the way other people type: a capital first
   letter, a final "?", or both, until each is about half of the set.

New questions to fill the other kinds (why, where, what ... unanswerable) are
written by people (``questions/bal.jsonl``), not made here.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from news_data import checked_rows  # noqa: E402

NUMBER_KINDS = ("how many", "how much")
NUMBER_SHARE = 1 / 3
TARGET_UNANSWERABLE = 0.36
CASE_SHARE = 0.5
SEED = 11


def _unanswerable_share(rows: list[dict], kind: str) -> float:
    mine = [r for r in rows if r["kind"] == kind]
    return sum(not r["answerable"] for r in mine) / max(len(mine), 1)


def choose_drops(rows: list[dict], rng: random.Random) -> dict[str, str]:
    """Ids of number questions to drop, and why."""
    kept = list(rows)
    dropped: dict[str, str] = {}
    order = [r for r in kept if r["kind"] in NUMBER_KINDS]
    rng.shuffle(order)
    for row in order:
        numbers = sum(r["kind"] in NUMBER_KINDS for r in kept)
        over_unanswerable = _unanswerable_share(kept, row["kind"]) > TARGET_UNANSWERABLE
        if row["answerable"] and over_unanswerable:
            continue
        if not over_unanswerable and numbers <= NUMBER_SHARE * len(kept):
            continue
        kept.remove(row)
        dropped[row["id"]] = (
            f"balance: unanswerable share of its kind above {TARGET_UNANSWERABLE:.0%}"
            if over_unanswerable
            else "balance: how many/how much above a third of the set"
        )
    return dropped


def choose_recasing(rows: list[dict], rng: random.Random) -> dict[str, str]:
    """New wording for some plain lower-case questions: capitalised, question-marked or both."""
    plain = [r for r in rows if r["question"][:1].islower() and not r["question"].endswith("?")]
    rng.shuffle(plain)
    capitals = sum(r["question"][:1].isupper() for r in rows)
    marks = sum(r["question"].endswith("?") for r in rows)
    recased: dict[str, str] = {}
    for row in plain:
        text = row["question"].rstrip(" .!")
        change_case = capitals < CASE_SHARE * len(rows) and rng.random() < 0.7
        add_mark = marks < CASE_SHARE * len(rows) and rng.random() < 0.7
        if change_case:
            text = text[:1].upper() + text[1:]
            capitals += 1
        if add_mark:
            text += "?"
            marks += 1
        if text != row["question"]:
            recased[row["id"]] = text
    return recased


def figures(rows: list[dict]) -> str:
    kinds = Counter(r["kind"] for r in rows)
    lines = [
        f"{len(rows)} questions over {len({r['article'] for r in rows})} articles, "
        f"{sum(not r['answerable'] for r in rows) / len(rows):.0%} unanswerable"
    ]
    for kind, n in kinds.most_common():
        lines.append(
            f"  {kind:<9} {n:5} ({n / len(rows):.0%}), unanswerable "
            f"{_unanswerable_share(rows, kind):.0%}"
        )
    long = sum(len(r["question"].split()) > 10 for r in rows)
    lines.append(
        f"  capitalised {sum(r['question'][:1].isupper() for r in rows) / len(rows):.0%}, "
        f"ending in '?' {sum(r['question'].endswith('?') for r in rows) / len(rows):.0%}, "
        f"longer than 10 words {long / len(rows):.0%}, "
        f"how many/how much {sum(kinds[k] for k in NUMBER_KINDS) / len(rows):.0%}"
    )
    return "\n".join(lines)


def main() -> None:
    rows, _, _ = checked_rows(HERE, balanced=False)
    print("before:\n" + figures(rows))
    rng = random.Random(SEED)
    dropped = choose_drops(rows, rng)
    kept = [r for r in rows if r["id"] not in dropped]
    recased = choose_recasing(kept, rng)
    (HERE / "balance.json").write_text(
        json.dumps({"dropped": dropped, "recased": recased}, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    after, _, _ = checked_rows(HERE)
    print(f"dropped {len(dropped)}, recased {len(recased)}; after:\n" + figures(after))


if __name__ == "__main__":
    main()
