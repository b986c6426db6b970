"""The JSON-lines development format: questions about the seeds folder.

Each line holds ``id``, ``question``, ``answers`` (accepted short answers;
empty when the articles do not say) and ``evidence`` (text one of the cited
sentences must contain). An answer is right when one accepted answer appears
in it; case, punctuation and curly quotes are ignored on both sides.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from index.article_choice import find_article
from index.engine import Engine
from index.evaluation.base import ask_or_refuse
from index.evaluation.jsonlines import numbered_rows
from index.records import Answer

Progress = Callable[[Sequence[Any]], Iterable[Any]]

_PUNCT = str.maketrans("", "", string.punctuation + "‘’“”…–—")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})


@dataclass(frozen=True, slots=True)
class DevItem:
    id: str
    question: str
    answers: tuple[str, ...]
    evidence: tuple[str, ...]
    type: str = ""
    article: str | None = None

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True, slots=True)
class DevResult:
    item: DevItem
    answer: Answer
    evidence_rank: int | None  # 1-based rank of the first citation holding the evidence
    correct: bool


@dataclass(frozen=True)
class DevReport:
    results: tuple[DevResult, ...]
    latencies_ms: tuple[float, ...] = field(repr=False)

    def to_json(self) -> dict[str, object]:
        answerable = [r for r in self.results if r.item.answerable]
        unanswerable = [r for r in self.results if not r.item.answerable]
        with_evidence = [r for r in answerable if r.item.evidence]

        def share(hits: int, total: int) -> float:
            return round(hits / total, 4) if total else 0.0

        def at(k: int) -> float:
            hits = sum(r.evidence_rank is not None and r.evidence_rank <= k for r in with_evidence)
            return share(hits, len(with_evidence))

        lat = np.asarray(self.latencies_ms or (0.0,))
        return {
            "format": "dev",
            "questions": len(self.results),
            "evidence@1": at(1),
            "evidence@3": at(3),
            "answer_accuracy": share(sum(r.correct for r in answerable), len(answerable)),
            "refused": sum(not r.answer.found for r in unanswerable),
            "unanswerable": len(unanswerable),
            "false_refusals": sum(not r.answer.found for r in answerable),
            "p50_ms": round(float(np.percentile(lat, 50)), 3),
            "p95_ms": round(float(np.percentile(lat, 95)), 3),
        }

    def predictions(self) -> dict[str, str]:
        return {r.item.id: r.answer.answer or "" for r in self.results}


def normalise(text: str) -> str:
    """Lower case, straight quotes, no punctuation, single spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower().translate(_PUNCT)
    return " ".join(text.split())


def contains(haystack: str, needle: str) -> bool:
    wanted = normalise(needle)
    pattern = rf"(?<!\w){re.escape(wanted)}(?!\w)"
    return bool(wanted) and re.search(pattern, normalise(haystack)) is not None


def parse_dev_lines(text: str, name: str = "the file") -> list[DevItem]:
    from index.evaluation.base import EvalFormatError

    items: list[DevItem] = []

    def not_json(number: int, message: str) -> EvalFormatError:
        return EvalFormatError(
            f"{name} line {number} is not JSON ({message}); expected SQuAD JSON or "
            "one question object per line"
        )

    for number, row in numbered_rows(text, not_json):
        if not isinstance(row, dict) or not isinstance(row.get("question"), str):
            raise EvalFormatError(f"{name} line {number} has no 'question' text")
        answers = row.get("answers", [])
        evidence = row.get("evidence", [])
        if not _strings(answers) or not _strings(evidence):
            raise EvalFormatError(
                f"{name} line {number}: 'answers' and 'evidence' must be lists of text"
            )
        article = row.get("article")
        items.append(
            DevItem(
                id=str(row.get("id", f"line-{number}")),
                question=row["question"],
                answers=tuple(answers),
                evidence=tuple(evidence),
                type=str(row.get("type", "")),
                article=article if isinstance(article, str) else None,
            )
        )
    if not items:
        raise EvalFormatError(f"{name} holds no questions")
    return items


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def evaluate_dev(
    engine: Engine, items: Sequence[DevItem], progress: Progress | None = None
) -> DevReport:
    results: list[DevResult] = []
    latencies: list[float] = []
    for item in progress(items) if progress else items:
        article_id = None
        if item.article:
            found = find_article(engine.corpus.articles, item.article)
            article_id = found.id if found else None
        answer = ask_or_refuse(engine, item.question, article_id)
        latencies.append(answer.elapsed_ms)
        rank = next(
            (
                c.n
                for c in answer.citations
                if any(contains(c.text, evidence) for evidence in item.evidence)
            ),
            None,
        )
        correct = answer.found and any(contains(answer.answer or "", a) for a in item.answers)
        results.append(DevResult(item, answer, rank, bool(correct)))
    return DevReport(tuple(results), tuple(latencies))
