"""Feedback votes in the SQLite store: one per user per answer, changeable."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.storage import UnknownAnswerError
from tests.bot.store_helpers import entry, make_store


async def test_vote_change_vote_and_one_vote_per_user(tmp_path: Path) -> None:
    async with make_store(tmp_path / "bot.sqlite3") as store:
        qid = await store.log_question(entry("how many troops were sent to Russia?"))

        first = await store.vote(qid, user_id=7, helpful=True)
        assert (first.previous, first.changed) == (None, False)
        assert (first.helpful_count, first.not_helpful_count) == (1, 0)

        again = await store.vote(qid, user_id=7, helpful=True)  # same vote twice: still one
        assert (again.previous, again.changed) == (True, False)
        assert (again.helpful_count, again.not_helpful_count) == (1, 0)

        changed = await store.vote(qid, user_id=7, helpful=False)
        assert (changed.previous, changed.changed) == (True, True)
        assert (changed.helpful_count, changed.not_helpful_count) == (0, 1)

        other = await store.vote(qid, user_id=8, helpful=True)
        assert (other.helpful_count, other.not_helpful_count) == (1, 1)


async def test_votes_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    async with make_store(path) as store:
        qid = await store.log_question(entry("how many troops were sent to Russia?"))
        await store.vote(qid, user_id=7, helpful=False)
    async with make_store(path) as store:
        result = await store.vote(qid, user_id=7, helpful=False)
        assert (result.previous, result.not_helpful_count) == (False, 1)


async def test_voting_on_an_unknown_answer_raises(tmp_path: Path) -> None:
    async with make_store(tmp_path / "bot.sqlite3") as store:
        with pytest.raises(UnknownAnswerError):
            await store.vote(404, user_id=1, helpful=True)


async def test_votes_are_keyed_by_the_salted_hash(tmp_path: Path) -> None:
    async with make_store(tmp_path / "bot.sqlite3") as store:
        assert store.hash_user(1) != store.hash_user(2)
        assert store.hash_user(1) == store.hash_user(1)
        assert len(store.hash_user(1)) == 32
