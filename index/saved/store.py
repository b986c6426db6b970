"""The saved index: postings in a NumPy ``.npz`` beside a JSON manifest.

Nothing here can run code from a file: arrays are read with
``allow_pickle=False`` and the vocabulary is stored as UTF-8 bytes, not as
Python objects. The same file holds the paragraph-level index (arrays
prefixed ``paragraph_``), under the same checksum, so a restart tokenises
nothing at all. A file that is corrupt, truncated, foreign or of another
version raises :class:`~index.saved.manifest.IndexStoreError` (the caller rebuilds
from the seeds); it is never half-loaded. What the manifest holds is in
:mod:`index.saved.manifest`; where the folder is, the caller decides.

Writes are atomic: the arrays go to a new, uniquely named file (temporary
name, fsync, rename), then the manifest that points to it is replaced the same
way. A crash at any moment leaves either the old index or the new one.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import uuid
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from index.bm25 import SparseBM25
from index.saved.manifest import (
    MANIFEST_NAME,
    ArticleEntry,
    IndexStoreError,
    Manifest,
    bm25_settings,
    read_manifest,
    safe_index_file,
)

_ARRAYS = {"indptr": "i", "docs": "i", "tf": "i", "doc_len": "i", "terms": "u"}
PARAGRAPH_PREFIX = "paragraph_"
_PARAGRAPH_ARRAYS = {PARAGRAPH_PREFIX + name: kind for name, kind in _ARRAYS.items()}
_STALE_TEMP_SECONDS = 3600


@dataclass(frozen=True, slots=True)
class StoredIndex:
    """A fully checked stored index: chunk BM25, paragraph BM25 (None in version 2), manifest."""

    chunks: SparseBM25
    paragraphs: SparseBM25 | None
    manifest: Manifest


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
    return name if isinstance(name, str) and safe_index_file(name) else None


def _remove_stale_temps(folder: Path) -> None:
    cutoff = time.time() - _STALE_TEMP_SECONDS
    for temp in folder.glob(".*.tmp"):
        try:
            if temp.stat().st_mtime < cutoff:
                temp.unlink()
        except OSError:
            continue


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
