"""``articlebot add`` and ``articlebot remove``: the article folder from the terminal.

The same code path as Discord's ``/article add`` and ``/article remove``
(:mod:`bot.intake`), with the same messages; the index is rebuilt and saved
where ``ask`` and the bot load it, so the next question sees the change.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.terminal.options import (
    CliError,
    add_seeds_option,
    index_dir,
    missing_article,
    open_engine,
    seeds_dir,
)
from bot.terminal.question_log import record_article_event

if TYPE_CHECKING:
    from bot.intake import Draft
    from index import Corpus


def register(subparsers: Any) -> None:
    add = subparsers.add_parser(
        "add",
        help="add an article from a link or an .html, .txt, .md or .markdown file",
        description=(
            "Add an article to the folder from a link (http or https) or a file "
            "(.html, .htm, .txt, .md, .markdown), then rebuild the index. Links to private or "
            "loopback addresses need ARTICLEBOT_ALLOW_PRIVATE_URLS=1."
        ),
        epilog="example: articlebot add https://example.org/news/story --json",
    )
    add.add_argument("source", metavar="SOURCE", help="a link, or the path of a file")
    add.add_argument("--json", action="store_true", help="print the added article as JSON")
    add_seeds_option(add)
    add.set_defaults(handler=run_add)

    remove = subparsers.add_parser(
        "remove",
        help="remove an article (its file moves to removed/ in the folder)",
        description=(
            "Remove an article: its file moves to removed/ inside the articles folder, "
            "never deleted, and the index is rebuilt."
        ),
        epilog='example: articlebot remove "ferry terminal"',
    )
    remove.add_argument(
        "article",
        metavar="ARTICLE",
        help="its number in `articlebot articles`, its id, file name or part of its title",
    )
    add_seeds_option(remove)
    remove.set_defaults(handler=run_remove)


def run_add(args: argparse.Namespace) -> int:
    from bot.intake import IntakeError, add_to_folder, added_message

    try:
        draft = _draft(args.source)
        folder = seeds_dir(args, need_articles=False)
        added = add_to_folder(folder, draft, _rebuild(args, folder), added_by="terminal")
    except IntakeError as exc:
        raise CliError(str(exc)) from exc
    record_article_event(args, "add", added.article, draft.source)
    article = added.article
    if args.json:
        facts = {
            "id": article.id,
            "title": article.title,
            "file": article.source_path,
            "source": article.source,
            "sentences": article.sentence_count,
            "paragraphs": len(article.paragraphs),
            "added_at": article.added_at,
            "author": article.author,
            "published": article.published,
            "message": added_message(added),
        }
        print(json.dumps(facts, ensure_ascii=False))
    else:
        print(added_message(added))
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from bot.intake import IntakeError, remove_from_folder, removed_message
    from index import AmbiguousArticle, find_article

    engine = open_engine(args)
    try:
        article = find_article(engine.corpus.articles, args.article)
    except AmbiguousArticle as exc:  # never the first of several: it would be moved away
        raise CliError(str(exc)) from exc
    if article is None:
        raise CliError(missing_article(engine, args.article, "`articlebot remove 2`"))
    try:
        folder = seeds_dir(args)
        removed = remove_from_folder(folder, article, _rebuild(args, folder))
    except IntakeError as exc:
        raise CliError(str(exc)) from exc
    record_article_event(args, "remove", removed.article, removed.article.source)
    print(removed_message(removed))
    return 0


def _draft(source: str) -> Draft:
    """A link is fetched; anything else is the path of a file."""
    from bot.config import allow_private_urls
    from bot.intake import IntakeError, draft_from_file, draft_from_url
    from index import MAX_FILE_BYTES

    if "://" in source:
        return asyncio.run(draft_from_url(source, allow_private=allow_private_urls()))
    path = Path(source)
    if not path.is_file():
        raise IntakeError(f"no such file: {source} (a link starts with https://)")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise IntakeError(f"{path.name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IntakeError(f"{source} cannot be read ({exc.strerror or exc})") from exc
    return draft_from_file(path.name, data)


def _rebuild(args: argparse.Namespace, folder: Path) -> Callable[[], Corpus]:
    """The index as ``open_engine`` and ``index build`` make it: updated and saved in place."""
    from index import open_corpus

    directory = index_dir(args)
    return lambda: open_corpus(folder, directory)
