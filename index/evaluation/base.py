"""What the question-set evaluations share: their format error, and asking without raising."""

from __future__ import annotations

from index.engine import Engine
from index.question_input import QuestionError
from index.records import Answer


class EvalFormatError(ValueError):
    """The file is neither the development JSON-lines format nor SQuAD."""


def ask_or_refuse(engine: Engine, question: str, article_id: str | None = None) -> Answer:
    """Ask; a question the engine rejects (empty, too long) counts as a refusal."""
    try:
        return engine.ask(question, article_id=article_id)
    except QuestionError:
        return Answer(question=question, found=False, answer=None, answer_type="", confidence=0.0)
