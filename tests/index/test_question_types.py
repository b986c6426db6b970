"""What a question asks for: the answer type its wording names."""

from __future__ import annotations

import pytest

from index.question_types import DATE, ENTITY, NUMBER, OTHER, PERSON, PLACE, QUOTE, question_type


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

