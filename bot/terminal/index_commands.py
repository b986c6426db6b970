"""``articlebot index build`` and ``articlebot index info``: the persisted search index.

The bot and the other commands load the stored index at start and update it
themselves when the seeds changed; ``build`` does that on demand (``--force``
re-tokenises everything) and ``info`` says what is stored and whether it is
up to date with the seeds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.terminal.options import (
    CliError,
    add_seeds_option,
    articles_folder,
    index_dir,
    seeds_dir,
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "index",
        help="build or inspect the stored search index",
        description="Build or inspect the stored search index.",
        epilog="example: articlebot index info",
    )
    commands = parser.add_subparsers(dest="index_command", metavar="ACTION", required=True)

    build = commands.add_parser(
        "build", help="index the seeds now (only new or changed articles are tokenised)"
    )
    build.add_argument(
        "--force", action="store_true", help="tokenise every article again, ignoring what is stored"
    )
    _common(build)
    build.set_defaults(handler=run_build)

    info = commands.add_parser("info", help="show what the stored index holds")
    info.add_argument("--json", action="store_true", help="print one JSON object")
    _common(info)
    info.set_defaults(handler=run_info)


def _common(parser: argparse.ArgumentParser) -> None:
    add_seeds_option(parser)
    parser.add_argument(
        "--index-dir",
        metavar="DIR",
        help="where the index is stored (default: DIR/index of --data; see docs/operations.md)",
    )


def _index_dir(args: argparse.Namespace) -> Path:
    return Path(args.index_dir) if args.index_dir else index_dir(args)


def run_build(args: argparse.Namespace) -> int:
    from index import NoArticlesError, build_corpus

    folder, directory = seeds_dir(args), _index_dir(args)
    try:
        report = build_corpus(folder, index_dir=directory, force=args.force)
    except (FileNotFoundError, NotADirectoryError, NoArticlesError) as exc:
        raise CliError(str(exc)) from exc
    for problem in report.corpus.problems:
        print(f"articlebot: skipped {problem}", file=sys.stderr)
    if report.index_problem:
        print(f"articlebot: {report.index_problem}", file=sys.stderr)
    if not report.saved and report.manifest is None:
        raise CliError(f"could not save the index to {directory} (see the message above)")
    corpus = report.corpus
    state = "saved" if report.saved else "already up to date"
    print(
        f"{len(corpus.articles)} articles ({len(report.retokenised)} tokenised, "
        f"{report.reused} reused), {corpus.sentence_count:,} sentences, "
        f"{len(corpus.chunks):,} chunks in {report.seconds:.2f} s; {state} in {directory}"
    )
    return 0


def run_info(args: argparse.Namespace) -> int:
    from index import IndexStoreError, load_folder, read_index

    directory = _index_dir(args)
    started = time.perf_counter()
    try:
        index, manifest = read_index(directory)
    except FileNotFoundError as exc:
        raise CliError(f"no index in {directory}; run `articlebot index build`") from exc
    except (IndexStoreError, OSError) as exc:
        raise CliError(f"{exc}; run `articlebot index build` to rebuild it") from exc
    load_seconds = time.perf_counter() - started
    status = "unknown (seeds folder not readable)"
    try:
        current = {a.id: a.content_hash for a in load_folder(articles_folder(args).path).articles}
    except OSError:
        current = None
    if current is not None:
        stored = {a.id: a.content_hash for a in manifest.articles}
        new = sum(1 for i in current if i not in stored)
        changed = sum(1 for i, h in current.items() if i in stored and stored[i] != h)
        gone = sum(1 for i in stored if i not in current)
        status = (
            "up to date with the seeds"
            if not (new or changed or gone)
            else f"stale: {new} new, {changed} changed, {gone} removed articles in the seeds"
        )
    size = (directory / manifest.index_file).stat().st_size
    facts: dict[str, Any] = {
        "index_dir": str(directory),
        "articles": len(manifest.articles),
        "sentences": manifest.sentences,
        "chunks": manifest.chunks,
        "vocabulary": index.vocabulary_size,
        "postings": index.postings,
        "file_bytes": size,
        "build_seconds": manifest.build_seconds,
        "built_at": manifest.built_at,
        "load_seconds": round(load_seconds, 4),
        "format_version": manifest.format_version,
        "tokenizer": {k: v for k, v in manifest.tokenizer.items() if k != "code_sha256"},
        "chunking": manifest.chunking,
        "status": status,
    }
    if args.json:
        print(json.dumps(facts, ensure_ascii=False))
        return 0
    built = datetime.fromisoformat(manifest.built_at).strftime("%Y-%m-%d %H:%M:%S %Z")
    rows = [
        ("index", str(directory)),
        ("articles", f"{facts['articles']:,}"),
        ("sentences", f"{manifest.sentences:,}"),
        ("chunks", f"{manifest.chunks:,}"),
        ("vocabulary", f"{index.vocabulary_size:,} terms ({index.postings:,} postings)"),
        ("file size", _size(size)),
        ("build time", f"{manifest.build_seconds:.2f} s (built {built})"),
        ("load time", f"{load_seconds * 1000:.1f} ms"),
        ("format", f"version {manifest.format_version}"),
        ("status", status),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"  # pragma: no cover
