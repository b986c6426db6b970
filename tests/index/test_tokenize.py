"""Retrieval tokens: what the tokenizer folds together and what it drops."""

from __future__ import annotations

from index.tokenize import Tokenizer


def tokens(text: str) -> list[str]:
    return Tokenizer().tokens(text)


def test_case_is_ignored() -> None:
    assert tokens("North KOREA") == tokens("north korea")


def test_curly_and_straight_apostrophes_give_the_same_token() -> None:
    assert tokens("Korea’s drones") == tokens("Korea's drones")


def test_thousands_separator_is_ignored() -> None:
    assert tokens("3,000 troops") == tokens("3000 troops")


def test_word_forms_share_a_stem() -> None:
    assert tokens("deployed")[0] == tokens("deploying")[0] == tokens("deploys")[0]


def test_stop_words_are_dropped() -> None:
    assert tokens("the troops of the army") == tokens("troops army")


def test_abbreviation_with_dots_is_not_the_stop_word_us() -> None:
    assert tokens("U.S. President") == ["u.s", "presid"]
