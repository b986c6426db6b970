"""Grouping sentences into overlapping retrieval chunks.

Chunks never cross articles. A window of two sentences, moving one sentence
at a time, gives BM25 enough context to match a question whose words are
spread over neighbouring sentences (a name in one, "he" in the next) while
keeping the unit small enough to point at one place. The engine adds the
whole paragraph's score on top, so windows may run across a paragraph
boundary; ``within_paragraph`` keeps them inside one. The defaults were
chosen by measurement (docs/evaluation.md, "Why these settings").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from index.records import Article, Chunk, Sentence


@dataclass(frozen=True, slots=True)
class ChunkSettings:
    size: int = 2  # sentences per chunk
    stride: int = 1  # sentences between chunk starts
    within_paragraph: bool = False  # start a new run of windows at every paragraph

    def __post_init__(self) -> None:
        if self.size < 1 or not 1 <= self.stride <= self.size:
            raise ValueError("chunk size must be >= 1 and 1 <= stride <= size")


def chunk_article(article: Article, settings: ChunkSettings | None = None) -> list[Chunk]:
    settings = settings or ChunkSettings()
    if settings.within_paragraph:
        groups: list[Sequence[Sentence]] = [p.sentences for p in article.paragraphs]
    else:
        groups = [article.sentences]
    chunks: list[Chunk] = []
    for sentences in groups:
        chunks.extend(_windows(article.id, sentences, settings))
    return chunks


def _windows(
    article_id: str, sentences: Sequence[Sentence], settings: ChunkSettings
) -> list[Chunk]:
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
                id=f"{article_id}#c{window[0].position}",
                article_id=article_id,
                sentence_ids=tuple(s.id for s in window),
                text=" ".join(s.text for s in window),
            )
        )
    return chunks
