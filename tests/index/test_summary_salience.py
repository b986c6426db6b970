"""The later pick: a summary that never leaves an article's first half may add a later main point."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from index.embedding import MODEL_DIR
from index.loader import article_from_text
from index.summarize import DEFAULT_SETTINGS, summarize
from index.summary_salience import FEATURES, SALIENCE_FILE, Salience, later_pick, load_salience
from index.summary_sentences import sentence_links

ELECTION = [
    "Maria Barragan won the presidential election in Calvera on Sunday with 51.2 per cent of the "
    "vote. Her rival, former finance minister Tomas Reyes Lind, took 48.8 per cent and has asked "
    "for a recount. Turnout was 71 per cent, the highest since 1994, the electoral commission said.",
    "Barragan, 54, a former mayor of the capital, campaigned on cutting food prices and building "
    "40,000 homes. Reyes Lind promised lower taxes for small businesses and a new port in the north.",
    "Voters queued for hours in the capital, where some polling stations ran out of ballot papers. "
    "Observers from the regional bloc said the vote had been orderly despite the delays.",
    "The electoral court has ten days to rule on the request for a recount in three provinces.",
    "Supporters of Barragan celebrated in the main square until dawn, waving flags and singing. "
    "Street vendors sold out of flags by midnight.",
    "If the result stands, Barragan will be sworn in on January 15 as the country's first woman "
    "president. Markets rose 2 per cent on Monday morning.",
]
SWORN_IN = 10


def _constant(probability: float, threshold: float) -> Salience:
    """A model giving every candidate the same probability."""
    bias = float(np.log(probability / (1 - probability)))
    zeros = (0.0,) * len(FEATURES)
    return Salience(zeros, bias, zeros, (1.0,) * len(FEATURES), threshold)


def _pick(paragraphs: list[str], chosen: list[int], model: Salience) -> int | None:
    article = article_from_text("a", "A", paragraphs)
    body = article.sentences
    return later_pick(body, chosen, np.eye(len(body)), sentence_links(article), model)


def test_a_summary_never_past_the_middle_adds_a_likely_main_point_from_the_later_half() -> None:
    pick = _pick(ELECTION, [0, 1, 2, 3], _constant(0.5, 0.3))
    assert pick is not None and pick >= 6


def test_no_later_pick_when_no_candidate_is_likely_enough() -> None:
    assert _pick(ELECTION, [0, 1, 2, 3], _constant(0.2, 0.3)) is None


def test_no_later_pick_when_the_summary_already_reaches_the_later_half() -> None:
    assert _pick(ELECTION, [0, 1, 2, 7], _constant(0.9, 0.3)) is None


def test_no_later_pick_for_an_article_under_twelve_sentences() -> None:
    assert _pick(ELECTION[:4], [0, 1, 2], _constant(0.9, 0.3)) is None


def test_the_default_summary_adds_the_outcome_told_late_in_the_article() -> None:
    article = article_from_text("vote", "Barragan wins Calvera election", ELECTION)
    shipped = [s.position for s in summarize(article).sentences]
    without = [
        s.position
        for s in summarize(article, settings=replace(DEFAULT_SETTINGS, later_pick=False)).sentences
    ]
    assert SWORN_IN in shipped and SWORN_IN not in without
    assert shipped[: len(without)] == without  # added, nothing replaced


def test_a_length_asked_for_gets_no_later_pick() -> None:
    article = article_from_text("vote", "Barragan wins Calvera election", ELECTION)
    assert len(summarize(article, sentences=3).sentences) == 3


def test_without_the_embedding_model_the_summary_stays_as_it_was(tmp_path: Path) -> None:
    article = article_from_text("vote", "Barragan wins Calvera election", ELECTION)
    positions = [s.position for s in summarize(article, model_dir=tmp_path).sentences]
    assert SWORN_IN not in positions


def test_the_shipped_model_loads_with_its_threshold() -> None:
    model = load_salience(MODEL_DIR / SALIENCE_FILE)
    assert model is not None and 0.0 < model.threshold < 1.0


def test_a_missing_or_foreign_model_file_is_none(tmp_path: Path) -> None:
    assert load_salience(tmp_path / "missing.json") is None
    other = tmp_path / "other.json"
    other.write_text(
        json.dumps(
            {
                "features": ["x"],
                "weights": [1.0],
                "bias": 0.0,
                "mean": [0.0],
                "scale": [1.0],
                "threshold": 0.3,
            }
        )
    )
    assert load_salience(other) is None
