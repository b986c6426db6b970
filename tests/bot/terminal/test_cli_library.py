"""``articlebot`` outside a checkout: the user's own library, ``--version``, folder problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.launcher import main

FERRY = """# Ferry service returns to Kestrel Bay

The ferry between Kestrel Bay and Gull Island resumed on Tuesday after a repair that took eleven weeks.

The harbour authority said the repair of the landing stage cost 4.2 million dollars. The first crossing carried 212 passengers.
"""


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory, user folders of its own, no folder setting."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for name in ("ARTICLEBOT_SEEDS", "ARTICLEBOT_INDEX_DIR", "ARTICLEBOT_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return work


def ask(question: str, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["ask", question, "--json"]) == 0
    answer: dict[str, object] = json.loads(capsys.readouterr().out)
    return answer


def test_the_first_question_anywhere_is_answered_from_the_sample(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ask("how many troops were sent to Russia?", capsys)["answer"] == "more than 3,000"
    assert list(elsewhere.iterdir()) == []  # nothing in the working directory


def test_an_added_article_is_answered_and_kept_in_the_library(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = elsewhere.parent / "ferry.md"
    source.write_text(FERRY, encoding="utf-8")
    assert main(["add", str(source)]) == 0
    capsys.readouterr()
    assert ask("how many passengers were on the first crossing?", capsys)["answer"] == "212"
    library = elsewhere.parent / "data" / "articlebot" / "articles"
    assert len(list(library.glob("*.md"))) == 1
    assert list(elsewhere.iterdir()) == []


def test_articles_says_which_folder_is_in_use(
    elsewhere: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["articles"]) == 0
    out = capsys.readouterr().out
    assert f"Articles folder: {elsewhere.parent / 'data' / 'articlebot' / 'articles'}" in out


def test_version_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("articlebot 0.")


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.write_text("x"), "is not a folder"),
        (lambda p: p.mkdir(), "has no .txt or .md article"),
    ],
)
def test_a_folder_problem_is_one_line_and_exit_status_1(
    elsewhere: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    make: object,
    problem: str,
) -> None:
    folder = elsewhere.parent / "articles"
    make(folder)  # type: ignore[operator]
    monkeypatch.setenv("ARTICLEBOT_SEEDS", str(folder))
    assert main(["ask", "why?"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"articlebot: the articles folder {folder} {problem}")
    assert err.endswith("(set by ARTICLEBOT_SEEDS)\n") and err.count("\n") == 1
