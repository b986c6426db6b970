"""``articlebot summary`` and ``articlebot eval-summaries``.

``summary`` prints an extractive summary of one article (optionally about a
topic) with the paragraph and id of every sentence. ``eval-summaries`` scores
the summariser against Lead-3 with ROUGE on a JSON-lines file and/or on the
seed articles' own publisher summaries.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.terminal import render
from bot.terminal.options import (
    CliError,
    add_seeds_option,
    choose_article,
    missing_article,
    need_extra,
    open_engine,
    seeds_dir,
)

if TYPE_CHECKING:
    from index import Article
    from index.evaluation.summaries import Report


def register(subparsers: Any) -> None:
    from index import MAX_SENTENCES

    summary = subparsers.add_parser(
        "summary",
        help="summarise one article in a few of its own sentences",
        description="Summarise one article in a few of its own sentences, in article order.",
        epilog='example: articlebot summary --topic "Kim\'s trips to Moscow"',
    )
    summary.add_argument(
        "article",
        nargs="?",
        help=(
            "the article's number in `articlebot articles`, its id, file name or part of its "
            "title (optional when there is one article)"
        ),
    )
    summary.add_argument("--topic", help="only sentences about this topic, e.g. 'drones'")
    summary.add_argument(
        "--sentences",
        type=int,
        default=None,
        metavar="N",
        help=f"number of sentences, 1 to {MAX_SENTENCES} (default: 2 to 5, by the article's length)",
    )
    summary.add_argument("--json", action="store_true", help="print one JSON object")
    summary.add_argument("--ids", action="store_true", help="show each sentence's id")
    add_seeds_option(summary)
    summary.set_defaults(handler=run_summary)

    evaluate = subparsers.add_parser(
        "eval-summaries",
        help="score summaries against Lead-3 with ROUGE",
        description=(
            "Summarise every article of a JSON-lines file (id, article, summary) in 3 sentences "
            "and report ROUGE-1/2/Lsum F1 for the summariser and for Lead-3; with "
            "--publisher-summaries, do the same for the articles of a folder against the "
            "summary their publisher wrote (the paragraph under the title in the seed format)."
        ),
        epilog="example: articlebot eval-summaries --publisher-summaries",
    )
    evaluate.add_argument("file", nargs="?", help="JSON-lines file with id, article, summary")
    evaluate.add_argument(
        "--publisher-summaries",
        "--seeds",  # the first name, kept: it reads like the global --seeds but is this option
        dest="eval_seeds",
        nargs="?",
        const="",
        default=None,
        metavar="DIR",
        help=(
            "also score the articles in DIR against their publisher's own summaries "
            "(default DIR: the seeds folder, as for chat); --seeds is the same option"
        ),
    )
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.add_argument(
        "--output", metavar="PRED.jsonl", help="write one {id, summary} object per article"
    )
    evaluate.set_defaults(handler=run_eval_summaries)


def run_summary(args: argparse.Namespace) -> int:
    from index import SummaryError, summary_for

    engine = open_engine(args)
    article = _pick_article(engine, args.article)
    try:
        result = summary_for(article, topic=args.topic, sentences=args.sentences)
    except SummaryError as exc:
        raise CliError(str(exc)) from exc
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print(render.summary_text(result, ids=args.ids))
    return 0


def _pick_article(engine: Any, query: str | None) -> Article:
    articles = engine.corpus.articles
    if query:
        from index import AmbiguousArticle, find_article

        try:
            article: Article | None = find_article(articles, query)
        except AmbiguousArticle as exc:
            raise CliError(str(exc)) from exc
        if article is None:
            raise CliError(missing_article(engine, query, "`articlebot summary 2`"))
        return article
    if len(articles) == 1:
        only: Article = articles[0]
        return only
    raise CliError(choose_article(engine, "`articlebot summary 2`"))


def run_eval_summaries(args: argparse.Namespace) -> int:
    from index.evaluation import summaries as ev

    need_extra("articlebot eval-summaries", "eval", "rouge_score", "tqdm")
    if not args.file and args.eval_seeds is None:
        raise CliError(
            "give a JSON-lines FILE to score, or --publisher-summaries for the seed articles"
        )
    reports: dict[str, Report] = {}
    try:
        if args.file:
            examples = ev.read_examples(args.file)
            reports["file"] = ev.evaluate(_progress(ev.dataset_pairs(examples), len(examples)))
        if args.eval_seeds is not None:
            reports["seeds"] = ev.evaluate(_progress(_seed_pairs(args), None))
    except ev.SummaryDataError as exc:
        raise CliError(str(exc)) from exc
    if args.output:
        predictions = [p for r in reports.values() for p in r.predictions]
        try:
            ev.write_predictions(args.output, predictions)
        except OSError as exc:
            raise CliError(f"cannot write {args.output}: {exc.strerror or exc}") from exc
    if args.json:
        file_report, seed_report = reports.get("file"), reports.get("seeds")
        if file_report is not None:
            payload = file_report.to_json()
            if seed_report is not None:
                payload["seeds"] = seed_report.to_json(with_rouge_l=True)
        else:
            assert seed_report is not None
            payload = seed_report.to_json(with_rouge_l=True)
        print(json.dumps(payload))
        return 0
    for name, report in reports.items():
        label = args.file if name == "file" else "seed articles vs their publisher summaries"
        print(report_text(report, label, with_rouge_l=name == "seeds"))
    return 0


def _seed_pairs(args: argparse.Namespace) -> Any:
    from index import load_folder
    from index.evaluation import summaries as ev

    folder = Path(args.eval_seeds) if args.eval_seeds else seeds_dir(args)
    try:
        loaded = load_folder(folder)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise CliError(str(exc)) from exc
    pairs = list(ev.seed_pairs(loaded.articles))
    if not pairs:
        raise CliError(f"no article in {folder} has a publisher summary to score against")
    return pairs


def _progress(items: Any, total: int | None) -> Any:
    from tqdm import tqdm

    return tqdm(items, total=total, desc="summarising", unit="article", file=sys.stderr)


def report_text(report: Report, label: str, with_rouge_l: bool = False) -> str:
    names = ["rouge1", "rouge2", "rougeLsum"] + (["rougeL"] if with_rouge_l else [])
    titles = {
        "rouge1": "ROUGE-1",
        "rouge2": "ROUGE-2",
        "rougeLsum": "ROUGE-Lsum",
        "rougeL": "ROUGE-L",
    }
    rows = [f"{label}: {report.articles} article(s), 3 sentences each, ROUGE F1 (0-100)"]
    rows.append(f"{'':12}" + "".join(f"{titles[n]:>12}" for n in names))
    for row_label, scores, sign in (
        ("summariser", report.system, ""),
        ("Lead-3", report.lead3, ""),
        ("difference", report.delta, "+"),
    ):
        values = "".join(
            f"{getattr(scores, n):>+12.2f}" if sign else f"{getattr(scores, n):>12.2f}"
            for n in names
        )
        rows.append(f"{row_label:12}{values}")
    return "\n".join(rows)
