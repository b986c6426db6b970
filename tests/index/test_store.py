"""The persisted index: round trip, damage detection, atomic writes, no pickle."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pytest

from index.bm25 import SparseBM25
from index.store import (
    FORMAT_VERSION,
    MANIFEST_NAME,
    IndexStoreError,
    open_corpus,
    read_index,
    read_manifest,
)
from index.tokenize import Tokenizer

QUERY = ["north", "korean", "troop", "deploy"]


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


class CountingTokenizer(Tokenizer):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def tokens(self, text: str) -> list[str]:
        self.calls += 1
        return super().tokens(text)


def stored_file(index_dir: Path) -> Path:
    return index_dir / read_manifest(index_dir).index_file


def test_persisted_index_round_trip(seeds_copy: Path, index_dir: Path) -> None:
    built = open_corpus(seeds_copy, index_dir=index_dir).corpus.index
    loaded, manifest = read_index(index_dir)
    assert isinstance(built, SparseBM25)
    assert loaded.terms == built.terms
    for name, array in built.arrays().items():
        assert np.array_equal(loaded.arrays()[name], array), name
    assert np.array_equal(loaded.scores(QUERY), built.scores(QUERY))
    assert manifest.chunks == built.size and manifest.format_version == FORMAT_VERSION


def test_second_start_loads_stored_index_without_tokenising(
    seeds_copy: Path, index_dir: Path
) -> None:
    open_corpus(seeds_copy, index_dir=index_dir)
    tokenizer = CountingTokenizer()
    report = open_corpus(seeds_copy, index_dir=index_dir, tokenizer=tokenizer)
    assert report.loaded and not report.saved and report.problem == ""
    assert tokenizer.calls == 0


def test_corrupt_index_file_is_detected_and_rebuilt(seeds_copy: Path, index_dir: Path) -> None:
    expected = open_corpus(seeds_copy, index_dir=index_dir).corpus.index.scores(QUERY)
    path = stored_file(index_dir)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(b ^ 0xFF for b in data[middle : middle + 16])
    path.write_bytes(bytes(data))
    with pytest.raises(IndexStoreError, match=r"corrupt|inconsistent|damaged"):
        read_index(index_dir)
    report = open_corpus(seeds_copy, index_dir=index_dir)
    assert (
        "corrupt" in report.problem
        or "inconsistent" in report.problem
        or "damaged" in report.problem
    )
    assert report.saved and not report.loaded
    assert np.array_equal(report.corpus.index.scores(QUERY), expected)
    read_index(index_dir)  # the rebuilt index is readable again


def test_truncated_index_file_is_detected_and_rebuilt(seeds_copy: Path, index_dir: Path) -> None:
    open_corpus(seeds_copy, index_dir=index_dir)
    path = stored_file(index_dir)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    with pytest.raises(IndexStoreError, match="truncated"):
        read_index(index_dir)
    report = open_corpus(seeds_copy, index_dir=index_dir)
    assert "truncated" in report.problem and report.saved
    read_index(index_dir)


def test_truncated_manifest_is_detected_and_rebuilt(seeds_copy: Path, index_dir: Path) -> None:
    open_corpus(seeds_copy, index_dir=index_dir)
    manifest = index_dir / MANIFEST_NAME
    manifest.write_bytes(manifest.read_bytes()[:100])
    report = open_corpus(seeds_copy, index_dir=index_dir)
    assert "not valid JSON" in report.problem and report.saved


def test_manifest_of_another_version_is_detected_and_rebuilt(
    seeds_copy: Path, index_dir: Path
) -> None:
    open_corpus(seeds_copy, index_dir=index_dir)
    manifest = index_dir / MANIFEST_NAME
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["format_version"] = FORMAT_VERSION + 1
    manifest.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(IndexStoreError, match="format version"):
        read_index(index_dir)
    report = open_corpus(seeds_copy, index_dir=index_dir)
    assert "format version" in report.problem and report.saved
    assert read_manifest(index_dir).format_version == FORMAT_VERSION


def test_foreign_manifest_is_detected(seeds_copy: Path, index_dir: Path) -> None:
    index_dir.mkdir()
    (index_dir / MANIFEST_NAME).write_text('{"name": "something else"}', encoding="utf-8")
    with pytest.raises(IndexStoreError, match="not an articlebot index"):
        read_index(index_dir)
    assert open_corpus(seeds_copy, index_dir=index_dir).saved


def test_changed_tokenizer_settings_do_not_reuse_stored_tokens(
    seeds_copy: Path, index_dir: Path
) -> None:
    open_corpus(seeds_copy, index_dir=index_dir)
    from index.tokenize import TokenizerSettings

    other = Tokenizer(TokenizerSettings(stem=False))
    report = open_corpus(seeds_copy, index_dir=index_dir, tokenizer=other)
    assert not report.loaded and report.retokenised and report.saved
    assert "tokeniser" in report.problem


def test_store_never_pickles(
    seeds_copy: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pickle used")

    for name in ("dump", "dumps", "load", "loads"):
        monkeypatch.setattr(pickle, name, refuse)
    open_corpus(seeds_copy, index_dir=index_dir)
    read_index(index_dir)
    with np.load(stored_file(index_dir), allow_pickle=False) as data:
        assert all(data[name].dtype != object for name in data.files)


def test_crash_while_writing_leaves_old_index_usable(
    seeds_copy: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_corpus(seeds_copy, index_dir=index_dir)
    before = read_manifest(index_dir)
    (seeds_copy / "extra.txt").write_text(
        "An extra article\n\nThe harbour reopened on Monday after the storm.\n", encoding="utf-8"
    )

    def crash(file: object, *args: object, **kwargs: object) -> None:
        assert hasattr(file, "write")
        file.write(b"PK\x03\x04 partial")  # type: ignore[attr-defined]
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", crash)
    report = open_corpus(seeds_copy, index_dir=index_dir)
    assert not report.saved and len(report.corpus.articles) == 2  # served from memory
    assert read_manifest(index_dir) == before
    read_index(index_dir)
    assert not list(index_dir.glob(".*.tmp"))


def test_unwritable_index_dir_still_serves(seeds_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    report = open_corpus(seeds_copy, index_dir=blocker / "index")
    assert not report.saved and report.corpus.chunks


def test_collector_is_paused_during_a_build_and_enabled_again_after(
    seeds_copy: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import index.store as store

    seen: list[bool] = []
    real = store.chunk_article

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "chunk_article", spy)
    open_corpus(seeds_copy, index_dir=index_dir)
    assert seen == [False] and gc.isenabled()
    with pytest.raises(FileNotFoundError):
        open_corpus(seeds_copy / "missing", index_dir=index_dir)
    assert gc.isenabled()


def test_a_build_does_not_freeze_garbage_for_good(seeds_copy: Path, index_dir: Path) -> None:
    """Cyclic garbage waiting for a collection when a build starts is freed, not frozen.

    A bot rebuilding its index always has some (discord.py's views are cycles);
    frozen, it would stay in memory for the life of the process.
    """
    import gc
    import weakref

    class Node:
        pass

    gc.disable()  # no automatic collection may free the cycle before the build does
    try:
        node = Node()
        node.self = node  # type: ignore[attr-defined]
        alive = weakref.ref(node)
        del node
    finally:
        gc.enable()
    open_corpus(seeds_copy, index_dir=index_dir)
    gc.collect()
    assert alive() is None
    assert gc.isenabled()


def test_load_corpus_keeps_its_index_in_data_beside_the_seeds(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index.engine import load_corpus

    monkeypatch.delenv("ARTICLEBOT_INDEX_DIR", raising=False)
    corpus = load_corpus(seeds_copy)
    assert isinstance(corpus.index, SparseBM25)
    assert (seeds_copy.parent / "data" / "index" / MANIFEST_NAME).is_file()


def test_index_dir_can_be_set_in_the_environment(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARTICLEBOT_INDEX_DIR", str(tmp_path / "elsewhere"))
    report = open_corpus(seeds_copy)
    assert report.index_dir == tmp_path / "elsewhere"
    assert (tmp_path / "elsewhere" / MANIFEST_NAME).is_file()


def test_tokenizer_fingerprint_is_the_same_in_another_process() -> None:
    """A restart must recognise its own index: nothing process-specific in the fingerprint."""
    import subprocess
    import sys

    from index.store import tokenizer_fingerprint
    from index.tokenize import TokenizerSettings

    code = (
        "import json; from index.store import tokenizer_fingerprint; "
        "from index.tokenize import TokenizerSettings; "
        "print(json.dumps(tokenizer_fingerprint(TokenizerSettings())))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(other) == tokenizer_fingerprint(TokenizerSettings())
