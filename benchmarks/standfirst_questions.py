"""Questions only the publisher's summary paragraph answers: with and without reading it.

The set (``benchmarks/standfirst/``, README there) holds questions a reader of an article's
opening might ask whose answer the seed format's summary paragraph (the standfirst) gives
and the body does not. The training split's articles are indexed together, as a bot holds
them, once as loaded and once with every standfirst left out (the engine before it was
read), and every question is asked. Printed: right, wrong and refused answers, and how many
of each came from the standfirst, for the whole set and for its two halves by article (the
first chose ``index.engine.STANDFIRST_THRESHOLD`` with the training split's questions, the
second did not).

Run: ``.venv/bin/python benchmarks/standfirst_questions.py``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))

from news_data import load_news  # noqa: E402

from index.engine import Engine  # noqa: E402
from index.evaluation.qa import contains  # noqa: E402
from index.records import STANDFIRST  # noqa: E402
from index.saved.building import build_corpus  # noqa: E402

QUESTIONS = ROOT / "benchmarks" / "standfirst" / "checked.jsonl"


def outcomes(engine: Engine, questions: list[dict]) -> list[tuple[str, str, bool]]:
    """(article, right / wrong / refused, from the standfirst) per question."""
    rows = []
    for q in questions:
        answer = engine.ask(q["question"])
        right = answer.found and any(contains(answer.answer or "", a) for a in q["answers"])
        kind = "right" if right else "wrong" if answer.found else "refused"
        there = answer.found and answer.citations[0].paragraph == STANDFIRST
        rows.append((q["article"], kind, there))
    return rows


def line(label: str, rows: list[tuple[str, str, bool]]) -> str:
    counts = Counter(kind for _, kind, _ in rows)
    there = Counter(kind for _, kind, sf in rows if sf)
    parts = [
        f"{k} {counts[k]}" + (f" ({there[k]} from it)" if there[k] else "")
        for k in ("right", "wrong", "refused")
    ]
    return f"  {label:<24} " + ", ".join(parts) + f" of {len(rows)}"


def main() -> None:
    questions = [json.loads(x) for x in QUESTIONS.read_text(encoding="utf-8").splitlines()]
    articles = load_news().train_articles
    tuning = set(sorted({q["article"] for q in questions})[0::2])
    for name, loaded in (
        ("standfirst read", articles),
        ("standfirst left out", [replace(a, standfirst=None) for a in articles]),
    ):
        rows = outcomes(Engine(build_corpus(loaded).corpus), questions)
        print(name)
        print(line("all", rows))
        print(line("tuning half", [r for r in rows if r[0] in tuning]))
        print(line("held-out half", [r for r in rows if r[0] not in tuning]))


if __name__ == "__main__":
    main()
