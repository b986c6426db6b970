"""The extractive summariser: selection, length, topics and the held-out summary."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.launcher import main
from index.loader import article_from_text, load_file
from index.records import Article
from index.summarize import MAX_SENTENCES, SummaryError, summarize
from tests.conftest import SEED_FILE, SEEDS

PARAGRAPHS = [
    "The city council approved a new bridge over the river on Monday. "
    "The bridge will cost 40 million dollars and open in 2027.",
    "Engineers said the bridge design uses recycled steel. "
    "Local shops welcomed the plan. Traffic on the old ferry has doubled in five years.",
    "Critics said the bridge money should go to schools. "
    "The council will publish the contracts next month.",
]


def _article() -> Article:
    return article_from_text("city-bridge", "Council approves river bridge", PARAGRAPHS)


def test_sentences_come_in_article_order_with_their_ids() -> None:
    article = _article()
    result = summarize(article, sentences=4)
    positions = [s.position for s in result.sentences]
    assert positions == sorted(positions)
    by_id = {s.id: s for s in article.sentences}
    assert all(by_id[s.id] == s for s in result.sentences)


@pytest.mark.parametrize("count", [1, 2, 3, 5])
def test_requested_length_is_honoured(count: int) -> None:
    assert len(summarize(_article(), sentences=count).sentences) == count


def test_length_outside_the_range_is_refused() -> None:
    with pytest.raises(SummaryError, match="1 to"):
        summarize(_article(), sentences=MAX_SENTENCES + 1)


def test_one_sentence_article_gives_that_sentence() -> None:
    article = article_from_text("short", "Short", ["Only one thing happened today."])
    result = summarize(article, sentences=3)
    assert [s.text for s in result.sentences] == ["Only one thing happened today."]


def test_empty_article_gives_a_clear_error() -> None:
    with pytest.raises(SummaryError, match="no sentences"):
        summarize(article_from_text("empty", "Empty", []))


def test_topic_selects_only_sentences_about_it() -> None:
    result = summarize(_article(), sentences=2, topic="steel design")
    assert result.found
    assert [s.text for s in result.sentences] == [
        "Engineers said the bridge design uses recycled steel."
    ]


def test_topic_without_matching_sentences_says_so() -> None:
    result = summarize(_article(), topic="football transfer")
    assert not result.found
    assert result.sentences == ()
    assert "football transfer" in result.message


def test_publisher_summary_is_never_used() -> None:
    article = load_file(SEED_FILE)
    assert article.summary
    planted = replace(article, summary="Totally different words about cricket and tea.")
    assert summarize(article) == summarize(planted)
    summary_sentences = set(article.summary.split(". "))
    assert not any(s.text.rstrip(".") in summary_sentences for s in summarize(article).sentences)


def test_cli_summary_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--json", "--sentences", "2", "--seeds", str(SEEDS)]) == 0
    payload = json.loads(capsys.readouterr().out)
    ids = {s.id for s in load_file(SEED_FILE).sentences}
    assert payload["found"] is True
    assert len(payload["sentences"]) == 2
    assert all(s["sentence_id"] in ids for s in payload["sentences"])
