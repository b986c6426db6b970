"""Which paragraphs the reader reads: BM25's, or BM25 and meaning fused."""

from __future__ import annotations

import numpy as np
import pytest

from index.corpus import Corpus
from index.embedding import Embedder, shared_embedder
from index.loader import article_from_text
from index.passages import by_words, by_words_and_meaning
from index.ranking import Scored
from index.saved.building import build_corpus

SHOW = [
    "The show opened on Tuesday in Las Vegas with thousands of visitors.",
    "Sony showed a new camera with a larger sensor.",
    "It will go on sale in March for $799.",
    "Visitors queued for hours outside the hall.",
]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    loaded = shared_embedder()
    assert loaded is not None, "the shipped embedding model must load"
    return loaded


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    other = article_from_text("weather", "Weather", ["Rain is expected all week.", "Snow fell."])
    return build_corpus([article_from_text("show", "Trade show", SHOW), other]).corpus


def ranked_only(corpus: Corpus, *paragraphs: int) -> list[Scored]:
    """BM25's ranking as if it had found only these paragraphs of the show, best first."""
    show = corpus.article("show")
    return [
        Scored(show.paragraphs[n - 1].sentences[0], 1.0 / rank, 0.5)
        for rank, n in enumerate(paragraphs, 1)
    ]


def numbers(passages: list[tuple[str, object]]) -> list[tuple[str, int]]:
    return [(aid, p.number) for aid, p in passages]  # type: ignore[attr-defined]


def test_by_words_reads_the_paragraphs_of_the_best_sentences_each_once(corpus: Corpus) -> None:
    ranked = ranked_only(corpus, 4, 2, 4)
    assert numbers(by_words(corpus, ranked, 3)) == [("show", 4), ("show", 2)]


def test_a_paragraph_close_in_meaning_is_read_though_bm25_never_ranked_it(
    corpus: Corpus, embedder: Embedder
) -> None:
    ranked = ranked_only(corpus, 4)
    question = embedder.embed(["what does the new camera cost"])[0]
    vectors = corpus.sentence_vectors(embedder)
    assert numbers(by_words(corpus, ranked, 2)) == [("show", 4)]
    read = by_words_and_meaning(corpus, ranked, vectors, question, 2)
    assert numbers(read) == [("show", 4), ("show", 2)]


def test_bm25s_first_paragraph_is_always_read(corpus: Corpus, embedder: Embedder) -> None:
    question = embedder.embed(["what does the new camera cost"])[0]
    vectors = corpus.sentence_vectors(embedder)
    by_meaning = numbers(by_words_and_meaning(corpus, [], vectors, question, 6))
    assert by_meaning[-1] == ("show", 4)  # the queue outside: furthest in meaning
    read = by_words_and_meaning(corpus, ranked_only(corpus, 4), vectors, question, 1)
    assert numbers(read) == [("show", 4)]


def test_paragraphs_alike_in_meaning_are_ordered_by_bm25_then_as_written(
    corpus: Corpus, embedder: Embedder
) -> None:
    no_meaning = np.zeros(384, dtype=np.float32)  # every paragraph equally close
    vectors = corpus.sentence_vectors(embedder)
    read = by_words_and_meaning(
        corpus, ranked_only(corpus, 4, 2, 1), vectors, no_meaning, 4, "show"
    )
    assert numbers(read) == [("show", 4), ("show", 2), ("show", 1), ("show", 3)]


def test_asked_about_one_article_only_its_paragraphs_are_read(
    corpus: Corpus, embedder: Embedder
) -> None:
    question = embedder.embed(["will it rain"])[0]
    vectors = corpus.sentence_vectors(embedder)
    read = by_words_and_meaning(corpus, ranked_only(corpus, 1), vectors, question, 3, "show")
    assert {aid for aid, _ in numbers(read)} == {"show"}
    assert len(read) == 3


def test_never_more_paragraphs_than_there_are(corpus: Corpus, embedder: Embedder) -> None:
    question = embedder.embed(["snow"])[0]
    vectors = corpus.sentence_vectors(embedder)
    read = by_words_and_meaning(corpus, [], vectors, question, 10, "weather")
    assert sorted(numbers(read)) == [("weather", 1), ("weather", 2)]
