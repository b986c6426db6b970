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
import threading
from array import array
from collections import Counter
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt
from rank_bm25 import BM25Okapi
from scipy import sparse

from index.tokenize import TokenizerSettings

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


def _lucene_idf_array(
    corpus_size: int, doc_freqs: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """:func:`lucene_idf` for many terms, with ``math.log`` so every value is bit-identical."""
    return np.array([lucene_idf(corpus_size, int(df)) for df in doc_freqs], dtype=np.float64)


class SparseBM25:
    """The engine's BM25 as precomputed postings: fast, and score for score equal to the reference.

    Every (term, chunk) pair that occurs gets its weight
    ``idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))`` computed once,
    with the same operations in the same order as rank-bm25, and stored in
    term-major arrays (``indptr`` into ``docs``/``weights``, i.e. CSR with a row
    per term). A query reads only its own terms' postings and adds them up per
    chunk in query order, which is exactly rank-bm25's summation, so scores are
    bit-identical rather than merely close. Top-k is a partial sort over the
    touched chunks only, with rank-bm25's tie order (lower position first).
    """

    def __init__(
        self,
        corpus: Sequence[Sequence[str]],
        k1: float = K1,
        b: float = B,
        *,
        tokenizer_settings: TokenizerSettings | None = None,
    ) -> None:
        if not corpus:
            raise ValueError("cannot build a BM25 index over an empty corpus")
        vocab: dict[str, int] = {}
        add = vocab.setdefault
        ids: array[int] = array("q")
        doc_len = np.empty(len(corpus), dtype=np.int64)
        for position, doc in enumerate(corpus):
            ids.extend([add(token, len(vocab)) for token in doc])
            doc_len[position] = len(doc)
        terms = np.frombuffer(ids, dtype=np.int64) if ids else np.zeros(0, dtype=np.int64)
        docs = np.repeat(np.arange(len(corpus), dtype=np.int64), doc_len)
        indptr, posting_docs, tf = _postings(terms, docs, len(vocab), len(corpus))
        self._init(list(vocab), indptr, posting_docs, tf, doc_len, k1, b, tokenizer_settings)

    @classmethod
    def from_postings(
        cls,
        terms: Sequence[str],
        indptr: npt.NDArray[np.integer],
        docs: npt.NDArray[np.integer],
        tf: npt.NDArray[np.integer],
        doc_len: npt.NDArray[np.integer],
        k1: float = K1,
        b: float = B,
        *,
        tokenizer_settings: TokenizerSettings | None = None,
    ) -> SparseBM25:
        """An index from its term-major postings; raises ``ValueError`` if they are inconsistent."""
        ptr = np.asarray(indptr, dtype=np.int64)
        posting_docs = np.asarray(docs, dtype=np.int32)
        freqs = np.asarray(tf, dtype=np.int32)
        lengths = np.asarray(doc_len, dtype=np.int64)
        _check_postings(len(terms), ptr, posting_docs, freqs, lengths)
        index = cls.__new__(cls)
        index._init(list(terms), ptr, posting_docs, freqs, lengths, k1, b, tokenizer_settings)
        return index

    def _init(
        self,
        terms: list[str],
        indptr: npt.NDArray[np.int64],
        docs: npt.NDArray[np.int32],
        tf: npt.NDArray[np.int32],
        doc_len: npt.NDArray[np.int64],
        k1: float,
        b: float,
        tokenizer_settings: TokenizerSettings | None,
    ) -> None:
        if len(doc_len) == 0:
            raise ValueError("cannot build a BM25 index over an empty corpus")
        self.k1, self.b = k1, b
        # what made the tokens, so a later rebuild only reuses counts made the same way
        self.tokenizer_settings = tokenizer_settings
        self.terms: tuple[str, ...] = tuple(terms)
        self._term_ids = {term: i for i, term in enumerate(self.terms)}
        self._indptr, self._docs, self._tf, self._doc_len = indptr, docs, tf, doc_len
        for arr in (indptr, docs, tf, doc_len):
            arr.flags.writeable = False
        n = len(doc_len)
        avgdl = int(doc_len.sum()) / n  # rank-bm25: sum of lengths (an int) / corpus size
        self._idf = _lucene_idf_array(n, np.diff(indptr))
        self._unseen_idf = lucene_idf(n, 0)
        # rank-bm25: idf * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * doc_len / avgdl)))
        freq = tf.astype(np.float64)
        lengths = doc_len[docs]
        per_term = np.repeat(self._idf, np.diff(indptr))
        self._weights = per_term * (freq * (k1 + 1) / (freq + k1 * (1 - b + b * lengths / avgdl)))
        self._weights.flags.writeable = False
        self._scratch = threading.local()

    # -- the RetrievalIndex interface --------------------------------------------------------

    @property
    def size(self) -> int:
        return len(self._doc_len)

    def scores(self, query: Sequence[str]) -> npt.NDArray[np.float64]:
        result = np.zeros(self.size, dtype=np.float64)
        for docs, weights in self._postings_of(query):
            result[docs] += weights  # a term's docs are distinct, so this is a plain scatter-add
        return result

    def top_k(
        self, query: Sequence[str], k: int, allowed: npt.NDArray[np.bool_] | None = None
    ) -> list[tuple[int, float]]:
        if k <= 0:
            return []
        docs, scores = self._touched(query)
        if allowed is not None:
            keep = np.asarray(allowed, dtype=bool)[docs]
            docs, scores = docs[keep], scores[keep]
        positive = scores > 0.0
        if not positive.all():
            docs, scores = docs[positive], scores[positive]
        if len(docs) > k:
            # Everything scoring at least the k-th best, ties included, then the exact order.
            kth = np.partition(scores, len(scores) - k)[len(scores) - k]
            close = scores >= kth
            docs, scores = docs[close], scores[close]
        order = np.lexsort((docs, -scores))[:k]
        return [(int(docs[i]), float(scores[i])) for i in order]

    def idf(self, term: str) -> float:
        term_id = self._term_ids.get(term)
        return self._unseen_idf if term_id is None else float(self._idf[term_id])

    # -- more about the index ----------------------------------------------------------------

    @property
    def vocabulary_size(self) -> int:
        return len(self.terms)

    @property
    def postings(self) -> int:
        return len(self._docs)

    def arrays(self) -> dict[str, npt.NDArray[np.generic]]:
        """The postings that define the index (weights are derived), for saving."""
        return {
            "indptr": self._indptr,
            "docs": self._docs,
            "tf": self._tf,
            "doc_len": self._doc_len,
        }

    def rebuilt(self, plan: Sequence[tuple[int, int] | Sequence[Sequence[str]]]) -> SparseBM25:
        """A new index whose documents follow ``plan``, reusing this one's counts where it can.

        Each step is either ``(start, stop)``, this index's documents in that
        range taken as they are (never re-tokenised), or a list of token lists
        for new documents. Weights are recomputed for the new corpus statistics,
        so the result equals a fresh build over the same documents.
        """
        vocab = dict(self._term_ids)
        row_ptr, row_terms, row_tf = _doc_major(self._indptr, self._docs, self._tf, self.size)
        terms: list[npt.NDArray[np.int64]] = []
        tfs: list[npt.NDArray[np.int64]] = []
        lengths: list[npt.NDArray[np.int64]] = [np.zeros(0, np.int64)]
        distinct: list[npt.NDArray[np.int64]] = [np.zeros(0, np.int64)]
        for step in plan:
            if isinstance(step, tuple) and len(step) == 2 and isinstance(step[0], int):
                start, stop = step
                if not 0 <= start <= stop <= self.size:
                    raise ValueError(f"document range {start}:{stop} outside 0:{self.size}")
                lo, hi = int(row_ptr[start]), int(row_ptr[stop])
                terms.append(row_terms[lo:hi].astype(np.int64))
                tfs.append(row_tf[lo:hi].astype(np.int64))
                lengths.append(self._doc_len[start:stop])
                distinct.append(np.diff(row_ptr[start : stop + 1]))
            else:
                new_terms, new_tf, new_lengths, new_distinct = _count_new(step, vocab)
                terms.append(new_terms)
                tfs.append(new_tf)
                lengths.append(new_lengths)
                distinct.append(new_distinct)
        doc_len = np.concatenate(lengths)
        docs = np.repeat(np.arange(len(doc_len), dtype=np.int64), np.concatenate(distinct))
        all_terms = np.concatenate(terms) if terms else np.zeros(0, np.int64)
        all_tf = np.concatenate(tfs) if tfs else np.zeros(0, np.int64)
        indptr, posting_docs, tf_out = _postings(all_terms, docs, len(vocab), len(doc_len), all_tf)
        terms_list = list(vocab)
        df = np.diff(indptr)
        if not (df > 0).all():  # terms that only the dropped documents had
            keep = np.flatnonzero(df > 0)
            terms_list = [terms_list[i] for i in keep]
            indptr = np.concatenate(([0], np.cumsum(df[keep])))
        return SparseBM25.from_postings(
            terms_list,
            indptr,
            posting_docs,
            tf_out,
            doc_len,
            self.k1,
            self.b,
            tokenizer_settings=self.tokenizer_settings,
        )

    # -- internals ---------------------------------------------------------------------------

    def _postings_of(
        self, query: Sequence[str]
    ) -> list[tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]]:
        out = []
        for token in query:  # repeated tokens count again, as in rank-bm25
            term_id = self._term_ids.get(token)
            if term_id is not None:
                lo, hi = self._indptr[term_id], self._indptr[term_id + 1]
                out.append((self._docs[lo:hi], self._weights[lo:hi]))
        return out

    def _touched(
        self, query: Sequence[str]
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]:
        """The chunks the query touches and their scores, summed in query order.

        Sums go into a per-thread scratch vector that is cleared again at the
        touched positions only, so a query costs time in its postings, not in
        the corpus size, and threads never share a buffer.
        """
        parts = self._postings_of(query)
        if not parts:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64)
        if len(parts) == 1:
            return parts[0][0], parts[0][1].copy()
        scratch = self._scratch.__dict__
        if "sums" not in scratch:
            scratch["sums"] = np.zeros(self.size, dtype=np.float64)
            scratch["seen"] = np.zeros(self.size, dtype=bool)
        sums: npt.NDArray[np.float64] = scratch["sums"]
        seen: npt.NDArray[np.bool_] = scratch["seen"]
        fresh: list[npt.NDArray[np.int32]] = []
        try:
            for docs, weights in parts:
                sums[docs] += weights  # a term's docs are distinct: a plain scatter-add
                new = docs[~seen[docs]]
                seen[new] = True
                fresh.append(new)
            touched = np.concatenate(fresh)
            return touched, sums[touched]  # fancy indexing copies
        finally:
            for new in fresh:
                sums[new] = 0.0
                seen[new] = False


def _postings(
    terms: npt.NDArray[np.int64],
    docs: npt.NDArray[np.int64],
    vocabulary: int,
    corpus_size: int,
    counts: npt.NDArray[np.int64] | None = None,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """Term-major postings (indptr, docs, tf) from parallel (term, doc[, count]) arrays."""
    data = np.ones(len(terms), dtype=np.int64) if counts is None else counts
    matrix = sparse.coo_matrix(
        (data, (terms, docs)), shape=(vocabulary, max(corpus_size, 1))
    ).tocsr()  # sums duplicates; indices sorted per row
    matrix.sum_duplicates()
    return (
        matrix.indptr.astype(np.int64),
        matrix.indices.astype(np.int32),
        matrix.data.astype(np.int32),
    )


def _doc_major(
    indptr: npt.NDArray[np.int64], docs: npt.NDArray[np.int32], tf: npt.NDArray[np.int32], n: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """The same postings by document: (row pointer, term ids, tf)."""
    matrix = sparse.csr_matrix((tf, docs, indptr), shape=(len(indptr) - 1, n)).tocsc()
    matrix.sort_indices()
    return matrix.indptr.astype(np.int64), matrix.indices.astype(np.int32), matrix.data


def _count_new(
    corpus: Sequence[Sequence[str]], vocab: dict[str, int]
) -> tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]
]:
    """(term ids, tf, doc lengths, distinct terms per doc) for new documents; extends ``vocab``."""
    add = vocab.setdefault
    terms: list[int] = []
    tf: list[int] = []
    lengths: list[int] = []
    distinct: list[int] = []
    for doc in corpus:
        counts = Counter(add(token, len(vocab)) for token in doc)
        ordered = sorted(counts.items())
        terms.extend(t for t, _ in ordered)
        tf.extend(c for _, c in ordered)
        lengths.append(len(doc))
        distinct.append(len(ordered))
    return (
        np.array(terms, dtype=np.int64),
        np.array(tf, dtype=np.int64),
        np.array(lengths, dtype=np.int64),
        np.array(distinct, dtype=np.int64),
    )


def _check_postings(
    vocabulary: int,
    indptr: npt.NDArray[np.int64],
    docs: npt.NDArray[np.int32],
    tf: npt.NDArray[np.int32],
    doc_len: npt.NDArray[np.int64],
) -> None:
    n = len(doc_len)
    if indptr.ndim != 1 or len(indptr) != vocabulary + 1 or indptr[0] != 0:
        raise ValueError("postings pointer does not match the vocabulary")
    if np.any(np.diff(indptr) < 1):
        raise ValueError("postings pointer is not increasing (a term without documents)")
    if indptr[-1] != len(docs) or len(docs) != len(tf):
        raise ValueError("postings arrays have different lengths")
    if len(docs) and (docs.min() < 0 or docs.max() >= n):
        raise ValueError("a posting points outside the corpus")
    steps = np.diff(docs.astype(np.int64))
    steps[indptr[1:-1] - 1] = 1  # where one term's postings end and the next one's begin
    if np.any(steps < 1):
        raise ValueError("a term's postings are not sorted by document")
    if len(tf) and tf.min() < 1:
        raise ValueError("a term frequency is not positive")
    if doc_len.ndim != 1 or (n and doc_len.min() < 0):
        raise ValueError("document lengths are invalid")
    per_doc = np.bincount(docs, weights=tf, minlength=n) if len(docs) else np.zeros(n)
    if not np.array_equal(per_doc, doc_len.astype(np.float64)):
        raise ValueError("term frequencies do not add up to the document lengths")
