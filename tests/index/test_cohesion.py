"""Summaries never open with a sentence that leans on the one before it."""

from __future__ import annotations

import pytest

from index.cohesion import leans_on, leans_on_previous, single_quote_state
from index.loader import article_from_text
from index.records import Article
from index.summarize import summarize


@pytest.mark.parametrize(
    "sentence",
    [
        "He told the meeting the drones were ready.",
        "It's the third launch this year.",
        "Their plan failed.",
        "This has prompted international concern.",
        "But the council voted against it.",
        "However, the mayor disagreed.",
        "Meanwhile, prices rose.",
        "In addition, five schools closed.",
        "“We will not stop,” she said.",
        '"It was chaos," said he.',
        "Woods immediately rebounded in birdie-birdie style at the seventh.",  # from what?
        "Mr Ray responded by banging on her front door.",
        "The following week, Pakistan test-launched its own missile.",  # after what?
        "Six minutes later, Lukaku scored a third goal.",
        "Shortly afterwards, the police arrived.",
        "From there, the demonstration took players to the murder scene.",
        "Until then the town will keep supplying water from a temporary unit.",
        "At that time, one in three visits came from BBC News.",
    ],
)
def test_a_sentence_that_points_back_is_flagged(sentence: str) -> None:
    assert leans_on_previous(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Mayor Ana Ruiz opened the harbour festival.",
        "This week the council met twice.",
        "So far, 48,000 people have visited.",
        "In addition to troops, North Korea sent missiles.",
        "“We will not stop,” said Ana Ruiz.",
        "Then-President Obama signed it.",
        "Italy's coach resigned.",
        "The minister responded to the criticism on Monday.",  # names what it responds to
        "Prices rebounded from a two-year low.",
        "Shortly after the attack, the police arrived.",  # names its moment
        "The next president takes office in May.",
        "After that match, the coach resigned.",  # names it
    ],
)
def test_a_sentence_that_stands_alone_is_not_flagged(sentence: str) -> None:
    assert not leans_on_previous(sentence)


PEBBLE = "The Pebble Time smartwatch goes on sale in May."


def test_a_pronoun_subject_after_an_opening_phrase_leans_on_the_sentence_before() -> None:
    assert leans_on("In the US is it expected to cost $250 (£133).", PEBBLE)


def test_he_said_after_an_opening_phrase_leans_on_the_sentence_before() -> None:
    assert leans_on("On Monday, he said the talks had failed.", "Talks on the port deal resumed.")


def test_a_pronoun_after_the_subject_it_stands_for_stands_alone() -> None:
    assert not leans_on("Apple said its new phone would cost $999.", PEBBLE)


def test_an_it_that_stands_for_nothing_stands_alone() -> None:
    assert not leans_on("In the US, it is expected that prices will rise.", PEBBLE)


def _festival(*more: str) -> Article:
    return article_from_text(
        "festival",
        "Harbour festival",
        [
            "Mayor Ana Ruiz opened the harbour festival on Saturday. "
            "The festival drew 48,000 visitors to the waterfront.",
            "Fireworks closed the first night. Local bands played until midnight. "
            "Ruiz thanked the volunteers who built the stages.",
            "She told the meeting that drones would film the parade next year.",
            *more,
        ],
    )


def test_a_topic_summary_takes_the_sentence_its_opener_leans_on() -> None:
    summary = summarize(_festival(), topic="drones film parade")
    assert [s.text[:10] for s in summary.sentences] == ["Ruiz thank", "She told t"]


def test_an_opener_without_room_for_its_context_gives_way_to_the_next_candidate() -> None:
    article = _festival("Drones filmed the boat parade on Sunday.")
    summary = summarize(article, sentences=1, topic="drones film parade")
    assert [s.text[:10] for s in summary.sentences] == ["Drones fil"]


def test_an_opener_that_needs_its_context_but_stands_alone_is_all_there_is() -> None:
    summary = summarize(_festival(), sentences=1, topic="drones film parade")
    assert [s.text[:10] for s in summary.sentences] == ["Ruiz thank", "She told t"]


def test_an_elided_decade_opens_no_quotation() -> None:
    assert single_quote_state("In the '80s and '90s he lived in Ohio.", False) == (False, False)
    assert single_quote_state("He said 'we will stay.", False) == (False, True)


def test_by_comparison_leans_on_the_sentence_before() -> None:
    assert leans_on("By comparison, only 13 per cent of men fall below the line.", "x")
    assert leans_on("For example, the pesticide is injected into the soil.", "x")


def test_a_person_pronoun_after_an_opening_phrase_needs_a_name() -> None:
    assert leans_on("Having planned to stay two weeks, she stayed for two years.", "x")
    assert not leans_on("Reed said his rival cheated.", "x")


def test_a_definite_noun_phrase_leans_on_the_sentence_that_introduced_it() -> None:
    previous = "Seagate also showed a 2TB external drive the size of a credit card."
    assert leans_on("The external USB drive won a CES innovation award.", previous)
    assert leans_on("The tests would have boosted his claims.", "Carlsen accused Niemann.")
    assert not leans_on("Magnus Carlsen said his rival cheated.", previous)
