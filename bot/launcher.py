"""The ``articlebot`` command.

With no sub-command it starts the Discord bot when a token is configured and
otherwise a terminal chat over the same engine, so anyone can try it with no
Discord set-up. Every failure a user can cause ends in a one-line message and
a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from bot import config
from bot.terminal import render
from bot.terminal.options import (
    EXIT_FAILURE,
    CliError,
    add_seeds_option,
    articles_folder,
    index_dir,
    missing_article,
    open_engine,
)

# Modules that contribute sub-commands: each has ``register(subparsers)``, which
# adds its parser with ``set_defaults(handler=...)`` and imports heavy things lazily.
COMMAND_MODULES: tuple[str, ...] = (
    "bot.terminal.articles",
    "bot.terminal.evaluate",
    "bot.terminal.summary",
    "bot.terminal.stats",
    "bot.terminal.index_commands",
    "bot.terminal.library_commands",
)
EXIT_USAGE = 2


DASH_HINT = "a question that starts with '-' goes after '--', e.g. articlebot ask -- \"-5 or 5?\""


class _SubcommandParser(argparse.ArgumentParser):
    """Sub-command parsers; ``ask``'s usage errors name the fix for a leading '-'.

    A question starting with '-' looks like an option to argparse, whose own
    message ("ignored explicit argument 'ow many...'") says nothing a user can
    act on.
    """

    def error(self, message: str) -> NoReturn:
        if not self.prog.endswith(" ask"):
            super().error(message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\nhint: {DASH_HINT}\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = getattr(args, "handler", run_default)
    try:
        return handler(args)
    except CliError as exc:
        print(f"articlebot: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def build_parser() -> argparse.ArgumentParser:
    from bot.terminal.question_log import add_log_option

    folder = articles_folder(argparse.Namespace())
    parser = argparse.ArgumentParser(
        prog="articlebot",
        description="Answer questions about news articles with short answers and cited sentences.",
        epilog=f"articles folder: {folder.path} ({folder.chosen()})",
    )
    parser.add_argument("--version", action="version", version=f"articlebot {_version()}")
    add_seeds_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_SubcommandParser)

    ask = sub.add_parser(
        "ask",
        help="answer one question and exit",
        description="Answer one question and exit.",
        epilog='example: articlebot ask "how many troops were sent to Russia?"',
    )
    ask.add_argument(
        "question", nargs="+", help="the question (quotes optional: the words are joined)"
    )
    ask.add_argument(
        "--article",
        help="only search this article: its number in `articlebot articles`, id, file name "
        "or part of the title",
    )
    chat = sub.add_parser(
        "chat",
        help="interactive terminal chat (the default without a token)",
        description="Ask questions in the terminal; type 'help' inside for the chat commands.",
        epilog="example: articlebot chat --ids   (piped: one question per line, 'quit' ends)",
    )
    ask.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    chat.add_argument(
        "--json",
        action="store_true",
        help="read one question a line, print one JSON object a line (the keys of ask --json)",
    )
    for parser_ in (ask, chat):
        parser_.add_argument(
            "--ids", action="store_true", help="show each quoted sentence's id (JSON always has it)"
        )
        add_log_option(parser_)
        add_seeds_option(parser_)
    ask.set_defaults(handler=run_ask)
    chat.set_defaults(handler=run_chat)

    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(sub)
    return parser


def run_default(args: argparse.Namespace) -> int:
    if config.discord_token():
        from bot.discord_app.runner import (
            run_bot,  # imported lazily: terminal mode never loads discord.py
        )

        return run_bot(getattr(args, "seeds", None), index_dir(args), config.reader_dir())
    args.ids = args.log = False
    return run_chat(args)


def run_ask(args: argparse.Namespace) -> int:
    from bot.serving.answering import QuestionRefused
    from bot.terminal.question_log import answering
    from index import QuestionError

    engine = open_engine(args)
    article_id = None
    if args.article:
        from index import AmbiguousArticle, find_article

        try:
            article = find_article(engine.corpus.articles, args.article)
        except AmbiguousArticle as exc:
            raise CliError(str(exc)) from exc
        if article is None:
            raise CliError(missing_article(engine, args.article, "`--article 2`"))
        article_id = article.id
    with answering(args, engine) as answers:
        try:
            reply = answers.ask(" ".join(args.question), article_id)
        except (QuestionRefused, QuestionError) as exc:
            raise CliError(str(exc)) from exc
    if args.json:
        print(json.dumps(render.reply_json(reply), ensure_ascii=False))
    else:
        print(render.reply_text(reply, engine.corpus, ids=args.ids))
    return 0


def run_chat(args: argparse.Namespace) -> int:
    from bot.terminal.chat import run_chat as chat

    return chat(args)


def _version() -> str:
    """The installed distribution's version (``pyproject.toml``'s)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("articlebot")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
