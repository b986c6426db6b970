"""Topic summaries (index/summary_topics.py): sentences about the topic by meaning, words and its kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.cohesion import leans_on
from index.evaluation import summaries as ev
from index.loader import article_from_text, load_file
from index.records import Article
from index.summarize import summarize
from index.summary_sentences import glued_caption
from index.summary_topics import headline_names
from tests.conftest import DATA, SEED_FILE

STORM = [
    "A storm crossed northern Portugal on Sunday night, the weather service said.",
    "The storm tore the roofs off 200 houses in the town of Braga. "
    "Falling trees and winds of 140 km/h damaged power lines across the Braga district. "
    "Some 30,000 homes in Braga were still without electricity on Monday morning.",
    "Braga's football club postponed its league match against Porto until April.",
    "The club's new stadium, opened in 2003, holds 30,000 spectators.",
]


PINK = [
    "Lake Hillier, on an island off Western Australia, is known for its bright pink water.",
    "Visitors have photographed the lake from the air for more than a century. "
    "Researchers have only recently begun to understand why the water turns pink. "
    "A salt-loving alga, Dunaliella salina, makes a red pigment when the water is very salty.",
    "The island can only be reached by boat or on a scenic flight from Esperance.",
]


CHAIN = [
    "Dobrosz, Poland's third-largest grocery chain, filed for protection from its creditors.",
    "The family firm opened its first shop in Zgierz and now runs 400 stores.",
    "Executives blamed competition from German-owned discount chains for the losses.",
    "Shoppers in Zgierz said they would miss the friendly staff at their local branch.",
]


GADGETS = [
    "Samsung showed its new phones and televisions at the trade fair in Las Vegas on Tuesday.",
    "Its Galaxy Fold, which opens into a small tablet, will cost about $799 when it ships.",
    "SD cards have come down in price over the past year, the company said.",
    "Sony's new television is the thinnest yet and goes on sale in March for $1,999.",
    "Visitors queued for hours to see the robots on the show floor.",
    "LG's rollable screen, on sale in the autumn, is priced at $2,499.",
    "Analysts said the fair was the busiest in a decade.",
    "Thousands of exhibitors filled the halls of the convention centre.",
]


def test_a_topic_summary_holds_only_what_is_about_the_topic() -> None:
    paragraphs = [
        "Voltcykel's battery recycling plant near Malmo caught fire early on Tuesday.",
        "About 7,500 residents were told to stay indoors with their windows closed.",
        "Twelve residents went to hospital with breathing problems and sore eyes, the "
        "regional health service said.",
        "The plant opened in 2022 and employs 140 people.",
        "The company's chief executive said the site would be closed for four months.",
    ]
    article = article_from_text("fire", "Battery fire", paragraphs)
    summary = summarize(article, topic="health effects on residents")
    positions = [s.position for s in summary.sentences]
    assert 2 in positions and not {3, 4} & set(positions)


def test_why_finds_the_sentence_giving_the_cause() -> None:
    paragraphs = [
        "A fire destroyed a storage hall at a battery recycling plant on Tuesday.",
        "Crews from four towns fought the fire for more than 14 hours.",
        "The company said a damaged battery pack delivered on Monday had started the fire.",
        "Residents were told to stay indoors until midnight.",
    ]
    article = article_from_text("fire", "Battery fire", paragraphs)
    summary = summarize(article, topic="the cause of the fire")
    assert 2 in [s.position for s in summary.sentences]


def test_a_topic_pick_does_not_bring_a_chain_of_sentences_it_leans_on() -> None:
    paragraphs = [
        "Martin Bellander, a psychology student in Stockholm, collected 94,526 paintings.",
        "He wrote software to download their images from museum websites.",
        "Then he measured the share of each colour in every painting.",
        "He found that paintings grew bluer after 1900.",
        "Critics said paintings look bluer because old oil paint fades, not because "
        "painters changed.",
    ]
    article = article_from_text("art", "Colours of art", paragraphs)
    summary = summarize(article, topic="why the colours changed")
    positions = [s.position for s in summary.sentences]
    assert 4 in positions and len(positions) <= 2


def test_an_opening_the_x_needs_no_antecedent_under_a_topic_naming_it() -> None:
    previous = "Freund took many photographs in Mexico."
    text = "The photographs were taken in Mexico City in 1951."
    assert leans_on(text, previous)  # which photographs?
    assert not leans_on(text, previous, named={"freund", "photograph"})
    assert leans_on(text, previous, named={"mexico"})


def test_a_topic_summary_holds_each_fact_the_article_gives_on_it() -> None:
    article = article_from_text("storm", "Storm in Portugal", STORM)
    summary = summarize(article, topic="the storm damage in Braga")
    positions = {s.position for s in summary.sentences}
    assert len(positions & {1, 2, 3}) >= 2  # the roofs, the power lines, the homes cut off
    assert not positions & {4, 5}  # the football is about Braga, not about the damage


def test_a_sentence_announcing_the_cause_brings_the_one_giving_it() -> None:
    article = article_from_text("pink", "The pink lake", PINK)
    summary = summarize(article, topic="why the lake is pink")
    texts = [s.text for s in summary.sentences]
    assert any(t.startswith("A salt-loving alga") for t in texts)


def test_a_why_topic_finds_the_cause_worded_apart_from_it() -> None:
    article = article_from_text("chain", "Grocery chain in trouble", CHAIN)
    summary = summarize(article, topic="why the chain got into trouble")
    assert summary.found
    assert any(s.text.startswith("Executives blamed") for s in summary.sentences)


CHESS = [
    "Hans Niemann denied cheating in his win over Magnus Carlsen at the Sinquefield Cup.",
    "Carlsen withdrew from the tournament in St Louis after the defeat.",
    "Niemann admitted he had cheated in online games when he was 12 and again at 16.",
    "The American said he had never cheated in a game over the board.",
    "The two players are due to meet again at an event in Paris next month.",
]


def test_the_prices_finds_the_amounts_however_they_are_worded() -> None:
    article = article_from_text("ces", "Gadgets at the fair", GADGETS)
    texts = " ".join(s.text for s in summarize(article, topic="the prices").sentences)
    assert sum(amount in texts for amount in ("$799", "$1,999", "$2,499")) >= 2


def test_a_money_topic_is_absent_from_an_article_without_amounts() -> None:
    article = article_from_text("fair", "Fair", [GADGETS[0], GADGETS[4], GADGETS[6]])
    assert not summarize(article, topic="ticket prices").found


def test_previous_cases_finds_the_earlier_cases() -> None:
    article = article_from_text("chess", "Chess row", CHESS)
    summary = summarize(article, topic="previous cheating cases")
    assert summary.found
    assert any("when he was 12" in s.text for s in summary.sentences)


def test_a_topic_is_found_by_meaning() -> None:
    paragraphs = [
        "The city council approved a new budget for the harbour on Monday.",
        "A tremor struck the coast at dawn on Tuesday, toppling two apartment blocks.",
        "The local football club signed a striker from Lisbon.",
    ]
    article = article_from_text("news", "Local news", paragraphs)
    summary = summarize(article, sentences=1, topic="the earthquake")  # no word in common
    assert [s.position for s in summary.sentences] == [1]


def test_topic_in_the_users_words_finds_the_paragraph_about_it() -> None:
    summary = summarize(load_file(SEED_FILE), topic="Kim's trips to Moscow")
    assert summary.found
    texts = [s.text for s in summary.sentences if s.paragraph == 3]
    assert any("traveled to Moscow" in t for t in texts) and any("visit Moscow" in t for t in texts)


@pytest.mark.parametrize("topic", ["Kim's trips to Paris", "drones in Iran"])
def test_a_topic_with_one_known_word_is_not_found(topic: str) -> None:
    assert not summarize(load_file(SEED_FILE), topic=topic).found


def test_a_name_the_headline_uses_counts_as_the_articles_own() -> None:
    body = [
        "Hackers shut down the computer systems of a ferry port in Denmark on Monday.",
        "Lorries queued for 20 kilometres as staff checked tickets by hand.",
        "The port said no ransom would be paid.",
    ]
    topic = "the ransomware attack on the Danish port"

    without = summarize(article_from_text("port", "Port hit", body), topic=topic)
    headline = "Ransomware attack halts lorries at Danish ferry port"
    summary = summarize(article_from_text("port", headline, body), topic=topic)

    assert without.unsure or not without.found  # meaning not counted: "Danish" is in no word
    assert summary.found and not summary.unsure


def _dev(prefix: str) -> Article:
    """A CNN/DailyMail development article of tests/data, by the start of its id."""
    pairs = ev.dataset_pairs(ev.read_examples(DATA / "cnndm-dev.jsonl"))
    return next(a for a, _ in pairs if a.id.startswith(prefix))


def test_a_topic_is_found_where_its_sentences_stand_out_from_the_article() -> None:
    # Short topics score low cosines everywhere (0.33 at best here); the colleagues' sentence
    # stands out from the article's mean, so the topic is found rather than "says nothing".
    summary = summarize(_dev("dm-test-b955f7a918fe"), topic="the colleagues who were blamed")
    assert summary.found
    assert any("Julie Jeffrey, 50, and James Cato" in s.text for s in summary.sentences)


def test_a_caption_run_into_a_sentence_is_left_out_of_a_topic_summary() -> None:
    summary = summarize(_dev("dm-test-5db0808085f7"), topic="the superintendent's response")
    texts = [s.text for s in summary.sentences]
    assert any("principals are now required" in t for t in texts)
    assert not any("propaganda City schools" in t for t in texts)  # two captions glued


def test_a_quotation_that_never_names_its_speaker_does_not_open_a_topic_summary() -> None:
    summary = summarize(_dev("dm-test-b955f7a918fe"), topic="his sentence")
    assert summary.sentences
    assert not summary.sentences[0].text.startswith(("‘", "'", "“", '"'))


def test_a_sentence_ending_on_a_colon_brings_what_it_introduces() -> None:
    paragraphs = [
        "The mayor of Leeds opened the city's new central library on Saturday morning.",
        "Hundreds of readers queued in the rain before the doors opened at nine.",
        "The building cost 12 million pounds and holds 200,000 books.",
        "Prime Minister Keir Starmer praised the library in a post on social media:",
        '"A library is a promise to every child. Leeds has kept it."',
        "The old library on Albion Street will become a museum of the city's history.",
    ]
    article = article_from_text("library", "Library opens", paragraphs)
    texts = [s.text for s in summarize(article, topic="Starmer's post").sentences]
    assert any(t.endswith("on social media:") for t in texts)  # no caption: it introduces
    assert any("A library is a promise" in t for t in texts)


def test_a_topic_told_in_several_sentences_gets_them_not_one() -> None:
    # Judged blind, topic summaries were one vague sentence where the article gave more.
    summary = summarize(_dev("dm-test-c2743d6a"), topic="her tram accident")
    texts = " ".join(s.text for s in summary.sentences)
    assert len(summary.sentences) >= 3
    assert "tram accident in 1925" in texts and "broken pelvis" in texts  # what, and the injuries


def test_caption_text_glued_to_a_quote_or_label_is_a_caption_under_a_topic() -> None:
    # Judged blind, a caption run into a quotation read as if the caption said it.
    assert glued_caption("Glenn Mason, pictured outside court in 2012 'I never meant it,' he said.")
    assert glued_caption("… research Prudential pensions specialist Clare Moffat said: ‘Although …")
    assert not glued_caption("A spokesman told The Times: 'The male was advised to leave.'")
    summary = summarize(_dev("dm-test-95c8ae4fb51c"), topic="her game show appearance")
    texts = " ".join(s.text for s in summary.sentences)
    assert "Lisa McElroy, a 50-year-old Drexel professor" in texts
    assert "Mother of two:" not in texts and "Wishes she was a millionaire:" not in texts


def test_a_later_topic_pick_must_stand_out_nearly_as_far_as_the_best() -> None:
    # Judged blind, picks past the first few were more often peripheral than on the topic.
    article = load_file(Path(__file__).parents[2] / "training/data/articles/am2-08.txt")
    positions = [s.position for s in summarize(article, topic="previous acquittals").sentences]
    assert 12 in positions and 13 in positions  # the earlier acquittal and what followed
    assert 0 not in positions  # today's acquittal, standing out far less than the best


def test_the_run_of_neighbours_goes_on_from_a_pick_not_from_its_context() -> None:
    # "His attempts … his colleagues" brings the sentence naming Mason; the sentence before
    # that one (his thefts, not the colleagues) is no neighbour of a pick.
    summary = summarize(_dev("dm-test-b955f7a918fe"), topic="the colleagues who were blamed")
    texts = " ".join(s.text for s in summary.sentences)
    assert "Julie Jeffrey, 50, and James Cato" in texts
    assert "plundered the accounts of nine pensioners" not in texts


def test_a_pick_that_only_states_the_topic_brings_the_specifics_after_it() -> None:
    # Judged blind, topic summaries were partial: the sentence stating the topic without the
    # one after it that says what was said. "Residents were divided" brings the quote.
    article = load_file(Path(__file__).parents[2] / "training/data/articles/inv4-17.txt")
    texts = " ".join(s.text for s in summarize(article, topic="residents' reaction").sentences)
    assert "residents were divided" in texts
    assert "He did a lot for the town" in texts  # what one of them said


def test_among_sentences_about_the_topic_the_one_holding_a_specific_comes_first() -> None:
    # Judged blind, "good" needs the article's specifics: what the superintendent said to the
    # family, not only that he said something.
    summary = summarize(_dev("dm-test-5db0808085f7"), topic="the superintendent's response")
    texts = " ".join(s.text for s in summary.sentences)
    assert "we want to apologize to the student" in texts


LOTTERY = [
    "Shooter: Terry Martin, 48, pictured in this 2012 mugshot, shot his girlfriend Laurice "
    "Hampton, 48, after she asked for half of his winnings",
    "A man who won $500 on a scratch-off lottery ticket fatally shot his girlfriend after a row "
    "about sharing the winnings.",
    "Terry Martin, 48, shot his girlfriend Laurice Hampton, 48, after she asked for half of "
    "the proceeds.",
    "Police officers found the couple inside their home on Beaty Street in Fort Worth, Texas.",
]


def test_a_topic_found_only_under_a_captions_label_gets_the_closest_text() -> None:
    article = article_from_text("lottery", "Man shoots girlfriend over lottery win", LOTTERY)

    summary = summarize(article, topic="the name of the shooter's girlfriend")

    assert summary.found
    assert any("Laurice Hampton" in s.text for s in summary.sentences)
    assert not any(s.text.startswith("Shooter:") for s in summary.sentences)


FLOODS = Path(__file__).resolve().parents[2] / "training" / "data" / "articles" / "inv5-05.txt"


def test_a_name_the_headline_gives_is_not_doubted() -> None:
    article = load_file(FLOODS)  # "… as Zambezia floods recede"
    summary = summarize(article, topic="zambezia")
    assert summary.found and not summary.unsure and summary.sentences


@pytest.mark.parametrize(
    ("topic", "named"),
    [("zambezia", True), ("Zambezia", True), ("the floods", False), ("cholera", False)],
)
def test_only_names_in_the_headline_count(topic: str, named: bool) -> None:
    assert headline_names(topic, load_file(FLOODS)) is named
