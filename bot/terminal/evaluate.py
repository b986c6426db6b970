"""``articlebot eval FILE``: measure the engine on a question set.

The file's format decides what is measured: the JSON-lines development format
is asked against the seeds folder; SQuAD v1.1 / v2.0 JSON brings its own
articles, which are indexed together.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from bot import config
from bot.terminal.options import CliError, add_seeds_option, need_extra, open_engine

_LABELS = {
    "evidence@1": "evidence in top citation",
    "evidence@3": "evidence in top 3 citations",
    "answer_accuracy": "answer accuracy",
    "sentence_recall@1": "answer sentence recall@1",
    "sentence_recall@3": "answer sentence recall@3",
    "paragraph_recall@1": "right paragraph@1",
    "refused": "refused (any question)",  # SQuAD counts every refusal
}
_DEV_LABELS = {**_LABELS, "refused": "unanswerables refused"}  # the dev format counts those only


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="evaluate on a dev JSON-lines file or a SQuAD v1.1/v2.0 file",
        description=(
            "Evaluate the engine. FILE is either JSON lines (question, answers, evidence; "
            "asked against the seeds folder) or SQuAD v1.1/v2.0 JSON (its articles are "
            "indexed together and every question is asked)."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="question set to evaluate on")
    parser.add_argument("--json", action="store_true", help="print the metrics as one JSON object")
    parser.add_argument(
        "--predictions",
        metavar="OUT.json",
        help='write {question_id: answer_text} ("" for a refusal), the SQuAD prediction format',
    )
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    add_seeds_option(parser, " (for the JSON-lines format)")
    parser.set_defaults(handler=run_eval)


def run_eval(args: argparse.Namespace) -> int:
    from index.evaluation.base import EvalFormatError
    from index.evaluation.formats import DEV, read_json_file

    need_extra("articlebot eval", "eval", "tqdm")
    try:
        kind, content = read_json_file(args.file)
    except EvalFormatError as exc:
        raise CliError(str(exc)) from exc
    progress = None if args.no_progress else _progress_bar
    if kind == DEV:
        from index.evaluation.qa import DevItem, evaluate_dev

        engine = open_engine(args)
        items: list[DevItem] = content  # type: ignore[assignment]
        report: Any = evaluate_dev(engine, items, progress=progress)
    else:
        from index.evaluation.squad import evaluate_squad, parse_squad

        squad = parse_squad(content)  # type: ignore[arg-type]
        report = evaluate_squad(squad, progress=progress, model_dir=config.reader_dir())
    metrics: dict[str, object] = report.to_json()
    if args.predictions:
        _write_predictions(Path(args.predictions), report.predictions())
    if args.json:
        print(json.dumps(metrics, ensure_ascii=False))
    else:
        print(_table(args.file, metrics))
    return 0


def _progress_bar(items: Sequence[Any]) -> Iterable[Any]:
    from tqdm import tqdm

    bar: Iterable[Any] = tqdm(
        items, desc="questions", unit="q", file=sys.stderr, leave=False, mininterval=0.2
    )
    return bar


def _write_predictions(path: Path, predictions: dict[str, str]) -> None:
    try:
        path.write_text(json.dumps(predictions, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as exc:
        raise CliError(f"cannot write predictions to {path}: {exc.strerror or exc}") from exc


def _table(name: str, metrics: dict[str, object]) -> str:
    lines = [f"{name} ({metrics.get('format')}, {metrics.get('questions')} questions)"]
    for key, value in metrics.items():
        if key in ("format", "questions"):
            continue
        labels = _DEV_LABELS if metrics.get("format") == "dev" else _LABELS
        label = labels.get(key, key.replace("_", " "))
        lines.append(f"  {label:<32} {value}")
    return "\n".join(lines)
