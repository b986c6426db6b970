"""The persisted index: round trip, damage detection, atomic writes, no pickle."""

from __future__ import annotations

import json
import pickle
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.bm25 import SparseBM25
from index.corpus import Corpus, ParagraphIndex, paragraph_keys
from index.engine import Engine
from index.loader import load_folder
from index.saved.building import build_corpus
from index.saved.manifest import FORMAT_VERSION, MANIFEST_NAME, IndexStoreError, read_manifest
from index.saved.store import read_index, read_stored
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
    built = build_corpus(seeds_copy, index_dir=index_dir).corpus.index
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
    build_corpus(seeds_copy, index_dir=index_dir)
    tokenizer = CountingTokenizer()
    report = build_corpus(seeds_copy, index_dir=index_dir, tokenizer=tokenizer)
    assert report.loaded and not report.saved and report.index_problem == ""
    assert tokenizer.calls == 0


def test_corrupt_index_file_is_detected_and_rebuilt(seeds_copy: Path, index_dir: Path) -> None:
    expected = build_corpus(seeds_copy, index_dir=index_dir).corpus.index.scores(QUERY)
    path = stored_file(index_dir)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(b ^ 0xFF for b in data[middle : middle + 16])
    path.write_bytes(bytes(data))
    with pytest.raises(IndexStoreError, match=r"corrupt|inconsistent|damaged"):
        read_index(index_dir)
    report = build_corpus(seeds_copy, index_dir=index_dir)
    assert (
        "corrupt" in report.index_problem
        or "inconsistent" in report.index_problem
        or "damaged" in report.index_problem
    )
    assert report.saved and not report.loaded
    assert np.array_equal(report.corpus.index.scores(QUERY), expected)
    read_index(index_dir)  # the rebuilt index is readable again


def test_truncated_index_file_is_detected_and_rebuilt(seeds_copy: Path, index_dir: Path) -> None:
    build_corpus(seeds_copy, index_dir=index_dir)
    path = stored_file(index_dir)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])
    with pytest.raises(IndexStoreError, match="truncated"):
        read_index(index_dir)
    report = build_corpus(seeds_copy, index_dir=index_dir)
    assert "truncated" in report.index_problem and report.saved
    read_index(index_dir)


def test_truncated_manifest_is_detected_and_rebuilt(seeds_copy: Path, index_dir: Path) -> None:
    build_corpus(seeds_copy, index_dir=index_dir)
    manifest = index_dir / MANIFEST_NAME
    manifest.write_bytes(manifest.read_bytes()[:100])
    report = build_corpus(seeds_copy, index_dir=index_dir)
    assert "not valid JSON" in report.index_problem and report.saved


def test_manifest_of_another_version_is_detected_and_rebuilt(
    seeds_copy: Path, index_dir: Path
) -> None:
    build_corpus(seeds_copy, index_dir=index_dir)
    manifest = index_dir / MANIFEST_NAME
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["format_version"] = FORMAT_VERSION + 1
    manifest.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(IndexStoreError, match="format version"):
        read_index(index_dir)
    report = build_corpus(seeds_copy, index_dir=index_dir)
    assert "format version" in report.index_problem and report.saved
    assert read_manifest(index_dir).format_version == FORMAT_VERSION


def test_foreign_manifest_is_detected(seeds_copy: Path, index_dir: Path) -> None:
    index_dir.mkdir()
    (index_dir / MANIFEST_NAME).write_text('{"name": "something else"}', encoding="utf-8")
    with pytest.raises(IndexStoreError, match="not an articlebot index"):
        read_index(index_dir)
    assert build_corpus(seeds_copy, index_dir=index_dir).saved


def test_changed_tokenizer_settings_do_not_reuse_stored_tokens(
    seeds_copy: Path, index_dir: Path
) -> None:
    build_corpus(seeds_copy, index_dir=index_dir)
    from index.tokenize import TokenizerSettings

    other = Tokenizer(TokenizerSettings(stem=False))
    report = build_corpus(seeds_copy, index_dir=index_dir, tokenizer=other)
    assert not report.loaded and report.retokenised and report.saved
    assert "tokeniser" in report.index_problem


def test_store_never_pickles(
    seeds_copy: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pickle used")

    for name in ("dump", "dumps", "load", "loads"):
        monkeypatch.setattr(pickle, name, refuse)
    build_corpus(seeds_copy, index_dir=index_dir)
    read_index(index_dir)
    with np.load(stored_file(index_dir), allow_pickle=False) as data:
        assert all(data[name].dtype != object for name in data.files)


def test_crash_while_writing_leaves_old_index_usable(
    seeds_copy: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_corpus(seeds_copy, index_dir=index_dir)
    before = read_manifest(index_dir)
    (seeds_copy / "extra.txt").write_text(
        "An extra article\n\nThe harbour reopened on Monday after the storm.\n", encoding="utf-8"
    )

    def crash(file: object, *args: object, **kwargs: object) -> None:
        assert hasattr(file, "write")
        file.write(b"PK\x03\x04 partial")  # type: ignore[attr-defined]
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", crash)
    report = build_corpus(seeds_copy, index_dir=index_dir)
    assert not report.saved and len(report.corpus.articles) == 2  # served from memory
    assert read_manifest(index_dir) == before
    read_index(index_dir)
    assert not list(index_dir.glob(".*.tmp"))


def test_unwritable_index_dir_still_serves(seeds_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    report = build_corpus(seeds_copy, index_dir=blocker / "index")
    assert not report.saved and report.corpus.chunks


def test_collector_is_paused_during_a_build_and_enabled_again_after(
    seeds_copy: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import index.saved.building as building

    seen: list[bool] = []
    real = building.chunk_article

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(building, "chunk_article", spy)
    build_corpus(seeds_copy, index_dir=index_dir)
    assert seen == [False] and gc.isenabled()
    with pytest.raises(FileNotFoundError):
        build_corpus(seeds_copy / "missing", index_dir=index_dir)
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
    build_corpus(seeds_copy, index_dir=index_dir)
    gc.collect()
    assert alive() is None
    assert gc.isenabled()


def test_a_build_without_an_index_dir_reads_and_writes_nothing(seeds_copy: Path) -> None:
    """The index folder is always an argument: the library falls back to no folder of its own."""
    report = build_corpus(seeds_copy)
    assert isinstance(report.corpus.index, SparseBM25)
    assert not report.saved and report.manifest is None and not report.loaded
    assert not (seeds_copy.parent / "data").exists()  # nothing written beside someone's folder


def test_tokenizer_fingerprint_is_the_same_in_another_process() -> None:
    """A restart must recognise its own index: nothing process-specific in the fingerprint."""
    import subprocess
    import sys

    from index.saved.manifest import tokenizer_fingerprint
    from index.tokenize import TokenizerSettings

    code = (
        "import json; from index.saved.manifest import tokenizer_fingerprint; "
        "from index.tokenize import TokenizerSettings; "
        "print(json.dumps(tokenizer_fingerprint(TokenizerSettings())))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(other) == tokenizer_fingerprint(TokenizerSettings())


# -- the paragraph index, stored with the chunk index ---------------------------------------

PARAGRAPH_QUERIES = (["harbour"], QUERY, ["price", "rose", "line"], ["kim", "missile"])
HARBOUR = "Harbour news\n\nThe harbour reopened on Monday.\n\nFerries run again after the storm.\n"


def fresh_paragraphs(folder: Path) -> ParagraphIndex:
    """The paragraph index built from scratch, as :meth:`Corpus.paragraph_index` builds it."""
    articles, tokenizer = load_folder(folder).articles, Tokenizer()
    docs = [tokenizer.tokens(p.text) for a in articles for p in a.paragraphs]
    return ParagraphIndex(SparseBM25(docs), paragraph_keys(articles))


def assert_same_paragraph_scores(corpus: Corpus, folder: Path) -> None:
    held = corpus.cached_paragraph_index(Tokenizer().settings)
    assert held is not None, "the store did not hand over the paragraph index"
    fresh = fresh_paragraphs(folder)
    assert held.keys == fresh.keys
    for query in PARAGRAPH_QUERIES:
        assert np.array_equal(held.index.scores(query), fresh.index.scores(query)), query


def rewrite_store(
    index_dir: Path,
    change_arrays: Callable[[dict[str, np.ndarray]], None],
    change_manifest: Callable[[dict[str, Any]], None] = lambda data: None,
) -> None:
    """Rewrite the stored arrays and manifest with a valid size and checksum, as a writer would."""
    manifest_path = index_dir / MANIFEST_NAME
    data = json.loads(manifest_path.read_text(encoding="utf-8"))
    path = index_dir / data["index_file"]
    with np.load(path, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    change_arrays(arrays)
    with path.open("wb") as handle:
        np.savez(handle, **arrays)
    data["index_bytes"] = path.stat().st_size
    data["index_crc32"] = zlib.crc32(path.read_bytes())
    change_manifest(data)
    manifest_path.write_text(json.dumps(data), encoding="utf-8")


def as_version_2(index_dir: Path) -> None:
    """Turn a stored index into what the store wrote before it kept the paragraph index."""

    def drop_arrays(arrays: dict[str, np.ndarray]) -> None:
        for name in [n for n in arrays if n.startswith("paragraph_")]:
            del arrays[name]

    def old_manifest(data: dict[str, Any]) -> None:
        data["format_version"] = 2
        for name in [n for n in data if n.startswith("paragraph_")]:
            del data[name]
        for entry in data["articles"]:
            del entry["paragraphs"]

    rewrite_store(index_dir, drop_arrays, old_manifest)


def test_restart_loads_the_paragraph_index_without_tokenising(
    seeds_copy: Path, index_dir: Path
) -> None:
    build_corpus(seeds_copy, index_dir=index_dir)
    tokenizer = CountingTokenizer()
    report = build_corpus(seeds_copy, index_dir=index_dir, tokenizer=tokenizer)
    Engine(report.corpus, tokenizer)  # warms the paragraph index: found, not built
    assert report.loaded and not report.saved and report.paragraphs_retokenised == ()
    assert tokenizer.calls == 0
    assert_same_paragraph_scores(report.corpus, seeds_copy)


def test_restart_with_changed_seeds_tokenises_only_their_paragraphs(
    seeds_copy: Path, index_dir: Path
) -> None:
    (seeds_copy / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    build_corpus(seeds_copy, index_dir=index_dir)
    (seeds_copy / "harbour.txt").write_text(HARBOUR.replace("Monday", "Tuesday"), encoding="utf-8")
    (seeds_copy / "rail.txt").write_text("Rail news\n\nThe harbour line opens.\n", encoding="utf-8")
    report = build_corpus(seeds_copy, index_dir=index_dir)  # a fresh process: no previous corpus
    new = {
        a.id for a in report.corpus.articles if a.source_path.endswith(("harbour.txt", "rail.txt"))
    }
    assert set(report.paragraphs_retokenised) == new and report.saved
    assert_same_paragraph_scores(report.corpus, seeds_copy)
    stored = read_stored(index_dir)
    assert stored.paragraphs is not None
    assert np.array_equal(
        stored.paragraphs.scores(["harbour"]),
        fresh_paragraphs(seeds_copy).index.scores(["harbour"]),
    )


def test_incremental_reindex_reuses_the_served_paragraph_counts(
    seeds_copy: Path, index_dir: Path
) -> None:
    (seeds_copy / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    served = Engine(build_corpus(seeds_copy, index_dir=index_dir).corpus).corpus
    (seeds_copy / "harbour.txt").unlink()
    (seeds_copy / "rail.txt").write_text("Rail news\n\nThe harbour line opens.\n", encoding="utf-8")
    report = build_corpus(seeds_copy, index_dir=index_dir, previous=served)
    rail = [a.id for a in report.corpus.articles if a.source_path.endswith("rail.txt")]
    assert report.paragraphs_retokenised == tuple(rail) and report.saved
    assert_same_paragraph_scores(report.corpus, seeds_copy)
    restarted = build_corpus(seeds_copy, index_dir=index_dir)
    assert restarted.loaded and restarted.paragraphs_retokenised == ()
    assert_same_paragraph_scores(restarted.corpus, seeds_copy)


def test_version_2_store_still_loads_and_is_upgraded(seeds_copy: Path, index_dir: Path) -> None:
    build_corpus(seeds_copy, index_dir=index_dir)
    as_version_2(index_dir)
    old = read_stored(index_dir)  # not reported as corrupt
    assert old.paragraphs is None and old.manifest.format_version == 2
    report = build_corpus(seeds_copy, index_dir=index_dir)
    assert report.index_problem == "" and report.retokenised == ()  # chunk counts were used
    assert report.paragraphs_retokenised and report.saved  # paragraphs built once, then saved
    assert_same_paragraph_scores(report.corpus, seeds_copy)
    upgraded = read_stored(index_dir)
    assert upgraded.manifest.format_version == FORMAT_VERSION and upgraded.paragraphs is not None
    tokenizer = CountingTokenizer()
    again = build_corpus(seeds_copy, index_dir=index_dir, tokenizer=tokenizer)
    assert again.loaded and not again.saved and tokenizer.calls == 0


def test_version_2_store_is_upgraded_by_a_reindex_too(seeds_copy: Path, index_dir: Path) -> None:
    served = Engine(build_corpus(seeds_copy, index_dir=index_dir).corpus).corpus
    as_version_2(index_dir)
    report = build_corpus(seeds_copy, index_dir=index_dir, previous=served)  # seeds unchanged
    assert report.saved and read_manifest(index_dir).format_version == FORMAT_VERSION


@pytest.mark.parametrize(
    "damage",
    [
        "out-of-range row",
        "missing array",
        "vocabulary",
        "row count",
    ],
)
def test_damaged_paragraph_part_is_detected_and_rebuilt(
    seeds_copy: Path, index_dir: Path, damage: str
) -> None:
    build_corpus(seeds_copy, index_dir=index_dir)

    def change(arrays: dict[str, np.ndarray]) -> None:
        if damage == "out-of-range row":
            docs = arrays["paragraph_docs"].copy()
            docs[len(docs) // 2] = 10**6
            arrays["paragraph_docs"] = docs
        elif damage == "missing array":
            del arrays["paragraph_tf"]
        elif damage == "vocabulary":
            arrays["paragraph_terms"] = arrays["paragraph_terms"][:-40]
        else:
            arrays["paragraph_doc_len"] = arrays["paragraph_doc_len"][:-1]

    rewrite_store(index_dir, change)  # the checksum matches: only the checks can tell
    with pytest.raises(IndexStoreError):
        read_index(index_dir)
    report = build_corpus(seeds_copy, index_dir=index_dir)
    assert report.index_problem.startswith("stored index not used") and report.saved
    assert report.retokenised  # the whole store was unusable, chunks included
    assert_same_paragraph_scores(report.corpus, seeds_copy)
    read_stored(index_dir)


def test_version_3_manifest_without_its_paragraph_description_is_rejected(
    seeds_copy: Path, index_dir: Path
) -> None:
    build_corpus(seeds_copy, index_dir=index_dir)
    rewrite_store(index_dir, lambda arrays: None, lambda data: data.pop("paragraph_rows"))
    with pytest.raises(IndexStoreError, match="paragraph"):
        read_manifest(index_dir)


def test_flipped_bytes_in_the_paragraph_part_fail_the_checksum(
    seeds_copy: Path, index_dir: Path
) -> None:
    build_corpus(seeds_copy, index_dir=index_dir)
    path = stored_file(index_dir)
    data = bytearray(path.read_bytes())
    at = data.index(b"paragraph_tf") - 64  # in the data of paragraph_docs, stored before it
    data[at : at + 8] = bytes(b ^ 0xFF for b in data[at : at + 8])
    path.write_bytes(bytes(data))
    with pytest.raises(IndexStoreError, match="corrupt"):
        read_index(index_dir)
