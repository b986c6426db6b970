"""``articles`` and choosing an article for ``summary``: whole ids, readable times, numbers."""

from __future__ import annotations

import io
import json
import re
import sys
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.launcher import main
from bot.terminal.render import human_time, summary_text
from index.summarize import Summary
from tests.conftest import SEEDS

ARTICLES = {
    "council-budget-vote.txt": "Council passes budget\n\nThe council passed the budget on Monday. "
    "Drones will inspect the bridges it pays for.\n",
    "council-bridge-plan.txt": "Council plans a bridge\n\nThe council plans a bridge over the "
    "river. It will cost 40 million dollars.\n",
}


@pytest.fixture
def two_articles(tmp_path: Path) -> list[str]:
    """``--seeds DIR`` for a folder of two articles whose ids share their first 8 characters."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return ["--seeds", str(folder), "--data", str(tmp_path / "index")]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def listed(seeds: list[str], capsys: pytest.CaptureFixture[str]) -> list[dict[str, str]]:
    code, out, _ = run(["articles", "--json", *seeds], capsys)
    assert code == 0
    rows: list[dict[str, str]] = json.loads(out)["articles"]
    return rows


def test_articles_shows_ids_that_ask_and_summary_take_as_shown(
    two_articles: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(["articles", *two_articles], capsys)
    shown = re.findall(r"^\s+id (\S+)$", out, re.MULTILINE)
    assert sorted(shown) == sorted(row["id"] for row in listed(two_articles, capsys))
    for article_id in shown:
        _, asked, _ = run(
            ["ask", "what will it cost", "--article", article_id, "--json", *two_articles], capsys
        )
        assert {c["article_id"] for c in json.loads(asked)["citations"]} == {article_id}
        _, summary, _ = run(["summary", article_id, "--json", *two_articles], capsys)
        assert json.loads(summary)["article_id"] == article_id


def test_articles_shows_when_indexed_as_a_person_reads_it_and_json_keeps_iso(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(["articles", "--seeds", str(SEEDS)], capsys)
    assert re.search(r"indexed \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC$", out.strip())
    _, out, _ = run(["articles", "--json", "--seeds", str(SEEDS)], capsys)
    assert datetime.fromisoformat(json.loads(out)["indexed_at"]).tzinfo is not None


def test_articles_shows_where_an_article_came_from(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["articles", "--seeds", str(SEEDS)], capsys)
    assert "23 sentences\n     from www.rferl.org\n" in out
    assert listed(["--seeds", str(SEEDS)], capsys)[0]["source"] == "www.rferl.org"


def test_articles_shows_when_an_article_was_added_and_json_keeps_iso(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "harbour.txt").write_text(
        "Harbour festival\n\nThe festival drew 48,000 visitors.\n\n"
        "Original Source: https://example.com/harbour\nAdded: 2026-12-02T18:35:11+00:00\n",
        encoding="utf-8",
    )
    seeds = ["--seeds", str(tmp_path / "seeds"), "--data", str(tmp_path / "index")]
    _, out, _ = run(["articles", *seeds], capsys)
    assert "harbour.txt, 1 sentence, added 2 Dec 2026, 18:35 UTC\n" in out
    assert "from https://example.com/harbour\n" in out
    assert listed(seeds, capsys)[0]["added_at"] == "2026-12-02T18:35:11+00:00"


def test_a_time_reads_in_utc_with_the_month_in_words() -> None:
    evening = datetime(2026, 12, 2, 18, 35, 11, 359548, tzinfo=UTC)
    assert human_time(evening) == "2 Dec 2026, 18:35 UTC"
    assert human_time(evening.astimezone(timezone(timedelta(hours=9)))) == "2 Dec 2026, 18:35 UTC"
    assert human_time("2026-12-03T03:35:00+09:00") == "2 Dec 2026, 18:35 UTC"
    assert human_time("last Tuesday") == "last Tuesday"  # a hand-written value, shown as written


def test_summary_without_a_name_among_several_exits_1_with_the_numbered_list(
    two_articles: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["summary", *two_articles], capsys)
    titles = [row["title"] for row in listed(two_articles, capsys)]
    assert code == 1 and "articlebot summary 2" in err
    assert f"1. {titles[0]}" in err and f"2. {titles[1]}" in err


def test_summary_takes_the_number_the_articles_list_shows(
    two_articles: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    second = listed(two_articles, capsys)[1]["id"]
    _, out, _ = run(["summary", "2", "--json", *two_articles], capsys)
    assert json.loads(out)["article_id"] == second


def test_ask_article_takes_the_number_the_articles_list_shows(
    two_articles: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    second = listed(two_articles, capsys)[1]["id"]
    _, out, _ = run(["ask", "what will it cost", "--article", "2", "--json", *two_articles], capsys)
    assert {c["article_id"] for c in json.loads(out)["citations"]} == {second}


def chat(
    lines: str,
    seeds: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(lines))
    assert main(["chat", *seeds]) == 0
    return capsys.readouterr().out


def test_chat_summary_takes_a_number_and_a_topic(
    two_articles: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    title = listed(two_articles, capsys)[1]["title"]
    out = chat("summary 2 council\n", two_articles, monkeypatch, capsys)
    assert f"Summary of “{title}”, about “council”" in out and "says nothing" not in out


@pytest.mark.parametrize("line", ["summary", "summary drones"])
def test_chat_summary_naming_no_article_among_several_offers_the_numbered_list(
    line: str,
    two_articles: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    titles = [row["title"] for row in listed(two_articles, capsys)]
    out = chat(f"{line}\n", two_articles, monkeypatch, capsys)
    assert f"'{line.replace('summary', 'summary 2')}'" in out
    assert f"1. {titles[0]}" in out and f"2. {titles[1]}" in out and "Summary of" not in out


def test_chat_summary_of_the_only_article_takes_the_words_as_the_topic(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("summary drones\n", ["--seeds", str(SEEDS)], monkeypatch, capsys)
    heading, _, sentences = out.partition("”, about “drones”")
    assert heading.startswith("Summary of “North Korea")
    quoted = re.findall(r"\[\d\] ([^—]+)", sentences)
    assert quoted and all("drone" in q.lower() for q in quoted)


@pytest.fixture
def storm_8(two_articles: list[str]) -> list[str]:
    """The two articles and a third whose file name holds an 8, as a loose match once found."""
    folder = Path(two_articles[1])
    (folder / "storm-8.txt").write_text("Storm hits coast\n\nThe storm hit the coast.\n")
    return two_articles


def test_summary_of_a_number_past_the_last_says_there_is_none_and_lists_them(
    storm_8: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["summary", "8", *storm_8], capsys)
    assert code == 1 and not out
    assert err.startswith("articlebot: there is no article 8; 3 articles") and "3. " in err


def test_chat_summary_of_a_number_past_the_last_says_there_is_none_and_lists_them(
    storm_8: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = chat("summary 8\n", storm_8, monkeypatch, capsys)
    assert "there is no article 8; 3 articles" in out and "3. " in out
    assert "Summary of" not in out


def test_a_summary_in_doubt_says_so_above_its_sentences(doubtful_summary: Summary) -> None:
    lines = summary_text(doubtful_summary, columns=200).splitlines()

    assert lines[1].strip().startswith("“Storm hits Braga” may say nothing")
    assert lines[2].strip().startswith("[1] Braga's football club")
