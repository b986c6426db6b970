"""Every sentence of a corpus as a vector, for picking the paragraphs the reader reads by meaning.

BM25 misses a paragraph that answers in other words ("how much will it cost" against
"priced at $799"); the sentence embedder (:mod:`index.embedding`) does not, though alone
it ranks worse than BM25. Fused (:mod:`index.passages`) they pick the answer's paragraph
among the three read more often on every development set (docs/evaluation.md,
"Retrieval by meaning").

Vectors are computed per article, once: they are kept per corpus, handed from the
corpus being served to the one a reindex builds for every unchanged article, and,
given a folder (the saved index's), stored there per article content hash so a
restart embeds nothing. A damaged file is embedded again, never trusted.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index.embedding import Embedder, FloatArray
from index.records import Article

log = logging.getLogger(__name__)

Key = tuple[str, int]  # (article id, 1-based paragraph number)
Ints = npt.NDArray[np.intp]
DIMENSIONS = 384


@dataclass(frozen=True)
class SentenceVectors:
    """Unit vectors of a corpus's sentences in its order, grouped by paragraph."""

    matrix: FloatArray  # one row per sentence
    starts: Ints  # each paragraph's first row
    keys: tuple[Key, ...]  # each paragraph's (article id, number), in the same order

    def __post_init__(self) -> None:
        object.__setattr__(self, "_rows", {key: i for i, key in enumerate(self.keys)})

    def position(self, key: Key) -> int:
        """Where paragraph ``key`` stands in ``keys`` (and in :meth:`paragraph_cosines`)."""
        found: int = self.__dict__["_rows"][key]
        return found

    def row(self, key: Key, sentence: int) -> FloatArray:
        """The vector of the ``sentence``-th (0-based) sentence of paragraph ``key``."""
        vector: FloatArray = self.matrix[int(self.starts[self.position(key)]) + sentence]
        return vector

    def paragraph_cosines(self, question: FloatArray) -> FloatArray:
        """Each paragraph's closeness to ``question``: the cosine of its closest sentence."""
        if not self.keys:
            return np.zeros(0, dtype=np.float32)
        result: FloatArray = np.maximum.reduceat(self.matrix @ question, self.starts)
        return result


class VectorFolder:
    """Per-article vectors on disk, one ``.npy`` (float16) per content hash and model."""

    def __init__(self, folder: Path, model: str) -> None:
        self.folder = folder
        self.model = model[:16]  # the embedder's checksum: another model, other files

    def path(self, article: Article) -> Path:
        return self.folder / f"{article.content_hash[:32]}-{self.model}.npy"

    def read(self, article: Article) -> FloatArray | None:
        """The stored vectors of ``article``, or None when absent or not of its shape."""
        try:
            stored = np.load(self.path(article), allow_pickle=False)
        except (OSError, ValueError):
            return None
        if stored.shape != (article.sentence_count, DIMENSIONS) or not np.isfinite(stored).all():
            return None
        vectors: FloatArray = stored.astype(np.float32)
        return vectors

    def write(self, article: Article, vectors: FloatArray) -> None:
        """Store atomically (temporary file, rename); a failure is logged, never raised."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                np.save(out, vectors.astype(np.float16), allow_pickle=False)
            os.replace(temporary, self.path(article))
        except OSError as exc:
            log.warning("could not store sentence vectors in %s: %s", self.folder, exc)

    def prune(self, kept: Sequence[Article]) -> None:
        """Delete the files of articles no longer indexed (and stale temporary files)."""
        wanted = {self.path(a).name for a in kept}
        for path in self.folder.glob("*"):
            if path.suffix in (".npy", ".tmp") and path.name not in wanted:
                path.unlink(missing_ok=True)


class VectorCache:
    """The vectors of the articles of a corpus, filled once; shared by the corpora after it."""

    def __init__(self) -> None:
        self._by_hash: dict[str, FloatArray] = {}
        self._lock = threading.Lock()
        self._built: SentenceVectors | None = None
        self.folder: Path | None = None  # where vectors are kept between processes

    def adopt(self, earlier: VectorCache, articles: Sequence[Article]) -> None:
        """Take ``earlier``'s vectors of the articles still indexed, unchanged."""
        wanted = {a.content_hash for a in articles}
        with earlier._lock:
            found = {h: v for h, v in earlier._by_hash.items() if h in wanted}
        with self._lock:
            self._by_hash.update(found)

    def vectors(self, articles: Sequence[Article], embedder: Embedder) -> SentenceVectors:
        """The corpus's :class:`SentenceVectors`, embedding only what no cache holds."""
        with self._lock:
            if self._built is None:
                folder = (
                    None if self.folder is None else VectorFolder(self.folder, embedder.checksum)
                )
                rows = [self._article(a, embedder, folder) for a in articles]
                self._built = _assemble(articles, rows)
                if folder is not None:
                    folder.prune(articles)
            return self._built

    def _article(
        self, article: Article, embedder: Embedder, folder: VectorFolder | None
    ) -> FloatArray:
        found = self._by_hash.get(article.content_hash)
        if found is None and folder is not None:
            found = folder.read(article)
        if found is None:
            found = embedder.embed([s.text for s in article.sentences])
            if folder is not None:
                folder.write(article, found)
        self._by_hash[article.content_hash] = found
        return found


def _assemble(articles: Sequence[Article], rows: Sequence[FloatArray]) -> SentenceVectors:
    starts: list[int] = []
    keys: list[Key] = []
    at = 0
    for article in articles:
        for paragraph in article.paragraphs:
            starts.append(at)
            keys.append((article.id, paragraph.number))
            at += len(paragraph.sentences)
    matrix = np.concatenate(rows) if rows else np.zeros((0, DIMENSIONS), dtype=np.float32)
    return SentenceVectors(matrix.astype(np.float32, copy=False), np.array(starts), tuple(keys))
