"""The question-answering engine: a corpus snapshot plus the ask pipeline.

A :class:`Corpus` is immutable. Rebuilding makes a new one and the engine
swaps a single reference, so a reader in another thread always sees either
the old or the new index, never half of one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index.answering import extract_answer, question_type
from index.bm25 import ReferenceBM25, RetrievalIndex
from index.chunking import ChunkSettings, chunk_article
from index.loader import load_folder
from index.records import Answer, Article, Chunk, Citation, LoadProblem, Sentence
from index.tokenize import Tokenizer, default_tokenizer

MAX_QUESTION_CHARS = 1000
MAX_CITATIONS = 3
REFUSAL_THRESHOLD = 0.5
TOP_CHUNKS = 8

IndexFactory = Callable[[Sequence[Sequence[str]]], RetrievalIndex]


class QuestionError(ValueError):
    """A question the engine cannot take (empty, too long); the message says why."""


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
        sentences = {s.id: s for a in self.articles for s in a.sentences}
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

    @property
    def sentence_count(self) -> int:
        return sum(a.sentence_count for a in self.articles)


def build_corpus(
    articles: Sequence[Article],
    *,
    problems: Sequence[LoadProblem] = (),
    tokenizer: Tokenizer | None = None,
    chunk_settings: ChunkSettings | None = None,
    index_factory: IndexFactory = ReferenceBM25,
) -> Corpus:
    if not articles:
        raise NoArticlesError("no usable articles to index")
    tokenizer = tokenizer or default_tokenizer()
    settings = chunk_settings or ChunkSettings()
    chunks = [c for a in articles for c in chunk_article(a, settings)]
    index = index_factory([tokenizer.tokens(c.text) for c in chunks])
    return Corpus(tuple(articles), tuple(chunks), index, tuple(problems), chunk_settings=settings)


def load_corpus(folder: str | Path, **kwargs: object) -> Corpus:
    """Load ``folder`` and index it; raises :class:`NoArticlesError` naming the problems."""
    result = load_folder(folder)
    if not result.articles:
        detail = "; ".join(str(p) for p in result.problems) or "the folder has no .txt or .md files"
        raise NoArticlesError(f"no usable articles in {folder}: {detail}")
    return build_corpus(result.articles, problems=result.problems, **kwargs)  # type: ignore[arg-type]


def clean_question(question: str) -> str:
    """Collapse whitespace and drop control characters; reject empty or huge input."""
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in question).split())
    if not text:
        raise QuestionError(
            "the question is empty; ask something like “how many troops were sent?”"
        )
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is {len(text):,} characters long; please keep it under {MAX_QUESTION_CHARS:,}"
        )
    return text


@dataclass(frozen=True, slots=True)
class _Scored:
    sentence: Sentence
    score: float
    coverage: float


class Engine:
    def __init__(self, corpus: Corpus, tokenizer: Tokenizer | None = None) -> None:
        self.corpus = corpus
        self.tokenizer = tokenizer or default_tokenizer()

    @classmethod
    def from_folder(cls, folder: str | Path) -> Engine:
        return cls(load_corpus(folder))

    def swap(self, corpus: Corpus) -> Corpus:
        """Serve ``corpus`` from now on; returns the previous one."""
        old, self.corpus = self.corpus, corpus
        return old

    def find_article(self, query: str) -> Article | None:
        """An article by id, id prefix, file name or (part of) its title."""
        wanted = query.strip().lower()
        if not wanted:
            return None
        articles = self.corpus.articles
        for test in (
            lambda a: a.id.lower() == wanted or a.source_path.lower() == wanted,
            lambda a: a.id.lower().startswith(wanted) or a.title.lower() == wanted,
            lambda a: wanted in a.title.lower() or wanted in a.source_path.lower(),
        ):
            matches = [a for a in articles if test(a)]
            if matches:
                return matches[0]
        return None

    def ask(self, question: str, article_id: str | None = None) -> Answer:
        started = time.perf_counter()
        text = clean_question(question)
        corpus = self.corpus  # one snapshot for the whole question
        kind = question_type(text)
        query = self.tokenizer.tokens(text)
        ranked = self._rank_sentences(corpus, query, article_id) if query else []
        answer = self._compose(corpus, text, kind, query, ranked)
        elapsed = (time.perf_counter() - started) * 1000
        return replace(answer, elapsed_ms=elapsed)

    def _rank_sentences(
        self, corpus: Corpus, query: list[str], article_id: str | None
    ) -> list[_Scored]:
        mask = corpus.chunk_mask(article_id) if article_id else None
        hits = corpus.index.top_k(query, TOP_CHUNKS, allowed=mask)
        if not hits:
            return []
        top_chunk = hits[0][1]
        weights = {t: corpus.index.idf(t) for t in set(query)}
        total = sum(weights.values()) or 1.0
        best: dict[str, _Scored] = {}
        for chunk_pos, chunk_score in hits:
            for sid in corpus.chunks[chunk_pos].sentence_ids:
                sentence = corpus.sentence(sid)
                tokens = set(self.tokenizer.tokens(sentence.text))
                coverage = sum(w for t, w in weights.items() if t in tokens) / total
                score = coverage + 0.3 * chunk_score / top_chunk
                if sid not in best or score > best[sid].score:
                    best[sid] = _Scored(sentence, score, coverage)
        return sorted(best.values(), key=lambda s: (-s.score, s.sentence.position))

    def _compose(
        self, corpus: Corpus, question: str, kind: str, query: list[str], ranked: list[_Scored]
    ) -> Answer:
        citations = tuple(
            _citation(corpus, n, scored) for n, scored in enumerate(ranked[:MAX_CITATIONS], start=1)
        )
        confidence = ranked[0].coverage if ranked else 0.0
        short = None
        if ranked and confidence >= REFUSAL_THRESHOLD:
            short = extract_answer(question, kind, ranked[0].sentence.text, self.tokenizer)
        found = short is not None
        top = corpus.article(ranked[0].sentence.article_id) if ranked else None
        return Answer(
            question=question,
            found=found,
            answer=short,
            answer_type=kind,
            confidence=confidence,
            citations=citations,
            article_id=top.id if top else None,
            article_title=top.title if top else None,
            answer_citation=1 if found else None,
        )


def _citation(corpus: Corpus, n: int, scored: _Scored) -> Citation:
    sentence = scored.sentence
    return Citation(
        n=n,
        article_id=sentence.article_id,
        article_title=corpus.article(sentence.article_id).title,
        paragraph=sentence.paragraph,
        sentence_id=sentence.id,
        text=sentence.text,
        score=scored.score,
    )
