"""BM25 ranking behind a small interface.

The engine scores chunks with Okapi BM25 (k1=1.5, b=0.75, Robertson et al.,
TREC-3) using the Lucene/BM25+ style idf ``log(1 + (N - df + 0.5) / (df + 0.5))``.
That idf is never negative, so it sidesteps rank-bm25's epsilon floor, which
on a single short article makes frequent words such as "North" or "troops"
worth the same tiny constant and can flatten whole queries to near zero
(rank_bm25 issues 29, 39, 43). :class:`index.bm25_reference.ReferenceBM25` is
that variant written as a ``rank_bm25.BM25Okapi`` subclass; it stays the
reference that :class:`SparseBM25` is tested against, in its own module so
that only its users import rank-bm25.
"""

from __future__ import annotations

import math
import threading
from array import array
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

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


_BLOCK_DOCS = 8192  # documents counted per block while building
_WEIGHT_SLICE = 1 << 20  # postings per slice when computing weights (bounds temporaries)


def _lucene_idf_array(
    corpus_size: int, doc_freqs: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """:func:`lucene_idf` for many terms, with ``math.log`` so every value is bit-identical.

    idf depends on the document frequency only, and there are few distinct ones.
    """
    distinct, inverse = np.unique(doc_freqs, return_inverse=True)
    values = np.array([lucene_idf(corpus_size, int(df)) for df in distinct], dtype=np.float64)
    return values[inverse] if len(distinct) else np.zeros(0, dtype=np.float64)


class SparseBM25:
    """The engine's BM25 as precomputed postings: fast, and score for score equal to the reference.

    Every (term, chunk) pair that occurs gets its weight
    ``idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))`` computed once,
    with the same operations as rank-bm25, and stored in term-major arrays
    (``indptr`` into ``docs``/``weights``: CSR with a row per term). A query
    reads only its own terms' postings and adds them up per chunk in query
    order, which is rank-bm25's summation, so scores are bit-identical rather
    than merely close. Top-k is a partial sort over the touched chunks only,
    with rank-bm25's tie order (lower position first).

    Common words would make a query touch most of the corpus. For a query
    with many postings, :meth:`_top_k_pruned` skips the postings of words that
    provably cannot lift a chunk into the top k on their own (MaxScore) and
    looks them up only for the chunks the other words name; when nothing can
    be skipped every posting is read. Either way the answer is exactly the
    full computation's.
    """

    prune_min_postings = 16_384  # below this many postings a query is simply read in full

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
        blocks, doc_len = _count(corpus, vocab)
        indptr, docs, term_tf = _term_major(blocks, len(vocab))
        del blocks
        self._init(vocab, indptr, docs, term_tf, doc_len, k1, b, tokenizer_settings)

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
        vocab: dict[str, int] = {}
        for lo in range(0, len(terms), _BLOCK_DOCS):  # in steps, so other threads get turns
            part = terms[lo : lo + _BLOCK_DOCS]
            vocab.update(zip(part, range(lo, lo + len(part)), strict=True))
        if len(vocab) != len(terms):
            raise ValueError("the vocabulary has repeated terms")
        _check_postings(len(vocab), ptr, posting_docs, freqs, lengths)
        index = cls.__new__(cls)
        index._init(vocab, ptr, posting_docs, freqs, lengths, k1, b, tokenizer_settings)
        return index

    def _init(
        self,
        vocab: dict[str, int],
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
        if not (k1 >= 0 and 0 <= b <= 1):  # also keeps every weight positive
            raise ValueError(f"BM25 needs k1 >= 0 and 0 <= b <= 1, not k1={k1}, b={b}")
        self.k1, self.b = k1, b
        # what made the tokens, so a later rebuild only reuses counts made the same way
        self.tokenizer_settings = tokenizer_settings
        self._term_ids = vocab
        self._indptr, self._docs, self._tf, self._doc_len = indptr, docs, tf, doc_len
        n = len(doc_len)
        df = np.diff(indptr)
        self._df = df
        self._idf = _lucene_idf_array(n, df)
        self._unseen_idf = lucene_idf(n, 0)
        self._weights = _weights(self._idf, df, docs, tf, doc_len, k1, b)
        self._max_weight = (
            np.maximum.reduceat(self._weights, indptr[:-1]) if len(df) else np.zeros(0)
        )
        for arr in (indptr, docs, tf, doc_len, df, self._idf, self._weights, self._max_weight):
            arr.flags.writeable = False
        self._spare: list[npt.NDArray[np.float64]] = []
        self._spare_lock = threading.Lock()

    # -- the RetrievalIndex interface --------------------------------------------------------

    @property
    def size(self) -> int:
        return len(self._doc_len)

    def scores(self, query: Sequence[str]) -> npt.NDArray[np.float64]:
        result = np.zeros(self.size, dtype=np.float64)
        for term in self._query_terms(query):
            lo, hi = self._indptr[term], self._indptr[term + 1]
            result[self._docs[lo:hi]] += self._weights[lo:hi]  # a term's docs are distinct
        return result

    def top_k(
        self, query: Sequence[str], k: int, allowed: npt.NDArray[np.bool_] | None = None
    ) -> list[tuple[int, float]]:
        if k <= 0:
            return []
        terms = self._query_terms(query)
        if not terms:
            return []
        mask = None if allowed is None else np.asarray(allowed, dtype=bool)
        if int(self._df[terms].sum()) >= self.prune_min_postings:
            pruned = self._top_k_pruned(terms, k, mask)
            if pruned is not None:
                return pruned
        docs, scores = self._accumulate(terms, set(terms))
        return _best(docs, scores, k, mask)

    def idf(self, term: str) -> float:
        term_id = self._term_ids.get(term)
        return self._unseen_idf if term_id is None else float(self._idf[term_id])

    # -- more about the index ----------------------------------------------------------------

    @property
    def terms(self) -> list[str]:
        return list(self._term_ids)

    @property
    def vocabulary_size(self) -> int:
        return len(self._term_ids)

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
        row_ptr, row_terms, row_tf = self._doc_major()
        blocks: list[_Block] = []
        lengths: list[npt.NDArray[np.int64]] = [np.zeros(0, np.int64)]
        for step in plan:
            if isinstance(step, tuple) and len(step) == 2 and isinstance(step[0], int):
                start, stop = step
                if not 0 <= start <= stop <= self.size:
                    raise ValueError(f"document range {start}:{stop} outside 0:{self.size}")
                for first in range(start, stop, _BLOCK_DOCS):
                    last = min(first + _BLOCK_DOCS, stop)
                    lo, hi = int(row_ptr[first]), int(row_ptr[last])
                    blocks.append(
                        (row_terms[lo:hi], row_tf[lo:hi], np.diff(row_ptr[first : last + 1]))
                    )
                lengths.append(self._doc_len[start:stop])
            elif step:
                new_blocks, new_lengths = _count(step, vocab)
                blocks.extend(new_blocks)
                lengths.append(new_lengths)
        del row_ptr, row_terms, row_tf
        indptr, docs, tf = _term_major(blocks, len(vocab))
        del blocks
        df = np.diff(indptr)
        if not (df > 0).all():  # terms that only the dropped documents had
            keep = np.flatnonzero(df > 0)
            words = list(vocab)
            vocab = {words[i]: n for n, i in enumerate(keep.tolist())}
            indptr = np.concatenate(([0], np.cumsum(df[keep])))
        index = SparseBM25.__new__(SparseBM25)
        index._init(
            vocab,
            indptr,
            docs,
            tf,
            np.concatenate(lengths),
            self.k1,
            self.b,
            self.tokenizer_settings,
        )
        return index

    # -- internals ---------------------------------------------------------------------------

    def _query_terms(self, query: Sequence[str]) -> list[int]:
        """Term ids in query order; repeated tokens count again and unknown ones add 0, as in rank-bm25."""
        ids = self._term_ids
        return [ids[token] for token in query if token in ids]

    def _doc_major(
        self,
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.int32]]:
        """The postings by document: (row pointer, term ids, tf), terms ascending per document.

        The counting sort of :func:`_term_major` the other way round, a slice of
        terms at a time, so no corpus-sized permutation is made.
        """
        row_ptr = np.zeros(self.size + 1, dtype=np.int64)
        np.cumsum(np.bincount(self._docs, minlength=self.size), out=row_ptr[1:])
        cursor = row_ptr[:-1].copy()
        terms = np.empty(self.postings, dtype=np.int32)
        tf = np.empty(self.postings, dtype=np.int32)
        first = 0
        while first < len(self._df):  # whole terms, about _WEIGHT_SLICE postings at a time
            last = int(np.searchsorted(self._indptr, self._indptr[first] + _WEIGHT_SLICE))
            last = min(max(last, first + 1), len(self._df))
            lo, hi = int(self._indptr[first]), int(self._indptr[last])
            docs = self._docs[lo:hi]
            order = np.argsort(docs, kind="stable")  # stable: terms stay ascending per document
            ordered = docs[order]
            starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
            runs = np.diff(np.append(starts, len(ordered)))
            places = cursor[ordered] + (np.arange(len(ordered)) - np.repeat(starts, runs))
            term_ids = np.repeat(np.arange(first, last, dtype=np.int32), self._df[first:last])
            terms[places] = term_ids[order]
            tf[places] = self._tf[lo:hi][order]
            cursor[ordered[starts]] += runs
            first = last
        return row_ptr, terms, tf

    def _accumulate(
        self, terms: list[int], full: set[int], candidates: npt.NDArray[np.int32] | None = None
    ) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float64]]:
        """Chunks and their scores, each summed over the query terms in query order.

        Without ``candidates``, every term adds its whole posting list and the
        touched chunks are returned. With them, terms in ``full`` add their whole
        lists (which must only name candidates) and the others are looked up for
        the candidates alone. Sums go into a scratch vector that is cleared again
        at the touched positions only, so a query costs time in its postings, not
        in the corpus size; concurrent queries each take their own vector from a
        small pool (as many as ever ran at once). Every weight is positive, so a
        chunk is touched for the first time exactly when its running sum is 0.
        """
        with self._spare_lock:
            sums = self._spare.pop() if self._spare else None
        if sums is None:
            sums = np.zeros(self.size, dtype=np.float64)
        fresh: list[npt.NDArray[np.int32]] = []
        try:
            for term in terms:
                lo, hi = self._indptr[term], self._indptr[term + 1]
                docs, weights = self._docs[lo:hi], self._weights[lo:hi]
                if term in full:
                    before = sums[docs]  # a term's docs are distinct: a plain scatter-add
                    if candidates is None:
                        fresh.append(docs[before == 0.0])
                    sums[docs] = before + weights
                elif candidates is not None and len(candidates):
                    at = np.minimum(np.searchsorted(docs, candidates), len(docs) - 1)
                    hit = docs[at] == candidates
                    sums[candidates[hit]] += weights[at[hit]]
            if candidates is None:
                touched = np.concatenate(fresh) if fresh else np.zeros(0, dtype=np.int32)
            else:
                touched = candidates
            return touched, sums[touched]  # fancy indexing copies
        finally:
            for new in fresh:
                sums[new] = 0.0
            if candidates is not None:
                sums[candidates] = 0.0
            with self._spare_lock:
                self._spare.append(sums)

    def _top_k_pruned(
        self, terms: list[int], k: int, allowed: npt.NDArray[np.bool_] | None
    ) -> list[tuple[int, float]] | None:
        """Top-k reading in full only the postings that can matter, or None if none can be skipped.

        MaxScore (Turtle and Flood, 1995): the exact scores of the rarest terms'
        chunks (at least k of them) give a floor ``theta`` for the k-th best score. The terms with the
        smallest maximum weights whose maxima add up to less than ``theta`` cannot
        lift a chunk into the top k on their own, so only the other terms'
        postings name candidates, and the skipped terms are looked up for those
        candidates alone. Every candidate's score is the full sum in query order.
        """
        distinct = sorted(set(terms), key=lambda t: int(self._df[t]))
        seeds = np.zeros(0, dtype=np.int32)
        used = 0  # the rarest terms whose chunks serve as seeds; they are never skipped
        while used < len(distinct) - 1 and len(seeds) < k:
            lo, hi = self._indptr[distinct[used]], self._indptr[distinct[used] + 1]
            more = self._docs[lo:hi]
            seeds = np.union1d(seeds, more if allowed is None else more[allowed[more]])
            used += 1
        if len(seeds) < k:
            return None
        theta = float(np.partition(self._scores_for(terms, seeds), len(seeds) - k)[len(seeds) - k])
        skipped: set[int] = set()
        for term in sorted(distinct[used:], key=lambda t: float(self._max_weight[t])):
            trial = skipped | {term}
            bound = 0.0
            for t in terms:  # query order: float addition is monotonic, so this bounds any sum
                if t in trial:
                    bound += float(self._max_weight[t])
            if not bound * (1 + 1e-9) < theta:
                break
            skipped = trial
        if not skipped:
            return None
        essential = set(distinct) - skipped
        candidates, _ = self._accumulate([t for t in terms if t in essential], essential)
        docs, scores = self._accumulate(terms, essential, candidates)
        return _best(docs, scores, k, allowed)

    def _scores_for(self, terms: list[int], docs: npt.NDArray[np.int32]) -> npt.NDArray[np.float64]:
        """Full scores of the given distinct chunks, summed in query order, by lookup."""
        scores = np.zeros(len(docs), dtype=np.float64)
        for term in terms:
            lo, hi = self._indptr[term], self._indptr[term + 1]
            posting_docs = self._docs[lo:hi]
            at = np.minimum(np.searchsorted(posting_docs, docs), len(posting_docs) - 1)
            hit = posting_docs[at] == docs
            scores[hit] += self._weights[lo:hi][at[hit]]
        return scores


def _best(
    docs: npt.NDArray[np.int32],
    scores: npt.NDArray[np.float64],
    k: int,
    allowed: npt.NDArray[np.bool_] | None,
) -> list[tuple[int, float]]:
    """The ``k`` best positive (doc, score) pairs, best first, ties by lower doc."""
    if allowed is not None:
        keep = allowed[docs]
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


# Document-major counts of a run of documents: term ids and tf per distinct (document,
# term), terms ascending within a document, and the number of distinct terms per document.
_Block = tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.int64]]


def _count(
    corpus: Sequence[Sequence[str]], vocab: dict[str, int]
) -> tuple[list[_Block], npt.NDArray[np.int64]]:
    """Blocks of counts for new documents and their lengths; extends ``vocab`` with new terms.

    Counted a block of documents at a time so temporaries stay small at any corpus size.
    """
    add = vocab.setdefault
    blocks: list[_Block] = []
    lengths = np.fromiter((len(doc) for doc in corpus), dtype=np.int64, count=len(corpus))
    # One allocation for all blocks, sized for the worst case (every token distinct): pages
    # never written are never resident, and the whole of it goes back to the system at once.
    all_terms = np.empty(int(lengths.sum()), dtype=np.int32)
    all_tf = np.empty(int(lengths.sum()), dtype=np.int32)
    used = 0
    for start in range(0, len(corpus), _BLOCK_DOCS):
        block = corpus[start : start + _BLOCK_DOCS]
        ids: array[int] = array("i")
        for doc in block:
            ids.extend([add(token, len(vocab)) for token in doc])
        width = max(len(vocab), 1)
        local = np.repeat(
            np.arange(len(block), dtype=np.int64), lengths[start : start + len(block)]
        )
        keys, counts = np.unique(
            local * width + np.frombuffer(ids, dtype=np.int32), return_counts=True
        )
        end = used + len(keys)
        all_terms[used:end] = keys % width
        all_tf[used:end] = counts
        distinct = np.bincount(keys // width, minlength=len(block)).astype(np.int64)
        blocks.append((all_terms[used:end], all_tf[used:end], distinct))
        used = end
    return blocks, lengths


def _term_major(
    blocks: Sequence[_Block], vocabulary: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.int32]]:
    """Blocks of document-major counts to term-major postings (indptr, docs, tf).

    A counting sort: each block's postings go straight to their final places,
    after those of earlier blocks, so documents stay ascending within a term and
    no corpus-sized permutation is ever made.
    """
    df = np.zeros(vocabulary, dtype=np.int64)
    for terms, _, _ in blocks:
        df += np.bincount(terms, minlength=vocabulary)
    indptr = np.zeros(vocabulary + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    cursor = indptr[:-1].copy()
    docs = np.empty(int(indptr[-1]), dtype=np.int32)
    tf = np.empty(int(indptr[-1]), dtype=np.int32)
    first_doc = 0
    for terms, counts, distinct in blocks:
        block_docs = np.repeat(
            np.arange(first_doc, first_doc + len(distinct), dtype=np.int32), distinct
        )
        first_doc += len(distinct)
        if not len(terms):
            continue
        order = np.argsort(terms, kind="stable")
        ordered = terms[order]
        starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
        runs = np.diff(np.append(starts, len(ordered)))
        places = cursor[ordered] + (np.arange(len(ordered)) - np.repeat(starts, runs))
        docs[places] = block_docs[order]
        tf[places] = counts[order]
        cursor[ordered[starts]] += runs
    return indptr, docs, tf


def _weights(
    idf: npt.NDArray[np.float64],
    df: npt.NDArray[np.int64],
    docs: npt.NDArray[np.int32],
    tf: npt.NDArray[np.int32],
    doc_len: npt.NDArray[np.int64],
    k1: float,
    b: float,
) -> npt.NDArray[np.float64]:
    """Per-posting BM25 weights, operation for operation as rank-bm25 computes them:
    ``idf * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * doc_len / avgdl)))``."""
    avgdl = int(doc_len.sum()) / len(doc_len)  # rank-bm25: sum of lengths (an int) / corpus size
    ends = np.cumsum(df)
    starts = ends - df
    out = np.empty(len(docs), dtype=np.float64)
    for lo in range(0, len(docs), _WEIGHT_SLICE):
        hi = min(lo + _WEIGHT_SLICE, len(docs))
        first = int(np.searchsorted(ends, lo, side="right"))  # terms whose postings meet lo:hi
        last = int(np.searchsorted(ends, hi - 1, side="right")) + 1
        spans = np.minimum(ends[first:last], hi) - np.maximum(starts[first:last], lo)
        term_idf = np.repeat(idf[first:last], spans)
        freq = tf[lo:hi].astype(np.float64)
        norm = b * doc_len[docs[lo:hi]] / avgdl
        norm = k1 * (1 - b + norm)
        out[lo:hi] = term_idf * (freq * (k1 + 1) / (freq + norm))
    return out


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
    steps = np.diff(docs)
    steps[indptr[1:-1] - 1] = 1  # where one term's postings end and the next one's begin
    if np.any(steps < 1):
        raise ValueError("a term's postings are not sorted by document")
    del steps
    if len(tf) and tf.min() < 1:
        raise ValueError("a term frequency is not positive")
    if doc_len.ndim != 1 or (n and doc_len.min() < 0):
        raise ValueError("document lengths are invalid")
    per_doc = np.zeros(n, dtype=np.int64)
    for lo in range(0, len(docs), _WEIGHT_SLICE):
        hi = lo + _WEIGHT_SLICE
        per_doc += np.bincount(docs[lo:hi], weights=tf[lo:hi], minlength=n).astype(np.int64)
    if not np.array_equal(per_doc, doc_len):
        raise ValueError("term frequencies do not add up to the document lengths")
