"""Regression tests for issue 28: every sentence of a summary stands alone, topics by meaning."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from index.cohesion import leans_on, quote_open_after
from index.loader import article_from_text
from index.summarize import default_length, summarize

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


@pytest.mark.parametrize(
    "caption",
    [
        "Rescuers carry a survivor from a bakery (above) on Monday The bakery was built in 1890.",
        "Rescuers carry a survivor from the ruins of a bakery on Monday afternoon in the old town",
    ],
)
def test_a_photo_caption_gives_way_to_a_sentence(caption: str) -> None:
    paragraphs = [
        "A magnitude 7.1 earthquake struck the coastal city of Varna early on Tuesday.",
        caption,  # glued to the next sentence, or without a full stop
        "The governor declared three days of mourning and closed the schools.",
        "Aftershocks rattled the region for hours after the first tremor.",
    ]
    article = article_from_text("quake", "Earthquake in Varna", paragraphs)
    assert [s.position for s in summarize(article, sentences=2).sentences] == [0, 2]


def test_longer_articles_get_more_sentences() -> None:
    assert default_length(5) < default_length(14) < default_length(50)


def test_a_definite_noun_phrase_leans_on_the_sentence_that_introduced_it() -> None:
    previous = "Seagate also showed a 2TB external drive the size of a credit card."
    assert leans_on("The external USB drive won a CES innovation award.", previous)
    assert leans_on("The tests would have boosted his claims.", "Carlsen accused Niemann.")
    assert not leans_on("Magnus Carlsen said his rival cheated.", previous)


def test_a_leaning_pick_brings_its_antecedent() -> None:
    paragraphs = [
        "The trade fair opened in Las Vegas on Monday with 4,000 exhibitors.",
        "Seagate also showed a 2TB external drive the size of a credit card. "
        "The external USB drive won an innovation award for its sealed case.",
        "Visitors queued for the robot vacuum cleaners.",
    ]
    article = article_from_text("fair", "Trade fair opens", paragraphs)
    summary = summarize(article, sentences=3, topic="innovation award sealed case")
    texts = [s.text[:20] for s in summary.sentences]
    assert "The external USB dri" in texts
    assert "Seagate also showed " in texts


def test_a_quotation_is_cut_only_where_it_ends() -> None:
    assert quote_open_after("“We will rebuild the bridge.", False)
    assert not quote_open_after("It will take two years,” said Mayor Ruiz.", True)
    paragraphs = [
        "The storm destroyed the only bridge into Palm Harbor on Sunday.",
        "“We will rebuild the bridge. It will take two years,” said Mayor Ana Ruiz. "
        "Ferries will run in the meantime.",
    ]
    article = article_from_text("storm", "Storm", paragraphs)
    summary = summarize(article, sentences=3, topic="two years")
    texts = [s.text for s in summary.sentences]
    assert "It will take two years,” said Mayor Ana Ruiz." in texts
    assert "“We will rebuild the bridge." in texts  # the tail never comes without its head


def test_a_near_duplicate_is_not_chosen_twice() -> None:
    paragraphs = [
        "Jamaica's sprinter was the first athlete suspended without a positive test.",
        "Jamaica's sprinter became the first athlete ever suspended without a positive test.",
        "The ruling came after she missed three tests in a year.",
        "Her lawyers said they would appeal to the sports court in Lausanne.",
    ]
    article = article_from_text("ban", "Sprinter suspended", paragraphs)
    positions = [s.position for s in summarize(article, sentences=3).sentences]
    assert not {0, 1} <= set(positions)


def test_a_topic_is_found_by_meaning() -> None:
    paragraphs = [
        "The city council approved a new budget for the harbour on Monday.",
        "A tremor struck the coast at dawn on Tuesday, toppling two apartment blocks.",
        "The local football club signed a striker from Lisbon.",
    ]
    article = article_from_text("news", "Local news", paragraphs)
    summary = summarize(article, sentences=1, topic="the earthquake")  # no word in common
    assert [s.position for s in summary.sentences] == [1]


def test_without_the_model_summaries_still_come_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    article = article_from_text("quake", "Earthquake in Varna", QUAKE)
    with caplog.at_level(logging.WARNING, logger="index.embedding"):
        first = summarize(article, model_dir=tmp_path)
        again = summarize(article, topic="the baby", model_dir=tmp_path)
    assert first.sentences and again.found is not None
    assert len([r for r in caplog.records if "embeddings unavailable" in r.message]) == 1
