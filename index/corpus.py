"""The corpus records: one immutable snapshot of the indexed articles.

A :class:`Corpus` is immutable. Rebuilding makes a new one and the engine
swaps a single reference, so a reader in another thread always sees either
the old or the new index, never half of one. It is built by
:mod:`index.saved.building`; the engine (:mod:`index.engine`) serves it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index.bm25 import RetrievalIndex, SparseBM25
from index.chunking import ChunkSettings
from index.embedding import Embedder
from index.records import Article, Chunk, LoadProblem, Sentence
from index.sentence_vectors import SentenceVectors, VectorCache
from index.tokenize import Tokenizer, TokenizerSettings


class NoArticlesError(RuntimeError):
    """The seeds folder holds no usable article."""


@dataclass(frozen=True)
class Corpus:
    articles: tuple[Article, ...]
    chunks: tuple[Chunk, ...]
    index: RetrievalIndex
    problems: tuple[LoadProblem, ...] = ()
    built_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    chunk_settings: ChunkSettings = field(default_factory=ChunkSettings)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_paragraphs", {})
        object.__setattr__(self, "_paragraphs_lock", threading.Lock())
        object.__setattr__(self, "_vectors", VectorCache())
        sentences = {s.id: s for a in self.articles for s in a.sentences}
        sentences |= {
            s.id: s for a in self.articles if a.standfirst for s in a.standfirst.sentences
        }
        articles = {a.id: a for a in self.articles}
        positions = {a.id: i for i, a in enumerate(self.articles)}
        owners = np.array([positions[c.article_id] for c in self.chunks], dtype=np.int64)
        object.__setattr__(self, "_sentences", sentences)
        object.__setattr__(self, "_articles", articles)
        object.__setattr__(self, "_chunk_owner", owners)

    def sentence(self, sentence_id: str) -> Sentence:
        result: Sentence = self.__dict__["_sentences"][sentence_id]
        return result

    def article(self, article_id: str) -> Article:
        result: Article = self.__dict__["_articles"][article_id]
        return result

    def chunk_mask(self, article_id: str) -> npt.NDArray[np.bool_]:
        position = [a.id for a in self.articles].index(article_id)
        mask: npt.NDArray[np.bool_] = self.__dict__["_chunk_owner"] == position
        return mask

    def articles_with(self, term: str) -> frozenset[str]:
        """The ids of the articles holding ``term`` (a retrieval token): what a follow-up's
        words say about which article it is about (:mod:`index.followup`)."""
        owners = self.__dict__["_chunk_owner"][self.index.scores([term]) > 0]
        return frozenset(self.articles[i].id for i in np.unique(owners))

    @property
    def sentence_count(self) -> int:
        return sum(a.sentence_count for a in self.articles)

    def paragraph_index(self, tokenizer: Tokenizer) -> ParagraphIndex:
        """BM25 over whole paragraphs, built once per corpus and tokenizer.

        Answer ranking weighs a sentence by its paragraph's score too. Building
        it costs a pass over every paragraph: :func:`index.saved.building.build_corpus`
        (which every build, reindex and restart goes through) builds it with the
        chunk index, reusing the counts of unchanged articles, persists it when
        the index is saved and hands it over (:meth:`adopt_paragraph_index`), so
        it is found here already. A corpus made otherwise builds it on first use,
        which a new :class:`index.engine.Engine` makes before serving. The lock
        keeps two threads from building it twice.
        """
        cache: dict[TokenizerSettings, ParagraphIndex] = self.__dict__["_paragraphs"]
        with self.__dict__["_paragraphs_lock"]:
            built = cache.get(tokenizer.settings)
            if built is None:
                docs = [tokenizer.tokens(p.text) for a in self.articles for p in a.paragraphs]
                built = ParagraphIndex(SparseBM25(docs), paragraph_keys(self.articles))
                cache[tokenizer.settings] = built
            return built

    def cached_paragraph_index(self, settings: TokenizerSettings) -> ParagraphIndex | None:
        """The paragraph index for ``settings`` if one was built or adopted; never builds one."""
        with self.__dict__["_paragraphs_lock"]:
            found: ParagraphIndex | None = self.__dict__["_paragraphs"].get(settings)
            return found

    def adopt_paragraph_index(
        self, settings: TokenizerSettings, paragraphs: ParagraphIndex
    ) -> None:
        """Use ``paragraphs`` (built or loaded elsewhere) for tokens made with ``settings``.

        The store loads or updates the paragraph index with the chunk index;
        handing it over here spares :meth:`paragraph_index` tokenising every
        paragraph again. Raises ``ValueError`` if it does not cover exactly
        this corpus's paragraphs, in order; an index already held is kept.
        """
        if paragraphs.keys != paragraph_keys(self.articles):
            raise ValueError("the paragraph index does not match this corpus's paragraphs")
        if paragraphs.index.size != len(paragraphs.keys):
            raise ValueError("the paragraph index has a row count unlike its keys")
        with self.__dict__["_paragraphs_lock"]:
            self.__dict__["_paragraphs"].setdefault(settings, paragraphs)

    def sentence_vectors(self, embedder: Embedder) -> SentenceVectors:
        """Every sentence's vector (:mod:`index.sentence_vectors`), computed once per corpus,
        embedding only the articles that neither an earlier corpus nor the folder holds."""
        cache: VectorCache = self.__dict__["_vectors"]
        return cache.vectors(self.articles, embedder)

    def adopt_vectors(self, earlier: Corpus | None, folder: Path | None) -> None:
        """Reuse ``earlier``'s vectors of unchanged articles, and keep vectors in ``folder``."""
        cache: VectorCache = self.__dict__["_vectors"]
        cache.folder = folder
        if earlier is not None:
            cache.adopt(earlier.__dict__["_vectors"], self.articles)


@dataclass(frozen=True)
class ParagraphIndex:
    """Paragraph-level BM25 and the (article id, paragraph number) of each row."""

    index: RetrievalIndex
    keys: tuple[tuple[str, int], ...]


def paragraph_keys(articles: Sequence[Article]) -> tuple[tuple[str, int], ...]:
    """The (article id, paragraph number) of each paragraph-index row, in row order."""
    return tuple((a.id, p.number) for a in articles for p in a.paragraphs)
