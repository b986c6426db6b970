"""Rebuilding the corpus from the seeds folder and reporting what changed.

The rebuild is incremental: an article whose content hash (and chunk layout)
is unchanged keeps the term counts it already has in the corpus being served,
and only added or changed articles are split into chunks' tokens again. The
BM25 weights are then recomputed for the new corpus statistics, so the result
is exactly what a full rebuild would give. The same goes for the paragraph
index the answer ranking uses. Both are saved (see :mod:`index.store`) so the
next start loads them instead of rebuilding.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from index.building import open_corpus
from index.corpus import Corpus
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
    retokenised: int = 0  # articles whose text was split and tokenised again
    reused: int = 0  # articles whose existing counts were kept as they were
    index_note: str = ""  # why a stored index was not used, or why it could not be saved

    @property
    def summary_line(self) -> str:
        return (
            f"{len(self.corpus.articles)} articles ({len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.removed)} removed), {self.sentences} sentences, {self.chunks} chunks "
            f"in {self.seconds:.2f} s"
        )


def rebuild(
    folder: str | Path,
    previous: Corpus | None = None,
    *,
    index_dir: str | Path | None = None,
    persist: bool = True,
) -> ReindexReport:
    """Build a new corpus from ``folder``; raises like :func:`index.building.load_corpus`.

    The previous corpus is only read, never changed, so a failure here leaves
    whoever serves it untouched; swap the returned ``corpus`` in when done.
    Safe to run in a worker thread.
    """
    started = time.perf_counter()
    opened = open_corpus(folder, previous=previous, index_dir=index_dir, persist=persist)
    corpus = opened.corpus  # with its paragraph index: nothing is left for the first question
    old = {a.id: a for a in previous.articles} if previous else {}
    new = {a.id: a for a in corpus.articles}
    added = tuple(a.title for i, a in new.items() if i not in old)
    changed = tuple(
        a.title for i, a in new.items() if i in old and old[i].content_hash != a.content_hash
    )
    removed = tuple(a.title for i, a in old.items() if i not in new)
    note = opened.problem
    if persist and not opened.saved and opened.manifest is None:
        note = (note + "; " if note else "") + f"the index could not be saved to {opened.index_dir}"
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
        retokenised=len(opened.retokenised),
        reused=opened.reused,
        index_note=note,
    )
