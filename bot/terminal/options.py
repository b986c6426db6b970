"""What every ``articlebot`` sub-command shares: its errors, the seeds and index folders, the engine.

Sub-command modules (``register(subparsers)`` each) import from here, never from
the entry point (:mod:`bot.launcher`), which imports them.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot import config
from bot.storage import folders

if TYPE_CHECKING:
    from index import Engine

EXIT_FAILURE = 1


class CliError(Exception):
    """A user-facing failure: printed as one line, exit status 1."""


def need_extra(command: str, extra: str, *modules: str) -> None:
    """Stop ``command`` with one line when the optional dependencies it needs are missing.

    The run-time install leaves out what only evaluation and charts use (``[eval]``,
    ``[chart]`` in pyproject.toml), so these commands say what to install instead of
    failing with an ImportError.
    """
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise CliError(
            f"{command} needs {', '.join(missing)}, which the plain install leaves out: "
            f"pip install 'articlebot[{extra}]'"
        )


def add_seeds_option(parser: argparse.ArgumentParser, purpose: str = "") -> None:
    """``--seeds DIR`` and ``--data DIR``, shared by every sub-command (see :func:`index_dir`)."""
    parser.add_argument(
        "--seeds",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=f"folder of article files{purpose} (default: $ARTICLEBOT_SEEDS, else ./seeds when "
        "there is one, else your own library in the user data folder; now: "
        f"{config.articles_folder().path})",
    )
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="where the search index is kept, in DIR/index (default: see docs/operations.md)",
    )


def articles_folder(args: argparse.Namespace) -> folders.ArticlesFolder:
    """The articles folder the command works on (:func:`bot.storage.folders.articles_folder`)."""
    return config.articles_folder(getattr(args, "seeds", None))


def seeds_dir(args: argparse.Namespace, *, need_articles: bool = True) -> Path:
    """The articles folder, ready to use: the user's library is created on first use;
    a folder that is missing, unreadable or empty is a :class:`CliError` naming its setting."""
    try:
        return folders.ready_articles_folder(articles_folder(args), need_articles=need_articles)
    except folders.FolderError as exc:
        raise CliError(str(exc)) from exc


def index_dir(args: argparse.Namespace) -> Path:
    """Where the index of the articles is kept (``--data DIR``; see :func:`folders.index_dir`)."""
    return config.index_dir(articles_folder(args), getattr(args, "data", None))


def open_engine(args: argparse.Namespace) -> Engine:
    """Build the engine over the seeds folder, turning load failures into CliError."""
    from index import Engine, NoArticlesError, open_corpus

    folder = seeds_dir(args)
    _report_library_warnings()
    try:
        engine = Engine(open_corpus(folder, index_dir(args)), model_dir=config.reader_dir())
    except (FileNotFoundError, NotADirectoryError, NoArticlesError) as exc:
        raise CliError(f"{exc} ({articles_folder(args).chosen()})") from exc
    for problem in engine.corpus.problems:
        print(f"articlebot: skipped {problem}", file=sys.stderr)
    return engine


def missing_article(engine: Engine, name: str, example: str) -> str:
    """What to say when ``name`` picks no article; a number says there is no such one and lists them."""
    if not name.strip().isdigit():
        return f"no article matches {name!r}; see the titles with `articlebot articles`"
    return f"there is no article {name.strip()}; " + choose_article(engine, example)


def choose_article(engine: Engine, example: str) -> str:
    """What to say when an article must be chosen: the numbered list and an ``example``."""
    from bot.terminal import render

    count = len(engine.corpus.articles)
    listing = render.articles_text(engine.corpus, brief=True)
    return f"{count} articles loaded; choose one by number, id or title, e.g. {example}:\n{listing}"


def _report_library_warnings() -> None:
    """Print the engine's warnings (a reader that cannot load, a damaged index) as one line each.

    Terminal commands configure no logging; without this, Python's last-resort
    handler would print them bare. The bot (``run_bot``) logs them instead.
    """
    logger = logging.getLogger("index")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("articlebot: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
        logger.propagate = False
