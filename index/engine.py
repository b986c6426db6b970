"""The question-answering engine: a corpus snapshot plus the ask pipeline.

A :class:`Corpus` is immutable. Rebuilding makes a new one and the engine
swaps a single reference, so a reader in another thread always sees either
the old or the new index, never half of one.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index.answering import (
    NUMBER,
    answer_type_words,
    asked_unit,
    asks_year,
    query_text,
    question_type,
    shares_prefix,
    typed_evidence,
)
from index.bm25 import RetrievalIndex, SparseBM25
from index.chunking import ChunkSettings, chunk_article
from index.confidence import Calibration
from index.loader import load_folder
from index.reader import CALIBRATION_FILE, Reader, Span, default_model_dir, shared_reader
from index.records import Answer, Article, Chunk, Citation, LoadProblem, Paragraph, Sentence
from index.tokenize import Tokenizer, TokenizerSettings, default_tokenizer

MAX_QUESTION_CHARS = 1000
MAX_CITATIONS = 3
REFUSAL_THRESHOLD = 0.35  # answers need a calibrated confidence of at least this (docs/evaluation.md)
READ_PASSAGES = 3  # paragraphs the reader reads per question (docs/evaluation.md, "Reader")

# Sentence ranking: it orders the citations and picks the paragraphs the reader reads
# (docs/evaluation.md has the measurements).
TOP_CHUNKS = 8  # chunks whose sentences are ranked
CONTEXT_WEIGHT = 0.3  # the best surrounding chunk's BM25 score, as a share of the top chunk's
PARAGRAPH_WEIGHT = 0.3  # the sentence's paragraph's BM25 score, as a share of the top one's
TITLE_WEIGHT = 1.0  # share of a question word's weight earned by the article's title holding it
PREFIX_WEIGHT = 0.5  # ... by a word that extends it ("russia" -> "russian")
TYPE_WORD_WEIGHT = 0.3  # share kept by answer-type words ("what *year*", "the *name* of")
PROXIMITY_WEIGHT = 0.15  # lift for question word pairs standing close together
PROXIMITY_WINDOW = 3
TYPE_BONUS = 0.3  # lift for a sentence holding the kind of answer asked for (x 0.5 or 1)
LENGTH_PENALTY = 0.05  # x log(tokens): longer sentences cover more words by chance

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
        object.__setattr__(self, "_paragraphs", {})
        object.__setattr__(self, "_paragraphs_lock", threading.Lock())
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

    def paragraph_index(self, tokenizer: Tokenizer) -> ParagraphIndex:
        """BM25 over whole paragraphs, built once per corpus and tokenizer.

        Answer ranking weighs a sentence by its paragraph's score too. Building
        it costs a pass over every paragraph: :func:`index.store.open_corpus`
        (which every reindex and restart goes through) persists it with the
        chunk index, reusing the counts of unchanged articles, and hands it
        over (:meth:`adopt_paragraph_index`), so it is found here already. A
        corpus built without the store (:func:`build_corpus`) builds it on
        first use, which a new :class:`Engine` makes before serving. The lock
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


@dataclass(frozen=True)
class ParagraphIndex:
    """Paragraph-level BM25 and the (article id, paragraph number) of each row."""

    index: RetrievalIndex
    keys: tuple[tuple[str, int], ...]


def paragraph_keys(articles: Sequence[Article]) -> tuple[tuple[str, int], ...]:
    """The (article id, paragraph number) of each paragraph-index row, in row order."""
    return tuple((a.id, p.number) for a in articles for p in a.paragraphs)


def build_corpus(
    articles: Sequence[Article],
    *,
    problems: Sequence[LoadProblem] = (),
    tokenizer: Tokenizer | None = None,
    chunk_settings: ChunkSettings | None = None,
    index_factory: IndexFactory = SparseBM25,
) -> Corpus:
    if not articles:
        raise NoArticlesError("no usable articles to index")
    tokenizer = tokenizer or default_tokenizer()
    settings = chunk_settings or ChunkSettings()
    chunks = [c for a in articles for c in chunk_article(a, settings)]
    index = index_factory([tokenizer.tokens(c.text) for c in chunks])
    return Corpus(tuple(articles), tuple(chunks), index, tuple(problems), chunk_settings=settings)


def load_corpus(
    folder: str | Path, *, index_dir: str | Path | None = None, **kwargs: object
) -> Corpus:
    """Load ``folder`` and index it; raises :class:`NoArticlesError` naming the problems.

    With the default index the persisted one is used (``index_dir``, default
    ``$ARTICLEBOT_INDEX_DIR`` or ``data/index`` beside the seeds): loaded when
    the seeds are unchanged, updated for the articles that changed, rebuilt and
    reported when it is damaged. See :mod:`index.store`.
    """
    if kwargs.get("index_factory", SparseBM25) is SparseBM25:
        from index.store import open_corpus  # the store builds on this module

        options = {k: v for k, v in kwargs.items() if k != "index_factory"}
        return open_corpus(folder, index_dir=index_dir, **options).corpus  # type: ignore[arg-type]
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


@dataclass(frozen=True, slots=True)
class Reading:
    """The ranked sentences, the paragraphs read (article id, paragraph) and the best span."""

    ranked: tuple[_Scored, ...]
    passages: tuple[tuple[str, Paragraph], ...]
    span: Span | None

    def features(self) -> dict[str, float]:
        """The signals :class:`index.confidence.Calibration` weighs (``span`` must be set)."""
        assert self.span is not None
        return {"margin": self.span.margin}


class Engine:
    """Retrieve, then read: BM25 ranks sentences, the reader answers from their paragraphs.

    ``model_dir`` defaults to the shipped model (or ``$ARTICLEBOT_READER_DIR``),
    loaded once per process; when it cannot load, ``reader`` is None,
    ``reader_problem`` says why and every question gets the closest passages only.
    """

    def __init__(
        self,
        corpus: Corpus,
        tokenizer: Tokenizer | None = None,
        *,
        model_dir: Path | None = None,
    ) -> None:
        self.corpus = corpus
        self.tokenizer = tokenizer or default_tokenizer()
        model_dir = model_dir or default_model_dir()
        loaded = shared_reader(model_dir)
        self.reader: Reader | None = loaded if isinstance(loaded, Reader) else None
        self.reader_problem: str | None = None if self.reader else str(loaded)
        self.calibration = Calibration.load(model_dir / CALIBRATION_FILE)
        self._token_cache: dict[str, dict[str, tuple[int, ...]]] = {}
        self._title_cache: dict[str, frozenset[str]] = {}
        corpus.paragraph_index(self.tokenizer)  # built now, not by the first question

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
        answer = self._compose(corpus, text, kind, self._read(corpus, text, kind, article_id))
        elapsed = (time.perf_counter() - started) * 1000
        return replace(answer, elapsed_ms=elapsed)

    def read(self, question: str, article_id: str | None = None) -> Reading:
        """What :meth:`ask` decides on, before the decision (calibration and diagnostics)."""
        text = clean_question(question)
        return self._read(self.corpus, text, question_type(text), article_id)

    def _read(self, corpus: Corpus, question: str, kind: str, article_id: str | None) -> Reading:
        query = self.tokenizer.tokens(query_text(question))
        ranked = self._rank_sentences(corpus, question, query, kind, article_id) if query else []
        passages = _passages(corpus, ranked, READ_PASSAGES)
        span = None
        if self.reader is not None and passages:
            spans = self.reader.read(question, [p.text for _, p in passages])
            span = max(spans, key=lambda s: s.margin, default=None)
        return Reading(tuple(ranked), tuple(passages), span)

    def _rank_sentences(
        self, corpus: Corpus, question: str, query: list[str], kind: str, article_id: str | None
    ) -> list[_Scored]:
        """Sentences of the best chunks, by idf-weighted coverage of the question and context.

        A sentence's own coverage of the question's words decides most of its
        score; the best chunk around it and its paragraph add the evidence of
        its neighbours, the article's title counts for every sentence under
        it, question words standing close together and a sentence holding the
        kind of thing asked for (a number for "how many", a date for "when")
        lift it, and length costs a little.
        """
        mask = corpus.chunk_mask(article_id) if article_id else None
        hits = corpus.index.top_k(query, TOP_CHUNKS, allowed=mask)
        if not hits:
            return []
        top_chunk = hits[0][1]
        fillers = answer_type_words(question, self.tokenizer)
        weights = {
            t: corpus.index.idf(t) * (TYPE_WORD_WEIGHT if t in fillers else 1.0) for t in set(query)
        }
        total = sum(weights.values()) or 1.0
        chunk_share: dict[str, float] = {}
        para_share: dict[tuple[str, int], float] = {}
        if PARAGRAPH_WEIGHT:
            paragraphs = corpus.paragraph_index(self.tokenizer)
            para_scores = paragraphs.index.scores(query)
            for (aid, number), value in zip(paragraphs.keys, para_scores, strict=True):
                if value > 0 and (article_id is None or aid == article_id):
                    para_share[(aid, number)] = float(value)
            best_para = max(para_share.values(), default=0.0) or 1.0
            para_share = {key: value / best_para for key, value in para_share.items()}
        for chunk_pos, chunk_score in hits:
            for sid in corpus.chunks[chunk_pos].sentence_ids:
                chunk_share[sid] = max(chunk_share.get(sid, 0.0), chunk_score / top_chunk)
        unit = asked_unit(question, self.tokenizer) if kind == NUMBER else None
        asked = frozenset(self.tokenizer.tokens(question))
        years = asks_year(question)
        pairs = [
            (a, b, min(weights[a], weights[b])) for a, b in itertools.pairwise(query) if a != b
        ]
        pair_total = sum(w for _, _, w in pairs) or 1.0
        scored: list[_Scored] = []
        for sid, context in chunk_share.items():
            sentence = corpus.sentence(sid)
            positions = self._sentence_positions(sentence)
            title = self._title_tokens(corpus, sentence.article_id)
            own = sum(w for t, w in weights.items() if t in positions)
            if PREFIX_WEIGHT:
                own += PREFIX_WEIGHT * sum(
                    w
                    for t, w in weights.items()
                    if t not in positions and shares_prefix(t, positions)
                )
            from_title = sum(w for t, w in weights.items() if t in title and t not in positions)
            coverage = own / total
            near = sum(w for a, b, w in pairs if _near(positions.get(a), positions.get(b)))
            score = (
                coverage
                + TITLE_WEIGHT * from_title / total
                + CONTEXT_WEIGHT * context
                + PARAGRAPH_WEIGHT * para_share.get((sentence.article_id, sentence.paragraph), 0.0)
                + PROXIMITY_WEIGHT * near / pair_total
                - LENGTH_PENALTY * math.log1p(len(positions))
                + TYPE_BONUS
                * typed_evidence(kind, sentence.text, unit, self.tokenizer, asked, years, question)
            )
            scored.append(_Scored(sentence, score, coverage))
        scored.sort(key=lambda s: (-s.score, s.sentence.position))
        return scored

    def _title_tokens(self, corpus: Corpus, article_id: str) -> frozenset[str]:
        title = corpus.article(article_id).title
        cached = self._title_cache.get(title)
        if cached is None:
            cached = frozenset(self.tokenizer.tokens(title))
            self._title_cache[title] = cached
        return cached

    def _sentence_positions(self, sentence: Sentence) -> dict[str, tuple[int, ...]]:
        """Each token of the sentence with its positions (cached per sentence)."""
        cached = self._token_cache.get(sentence.id)
        if cached is None:
            found: dict[str, list[int]] = {}
            for i, token in enumerate(self.tokenizer.tokens(sentence.text)):
                found.setdefault(token, []).append(i)
            cached = {t: tuple(p) for t, p in found.items()}
            if len(self._token_cache) > 200_000:
                self._token_cache.clear()
            self._token_cache[sentence.id] = cached
        return cached

    def _compose(self, corpus: Corpus, question: str, kind: str, reading: Reading) -> Answer:
        """Read the best passages and answer with the reader's span, or refuse.

        The answer is the best span the reader finds across the passages
        (by its margin over the window's "no answer" score); ``confidence``
        maps that margin to a probability of being right (:class:`Calibration`)
        and the engine answers only at ``REFUSAL_THRESHOLD`` or above. Without
        a reader (it could not load) every question gets the closest passages.
        """
        ranked, passages, span = reading.ranked, reading.passages, reading.span
        citations = [_citation(corpus, n, s) for n, s in enumerate(ranked[:MAX_CITATIONS], 1)]
        confidence = self.calibration.probability(reading.features()) if span else 0.0
        if span is None or confidence < REFUSAL_THRESHOLD:
            lead = ranked[0].sentence if ranked else None
            return Answer(
                question=question,
                found=False,
                answer=None,
                answer_type=kind,
                confidence=confidence,
                citations=tuple(citations),
                article_id=lead.article_id if lead else None,
                article_title=corpus.article(lead.article_id).title if lead else None,
                reader_used=self.reader is not None,
            )
        article_id, paragraph = passages[span.passage]
        holder = _sentence_at(paragraph, span.start)
        support = _Scored(holder, span.margin, 1.0)
        others = [s for s in ranked if s.sentence.id != holder.id][: MAX_CITATIONS - 1]
        cited = [_citation(corpus, n, s) for n, s in enumerate([support, *others], 1)]
        return Answer(
            question=question,
            found=True,
            answer=span.text.strip(),
            answer_type=kind,
            confidence=confidence,
            citations=tuple(cited),
            article_id=article_id,
            article_title=corpus.article(article_id).title,
            answer_citation=1,
        )


def _passages(
    corpus: Corpus, ranked: Sequence[_Scored], limit: int
) -> list[tuple[str, Paragraph]]:
    """The paragraphs of the best-ranked sentences, best first, each once."""
    seen: set[tuple[str, int]] = set()
    out: list[tuple[str, Paragraph]] = []
    for scored in ranked:
        key = (scored.sentence.article_id, scored.sentence.paragraph)
        if key in seen:
            continue
        seen.add(key)
        article = corpus.article(key[0])
        out.append((key[0], article.paragraphs[key[1] - 1]))
        if len(out) == limit:
            break
    return out


def _sentence_at(paragraph: Paragraph, offset: int) -> Sentence:
    """The sentence of ``paragraph`` holding character ``offset`` (or the nearest before it)."""
    holder = paragraph.sentences[0]
    for sentence in paragraph.sentences:
        if sentence.start <= offset:
            holder = sentence
    return holder


def _near(first: tuple[int, ...] | None, second: tuple[int, ...] | None) -> bool:
    """Whether two question words stand within a few tokens of each other."""
    if not first or not second:
        return False
    return any(abs(i - j) <= PROXIMITY_WINDOW for i in first for j in second)


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
