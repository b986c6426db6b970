"""Statistics for a period on a known set of rows, grouping, p95, and the PNG chart."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from bot.storage.chart import render_chart, render_chart_async
from bot.storage.stats import group_questions, normalise, percentile
from tests.bot.store_helpers import NOW, entry, make_store

PRESIDENT = "who is the president of France?"


async def _known_rows(path: Path) -> dict[str, int]:
    async with make_store(path) as store:
        ids = {}
        rows = [
            # name, question, found, answer, sentence, article, latency, days ago
            ("q1", "how many troops were sent to Russia?", True, "3,000", "art-s1", "art", 10, 0),
            ("q2", "How many troops were sent to Russia", True, "3,000", "art-s1", "art", 20, 0),
            ("q3", "when were the images released?", True, "in March", "art2-s4", "art2", 30, 0),
            ("q4", PRESIDENT, False, None, "art-s9", "art", 40, 0),
            ("q5", "Who is the president of france", False, None, "art-s9", "art", 50, 0),
            ("q6", "what drones were tested?", True, "suicide drones", "art-s5", "art", 60, 1),
            ("q7", "what is the weather tomorrow?", False, None, None, None, 70, 1),
            ("q8", "who evaluated the drones?", True, "Kim", "art-s5", "art", 80, 3),
            ("q9", "where were troops deployed?", True, "Russia", "art-s1", "art", 90, 3),
            ("q10", "who is the presdent of France?", False, None, "art-s9", "art", 100, 3),
        ]
        for name, question, found, answer, sid, aid, latency, ago in rows:
            ids[name] = await store.log_question(
                entry(
                    question,
                    found=found,
                    answer=answer,
                    sentence_id=sid,
                    article_id=aid,
                    latency_ms=latency,
                    days_ago=ago,
                )
            )
        # outside the period, and another server
        await store.log_question(entry("how many troops were sent to Russia?", days_ago=8))
        await store.log_question(entry("anything else?", found=False, guild_id=99))
        for user in (1, 2):
            await store.vote(ids["q1"], user_id=user, helpful=False)
        await store.vote(ids["q1"], user_id=3, helpful=True)
        await store.vote(ids["q2"], user_id=4, helpful=False)
        await store.vote(ids["q3"], user_id=1, helpful=True)
        await store.vote(ids["q4"], user_id=6, helpful=False)  # a refusal someone disliked
        return ids


async def test_stats_figures_on_known_rows(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await _known_rows(path)
    async with make_store(path) as store:
        stats = await store.stats(days=7, guild_id=10, now=NOW + timedelta(hours=1))
    assert (stats.questions, stats.answered, stats.refused) == (10, 6, 4)
    assert stats.answered_share == pytest.approx(0.6)
    assert stats.refused_share == pytest.approx(0.4)
    assert (stats.helpful_votes, stats.not_helpful_votes) == (2, 4)
    assert stats.helpful_ratio == pytest.approx(2 / 6)
    assert stats.p95_latency_ms == 100
    # near-identical unanswered questions grouped: case, punctuation and a typo
    assert stats.top_unanswered[0].count == 3
    assert normalise(stats.top_unanswered[0].text) == normalise(PRESIDENT)
    assert [g.count for g in stats.top_unanswered] == [3, 1]
    assert stats.top_unanswered[1].text == "what is the weather tomorrow?"
    # the same answer from the same sentence counts once across questions
    worst = stats.not_helpful[0]
    assert (worst.answer, worst.sentence_id, worst.not_helpful, worst.helpful) == (
        "3,000",
        "art-s1",
        3,
        1,
    )
    assert worst.question == "how many troops were sent to Russia?"
    assert stats.not_helpful[1].answer == f"(refused) {PRESIDENT}"
    assert len(stats.not_helpful) == 2
    assert [(a.article_id, a.questions) for a in stats.top_articles] == [("art", 8), ("art2", 1)]
    assert len(stats.per_day) == 7
    today, yesterday, three_ago = stats.per_day[-1], stats.per_day[-2], stats.per_day[-4]
    assert (today.answered, today.refused) == (3, 2)
    assert (yesterday.answered, yesterday.refused) == (1, 1)
    assert (three_ago.answered, three_ago.refused) == (2, 1)
    assert sum(d.answered + d.refused for d in stats.per_day) == 10
    as_json = stats.to_json()
    assert as_json["questions"] == 10 and as_json["helpful_ratio"] == pytest.approx(0.3333)


async def test_stats_for_all_servers_and_an_empty_period(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await _known_rows(path)
    async with make_store(path) as store:
        everything = await store.stats(days=7, now=NOW + timedelta(hours=1))
        assert everything.questions == 11 and everything.refused == 5
        month = await store.stats(days=30, guild_id=10, now=NOW + timedelta(hours=1))
        assert month.questions == 11
        nothing = await store.stats(days=7, guild_id=12345, now=NOW)
    assert nothing.questions == 0
    assert nothing.answered_share is None and nothing.helpful_ratio is None
    assert nothing.p95_latency_ms is None
    assert len(nothing.per_day) == 7


def test_grouping_keeps_different_questions_apart() -> None:
    groups = group_questions(
        [
            ("Who is the president of France?", 2),
            ("who is the president of france", 1),
            ("who is the prime minister of France?", 1),
            ("how many drones were tested?", 1),
            ("how many troops were sent to Russia?", 1),
            ("???", 4),
        ]
    )
    assert [(g.text, g.count) for g in groups] == [
        ("Who is the president of France?", 3),
        ("how many drones were tested?", 1),
        ("how many troops were sent to Russia?", 1),
        ("who is the prime minister of France?", 1),
    ]
    assert groups[0].variants == ("who is the president of france",)


def test_percentile_nearest_rank() -> None:
    assert percentile([], 95) is None
    assert percentile([5.0], 95) == 5.0
    assert percentile(list(range(1, 101)), 95) == 95
    assert percentile(list(range(1, 21)), 95) == 19


async def test_chart_is_a_png_rendered_off_the_loop(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    await _known_rows(path)
    async with make_store(path) as store:
        stats = await store.stats(days=7, now=NOW + timedelta(hours=1))
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.001)

    probe = asyncio.create_task(ticker())
    png = await render_chart_async(stats)
    probe.cancel()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert ticks > 1  # the loop kept running while the chart was drawn
    assert render_chart(stats)[:8] == png[:8]
