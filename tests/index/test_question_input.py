"""What the engine reads of a question: emoji and symbols dropped, no-word and non-English input turned away."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.engine import Engine
from index.question_input import NOT_ENGLISH, QuestionError, clean_question
from index.records import Answer

DRONES = "who showed off the new military drones"
# Sequences as typed: skin tones, flags (regional indicators), ZWJ families, variation selectors.
EMOJI = ["🚁", "👍🏽", "🇰🇵", "👨‍👩‍👧", "❤️", "✨", "🙏🏻", "🏳️‍🌈", "™", "©"]
SYMBOLS = st.one_of(
    st.sampled_from(EMOJI),
    st.characters(categories=["So", "Sk"], exclude_characters="°`´"),
)


def _reply(answer: Answer) -> tuple[bool, str | None, list[str]]:
    return answer.found, answer.answer, [c.sentence_id for c in answer.citations]


def test_emoji_around_a_question_do_not_change_its_answer(seed_engine: Engine) -> None:
    answer = seed_engine.ask(f"🚁🚁 {DRONES} 🚁")
    assert answer.answer == "Kim Jong Un"
    assert _reply(answer) == _reply(seed_engine.ask(DRONES))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(SYMBOLS, max_size=3).map("".join), min_size=8, max_size=8))
def test_emoji_anywhere_in_a_question_never_change_its_answer(
    seed_engine: Engine, emoji: list[str]
) -> None:
    words = DRONES.split()
    decorated = emoji[0] + "".join(f" {w} {e}" for w, e in zip(words, emoji[1:], strict=True))
    assert _reply(seed_engine.ask(decorated)) == _reply(seed_engine.ask(DRONES))


@pytest.mark.parametrize(
    "kept",
    ["3,000 troops", "$5 billion", "the U.S. army", "40% of voters", "€12", "30°C", "Korea´s"],
)
def test_numbers_currency_and_abbreviations_survive_cleaning(kept: str) -> None:
    assert clean_question(f"🚁 {kept}? 🚁") == f"{kept}?"


def test_letters_of_every_script_survive_cleaning() -> None:
    assert (
        clean_question("what does Pyongyang (평양) mean? 🚁") == "what does Pyongyang (평양) mean?"
    )


@pytest.mark.parametrize("text", ["???", "?!?...,;", "🚁🚁🚁", "!!! 👍🏽 ???"])
def test_input_with_no_words_is_not_taken_as_a_question(text: str) -> None:
    with pytest.raises(QuestionError, match="doesn't look like a question; ask something like “"):
        clean_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "¿Cuántos soldados envió Corea del Norte?",
        "북한은 병사를 몇 명 보냈나요?",
        "Combien de soldats la Corée du Nord a-t-elle envoyés ?",
        "Wie viele Soldaten hat Nordkorea geschickt?",
        "朝鲜派了多少士兵？",
        "Сколько солдат отправила Северная Корея?",
    ],
)
def test_a_question_in_another_language_is_told_the_bot_reads_english(text: str) -> None:
    with pytest.raises(QuestionError) as caught:
        clean_question(text)
    assert str(caught.value) == NOT_ENGLISH
    assert "English" in NOT_ENGLISH and "“how many troops were sent to Russia?”" in NOT_ENGLISH


def test_the_engine_turns_away_a_spanish_question(seed_engine: Engine) -> None:
    with pytest.raises(QuestionError, match="answer questions in English"):
        seed_engine.ask("¿Cuántos soldados envió Corea del Norte?")
