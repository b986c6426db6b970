"""A follow-up written as a natural question (index/followup_questions.py)."""

from __future__ import annotations

from index.followup_questions import (
    asked_again,
    asked_of,
    in_time,
    name_carried,
    person_answered,
    swapped_subject,
)


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
