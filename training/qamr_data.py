"""QAMR's Wikinews questions for the news stage: real news text, filtered and capped.

QAMR (Michael et al. 2018; MIT, the Wikinews text CC BY 2.5) asks about every predicate of
every sentence, about 110 questions a paragraph, many of them no question a reader of news
would ask ("What did she do?" -> "replaces", "Where is the desk?" -> "below it"). Kept are
questions of four words or more whose answer names something: it holds a figure or a
capitalised word past its first, or two words that are not stop words. At most two questions
share an answer, and at most ``per_paragraph`` are drawn from each paragraph. A paragraph
that shares a sentence with a news development or held-out article is left out. About a
third of the questions also get a topical unanswerable twin: another paragraph of the same
Wikinews report that holds none of the answer (``reading_data``'s rule).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

from reading_data import SHARED, Group, _twin, occurrences, read_json

QAMR = SHARED / "train" / "qamr-wikinews.json.gz"
ROOT = Path(__file__).resolve().parents[1]
_STOP = frozenset(
    """a an and are as at be by did do does for from had has have he her his how in is it its
    of on or she that the their them there they this to was were what when where which who
    whom whose why with him we you i our""".split()
)
_WORD = re.compile(r"[\w'’-]+")


def names_something(answer: str) -> bool:
    """Whether an answer is a thing a reader asks for, not a bare verb or pronoun."""
    words = _WORD.findall(answer)
    if any(ch.isdigit() for ch in answer) or any(w[:1].isupper() for w in words[1:]):
        return True
    if words and words[0][:1].isupper() and words[0].lower() not in _STOP:
        return True
    return sum(w.lower() not in _STOP for w in words) >= 2


def kept(paragraph: dict, per_paragraph: int, rng: random.Random) -> list[dict]:
    """The paragraph's questions worth reading, at most two per answer, ``per_paragraph`` drawn."""
    per_answer: Counter[str] = Counter()
    good = []
    for qa in paragraph["qas"]:
        answer = qa["answers"][0]["text"].strip()
        if len(qa["question"].split()) < 4 or not names_something(answer):
            continue
        per_answer[answer.lower()] += 1
        if per_answer[answer.lower()] <= 2:
            good.append(qa)
    return rng.sample(good, min(per_paragraph, len(good)))


def qamr_groups(
    per_paragraph: int, seed: int, avoid: str, twin_share: float = 0.33, path: Path = QAMR
) -> list[Group]:
    """The kept questions, each over its paragraph, with twins; none from a paragraph that
    shares a sentence of 50 characters or more with ``avoid`` (the texts never trained on)."""
    rng = random.Random(seed)
    reports: dict[str, list[str]] = {}
    data = read_json(path)["data"]
    paragraphs = [p for a in data for p in a["paragraphs"]]
    titles = [a["title"] for a in data for _ in a["paragraphs"]]
    for title, paragraph in zip(titles, paragraphs, strict=True):
        reports.setdefault(title.rsplit(":", 1)[0], []).append(paragraph["context"])
    groups = []
    for title, paragraph in zip(titles, paragraphs, strict=True):
        context = paragraph["context"]
        if any(len(s) >= 50 and s[:50] in avoid for s in context.split(". ")):
            continue
        report = reports[title.rsplit(":", 1)[0]]
        for qa in kept(paragraph, per_paragraph, rng):
            texts = [a["text"] for a in qa["answers"]]
            spans = occurrences(context, texts)
            if not spans:
                continue
            groups.append(Group("qamr", qa["question"], [context], [(0, a, b) for a, b in spans]))
            if rng.random() < twin_share:
                other = _twin(qa["question"], texts, report.index(context), report, rng)
                if other is not None:
                    groups.append(Group("qamr-twin", qa["question"], [other], []))
    return groups


def texts_never_trained_on() -> str:
    """The news development articles and the held-out news articles, as one text."""
    from news_data import load_news

    news = load_news()
    parts = [p.text for a in news.dev_articles for p in a.paragraphs]
    parts += [
        f.read_text(encoding="utf-8") for f in (ROOT / "benchmarks" / "heldout" / "news").iterdir()
    ]
    return "\n".join(parts)
