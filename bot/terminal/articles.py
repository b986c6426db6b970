"""``articlebot articles``: the loaded articles, so a user can name one to ``ask --article`` or ``summary``."""

from __future__ import annotations

import argparse
import json
from typing import Any

from bot.terminal import render
from bot.terminal.options import add_seeds_option, articles_folder, index_dir, open_engine


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "articles",
        help="list the articles: number, title, id, file, source, when added and indexed",
        description=(
            "List the loaded articles, numbered as `ask --article N`, `summary N` and "
            "`remove N` take them, with the file, the id they also take, where each came from, "
            "when it was added and when the index was built."
        ),
        epilog="example: articlebot articles --json",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_seeds_option(parser)
    parser.set_defaults(handler=run_articles)


def run_articles(args: argparse.Namespace) -> int:
    from index import IndexStoreError, read_manifest

    engine = open_engine(args)  # indexes new or changed articles first, as every command does
    try:
        indexed_at: str | None = read_manifest(index_dir(args)).built_at
    except (OSError, IndexStoreError):
        indexed_at = None  # the index could not be saved; the articles were still loaded
    rows: list[dict[str, Any]] = [
        {
            "id": a.id,
            "title": a.title,
            "file": a.source_path,
            "source": a.source,
            "added_at": a.added_at,
            "sentences": a.sentence_count,
            "paragraphs": len(a.paragraphs),
        }
        for a in engine.corpus.articles
    ]
    folder = articles_folder(args)
    if args.json:
        data = {"folder": str(folder.path), "indexed_at": indexed_at, "articles": rows}
        print(json.dumps(data, ensure_ascii=False))
        return 0
    print(f"Articles folder: {folder.path} ({folder.chosen()})")
    print(render.articles_text(engine.corpus))
    if indexed_at is None:
        print("(the index could not be saved: it is built again on the next start)")
    return 0
