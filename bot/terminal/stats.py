"""``articlebot stats``: the figures ``/stats`` shows, in the terminal.

Reads the database the bot writes (``ARTICLEBOT_DATABASE``, or PostgreSQL when
``ARTICLEBOT_DATABASE_URL`` is set); article ids are
shown with their titles when the seeds folder can be read.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING

from bot.terminal.options import CliError, add_seeds_option, articles_folder, need_extra
from bot.terminal.question_log import storage_config

if TYPE_CHECKING:
    from bot.storage.config import StorageConfig
    from bot.storage.stats import Stats

MAX_DAYS = 365


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "stats",
        help="questions, answered/refused shares, feedback, unanswered questions, articles added",
        description="Print what the bot was asked and how it did over the last days.",
    )
    parser.add_argument(
        "--days", type=int, default=7, metavar="N", help=f"period in days, 1 to {MAX_DAYS} (7)"
    )
    parser.add_argument("--guild", type=int, metavar="ID", help="only this server (default: all)")
    parser.add_argument(
        "--database",
        metavar="FILE",
        help="SQLite file (default: $ARTICLEBOT_DATABASE or data/articlebot.sqlite3)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--chart", metavar="PNG", help="also write the per-day chart to this file")
    add_seeds_option(parser, " (for article titles)")
    parser.set_defaults(handler=run_stats)


def run_stats(args: argparse.Namespace) -> int:
    from bot.storage import StorageConfig, StoreError

    if args.chart:
        need_extra("articlebot stats --chart", "chart", "matplotlib")
    if not 1 <= args.days <= MAX_DAYS:
        raise CliError(f"--days must be between 1 and {MAX_DAYS}")
    try:
        config = storage_config(args)
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    if args.database:
        config = StorageConfig(Path(args.database), config.retention_days, config.user_salt)
    if config.database_url is None and not config.database.exists():
        raise CliError(
            f"no question log at {config.database} yet: the Discord bot writes it, and so do "
            "`articlebot ask --log` and `chat --log` (or point ARTICLEBOT_DATABASE / --database at one)"
        )
    try:
        stats = asyncio.run(_load(config, args.days, args.guild))
    except StoreError as exc:
        raise CliError(str(exc)) from exc
    if args.chart:
        from bot.storage.chart import render_chart

        Path(args.chart).write_bytes(render_chart(stats))
    titles = article_titles(articles_folder(args).path)
    if args.json:
        data = stats.to_json()
        for item in data["top_articles"]:  # type: ignore[attr-defined]
            item["title"] = titles.get(item["article_id"])
        print(json.dumps(data, ensure_ascii=False))
    else:
        print(format_stats(stats, titles))
    return 0


async def _load(config: StorageConfig, days: int, guild_id: int | None) -> Stats:
    from bot.storage import store_from_config

    store = store_from_config(config)  # the SQLite file, or PostgreSQL when a URL is set
    await store.open()
    try:
        return await store.stats(days=days, guild_id=guild_id)
    finally:
        await store.close()


def article_titles(folder: Path) -> dict[str, str]:
    """Article id to title from the seeds folder; empty when it cannot be read."""
    from index import load_folder

    try:
        return {a.id: a.title for a in load_folder(folder).articles}
    except OSError:
        return {}


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def format_stats(stats: Stats, titles: dict[str, str] | None = None) -> str:
    titles = titles or {}
    scope = "all servers" if stats.guild_id is None else f"server {stats.guild_id}"
    votes = stats.helpful_votes + stats.not_helpful_votes
    p95 = "–" if stats.p95_latency_ms is None else f"{stats.p95_latency_ms:.0f} ms"
    lines = [
        f"Last {stats.days} days ({stats.since:%Y-%m-%d} to {stats.until:%Y-%m-%d} UTC), {scope}",
        f"Questions: {stats.questions}   answered {_share(stats.answered_share)}"
        f"   refused {_share(stats.refused_share)}   p95 latency {p95}",
        f"Helpful: {_share(stats.helpful_ratio)} of {votes} votes",
        f"Articles: {stats.articles_added} added, {stats.articles_removed} removed",
        "",
        "Most frequent unanswered questions:",
        *(
            [f"  {g.count:>4}×  {g.text}" for g in stats.top_unanswered]
            or ["  (none — every question got an answer)"]
        ),
        "",
        "Answers most often marked not helpful:",
        *(
            [
                f"  {f.not_helpful:>4}×  {f.answer}  (asked: {f.question}; {f.helpful} helpful)"
                for f in stats.not_helpful
            ]
            or ["  (none)"]
        ),
        "",
        "Most asked-about articles:",
        *(
            [
                f"  {a.questions:>4}   {titles.get(a.article_id, a.article_id)}"
                for a in stats.top_articles
            ]
            or ["  (none)"]
        ),
        "",
        "Per day (answered / refused):",
        *[f"  {d.day:%Y-%m-%d}  {d.answered:>4} / {d.refused}" for d in stats.per_day],
    ]
    return "\n".join(lines)
