"""The persisted index: postings in a NumPy ``.npz`` plus a JSON manifest.

Nothing here can run code from a file: arrays are read with
``allow_pickle=False`` and the vocabulary is stored as UTF-8 bytes, not as
Python objects. The manifest names the format and its version, the tokeniser
and chunking settings (with a fingerprint of the tokeniser's code, so a changed
tokeniser never reuses stale tokens) and, per article, its content hash, a
digest of its chunk layout and its paragraph count. The same file holds the
paragraph-level index (arrays prefixed ``paragraph_``), under the same
checksum, so a restart tokenises nothing at all. A file that is corrupt, truncated, foreign or of
another version is reported and rebuilt from the seeds; it is never half-loaded.

A version-2 store (from before the paragraph index was kept) still loads:
its chunk counts are used, the paragraph index is built once and the store
is saved as version 3.

Writes are atomic: the arrays go to a new, uniquely named file (temporary
name, fsync, rename), then the manifest that points to it is replaced the same
way. A crash at any moment leaves either the old index or the new one.

:func:`open_corpus` is the way in: it loads the seeds, reuses the stored
counts of every article whose content is unchanged (for chunks and for
paragraphs), tokenises only the rest, and saves the result when anything changed.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import tempfile
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, TypeVar

import numpy as np
import numpy.typing as npt
import Stemmer

import index.tokenize as tokenize_module
from index.bm25 import SparseBM25
from index.chunking import ChunkSettings, chunk_article
from index.engine import Corpus, NoArticlesError, ParagraphIndex, paragraph_keys
from index.loader import load_folder
from index.records import Article, Chunk
from index.tokenize import Tokenizer, TokenizerSettings, default_tokenizer

FORMAT = "articlebot-index"
FORMAT_VERSION = 3  # 2: whole-file CRC-32 instead of SHA-256; 3: the paragraph index too
READABLE_VERSIONS = (2, 3)  # a version-2 store lacks the paragraph index: built, then saved
MANIFEST_NAME = "manifest.json"
INDEX_DIR_ENV = "ARTICLEBOT_INDEX_DIR"
_ARRAYS = {"indptr": "i", "docs": "i", "tf": "i", "doc_len": "i", "terms": "u"}
PARAGRAPH_PREFIX = "paragraph_"
_PARAGRAPH_ARRAYS = {PARAGRAPH_PREFIX + name: kind for name, kind in _ARRAYS.items()}
_STALE_TEMP_SECONDS = 3600

log = logging.getLogger(__name__)
_gc_lock = threading.Lock()
_gc_state = {"quiet": 0, "was_enabled": True}

_Key = TypeVar("_Key", bound=Hashable)
Plan = list[tuple[int, int] | list[list[str]]]  # see SparseBM25.rebuilt


class IndexStoreError(ValueError):
    """A persisted index that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class ArticleEntry:
    """What the index holds for one article, in corpus order."""

    id: str
    content_hash: str
    chunks: int
    layout: str  # digest of the article's chunk and sentence ids
    paragraphs: int | None = None  # its paragraph-index rows; None in a version-2 manifest

    @property
    def key(self) -> tuple[str, str, int, str]:
        return (self.id, self.content_hash, self.chunks, self.layout)


@dataclass(frozen=True, slots=True)
class Manifest:
    articles: tuple[ArticleEntry, ...]
    tokenizer: dict[str, Any]
    chunking: dict[str, Any]
    bm25: dict[str, Any]
    index_file: str
    index_bytes: int
    index_crc32: int
    chunks: int
    sentences: int
    vocabulary: int
    postings: int
    built_at: str
    build_seconds: float
    # the paragraph index (format version 3; None in version 2, which did not keep it)
    paragraph_rows: int | None = None
    paragraph_vocabulary: int | None = None
    paragraph_postings: int | None = None
    paragraph_bm25: dict[str, Any] | None = None
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["articles"] = [asdict(a) for a in self.articles]
        return data

    @property
    def has_paragraphs(self) -> bool:
        """Whether the store holds the paragraph index (version 3 on)."""
        return self.format_version >= 3


@dataclass(frozen=True, slots=True)
class StoredIndex:
    """A fully checked stored index: chunk BM25, paragraph BM25 (None in version 2), manifest."""

    chunks: SparseBM25
    paragraphs: SparseBM25 | None
    manifest: Manifest


@dataclass(frozen=True, slots=True)
class OpenReport:
    """How :func:`open_corpus` got its index."""

    corpus: Corpus
    index_dir: Path | None
    loaded: bool  # the stored index was used as it is
    retokenised: tuple[str, ...]  # ids of the articles whose chunks were tokenised
    reused: int  # articles whose stored or previous counts were reused
    saved: bool
    problem: str = ""  # why the stored index could not be used, if it could not
    seconds: float = 0.0
    manifest: Manifest | None = field(default=None, repr=False)
    paragraphs_retokenised: tuple[str, ...] = ()  # ids of articles whose paragraphs were tokenised


def default_index_dir(seeds: str | Path) -> Path:
    """``$ARTICLEBOT_INDEX_DIR``, or ``data/index`` beside the seeds folder (git-ignored)."""
    configured = os.environ.get(INDEX_DIR_ENV, "").strip()
    if configured:
        return Path(configured)
    return Path(seeds).resolve().parent / "data" / "index"


def tokenizer_fingerprint(settings: TokenizerSettings) -> dict[str, Any]:
    """The settings plus what else changes tokens: the tokeniser's code and the stemmer."""
    code = Path(tokenize_module.__file__).read_bytes()
    return {
        **asdict(settings),
        "code_sha256": hashlib.sha256(code).hexdigest(),
        "stemmer": _stemmer_version(),
    }


def _stemmer_version() -> str:
    """PyStemmer's version string, e.g. ``"3.1.0"``.

    ``Stemmer.version`` is a function: its ``str()`` holds a memory address
    that differs in every process, which made every restart see "other
    tokeniser settings" and rebuild the whole index.
    """
    version = getattr(Stemmer, "version", None)
    value = version() if callable(version) else version
    return str(value) if value is not None else "unknown"


def bm25_settings(index: SparseBM25) -> dict[str, Any]:
    return {"variant": "okapi-lucene-idf", "k1": index.k1, "b": index.b}


def article_entries(articles: Sequence[Article], chunks: Sequence[Chunk]) -> list[ArticleEntry]:
    """One entry per article; ``chunks`` must be grouped by article in the same order."""
    by_article: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_article.setdefault(chunk.article_id, []).append(chunk)
    entries = []
    for article in articles:
        own = by_article.get(article.id, [])
        digest = hashlib.sha256()
        for chunk in own:
            digest.update(chunk.id.encode())
            digest.update(b"\x1f".join(s.encode() for s in chunk.sentence_ids))
            digest.update(b"\x1e")
        entries.append(
            ArticleEntry(
                article.id,
                article.content_hash,
                len(own),
                digest.hexdigest(),
                paragraphs=len(article.paragraphs),
            )
        )
    return entries


# -- writing -----------------------------------------------------------------------------


def write_index(
    directory: str | Path,
    index: SparseBM25,
    *,
    paragraphs: SparseBM25,
    articles: Sequence[ArticleEntry],
    tokenizer: dict[str, Any],
    chunking: dict[str, Any],
    sentences: int,
    build_seconds: float,
    built_at: datetime | None = None,
) -> Manifest:
    """Save ``index`` and the ``paragraphs`` index atomically under ``directory``.

    Both go into one file under one checksum, so they are always of the same
    build. Returns the manifest written.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    if sum(a.chunks for a in articles) != index.size:
        raise ValueError("the article entries do not cover the index's chunks")
    if any(a.paragraphs is None for a in articles) or (
        sum(a.paragraphs or 0 for a in articles) != paragraphs.size
    ):
        raise ValueError("the article entries do not cover the paragraph index's rows")
    arrays: dict[str, Any] = {
        **_index_arrays(index, ""),
        **_index_arrays(paragraphs, PARAGRAPH_PREFIX),
    }
    old_file = _current_index_file(folder)
    name = f"index-{uuid.uuid4().hex[:12]}.npz"
    with _atomic_file(folder / name) as handle:
        np.savez(handle, **arrays)
    manifest = Manifest(
        articles=tuple(articles),
        tokenizer=tokenizer,
        chunking=chunking,
        bm25=bm25_settings(index),
        index_file=name,
        index_bytes=(folder / name).stat().st_size,
        index_crc32=_file_crc32(folder / name),
        chunks=index.size,
        sentences=sentences,
        vocabulary=index.vocabulary_size,
        postings=index.postings,
        built_at=(built_at or datetime.now(UTC)).isoformat(),
        build_seconds=round(build_seconds, 6),
        paragraph_rows=paragraphs.size,
        paragraph_vocabulary=paragraphs.vocabulary_size,
        paragraph_postings=paragraphs.postings,
        paragraph_bm25=bm25_settings(paragraphs),
    )
    payload = json.dumps(manifest.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
    with _atomic_file(folder / MANIFEST_NAME) as handle:
        handle.write(payload)
    _fsync_dir(folder)
    if old_file and old_file != name:
        (folder / old_file).unlink(missing_ok=True)
    _remove_stale_temps(folder)
    return manifest


def _index_arrays(index: SparseBM25, prefix: str) -> dict[str, npt.NDArray[Any]]:
    """The arrays that store ``index``, named with ``prefix``; the vocabulary as UTF-8 bytes."""
    terms = "\n".join(index.terms).encode("utf-8")
    if index.vocabulary_size and terms.count(b"\n") != index.vocabulary_size - 1:
        raise ValueError("a term contains a newline and cannot be stored")
    arrays: dict[str, npt.NDArray[Any]] = {
        **index.arrays(),
        "terms": np.frombuffer(terms, np.uint8),
    }
    return {prefix + name: array for name, array in arrays.items()}


@contextmanager
def _atomic_file(path: Path) -> Iterator[IO[bytes]]:
    """Write to a temporary file beside ``path``, fsync it, then rename it over ``path``."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes it private; the index is not a secret
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _file_crc32(path: Path) -> int:
    """CRC-32 of a whole file: catches any accidental damage, and is 2x faster than SHA-256."""
    crc = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            crc = zlib.crc32(block, crc)
    return crc


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _current_index_file(folder: Path) -> str | None:
    try:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        name = data.get("index_file") if isinstance(data, dict) else None
    except (OSError, ValueError):
        return None
    return name if isinstance(name, str) and _safe_name(name) else None


def _remove_stale_temps(folder: Path) -> None:
    cutoff = time.time() - _STALE_TEMP_SECONDS
    for temp in folder.glob(".*.tmp"):
        try:
            if temp.stat().st_mtime < cutoff:
                temp.unlink()
        except OSError:
            continue


def _safe_name(name: str) -> bool:
    return name == Path(name).name and name.startswith("index-") and name.endswith(".npz")


# -- reading -----------------------------------------------------------------------------


def read_manifest(directory: str | Path) -> Manifest:
    """The manifest in ``directory``; raises :class:`FileNotFoundError` or :class:`IndexStoreError`."""
    path = Path(directory) / MANIFEST_NAME
    raw = path.read_bytes()  # FileNotFoundError: there is no index yet
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise IndexStoreError(f"{path} is not valid JSON (corrupt or truncated)") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise IndexStoreError(f"{path} is not an articlebot index manifest")
    if data.get("format_version") not in READABLE_VERSIONS:
        raise IndexStoreError(
            f"{path} has format version {data.get('format_version')!r}; "
            f"this articlebot reads versions {', '.join(map(str, READABLE_VERSIONS))}"
        )
    try:
        articles = tuple(ArticleEntry(**entry) for entry in data.pop("articles"))
        manifest = Manifest(articles=articles, **data)
    except (KeyError, TypeError) as exc:
        raise IndexStoreError(f"{path} is missing or has unknown fields ({exc})") from exc
    if not _safe_name(manifest.index_file):
        raise IndexStoreError(f"{path} names an unexpected index file {manifest.index_file!r}")
    if manifest.has_paragraphs:
        _check_paragraph_manifest(manifest, path)
    return manifest


def _check_paragraph_manifest(manifest: Manifest, path: Path) -> None:
    """A version-3 manifest must describe its paragraph index fully and consistently."""
    counts = [a.paragraphs for a in manifest.articles]
    described = (
        manifest.paragraph_rows,
        manifest.paragraph_vocabulary,
        manifest.paragraph_postings,
        manifest.paragraph_bm25,
    )
    if any(value is None for value in described) or any(c is None for c in counts):
        raise IndexStoreError(f"{path} lacks the description of its paragraph index")
    if sum(c or 0 for c in counts) != manifest.paragraph_rows:
        raise IndexStoreError(f"{path} article paragraph counts do not add up")


def read_index(directory: str | Path) -> tuple[SparseBM25, Manifest]:
    """The stored chunk index and manifest, fully checked (the paragraph part too).

    Raises :class:`IndexStoreError` if any of it is unusable; see :func:`read_stored`.
    """
    stored = read_stored(directory)
    return stored.chunks, stored.manifest


def read_stored(directory: str | Path) -> StoredIndex:
    """Load and fully check the stored indexes; raises :class:`IndexStoreError` if unusable.

    Every array is read into memory and checked before an index is made, so a
    damaged file raises here instead of giving wrong answers later. A damaged
    paragraph part makes the whole store unusable, like a damaged chunk part.
    """
    folder = Path(directory)
    manifest = read_manifest(folder)
    path = folder / manifest.index_file
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise IndexStoreError(f"{path} is missing") from exc
    if size != manifest.index_bytes:
        raise IndexStoreError(
            f"{path} has {size:,} bytes, the manifest expects {manifest.index_bytes:,} (truncated?)"
        )
    if _file_crc32(path) != manifest.index_crc32:
        raise IndexStoreError(f"{path} is corrupt (its checksum does not match the manifest)")
    wanted = {**_ARRAYS, **(_PARAGRAPH_ARRAYS if manifest.has_paragraphs else {})}
    arrays = _read_arrays(path, wanted)
    if sum(a.chunks for a in manifest.articles) != manifest.chunks:
        raise IndexStoreError(f"{folder / MANIFEST_NAME} article chunk counts do not add up")
    chunks = _index_from_arrays(
        arrays,
        "",
        path,
        rows=manifest.chunks,
        vocabulary=manifest.vocabulary,
        postings=manifest.postings,
        bm25=manifest.bm25,
    )
    paragraphs = None
    if manifest.has_paragraphs:
        assert manifest.paragraph_rows is not None and manifest.paragraph_bm25 is not None
        paragraphs = _index_from_arrays(
            arrays,
            PARAGRAPH_PREFIX,
            path,
            rows=manifest.paragraph_rows,
            vocabulary=manifest.paragraph_vocabulary,
            postings=manifest.paragraph_postings,
            bm25=manifest.paragraph_bm25,
        )
    return StoredIndex(chunks, paragraphs, manifest)


def _index_from_arrays(
    arrays: dict[str, npt.NDArray[Any]],
    prefix: str,
    path: Path,
    *,
    rows: int,
    vocabulary: int | None,
    postings: int | None,
    bm25: dict[str, Any],
) -> SparseBM25:
    """One index from the arrays named with ``prefix``, checked against the manifest's figures."""
    part = "paragraph index" if prefix else "index"
    try:
        terms = arrays[prefix + "terms"].tobytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IndexStoreError(f"{path} has a damaged {part} vocabulary") from exc
    words = terms.split("\n") if terms or vocabulary == 1 else []
    if len(words) != vocabulary:
        raise IndexStoreError(f"{path} {part} vocabulary does not match the manifest")
    try:
        index = SparseBM25.from_postings(
            words,
            arrays[prefix + "indptr"],
            arrays[prefix + "docs"],
            arrays[prefix + "tf"],
            arrays[prefix + "doc_len"],
            k1=float(bm25["k1"]),
            b=float(bm25["b"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise IndexStoreError(f"{path} {part} is inconsistent: {exc}") from exc
    if index.size != rows or index.postings != postings:
        raise IndexStoreError(f"{path} {part} does not match its manifest")
    return index


def _read_arrays(path: Path, wanted: dict[str, str]) -> dict[str, npt.NDArray[Any]]:
    """The ``wanted`` arrays (name: dtype kind), each checked for shape and type."""
    try:
        with np.load(path, allow_pickle=False) as data:
            missing = set(wanted) - set(data.files)
            if missing:
                raise IndexStoreError(f"{path} lacks the arrays {sorted(missing)}")
            arrays = {name: data[name] for name in wanted}  # zip checks each CRC-32 here
    except IndexStoreError:
        raise
    except Exception as exc:  # zipfile and numpy raise many kinds for a damaged file
        raise IndexStoreError(f"{path} is corrupt or truncated ({exc!r})") from exc
    for name, kind in wanted.items():
        if arrays[name].ndim != 1 or arrays[name].dtype.kind != kind:
            raise IndexStoreError(f"{path} array {name!r} has an unexpected type")
    return arrays


# -- opening a corpus ----------------------------------------------------------------------


@contextmanager
def quiet_gc() -> Iterator[None]:
    """Keep the cyclic garbage collector out of an index build, then freeze the survivors.

    A build allocates records and token lists by the hundred thousand, and each
    full collection walks the whole heap while holding the GIL: measured on a
    40,000-chunk rebuild in a worker thread, collections of 25-85 ms stalled the
    bot's event loop. The records form no reference cycles, so reference
    counting frees the garbage anyway. Afterwards what survived (mostly the new
    corpus) moves to the permanent generation (:func:`gc.freeze`), so later
    collections do not walk it again; it is still freed when no longer used.
    Nested and concurrent builds share one pause.

    The freeze takes every object the collector tracks, garbage included, and
    frozen garbage in a reference cycle is never collected. A running bot
    always has some (discord.py's views and interactions are cycles that wait
    for a collection), so before pausing, one collection frees it. That
    collection is cheap: what was frozen by the previous build is not walked.
    Without it the soak benchmark (a /reindex every 5 s) froze about 3,000
    unreachable objects per 5,000 questions, for good.
    """
    with _gc_lock:
        if _gc_state["quiet"] == 0:
            _gc_state["was_enabled"] = gc.isenabled()
            if _gc_state["was_enabled"]:
                gc.collect()  # garbage now would otherwise be frozen below, never freed
            gc.disable()
        _gc_state["quiet"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_state["quiet"] -= 1
            if _gc_state["quiet"] == 0:
                gc.freeze()
                if _gc_state["was_enabled"]:
                    gc.enable()


def open_corpus(
    folder: str | Path,
    *,
    index_dir: str | Path | None = None,
    previous: Corpus | None = None,
    tokenizer: Tokenizer | None = None,
    chunk_settings: ChunkSettings | None = None,
    persist: bool = True,
    reuse: bool = True,
) -> OpenReport:
    """The corpus of ``folder``, tokenising only articles not already indexed.

    Counts are reused from ``previous`` (a corpus being served) or else from
    the stored index, for every article whose id, content hash and chunk
    layout are unchanged and whose tokeniser and chunk settings match. With
    ``persist``, the result is saved when it differs from what is stored; a
    failure to save is logged and does not stop the corpus from being served.
    ``reuse=False`` tokenises everything and saves the result (a forced rebuild).
    Runs under :func:`quiet_gc`, so it can run in a worker thread beside an event loop.
    """
    with quiet_gc():
        return _open_corpus(
            folder,
            index_dir=index_dir,
            previous=previous,
            tokenizer=tokenizer,
            chunk_settings=chunk_settings,
            persist=persist,
            reuse=reuse,
        )


def _open_corpus(
    folder: str | Path,
    *,
    index_dir: str | Path | None,
    previous: Corpus | None,
    tokenizer: Tokenizer | None,
    chunk_settings: ChunkSettings | None,
    persist: bool,
    reuse: bool,
) -> OpenReport:
    started = time.perf_counter()
    tokenizer = tokenizer or default_tokenizer()
    settings = chunk_settings or ChunkSettings()
    directory = Path(index_dir) if index_dir is not None else default_index_dir(folder)
    result = load_folder(folder)
    if not result.articles:
        detail = "; ".join(str(p) for p in result.problems) or "the folder has no .txt or .md files"
        raise NoArticlesError(f"no usable articles in {folder}: {detail}")
    articles = result.articles
    per_article = [chunk_article(a, settings) for a in articles]
    chunks = [c for group in per_article for c in group]
    entries = article_entries(articles, chunks)
    fingerprint = tokenizer_fingerprint(tokenizer.settings)
    chunking = asdict(settings)

    source: SparseBM25 | None = None
    stored_index: SparseBM25 | None = None
    stored_paragraphs: SparseBM25 | None = None
    source_entries: list[ArticleEntry] = []
    stored: Manifest | None = None
    problem = ""
    use_previous = (
        reuse and previous is not None and _reusable(previous, tokenizer.settings, settings)
    )
    if persist and reuse:
        try:
            if use_previous:  # counts come from memory; the manifest says if the disk is current
                stored = read_manifest(directory)
            else:
                loaded_store = read_stored(directory)
                stored = loaded_store.manifest
                stored_index, stored_paragraphs = loaded_store.chunks, loaded_store.paragraphs
        except FileNotFoundError:
            pass  # nothing stored yet
        except (IndexStoreError, OSError) as exc:
            problem = f"stored index not used: {exc}; rebuilding it from the seeds"
            log.warning("%s", problem)
        else:
            if stored.tokenizer != fingerprint or stored.chunking != chunking:
                problem = (
                    "stored index was built with other tokeniser or chunk settings; rebuilding it"
                )
                log.info("%s", problem)
                stored = None
                stored_index = stored_paragraphs = None
            elif not use_previous:
                source, source_entries = stored_index, list(stored.articles)
    if use_previous:
        assert previous is not None and isinstance(previous.index, SparseBM25)
        source = previous.index
        source_entries = article_entries(previous.articles, previous.chunks)

    plan, changed = _reuse_plan(
        [e.key for e in entries],
        _spans((e.key, e.chunks) for e in source_entries),
        lambda i: [tokenizer.tokens(c.text) for c in per_article[i]],
    )
    index = _index_from_plan(source, plan, tokenizer.settings)
    paragraph_source, paragraph_spans = _paragraph_source(
        previous if use_previous else None, tokenizer.settings, stored, stored_paragraphs
    )
    paragraph_plan, paragraphs_changed = _reuse_plan(
        [(a.id, a.content_hash, len(a.paragraphs)) for a in articles],
        paragraph_spans,
        lambda i: [tokenizer.tokens(p.text) for p in articles[i].paragraphs],
    )
    paragraphs = _index_from_plan(paragraph_source, paragraph_plan, tokenizer.settings)

    unchanged_on_disk = (
        stored is not None and stored.has_paragraphs and list(stored.articles) == entries
    )
    loaded = stored_index is not None and index is stored_index and paragraphs is stored_paragraphs
    built_at = _parse_time(stored.built_at) if loaded and stored else datetime.now(UTC)
    corpus = Corpus(
        tuple(articles),
        tuple(chunks),
        index,
        tuple(result.problems),
        built_at=built_at,
        chunk_settings=settings,
    )
    corpus.adopt_paragraph_index(
        tokenizer.settings, ParagraphIndex(paragraphs, paragraph_keys(articles))
    )
    manifest = stored if unchanged_on_disk else None
    saved = False
    if persist and not unchanged_on_disk:
        try:
            manifest = write_index(
                directory,
                index,
                paragraphs=paragraphs,
                articles=entries,
                tokenizer=fingerprint,
                chunking=chunking,
                sentences=corpus.sentence_count,
                build_seconds=time.perf_counter() - started,
                built_at=built_at,
            )
            saved = True
        except (OSError, ValueError) as exc:
            log.warning("could not save the index to %s: %s", directory, exc)
    return OpenReport(
        corpus=corpus,
        index_dir=directory if persist else None,
        loaded=loaded,
        retokenised=tuple(articles[i].id for i in changed),
        reused=len(entries) - len(changed),
        saved=saved,
        problem=problem,
        seconds=time.perf_counter() - started,
        manifest=manifest,
        paragraphs_retokenised=tuple(articles[i].id for i in paragraphs_changed),
    )


def _spans(counts: Iterable[tuple[_Key, int]]) -> dict[_Key, tuple[int, int]]:
    """Each key's run of rows, given the keys' row counts in row order."""
    spans: dict[_Key, tuple[int, int]] = {}
    start = 0
    for key, rows in counts:
        spans[key] = (start, start + rows)
        start += rows
    return spans


def _reuse_plan(
    wanted: Sequence[_Key],
    spans: dict[_Key, tuple[int, int]],
    tokenise: Callable[[int], list[list[str]]],
) -> tuple[Plan, list[int]]:
    """A :meth:`SparseBM25.rebuilt` plan for the ``wanted`` articles, in order.

    An article found in ``spans`` reuses that run of the source's rows
    (adjacent runs are merged); any other is tokenised by ``tokenise`` (given
    its position). Returns the plan and the positions that were tokenised.
    """
    plan: Plan = []
    tokenised: list[int] = []
    for position, key in enumerate(wanted):
        span = spans.get(key)
        if span is not None:
            if plan and isinstance(plan[-1], tuple) and plan[-1][1] == span[0]:
                plan[-1] = (plan[-1][0], span[1])  # contiguous with the previous range
            else:
                plan.append(span)
            continue
        tokenised.append(position)
        tokens = tokenise(position)
        if plan and isinstance(plan[-1], list):
            plan[-1].extend(tokens)
        else:
            plan.append(tokens)
    return plan, tokenised


def _index_from_plan(
    source: SparseBM25 | None, plan: Plan, settings: TokenizerSettings
) -> SparseBM25:
    """The index ``plan`` describes: ``source`` itself when the plan takes all of it unchanged."""
    if source is None:
        index = SparseBM25(
            [doc for step in plan if isinstance(step, list) for doc in step],
            tokenizer_settings=settings,
        )
    elif plan == [(0, source.size)]:
        index = source  # nothing changed: use it as it is
    else:
        index = source.rebuilt(plan)
    index.tokenizer_settings = settings
    return index


def _paragraph_source(
    previous: Corpus | None,
    settings: TokenizerSettings,
    stored: Manifest | None,
    stored_paragraphs: SparseBM25 | None,
) -> tuple[SparseBM25 | None, dict[tuple[str, str, int], tuple[int, int]]]:
    """Where paragraph counts can be reused from, and each reusable article's rows there.

    ``previous`` is the corpus being served (already checked to match the
    tokeniser), if it has built its paragraph index; else the stored one
    (version 3 only). Articles are matched by id, content hash and paragraph count.
    """
    if previous is not None:
        held = previous.cached_paragraph_index(settings)
        if held is not None and isinstance(held.index, SparseBM25):
            counts = [
                ((a.id, a.content_hash, len(a.paragraphs)), len(a.paragraphs))
                for a in previous.articles
            ]
            if sum(n for _, n in counts) == held.index.size:
                return held.index, _spans(counts)
        return None, {}
    if stored is not None and stored_paragraphs is not None:
        counts = [
            ((a.id, a.content_hash, a.paragraphs or 0), a.paragraphs or 0) for a in stored.articles
        ]
        return stored_paragraphs, _spans(counts)
    return None, {}


def _reusable(previous: Corpus, tokens: TokenizerSettings, chunking: ChunkSettings) -> bool:
    index = previous.index
    return (
        isinstance(index, SparseBM25)
        and index.tokenizer_settings == tokens
        and previous.chunk_settings == chunking
    )


def _parse_time(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return datetime.now(UTC)
