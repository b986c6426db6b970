"""BM25 ranking behind a small interface.

The engine scores chunks with Okapi BM25 (k1=1.5, b=0.75, Robertson et al.,
TREC-3) using the Lucene/BM25+ style idf ``log(1 + (N - df + 0.5) / (df + 0.5))``.
That idf is never negative, so it sidesteps rank-bm25's epsilon floor, which
on a single short article makes frequent words such as "North" or "troops"
worth the same tiny constant and can flatten whole queries to near zero
(rank_bm25 issues 29, 39, 43). :class:`ReferenceBM25` is that variant written
as a ``rank_bm25.BM25Okapi`` subclass; it stays the reference that faster
implementations are tested against.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25Okapi

K1 = 1.5
B = 0.75


def lucene_idf(corpus_size: int, doc_freq: int) -> float:
    """Always-positive idf; an unseen term (df=0) gets the largest value."""
    return math.log(1.0 + (corpus_size - doc_freq + 0.5) / (doc_freq + 0.5))


class RetrievalIndex(Protocol):
    """What the engine needs from a BM25 implementation."""

    @property
    def size(self) -> int: ...

    def scores(self, query: Sequence[str]) -> npt.NDArray[np.float64]:
        """BM25 score of every document for the query tokens."""
        ...

    def top_k(
        self, query: Sequence[str], k: int, allowed: npt.NDArray[np.bool_] | None = None
    ) -> list[tuple[int, float]]:
        """Best ``k`` documents with a positive score, best first; ``allowed`` masks documents."""
        ...

    def idf(self, term: str) -> float:
        """Inverse document frequency of a token (unseen tokens get the df=0 value)."""
        ...


class _LuceneIdfOkapi(BM25Okapi):  # type: ignore[misc]
    """rank-bm25's Okapi scoring loop with the Lucene idf swapped in."""

    def _calc_idf(self, nd: dict[str, int]) -> None:
        for word, freq in nd.items():
            self.idf[word] = lucene_idf(self.corpus_size, freq)
        self.average_idf = sum(self.idf.values()) / max(len(self.idf), 1)


class ReferenceBM25:
    """The engine's BM25 computed by rank-bm25 itself: simple, slow, the yardstick."""

    def __init__(self, corpus: Sequence[Sequence[str]], k1: float = K1, b: float = B) -> None:
        if not corpus:
            raise ValueError("cannot build a BM25 index over an empty corpus")
        self._bm25 = _LuceneIdfOkapi([list(doc) for doc in corpus], k1=k1, b=b)

    @property
    def size(self) -> int:
        return int(self._bm25.corpus_size)

    def scores(self, query: Sequence[str]) -> npt.NDArray[np.float64]:
        return np.asarray(self._bm25.get_scores(list(query)), dtype=np.float64)

    def top_k(
        self, query: Sequence[str], k: int, allowed: npt.NDArray[np.bool_] | None = None
    ) -> list[tuple[int, float]]:
        scores = self.scores(query)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0.0]

    def idf(self, term: str) -> float:
        value = self._bm25.idf.get(term)
        return lucene_idf(self.size, 0) if value is None else float(value)
