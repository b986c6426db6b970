"""Where articlebot keeps its files (bot/storage/folders.py): one rule, and its problems."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot import config
from bot.storage import folders
from bot.storage.config import StorageConfig
from tests.conftest import SEED_FILE


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory and a user data folder of its own, nothing set."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(folders.SEEDS_ENV, raising=False)
    monkeypatch.delenv(folders.INDEX_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return tmp_path


def test_seeds_option_wins_over_the_environment() -> None:
    chosen = config.articles_folder("mine", {folders.SEEDS_ENV: "theirs"})
    assert chosen == folders.ArticlesFolder(Path("mine"), "--seeds")


def test_the_environment_wins_over_a_local_seeds_folder(elsewhere: Path) -> None:
    (elsewhere / "seeds").mkdir()
    chosen = config.articles_folder(None, {folders.SEEDS_ENV: "theirs"})
    assert chosen == folders.ArticlesFolder(Path("theirs"), folders.SEEDS_ENV)


def test_a_checkout_uses_its_seeds_folder(elsewhere: Path) -> None:
    (elsewhere / "seeds").mkdir()
    assert config.articles_folder(None, {}).path == Path("seeds")


def test_elsewhere_the_user_library_is_in_the_user_data_folder(elsewhere: Path) -> None:
    chosen = config.articles_folder(None, {})
    assert chosen.is_user_library
    assert chosen.path == elsewhere / "xdg-data" / "articlebot" / "articles"


def test_the_user_library_starts_with_the_shipped_sample(elsewhere: Path) -> None:
    path = folders.ready_articles_folder(config.articles_folder(None, {}))
    assert [p.name for p in path.iterdir()] == [SEED_FILE.name]
    assert (path / SEED_FILE.name).read_bytes() == SEED_FILE.read_bytes()


def test_the_shipped_sample_is_the_seed_article() -> None:
    shipped = sorted(folders.SAMPLE_ARTICLES.iterdir())
    assert [p.read_bytes() for p in shipped] == [SEED_FILE.read_bytes()]


def test_the_user_library_keeps_its_data_out_of_the_working_directory(elsewhere: Path) -> None:
    """Even when the working directory holds the user data folder (running from home)."""
    library = config.articles_folder(None, {})
    index = config.index_dir(library, environ={})
    assert folders.data_folder(library) == elsewhere / "xdg-data" / "articlebot"
    assert index.is_relative_to(elsewhere / "xdg-cache")
    database = StorageConfig.from_env({}, data=folders.data_folder(library)).database
    assert database == elsewhere / "xdg-data" / "articlebot" / "articlebot.sqlite3"


def test_a_checkout_keeps_its_data_in_data(elsewhere: Path) -> None:
    (elsewhere / "seeds").mkdir()
    checkout = config.articles_folder(None, {})
    assert folders.data_folder(checkout) == Path("data")
    assert config.index_dir(checkout, environ={}) == elsewhere.resolve() / "data" / "index"


def test_index_dir_takes_data_then_the_environment(elsewhere: Path) -> None:
    chosen = config.articles_folder("seeds", {})
    env = {folders.INDEX_DIR_ENV: str(elsewhere / "set")}
    assert config.index_dir(chosen, elsewhere / "d", env) == elsewhere / "d" / "index"
    assert config.index_dir(chosen, None, env) == elsewhere / "set"


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda p: None, "does not exist"),
        (lambda p: p.write_text("x"), "is not a folder"),
        (lambda p: p.mkdir(), "has no .txt or .md article"),
    ],
)
def test_each_folder_problem_names_the_setting(elsewhere: Path, make: object, problem: str) -> None:
    path = elsewhere / "articles"
    make(path)  # type: ignore[operator]
    with pytest.raises(folders.FolderError) as caught:
        folders.ready_articles_folder(config.articles_folder(None, {folders.SEEDS_ENV: str(path)}))
    message = str(caught.value)
    assert message.startswith(f"the articles folder {path} {problem}")
    assert message.endswith("(set by ARTICLEBOT_SEEDS)") and "\n" not in message


def test_an_unreadable_folder_names_the_setting(
    elsewhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: object) -> list[str]:
        raise PermissionError(13, os.strerror(13))

    monkeypatch.setattr(folders.os, "listdir", refuse)
    with pytest.raises(
        folders.FolderError, match=r"cannot be read: Permission denied \(set by --seeds\)"
    ):
        folders.ready_articles_folder(config.articles_folder(elsewhere, {}))
