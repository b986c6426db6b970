"""The trained reader: the shipped file, its answers, and what happens when it cannot load."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from index.confidence import REFUSAL_THRESHOLD
from index.engine import Engine
from index.loader import article_from_text
from index.reader import (
    CARD_FILE,
    MODEL_DIR,
    MODEL_FILE,
    TOKENIZER_FILE,
    Reader,
    ReaderUnavailable,
    card_checksum,
    file_checksum,
    shared_reader,
    whole_words,
    without_unpaired_quotes,
)
from index.saved.building import build_corpus

TROOPS = "how many troops were sent to Russia"


@pytest.fixture(scope="module")
def reader() -> Reader:
    loaded = shared_reader()
    assert isinstance(loaded, Reader), loaded
    return loaded


@pytest.fixture
def model_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    shutil.copytree(MODEL_DIR, folder)
    return folder


def test_shipped_model_matches_the_checksum_in_its_card() -> None:
    assert file_checksum(MODEL_DIR / MODEL_FILE) == card_checksum(MODEL_DIR / CARD_FILE)


def test_shipped_model_is_at_most_30_mb() -> None:
    assert (MODEL_DIR / MODEL_FILE).stat().st_size <= 30 * 2**20


def test_troops_question_is_answered_through_the_reader(seed_engine: Engine) -> None:
    assert seed_engine.reader is not None
    answer = seed_engine.ask(TROOPS)
    assert answer.found and answer.answer is not None
    assert "3,000" in answer.answer
    assert answer.answer in answer.citations[0].text


def test_answer_citation_is_the_sentence_holding_the_span(seed_engine: Engine) -> None:
    answer = seed_engine.ask(TROOPS)
    assert answer.answer_citation == 1
    sentence = seed_engine.corpus.sentence(answer.citations[0].sentence_id)
    assert answer.answer in sentence.text


def test_found_agrees_with_the_confidence(seed_engine: Engine) -> None:
    questions = [
        TROOPS,
        "Who is Oleh Saakyan?",
        "What is the capital of Peru?",
        "How many North Korean soldiers have been killed?",
    ]
    for question in questions:
        answer = seed_engine.ask(question)
        assert answer.found == (answer.confidence >= REFUSAL_THRESHOLD), question


def test_span_offsets_cut_the_span_from_its_passage(reader: Reader) -> None:
    passages = [
        "The museum opened in 1907. It was designed by the architect Clara Holm.",
        "Tickets cost five euros.",
    ]
    for span in reader.read("Who designed the museum?", passages):
        assert passages[span.passage][span.start : span.end] == span.text


def test_a_long_passage_is_read_in_windows_to_its_end(reader: Reader) -> None:
    filler = " ".join(f"The committee met on day {n} and adjourned." for n in range(120))
    passage = filler + " The bridge was designed by the engineer Clara Holm."
    spans = reader.read("Who designed the bridge?", [passage])
    assert spans and "Holm" in spans[0].text


def test_a_question_longer_than_a_window_is_read_from_its_first_tokens(reader: Reader) -> None:
    # Left whole, it left the passage fewer tokens than the stride: the tokenizer panicked.
    question = "what did the operations manager say about the batteries " * 80
    spans = reader.read(question, ["The operations manager said the batteries were replaced."])
    assert len(spans) == 1


def test_the_best_span_is_chosen_across_passages(reader: Reader) -> None:
    passages = ["Anna Berg won the race in Oslo.", "The race was held in May.", "It rained."]
    spans = reader.read("Who won the race?", passages)
    assert {s.passage for s in spans} <= {0, 1, 2}
    best = max(spans, key=lambda s: s.margin)
    assert best.passage == 0 and "Anna Berg" in best.text


def engine_with(model_dir: Path) -> Engine:
    article = article_from_text("a", "Troops", ["More than 3,000 troops were sent in January."])
    return Engine(build_corpus([article]).corpus, model_dir=model_dir)


def assert_degrades_to_passages(engine: Engine, reason: str) -> None:
    assert engine.reader is None
    assert engine.reader_problem is not None and reason in engine.reader_problem
    answer = engine.ask(TROOPS)
    assert not answer.found and answer.answer is None
    assert not answer.reader_used
    assert answer.citations and "3,000" in answer.citations[0].text


def test_a_missing_model_degrades_to_cited_sentences(model_copy: Path) -> None:
    (model_copy / MODEL_FILE).unlink()
    assert_degrades_to_passages(engine_with(model_copy), "missing")


def test_a_truncated_model_degrades_to_cited_sentences(model_copy: Path) -> None:
    model = model_copy / MODEL_FILE
    model.write_bytes(model.read_bytes()[: 1 << 20])
    assert_degrades_to_passages(engine_with(model_copy), "damaged")


def test_a_model_onnx_cannot_load_degrades_to_cited_sentences(model_copy: Path) -> None:
    model = model_copy / MODEL_FILE
    model.write_bytes(b"not an onnx graph")
    (model_copy / CARD_FILE).write_text(f"SHA-256: {file_checksum(model)}\n", encoding="utf-8")
    assert_degrades_to_passages(engine_with(model_copy), "cannot load")


def test_a_broken_tokenizer_degrades_to_cited_sentences(model_copy: Path) -> None:
    (model_copy / TOKENIZER_FILE).write_text("{", encoding="utf-8")
    assert_degrades_to_passages(engine_with(model_copy), "tokenizer")


def test_a_card_without_checksum_is_refused(model_copy: Path) -> None:
    (model_copy / CARD_FILE).write_text("no checksum here\n", encoding="utf-8")
    with pytest.raises(ReaderUnavailable, match="SHA-256"):
        Reader(model_copy)


def test_an_unavailable_reader_is_logged_once(
    model_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (model_copy / MODEL_FILE).unlink()
    with caplog.at_level(logging.WARNING, logger="index.reader"):
        for _ in range(3):
            engine_with(model_copy)
    assert len([r for r in caplog.records if "reader unavailable" in r.getMessage()]) == 1


@pytest.mark.parametrize(
    ("passage", "span", "expected"),
    [
        (
            "a “comprehensive strategic partnership.”",
            "“comprehensive strategic partnership",
            "comprehensive strategic partnership",
        ),
        ("he said “we will win” today", "“we will win”", "“we will win”"),
        ("the “Iron Dome” system", "Iron Dome”", "Iron Dome"),
        ("more than 3,000 troops", "more than 3,000", "more than 3,000"),
        (  # a tester's answer, cut after its opening bracket
            "raised 50 million pesos (approximately US$1.4 million) so far",
            "(approximately US$1.4 million",
            "approximately US$1.4 million",
        ),
        ("the (new) law passed", "(new) law", "(new) law"),
    ],
)
def test_an_answer_drops_a_quotation_mark_whose_partner_it_lacks(
    passage: str, span: str, expected: str
) -> None:
    start = passage.index(span)
    new_start, new_end = without_unpaired_quotes(passage, start, start + len(span))
    assert passage[new_start:new_end] == expected


@pytest.mark.parametrize(
    ("passage", "span", "expected"),
    [
        ("about 3,200 people were evacuated", "3,200", "about 3,200"),
        ("An estimated 23,000 passengers are stranded", "23,000", "An estimated 23,000"),
        ("Russia sent more than 3,000 troops", "3,000 troops", "more than 3,000 troops"),
        ("some 40 cruisers boxed the car in", "40", "some 40"),
        ("at least 12 people died", "12", "at least 12"),
    ],
)
def test_a_figure_keeps_the_words_that_hedge_it(passage: str, span: str, expected: str) -> None:
    assert _widened(passage, span) == expected


@pytest.mark.parametrize(
    ("passage", "span", "expected"),
    [
        ("the fund grew 4.5 per cent", "4", "4.5"),
        ("the fund grew by 3,200 dollars", "3,2", "3,200"),
        ("Kyrgyzstan's currency", "Kyrgyz", "Kyrgyzstan"),
        ("a three-day visit", "three", "three"),  # "how many days": the hyphen's part stands
        ("Corrib's shares fell", "Corrib", "Corrib"),  # a possessive is not the name
        ("the Joker, played by Mark Hamill", "Joker", "Joker"),
        ("it was opened in 2026.", "2026", "2026"),
        ("the 2008 violence", "2008", "2008"),
        ("sales rose over 2019", "2019", "2019"),  # a year is a time, not a hedged figure
    ],
)
def test_an_answer_ends_on_whole_words(passage: str, span: str, expected: str) -> None:
    assert _widened(passage, span) == expected


def _widened(passage: str, span: str) -> str:
    start = passage.index(span)
    new_start, new_end = whole_words(passage, start, start + len(span))
    return passage[new_start:new_end]
