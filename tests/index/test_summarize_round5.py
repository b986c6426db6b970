"""Regression tests for the faults of the fourth blind round (issue 28, fifth round).

The default summary's coverage sentence prefers, among those that read right alone,
one giving the outcome's figures (a sentence, an amount, a count) over one without,
and a date or a clock time is no figure. A "why" topic finds the sentence giving the
cause even when it shares one word with the topic ("blamed competition" for "why the
chain got into trouble"), where the article was said to say nothing about it.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from index.loader import article_from_text
from index.records import Sentence
from index.summarize import DEFAULT_SETTINGS, summarize
from index.summary_lead import coverage_pick, holds_figure

CHAIN = [
    "Dobrosz, Poland's third-largest grocery chain, filed for protection from its creditors.",
    "The family firm opened its first shop in Zgierz and now runs 400 stores.",
    "Executives blamed competition from German-owned discount chains for the losses.",
    "Shoppers in Zgierz said they would miss the friendly staff at their local branch.",
]


def test_a_why_topic_finds_the_cause_worded_apart_from_it() -> None:
    article = article_from_text("chain", "Grocery chain in trouble", CHAIN)
    summary = summarize(article, topic="why the chain got into trouble")
    assert summary.found
    assert any(s.text.startswith("Executives blamed") for s in summary.sentences)


@pytest.mark.parametrize(
    "sentence",
    [
        "Mason was jailed for 15 months and will repay the whole £185,000.",
        "He was sentenced to six years in prison.",
        "Police seized 4 million litres of fuel at the border.",
        "Sweden won the final 2 – 1 after extra time.",
    ],
)
def test_an_outcome_figure_counts(sentence: str) -> None:
    assert holds_figure(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The hearing resumed on December 5 in Istanbul.",
        "Herrera's 10th minute attempt was blocked by the goalkeeper.",
        "The eviction was set for 8am on Tuesday.",
        "The company was founded in 1994 by the Dobrosz family.",
    ],
)
def test_a_date_a_time_or_an_ordinal_is_no_figure(sentence: str) -> None:
    assert not holds_figure(sentence)


def _sentences(texts: list[str]) -> list[Sentence]:
    return list(article_from_text("a", "A", texts).sentences)


FRAUD = [
    "A former bank clerk who stole from elderly customers in Leeds was in court on Monday.",
    "Prosecutors said Mason took money from the accounts of 40 customers over three years.",
    "Mason's neighbours in Leeds described him as a quiet man who kept to himself.",
    "Mason was jailed for 15 months and ordered to repay the whole £185,000.",
]


def test_coverage_prefers_the_sentence_giving_the_outcomes_figures() -> None:
    body = _sentences(FRAUD)
    similarity = np.full((4, 4), 0.4)  # 2 and 3 would add as much: the figures decide
    np.fill_diagonal(similarity, 1.0)
    links = ([False] * 4, [False] * 4)
    anywhere = replace(DEFAULT_SETTINGS, lead_quantile=0.0, centrality_quantile=0.0)
    assert coverage_pick(body, [0, 1], similarity, links, anywhere) == 3
    assert coverage_pick(body, [0, 1], similarity, links, replace(anywhere, figure_weight=0)) == 2


def test_a_figure_does_not_excuse_a_sentence_leaning_on_the_one_before() -> None:
    body = _sentences(FRAUD)
    similarity = np.full((4, 4), 0.4)
    np.fill_diagonal(similarity, 1.0)
    links = ([False, False, False, True], [False, False, True, False])  # 3 leans on 2
    anywhere = replace(DEFAULT_SETTINGS, lead_quantile=0.0, centrality_quantile=0.0)
    assert coverage_pick(body, [0, 1], similarity, links, anywhere) != 3
