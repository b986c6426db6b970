"""Rebuilding the corpus from the seeds folder and reporting what changed."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from index.engine import Corpus, load_corpus
from index.records import LoadProblem


@dataclass(frozen=True, slots=True)
class ReindexReport:
    corpus: Corpus
    added: tuple[str, ...]  # article titles
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    sentences: int
    chunks: int
    seconds: float
    problems: tuple[LoadProblem, ...]

    @property
    def summary_line(self) -> str:
        return (
            f"{len(self.corpus.articles)} articles ({len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.removed)} removed), {self.sentences} sentences, {self.chunks} chunks "
            f"in {self.seconds:.2f} s"
        )


def rebuild(folder: str | Path, previous: Corpus | None = None) -> ReindexReport:
    """Build a fresh corpus; raises like :func:`load_corpus` when nothing loads.

    The previous corpus is only read, never changed, so a failure here leaves
    whoever serves it untouched.
    """
    started = time.perf_counter()
    corpus = load_corpus(folder)
    old = {a.id: a for a in previous.articles} if previous else {}
    new = {a.id: a for a in corpus.articles}
    added = tuple(a.title for i, a in new.items() if i not in old)
    changed = tuple(
        a.title for i, a in new.items() if i in old and old[i].content_hash != a.content_hash
    )
    removed = tuple(a.title for i, a in old.items() if i not in new)
    return ReindexReport(
        corpus=corpus,
        added=added,
        changed=changed,
        removed=removed,
        unchanged=len(new) - len(added) - len(changed),
        sentences=corpus.sentence_count,
        chunks=len(corpus.chunks),
        seconds=time.perf_counter() - started,
        problems=corpus.problems,
    )
