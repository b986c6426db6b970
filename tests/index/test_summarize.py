"""The extractive summariser: selection, length, topics and the held-out summary."""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path

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


def test_a_topic_of_stop_words_alone_says_what_to_give_instead() -> None:
    with pytest.raises(SummaryError, match="names nothing to look for; name its subject"):
        summarize(_article(), topic="who is against it")


@pytest.mark.parametrize("topic", ["el cólera", "le bébé", "ソーラーパネル"])
def test_a_topic_in_another_language_asks_for_english_not_says_nothing(topic: str) -> None:
    with pytest.raises(SummaryError, match="in English"):
        summarize(_article(), topic=topic)


def test_a_summary_of_a_length_asked_for_never_uses_the_publishers_summary() -> None:
    """``eval-summaries`` scores such summaries against the publisher's."""
    article = load_file(SEED_FILE)
    assert article.summary
    planted = replace(article, summary="Totally different words about cricket and tea.")
    assert summarize(article, sentences=3) == summarize(planted, sentences=3)
    summary_sentences = set(article.summary.split(". "))
    chosen = summarize(article, sentences=3).sentences
    assert not any(s.text.rstrip(".") in summary_sentences for s in chosen)


def test_cli_summary_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--json", "--sentences", "2", "--seeds", str(SEEDS)]) == 0
    payload = json.loads(capsys.readouterr().out)
    ids = {s.id for s in load_file(SEED_FILE).sentences}
    assert payload["found"] is True
    assert len(payload["sentences"]) == 2
    assert all(s["sentence_id"] in ids for s in payload["sentences"])


QUAKE = [
    "A magnitude 7.1 earthquake struck the coastal city of Varna early on Tuesday, "
    "toppling apartment blocks and killing at least 120 people.",
    "Rescue teams from six countries worked through the night in the rubble of the old town.",
    "The governor declared three days of mourning and closed the schools.",
    "Aftershocks rattled the region for hours after the first tremor.",
    "Power was cut to most of the city and the airport stayed shut.",
    "Engineers said many of the older buildings had never been reinforced.",
    "Hospitals in the nearby towns set up tents for the injured.",
    "Volunteers handed out water and blankets at the football stadium.",
    "On Thursday a baby girl was pulled alive from a collapsed bakery after 60 hours.",
    "Doctors said the infant was dehydrated but otherwise unhurt.",
    "Two elderly brothers were rescued from the same street an hour later.",
    "The death toll rose to 212 by Friday evening, officials said.",
    "International donors pledged 40 million euros to rebuild the harbour district.",
    "Seismologists warned that a second strong quake could follow within weeks.",
]


def test_without_the_model_summaries_still_come_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    article = article_from_text("quake", "Earthquake in Varna", QUAKE)
    with caplog.at_level(logging.WARNING, logger="index.embedding"):
        first = summarize(article, model_dir=tmp_path)
        again = summarize(article, topic="the baby", model_dir=tmp_path)
    assert first.sentences and again.found is not None
    assert len([r for r in caplog.records if "embeddings unavailable" in r.message]) == 1
