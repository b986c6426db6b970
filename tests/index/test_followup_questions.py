"""A follow-up written as a natural question (index/followup_questions.py)."""

from __future__ import annotations

import pytest

from index.followup_questions import (
    asked_again,
    asked_of,
    asks_total,
    in_time,
    name_carried,
    person_answered,
    quote_asked,
    swapped_subject,
    total_answer,
    total_of,
)
from index.records import Answer, Citation


def test_another_subject_takes_the_place_of_the_person_asked_about() -> None:
    asked = "what share of the vote did she get?"
    assert swapped_subject("and her rival?", asked) == "what share of the vote did her rival get?"


def test_a_subject_opening_on_a_preposition_replaces_that_phrase() -> None:
    asked = "how many troops were sent in January?"
    assert swapped_subject("and in March?", asked) == "how many troops were sent in March?"


def test_a_year_alone_takes_the_place_of_the_year_asked_about() -> None:
    asked = "how much would benefits be cut for people retiring in 2042?"
    assert swapped_subject("and 2075?", asked) == (
        "how much would benefits be cut for people retiring in 2075?"
    )
    assert swapped_subject("what about 1,500?", "did 1,200 people march in 2019?") == (
        "did 1,500 people march in 2019?"
    )


def test_a_figure_with_no_one_figure_of_its_kind_to_replace_is_not_swapped() -> None:
    assert swapped_subject("and 2075?", "how many seats did women win?") is None
    assert swapped_subject("and 2075?", "what happened between 2010 and 2012?") is None


def test_a_place_after_a_preposition_is_no_person_to_swap() -> None:
    asked = "how many troops were sent to Russia?"
    assert swapped_subject("what about the drones?", asked) is None


def test_a_question_of_its_own_or_a_moment_is_no_swapped_subject() -> None:
    assert swapped_subject("and how many died?", "how many troops were sent?") is None
    assert swapped_subject("and after that?", "how many troops were sent?") is None


def test_a_bare_question_word_after_which_thing_asks_of_the_thing_answered() -> None:
    """It had read "when was it that reconnaissance and attack drones drones did kim show off?"."""
    answered = "reconnaissance and attack drones"
    assert asked_again("when", "what drones did kim show off?", answered) == (
        "when did kim show off reconnaissance and attack drones?"
    )


def test_a_bare_question_word_asks_the_previous_question_again() -> None:
    assert asked_again("when", "how did the pilot die?", None) == "when did the pilot die?"
    assert asked_again("when", "who called 911?", "the mother") == (
        "when was it that the mother called 911?"
    )


def test_after_that_names_the_moment_just_answered() -> None:
    asked = "which label did she sign with first?"
    assert in_time("and after that?", "after that", asked, "JVB Records") == (
        "which label did she sign with after JVB Records?"
    )
    assert in_time("and after that?", "after that", asked, None) is None


def test_a_pronoun_after_who_is_the_person_answered() -> None:
    question = "who won the final?"
    assert person_answered("where is he from?", question, "Magnus Carlsen") == (
        "where is Magnus Carlsen from?"
    )
    assert person_answered("where is he from?", "who met him?", "Magnus Carlsen") is None


def test_the_first_pronoun_is_the_name_carried_when_that_is_all_carried() -> None:
    assert name_carried("what did he name his guitars?", "B.B. King") == (
        "what did B.B. King name his guitars?"
    )
    assert name_carried("what did he name his guitars?", "troops sent") is None


def test_after_who_is_someone_answered_by_a_description_he_is_that_someone() -> None:
    asked = "who is ahmed mohamed?"

    assert person_answered("how old is he?", asked, "a 14-year-old boy") == (
        "how old is ahmed mohamed?"
    )
    assert person_answered("where is he from?", "who won the race?", "Ana Ruiz") == (
        "where is Ana Ruiz from?"
    )


def test_a_subject_then_a_question_about_it_is_that_question_of_the_subject() -> None:
    assert asked_of("elaine smith, what did she say") == "what did elaine smith say?"
    assert asked_of("the drones, how fast are they") == "how fast are they (the drones)?"
    assert asked_of("the drones") is None and asked_of("the drones, and the troops") is None


@pytest.mark.parametrize(
    "line", ["out of how many?", "and of how many", "out of what?", "in total?"]
)
def test_a_line_asking_for_the_whole_is_told_apart(line: str) -> None:
    assert asks_total(line)


@pytest.mark.parametrize("line", ["how many in total were sent?", "out of the blue?", "how many?"])
def test_a_question_of_its_own_asks_no_whole(line: str) -> None:
    assert not asks_total(line)


def test_the_whole_is_the_figure_the_answer_is_given_as_part_of() -> None:
    shops = "The company plans to close 85 of its 240 shops by the end of March."
    assert total_of("85", ["It owes 3 million zloty.", shops]) == ("240 shops", shops)
    assert total_of("3", ["Only 3 out of 10 voters agreed."]) == (
        "10 voters",
        "Only 3 out of 10 voters agreed.",
    )
    assert total_of("85", ["It closed 85 shops in 2019."]) is None
    assert total_of("the mayor", [shops]) is None


def test_the_whole_is_answered_from_the_sentence_that_gives_it() -> None:
    cited = (
        Citation(1, "a", "A", 2, "a#s3", "Turnout was 81 percent.", 1.0),
        Citation(2, "a", "A", 1, "a#s1", "Women won 1,214 of the 2,240 seats.", 0.5),
    )
    refused = Answer("out of how many?", False, None, "number", 0.1, cited)

    answer = total_answer(refused, "1,214", 0.25)

    assert answer is not None and answer.found and answer.answer == "2,240 seats"
    assert answer.citations[0].text.startswith("Women won") and answer.citations[0].n == 1
    assert total_answer(refused, "81 percent", 0.25) is None


@pytest.mark.parametrize(
    ("line", "asked"),
    [
        ('"time was running out" who said that?', 'who said "time was running out"?'),
        ("who said that: “time was running out”", "who said “time was running out”?"),
        ('"sarpanch pati" what does that mean', 'what does "sarpanch pati" mean?'),
    ],
)
def test_a_quotation_pointed_at_is_put_in_the_question(line: str, asked: str) -> None:
    assert quote_asked(line) == asked


@pytest.mark.parametrize("line", ['who said "yes"', '"time was running out"', "who said that?"])
def test_a_line_without_a_quotation_pointed_at_is_left_alone(line: str) -> None:
    assert quote_asked(line) is None
