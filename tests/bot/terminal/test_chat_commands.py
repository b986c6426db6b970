"""Chat commands in a few more words: "show me the articles" runs, "articles about x" asks back."""

from __future__ import annotations

import io
import sys

import pytest

from bot.launcher import main
from bot.terminal.chat_commands import Meant, command_meant
from tests.conftest import SEEDS

ARTICLE_LIST = "000_814f4a391a44af90.txt, 23 sentences"


def chat(lines: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert main(["chat", "--seeds", str(SEEDS)]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("line", "command"),
    [
        ("articles please", "articles"),
        ("show articles", "articles"),
        ("list articles", "articles"),
        ("show me the articles", "articles"),
        ("can you list all the articles?", "articles"),
        ("help me", "help"),
        ("help please", "help"),
        ("Help me please!", "help"),
        ("show me the summary", "summary"),
    ],
)
def test_a_command_word_with_filler_is_that_command(line: str, command: str) -> None:
    assert command_meant(line) == Meant(command, sure=True)


@pytest.mark.parametrize(
    "line",
    [
        "what articles of the treaty were signed?",
        "who needs help?",
        "help the refugees how?",
        "how did the summary of the talks read",
        "can refugees get help",
        "the articles say that Kim visited Moscow in the spring",
        "how many troops were sent to Russia?",
    ],
)
def test_a_question_is_never_taken_for_a_command(line: str) -> None:
    assert command_meant(line) is None


@pytest.mark.parametrize(
    ("line", "command"), [("articles about drones", "articles"), ("help the refugees", "help")]
)
def test_a_command_word_with_other_words_is_asked_back(line: str, command: str) -> None:
    assert command_meant(line) == Meant(command, sure=False)


def test_chat_runs_commands_said_in_other_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("articles please\nshow me the articles\nhelp me\n", monkeypatch, capsys)
    assert out.count(ARTICLE_LIST) == 2
    assert "summary [ARTICLE] [TOPIC]" in out
    assert "Q: " not in out and "don't say" not in out


def test_chat_asks_back_when_a_command_word_comes_with_other_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("articles about drones\n", monkeypatch, capsys)
    assert "Did you mean `articles`?" in out
    assert "Q: " not in out


def test_chat_still_answers_a_question_with_a_command_word(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("who needs help?\n", monkeypatch, capsys)
    assert "Q: who needs help?" in out and "Did you mean" not in out


def test_chat_summarises_a_subject_asked_for_with_a_command_word(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("summarise the drones\n", monkeypatch, capsys)
    assert "Did you mean" not in out
    assert "about “the drones”" in out
