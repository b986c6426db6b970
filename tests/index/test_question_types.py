"""What a question asks for: the answer type its wording names, and the analysed record."""

from __future__ import annotations

import pytest

from index.question_types import (
    DATE,
    ENTITY,
    NUMBER,
    OTHER,
    PERSON,
    PLACE,
    QUOTE,
    YES_NO,
    Question,
    question_type,
    typed_evidence,
)
from index.tokenize import default_tokenizer


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
        ("did north korea send troops?", YES_NO),
        ("isn't the fire out yet?", YES_NO),
        ("do we know who did it?", PERSON),  # a question word inside: a span answers it
        ("was it drones or missiles?", OTHER),  # a choice: a span answers it
    ],
)
def test_question_word_decides_the_answer_type(question: str, kind: str) -> None:
    assert question_type(question) == kind


def test_question_is_analysed_once_into_what_the_ranking_reads() -> None:
    asked = Question.of("How many troops were sent to Russia?", default_tokenizer())

    assert asked.kind == NUMBER and asked.unit == "troop"
    assert asked.query == ("troop", "sent", "russia")  # "how many" is no evidence


def test_a_sentence_counting_the_asked_unit_is_the_best_evidence() -> None:
    tokenizer = default_tokenizer()
    asked = Question.of("How many troops were sent?", tokenizer)

    assert typed_evidence(asked, "About 3,000 troops were sent.", tokenizer) == 1.0
    assert typed_evidence(asked, "They sent 12 drones.", tokenizer) == 0.5
