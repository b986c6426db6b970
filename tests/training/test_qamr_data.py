"""QAMR's questions for the news stage: kept when they ask for something named, never from
a paragraph of the texts the reader is judged on."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))

from qamr_data import names_something, qamr_groups


@pytest.mark.parametrize("answer", ["Andreas Lubitz", "eight months", "8:30", "Sunderland"])
def test_an_answer_naming_a_person_place_figure_or_thing_is_kept(answer: str) -> None:
    assert names_something(answer)


@pytest.mark.parametrize("answer", ["replaces", "she", "below it", "the"])
def test_a_bare_verb_or_pronoun_answer_is_not(answer: str) -> None:
    assert not names_something(answer)


def _qamr(tmp_path: Path) -> Path:
    context = (
        "Mary Barra was named chief executive of General Motors on Tuesday. "
        "She replaces Daniel Akerson, who led the company since 2009."
    )
    qas = [
        {"question": "Who was named chief executive?", "answers": [{"text": "Mary Barra"}]},
        {"question": "What did she do?", "answers": [{"text": "replaces"}]},
        {"question": "Since when did Akerson lead the company?", "answers": [{"text": "2009"}]},
    ]
    data = {
        "data": [{"title": "Wiki1k:wikinews:1:0", "paragraphs": [{"context": context, "qas": qas}]}]
    }
    path = tmp_path / "qamr.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump(data, handle)
    return path


def test_kept_questions_are_read_over_their_paragraph_with_every_copy_of_the_answer(
    tmp_path: Path,
) -> None:
    groups = qamr_groups(10, seed=1, avoid="", path=_qamr(tmp_path))
    assert sorted(g.question for g in groups) == [
        "Since when did Akerson lead the company?",
        "Who was named chief executive?",
    ]
    for group in groups:
        ((passage, start, end),) = group.answers
        assert group.passages[passage][start:end] in {"Mary Barra", "2009"}


def test_a_paragraph_shared_with_a_text_never_trained_on_is_left_out(tmp_path: Path) -> None:
    judged = "Reported: Mary Barra was named chief executive of General Motors on Tuesday."
    assert qamr_groups(10, seed=1, avoid=judged, path=_qamr(tmp_path)) == []
