"""Sentence ranking: which sentences answer the question best, before the reader reads.

BM25 finds the best chunks; their sentences are then scored by how much of
the question they cover (idf-weighted), helped by their surroundings, the
article's title, question words standing close together and the kind of
answer asked for (:mod:`index.question_types`). The order decides the
citations and the paragraphs the reader reads (:mod:`index.engine`); the
weights were measured on the development files (docs/evaluation.md).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from index.corpus import Corpus
from index.question_types import Question, shares_prefix, typed_evidence
from index.records import Sentence
from index.tokenize import Tokenizer

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


@dataclass(frozen=True, slots=True)
class Scored:
    """A sentence with its ranking score and its idf-weighted coverage of the question."""

    sentence: Sentence
    score: float
    coverage: float


class SentenceRanker:
    """Ranks a corpus's sentences for a question; caches tokens per sentence and title."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self._token_cache: dict[str, dict[str, tuple[int, ...]]] = {}
        self._title_cache: dict[str, frozenset[str]] = {}

    def rank(self, corpus: Corpus, question: Question, article_id: str | None) -> list[Scored]:
        """Sentences of the best chunks, by idf-weighted coverage of the question and context.

        A sentence's own coverage of the question's words decides most of its
        score; the best chunk around it and its paragraph add the evidence of
        its neighbours, the article's title counts for every sentence under
        it, question words standing close together and a sentence holding the
        kind of thing asked for (a number for "how many", a date for "when")
        lift it, and length costs a little.
        """
        query = list(question.query)
        mask = corpus.chunk_mask(article_id) if article_id else None
        hits = corpus.index.top_k(query, TOP_CHUNKS, allowed=mask)
        if not hits:
            return []
        top_chunk = hits[0][1]
        weights = {
            t: corpus.index.idf(t) * (TYPE_WORD_WEIGHT if t in question.fillers else 1.0)
            for t in set(query)
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
        pairs = [
            (a, b, min(weights[a], weights[b])) for a, b in itertools.pairwise(query) if a != b
        ]
        pair_total = sum(w for _, _, w in pairs) or 1.0
        scored: list[Scored] = []
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
                + TYPE_BONUS * typed_evidence(question, sentence.text, self.tokenizer)
            )
            scored.append(Scored(sentence, score, coverage))
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


def _near(first: tuple[int, ...] | None, second: tuple[int, ...] | None) -> bool:
    """Whether two question words stand within a few tokens of each other."""
    if not first or not second:
        return False
    return any(abs(i - j) <= PROXIMITY_WINDOW for i in first for j in second)


def best_article(ranked: Sequence[Scored], top: int = 10) -> str:
    """The article whose sentences among the ``top`` ranked score most together: what a
    subject is about. The single best sentence can hold a rare word of another article ("the
    anjouan invasion": Russia's "invasion" of Ukraine, over ten sentences on Anjouan)."""
    totals: dict[str, float] = {}
    for scored in ranked[:top]:
        totals[scored.sentence.article_id] = (
            totals.get(scored.sentence.article_id, 0.0) + scored.score
        )
    return max(totals, key=totals.__getitem__)
