"""SQuAD v1.1 / v2.0: index every article of the file together and ask every question.

Scores follow the official evaluation scripts: exact match and F1 over
normalised answers (lower case, no punctuation, no articles "a/an/the",
single spaces), the best over the gold answers, 0 to 100. For v2.0 an
unanswerable question is right only when the engine refuses (the empty
answer). Retrieval is scored on the top cited sentence: it recalls the answer
when its character span in the question's own paragraph holds the start of a
gold answer.
"""

from __future__ import annotations

import collections
import re
import string
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.engine import Engine
from index.evaluation.base import ask_or_refuse
from index.loader import article_from_text
from index.records import Answer, Article
from index.saved.building import build_corpus

Progress = Callable[[Sequence[Any]], Iterable[Any]]

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = frozenset(string.punctuation)


@dataclass(frozen=True, slots=True)
class SquadQuestion:
    id: str
    question: str
    article_id: str
    paragraph: int  # 1-based, as in the engine's citations
    answer_starts: tuple[int, ...]  # offsets into the (stripped) paragraph text
    answers: tuple[str, ...]

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True)
class SquadSet:
    version: str
    articles: tuple[Article, ...]
    questions: tuple[SquadQuestion, ...]

    @property
    def is_v2(self) -> bool:
        return self.version.startswith("v2") or any(not q.answerable for q in self.questions)


@dataclass(frozen=True, slots=True)
class SquadResult:
    question: SquadQuestion
    answer: Answer
    exact: float
    f1: float
    sentence_rank: int | None  # 1-based rank of the first citation holding an answer start
    paragraph_hit: bool


@dataclass(frozen=True)
class SquadReport:
    squad: SquadSet
    results: tuple[SquadResult, ...]
    index_seconds: float
    ask_seconds: float

    def to_json(self) -> dict[str, object]:
        results = self.results
        answerable = [r for r in results if r.question.answerable]
        unanswerable = [r for r in results if not r.question.answerable]

        def mean(values: Iterable[float], scale: float = 1.0, digits: int = 4) -> float:
            items = list(values)
            return round(scale * sum(items) / len(items), digits) if items else 0.0

        def recall(k: int) -> float:
            return mean(
                float(r.sentence_rank is not None and r.sentence_rank <= k) for r in answerable
            )

        out: dict[str, object] = {
            "format": f"squad-{self.squad.version}",
            "questions": len(results),
            "articles": len(self.squad.articles),
            "sentence_recall@1": recall(1),
            "sentence_recall@3": recall(3),
            "paragraph_recall@1": mean(float(r.paragraph_hit) for r in answerable),
            "exact_match": mean((r.exact for r in results), 100.0, 2),
            "f1": mean((r.f1 for r in results), 100.0, 2),
            "refused": sum(not r.answer.found for r in results),
            "ms_per_question": round(1000 * self.ask_seconds / max(len(results), 1), 3),
            "index_seconds": round(self.index_seconds, 3),
        }
        if self.squad.is_v2:
            out.update(
                {
                    "answerable": len(answerable),
                    "unanswerable": len(unanswerable),
                    "exact_match_answerable": mean((r.exact for r in answerable), 100.0, 2),
                    "f1_answerable": mean((r.f1 for r in answerable), 100.0, 2),
                    "f1_unanswerable": mean((r.f1 for r in unanswerable), 100.0, 2),
                    "false_refusals": sum(not r.answer.found for r in answerable),
                }
            )
        return out

    def predictions(self) -> dict[str, str]:
        return {r.question.id: prediction_text(r.answer) for r in self.results}


# -- the official normalisation and scores ---------------------------------------------


def normalize_answer(text: str) -> str:
    """SQuAD's ``normalize_answer``: lower, drop punctuation and articles, fix spaces."""
    text = "".join(ch for ch in text.lower() if ch not in _PUNCT)
    return " ".join(_ARTICLES.sub(" ", text).split())


def exact_match(prediction: str, gold: str) -> float:
    return float(normalize_answer(prediction) == normalize_answer(gold))


def f1_score(prediction: str, gold: str) -> float:
    pred_tokens = normalize_answer(prediction).split()
    gold_tokens = normalize_answer(gold).split()
    if not pred_tokens or not gold_tokens:  # v2.0: right only when both are empty
        return float(pred_tokens == gold_tokens)
    common = collections.Counter(pred_tokens) & collections.Counter(gold_tokens)
    same = sum(common.values())
    if same == 0:
        return 0.0
    precision = same / len(pred_tokens)
    recall = same / len(gold_tokens)
    return 2 * precision * recall / (precision + recall)


def best_over_gold(
    metric: Callable[[str, str], float], prediction: str, golds: Sequence[str]
) -> float:
    return max(metric(prediction, gold) for gold in (golds or ("",)))


def prediction_text(answer: Answer) -> str:
    """The answer as written into a prediction file: "" for a refusal, no display ellipsis."""
    if not answer.found or not answer.answer:
        return ""
    return answer.answer.rstrip("…").strip()


# -- reading ---------------------------------------------------------------------------


def validate_squad(data: dict[str, Any], name: str = "the file") -> None:
    """Raise :class:`EvalFormatError` unless ``data`` has SQuAD's shape."""
    from index.evaluation.base import EvalFormatError

    articles = data.get("data")
    if not isinstance(articles, list) or not articles:
        raise EvalFormatError(f"{name} is not SQuAD: 'data' must be a non-empty list of articles")
    for a, article in enumerate(articles):
        where = f"{name} is not SQuAD: article {a + 1}"
        if not isinstance(article, dict) or not isinstance(article.get("paragraphs"), list):
            raise EvalFormatError(f"{where} has no 'paragraphs' list")
        for p, paragraph in enumerate(article["paragraphs"]):
            if not isinstance(paragraph, dict) or not isinstance(paragraph.get("context"), str):
                raise EvalFormatError(f"{where}, paragraph {p + 1} has no 'context' text")
            qas = paragraph.get("qas")
            if not isinstance(qas, list):
                raise EvalFormatError(f"{where}, paragraph {p + 1} has no 'qas' list")
            for qa in qas:
                if (
                    not isinstance(qa, dict)
                    or not isinstance(qa.get("question"), str)
                    or "id" not in qa
                    or not isinstance(qa.get("answers", []), list)
                ):
                    raise EvalFormatError(
                        f"{where}, paragraph {p + 1}: every question needs 'id', 'question' "
                        "and an 'answers' list"
                    )
                for answer in qa.get("answers", []):
                    if not (
                        isinstance(answer, dict)
                        and isinstance(answer.get("text"), str)
                        and isinstance(answer.get("answer_start"), int)
                    ):
                        raise EvalFormatError(
                            f"{where}, paragraph {p + 1}: answers need 'text' and 'answer_start'"
                        )


def parse_squad(data: dict[str, Any]) -> SquadSet:
    """Articles (one per SQuAD title, one paragraph per context) and their questions."""
    articles: list[Article] = []
    questions: list[SquadQuestion] = []
    for a, raw in enumerate(data["data"]):
        article_id = f"squad-{a:03d}"
        title = str(raw.get("title") or article_id).replace("_", " ")
        contexts: list[str] = []
        for paragraph in raw["paragraphs"]:
            context: str = paragraph["context"]
            if not context.strip():
                continue
            contexts.append(context)
            shift = len(context) - len(context.lstrip())
            for qa in paragraph["qas"]:
                answers = [] if qa.get("is_impossible") else qa.get("answers", [])
                questions.append(
                    SquadQuestion(
                        id=str(qa["id"]),
                        question=qa["question"],
                        article_id=article_id,
                        paragraph=len(contexts),
                        answer_starts=tuple(x["answer_start"] - shift for x in answers),
                        answers=tuple(x["text"] for x in answers),
                    )
                )
        if contexts:
            articles.append(article_from_text(article_id, title, contexts))
    return SquadSet(str(data.get("version", "")), tuple(articles), tuple(questions))


# -- running ---------------------------------------------------------------------------


def evaluate_squad(
    squad: SquadSet,
    progress: Progress | None = None,
    model_dir: Path | None = None,
) -> SquadReport:
    """Ask every question against all the set's articles, indexed together in memory
    (``model_dir``: the reader's folder, None for the shipped one)."""
    started = time.perf_counter()
    engine = Engine(build_corpus(squad.articles).corpus, model_dir=model_dir)
    index_seconds = time.perf_counter() - started
    results: list[SquadResult] = []
    asking = 0.0
    corpus = engine.corpus
    questions = squad.questions
    for q in progress(questions) if progress else questions:
        t0 = time.perf_counter()
        answer = ask_or_refuse(engine, q.question)
        asking += time.perf_counter() - t0
        predicted = prediction_text(answer)
        rank = None
        for citation in answer.citations:
            if citation.article_id != q.article_id or citation.paragraph != q.paragraph:
                continue
            sentence = corpus.sentence(citation.sentence_id)
            if any(sentence.start <= s < sentence.end for s in q.answer_starts):
                rank = citation.n
                break
        top = answer.citations[0] if answer.citations else None
        paragraph_hit = (
            top is not None and top.article_id == q.article_id and top.paragraph == q.paragraph
        )
        results.append(
            SquadResult(
                question=q,
                answer=answer,
                exact=best_over_gold(exact_match, predicted, q.answers),
                f1=best_over_gold(f1_score, predicted, q.answers),
                sentence_rank=rank,
                paragraph_hit=paragraph_hit,
            )
        )
    return SquadReport(squad, tuple(results), index_seconds, asking)
