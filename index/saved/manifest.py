"""The saved index's manifest: what the arrays file holds and how it was made.

``manifest.json`` names the format and its version, the tokeniser and chunking
settings (with a fingerprint of the tokeniser's code, so a changed tokeniser
never reuses stale tokens), the arrays file with its size and CRC-32, and per
article its content hash, a digest of its chunk layout and its paragraph
count. A version-2 manifest (from before the paragraph index was kept) still
reads; the arrays themselves are written and read by :mod:`index.saved.store`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import Stemmer

import index.tokenize as tokenize_module
from index.bm25 import SparseBM25
from index.records import Article, Chunk
from index.tokenize import TokenizerSettings

FORMAT = "articlebot-index"
FORMAT_VERSION = 3  # 2: whole-file CRC-32 instead of SHA-256; 3: the paragraph index too
READABLE_VERSIONS = (2, 3)  # a version-2 store lacks the paragraph index: built, then saved
MANIFEST_NAME = "manifest.json"


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


def safe_index_file(name: str) -> bool:
    """Whether ``name`` is an arrays file name this store writes (no path, no other file)."""
    return name == Path(name).name and name.startswith("index-") and name.endswith(".npz")


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
    if not safe_index_file(manifest.index_file):
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
