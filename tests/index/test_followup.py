"""Reading a follow-up with the previous turn (index/followup.py): follow-up, stands alone, or another subject."""

from __future__ import annotations

import pytest

from index import Previous, build_corpus, read_in_context
from index.corpus import Corpus
from index.loader import article_from_text
from index.tokenize import default_tokenizer

TROOPS = "how many troops were sent to Russia?"


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    troops = article_from_text(
        "troops",
        "Troops sent to Russia",
        [
            "North Korea sent 3,000 troops to Russia in January. Kim Jong Un displayed new drones.",
            "Many soldiers died in the Kursk region, officials said on Monday.",
        ],
    )
    lighthouse = article_from_text(
        "lighthouse",
        "Harbor lighthouse reopens",
        ["The lighthouse restoration cost 4.2 million dollars. Mayor Helen Ortiz opened it."],
    )
    return build_corpus([troops, lighthouse]).corpus


def read(corpus: Corpus, text: str, previous: Previous | None):  # type: ignore[no-untyped-def]
    return read_in_context(corpus, default_tokenizer(), text, previous)


def test_a_follow_up_stays_with_the_article_and_carries_the_subject(corpus: Corpus) -> None:
    reading = read(corpus, "and how many died?", Previous(TROOPS, "troops"))
    assert reading.article_id == "troops"
    assert reading.read_as == reading.text == "how many died (troops were sent to Russia)?"


def test_a_bare_question_word_asks_the_previous_question_again(corpus: Corpus) -> None:
    previous = Previous("how did the soldiers die?", "troops")
    assert read(corpus, "when?", previous).text == "when did the soldiers die?"


def test_a_pronoun_after_who_stands_for_the_person_answered(corpus: Corpus) -> None:
    previous = Previous("who displayed new drones?", "troops", "Kim Jong Un")
    assert read(corpus, "what did he say?", previous).text == "what did Kim Jong Un say?"


def test_a_question_with_its_own_subject_stands_alone(corpus: Corpus) -> None:
    reading = read(
        corpus, "which region did North Korean soldiers die in?", Previous(TROOPS, "troops")
    )
    assert (reading.text, reading.article_id, reading.read_as) == (
        "which region did North Korean soldiers die in?",
        None,
        None,
    )


def test_another_articles_subject_starts_afresh_even_after_and(corpus: Corpus) -> None:
    reading = read(corpus, "and what did the lighthouse cost?", Previous(TROOPS, "troops"))
    assert reading.article_id is None and reading.read_as is None


def test_without_a_previous_turn_the_question_is_read_as_asked(corpus: Corpus) -> None:
    reading = read(corpus, "when?", None)
    assert (reading.text, reading.article_id, reading.read_as) == ("when?", None, None)


def test_an_article_no_longer_indexed_is_not_searched(corpus: Corpus) -> None:
    reading = read(corpus, "and how many died?", Previous(TROOPS, "removed-article"))
    assert reading.article_id is None and reading.read_as is not None
