"""Where articlebot keeps its files: the articles, the saved index and the question log.

One rule, :func:`articles_folder`, for every front end. In a checkout (a ``seeds/``
folder in the working directory) and for a folder the user names, things stay as they
always were: the question log in ``./data``, the index in ``./data/index`` when the
folder is inside the working directory. With neither, articlebot runs as an installed
tool: the articles live in the user's own library in the user data folder, created on
first use holding the sample article shipped in the package, and nothing is written in
the working directory (the question log beside the library, the index in the user cache).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from index import is_article_file

SEEDS_ENV = "ARTICLEBOT_SEEDS"
INDEX_DIR_ENV = "ARTICLEBOT_INDEX_DIR"
LOCAL_SEEDS = Path("seeds")
LOCAL_DATA = Path("data")
# A copy of seeds/000_814f4a391a44af90.txt, so a fresh library answers at once.
SAMPLE_ARTICLES = Path(__file__).resolve().parent.parent / "sample_articles"
USER_LIBRARY = "the user data folder"


class FolderError(Exception):
    """The articles folder cannot be used; the message is one line naming what chose it."""


@dataclass(frozen=True, slots=True)
class ArticlesFolder:
    """The articles folder and what chose it (``--seeds``, ``ARTICLEBOT_SEEDS``, ...)."""

    path: Path
    chosen_by: str

    @property
    def is_user_library(self) -> bool:
        return self.chosen_by == USER_LIBRARY

    def chosen(self) -> str:
        """What chose the folder and how to choose another, for every message about it."""
        if self.is_user_library:
            return f"{USER_LIBRARY}; --seeds DIR or {SEEDS_ENV} chooses another"
        if self.chosen_by == "./seeds":
            return f"./seeds in the working directory; --seeds DIR or {SEEDS_ENV} chooses another"
        return f"set by {self.chosen_by}"

    def problem(self, what: str) -> FolderError:
        """``the articles folder PATH <what> (chosen by ...)``: one line a user can act on."""
        return FolderError(f"the articles folder {self.path} {what} ({self.chosen()})")


def articles_folder(
    option: str | Path | None = None, configured: str | None = None
) -> ArticlesFolder:
    """The articles folder: ``--seeds DIR`` (``option``), else ``$ARTICLEBOT_SEEDS``
    (``configured``, read by :mod:`bot.config`), else ``./seeds`` when the working
    directory has one, else the user's library.

    Pure: nothing is created or checked here (see :func:`ready_articles_folder`).
    """
    if option:
        return ArticlesFolder(Path(option), "--seeds")
    if configured:
        return ArticlesFolder(Path(configured), SEEDS_ENV)
    if LOCAL_SEEDS.is_dir():
        return ArticlesFolder(LOCAL_SEEDS, "./seeds")
    return ArticlesFolder(user_data_folder() / "articles", USER_LIBRARY)


def user_data_folder() -> Path:
    """articlebot's folder in the user data folder (``~/.local/share/articlebot`` on Linux)."""
    from platformdirs import user_data_path

    return user_data_path("articlebot")


def ready_articles_folder(folder: ArticlesFolder, *, need_articles: bool = True) -> Path:
    """The folder's path, once it is usable; the user's library is created on first use.

    Raises :class:`FolderError` when the folder is missing, not a folder, cannot be read
    or (``need_articles``; adding the first article does not) holds no article file,
    naming the setting that chose it.
    """
    path = folder.path
    if folder.is_user_library and not path.exists():
        _create_library(path)
    if not path.exists():
        raise folder.problem("does not exist")
    if not path.is_dir():
        raise folder.problem("is not a folder")
    try:
        names = os.listdir(path)
    except OSError as exc:
        raise folder.problem(f"cannot be read: {exc.strerror or exc}") from exc
    if need_articles and not any(is_article_file(name) for name in names):
        raise folder.problem("has no .txt or .md article; add one with `articlebot add SOURCE`")
    return path


def _create_library(path: Path) -> None:
    """The user's library on first use, holding the shipped sample article.

    Made beside and renamed into place, so a second process never sees it half-filled.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}-{os.getpid()}")
    shutil.copytree(SAMPLE_ARTICLES, staging, dirs_exist_ok=True)
    try:
        staging.rename(path)
    except OSError:  # another process made it first: use theirs
        shutil.rmtree(staging, ignore_errors=True)


def data_folder(folder: ArticlesFolder) -> Path:
    """Where the question log and the user-id salt go by default: ``./data`` as always,
    or the user data folder for the user's library, so an installed tool writes nothing
    in the working directory."""
    return user_data_folder() if folder.is_user_library else LOCAL_DATA


def index_dir(
    folder: ArticlesFolder, data: str | Path | None = None, configured: str | None = None
) -> Path:
    """Where the index of ``folder`` is kept: ``--data DIR`` (``data``) as ``DIR/index``,
    else ``$ARTICLEBOT_INDEX_DIR`` (``configured``, read by :mod:`bot.config`), else
    ``./data/index`` for a folder inside the working directory (not the user's library),
    else a folder of its own in the user cache (:func:`index_folder`)."""
    if data:
        return Path(data) / "index"
    if configured:
        return Path(configured)
    here = Path.cwd().resolve()
    if not folder.is_user_library and folder.path.resolve().is_relative_to(here):
        return here / LOCAL_DATA / "index"
    return index_folder(folder.path)


def index_folder(seeds: str | Path) -> Path:
    """A folder of its own for the index of ``seeds`` in the per-user cache.

    Keyed by the folder's absolute path, so indexing someone else's folder writes
    nothing there.
    """
    from platformdirs import user_cache_path

    folder = Path(seeds).resolve()
    digest = hashlib.sha256(str(folder).encode()).hexdigest()[:12]
    return user_cache_path("articlebot") / "index" / f"{folder.name}-{digest}"
