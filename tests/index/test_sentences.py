from __future__ import annotations

import pytest

from index.sentences import split_sentences


def _split(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. President met Mr. Smith at 9 a.m. on Monday.",
        "He cited “other weapons…as well as in terms of soldiers.”",
        "Dr. Jones earned $3.5 million in the U.K. last year.",
    ],
)
def test_abbreviations_ellipses_and_quotes_do_not_split(text: str) -> None:
    assert _split(text + " Then he left.") == [text, "Then he left."]


def test_spans_index_the_original_text() -> None:
    text = "First one.  Second “quoted” one!  Third?"
    assert _split(text) == ["First one.", "Second “quoted” one!", "Third?"]


def test_citation_marks_stay_with_their_sentence() -> None:
    assert _split("It was filmed in Galilee.[citation needed] Then it ended.") == [
        "It was filmed in Galilee.[citation needed]",
        "Then it ended.",
    ]


def test_empty_text_has_no_sentences() -> None:
    assert split_sentences("   \n ") == []
