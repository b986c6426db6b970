"""Misspelt question words read as the articles' words (index.spelling), and what the answer says."""

from __future__ import annotations

from collections import Counter

import pytest

from index.engine import Engine
from index.loader import article_from_text
from index.reader import MODEL_DIR, TOKENIZER_FILE
from index.spelling import Respelling, Vocabulary, english_words, respell
from index.tokenize import default_tokenizer


@pytest.fixture(scope="module")
def vocabulary(seed_engine: Engine) -> Vocabulary:
    return seed_engine.vocabulary(seed_engine.corpus)


ENGLISH = english_words(MODEL_DIR / TOKENIZER_FILE, default_tokenizer())


def test_a_doubled_letter_is_read_as_the_article_word_and_answered_alike(
    seed_engine: Engine,
) -> None:
    typed = seed_engine.ask("how many troopps were sent to Russia?")
    clean = seed_engine.ask("how many troops were sent to Russia?")
    assert (typed.answer, typed.found) == (clean.answer, clean.found) == ("more than 3,000", True)
    assert typed.respelled == (("troopps", "troops"),)
    assert typed.question == "how many troopps were sent to Russia?"


def test_a_dropped_letter_is_read_as_the_article_word(vocabulary: Vocabulary) -> None:
    assert respell("did rusia ask for troops?", vocabulary, ENGLISH) == (
        "did russia ask for troops?",
        (Respelling("rusia", "russia"),),
    )


def test_a_swapped_pair_of_letters_is_one_edit(vocabulary: Vocabulary) -> None:
    assert respell("when were the imgaes released", vocabulary, ENGLISH)[1] == (
        Respelling("imgaes", "images"),
    )


@pytest.mark.parametrize(
    "question",
    [
        "how many troops did Kimm send?",  # capitalised: may be a name the articles lack
        "were 3001 troops sent?",  # a number is never read as another
        "who won the election?",  # a real English word the articles do not use
        "how many troops were sent to Russia?",  # every word known
    ],
)
def test_names_numbers_real_words_and_known_words_are_left_as_typed(
    question: str, vocabulary: Vocabulary
) -> None:
    assert respell(question, vocabulary, ENGLISH) == (question, ())


def test_among_equally_close_words_the_most_used_wins() -> None:
    vocabulary = Vocabulary(Counter({"troops": 9, "trooms": 1}), default_tokenizer())
    assert vocabulary.closest("troopms") == "troops"


def test_the_vocabulary_is_built_once_per_corpus(seed_engine: Engine) -> None:
    corpus = seed_engine.corpus
    assert seed_engine.vocabulary(corpus) is seed_engine.vocabulary(corpus)


def test_a_question_with_no_word_the_articles_hold_gets_their_openings_and_a_hint(
    seed_engine: Engine,
) -> None:
    answer = seed_engine.ask("what about the xyzzy?")
    assert not answer.found and answer.citations
    assert answer.citations[0].text.startswith("North Korean leader Kim Jong Un")
    assert answer.hint is not None and "“xyzzy”" in answer.hint


def test_a_name_typed_without_its_accents_is_read_as_the_articles_name() -> None:
    vocabulary = Vocabulary(Counter({"matías": 2, "henríquez": 2, "fire": 3}), default_tokenizer())
    assert respell("who is Matias henriquez?", vocabulary, ENGLISH) == (
        "who is Matías henríquez?",
        (Respelling("Matias", "Matías"), Respelling("henriquez", "henríquez")),
    )


def test_chat_shorthand_is_read_written_out(seed_engine: Engine, vocabulary: Vocabulary) -> None:
    assert respell("how many ppl r there", vocabulary, ENGLISH)[0] == "how many people are there"
    typed = seed_engine.ask("how many troops were sent 2 russia b4 that")
    assert ("b4", "before") in typed.respelled


def test_a_question_word_missing_a_letter_is_read_as_that_word(vocabulary: Vocabulary) -> None:
    assert respell("wher did kim inspect drones", vocabulary, ENGLISH)[0].startswith("where ")
    assert respell("whn did troops arrive", vocabulary, ENGLISH)[0].startswith("when ")


def test_an_office_in_capitals_is_read_as_the_article_writes_it() -> None:
    article_words = Vocabulary(Counter({"chief": 3, "operating": 2}), default_tokenizer())
    assert (
        respell("who's the COO", article_words, ENGLISH)[0] == "who's the chief operating officer"
    )


def test_shorthand_an_article_uses_and_whats_are_left_as_typed() -> None:
    article_words = Vocabulary(Counter({"ceo": 3, "board": 2}), default_tokenizer())
    assert respell("whats the ceo paid", article_words, ENGLISH) == ("whats the ceo paid", ())


def test_an_abbreviation_of_a_name_the_articles_write_out_is_read_as_that_name() -> None:
    article = article_from_text(
        "final",
        "Broncos win",
        ["Miller was awarded the Super Bowl Most Valuable Player Award. The FBI did not comment."],
    )
    article_words = Vocabulary.of([article], default_tokenizer())
    assert respell("who was mvp", article_words, ENGLISH)[0] == "who was Most Valuable Player"
    assert respell("who was MVP?", article_words, ENGLISH)[0] == "who was Most Valuable Player?"
    assert respell("what did the fbi say", article_words, ENGLISH)[0] == "what did the fbi say"


def test_an_english_word_is_no_abbreviation() -> None:
    article = article_from_text("a", "A", ["The Royal Air Navy flew over the Blue Arrow Nest."])
    article_words = Vocabulary.of([article], default_tokenizer())
    assert article_words.initials["ran"] == "Royal Air Navy"
    assert respell("how far ran they", article_words, ENGLISH)[0] == "how far ran they"
