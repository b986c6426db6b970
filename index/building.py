"""Building a corpus from the seeds folder, reusing what is already indexed.

:func:`open_corpus` is the way in: it loads the seeds, reuses the stored
counts of every article whose content is unchanged (for chunks and for
paragraphs, from the corpus being served or from the saved index), tokenises
only the rest, and saves the result when anything changed (:mod:`index.store`).
A version-2 store (from before the paragraph index was kept) still loads: its
chunk counts are used, the paragraph index is built once and the store is
saved as version 3. :func:`build_corpus` indexes articles in memory only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from index.bm25 import RetrievalIndex, SparseBM25
from index.chunking import ChunkSettings, chunk_article
from index.corpus import Corpus, NoArticlesError, ParagraphIndex, paragraph_keys
from index.gc_pause import quiet_gc
from index.loader import LoadResult, load_folder
from index.manifest import (
    ArticleEntry,
    IndexStoreError,
    Manifest,
    article_entries,
    read_manifest,
    tokenizer_fingerprint,
)
from index.records import Article, LoadProblem
from index.store import index_folder, read_stored, write_index
from index.tokenize import Tokenizer, TokenizerSettings, default_tokenizer

log = logging.getLogger(__name__)

_Key = TypeVar("_Key", bound=Hashable)
Plan = list[tuple[int, int] | list[list[str]]]  # see SparseBM25.rebuilt
IndexFactory = Callable[[Sequence[Sequence[str]]], RetrievalIndex]


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
    directory = Path(index_dir) if index_dir is not None else index_folder(folder)
    result = load_articles(folder)
    articles = result.articles
    per_article = [chunk_article(a, settings) for a in articles]
    chunks = [c for group in per_article for c in group]
    entries = article_entries(articles, chunks)
    fingerprint = tokenizer_fingerprint(tokenizer.settings)
    chunking = asdict(settings)

    use_previous = (
        reuse and previous is not None and _reusable(previous, tokenizer.settings, settings)
    )
    found = _Sources()
    if persist and reuse:
        found = _stored_sources(directory, use_previous, fingerprint, chunking)
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
        problem=found.problem,
        seconds=time.perf_counter() - started,
        manifest=manifest,
        paragraphs_retokenised=tuple(articles[i].id for i in paragraphs_changed),
    )


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


def load_articles(folder: str | Path) -> LoadResult:
    """The articles of ``folder``; raises :class:`NoArticlesError` naming the problems."""
    result = load_folder(folder)
    if not result.articles:
        detail = "; ".join(str(p) for p in result.problems) or "the folder has no .txt or .md files"
        raise NoArticlesError(f"no usable articles in {folder}: {detail}")
    return result


def build_corpus(
    articles: Sequence[Article],
    *,
    problems: Sequence[LoadProblem] = (),
    tokenizer: Tokenizer | None = None,
    chunk_settings: ChunkSettings | None = None,
    index_factory: IndexFactory = SparseBM25,
) -> Corpus:
    """Index ``articles`` in memory (nothing is read or saved)."""
    if not articles:
        raise NoArticlesError("no usable articles to index")
    tokenizer = tokenizer or default_tokenizer()
    settings = chunk_settings or ChunkSettings()
    chunks = [c for a in articles for c in chunk_article(a, settings)]
    index = index_factory([tokenizer.tokens(c.text) for c in chunks])
    return Corpus(tuple(articles), tuple(chunks), index, tuple(problems), chunk_settings=settings)


def load_corpus(
    folder: str | Path, *, index_dir: str | Path | None = None, **kwargs: object
) -> Corpus:
    """Load ``folder`` and index it; raises :class:`NoArticlesError` naming the problems.

    With the default index the saved one is used (``index_dir``, default
    :func:`index.store.index_folder`): loaded when the seeds are unchanged,
    updated for the articles that changed, rebuilt and reported when it is
    damaged (:func:`open_corpus`). Another ``index_factory`` builds in memory.
    """
    if kwargs.get("index_factory", SparseBM25) is SparseBM25:
        options = {k: v for k, v in kwargs.items() if k != "index_factory"}
        return open_corpus(folder, index_dir=index_dir, **options).corpus  # type: ignore[arg-type]
    result = load_articles(folder)
    return build_corpus(result.articles, problems=result.problems, **kwargs)  # type: ignore[arg-type]
