"""The team's unanswerable questions on training paragraphs, as training groups.

``training/data/adversarial/`` (see its README) holds questions written to be
unanswerable from one SQuAD v1.1 training, SquadShifts new_wiki, Wikinews or news training
paragraph while it holds a tempting span of the kind asked (SQuAD 2.0's negations, antonyms,
swapped entities ...), each second-checked; a checker's ``dropped`` verdict removes a
question. Each kept question is a group of its paragraph alone with gold at [CLS]. So
that the reader does not learn "these paragraphs answer nothing", each SQuAD or
SquadShifts paragraph also brings up to ``partners`` of its own questions, answerable,
gold at every copy of the answer: the news training part's paragraphs bring the team's
answerable questions on them (``news_partners``); the Wikinews paragraphs from QAMR bring
none (many of QAMR's questions are fragments).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from reading_data import SHARED, TRAIN_FILES, Group, occurrences, read_json

FOLDER = Path(__file__).resolve().parent / "data" / "adversarial"


def _lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def kept_questions(folder: Path = FOLDER, batches: tuple[str, ...] = ()) -> list[tuple[dict, dict]]:
    """(question, paragraph) for every written question its checker did not drop, of the
    batches whose names start with one of ``batches`` (all when empty)."""
    kept = []
    for questions in sorted((folder / "questions").glob("*.jsonl")):
        if batches and not questions.stem.startswith(batches):
            continue
        paragraphs = {p["pid"]: p for p in _lines(folder / "paragraphs" / questions.name)}
        written = _lines(questions)
        verdicts = _lines(folder / "checks" / questions.name)
        if len(verdicts) != len(written):
            continue  # not yet checked: not used
        kept += [
            (q, paragraphs[q["pid"]])
            for q, v in zip(written, verdicts, strict=True)
            if v["verdict"] == "ok"
        ]
    return kept


def news_partners() -> dict[str, list[dict]]:
    """The news training part's answerable questions per paragraph (``<article>-<number>``),
    in SQuAD's shape: read alone with only unanswerable questions, a news paragraph would teach
    the reader that a lone news paragraph answers nothing."""
    from news_data import load_news

    news = load_news()
    articles = {a.id: a for a in news.train_articles}
    found: dict[str, list[dict]] = {}
    for q in news.train_questions:
        gold = q.gold_paragraph(articles[q.article]) if q.article in articles else None
        if q.answerable and gold is not None:
            answers = [{"text": a} for a in q.exact_answers()]
            found.setdefault(f"{q.article}-{gold[0]}", []).append(
                {"question": q.question, "answers": answers}
            )
    return found


def adversarial_groups(
    seed: int, partners: int = 2, folder: Path = FOLDER, batches: tuple[str, ...] = ()
) -> list[Group]:
    """The kept unanswerable questions of ``batches`` (name prefixes; all when empty) and
    ``partners`` answerable ones per paragraph."""
    questions = {}
    for name in TRAIN_FILES:  # SQuAD's and SquadShifts' titles differ: one key space
        for article in read_json(SHARED / "train" / name)["data"]:
            for k, paragraph in enumerate(article["paragraphs"]):
                questions[f"{article['title']}-{k}"] = paragraph["qas"]
    questions.update(news_partners())
    rng = random.Random(seed)
    groups, seen = [], set()
    for question, paragraph in kept_questions(folder, batches):
        context = paragraph["context"]
        groups.append(Group("adversarial", question["question"], [context], []))
        if paragraph["pid"] in seen:
            continue
        seen.add(paragraph["pid"])
        own = questions.get(paragraph["pid"], [])  # none for QAMR's Wikinews paragraphs
        for qa in rng.sample(own, min(partners, len(own))):
            texts = [a["text"] for a in qa["answers"]]
            answers = [(0, a, b) for a, b in occurrences(context, texts)]
            if answers:
                groups.append(Group("adversarial", qa["question"], [context], answers))
    return groups
