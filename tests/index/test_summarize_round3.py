"""Regression tests for the faults of the second blind round (issue 28, third round).

A coverage sentence naming someone by surname alone whom the summary never
introduced ("Heald said …") is not taken, or comes after the sentence giving the
full name; a peripheral detail is not taken for coverage; a topic summary holds
only what is really about the topic, finds the cause when asked why, and is not
padded with the sentences a pick leans on.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from index.cohesion import leans_on, single_quote_state
from index.loader import article_from_text
from index.records import Sentence
from index.summarize import DEFAULT_SETTINGS, summarize
from index.summary_lead import coverage_pick
from index.summary_sentences import unintroduced_names

LEAD = "Fire crews fought a blaze at a battery recycling plant near Malmo for 14 hours."


def test_a_surname_alone_needs_its_introduction_in_the_summary() -> None:
    article = [LEAD, "Plant manager Karin Lundqvist said nobody was hurt."]
    assert unintroduced_names("Lundqvist said repairs would take months.", LEAD, article) == [
        "Lundqvist"
    ]
    said = LEAD + " Plant manager Karin Lundqvist said nobody was hurt."
    assert unintroduced_names("Lundqvist said repairs would take months.", said, article) == []


def test_a_name_given_in_full_or_a_place_is_not_a_stranger() -> None:
    article = [LEAD, "Plant manager Karin Lundqvist spoke in Malmo."]
    assert unintroduced_names("Karin Lundqvist said repairs would take months.", "", article) == []
    assert unintroduced_names("Residents of Malmo were told to stay indoors.", "", article) == []


def test_a_title_and_surname_is_a_stranger_until_named() -> None:
    assert unintroduced_names("Mr Beavis said he was furious.", LEAD, [LEAD]) == ["Beavis"]


FIRE = [
    LEAD,
    "About 180 tonnes of batteries were in the storage hall when the fire broke out before dawn.",
    "The 26 workers on the night shift were evacuated without injury, the company said.",
    "Residents within three kilometres were told to keep their windows shut overnight.",
    "Firefighters used four million litres of water to cool the burning battery cells.",
    "Local councillor Anders Holm said residents had been promised no such storage.",
    "Holm told the town meeting that the 2022 permit for the Malmo plant must be reviewed.",
    "The county board said on Friday it would review the recycling plant's permit.",
    "Air measurements showed hydrogen fluoride levels back to normal by midnight on Friday.",
    "Twelve people called the regional health line with sore eyes after the Malmo fire.",
    "The plant opened in 2022 and can process 30,000 tonnes of batteries a year.",
    "It employs 140 people, who will be paid while the site is closed for repairs.",
]


def test_a_coverage_pick_naming_a_stranger_is_not_taken_alone() -> None:
    summary = summarize(article_from_text("fire", "Battery plant fire", FIRE))
    texts = [s.text for s in summary.sentences]
    holm = [t for t in texts if t.startswith("Holm told")]
    assert not holm or any("Anders Holm" in t for t in texts)


def _sentences(texts: list[str]) -> list[Sentence]:
    return list(article_from_text("a", "A", texts).sentences)


def test_coverage_prefers_a_central_sentence_to_a_peripheral_detail() -> None:
    texts = [
        "The council of Varna approved a new harbour budget of 40 million euros on Monday.",
        "The harbour budget pays for two new piers and dredging of the old basin.",
        "Opposition councillors said the harbour budget left schools short of money.",
        "Councillor Ana Petrova's phone rang twice during the long vote in the chamber.",
        "Mayor Ivan Petrov said the harbour budget would create 300 jobs by 2026 in Varna.",
        "She later apologised to the chamber for the ringing phone, the council said.",
    ]
    body = _sentences(texts)
    # 3 is a detail far from all but 5 (which cannot stand alone); 4 is close to the rest.
    similarity = np.full((6, 6), 0.4)
    similarity[3, :] = similarity[:, 3] = 0.0
    similarity[3, 5] = similarity[5, 3] = 0.9
    np.fill_diagonal(similarity, 1.0)
    links = ([False] * 6, [False] * 6)
    # (the figure lift, round five, off: 4's "300 jobs" would win without the guard too)
    anywhere = replace(
        DEFAULT_SETTINGS, centrality_quantile=0.0, lead_quantile=0.0, figure_weight=0.0
    )
    assert coverage_pick(body, [0], similarity, links, anywhere) == 3  # novel, not central
    assert coverage_pick(body, [0], similarity, links) == 4


def test_a_topic_summary_holds_only_what_is_about_the_topic() -> None:
    paragraphs = [
        "Voltcykel's battery recycling plant near Malmo caught fire early on Tuesday.",
        "About 7,500 residents were told to stay indoors with their windows closed.",
        "Twelve residents went to hospital with breathing problems and sore eyes, the "
        "regional health service said.",
        "The plant opened in 2022 and employs 140 people.",
        "The company's chief executive said the site would be closed for four months.",
    ]
    article = article_from_text("fire", "Battery fire", paragraphs)
    summary = summarize(article, topic="health effects on residents")
    positions = [s.position for s in summary.sentences]
    assert 2 in positions and not {3, 4} & set(positions)


def test_why_finds_the_sentence_giving_the_cause() -> None:
    paragraphs = [
        "A fire destroyed a storage hall at a battery recycling plant on Tuesday.",
        "Crews from four towns fought the fire for more than 14 hours.",
        "The company said a damaged battery pack delivered on Monday had started the fire.",
        "Residents were told to stay indoors until midnight.",
    ]
    article = article_from_text("fire", "Battery fire", paragraphs)
    summary = summarize(article, topic="the cause of the fire")
    assert 2 in [s.position for s in summary.sentences]


def test_a_topic_pick_does_not_bring_a_chain_of_sentences_it_leans_on() -> None:
    paragraphs = [
        "Martin Bellander, a psychology student in Stockholm, collected 94,526 paintings.",
        "He wrote software to download their images from museum websites.",
        "Then he measured the share of each colour in every painting.",
        "He found that paintings grew bluer after 1900.",
        "Critics said paintings look bluer because old oil paint fades, not because "
        "painters changed.",
    ]
    article = article_from_text("art", "Colours of art", paragraphs)
    summary = summarize(article, topic="why the colours changed")
    positions = [s.position for s in summary.sentences]
    assert 4 in positions and len(positions) <= 2


def test_an_elided_decade_opens_no_quotation() -> None:
    assert single_quote_state("In the '80s and '90s he lived in Ohio.", False) == (False, False)
    assert single_quote_state("He said 'we will stay.", False) == (False, True)


def test_an_opening_the_x_needs_no_antecedent_under_a_topic_naming_it() -> None:
    previous = "Freund took many photographs in Mexico."
    text = "The photographs were taken in Mexico City in 1951."
    assert leans_on(text, previous)  # which photographs?
    assert not leans_on(text, previous, named={"freund", "photograph"})
    assert leans_on(text, previous, named={"mexico"})
