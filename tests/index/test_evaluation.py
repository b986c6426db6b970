"""The evaluation formats, the official SQuAD scores, and regressions on the dev sets."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from index.engine import Engine
from index.evaluation.base import EvalFormatError
from index.evaluation.formats import DEV, SQUAD, detect_format, read_json_file
from index.evaluation.qa import contains, evaluate_dev, parse_dev_lines
from index.evaluation.squad import (
    evaluate_squad,
    exact_match,
    f1_score,
    normalize_answer,
    parse_squad,
    prediction_text,
)
from index.loader import load_folder
from index.records import Answer
from index.saved.building import build_corpus
from tests.conftest import DATA, SEEDS

DEV_FILE = DATA / "article_qa_dev.jsonl"
SQUAD_V1 = (
    DATA / "squad-v1.1-dev-slice.json"
)  # the first 20 paragraphs of the dev set's first article

SQUAD_SAMPLE: dict[str, Any] = {
    "version": "v2.0",
    "data": [
        {
            "title": "Harbour",
            "paragraphs": [
                {
                    "context": "The port of Valletta opened in 1530. It handles 3,000 ships a year.",
                    "qas": [
                        {
                            "id": "q1",
                            "question": "When did the port of Valletta open?",
                            "answers": [{"text": "1530", "answer_start": 31}],
                        },
                        {
                            "id": "q2",
                            "question": "Who painted the port of Valletta?",
                            "answers": [],
                            "is_impossible": True,
                        },
                    ],
                }
            ],
        }
    ],
}


def test_squad_json_is_recognised() -> None:
    kind, _ = detect_format(json.dumps(SQUAD_SAMPLE))
    assert kind == SQUAD


def test_dev_json_lines_are_recognised() -> None:
    line = {"id": "a", "question": "How many?", "answers": ["3"], "evidence": ["3 ships"]}
    kind, items = detect_format(json.dumps(line) + "\n" + json.dumps(line))
    assert kind == DEV
    assert isinstance(items, list) and len(items) == 2


@pytest.mark.parametrize(
    "text",
    ['{"data": "nope"}', "[1, 2, 3]", "hello world", '{"version": "v1.1", "data": [{}]}', ""],
)
def test_a_file_in_neither_format_is_a_clear_error(text: str) -> None:
    with pytest.raises(EvalFormatError):
        detect_format(text)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EvalFormatError, match="no such file"):
        read_json_file(tmp_path / "absent.json")


def test_dev_line_without_question_names_its_line() -> None:
    with pytest.raises(EvalFormatError, match="line 2"):
        parse_dev_lines('{"question": "a?", "answers": []}\n{"answers": []}')


def test_squad_normalisation_drops_case_punctuation_and_articles() -> None:
    assert normalize_answer("The  Denver Broncos!") == "denver broncos"


def test_exact_match_ignores_articles() -> None:
    assert exact_match("the Broncos", "Broncos") == 1.0


def test_f1_counts_shared_tokens() -> None:
    assert f1_score("Denver Broncos team", "Denver Broncos") == pytest.approx(0.8)


def test_f1_of_refusal_on_unanswerable_is_one() -> None:
    assert f1_score("", "") == 1.0
    assert f1_score("something", "") == 0.0


def test_refusal_is_written_as_the_empty_prediction() -> None:
    refusal = Answer(question="q", found=False, answer=None, answer_type="other", confidence=0)
    assert prediction_text(refusal) == ""


def test_dev_answer_match_ignores_case_punctuation_and_curly_quotes() -> None:
    assert contains("More than 3,000 “troops”", "3,000 troops")
    assert not contains("13,000 troops", "3,000")


def test_squad_offsets_map_to_paragraph_sentences() -> None:
    squad = parse_squad(SQUAD_SAMPLE)
    report = evaluate_squad(squad)
    figures = report.to_json()
    assert figures["questions"] == 2
    assert figures["sentence_recall@1"] == 1.0
    assert report.predictions()["q1"] == "1530"


def test_squad_v2_reports_answerable_and_unanswerable_f1() -> None:
    figures = evaluate_squad(parse_squad(SQUAD_SAMPLE)).to_json()
    assert {"f1_answerable", "f1_unanswerable", "answerable", "unanswerable"} <= set(figures)


def test_dev_set_figures_hold() -> None:
    _, items = read_json_file(DEV_FILE)
    engine = Engine(build_corpus(load_folder(SEEDS).articles).corpus)
    figures = evaluate_dev(engine, items).to_json()  # type: ignore[arg-type]
    # A regression check at today's measured figures (docs/evaluation.md), below the issue's
    # targets (accuracy 0.9, every unanswerable refused, no false refusal) that the reader misses.
    # measured 1.0 (the last two readers; 0.944 by the one before, which answered "In which Russian region did
    # the North Korean soldiers fight?" from another sentence naming the Kursk region)
    assert figures["evidence@1"] >= 0.94
    assert figures["evidence@3"] == 1.0
    # measured 0.889 since paragraphs are also picked by meaning (0.944 by BM25's paragraphs,
    # whose second, the summary-like first paragraph, gave the short "How many troops were
    # sent?" a surer "3,000" than the "more than 3,000" of the first;
    # held out, the news and SQuAD figures rose: docs/evaluation.md, "Retrieval by meaning";
    # 0.833, 0.944, 0.889 and 0.722 by earlier readers: docs/evaluation.md, "Reader")
    assert figures["answer_accuracy"] >= 0.88
    assert figures["refused"] == 3  # measured 3 of 3
    assert figures["false_refusals"] <= 1  # measured 1 (0 with BM25's paragraphs)


def test_squad_slice_figures_hold() -> None:
    data = json.loads(SQUAD_V1.read_text(encoding="utf-8"))
    first = data["data"][0]
    sliced = {
        "version": data["version"],
        "data": [{**first, "paragraphs": first["paragraphs"][:20]}],
    }
    figures = evaluate_squad(parse_squad(sliced)).to_json()
    assert figures["questions"] == 378
    # The mean of five readers, two of which learned more of the team's unanswerable questions
    # (docs/evaluation.md, "Unanswerable questions written by the team").
    # measured 0.7011 (0.6878 by the reader before, 0.7116 by the one before it)
    assert figures["sentence_recall@1"] >= 0.70
    # the reader's paragraph: measured 0.7646 (0.754 by the reader before, 0.7698 by the one
    # before it, 0.7566 by that one, 0.741 by that one on BM25's paragraphs alone)
    assert figures["paragraph_recall@1"] >= 0.76
    # measured 56.78 (55.63 by the reader before, 57.55 by the one before it, 54.55 by that
    # one, 53.1 on BM25's paragraphs; earlier readers 52.7, 49.3, 47.5, 46.1; rules 33.0)
    assert figures["f1"] >= 56.5


def test_a_question_the_engine_rejects_counts_as_a_refusal() -> None:
    engine = Engine(build_corpus(load_folder(SEEDS).articles).corpus)
    items = parse_dev_lines('{"id": "e", "question": "   ", "answers": [], "evidence": []}')
    figures = evaluate_dev(engine, items).to_json()
    assert figures["refused"] == 1
