"""Regression tests for the faults of the blind-judged summaries (issue 28, second round).

Each test is one fault the judges or the development articles showed: a sentence
taken for coverage must read right out of its place, a single-quoted quotation is
cut only where it ends, and a topic's kind (prices, earlier events) finds what
its words alone miss.
"""

from __future__ import annotations

import pytest

from index.cohesion import leans_on, single_quote_state
from index.loader import article_from_text
from index.summarize import summarize
from index.summary_sentences import self_contained

FAIR = [
    "The Fan Expo opened in Toronto on Friday with 120,000 visitors and guests Stan Lee and "
    "Mark Hamill.",
    "Organisers said tickets sold out two weeks before the doors opened.",
    "Hundreds of fans queued outside the convention centre from dawn.",
    "Cosplayers filled the halls dressed as characters from films and comics.",
    "The finals saw the crowd on its feet as the last match went to overtime.",
    "Sony ran demo areas for its new virtual reality headset all weekend.",
    "Local charity groups raised 30,000 dollars selling signed posters to visitors.",
    "Immortals won the Overwatch championship and its 50,000 dollar prize on Sunday evening.",
    "Food trucks lined the street outside the main entrance.",
    "Volunteers handed out maps of the four exhibition halls.",
    "Security staff checked every bag at the doors.",
    "Some visitors complained about the long queues for autographs.",
    "Parking near the centre was full by nine in the morning.",
    "The expo returns to Toronto next August, the organisers said.",
]


def test_a_long_summary_reaches_past_the_opening_with_a_sentence_that_stands_alone() -> None:
    article = article_from_text("expo", "Fan Expo opens in Toronto", FAIR)
    positions = [s.position for s in summarize(article).sentences]
    assert positions[0] == 0
    assert max(positions) > 3  # past the opening: the charity, the winner or the demos
    assert 4 not in positions  # "The finals saw …": which finals?


@pytest.mark.parametrize(
    "sentence",
    [
        "The finals saw the crowd on its feet as the last match went to overtime in Toronto.",
        "Click here to see the best costumes from the Toronto Fan Expo this weekend.",
        "Organisers of the Fan Expo in Toronto wrote on their official blog on Sunday:",
        "Rescuers carry a survivor from the bakery in Varna (above) on Monday afternoon.",
        "'We will be back next year with more guests,' said organiser Andrew Moyes in Toronto.",
        "Doctors warned she may never walk again, but Charlotte Roach worked at it.",
        "When asked about Iraq's training of security forces in Basra, Master Sgt.",
        "Six minutes later, Lukaku scored a third goal for Belgium from Eden Hazard's pass.",
        "Next, the demonstrators in Madrid spoke directly to the officers with loud cries.",
    ],
)
def test_a_coverage_pick_must_read_right_on_its_own(sentence: str) -> None:
    assert not self_contained(sentence, {"expo", "toronto", "visitors"})


def test_a_sentence_naming_what_it_says_stands_alone() -> None:
    assert self_contained(
        "Immortals won the Overwatch championship and a 50,000 dollar prize on Sunday evening."
    )


def test_a_single_quoted_tail_is_not_taken_without_its_head() -> None:
    assert single_quote_state("I am really suffering too much.'", False) == (True, False)
    assert single_quote_state("'It's the nature of business.", False) == (False, True)
    assert single_quote_state("The boys' mother said it's fine.", False) == (False, False)
    paragraphs = [
        "Frida Kahlo spent much of her life in pain after a tram accident in 1925. "
        "'I am in pain every day. I am really suffering too much,' she wrote in 1944. "
        "I am suffering a lot of pain from the accident.'",
    ]
    article = article_from_text("frida", "Frida Kahlo", paragraphs)
    texts = [s.text for s in summarize(article, sentences=2, topic="suffering pain").sentences]
    assert "I am suffering a lot of pain from the accident.'" not in texts[:1]


def test_by_comparison_leans_on_the_sentence_before() -> None:
    assert leans_on("By comparison, only 13 per cent of men fall below the line.", "x")
    assert leans_on("For example, the pesticide is injected into the soil.", "x")


def test_a_person_pronoun_after_an_opening_phrase_needs_a_name() -> None:
    assert leans_on("Having planned to stay two weeks, she stayed for two years.", "x")
    assert not leans_on("Reed said his rival cheated.", "x")


GADGETS = [
    "Samsung showed its new phones and televisions at the trade fair in Las Vegas on Tuesday.",
    "Its Galaxy Fold, which opens into a small tablet, will cost about $799 when it ships.",
    "SD cards have come down in price over the past year, the company said.",
    "Sony's new television is the thinnest yet and goes on sale in March for $1,999.",
    "Visitors queued for hours to see the robots on the show floor.",
    "LG's rollable screen, on sale in the autumn, is priced at $2,499.",
    "Analysts said the fair was the busiest in a decade.",
    "Thousands of exhibitors filled the halls of the convention centre.",
]


def test_the_prices_finds_the_amounts_however_they_are_worded() -> None:
    article = article_from_text("ces", "Gadgets at the fair", GADGETS)
    texts = " ".join(s.text for s in summarize(article, topic="the prices").sentences)
    assert sum(amount in texts for amount in ("$799", "$1,999", "$2,499")) >= 2


def test_a_money_topic_is_absent_from_an_article_without_amounts() -> None:
    article = article_from_text("fair", "Fair", [GADGETS[0], GADGETS[4], GADGETS[6]])
    assert not summarize(article, topic="ticket prices").found


def test_previous_cases_finds_the_earlier_cases() -> None:
    paragraphs = [
        "Hans Niemann denied cheating in his win over Magnus Carlsen at the Sinquefield Cup.",
        "Carlsen withdrew from the tournament in St Louis after the defeat.",
        "Niemann admitted he had cheated in online games when he was 12 and again at 16.",
        "The American said he had never cheated in a game over the board.",
        "The two players are due to meet again at an event in Paris next month.",
    ]
    article = article_from_text("chess", "Chess row", paragraphs)
    summary = summarize(article, topic="previous cheating cases")
    assert summary.found
    assert any("when he was 12" in s.text for s in summary.sentences)


def test_the_default_summary_keeps_the_opening_and_adds_to_it() -> None:
    article = article_from_text("expo", "Fan Expo opens in Toronto", FAIR)
    positions = [s.position for s in summarize(article).sentences]
    assert positions[:3] == [0, 1, 2]  # the lead as written: its point comes first
    assert len(positions) == 4


def test_a_caption_under_its_label_never_opens_a_summary() -> None:
    paragraphs = [
        "Guilty: Glenn Mason, 56, has said he will pay back the whole £185,000 out of his pension",
        "A bank manager who stole £185,000 from elderly customers will have to pay back every penny.",
        "Glenn Mason, 56, plundered the accounts of nine pensioners near his branch in Kent.",
        "He was jailed for three years at the Old Bailey in January.",
    ]
    article = article_from_text("mason", "Bank manager to repay", paragraphs)
    assert 0 not in [s.position for s in summarize(article).sentences]
    assert 0 not in [s.position for s in summarize(article, topic="the money").sentences]
