"""The question-answering engine: a corpus snapshot plus the ask pipeline.

A :class:`Corpus` is immutable. Rebuilding makes a new one and the engine
swaps a single reference, so a reader in another thread always sees either
the old or the new index, never half of one.
"""

from __future__ import annotations

import itertools
import math
import re
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
    QUOTE,
    Candidate,
    answer_type_words,
    asked_unit,
    asks_year,
    find_answer,
    query_text,
    question_type,
    shares_prefix,
    typed_evidence,
)
from index.bm25 import RetrievalIndex, SparseBM25, lucene_idf
from index.chunking import ChunkSettings, chunk_article
from index.loader import load_folder
from index.records import Answer, Article, Chunk, Citation, LoadProblem, Sentence
from index.tokenize import Tokenizer, TokenizerSettings, default_tokenizer

MAX_QUESTION_CHARS = 1000
MAX_CITATIONS = 3
BOUNDARY = 0.5  # the calibrated confidence where answers start
REFUSAL_THRESHOLD = BOUNDARY  # answers need a confidence of at least this
RAW_BOUNDARY = 0.22  # the raw score that maps to BOUNDARY, chosen on the dev sets (README)

# Sentence ranking (README, "Evaluation", has the measurements behind each weight).
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

# Answer choice and confidence.
ANSWER_SENTENCES = 3  # sentences searched for the short answer
ANSWER_SCORE_GAP = 0.3  # ... as long as they score within this of the best
ANSWER_SWITCH_MARGIN = 0.1  # a lower sentence's answer must fit this much better to win
COVERAGE_SHARE = 0.6  # weight of the evidence (vs the answer's fit) in the confidence
TYPED_CONFIDENCE = 0.15  # an answer of the asked type is a sign the question is answerable
UNIT_MISMATCH_FACTOR = 0.15  # "how many drones" answered with a number of troops
UNSEEN_NAME_FACTOR = 0.3  # a name no article mentions: the question is about something else
UNSEEN_PENALTY = 0.3  # x share of question words no article uses at all
UNSUPPORTED_NEGATION_FACTOR = 0.3  # "what was *never* dropped" against a sentence with no negation
UNKNOWN_FACTOR = 0.1  # the sentence says it is not known: "the lawyer did not say *who* called"

_NEGATION = re.compile(r"\b(?:not|never|no|none|nor|without|neither)\b|n[’']t\b", re.I)
_WH_WORD = re.compile(r"\b(?:who|whom|what|which|when|where|why|how)\b", re.I)
_NOT_KNOWN = re.compile(
    r"(?:\b(?:not|never)\s+|n[’']t\s+|\bdeclined\s+to\s+|\brefused\s+to\s+|\bno\s+one\s+)"
    r"(?:(?:immediately|yet|publicly|officially)\s+)?"
    r"(?:say|said|says|know|known|knew|clear|disclose|disclosed|reveal|revealed|specify|"
    r"specified|confirm|confirmed|explain|explained|identify|identified|determine|determined)"
    r"(?P<rest>(?:\s+\w+){1,2})",
    re.I,
)
_CAPITALISED = re.compile(r"\b[A-Z][\w’'\-]*")

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


class Engine:
    def __init__(self, corpus: Corpus, tokenizer: Tokenizer | None = None) -> None:
        self.corpus = corpus
        self.tokenizer = tokenizer or default_tokenizer()
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
        query = self.tokenizer.tokens(query_text(text))
        ranked = self._rank_sentences(corpus, text, query, kind, article_id) if query else []
        answer = self._compose(corpus, text, kind, query, ranked)
        elapsed = (time.perf_counter() - started) * 1000
        return replace(answer, elapsed_ms=elapsed)

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

    def _unseen_names(self, corpus: Corpus, question: str) -> list[str]:
        """Capitalised words of the question (past its first word) that no article uses."""
        unseen = lucene_idf(corpus.index.size, 0) - 1e-9
        names = []
        for word in _CAPITALISED.findall(question)[0 if question[:1].islower() else 1 :]:
            tokens = self.tokenizer.tokens(word)
            if tokens and all(corpus.index.idf(t) >= unseen for t in tokens):
                names.append(word)
        return names

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

    def _compose(
        self, corpus: Corpus, question: str, kind: str, query: list[str], ranked: list[_Scored]
    ) -> Answer:
        """Pick the answer among the best few sentences and decide whether to give it."""
        citations = [
            _citation(corpus, n, scored) for n, scored in enumerate(ranked[:MAX_CITATIONS], start=1)
        ]
        best: tuple[float, int, Candidate] | None = None
        if ranked:
            top_score = ranked[0].score
            for position, scored in enumerate(_close_to_top(ranked)):
                candidate = find_answer(
                    question, kind, scored.sentence.text, self.tokenizer, corpus.index.idf
                )
                if candidate is None:
                    continue
                # The best-ranked sentence that holds an answer gives it; a lower one
                # only when its answer fits clearly better than the rank it gives up.
                value = candidate.score + (scored.score - top_score)
                if best is None or value > best[0] + ANSWER_SWITCH_MARGIN:
                    best = (value, position, candidate)
        confidence = 0.0
        short = None
        answer_citation = None
        if best is not None:
            _, position, candidate = best
            confidence = _confidence(ranked[position].coverage, candidate)
            if not (candidate.unit_match or kind == QUOTE):
                confidence = max(0.0, confidence - UNSEEN_PENALTY * _unseen_share(corpus, query))
            if self._unseen_names(corpus, question):
                confidence *= UNSEEN_NAME_FACTOR
            if _NEGATION.search(question) and not _NEGATION.search(ranked[position].sentence.text):
                confidence *= UNSUPPORTED_NEGATION_FACTOR
            if any(says_unknown(question, r.sentence.text) for r in _close_to_top(ranked)):
                confidence *= UNKNOWN_FACTOR
            confidence = calibrate(confidence)
            if confidence >= REFUSAL_THRESHOLD:
                short = candidate.text
                answer_citation = position + 1
                if position >= MAX_CITATIONS:  # keep the sentence the answer comes from cited
                    citations[-1] = _citation(corpus, MAX_CITATIONS, ranked[position])
                    answer_citation = MAX_CITATIONS
        elif ranked:
            confidence = calibrate(_confidence(ranked[0].coverage, None))
        found = short is not None
        lead = ranked[answer_citation - 1 if answer_citation else 0] if ranked else None
        top = corpus.article(lead.sentence.article_id) if lead else None
        return Answer(
            question=question,
            found=found,
            answer=short,
            answer_type=kind,
            confidence=confidence,
            citations=tuple(citations),
            article_id=top.id if top else None,
            article_title=top.title if top else None,
            answer_citation=answer_citation,
        )


def _near(first: tuple[int, ...] | None, second: tuple[int, ...] | None) -> bool:
    """Whether two question words stand within a few tokens of each other."""
    if not first or not second:
        return False
    return any(abs(i - j) <= PROXIMITY_WINDOW for i in first for j in second)


def calibrate(raw: float) -> float:
    """Map the raw score onto [0, 1] so that the refusal boundary sits at 0.5.

    ``RAW_BOUNDARY`` was chosen on the development sets (README, "Evaluation");
    the map is piecewise linear and monotonic, so a stricter threshold above
    0.5 (as a server may set) still means "refuse more".
    """
    raw = max(0.0, min(1.0, raw))
    if raw < RAW_BOUNDARY:
        return BOUNDARY * raw / RAW_BOUNDARY
    return BOUNDARY + (1 - BOUNDARY) * (raw - RAW_BOUNDARY) / (1 - RAW_BOUNDARY)


def _close_to_top(ranked: Sequence[_Scored]) -> list[_Scored]:
    """The sentences the answer may come from: the best few, within the score gap of the top."""
    top = ranked[0].score
    return [r for r in ranked[:ANSWER_SENTENCES] if r.score >= top - ANSWER_SCORE_GAP]


def says_unknown(question: str, sentence: str) -> bool:
    """Whether ``sentence`` says the very thing asked is not known.

    News marks its gaps: "the lawyer did not say who called the paramedics",
    "it was not clear how many died", "police declined to say why". Such a
    sentence matches the question's words well and answers nothing.
    """
    wh = _WH_WORD.search(question)
    if wh is None:
        return False
    word = wh.group(0).lower()
    return any(
        word in match.group("rest").lower().split()[:2] for match in _NOT_KNOWN.finditer(sentence)
    )


def _unseen_share(corpus: Corpus, query: list[str]) -> float:
    """The idf-weighted share of the question's words that no article uses at all."""
    unseen = lucene_idf(corpus.index.size, 0) - 1e-9
    weights = [corpus.index.idf(t) for t in set(query)]
    total = sum(weights) or 1.0
    return sum(w for w in weights if w >= unseen) / total


def _confidence(coverage: float, candidate: Candidate | None) -> float:
    """How sure the engine is, in [0, 1].

    Mostly how much of the question the answer's sentence covers (idf-weighted),
    then how well the answer fits: an answer of the asked type (a date for
    "when", a quotation for "what did they say") adds to it, a number that
    counts something other than the "how many X" asked for halves it.
    """
    if candidate is None:
        return max(0.0, min(1.0, COVERAGE_SHARE * coverage))
    value = COVERAGE_SHARE * coverage + (1 - COVERAGE_SHARE) * candidate.score
    if candidate.typed:
        value += TYPED_CONFIDENCE
    if candidate.unit_match is False:
        value *= UNIT_MISMATCH_FACTOR
    return max(0.0, min(1.0, value))


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
