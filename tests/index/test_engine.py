"""The ask pipeline: answers, citations, refusals, restriction to one article."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.confidence import REFUSAL_THRESHOLD
from index.engine import YES_NO_HINT, Engine
from index.loader import article_from_text, load_file, load_folder
from index.question_input import QuestionError, clean_question
from index.records import MAX_QUESTION_CHARS
from index.saved.building import build_corpus
from tests.conftest import SEEDS

TROOPS = "how many troops were sent to Russia"


def test_troops_question_answers_3000(seed_engine: Engine) -> None:
    answer = seed_engine.ask(TROOPS)
    assert answer.found
    assert "3,000" in (answer.answer or "")


def test_troops_answer_cites_the_sentence_it_comes_from(seed_engine: Engine) -> None:
    answer = seed_engine.ask(TROOPS)
    assert answer.answer_citation is not None
    cited = answer.citations[answer.answer_citation - 1]
    assert "3,000" in cited.text
    assert cited.paragraph in (1, 2)


def test_unanswerable_question_is_refused(seed_engine: Engine) -> None:
    answer = seed_engine.ask("What is Kim Jong Un's favourite food?")
    assert not answer.found
    assert answer.answer is None


def test_question_about_an_unknown_name_is_refused(seed_engine: Engine) -> None:
    assert not seed_engine.ask("Who is the president of France?").found


def test_refusal_still_offers_the_closest_passage(seed_engine: Engine) -> None:
    answer = seed_engine.ask("What is Kim Jong Un's favourite food?")
    assert answer.citations


def test_citations_point_at_the_paragraph_holding_their_text(seed_engine: Engine) -> None:
    answer = seed_engine.ask("Which news agency reported the troop deployment?")
    assert answer.citations
    for citation in answer.citations:
        article = seed_engine.corpus.article(citation.article_id)
        assert citation.text in article.paragraphs[citation.paragraph - 1].text
        assert seed_engine.corpus.sentence(citation.sentence_id).text == citation.text


def test_citations_are_numbered_from_one(seed_engine: Engine) -> None:
    answer = seed_engine.ask("When did Pyongyang release the images of the drones?")
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


def test_answer_names_its_article(seed_engine: Engine) -> None:
    answer = seed_engine.ask(TROOPS)
    assert answer.article_title == seed_engine.corpus.articles[0].title


def _two_article_engine() -> Engine:
    seed = load_folder(SEEDS).articles[0]
    other = article_from_text(
        "harbour",
        "Harbour news",
        ["The port of Valletta sent 3,000 troops of volunteers to clean the harbour in May."],
    )
    return Engine(build_corpus([seed, other]).corpus)


def test_restricting_to_one_article_answers_from_it_only() -> None:
    engine = _two_article_engine()
    answer = engine.ask("how many troops were sent to clean the harbour", article_id="harbour")
    assert answer.citations
    assert {c.article_id for c in answer.citations} == {"harbour"}


def test_restricting_to_the_other_article_cites_only_it() -> None:
    engine = _two_article_engine()
    seed_id = engine.corpus.articles[0].id
    answer = engine.ask("how many troops were sent to clean the harbour", article_id=seed_id)
    assert {c.article_id for c in answer.citations} == {seed_id}


def test_paragraph_index_is_built_once_per_corpus(seed_engine: Engine) -> None:
    first = seed_engine.corpus.paragraph_index(seed_engine.tokenizer)
    seed_engine.ask("how many troops were sent to Russia")
    assert seed_engine.corpus.paragraph_index(seed_engine.tokenizer) is first


def test_paragraphs_are_picked_by_meaning_with_vectors_computed_once(seed_engine: Engine) -> None:
    assert seed_engine.embedder is not None  # the shipped embedder loads
    first = seed_engine.corpus.sentence_vectors(seed_engine.embedder)
    seed_engine.ask(TROOPS)
    assert seed_engine.corpus.sentence_vectors(seed_engine.embedder) is first


def test_a_reading_says_how_close_the_answer_sentence_is_to_the_question(
    seed_engine: Engine,
) -> None:
    reading = seed_engine.read(TROOPS)
    assert reading.span is not None
    paragraph = reading.passages[reading.span.passage][1]
    holder = next(s for s in reversed(paragraph.sentences) if s.start <= reading.span.start)
    assert seed_engine.embedder is not None
    sentence = seed_engine.embedder.embed([holder.text])[0]
    asked = seed_engine.embedder.embed([TROOPS])[0]
    assert reading.features()["closeness"] == pytest.approx(float(sentence @ asked), abs=0.02)


def test_without_the_embedder_bm25_alone_picks_the_paragraphs() -> None:
    engine = Engine(build_corpus(SEEDS).corpus, meaning=False)
    assert engine.embedder is None
    # BM25's paragraphs hold both of the article's answers: "an additional deployment of 3,000
    # troops" (paragraph 1, which the reader shipped now prefers there) and "more than 3,000
    # North Korean troops were deployed" (paragraph 2, its answer with the paragraphs by meaning)
    assert engine.ask(TROOPS).answer in {"3,000", "more than 3,000"}


def test_empty_question_is_rejected() -> None:
    with pytest.raises(QuestionError, match="empty"):
        clean_question("  \n\t ")


def test_overlong_question_is_rejected() -> None:
    with pytest.raises(QuestionError, match="characters long"):
        clean_question("why " * (MAX_QUESTION_CHARS // 2))


def test_negated_question_against_a_positive_sentence_is_refused(seed_engine: Engine) -> None:
    answer = seed_engine.ask("Which news agency never reported the troop deployment?")
    assert not answer.found


def test_a_cited_sentence_that_leans_on_the_one_before_carries_it_as_context(
    seed_engine: Engine,
) -> None:
    answer = seed_engine.ask("how many soldiers were deployed earlier?")
    leaning = next(c for c in answer.citations if c.text.startswith("This troop movement"))
    assert (leaning.context or "").startswith("On the same day that Kim evaluated the drones")


def test_a_cited_sentence_that_stands_alone_has_no_context(seed_engine: Engine) -> None:
    answer = seed_engine.ask(TROOPS)
    assert "3,000" in answer.citations[0].text  # the sentence holding the answer, whole
    assert answer.citations[0].context is None


def tunnel_engine() -> Engine:
    """inv4-07, "Opening of Norway's Hestnes tunnel pushed back …": the local MP speaks and
    says she will ask the transport minister, who never speaks."""
    folder = Path(__file__).resolve().parents[2] / "training" / "data" / "articles"
    return Engine(build_corpus([load_file(folder / "inv4-07.txt")]).corpus)


def test_a_question_for_the_words_of_someone_who_never_speaks_is_refused() -> None:
    engine = tunnel_engine()
    question = "What did the transport minister say about why the surveys missed the weak rock?"

    reading = engine.read(question)
    assert engine.calibration.probability(reading.features()) >= REFUSAL_THRESHOLD
    assert not engine.ask(question).found  # confident, but on the MP's words


def test_a_question_for_the_words_of_someone_who_speaks_is_answered() -> None:
    answer = tunnel_engine().ask("what did the local mp say about the surveys?")

    assert answer.found and "geological surveys" in (answer.answer or "")


def test_a_yes_no_question_gets_the_closest_passages_not_a_span(seed_engine: Engine) -> None:
    # Read for a span, "did North Korea send troops to Russia?" was answered "short-range
    # missiles": the reader picks spans, never yes or no.
    answer = seed_engine.ask("did north korea send troops to russia?")
    assert not answer.found and answer.answer is None
    assert answer.hint == YES_NO_HINT and answer.citations


def test_an_answers_citations_come_from_its_own_article_only() -> None:
    strike = article_from_text(
        "strike",
        "Dock strike",
        ["Dock workers walked out on Monday.", "The strike closed the port for a week."],
    )
    stadium = article_from_text(
        "stadium",
        "Port stadium",
        ["The port stadium closed its gates for the season.", "The port club plays in red."],
    )
    engine = Engine(build_corpus([strike, stadium]).corpus)
    reading = engine.read("how long was the port closed?")
    assert {s.sentence.article_id for s in reading.ranked} == {"strike", "stadium"}
    answer = engine.ask("how long was the port closed?")
    assert answer.found and answer.article_id == "strike"
    assert {c.article_id for c in answer.citations} == {"strike"}
