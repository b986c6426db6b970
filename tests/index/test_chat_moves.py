"""Chat moves other than questions (index.chat_moves): asking for the source, for more, for a
summary of the article talked of, and chat before a question."""

from __future__ import annotations

import pytest

from index.chat_moves import asks_for_more, asks_for_source, asks_for_summary, without_chatter


@pytest.mark.parametrize(
    "line", ["source?", "sources please", "where does it say that?", "are you sure?", "says who"]
)
def test_a_line_asking_what_the_last_answer_stands_on_is_told_apart(line: str) -> None:
    assert asks_for_source(line)


@pytest.mark.parametrize(
    "line", ["what did he say?", "where is the source of the river?", "is it true?"]
)
def test_a_question_about_the_articles_is_no_request_for_a_source(line: str) -> None:
    assert not asks_for_source(line)


@pytest.mark.parametrize(
    "line", ["what?", "huh?", "what do you mean", "i don't get it", "??", "sorry?"]
)
def test_a_puzzled_line_asks_where_the_last_answer_comes_from(line: str) -> None:
    assert asks_for_source(line)


@pytest.mark.parametrize(
    ("line", "question"),
    [
        ("thanks! and how many were sent before?", "and how many were sent before?"),
        ("ok cool, when did they arrive?", "when did they arrive?"),
        ("ok. what drones were shown?", "what drones were shown?"),
        ("hey bot, what happened in peru?", "what happened in peru?"),
        ("yo what happened in russia", "what happened in russia"),
        ("lol ok and how many were sent?", "and how many were sent?"),  # no stop, a question
    ],
)
def test_chat_before_a_question_is_no_part_of_it(line: str, question: str) -> None:
    assert without_chatter(line) == question


@pytest.mark.parametrize(
    "line",
    ["thanks!", "ok cool", "cool drones in that video?", "great britain's share?", "hi there"],
)
def test_a_line_that_is_only_chat_or_opens_on_a_word_of_its_own_stays(line: str) -> None:
    assert without_chatter(line) == line


@pytest.mark.parametrize(
    "line", ["more", "more please", "tell me more", "what else?", "anything else?", "go on"]
)
def test_a_line_asking_for_more_of_what_was_shown_is_told_apart(line: str) -> None:
    assert asks_for_more(line)


@pytest.mark.parametrize("line", ["more troops?", "what else did kim say?", "how many more?"])
def test_a_question_with_more_in_it_asks_for_no_more_of_the_summary(line: str) -> None:
    assert not asks_for_more(line)


@pytest.mark.parametrize("line", ["summarise it", "summary", "tl;dr", "can u sum it up", "recap?"])
def test_a_line_naming_a_summary_asks_for_one(line: str) -> None:
    assert asks_for_summary(line)


@pytest.mark.parametrize("line", ["when?", "what happened?", "and why?", "what drones?"])
def test_the_gists_question_words_alone_ask_for_no_summary(line: str) -> None:
    assert not asks_for_summary(line)
