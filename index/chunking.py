"""Grouping sentences into overlapping retrieval chunks.

Chunks never cross articles. A window of a few sentences gives BM25 enough
context to match a question whose words are spread over neighbouring
sentences, while keeping the unit small enough to point at one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.records import Article, Chunk


@dataclass(frozen=True, slots=True)
class ChunkSettings:
    size: int = 3  # sentences per chunk
    stride: int = 1  # sentences between chunk starts

    def __post_init__(self) -> None:
        if self.size < 1 or not 1 <= self.stride <= self.size:
            raise ValueError("chunk size must be >= 1 and 1 <= stride <= size")


def chunk_article(article: Article, settings: ChunkSettings | None = None) -> list[Chunk]:
    settings = settings or ChunkSettings()
    sentences = article.sentences
    if not sentences:
        return []
    starts = list(range(0, max(len(sentences) - settings.size, 0) + 1, settings.stride))
    if starts[-1] + settings.size < len(sentences):
        starts.append(len(sentences) - settings.size)
    chunks = []
    for start in starts:
        window = sentences[start : start + settings.size]
        chunks.append(
            Chunk(
                id=f"{article.id}#c{start}",
                article_id=article.id,
                sentence_ids=tuple(s.id for s in window),
                text=" ".join(s.text for s in window),
            )
        )
    return chunks
