"""Which paragraphs the reader reads: BM25's best, or BM25's first and the rest by meaning too.

BM25 alone takes the paragraphs of the best-ranked sentences, each once
(:func:`by_words`). With sentence vectors (:mod:`index.sentence_vectors`), BM25's
first paragraph is read (the words matched best: a name, a rare phrase), and the
others are those with the best sum of their best BM25 sentence score (min-max
over the ranked paragraphs, 0 for a paragraph BM25 did not rank), ``WORD_WEIGHT``,
and their closest sentence's cosine with the question (min-max over the
candidates), the rest (:func:`by_words_and_meaning`). The reader picks its answer
across all of them, so only which paragraphs are read matters, not their order.
The rule, the weight and the pooling were chosen on the training articles (the 20
SQuAD training articles, news ``train``) by paragraph recall at 3; held out,
recall at 3 rose on every development set (docs/evaluation.md, "Retrieval by meaning").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from index.corpus import Corpus
from index.embedding import FloatArray
from index.ranking import Scored
from index.records import Paragraph
from index.sentence_vectors import Key, SentenceVectors

WORD_WEIGHT = 0.15  # BM25's share after its first paragraph; the cosine has the rest

Passage = tuple[str, Paragraph]  # (article id, paragraph)


def by_words(corpus: Corpus, ranked: Sequence[Scored], limit: int) -> list[Passage]:
    """The paragraphs of the best-ranked sentences, best first, each once."""
    keys = list(dict.fromkeys((s.sentence.article_id, s.sentence.paragraph) for s in ranked))
    return [_passage(corpus, key) for key in keys[:limit]]


def by_words_and_meaning(
    corpus: Corpus,
    ranked: Sequence[Scored],
    vectors: SentenceVectors,
    question: FloatArray,
    limit: int,
    article_id: str | None = None,
) -> list[Passage]:
    """BM25's first paragraph, then those (of ``article_id``'s article, if given) best by both
    scores, ``limit`` in all.

    Ties keep the articles' order. BM25 ranks only the sentences of its best
    chunks, so a paragraph it never reached can be read when it is close enough
    in meaning.
    """
    keys = vectors.keys
    cosine = vectors.paragraph_cosines(question).astype(np.float64)
    if article_id is not None:
        chosen = np.array([k[0] == article_id for k in keys], dtype=bool)
        cosine = np.where(chosen, cosine, -np.inf)
    else:
        chosen = np.ones(len(keys), dtype=bool)
    if not chosen.any():
        return by_words(corpus, ranked, limit)
    fused = WORD_WEIGHT * _word_scores(ranked, vectors) + (1 - WORD_WEIGHT) * _spread(
        cosine, chosen
    )
    fused[~chosen] = -np.inf
    first = by_words(corpus, ranked, 1)
    if first:
        fused[vectors.position((first[0][0], first[0][1].number))] = np.inf
    best = np.argsort(-fused, kind="stable")[: min(limit, int(chosen.sum()))]
    return [_passage(corpus, keys[i]) for i in best]


def _word_scores(ranked: Sequence[Scored], vectors: SentenceVectors) -> np.ndarray:
    """Each paragraph's best sentence score, min-max over the paragraphs ranked; 0 unranked."""
    best: dict[Key, float] = {}
    for s in ranked:
        key = (s.sentence.article_id, s.sentence.paragraph)
        best[key] = max(best.get(key, -np.inf), s.score)
    values = np.zeros(len(vectors.keys))
    if not best:
        return values
    low, high = min(best.values()), max(best.values())
    for key, score in best.items():
        values[vectors.position(key)] = (score - low) / (high - low) if high > low else 1.0
    return values


def _spread(values: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """``values`` min-max scaled over the ``chosen`` ones."""
    low, high = values[chosen].min(), values[chosen].max()
    return np.where(chosen, (values - low) / ((high - low) or 1.0), 0.0)


def _passage(corpus: Corpus, key: Key) -> Passage:
    return key[0], corpus.article(key[0]).paragraph(key[1])
