"""Input with no words, or in another language, told why in Discord (/ask and mentions) and the terminal."""

from __future__ import annotations

import io
import sys

import pytest

from bot.launcher import main
from tests.bot.conftest import ANSWER_CHANNEL_ID, Harness
from tests.conftest import SEEDS

NO_WORDS = "?!?...,;"
SPANISH = "¿Cuántos soldados envió Corea del Norte?"
KOREAN = "북한은 병사를 몇 명 보냈나요?"


async def test_slash_ask_with_no_words_is_told_it_is_not_a_question(harness: Harness) -> None:
    calls = await harness.call("ask", question="???")

    assert len(calls) == 1 and calls[0].ephemeral
    assert "doesn't look like a question" in calls[0].text()
    assert "how many troops were sent to Russia?" in calls[0].text()


async def test_mention_with_no_words_is_told_it_is_not_a_question(harness: Harness) -> None:
    calls = await harness.send(harness.message(NO_WORDS, mention_bot=True))

    assert [c.text() for c in calls if c.message] == [
        "that doesn't look like a question; ask something like “how many troops were sent to Russia?”"
    ]


async def test_punctuation_in_an_answer_channel_is_left_alone(harness: Harness) -> None:
    assert await harness.send(harness.message("???", channel_id=ANSWER_CHANNEL_ID)) == []


async def test_slash_ask_in_spanish_is_told_the_bot_reads_english(harness: Harness) -> None:
    calls = await harness.call("ask", question=SPANISH)

    assert len(calls) == 1 and calls[0].ephemeral
    assert "I read English articles and answer questions in English" in calls[0].text()


async def test_mention_in_korean_is_told_the_bot_reads_english(harness: Harness) -> None:
    calls = await harness.send(harness.message(KOREAN, mention_bot=True))

    assert next(c.text() for c in calls if c.message).startswith("I read English articles")


def test_terminal_ask_with_no_words_exits_with_the_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["ask", "--seeds", str(SEEDS), "???"]) == 1
    err = capsys.readouterr().err
    assert "doesn't look like a question; ask something like" in err


def test_terminal_chat_line_with_no_words_gets_the_reason(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{NO_WORDS}\n{SPANISH}\n"))
    assert main(["chat", "--seeds", str(SEEDS)]) == 0
    out = capsys.readouterr().out
    assert "articlebot: that doesn't look like a question" in out
    assert "articlebot: I read English articles" in out
    assert "don't say" not in out
