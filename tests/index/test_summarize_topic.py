"""Topic summaries find a topic given in the user's words, and still refuse one the article lacks."""

from __future__ import annotations

import pytest

from index.loader import load_file
from index.summarize import summarize
from tests.conftest import SEED_FILE


def test_topic_in_the_users_words_finds_the_paragraph_about_it() -> None:
    summary = summarize(load_file(SEED_FILE), topic="Kim's trips to Moscow")
    assert summary.found
    texts = [s.text for s in summary.sentences if s.paragraph == 3]
    assert any("traveled to Moscow" in t for t in texts) and any("visit Moscow" in t for t in texts)


@pytest.mark.parametrize("topic", ["Kim's trips to Paris", "drones in Iran"])
def test_a_topic_with_one_known_word_is_not_found(topic: str) -> None:
    assert not summarize(load_file(SEED_FILE), topic=topic).found
