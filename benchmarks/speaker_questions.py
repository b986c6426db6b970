"""Questions asking for someone's words, answered with and without the speaker check.

Not a test. Two sets, each question asked in its own article as the bot asks it:

- the team's news QA questions (``training/data/questions/``, both parts) that ask for
  someone's words (``index.attribution.asked_speaker``); right = an accepted answer, or a
  refusal of an unanswerable question;
- the speaker topics of ``benchmarks/topic_speakers/second/`` and ``third/`` of the form
  "what X said …", put as "what did X say …?"; right = the answer's sentence is one the
  annotators gave, or a refusal where the article never reports X's words. Each counted
  as reported and never reported apart.

    .venv/bin/python benchmarks/speaker_questions.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from summary_topics import dev_articles  # noqa: E402

import index.engine as engine_module  # noqa: E402
from index.attribution import asked_speaker  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.evaluation.qa import contains  # noqa: E402
from index.loader import load_file  # noqa: E402
from index.question_input import QuestionError  # noqa: E402
from index.records import Answer, Article  # noqa: E402
from index.saved.building import build_corpus  # noqa: E402

VERBS = {"said": "say", "says": "say", "told": "tell", "thinks": "think", "thought": "think"}
VERBS |= {"wrote": "write", "tweeted": "tweet"}
Question = tuple[str, str, Callable[[Answer], bool]]  # article id, question, right?


@contextmanager
def without_check() -> Iterator[None]:
    real = engine_module.never_quoted
    engine_module.never_quoted = lambda *args: False
    try:
        yield
    finally:
        engine_module.never_quoted = real


def news_questions() -> tuple[dict[str, Article], list[Question]]:
    rows = [
        json.loads(line)
        for path in sorted((ROOT / "training" / "data" / "questions").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rows = [r for r in rows if asked_speaker(r["question"])]
    folder = ROOT / "training" / "data" / "articles"
    articles = {i: load_file(folder / f"{i}.txt") for i in {r["article"] for r in rows}}

    def judge(row: dict) -> Callable[[Answer], bool]:
        def right(answer: Answer) -> bool:
            if not answer.found:
                return not row["answerable"]
            return row["answerable"] and any(
                contains(answer.answer or "", a) for a in row["answers"]
            )

        return right

    return articles, [(r["article"], r["question"], judge(r)) for r in rows]


def as_question(topic: str) -> str | None:
    match = re.match(r"^what (.+?) (said|says|told|thinks|thought|wrote|tweeted)\b(.*)$", topic)
    if match is None:
        return None
    return f"what did {match.group(1)} {VERBS[match.group(2)]}{match.group(3)}?"


def topic_questions(folder: str, covered: bool) -> tuple[dict[str, Article], list[Question]]:
    path = ROOT / "benchmarks" / "topic_speakers" / folder / "topics.json"
    topics = [
        t for t in json.loads(path.read_text(encoding="utf-8"))["topics"] if t["covered"] == covered
    ]
    every = dev_articles()
    asked = [(t, q) for t in topics if (q := as_question(t["topic"])) and asked_speaker(q)]
    articles = {t["article"]: every[t["article"]] for t, _ in asked}

    def judge(topic: dict) -> Callable[[Answer], bool]:
        def right(answer: Answer) -> bool:
            if not answer.found:
                return not topic["covered"]
            cited = answer.citations[(answer.answer_citation or 1) - 1]
            held = {
                s.position
                for s in articles[topic["article"]].sentences
                if s.id == cited.sentence_id
            }
            return topic["covered"] and bool(held & set(topic["about"] + topic["checked_about"]))

        return right

    return articles, [(t["article"], q, judge(t)) for t, q in asked]


def measure(name: str, articles: dict[str, Article], questions: list[Question]) -> None:
    engine = Engine(build_corpus(list(articles.values())).corpus)
    counts: Counter[tuple[bool, bool]] = Counter()
    for article_id, question, right in questions:
        try:
            with without_check():
                before = right(engine.ask(question, article_id))
            after = right(engine.ask(question, article_id))
        except QuestionError as error:
            print(f"  turned away: {question!r} ({error})")
            continue
        counts[(before, after)] += 1
    print(
        f"{name}: {sum(counts.values())} questions; right before {counts[True, True] + counts[True, False]},"
        f" after {counts[True, True] + counts[False, True]}; wrong answers removed"
        f" {counts[False, True]}, right ones lost {counts[True, False]}"
    )


def main() -> None:
    measure("news QA questions for someone's words", *news_questions())
    for folder in ("second", "third"):
        for covered, kind in ((True, "words reported"), (False, "words never reported")):
            measure(f"{folder} speaker set as questions, {kind}", *topic_questions(folder, covered))


if __name__ == "__main__":
    main()
