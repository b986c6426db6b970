"""The engine's BM25 computed by rank-bm25 itself: simple, slow, the yardstick.

Only the tests and benchmarks use it (``SparseBM25`` must score exactly as it
does), so only they import ``rank_bm25``; the engine never does.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25Okapi

from index.bm25 import K1, B, lucene_idf


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
