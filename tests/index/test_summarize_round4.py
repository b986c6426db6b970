"""Regression tests for the faults of the third blind round (issue 28, fourth round).

A topic summary holds every sentence of the run that tells the topic, not only
the closest one, and a sentence that only announces a cause ("have begun to
understand why …") brings the sentence that gives it. A coverage sentence is not
a step of play-by-play (an opening relative to a moment the reader was not
told of) nor background the lead's subject does not reach.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from index.loader import article_from_text
from index.records import Sentence
from index.summarize import DEFAULT_SETTINGS, summarize
from index.summary_lead import coverage_pick
from index.summary_sentences import self_contained

STORM = [
    "A storm crossed northern Portugal on Sunday night, the weather service said.",
    "The storm tore the roofs off 200 houses in the town of Braga. "
    "Falling trees and winds of 140 km/h damaged power lines across the Braga district. "
    "Some 30,000 homes in Braga were still without electricity on Monday morning.",
    "Braga's football club postponed its league match against Porto until April.",
    "The club's new stadium, opened in 2003, holds 30,000 spectators.",
]


def test_a_topic_summary_holds_each_fact_the_article_gives_on_it() -> None:
    article = article_from_text("storm", "Storm in Portugal", STORM)
    summary = summarize(article, topic="the storm damage in Braga")
    positions = {s.position for s in summary.sentences}
    assert len(positions & {1, 2, 3}) >= 2  # the roofs, the power lines, the homes cut off
    assert not positions & {4, 5}  # the football is about Braga, not about the damage


PINK = [
    "Lake Hillier, on an island off Western Australia, is known for its bright pink water.",
    "Visitors have photographed the lake from the air for more than a century. "
    "Researchers have only recently begun to understand why the water turns pink. "
    "A salt-loving alga, Dunaliella salina, makes a red pigment when the water is very salty.",
    "The island can only be reached by boat or on a scenic flight from Esperance.",
]


def test_a_sentence_announcing_the_cause_brings_the_one_giving_it() -> None:
    article = article_from_text("pink", "The pink lake", PINK)
    summary = summarize(article, topic="why the lake is pink")
    texts = [s.text for s in summary.sentences]
    assert any(t.startswith("A salt-loving alga") for t in texts)


@pytest.mark.parametrize(
    "sentence",
    [
        "Just a few minutes into Thursday's hearing, Stancil snapped back at the judge in Raleigh.",
        "After a week, Ms Jackson asked her neighbour in Leeds to turn the music down a bit.",
        "In the injury time, England captain Harry Kane scored a second goal from a corner.",
        "Rory McIlroy dropped a shot at the 12th after finding the water with his approach.",
        "Moments later Liverpool's Daniel Sturridge hit the post from twelve yards out.",
    ],
)
def test_a_step_of_play_by_play_does_not_stand_alone(sentence: str) -> None:
    assert not self_contained(sentence)


def test_an_election_round_or_a_century_is_no_play_by_play() -> None:
    assert self_contained(
        "In the first round, Reyes Lind led with 34 percent to Barragan's 27 percent of the vote."
    )
    assert self_contained("Builders found Roman coins on the 3rd of May under a 12th century wall.")


def _sentences(texts: list[str]) -> list[Sentence]:
    return list(article_from_text("a", "A", texts).sentences)


def test_coverage_passes_over_background_the_lead_does_not_reach() -> None:
    texts = [
        "The council of Varna approved a new harbour budget of 40 million euros on Monday.",
        "Mayor Ivan Petrov said the harbour budget would create 300 jobs by 2026 in Varna.",
        "Inflation in Bulgaria rose to 9 percent last year as energy prices climbed.",
        "Households across Bulgaria cut spending on food and heating during the winter.",
        "Work on the two new piers of Varna harbour will begin in the spring of 2025.",
        "Dredging of the old basin in Varna will let larger cargo ships dock from 2026.",
        "Opposition councillors in Varna said the harbour budget left schools short.",
        "Port workers in Varna welcomed the budget, their union said on Tuesday.",
    ]
    body = _sentences(texts)
    # 2 and 3 are background the lead's subject does not reach; 2 would cover the most.
    similarity = np.full((8, 8), 0.4)
    similarity[[2, 3], :] = similarity[:, [2, 3]] = 0.1
    similarity[2, 3] = similarity[3, 2] = 0.55
    similarity[0, [2, 3]] = similarity[[2, 3], 0] = 0.02
    np.fill_diagonal(similarity, 1.0)
    links = ([False] * 8, [False] * 8)
    anywhere = replace(DEFAULT_SETTINGS, lead_quantile=0.0, centrality_quantile=0.0)
    assert coverage_pick(body, [0, 1], similarity, links, anywhere) == 2
    assert coverage_pick(body, [0, 1], similarity, links) not in (2, 3, None)
