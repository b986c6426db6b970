"""Yes/no questions ("did the bill pass?"): what the bot shows for them.

Not a test. Asks benchmarks/yes_no/questions.jsonl (README there) with its ten articles
indexed together and prints how many got a short answer (the reader picks spans, so a short
answer to a yes/no question is never the answer), and for those the article settles, how
often the settling sentence is the first passage shown, or among the first three.

    .venv/bin/python benchmarks/yes_no_questions.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import followup_bench  # noqa: E402  the articles by name, as the dialogues name them

from index import Engine, build_corpus  # noqa: E402

QUESTIONS = ROOT / "benchmarks/yes_no/questions.jsonl"
ARTICLES = ROOT / "benchmarks/followup_dialogues_heldout2.json"


def _plain(text: str) -> str:
    return " ".join(text.split()).lower()


def holds(cited: str, evidence: str) -> bool:
    """Whether a cited sentence is the settling one (the splitters may cut a caption apart)."""
    a, b = _plain(cited), _plain(evidence)
    return b[:60] in a or a[:60] in b


def main() -> None:
    named = followup_bench.articles(json.loads(ARTICLES.read_text())["articles"])
    engine = Engine(build_corpus(list(named.values())).corpus)
    rows = [json.loads(line) for line in QUESTIONS.read_text().splitlines()]
    spans = first = top3 = settled = 0
    for row in rows:
        answer = engine.ask(row["question"])
        spans += answer.found
        if row["evidence"] is None:
            continue
        settled += 1
        ranks = [n for n, c in enumerate(answer.citations) if holds(c.text, row["evidence"])]
        first += bool(ranks) and ranks[0] == 0
        top3 += bool(ranks) and ranks[0] < 3
    print(f"{len(rows)} yes/no questions: {spans} got a short answer")
    print(
        f"settling sentence, of {settled} the article settles: first {first}, in the first three {top3}"
    )


if __name__ == "__main__":
    main()
