"""The terminal: chat commands, wrapping, refusals, ``articles``, ``--log``, where the index goes."""

from __future__ import annotations

import argparse
import io
import json
import os
import pty
import select
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bot.launcher import main
from bot.terminal import render
from bot.terminal.chat import Chat
from bot.terminal.question_log import answering
from index import open_corpus
from index.engine import Engine
from index.records import Answer, Citation
from tests.conftest import ROOT, SEEDS

TROOPS = "how many troops were sent to Russia?"
TITLE = "North Korea’s Military Expansion: Troop Support to Russia and New Drone Developments"


def chat(lines: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert main(["chat", "--seeds", str(SEEDS)]) == 0
    return capsys.readouterr().out


def citation(n: int, text: str, title: str = TITLE) -> Citation:
    return Citation(n, "a1", title, n, f"a1#s{n}", text, 1.0)


def test_chat_commands_never_reach_the_engine(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("help\n?\n/help\narticles\nsummary\n", monkeypatch, capsys)
    assert "don't say" not in out and "Q: " not in out
    assert out.count("summary [ARTICLE] [TOPIC]") == 3
    assert "000_814f4a391a44af90.txt, 23 sentences" in out
    assert f"Summary of “{TITLE[:40]}" in out


def test_piped_quit_ends_the_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat(f"exit polls said what?\n{TROOPS}\nquit\n{TROOPS}\n", monkeypatch, capsys)
    assert out.count("Q: ") == 2 and "3,000" in out and "looks" not in out


def test_summary_in_chat_takes_a_topic_in_the_users_words(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("summary Kim's trips to Moscow\n", monkeypatch, capsys)
    assert "about “Kim's trips to Moscow”" in out
    assert "says nothing" not in out and "Moscow" in out.split("”", 2)[-1]


def festival_and_bridge(tmp_path: Path) -> Engine:
    folder = tmp_path / "two"
    folder.mkdir()
    (folder / "a.txt").write_text("Harbour festival\n\nThe festival drew 48,000 visitors.\n")
    (folder / "b.txt").write_text("Bridge opens\n\nA bridge opened. It cost 40 million dollars.\n")
    return Engine(open_corpus(folder, tmp_path / "i"))


def test_summary_names_an_article_by_its_leading_words(tmp_path: Path) -> None:
    with answering(argparse.Namespace(log=False), festival_and_bridge(tmp_path)) as answers:
        session = Chat(answers, ids=False, echo=False)
        article, topic = session.summary_target("bridge opens cost")
    assert (article.title, topic) == ("Bridge opens", "cost")
    assert session.summary_target("harbour")[1] is None


def test_a_bare_number_after_the_choice_of_articles_summarises_that_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with answering(argparse.Namespace(log=False), festival_and_bridge(tmp_path)) as answers:
        session = Chat(answers, ids=False, echo=False)
        session.handle("what happened?")
        assert "Type its number" in capsys.readouterr().out
        session.handle("2")
        assert "Summary of “Bridge opens”" in capsys.readouterr().out
        session.handle("2")  # no choice offered now: a question
        assert "Summary of" not in capsys.readouterr().out


def test_answers_wrap_to_the_width_without_breaking_words() -> None:
    text = "On the same day that Kim evaluated the drones, more than 3,000 troops were deployed."
    answer = Answer(TROOPS, True, "3,000", "count", 0.9, (citation(1, text),), article_title=TITLE)
    for columns in (40, 80):
        out = render.answer_text(answer, columns=columns)
        assert max(len(line) for line in out.splitlines()) <= columns
        words = " ".join(out.split()).replace("“", "").replace("”", "")
        assert text in words  # every word whole, in order


def test_title_once_ids_on_request_and_no_doubled_quote() -> None:
    quote = "He said: “We will go.”"
    cites = (citation(1, quote), citation(2, "Other news.", "Another article"))
    answer = Answer("q", True, "go", "other", 0.9, cites, article_title=TITLE)
    out = render.answer_text(answer, columns=200)
    assert out.count(TITLE) == 1 and "Another article, paragraph 2" in out
    assert "”””" not in out and "“He said: “We will go.”" in out and "a1#s1" not in out
    assert "— paragraph 1, a1#s1" in render.answer_text(answer, ids=True, columns=200)


def test_a_refusal_lists_up_to_three_closest_passages() -> None:
    cites = tuple(citation(n, f"Passage number {n}.") for n in range(1, 6))
    out = render.answer_text(Answer("q", False, None, "other", 0.1, cites), columns=80)
    assert "The articles don't say." in out
    assert [f"[{n}]" in out for n in range(1, 6)] == [True, True, True, False, False]


def test_ids_flag_and_json_keep_sentence_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", TROOPS, "--seeds", str(SEEDS)]) == 0
    plain = capsys.readouterr().out
    assert main(["ask", TROOPS, "--ids", "--seeds", str(SEEDS)]) == 0
    with_ids = capsys.readouterr().out
    assert main(["ask", TROOPS, "--json", "--seeds", str(SEEDS)]) == 0
    sentence_id = json.loads(capsys.readouterr().out)["citations"][0]["sentence_id"]
    assert sentence_id not in plain and sentence_id in with_ids


def test_articles_lists_titles_files_and_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["articles", "--seeds", str(SEEDS)]) == 0
    text = capsys.readouterr().out
    assert TITLE in text and "000_814f4a391a44af90.txt, 23 sentences" in text
    assert main(["articles", "--json", "--seeds", str(SEEDS)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["indexed_at"] and data["articles"][0]["sentences"] == 23


def test_outside_seeds_are_indexed_in_the_user_cache_not_beside_them(
    seeds_copy: Path, private_cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", TROOPS, "--seeds", str(seeds_copy)]) == 0
    assert not (seeds_copy.parent / "data").exists()
    assert list((private_cache / "articlebot" / "index").glob("seeds-*/manifest.json"))
    assert main(["ask", TROOPS, "--seeds", str(seeds_copy), "--data", str(tmp_path / "d")]) == 0
    assert (tmp_path / "d" / "index" / "manifest.json").is_file()
    capsys.readouterr()


def test_logged_terminal_questions_show_in_stats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ARTICLEBOT_DATABASE", str(tmp_path / "q.sqlite3"))
    monkeypatch.setenv("ARTICLEBOT_USER_SALT", "a-salt-of-sixteen-chars")
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{TROOPS}\nwho won the 2030 world cup?\n"))
    assert main(["chat", "--log", "--seeds", str(SEEDS)]) == 0
    assert main(["ask", TROOPS, "--log", "--seeds", str(SEEDS)]) == 0
    capsys.readouterr()
    assert main(["stats", "--json", "--seeds", str(SEEDS)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["questions"] == 3
    assert [g["question"] for g in stats["top_unanswered"]] == ["who won the 2030 world cup?"]


def test_terminal_session_edits_recalls_and_ends_on_a_new_line() -> None:
    """A real terminal: the up arrow recalls the last question; Ctrl-D leaves a newline."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the shipped command on a pseudo-terminal
        os.chdir(ROOT)
        os.environ.update(COLUMNS="80", TERM="dumb")
        os.execv(sys.executable, [sys.executable, "-m", "bot.launcher", "chat"])
    try:
        read_until(fd, b"you> ")
        os.write(fd, f"{TROOPS}\r".encode())
        read_until(fd, b"you> ")
        os.write(fd, b"\x1b[A\r")  # up arrow, Enter
        recalled = read_until(fd, b"you> ")
        os.write(fd, b"\x04")  # Ctrl-D
        tail = read_until(fd, b"")
    finally:
        _, status = os.waitpid(pid, 0)
    assert b"3,000" in recalled and b"^[[A" not in recalled
    assert tail.endswith(b"\r\n") and os.waitstatus_to_exitcode(status) == 0


def read_until(fd: int, marker: bytes, timeout: float = 30.0) -> bytes:
    """Output of the pseudo-terminal up to ``marker`` (or to its end when ``marker`` is empty)."""
    data, deadline = b"", time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            return data
        if not chunk:
            return data
        data += chunk
        if marker and data.endswith(marker):
            return data
    raise AssertionError(f"timed out waiting for {marker!r}; got {data[-300:]!r}")


def test_every_command_has_help_with_an_example() -> None:
    for command in ("ask", "chat", "articles", "summary", "index"):
        out = subprocess.run(
            [sys.executable, "-m", "bot.launcher", command, "--help"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stdout
        assert "example: articlebot" in out, command


def test_chat_says_how_it_read_a_misspelt_word(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("how many troopps were sent to Russia?\n", monkeypatch, capsys)
    assert "(read “troopps” as “troops”)\nAnswer: more than 3,000" in out


def test_chat_what_happened_gives_the_summary(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("what happened?\n", monkeypatch, capsys)
    assert "Summary of “North Korea" in out and "The articles don't say" not in out


def test_chat_hello_gets_one_line_on_what_to_ask(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("hello\n", monkeypatch, capsys)
    assert out.strip().splitlines()[-1] == render.GREETING


def test_chat_thanks_gets_a_welcome_not_the_line_on_what_to_ask(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("thanks!\n", monkeypatch, capsys)
    assert out.strip().splitlines()[-1] == render.SMALL_TALK["thanks"]


def test_chat_ok_is_acknowledged_not_answered_with_the_line_on_what_to_ask(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("nvm\n", monkeypatch, capsys)
    assert out.strip().splitlines()[-1] == render.SMALL_TALK["ack"]


def test_chat_line_asking_two_things_gets_two_answers(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("when were the images released? where?\n", monkeypatch, capsys)
    assert "Answer: March 27" in out and "Read as: where were the images released?" in out


def test_chat_good_night_leaves_the_chat(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("good night\nwhat happened?\n", monkeypatch, capsys)
    assert out.strip().splitlines()[-1] == "Bye!" and "Summary" not in out


def test_a_citation_that_leans_on_the_sentence_before_shows_that_sentence() -> None:
    leaning = Citation(1, "a1", TITLE, 3, "a1#s3", "In the US it is expected to cost $250.", 1.0)
    leaning = replace(leaning, context="The Pixel 9a goes on sale in April.")
    answer = Answer("how much?", True, "$250", "number", 0.9, (leaning,), article_title=TITLE)

    text = render.answer_text(answer, columns=80)
    assert (
        "cost $250.”\n      after “The Pixel 9a goes on sale in April.”\n      — paragraph 3"
        in text
    )


LIGHTHOUSE = """Portland Harbor Lighthouse Reopens After Two-Year Restoration

The Portland Harbor lighthouse reopened to visitors on Saturday after a two-year restoration funded by the city.

The restoration cost 4.2 million dollars and replaced the rusted iron lantern room and the spiral staircase.
"""


def chat_json(
    lines: str, seeds: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[dict[str, object]]:
    """``chat --json`` over ``seeds`` with the seed article and the lighthouse beside it."""
    (seeds / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert main(["chat", "--json", "--seeds", str(seeds)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_chat_json_reads_a_follow_up_with_the_question_before(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first, follow_up = chat_json(
        f"{TROOPS}\nand when were they deployed?\n", seeds_copy, monkeypatch, capsys
    )
    assert set(first) == set(follow_up) >= {"question", "answer", "found", "read_as"}
    assert first["read_as"] is None
    assert follow_up["question"] == "and when were they deployed?"
    assert "troops" in str(follow_up["read_as"])
    assert follow_up["article_id"] == first["article_id"]


def test_chat_json_starts_afresh_on_another_articles_subject(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    switch = "and how much did the lighthouse restoration cost?"
    first, other = chat_json(f"{TROOPS}\n{switch}\n", seeds_copy, monkeypatch, capsys)
    assert other["read_as"] is None
    assert other["article_id"] != first["article_id"]
    assert "4.2 million" in str(other["answer"])


def test_chat_more_after_the_summary_command_shows_more_of_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("summary 1\nmore\n", monkeypatch, capsys)

    first, more = out.split("Summary of")[1].split("More from")
    assert more.count("\n  [") > 0 and first.count("\n  [") > 0


def test_chat_bye_leaves_like_quit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat(f"bye!\n{TROOPS}\n", monkeypatch, capsys)

    assert "3,000" not in out


def test_chat_summarise_it_after_a_question_summarises_that_article(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lighthouse = "how much did the lighthouse restoration cost?"
    first, summary = chat_json(f"{lighthouse}\nsummarise it\n", seeds_copy, monkeypatch, capsys)

    assert summary["kind"] == "summary" and summary["read_as"] is None
    assert summary["summary"]["article_id"] == first["article_id"]  # type: ignore[index]


def test_chat_summary_alone_mid_conversation_summarises_the_article_talked_of(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (seeds_copy / "lighthouse.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    lighthouse = "how much did the lighthouse restoration cost?"
    monkeypatch.setattr(
        sys, "stdin", io.StringIO(f"summary\n{lighthouse}\nsummary\nsummarize it\n")
    )
    assert main(["chat", "--seeds", str(seeds_copy)]) == 0
    out = capsys.readouterr().out

    before, after = out.split("4.2 million", 1)
    assert "choose one by number" in before  # no conversation yet: which article?
    assert after.count("Summary of “Portland Harbor") == 2 and "Did you mean" not in after
