"""Sentence vectors: computed once per article, kept with the saved index, reused by a reindex."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from index.embedding import Embedder, FloatArray, shared_embedder
from index.loader import article_from_text
from index.records import Article
from index.saved.building import VECTORS_FOLDER, build_corpus, open_corpus


class CountingEmbedder:
    """The shipped embedder, recording the texts it is asked to embed."""

    def __init__(self, real: Embedder) -> None:
        self.real = real
        self.checksum = real.checksum
        self.embedded: list[str] = []

    def embed(self, texts: Sequence[str]) -> FloatArray:
        self.embedded.extend(texts)
        return self.real.embed(texts)


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    loaded = shared_embedder()
    assert loaded is not None, "the shipped embedding model must load"
    return loaded


def articles(*bodies: str) -> list[Article]:
    return [article_from_text(f"a{n}", f"Article {n}", [b]) for n, b in enumerate(bodies)]


def test_every_sentence_has_a_unit_vector_in_corpus_order(embedder: Embedder) -> None:
    corpus = build_corpus(articles("One fact. Two facts.", "Three facts.")).corpus
    vectors = corpus.sentence_vectors(embedder)
    assert vectors.matrix.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors.matrix, axis=1), 1.0, atol=1e-3)
    assert vectors.keys == (("a0", 1), ("a1", 1))
    assert list(vectors.starts) == [0, 2]


def test_a_paragraph_is_as_close_as_its_closest_sentence(embedder: Embedder) -> None:
    corpus = build_corpus(articles("The cat sat. Stocks fell sharply on Monday.")).corpus
    vectors = corpus.sentence_vectors(embedder)
    question = embedder.embed(["did the stock market fall"])[0]
    assert vectors.paragraph_cosines(question)[0] == pytest.approx(
        float(vectors.matrix[1] @ question)
    )


def test_a_reindex_embeds_only_the_articles_that_changed(embedder: Embedder) -> None:
    before = build_corpus(articles("Kept text here.", "Old text here.")).corpus
    before.sentence_vectors(embedder)
    after = build_corpus(articles("Kept text here.", "New text here."), previous=before).corpus
    counting = CountingEmbedder(embedder)
    after.sentence_vectors(counting)  # type: ignore[arg-type]
    assert counting.embedded == ["New text here."]


def test_the_saved_index_keeps_them_so_a_restart_embeds_nothing(
    tmp_path: Path, embedder: Embedder
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "one.txt").write_text("A title\n\nA stored sentence. Another one.\n", "utf-8")
    build_corpus(seeds, index_dir=tmp_path / "index")
    (stored,) = (tmp_path / "index" / VECTORS_FOLDER).glob("*.npy")
    assert np.allclose(
        np.load(stored), embedder.embed(["A stored sentence.", "Another one."]), atol=2e-3
    )
    marked = np.zeros((2, 384), dtype=np.float16)
    marked[:, 0] = 1.0  # no sentence embeds to this: only a read of the file gives it
    np.save(stored, marked)
    restarted = open_corpus(seeds, tmp_path / "index")
    assert np.array_equal(restarted.sentence_vectors(embedder).matrix, marked.astype(np.float32))


def test_a_damaged_file_is_embedded_again_and_rewritten(tmp_path: Path, embedder: Embedder) -> None:
    build_corpus(articles("A sentence to damage."), index_dir=tmp_path)
    (stored,) = (tmp_path / VECTORS_FOLDER).glob("*.npy")
    stored.write_bytes(b"not an array")
    corpus = build_corpus(articles("A sentence to damage."), index_dir=tmp_path).corpus
    assert np.allclose(
        corpus.sentence_vectors(embedder).matrix,
        embedder.embed(["A sentence to damage."]),
        atol=2e-3,
    )
    assert np.load(stored).shape == (1, 384)


def test_the_vectors_of_a_removed_article_are_deleted(tmp_path: Path) -> None:
    build_corpus(articles("First article.", "Second article."), index_dir=tmp_path)
    build_corpus(articles("First article."), index_dir=tmp_path)
    assert len(list((tmp_path / VECTORS_FOLDER).glob("*"))) == 1
