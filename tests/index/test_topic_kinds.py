"""A topic's kind (index/topic_kinds.py): generic topics find the sentences of their kind."""

from __future__ import annotations

from index.loader import article_from_text
from index.summarize import summarize
from index.tokenize import default_tokenizer
from index.topic_kinds import generic_kinds

TOKENIZER = default_tokenizer()

FLOODS = article_from_text(
    "floods",
    "Boats reach cut-off villages as floods recede",
    [
        "Floods in Zambezia have forced about 64,000 people from their homes.",
        "Boats and helicopters reached villages cut off for a week on Tuesday.",
        "The province will open three more camps next week, and the government plans to "
        "rebuild the main bridge by June.",
        "Farmers lost most of the maize harvest to the water.",
    ],
)


def test_a_generic_topic_takes_the_sentences_of_its_kind() -> None:
    found = generic_kinds(FLOODS.sentences, TOKENIZER.tokens("what happens next"), TOKENIZER)
    assert found is not None and list(found) == [False, False, True, False]


def test_a_topic_with_words_of_its_own_is_no_generic_topic() -> None:
    found = generic_kinds(FLOODS.sentences, TOKENIZER.tokens("the farmers' reaction"), TOKENIZER)
    assert found is None  # left to its own words


def test_what_happens_next_is_found_though_no_sentence_has_its_words() -> None:
    # Matched by words and meaning alone, it was "says nothing about 'what happens next'".
    summary = summarize(FLOODS, topic="what happens next")
    assert summary.found and not summary.unsure
    assert any("will open three more camps" in s.text for s in summary.sentences)
