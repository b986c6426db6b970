"""How a sentence reads out of its place (index/summary_sentences.py): standing alone, strangers' names."""

from __future__ import annotations

import pytest

from index.loader import article_from_text
from index.summary_sentences import (
    caption_factors,
    caption_tail,
    self_contained,
    unintroduced_names,
)

LEAD = "Fire crews fought a blaze at a battery recycling plant near Malmo for 14 hours."


def test_a_surname_alone_needs_its_introduction_in_the_summary() -> None:
    article = [LEAD, "Plant manager Karin Lundqvist said nobody was hurt."]
    assert unintroduced_names("Lundqvist said repairs would take months.", LEAD, article) == [
        "Lundqvist"
    ]
    said = LEAD + " Plant manager Karin Lundqvist said nobody was hurt."
    assert unintroduced_names("Lundqvist said repairs would take months.", said, article) == []


def test_an_accented_surname_alone_is_a_stranger_too() -> None:
    article = [LEAD, "A student leader, Matías Riquelme, 17, said the march was peaceful."]
    assert unintroduced_names("Riquelme said fees would rise by 9,000 pesos.", LEAD, article) == [
        "Riquelme"
    ]
    article = [LEAD, "The rescued snowboarder, Luca Bärtschi, was 24 at the time."]
    assert unintroduced_names("Bärtschi visited the dog on Sunday.", LEAD, article) == ["Bärtschi"]


def test_a_name_given_in_full_or_a_place_is_not_a_stranger() -> None:
    article = [LEAD, "Plant manager Karin Lundqvist spoke in Malmo."]
    assert unintroduced_names("Karin Lundqvist said repairs would take months.", "", article) == []
    assert unintroduced_names("Residents of Malmo were told to stay indoors.", "", article) == []


def test_a_title_and_surname_is_a_stranger_until_named() -> None:
    assert unintroduced_names("Mr Beavis said he was furious.", LEAD, [LEAD]) == ["Beavis"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Just a few minutes into Thursday's hearing, Stancil snapped back at the judge in Raleigh.",
        "After a week, Ms Jackson asked her neighbour in Leeds to turn the music down a bit.",
        "In the injury time, England captain Harry Kane scored a second goal from a corner.",
        "Rory McIlroy dropped a shot at the 12th after finding the water with his approach.",
        "Moments later Liverpool's Daniel Sturridge hit the post from twelve yards out.",
    ],
)
def test_a_step_of_play_by_play_does_not_stand_alone(sentence: str) -> None:
    assert not self_contained(sentence)


def test_an_election_round_or_a_century_is_no_play_by_play() -> None:
    assert self_contained(
        "In the first round, Reyes Lind led with 34 percent to Barragan's 27 percent of the vote."
    )
    assert self_contained("Builders found Roman coins on the 3rd of May under a 12th century wall.")


@pytest.mark.parametrize(
    "sentence",
    [
        "The finals saw the crowd on its feet as the last match went to overtime in Toronto.",
        "Click here to see the best costumes from the Toronto Fan Expo this weekend.",
        "Organisers of the Fan Expo in Toronto wrote on their official blog on Sunday:",
        "Rescuers carry a survivor from the bakery in Varna (above) on Monday afternoon.",
        "'We will be back next year with more guests,' said organiser Andrew Moyes in Toronto.",
        "Doctors warned she may never walk again, but Charlotte Roach worked at it.",
        "When asked about Iraq's training of security forces in Basra, Master Sgt.",
        "Six minutes later, Lukaku scored a third goal for Belgium from Eden Hazard's pass.",
        "Next, the demonstrators in Madrid spoke directly to the officers with loud cries.",
        "Finally, Atlantis will go on display at the Kennedy Space Center Visitor Complex.",
        "Most recently, novelist Margaret Atwood criticised the plans of the council in Toronto.",
    ],
)
def test_a_coverage_pick_must_read_right_on_its_own(sentence: str) -> None:
    assert not self_contained(sentence, {"expo", "toronto", "visitors"})


def test_a_sentence_naming_what_it_says_stands_alone() -> None:
    assert self_contained(
        "Immortals won the Overwatch championship and a 50,000 dollar prize on Sunday evening."
    )


@pytest.mark.parametrize(
    "text",
    [
        "Nicola Sturgeon was campaigning in Aberdeen today ahead of a TV debate tonight When "
        "questioned on the issue, Ms Sturgeon insisted there would be no referendum.",
        "Giroud selected Coldplay as his track For instance, who would have guessed it?",
    ],
)
def test_a_caption_run_into_a_sentence_by_a_capitalised_opener_is_a_caption(text: str) -> None:
    body = article_from_text("glued", "Glued", [text]).sentences
    assert caption_factors(body)[0] < 1.0


def test_a_name_after_a_lower_case_word_is_no_glue() -> None:
    body = article_from_text(
        "name", "Name", ["A spokesman for Greater Manchester Police told reporters it was fine."]
    ).sentences
    assert caption_factors(body)[0] == 1.0


def test_a_quotation_left_in_another_language_is_never_summarised() -> None:
    """A tester's summary quoted a blog in Spanish, its English translation left out."""
    body = article_from_text(
        "quoted",
        "Quoted",
        [
            "La nueva inyección, que puede alcanzar los 10.000 millones de euros, volverá a ser "
            "insuficiente.",
            "The new cash injection, which can reach 10 billion euros, will again be insufficient.",
        ],
    ).sentences
    assert caption_factors(body).tolist() == [0.0, 1.0]


@pytest.mark.parametrize(
    ("text", "caption"),
    [
        (
            "The Colima volcano is regarded as one of the most dangerous in Mexico due to its "
            "large explosive eruptions Mr Cervantes (shown above) spent eight hours waiting to "
            "capture his stunning images of the Colima volcano Getting close enough to an "
            "erupting volcano is dangerous, so scientists recreated volcanic lightning in a lab.",
            True,
        ),
        ("Mason's actions took place at Natwest in Biggin Hill (pictured).", False),
    ],
)
def test_a_photo_named_in_a_long_run_is_a_caption_run_into_text(text: str, caption: bool) -> None:
    """A judge read the first, in a topic summary, as garbled; the second is a sentence."""
    body = article_from_text("photo", "Photo", [text]).sentences
    assert bool(caption_factors(body)[0] < 1.0) is caption


RUN = (
    "The volcano is one of the most dangerous in Mexico Mr Cervantes (shown above) spent hours"
    " photographing the Colima volcano Getting close enough to an erupting volcano is dangerous,"
    " so scientists in Munich recreated volcanic lightning in a lab."
)


def test_a_caption_run_gives_back_the_sentence_it_ends_on() -> None:
    article = article_from_text("volcano", "Volcano", [RUN, "The Colima volcano erupted again."])

    tail = caption_tail(article.sentences[0], [s.text for s in article.sentences])

    assert tail is not None and tail.text.startswith("Getting close enough")
    assert RUN[tail.start : tail.end] == tail.text  # still cited to its place in the paragraph


def test_a_name_inside_a_caption_run_is_no_lost_full_stop() -> None:
    run = (
        "The volcano is one of the most dangerous in Mexico Mr Cervantes (shown above) spent"
        " hours watching Colima spew ash and rock over the villages below the crater."
    )
    texts = [run, "Officials said Colima erupted again on Monday."]
    article = article_from_text("volcano", "Volcano", texts)

    assert caption_tail(article.sentences[0], texts) is None  # "watching Colima": a name
