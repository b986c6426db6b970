"""The two ways to a corpus: build one from articles, or open a folder's saved one.

:func:`build_corpus` indexes a folder of articles (or :class:`~index.records.Article`
records). Given the corpus being served (``previous``) or a saved index
(``index_dir``, :mod:`index.saved.store`), it reuses the counts of every article
whose content is unchanged (for chunks and for paragraphs) and tokenises only the
rest; with ``index_dir`` the result is saved when anything changed. It reports
what changed, so a ``/reindex`` is a build against the corpus being served: that
corpus is only read, so a failed build leaves it serving. :func:`open_corpus` is
what a process does at start: the build of a folder against its saved index,
which is loaded as it is when the articles are unchanged. A version-2 store (from
before the paragraph index was kept) still loads: its chunk counts are used, the
paragraph index is built once and the store is saved as version 3. With ``index_dir``
the sentence vectors (:mod:`index.sentence_vectors`) are computed too, in the build's
thread, and kept in its ``vectors/`` folder; unchanged articles' come from ``previous``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from index.bm25 import SparseBM25
from index.chunking import ChunkSettings, chunk_article
from index.corpus import Corpus, NoArticlesError, ParagraphIndex, paragraph_keys
from index.embedding import shared_embedder
from index.loader import load_folder
from index.records import Article, LoadProblem
from index.saved.gc_pause import quiet_gc
from index.saved.manifest import (
    ArticleEntry,
    IndexStoreError,
    Manifest,
    article_entries,
    read_manifest,
    tokenizer_fingerprint,
)
from index.saved.store import read_stored, write_index
from index.tokenize import Tokenizer, TokenizerSettings, default_tokenizer

log = logging.getLogger(__name__)

_Key = TypeVar("_Key", bound=Hashable)
VECTORS_FOLDER = "vectors"  # the sentence vectors, per article (:mod:`index.sentence_vectors`)
Plan = list[tuple[int, int] | list[list[str]]]  # see SparseBM25.rebuilt


@dataclass(frozen=True, slots=True)
class ReindexReport:
    """What :func:`build_corpus` made: the corpus, what changed since ``previous``, and
    how its index was got (``retokenised`` and ``reused`` count articles)."""

    corpus: Corpus
    added: tuple[str, ...]  # article titles
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    sentences: int
    chunks: int
    seconds: float
    problems: tuple[LoadProblem, ...]  # files skipped, each with why
    retokenised: tuple[str, ...] = ()  # ids of the articles whose chunks were tokenised
    paragraphs_retokenised: tuple[str, ...] = ()  # ids of those whose paragraphs were
    reused: int = 0  # articles whose stored or previous counts were reused
    loaded: bool = False  # the saved index was used as it is
    saved: bool = False  # the index was written to ``index_dir`` by this build
    index_problem: str = ""  # why the saved index could not be used, if it could not
    manifest: Manifest | None = field(default=None, repr=False)  # what is saved, if current

    @property
    def summary_line(self) -> str:
        return (
            f"{len(self.corpus.articles)} articles ({len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.removed)} removed), {self.sentences} sentences, {self.chunks} chunks "
            f"in {self.seconds:.2f} s"
        )


def open_corpus(
    folder: str | Path,
    index_dir: str | Path,
    *,
    tokenizer: Tokenizer | None = None,
    chunk_settings: ChunkSettings | None = None,
) -> Corpus:
    """The corpus of ``folder`` as a process starts with it, from its saved index in ``index_dir``.

    The saved index is loaded as it is when the articles are unchanged, else updated for
    those that changed and saved; a damaged one is rebuilt (logged). Raises
    :class:`NoArticlesError` naming the problems when no article loads.
    """
    return build_corpus(
        folder, index_dir=index_dir, tokenizer=tokenizer, chunk_settings=chunk_settings
    ).corpus


def build_corpus(
    articles: str | Path | Sequence[Article],
    *,
    previous: Corpus | None = None,
    index_dir: str | Path | None = None,
    force: bool = False,
    tokenizer: Tokenizer | None = None,
    chunk_settings: ChunkSettings | None = None,
) -> ReindexReport:
    """Index ``articles`` (a folder of them, or records), tokenising only what is new.

    Counts are reused from ``previous`` (a corpus being served, only read) or else
    from the saved index in ``index_dir``, for every article whose id, content hash
    and chunk layout are unchanged and whose tokeniser and chunk settings match.
    With ``index_dir`` the result is saved when it differs from what is saved; a
    failure to save is logged and does not stop the corpus from being served.
    Without it nothing is read or saved. ``force`` tokenises everything (and saves).
    A malformed article file is skipped and named in ``problems``; no usable article
    raises :class:`NoArticlesError` naming the problems. Runs under
    :func:`quiet_gc`, so it can run in a worker thread beside an event loop.
    """
    with quiet_gc():
        return _build(
            articles,
            index_dir=None if index_dir is None else Path(index_dir),
            previous=previous,
            tokenizer=tokenizer or default_tokenizer(),
            settings=chunk_settings or ChunkSettings(),
            reuse=not force,
        )


def _build(
    source: str | Path | Sequence[Article],
    *,
    index_dir: Path | None,
    previous: Corpus | None,
    tokenizer: Tokenizer,
    settings: ChunkSettings,
    reuse: bool,
) -> ReindexReport:
    started = time.perf_counter()
    articles, problems = _articles(source)
    per_article = [chunk_article(a, settings) for a in articles]
    chunks = [c for group in per_article for c in group]
    entries = article_entries(articles, chunks)
    fingerprint = tokenizer_fingerprint(tokenizer.settings)
    chunking = asdict(settings)

    use_previous = (
        reuse and previous is not None and _reusable(previous, tokenizer.settings, settings)
    )
    found = _Sources()
    if index_dir is not None and reuse:
        found = _stored_sources(index_dir, use_previous, fingerprint, chunking)
    if use_previous:
        assert previous is not None and isinstance(previous.index, SparseBM25)
        found.source = previous.index
        found.entries = article_entries(previous.articles, previous.chunks)
    stored, stored_index, stored_paragraphs = found.manifest, found.chunks, found.paragraphs

    plan, changed = _reuse_plan(
        [e.key for e in entries],
        _spans((e.key, e.chunks) for e in found.entries),
        lambda i: [tokenizer.tokens(c.text) for c in per_article[i]],
    )
    index = _index_from_plan(found.source, plan, tokenizer.settings)
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
        problems,
        built_at=built_at,
        chunk_settings=settings,
    )
    corpus.adopt_paragraph_index(
        tokenizer.settings, ParagraphIndex(paragraphs, paragraph_keys(articles))
    )
    corpus.adopt_vectors(previous, None if index_dir is None else index_dir / VECTORS_FOLDER)
    if index_dir is not None and (embedder := shared_embedder()) is not None:
        corpus.sentence_vectors(embedder)  # now, in the build's thread, not at a question
    manifest = stored if unchanged_on_disk else None
    saved = False
    if index_dir is not None and not unchanged_on_disk:
        try:
            manifest = write_index(
                index_dir,
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
            log.warning("could not save the index to %s: %s", index_dir, exc)
    old = {a.id: a for a in previous.articles} if previous else {}
    new = {a.id: a for a in corpus.articles}
    added = tuple(a.title for i, a in new.items() if i not in old)
    altered = tuple(
        a.title for i, a in new.items() if i in old and old[i].content_hash != a.content_hash
    )
    return ReindexReport(
        corpus=corpus,
        added=added,
        changed=altered,
        removed=tuple(a.title for i, a in old.items() if i not in new),
        unchanged=len(new) - len(added) - len(altered),
        sentences=corpus.sentence_count,
        chunks=len(corpus.chunks),
        seconds=time.perf_counter() - started,
        problems=problems,
        retokenised=tuple(articles[i].id for i in changed),
        paragraphs_retokenised=tuple(articles[i].id for i in paragraphs_changed),
        reused=len(entries) - len(changed),
        loaded=loaded,
        saved=saved,
        index_problem=found.problem,
        manifest=manifest,
    )


def _articles(
    source: str | Path | Sequence[Article],
) -> tuple[list[Article], tuple[LoadProblem, ...]]:
    """The articles to index and the files skipped; raises :class:`NoArticlesError` if none."""
    if not isinstance(source, str | Path):
        if not source:
            raise NoArticlesError("no usable articles to index")
        return list(source), ()
    result = load_folder(source)
    if not result.articles:
        detail = "; ".join(str(p) for p in result.problems) or "the folder has no .txt or .md files"
        raise NoArticlesError(f"no usable articles in {source}: {detail}")
    return list(result.articles), tuple(result.problems)


@dataclass(slots=True)
class _Sources:
    """Where counts can be reused from: the stored index (or the corpus being served)."""

    source: SparseBM25 | None = None  # the chunk index whose rows are reused
    entries: list[ArticleEntry] = field(default_factory=list)  # its articles, in row order
    manifest: Manifest | None = None  # what is stored, if usable
    chunks: SparseBM25 | None = None  # the stored chunk index, if it was read
    paragraphs: SparseBM25 | None = None  # the stored paragraph index, if it was read
    problem: str = ""  # why the stored index could not be used, if it could not


def _stored_sources(
    directory: Path, use_previous: bool, fingerprint: dict[str, Any], chunking: dict[str, Any]
) -> _Sources:
    """What is stored in ``directory`` and usable with these settings.

    With ``use_previous`` the counts come from memory and only the manifest is
    read (it says whether the disk is current); otherwise the whole stored
    index is read and checked, and becomes the source of counts.
    """
    found = _Sources()
    try:
        if use_previous:
            found.manifest = read_manifest(directory)
        else:
            loaded = read_stored(directory)
            found.manifest, found.chunks, found.paragraphs = (
                loaded.manifest,
                loaded.chunks,
                loaded.paragraphs,
            )
    except FileNotFoundError:
        return found  # nothing stored yet
    except (IndexStoreError, OSError) as exc:
        found.problem = f"stored index not used: {exc}; rebuilding it from the seeds"
        log.warning("%s", found.problem)
        return found
    assert found.manifest is not None
    if found.manifest.tokenizer != fingerprint or found.manifest.chunking != chunking:
        found.problem = (
            "stored index was built with other tokeniser or chunk settings; rebuilding it"
        )
        log.info("%s", found.problem)
        return _Sources(problem=found.problem)
    if not use_previous:
        found.source, found.entries = found.chunks, list(found.manifest.articles)
    return found


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
