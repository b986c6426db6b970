from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.sentences import split_sentences


def _split(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. President met Mr. Smith at 9 a.m. on Monday.",
        "He cited “other weapons…as well as in terms of soldiers.”",
        "Dr. Jones earned $3.5 million in the U.K. last year.",
        "The Broncos' pass was intercepted by T. J. Ward near midfield.",
    ],
)
def test_abbreviations_initials_ellipses_and_quotes_do_not_split(text: str) -> None:
    assert _split(text + " Then he left.") == [text, "Then he left."]


def test_spans_index_the_original_text() -> None:
    text = "First one.  Second “quoted” one!  Third?"
    assert _split(text) == ["First one.", "Second “quoted” one!", "Third?"]


def test_citation_marks_stay_with_their_sentence() -> None:
    assert _split("It was filmed in Galilee.[citation needed] Then it ended.") == [
        "It was filmed in Galilee.[citation needed]",
        "Then it ended.",
    ]


def test_a_citation_mark_after_a_closing_quote_ends_the_sentence() -> None:
    assert _split('He called it a "renewal".[note 1] The device stayed.') == [
        'He called it a "renewal".[note 1]',
        "The device stayed.",
    ]


def test_empty_text_has_no_sentences() -> None:
    assert split_sentences("   \n ") == []


def test_any_run_of_white_space_between_sentences_separates_them() -> None:
    assert _split("First one." + " " * 20 + "\n" * 15 + "Second one.") == [
        "First one.",
        "Second one.",
    ]


def test_a_blank_line_ends_a_sentence_even_without_a_full_stop() -> None:
    assert _split("A heading\n\nThe body starts here.") == ["A heading", "The body starts here."]


def test_a_semicolon_does_not_end_a_sentence() -> None:
    text = "Gordon led with 717 points; Keselowski had 666; Kenseth, 661."
    assert _split(text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "Gov. Andrew Cuomo met Rep. John Lewis.",
        "Master Sgt. Corine Lombardo met Lt. Gregg Murphy.",
        "Supporters including Sh. P. Rajeev joined the fast.",  # a tester's "Sh." alone
    ],
)
def test_a_title_before_a_name_does_not_end_a_sentence(text: str) -> None:
    assert _split(text) == [text]


def test_a_sentence_closed_inside_brackets_ends_at_the_bracket() -> None:
    assert _split("(The rest came later.) Other plans followed.") == [
        "(The rest came later.)",
        "Other plans followed.",
    ]


def test_a_full_stop_after_two_brackets_in_a_row_ends_the_sentence() -> None:
    assert _split("It rises to 115 m (377 ft) (by the eastern border). There are hills.") == [
        "It rises to 115 m (377 ft) (by the eastern border).",
        "There are hills.",
    ]


def test_a_long_bracket_without_a_full_stop_before_it_stays_in_the_sentence() -> None:
    text = (
        "Their collaboration ended in 1961 (the network would resume it in 1985, when the series "
        "returned for a three-season run; it came back again in 1996 as The Wonderful World)."
    )
    assert _split(text) == [text]


def test_a_bracketed_omission_mark_ends_a_sentence_before_a_capital() -> None:
    assert _split("It will be insufficient (...) The proposal of a public bank follows.") == [
        "It will be insufficient (...)",
        "The proposal of a public bank follows.",
    ]


def test_the_one_character_ellipsis_ends_a_sentence_as_three_dots_do() -> None:
    assert _split("Nobody answered… The committee met again.") == [
        "Nobody answered…",
        "The committee met again.",
    ]


def test_a_decimal_number_can_end_a_sentence() -> None:
    assert _split("He finished with a rating of 99.4. Newton caught six passes.") == [
        "He finished with a rating of 99.4.",
        "Newton caught six passes.",
    ]


def test_a_quotation_closing_inside_a_quotation_ends_the_sentence() -> None:
    assert _split("She said: 'A kid asked: \"Is she expecting?\"' Lizzi admits it now.") == [
        "She said: 'A kid asked: \"Is she expecting?\"'",
        "Lizzi admits it now.",
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("He fought in World War II.", "Then he came home."),
        ("He flew to Washington, D.C.", "He met the president."),
        ("It sold apples, pears, etc.", "While prices rose, sales fell."),
    ],
)
def test_a_full_stop_before_a_pronoun_or_opener_ends_the_sentence(first: str, second: str) -> None:
    assert _split(f"{first} {second}") == [first, second]


def test_a_sentence_may_start_with_a_number() -> None:
    assert _split("The elections are next week. 38 observers have arrived.") == [
        "The elections are next week.",
        "38 observers have arrived.",
    ]


def test_a_missing_space_after_a_full_stop_still_ends_the_sentence() -> None:
    assert _split("It was all about the truth.Dictatorships start this way.") == [
        "It was all about the truth.",
        "Dictatorships start this way.",
    ]


_PIECES = st.sampled_from(
    [*"The U.S. Mr. rate 99.4 ; , . ! ? … ( ) [1] [...] \" ' He Gov. é 3".split(), "\n", "  "]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=30).map(" ".join))
def test_spans_are_ordered_trimmed_and_lose_no_text(text: str) -> None:
    spans = split_sentences(text)
    assert all(a < b for a, b in spans)
    assert all(b <= c for (_, b), (c, _) in itertools.pairwise(spans))
    assert all(text[a:b] == text[a:b].strip() for a, b in spans)
    covered = "".join(text[a:b] for a, b in spans)
    assert "".join(covered.split()) == "".join(text.split())
