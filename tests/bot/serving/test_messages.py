"""A chat line asking several things (bot/serving/messages.questions_in): each answered in turn."""

from __future__ import annotations

import pytest

from bot.serving.messages import MAX_QUESTIONS, questions_in


@pytest.mark.parametrize(
    ("line", "questions"),
    [
        (
            "how much did the ipo raise? how much was it worth?",
            ["how much did the ipo raise?", "how much was it worth?"],
        ),
        (
            "how much did Kilat raise and who is the CEO?",
            ["how much did Kilat raise?", "who is the CEO?"],
        ),
        ("when was it founded? where?", ["when was it founded?", "where?"]),
    ],
)
def test_a_line_asking_several_things_is_divided_into_its_questions(
    line: str, questions: list[str]
) -> None:
    assert questions_in(line) == questions


@pytest.mark.parametrize(
    "line",
    [
        "how many troops were sent to Russia and Ukraine?",  # one question about two places
        "what happened? tell me more",  # the rest asks no question
        "thanks! and how many died?",
        "who? what? when? where?",  # more than MAX_QUESTIONS: one line
    ],
)
def test_a_line_asking_one_thing_stays_whole(line: str) -> None:
    assert questions_in(line) == [line]


def test_at_most_max_questions_are_taken_from_a_line() -> None:
    assert len(questions_in("who? what? when?")) == MAX_QUESTIONS
