"""Short answers by question type, from one sentence at a time."""

from __future__ import annotations

import pytest

from index.answering import (
    DATE,
    ENTITY,
    NUMBER,
    OTHER,
    PERSON,
    PLACE,
    QUOTE,
    extract_answer,
    find_answer,
    question_type,
)
from index.tokenize import Tokenizer

TOKENIZER = Tokenizer()


def answer(question: str, sentence: str) -> str | None:
    return extract_answer(question, question_type(question), sentence, TOKENIZER)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many troops were sent?", NUMBER),
        ("how much money did they pay", NUMBER),
        ("When did Pyongyang release the images?", DATE),
        ("In which years did Kim go to Moscow?", DATE),
        ("Who said that Kim would visit Moscow?", PERSON),
        ("Where did the soldiers fight?", PLACE),
        ("In which Russian region did the soldiers fight?", PLACE),
        ("Which news agency reported it?", ENTITY),
        ("What did the spokesperson say about the drone?", QUOTE),
        ("Who is Oleh Saakyan?", OTHER),
        ("What kind of drones did Kim inspect?", OTHER),
    ],
)
def test_question_word_decides_the_answer_type(question: str, kind: str) -> None:
    assert question_type(question) == kind


def test_number_answer_keeps_its_unit() -> None:
    sentence = "Officials said that more than 3,000 North Korean troops were deployed in March."
    assert (
        answer("How many troops were deployed?", sentence) == "more than 3,000 North Korean troops"
    )


def test_number_answer_prefers_the_number_counting_what_was_asked() -> None:
    sentence = "The 2 companies hired 450 engineers last year."
    assert answer("How many engineers were hired?", sentence) == "450 engineers"


def test_a_share_counts_the_noun_after_of() -> None:
    sentence = "In a 2000 study, 42% of teachers reported occupational stress."
    candidate = find_answer("How many teachers felt stress?", NUMBER, sentence, TOKENIZER)
    assert candidate is not None and candidate.text == "42%" and candidate.unit_match


def test_money_answers_how_much_money() -> None:
    sentence = "John Jacob Astor IV provided Tesla with $100,000 in 1899."
    candidate = find_answer("How much money did Astor provide?", NUMBER, sentence, TOKENIZER)
    assert candidate is not None and candidate.text == "$100,000" and candidate.unit_match


def test_how_much_did_they_pay_wants_money_not_a_count() -> None:
    sentence = "Russia took 11,000 soldiers and paid $20 million for the shells."
    assert answer("How much did Russia pay for the shells?", sentence) == "$20 million"


def test_a_day_of_a_date_is_not_a_count() -> None:
    sentence = "Pyongyang released images on March 27, showing the drones."
    assert answer("How many drones were shown?", sentence) is None


def test_date_answer() -> None:
    sentence = "Pyongyang released images on March 27, showcasing Kim inspecting drones."
    assert "March 27" in (answer("When did Pyongyang release the images?", sentence) or "")


def test_person_answer_is_a_name_not_in_the_question() -> None:
    sentence = "The plan was announced by Deputy Foreign Minister Andrei Rudenko in Moscow."
    assert "Andrei Rudenko" in (answer("Who announced the plan?", sentence) or "")


def test_place_answer_follows_a_place_preposition() -> None:
    sentence = "The soldiers took part in operations in the Kursk region last winter."
    assert answer("Where did the soldiers take part in operations?", sentence) == "Kursk"


def test_place_answer_is_not_a_nationality_adjective() -> None:
    sentence = (
        "This troop movement follows an earlier deployment of 11,000 North Korean soldiers"
        " who have since participated in operations in Russia’s Kursk region."
    )
    assert answer("Where did the earlier troops fight?", sentence) in {"Russia", "Kursk"}


def test_a_name_the_question_already_uses_in_another_form_is_not_the_answer() -> None:
    sentence = "The talks were held in Russia, at Kazan."
    assert answer("Which Russian city hosted the talks?", sentence) == "Kazan"


def test_who_is_name_gets_the_title_next_to_the_name() -> None:
    sentence = (
        "Recent events coincide with statements by Russia’s Deputy Foreign Minister"
        " Andrei Rudenko, who spoke on Monday."
    )
    assert answer("Who is Andrei Rudenko?", sentence) == "Russia’s Deputy Foreign Minister"


def test_expansion_of_an_acronym_in_the_question_is_not_the_answer() -> None:
    sentence = "The Joint Chiefs of Staff observed that 3,000 troops were deployed in January."
    found = answer("What did the JCS observe?", sentence)
    assert found is not None and "3,000 troops" in found


def test_the_thousands_of_a_number_are_not_a_year() -> None:
    sentence = "More than 3,000 troops were deployed in January and February."
    assert answer("When were the troops deployed?", sentence) == "January and February"


def test_question_ending_in_a_preposition_is_answered_by_its_object() -> None:
    sentence = "We can say that Russia is already becoming dependent on North Korea in many ways."
    assert answer("What is Russia becoming dependent on?", sentence) == "North Korea"


def test_a_lone_function_word_is_never_the_answer() -> None:
    sentence = "He worked as a ditch digger for $2 per day."
    assert answer("What did he do for $2 a day?", sentence) == "ditch digger"


def test_a_lone_letter_is_never_the_answer() -> None:
    sentence = "Average temperatures exceed 32 °C (90 °F) during summer."
    assert answer("What do average temperatures exceed in summer?", sentence) == "32 °C"


def test_who_is_name_prefers_a_description_to_another_name() -> None:
    sentence = "Elias Rodriguez, an EPA spokesman, said the results were preliminary."
    assert answer("Who is Elias Rodriguez?", sentence) == "EPA spokesman"


def test_entity_answer_drops_the_possessive_owner() -> None:
    sentence = "South Korea’s Yonhap news agency reported the deployment."
    assert answer("Which news agency reported the deployment?", sentence) == "Yonhap"


def test_quote_answer_is_the_quotation() -> None:
    sentence = "The spokesperson was sceptical, saying, “It looks quite cumbersome.”"
    assert answer("What did the spokesperson say?", sentence) == "It looks quite cumbersome"


def test_other_answer_is_the_clause_next_to_the_question_words() -> None:
    sentence = "Kim previously traveled to Moscow, arriving via armored train, in 2019."
    assert answer("How did Kim travel to Moscow?", sentence) == "arriving via armored train"


def test_who_is_name_gets_a_description() -> None:
    sentence = "Ukrainian analyst Oleh Saakyan expressed concerns about the war."
    assert answer("Who is Oleh Saakyan?", sentence) == "Ukrainian analyst"


def test_answer_never_repeats_only_question_words() -> None:
    assert answer("Who is Kim?", "Kim.") is None


def test_answer_is_at_most_about_twelve_words() -> None:
    sentence = "He said, “" + " ".join(f"word{i}" for i in range(30)) + ".”"
    result = answer("What did he say?", sentence) or ""
    assert len(result.split()) <= 12
