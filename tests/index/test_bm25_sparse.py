"""The sparse BM25 index against the rank-bm25 reference it must equal."""

from __future__ import annotations

import json

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.bm25 import SparseBM25
from index.bm25_reference import ReferenceBM25
from index.chunking import chunk_article
from index.loader import load_file
from index.tokenize import default_tokenizer
from tests.conftest import DATA, SEED_FILE

WORDS = [f"w{i}" for i in range(12)]
COMMON = "common"  # put in most documents, so its document frequency passes N / 2

docs_strategy = (
    st.lists(
        st.tuples(st.booleans(), st.booleans(), st.lists(st.sampled_from(WORDS), max_size=14)),
        min_size=1,
        max_size=30,
    )
    .map(
        lambda rows: [
            ([COMMON] if common else []) + words + ([COMMON] if twice else [])
            for common, twice, words in rows
        ]
    )
    .filter(any)
)  # rank-bm25 divides by a zero average length when every document is empty
query_strategy = st.lists(st.sampled_from([*WORDS, COMMON, "unseen"]), min_size=1, max_size=6)


def max_relative_diff(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> float:
    scale = np.maximum(np.abs(a), np.abs(b))
    diff = np.abs(a - b)
    return float(np.max(np.where(scale > 0, diff / np.where(scale > 0, scale, 1.0), 0.0)))


@settings(max_examples=150, deadline=None)
@given(docs_strategy, st.lists(query_strategy, min_size=1, max_size=5))
def test_sparse_scores_equal_reference_on_random_corpora(
    docs: list[list[str]], queries: list[list[str]]
) -> None:
    reference, sparse = ReferenceBM25(docs), SparseBM25(docs)
    for query in queries:
        assert max_relative_diff(reference.scores(query), sparse.scores(query)) <= 1e-9


@settings(max_examples=150, deadline=None)
@given(docs_strategy, query_strategy, st.integers(1, 10))
def test_sparse_top_k_ranking_equals_reference_on_random_corpora(
    docs: list[list[str]], query: list[str], k: int
) -> None:
    reference, sparse = ReferenceBM25(docs), SparseBM25(docs)
    expected, got = reference.top_k(query, k), sparse.top_k(query, k)
    assert [doc for doc, _ in got] == [doc for doc, _ in expected]
    assert np.allclose([s for _, s in got], [s for _, s in expected], rtol=1e-9, atol=0)


@settings(max_examples=100, deadline=None)
@given(docs_strategy, query_strategy, st.integers(1, 10), st.data())
def test_sparse_top_k_with_allowed_mask_equals_reference(
    docs: list[list[str]], query: list[str], k: int, data: st.DataObject
) -> None:
    mask = data.draw(st.lists(st.booleans(), min_size=len(docs), max_size=len(docs)))
    allowed = np.array(mask, dtype=bool)
    reference, sparse = ReferenceBM25(docs), SparseBM25(docs)
    assert sparse.top_k(query, k, allowed=allowed) == reference.top_k(query, k, allowed=allowed)


def test_word_in_more_than_half_of_chunks_scores_like_reference() -> None:
    docs = [["north", "korea", "troops"], ["north", "drones"], ["north", "troops"], ["russia"]]
    reference, sparse = ReferenceBM25(docs), SparseBM25(docs)
    for query in (["north"], ["north", "troops"], ["north", "north", "russia"]):
        assert np.array_equal(sparse.scores(query), reference.scores(query))
        assert sparse.top_k(query, 4) == reference.top_k(query, 4)
    assert sparse.idf("north") == reference.idf("north") > 0


def test_idf_of_unseen_term_equals_reference() -> None:
    docs = [["a", "b"], ["b", "c"]]
    assert SparseBM25(docs).idf("zzz") == ReferenceBM25(docs).idf("zzz")


def test_sparse_equals_reference_on_seed_article_and_dev_questions() -> None:
    tokenizer = default_tokenizer()
    chunks = chunk_article(load_file(SEED_FILE))
    docs = [tokenizer.tokens(c.text) for c in chunks]
    reference, sparse = ReferenceBM25(docs), SparseBM25(docs)
    lines = (DATA / "article_qa_dev.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()]
    questions = questions or ["How many troops were sent?"]
    for question in questions:
        query = tokenizer.tokens(question)
        assert np.array_equal(sparse.scores(query), reference.scores(query)), question
        assert sparse.top_k(query, 8) == reference.top_k(query, 8), question


def test_rebuilt_with_kept_ranges_equals_fresh_build() -> None:
    docs = [["a", "b"], ["b", "c", "c"], ["d"], ["a", "e"], ["f", "a"]]
    first = SparseBM25(docs)
    rebuilt = first.rebuilt([(0, 2), [["g", "a"]], (4, 5)])
    fresh = SparseBM25([docs[0], docs[1], ["g", "a"], docs[4]])
    for query in (["a"], ["c", "g"], ["d", "e"], ["f", "b", "a"]):
        assert np.array_equal(rebuilt.scores(query), fresh.scores(query))
    assert sorted(rebuilt.terms) == sorted(fresh.terms)  # "d" and "e" left with their documents


def test_from_postings_rejects_inconsistent_arrays() -> None:
    index = SparseBM25([["a", "b"], ["b"]])
    arrays = index.arrays()
    bad_docs = arrays["docs"].copy()
    bad_docs[0] = 7
    with pytest.raises(ValueError, match="outside the corpus"):
        SparseBM25.from_postings(
            index.terms, arrays["indptr"], bad_docs, arrays["tf"], arrays["doc_len"]
        )


def test_empty_corpus_is_rejected() -> None:
    with pytest.raises(ValueError, match="empty corpus"):
        SparseBM25([])


@settings(max_examples=150, deadline=None)
@given(docs_strategy, query_strategy, st.integers(1, 10), st.data())
def test_pruned_top_k_for_queries_with_common_words_equals_reference(
    docs: list[list[str]], query: list[str], k: int, data: st.DataObject
) -> None:
    sparse = SparseBM25(docs)
    sparse.prune_min_postings = 0  # take the common-word shortcut whenever it is safe
    mask = data.draw(st.none() | st.lists(st.booleans(), min_size=len(docs), max_size=len(docs)))
    allowed = None if mask is None else np.array(mask, dtype=bool)
    expected = ReferenceBM25(docs).top_k([*query, COMMON], k, allowed=allowed)
    assert sparse.top_k([*query, COMMON], k, allowed=allowed) == expected


def test_common_word_postings_are_skipped_when_the_bound_allows() -> None:
    docs = [["common", "x"] for _ in range(50)] + [["common", "rare", "rare"], ["rare", "y"]]
    sparse = SparseBM25(docs)
    sparse.prune_min_postings = 0
    result = sparse._top_k_pruned(sparse._query_terms(["rare", "common"]), 1, None)
    assert result == ReferenceBM25(docs).top_k(["rare", "common"], 1)


def test_queries_from_many_threads_match_sequential_results() -> None:
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(3)
    docs = [[f"w{i}" for i in rng.integers(0, 40, size=12)] for _ in range(300)]
    queries = [[f"w{i}" for i in rng.integers(0, 40, size=4)] for _ in range(200)]
    sparse = SparseBM25(docs)
    expected = [sparse.top_k(q, 5) for q in queries]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(lambda q: sparse.top_k(q, 5), queries)) == expected
