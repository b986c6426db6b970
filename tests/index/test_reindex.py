"""Incremental reindex: only added or changed articles are tokenised again; a failed one changes
nothing, a malformed article is skipped by name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.bm25 import SparseBM25
from index.bm25_reference import ReferenceBM25
from index.corpus import NoArticlesError
from index.engine import Engine
from index.loader import load_folder
from index.saved.building import build_corpus
from index.saved.manifest import read_manifest
from index.tokenize import Tokenizer

HARBOUR = "Harbour news\n\nThe harbour reopened on Monday after the storm. Ferries run again.\n"
MARKET = "Market news\n\nThe fish market moved to the old station. Prices rose by ten percent.\n"


@pytest.fixture
def folder(seeds_copy: Path) -> Path:
    (seeds_copy / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (seeds_copy / "market.txt").write_text(MARKET, encoding="utf-8")
    return seeds_copy


@pytest.fixture
def tokenised(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the tokeniser is asked for, in order."""
    seen: list[str] = []
    original = Tokenizer.tokens

    def counting(self: Tokenizer, text: str) -> list[str]:
        seen.append(text)
        return original(self, text)

    monkeypatch.setattr(Tokenizer, "tokens", counting)
    return seen


def test_unchanged_article_is_not_retokenised_on_reindex(
    folder: Path, tmp_path: Path, tokenised: list[str]
) -> None:
    first = Engine(build_corpus(folder, index_dir=tmp_path / "index").corpus).corpus  # served
    tokenised.clear()
    (folder / "market.txt").write_text(MARKET.replace("ten", "twelve"), encoding="utf-8")
    report = build_corpus(folder, previous=first, index_dir=tmp_path / "index")
    assert not any("harbour" in text or "Kim" in text for text in tokenised)
    assert report.retokenised == (report.corpus.articles[-1].id,) and report.reused == 2


def test_changed_article_is_retokenised_on_reindex(
    folder: Path, tmp_path: Path, tokenised: list[str]
) -> None:
    first = build_corpus(folder, index_dir=tmp_path / "index").corpus
    tokenised.clear()
    (folder / "market.txt").write_text(MARKET.replace("ten", "twelve"), encoding="utf-8")
    report = build_corpus(folder, previous=first, index_dir=tmp_path / "index")
    assert any("twelve percent" in text for text in tokenised)
    assert report.changed == ("Market news",)


def test_reindex_report_lists_added_changed_and_removed(folder: Path, tmp_path: Path) -> None:
    first = build_corpus(folder, index_dir=tmp_path / "index").corpus
    (folder / "harbour.txt").unlink()
    (folder / "market.txt").write_text(MARKET.replace("ten", "twelve"), encoding="utf-8")
    (folder / "rail.txt").write_text("Rail news\n\nA new line opens in May.\n", encoding="utf-8")
    report = build_corpus(folder, previous=first, index_dir=tmp_path / "index")
    assert (report.added, report.changed, report.removed) == (
        ("Rail news",),
        ("Market news",),
        ("Harbour news",),
    )
    assert report.unchanged == 1 and report.chunks == len(report.corpus.chunks)


def test_incremental_reindex_scores_equal_a_full_reference_build(
    folder: Path, tmp_path: Path
) -> None:
    first = build_corpus(folder, index_dir=tmp_path / "index").corpus
    (folder / "harbour.txt").unlink()
    (folder / "rail.txt").write_text("Rail news\n\nThe harbour line opens.\n", encoding="utf-8")
    corpus = build_corpus(folder, previous=first, index_dir=tmp_path / "index").corpus
    tokenizer = Tokenizer()
    reference = ReferenceBM25([tokenizer.tokens(c.text) for c in corpus.chunks])
    for query in (["harbour"], ["north", "korean", "troop"], ["price", "rose", "line"]):
        assert np.array_equal(corpus.index.scores(query), reference.scores(query))


def test_restart_reuses_stored_index_when_seeds_are_unchanged(
    folder: Path, tmp_path: Path, tokenised: list[str]
) -> None:
    build_corpus(folder, index_dir=tmp_path / "index")
    tokenised.clear()
    report = build_corpus(folder, index_dir=tmp_path / "index")  # a restart: no previous corpus
    Engine(report.corpus)  # what a start does next: the paragraph index is there already
    assert tokenised == [] and report.reused == 3 and report.retokenised == ()
    assert report.loaded and not report.saved
    assert report.corpus.cached_paragraph_index(Tokenizer().settings) is not None


def test_incremental_reindex_paragraph_scores_equal_a_fresh_build(
    folder: Path, tmp_path: Path
) -> None:
    tokenizer = Tokenizer()
    first = build_corpus(folder, index_dir=tmp_path / "index").corpus
    (folder / "harbour.txt").unlink()
    (folder / "rail.txt").write_text("Rail news\n\nThe harbour line opens.\n", encoding="utf-8")
    corpus = build_corpus(folder, previous=first, index_dir=tmp_path / "index").corpus
    articles = load_folder(folder).articles
    fresh = SparseBM25([tokenizer.tokens(p.text) for a in articles for p in a.paragraphs])
    restarted = build_corpus(folder, index_dir=tmp_path / "index").corpus  # loaded from the store
    for reused in (corpus.paragraph_index(tokenizer), restarted.paragraph_index(tokenizer)):
        assert reused.keys == tuple((a.id, p.number) for a in articles for p in a.paragraphs)
        for query in (["harbour"], ["north", "korean", "troop"], ["price", "rose", "line"]):
            assert np.array_equal(reused.index.scores(query), fresh.scores(query))


def test_reindex_builds_the_paragraph_index_before_the_swap(
    folder: Path, tmp_path: Path, tokenised: list[str]
) -> None:
    first = build_corpus(folder, index_dir=tmp_path / "index").corpus
    (folder / "market.txt").write_text(MARKET.replace("ten", "twelve"), encoding="utf-8")
    corpus = build_corpus(folder, previous=first, index_dir=tmp_path / "index").corpus
    tokenised.clear()
    corpus.paragraph_index(Tokenizer())  # what the first question after the swap asks for
    assert tokenised == []


def test_a_malformed_article_is_skipped_and_named(folder: Path, tmp_path: Path) -> None:
    first = build_corpus(folder, index_dir=tmp_path / "index").corpus
    (folder / "broken.txt").write_bytes(b"Broken\n\n\xff\xfe not UTF-8 \xc3\x28\n")
    report = build_corpus(folder, previous=first, index_dir=tmp_path / "index")
    assert [p.path for p in report.problems] == ["broken.txt"]
    assert report.added == () and report.unchanged == len(first.articles)


def test_a_failed_reindex_leaves_the_served_corpus_and_the_saved_index(
    folder: Path, tmp_path: Path
) -> None:
    first = Engine(build_corpus(folder, index_dir=tmp_path / "index").corpus).corpus
    saved = read_manifest(tmp_path / "index")
    for article in folder.glob("*.txt"):
        article.write_bytes(b"\xff\xfe")  # every file malformed: nothing left to serve
    with pytest.raises(NoArticlesError, match=r"harbour\.txt"):
        build_corpus(folder, previous=first, index_dir=tmp_path / "index")
    assert read_manifest(tmp_path / "index") == saved
    assert {a.title for a in first.articles} >= {"Harbour news", "Market news"}
