"""The publisher's summary paragraph (the standfirst): read beside the body, never summarised."""

from __future__ import annotations

import pytest

from index.engine import Engine
from index.loader import load_file, parse_article
from index.records import STANDFIRST
from index.saved.building import build_corpus
from index.summarize import summarize
from tests.conftest import SEED_FILE

WATER = """Residents block highway after weeks without tap water

0
inv-water

Hundreds of residents of KwaNtaba township blocked a national highway for six hours on Monday after going 19 days without running water. Police arrested 31 people.

By the time police reopened the N2 highway outside KwaNtaba shortly after noon on Monday, the tar was scorched black in a dozen places.

Residents had begun gathering before dawn to protest against a water outage that had lasted since October 3. The Lindela Local Municipality says two of the three pumps at the Ntaba River pump station failed.

Police spokesperson Captain Sipho Ndlela said officers used rubber bullets after protesters threw stones at a police vehicle. He said 31 people had been arrested for public violence.

Original Source: invented for articlebot tests
"""

REPEATED = WATER.replace(
    "Hundreds of residents of KwaNtaba township blocked a national highway for six hours on "
    "Monday after going 19 days without running water. Police arrested 31 people.",
    "By the time police reopened the N2 highway outside KwaNtaba shortly after noon on Monday, "
    "the tar was scorched black in a dozen places.",
)


def _article(text: str = WATER):
    return parse_article(text.encode("utf-8"), "water.txt")


def test_a_summary_telling_what_the_body_does_not_is_the_standfirst() -> None:
    standfirst = _article().standfirst
    assert standfirst is not None and standfirst.number == STANDFIRST
    assert [s.paragraph for s in standfirst.sentences] == [STANDFIRST, STANDFIRST]
    assert "19 days" in standfirst.sentences[0].text


def test_a_summary_the_body_repeats_is_no_standfirst() -> None:
    assert _article(REPEATED).standfirst is None


def test_standfirst_sentences_have_ids_of_their_own() -> None:
    article = _article()
    assert article.standfirst is not None
    body_ids = {s.id for s in article.sentences}
    assert all("#f" in s.id and s.id not in body_ids for s in article.standfirst.sentences)


def test_paragraph_zero_is_the_standfirst_and_the_body_keeps_its_numbers() -> None:
    article = _article()
    assert article.paragraph(STANDFIRST) is article.standfirst
    assert article.paragraph(1) is article.paragraphs[0]
    with pytest.raises(IndexError):
        article.paragraph(len(article.paragraphs) + 1)


def test_a_fact_only_the_standfirst_gives_is_answered_and_cited_there() -> None:
    engine = Engine(build_corpus([_article()]).corpus)
    answer = engine.ask("how many days did kwantaba go without water?")
    assert answer.found and answer.answer is not None and "19 days" in answer.answer
    assert answer.citations[0].paragraph == STANDFIRST
    assert answer.citations[0].place == "the summary paragraph"


def test_a_question_whose_words_only_the_standfirst_holds_is_answered_there() -> None:
    """No body word to rank by ("blocked", "hours"): the standfirst is still read."""
    engine = Engine(build_corpus([_article()]).corpus)
    answer = engine.ask("for how many hours was it blocked?")
    assert answer.found and answer.answer is not None and "six hours" in answer.answer
    assert answer.citations[0].paragraph == STANDFIRST


def test_a_refusal_of_words_only_the_standfirst_holds_quotes_it_not_the_openings() -> None:
    """A tester's "whats the population of kellerbach" was told no word of it is in the
    articles, though the standfirst names the town."""
    engine = Engine(build_corpus([_article()]).corpus)
    answer = engine.ask("what is the township's population?")
    assert not answer.found and answer.hint is None
    assert [c.paragraph for c in answer.citations] == [STANDFIRST, STANDFIRST]


def test_the_corpus_knows_standfirst_sentences_by_id() -> None:
    article = _article()
    assert article.standfirst is not None
    corpus = build_corpus([article]).corpus
    first = article.standfirst.sentences[0]
    assert corpus.sentence(first.id) == first


def test_a_default_summary_opens_with_the_standfirst_then_what_the_body_adds() -> None:
    """Testers' summaries missed the news only the summary paragraph told."""
    article = _article()
    summary = summarize(article)
    assert article.standfirst is not None
    assert summary.sentences[: len(article.standfirst.sentences)] == article.standfirst.sentences
    assert any(s.paragraph >= 1 for s in summary.sentences)


def test_a_summary_of_a_length_asked_for_is_of_the_body_alone() -> None:
    """``eval-summaries`` scores the body's summary against the publisher's."""
    summary = summarize(_article(), sentences=3)
    assert all(s.paragraph >= 1 for s in summary.sentences)


BRIDGE = """Tamar bridge reopens

0
inv-bridge

The Tamar road bridge reopened on Monday after a two-year repair costing 40 million pounds.

The Tamar road bridge reopened to traffic on Monday after two years of repairs.

Engineers replaced all 64 of the suspension cables and resurfaced the deck. The council said tolls would rise by 50 pence in April to pay for the work.

Local businesses in Saltash said trade had fallen by a third during the closure. The Saltash traders' group asked the council for compensation, which it refused.

Original Source: invented for articlebot tests
"""


def test_a_body_sentence_the_standfirst_already_says_is_left_out() -> None:
    article = parse_article(BRIDGE.encode("utf-8"), "bridge.txt")
    summary = summarize(article)
    assert summary.sentences[0].paragraph == STANDFIRST
    assert "two years of repairs" not in summary.text


def test_the_body_answers_before_the_standfirst_that_rounds_it() -> None:
    engine = Engine(build_corpus([load_file(SEED_FILE)]).corpus)
    answer = engine.ask("how many troops were sent to Russia?")
    assert answer.answer == "more than 3,000"  # the standfirst says "3,000 troops"
    assert answer.citations[0].paragraph >= 1


def test_a_byline_closing_the_standfirst_is_left_out_of_the_summary() -> None:
    """A judge found "Aparna Ray reports." meant nothing in a summary."""
    signed = WATER.replace(
        "Police arrested 31 people.", "Police arrested 31 people. Ana Ruiz reports."
    )
    summary = summarize(parse_article(signed.encode("utf-8"), "water.txt"))
    assert summary.sentences[0].paragraph == STANDFIRST
    assert "Ana Ruiz reports." not in summary.text
