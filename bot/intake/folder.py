"""Writing an article into the folder and taking one out, with the index rebuilt after.

An added article is one self-contained file in the seed format, written by
:func:`index.seed_format.write_article` beside the code that reads it (a page
without a summary as Markdown), so a reindex from the folder alone gives the
same index. A removed
article's file moves to ``removed/`` beside the articles and is never
deleted. Either way, when ``rebuild`` fails the file goes back to where it
was: the folder is unchanged and the caller keeps serving its old index.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePath
from urllib.parse import urlsplit, urlunsplit

from bot.intake.errors import DuplicateArticle, IntakeError
from bot.intake.records import Draft
from index import Article, ArticleError, Corpus, load_folder, parse_article, write_article

REMOVED_FOLDER = "removed"
SAME_TEXT_SHARE = 0.9  # sentences two articles share, of the longer one's, to count as one text
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_MAX_STEM = 60
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Added:
    article: Article  # the record from the new corpus
    file: Path


@dataclass(frozen=True, slots=True)
class Removed:
    article: Article
    moved_to: Path


def add_to_folder(
    seeds: Path, draft: Draft, rebuild: Callable[[], Corpus], *, added_by: str = ""
) -> Added:
    """Write ``draft`` into ``seeds`` and rebuild; raises :class:`IntakeError` with nothing changed.

    Refused as :class:`DuplicateArticle` when an article of the folder has the
    same link or mostly the same sentences.
    """
    seeds = _folder(seeds)
    existing = load_folder(seeds).articles
    stem = _free_stem(seeds, draft.title, {a.id for a in existing})
    suffix, text = write_article(
        draft.title,
        draft.paragraphs,
        article_id=stem,
        source=draft.source,
        summary=draft.summary,
        added_at=_now(),
        added_by=added_by,
        author=draft.author,
        published=draft.published,
    )
    name = stem + suffix
    try:
        candidate = parse_article(text.encode("utf-8"), name=name)
    except ArticleError as exc:
        raise IntakeError(f"“{draft.title}” {exc}") from exc
    duplicate = _duplicate_of(candidate, existing)
    if duplicate is not None:
        raise DuplicateArticle(duplicate.id, duplicate.title, duplicate.source_path)
    path = seeds / name
    _write_new(path, text)
    corpus = _rebuilt(rebuild, undo=lambda: path.unlink(missing_ok=True), action="added")
    article = next((a for a in corpus.articles if a.source_path == name), None)
    if article is None:
        path.unlink(missing_ok=True)
        problem = next((p.reason for p in corpus.problems if p.path == name), "it was not loaded")
        raise IntakeError(f"“{draft.title}” could not be indexed ({problem}); nothing was added")
    return Added(article, path)


def remove_from_folder(seeds: Path, article: Article, rebuild: Callable[[], Corpus]) -> Removed:
    """Move ``article``'s file to ``seeds/removed/`` and rebuild; on failure move it back."""
    seeds = _folder(seeds)
    path = seeds / PurePath(article.source_path).name
    if not path.is_file():
        raise IntakeError(f"{article.source_path} is no longer in the articles folder")
    removed = seeds / REMOVED_FOLDER
    removed.mkdir(exist_ok=True)
    target = _free_name(removed, path.name)
    os.replace(path, target)
    corpus = _rebuilt(rebuild, undo=lambda: os.replace(target, path), action="removed")
    if any(a.id == article.id for a in corpus.articles):
        os.replace(target, path)
        raise IntakeError(f"another file still holds {article.id}; nothing was removed")
    return Removed(article, target)


def _rebuilt(rebuild: Callable[[], Corpus], *, undo: Callable[[], object], action: str) -> Corpus:
    """``rebuild()``, undoing the file change first when it fails."""
    try:
        return rebuild()
    except Exception as exc:
        undo()
        reason = _one_line(str(exc)) or type(exc).__name__
        raise IntakeError(
            f"the index could not be rebuilt ({reason}); nothing was {action}"
        ) from exc
    except BaseException:
        undo()
        raise


def _duplicate_of(candidate: Article, existing: Iterable[Article]) -> Article | None:
    link = _normal_link(candidate.source)
    sentences = _sentences(candidate)
    for article in existing:
        if link and _normal_link(article.source) == link:
            return article
        theirs = _sentences(article)
        shared = len(sentences & theirs)
        if shared and shared >= SAME_TEXT_SHARE * max(len(sentences), len(theirs)):
            return article
    return None


def _sentences(article: Article) -> set[str]:
    return {" ".join(s.text.casefold().split()) for s in article.sentences}


def _normal_link(source: str) -> str:
    """``source`` as a comparable link ('' when it is not one): case, default port, fragment."""
    parts = urlsplit(source.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return ""
    host = parts.hostname
    try:
        port = parts.port
    except ValueError:
        return ""
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path.rstrip("/") or "/", parts.query, ""))


def _free_stem(seeds: Path, title: str, ids: set[str]) -> str:
    """A file stem (and article id) from the title that no file or article uses yet."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    base = _NOT_SLUG.sub("-", ascii_title.lower()).strip("-")[:_MAX_STEM].strip("-") or "article"
    if len(base) < 4:
        base = f"{base}-article"
    stem, n = base, 1
    while stem in ids or any(seeds.glob(f"{stem}.*")):
        n += 1
        stem = f"{base}-{n}"
    return stem


def _free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name-2``, ``name-3``... when an earlier removal took it."""
    target, n = folder / name, 1
    while target.exists():
        n += 1
        target = folder / f"{PurePath(name).stem}-{n}{PurePath(name).suffix}"
    return target


def _write_new(path: Path, text: str) -> None:
    """Write the file whole or not at all (a hidden temporary file, fsync, rename)."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise IntakeError(f"could not write {path.name} ({exc.strerror or exc})") from exc


def _folder(seeds: Path) -> Path:
    seeds = Path(seeds)
    if not seeds.is_dir():
        raise IntakeError(f"the articles folder {seeds} does not exist")
    return seeds


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
