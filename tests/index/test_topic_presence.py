"""Whether an article covers a topic (index/topic_presence.py): the reader asked, and the summary said so."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from index.attribution import asked_speaker
from index.embedding import shared_embedder
from index.evaluation import summaries as ev
from index.loader import article_from_text, load_file
from index.reader import MODEL_DIR
from index.records import Article
from index.summarize import DEFAULT_SETTINGS, summarize
from index.topic_presence import PRESENCE_FILE, Presence, check_topic, closest_passages
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[2]
RULES_ALONE = replace(DEFAULT_SETTINGS, topic_presence=False)
STORM = [
    "A storm crossed northern Portugal on Sunday night, the weather service said.",
    "The storm tore the roofs off 200 houses in the town of Braga. "
    "Falling trees and winds of 140 km/h damaged power lines across the Braga district.",
    "Braga's football club postponed its league match against Porto until April.",
    "The club's new stadium, opened in 2003, holds 30,000 spectators.",
]


GAME = [
    "The Denver Broncos beat the Carolina Panthers 24-10 to win Super Bowl 50 on Sunday.",
    "Denver's defence sacked Panthers quarterback Cam Newton six times and forced two fumbles. "
    "Newton was the league's most valuable player this season.",
    "Broncos coach Gary Kubiak said the defence had won the game. "
    "'They were relentless from the first snap,' Kubiak told reporters after the game.",
    "Von Miller, who had two and a half sacks, was named the game's most valuable player.",
]


def storm() -> Article:
    return article_from_text("storm", "Storm hits Braga", STORM)


def game() -> Article:
    return article_from_text("game", "Broncos win Super Bowl 50", GAME)


def test_a_topic_near_the_article_but_not_in_it_comes_as_the_closest_it_comes() -> None:
    summary = summarize(storm(), topic="what Porto's coach said")

    assert summary.found and summary.unsure
    assert "may not quote Porto's coach; the closest it comes:" in summary.message
    assert 1 <= len(summary.sentences) <= 2
    assert summary.to_json()["unsure"] is True


def test_the_words_of_someone_the_article_never_quotes_come_in_doubt() -> None:
    summary = summarize(game(), topic="what cam newton said after the game")

    assert summary.found and summary.unsure
    assert (
        summary.message
        == "“Broncos win Super Bowl 50” may not quote cam newton; the closest it comes:"
    )


def test_a_headline_naming_the_speaker_does_not_give_their_words() -> None:
    union = article_from_text(
        "union",
        "Union talks",
        [
            "The union met the company on Monday to discuss pay and the winter shift rota.",
            "Managers offered a two percent rise, the company said in a statement.",
        ],
    )

    summary = summarize(union, topic="what the union said")

    assert summary.unsure and "may not quote the union" in summary.message


def test_the_words_of_someone_the_article_quotes_come_without_doubt() -> None:
    summary = summarize(game(), topic="what kubiak said after the game")

    assert summary.found and not summary.unsure
    assert any("Kubiak told reporters" in s.text for s in summary.sentences)


def test_a_covered_topic_is_summarised_without_doubt() -> None:
    summary = summarize(storm(), topic="the damage to houses")

    assert summary.found and not summary.unsure and summary.message == ""
    assert any("roofs" in s.text for s in summary.sentences)


def test_a_topic_worded_apart_from_the_article_comes_in_doubt_rather_than_said_absent() -> None:
    without = summarize(storm(), topic="the power cuts", settings=RULES_ALONE)
    summary = summarize(storm(), topic="the power cuts")

    assert not without.found  # no sentence shares its words or comes close enough in meaning
    assert summary.found and summary.unsure
    assert any("power lines" in s.text for s in summary.sentences)


def test_without_the_reader_the_summariser_rules_alone_decide(tmp_path: Path) -> None:
    summary = summarize(storm(), topic="what Porto's coach said", reader_dir=tmp_path)

    assert summary.found and not summary.unsure


def test_without_the_fitted_model_there_is_no_check(tmp_path: Path) -> None:
    for name in ("reader.onnx", "tokenizer.json", "MODEL.md"):
        (tmp_path / name).symlink_to(MODEL_DIR / name)  # the reader loads; no topic_presence.json

    assert check_topic(storm(), "what Porto's coach said", shared_embedder(), tmp_path) is None


@pytest.mark.parametrize("text", [None, "{not json", '{"weights": {"margin": 1}}'])
def test_a_missing_or_unreadable_model_file_loads_as_none(tmp_path: Path, text: str | None) -> None:
    path = tmp_path / PRESENCE_FILE
    if text is not None:
        path.write_text(text, encoding="utf-8")

    assert Presence.load(path) is None


def test_the_shipped_model_weighs_the_margin_and_the_closeness() -> None:
    presence = Presence.load(MODEL_DIR / PRESENCE_FILE)

    assert presence is not None and 0 < presence.threshold < 1
    assert set(presence.model.weights) == {"margin", "closeness"}
    assert all(w > 0 for w in presence.model.weights.values())  # more of either: more covered


def test_the_reader_reads_the_closest_sentences_with_their_neighbours_in_the_paragraph() -> None:
    article = storm()  # paragraphs: 1 (sentence 0), 2 (sentences 1-2), 3 (3), 4 (4)
    cosines = np.array([0.1, 0.2, 0.9, 0.8, 0.3])

    passages = closest_passages(article, cosines, count=2)

    assert passages == [STORM[1], STORM[2]]  # sentence 2 with sentence 1, not with sentence 3


def test_a_closest_sentence_already_read_with_a_neighbour_is_not_read_again() -> None:
    article = storm()
    cosines = np.array([0.1, 0.9, 0.8, 0.2, 0.3])  # sentences 1 and 2 share a paragraph

    assert closest_passages(article, cosines, count=2) == [STORM[1]]


def heldout_articles(ids: set[str]) -> dict[str, Article]:
    cnndm = ev.dataset_pairs(ev.read_examples(DATA / "cnndm-dev.jsonl"))
    articles = {a.id: a for a, _ in cnndm if a.id in ids}
    folder = ROOT / "training" / "data" / "articles"
    return articles | {i: load_file(folder / f"{i}.txt") for i in ids - articles.keys()}


def test_on_held_out_topics_fewer_absent_topics_are_given_as_covered() -> None:
    """benchmarks/topic_presence_heldout.json, never fitted on: 32 covered topics, 31 absent.

    Measured: the rules alone gave 24 absent topics as covered and said 4 covered ones absent;
    with the model, 14 absent topics given as covered (10 more in doubt), and of the covered
    ones 1 said absent and 4 in doubt (3 of them said absent by the rules alone). Since a
    topic the headline states is not doubted, 15 and 9: "where Wikimania 2009 will be held",
    on "Wikimania 2008 opens …", is as close to the headline as a story asked for. With the
    speaker check (a topic asking for words the article never reports is in doubt), 11 and
    1 / 5: "what commenters said" (a "commenter" answered) is doubted too.
    """
    topics = json.loads((ROOT / "benchmarks" / "topic_presence_heldout.json").read_text())["topics"]
    articles = heldout_articles({t["article"] for t in topics})
    said = [(t["covered"], summarize(articles[t["article"]], topic=t["topic"])) for t in topics]

    given_as_covered = sum(s.found and not s.unsure for covered, s in said if not covered)
    covered_missed = sum(not s.found or s.unsure for covered, s in said if covered)
    assert given_as_covered <= 11
    assert covered_missed <= 6


def test_a_topic_the_headline_states_is_not_in_doubt() -> None:
    article = heldout_articles({"inv5-24"})["inv5-24"]  # "Ransomware attack halts lorries at …"
    topic = "the ransomware hit on that danish ferry port"
    headless = replace(article, title=article.id)

    assert summarize(headless, topic=topic).unsure  # no one span says what it says about it
    summary = summarize(article, topic=topic)
    assert summary.found and not summary.unsure


@pytest.mark.parametrize(
    ("folder", "given_at_most", "missed_at_most"),
    [("second", 7, 12), ("third", 5, 16), ("reactions", 4, 17)],
)
def test_on_held_out_speaker_topics_few_absent_ones_are_given_as_covered(
    folder: str, given_at_most: int, missed_at_most: int
) -> None:
    """benchmarks/topic_speakers/{second,third,reactions}/topics.json, each written after the
    check it measured was fixed (the second set then shaped a revision, which the third
    measured; the reaction topics, how someone reacted, measured the check extended to them).
    Measured, absent topics given as covered: 46 of 50, 44 of 52 and 42 of 50 without the
    check, 7, 5 and 4 with it; covered topics in doubt: 6 of 58, 3 of 53 and 2 of 53 without,
    12, 16 and 17 with it.
    """
    path = ROOT / "benchmarks" / "topic_speakers" / folder / "topics.json"
    topics = [t for t in json.loads(path.read_text())["topics"] if asked_speaker(t["topic"])]
    articles = heldout_articles({t["article"] for t in topics})
    said = [(t["covered"], summarize(articles[t["article"]], topic=t["topic"])) for t in topics]

    given_as_covered = sum(s.found and not s.unsure for covered, s in said if not covered)
    covered_missed = sum(not s.found or s.unsure for covered, s in said if covered)
    assert given_as_covered <= given_at_most
    assert covered_missed <= missed_at_most
