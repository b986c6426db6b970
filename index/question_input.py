"""A question as typed, cleaned into the words the engine reads, or turned away with why.

Whitespace is collapsed, control characters and emoji dropped; an empty, too long or
wordless question, or one in another language than the articles' English
(:mod:`index.question_language`), raises :class:`QuestionError` with the reason instead of
getting "The articles don't say.".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from index.question_language import is_english
from index.records import MAX_QUESTION_CHARS

EXAMPLE_QUESTION = "“how many troops were sent to Russia?”"
NOT_ENGLISH = (
    "I read English articles and answer questions in English; "
    f"please ask in English, for example {EXAMPLE_QUESTION}"
)
# Emoji, pictographs, flags, skin tones and other signs that are not words
# (Unicode So, Sk, Cs, Co). Kept: the degree sign, and the two accents the
# tokenizer reads as apostrophes ("Korea´s"). Currency (Sc), math (Sm) and
# punctuation are other categories and stay: "$5", "3,000", "U.S.", "40%".
_SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Cs", "Co"})
_KEEP_SYMBOLS = frozenset("°`´")
# Marks that only shape the emoji before them: variation selectors, the keycap.
_EMOJI_MARKS = re.compile("[\u20e3\ufe00-\ufe0f\U000e0100-\U000e01ef]")


class QuestionError(ValueError):
    """A question the engine cannot take (empty, too long, no words, not English); says why."""


def clean_question(question: str, known: Callable[[str], bool] | None = None) -> str:
    """The words of a question, or a :class:`QuestionError` saying why there are none to read.

    Whitespace is collapsed, control characters and symbols that are not words
    (emoji and the like) dropped, so "🚁 who showed off the drones" reads as
    its words do; input with no letter or digit, or in another language than
    the articles' English (:mod:`index.question_language`), is turned away
    with the reason instead of getting "The articles don't say." ``known``: whether the
    articles hold a word (their names and terms say nothing of the question's language).
    """
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in question).split())
    if not text:
        raise QuestionError(f"the question is empty; ask something like {EXAMPLE_QUESTION}")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is {len(text):,} characters long; please keep it under {MAX_QUESTION_CHARS:,}"
        )
    text = " ".join(_without_symbols(text).split())
    if not any(ch.isalnum() for ch in text):
        raise QuestionError(
            f"that doesn't look like a question; ask something like {EXAMPLE_QUESTION}"
        )
    if not is_english(text, known):
        raise QuestionError(NOT_ENGLISH)
    return text


def _without_symbols(text: str) -> str:
    """``text`` with emoji and other non-word symbols as spaces, their shaping marks gone."""
    text = _EMOJI_MARKS.sub("", text)
    return "".join(
        " " if unicodedata.category(ch) in _SYMBOL_CATEGORIES and ch not in _KEEP_SYMBOLS else ch
        for ch in text
    )
