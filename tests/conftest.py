"""Shared fixtures: the shipped seed article and small article folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.engine import Engine
from index.records import Sentence
from index.saved.building import build_corpus, open_corpus
from index.summarize import Summary

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = ROOT / "tests" / "data"  # evaluation files the tests read (see its README)
SEED_FILE = next(SEEDS.glob("*.txt"))


def _private_folder(variable: str, folder: Path) -> Iterator[Path]:
    """``variable`` pointing at ``folder`` for the session (subprocesses inherit it too)."""
    before = os.environ.get(variable)
    os.environ[variable] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(variable, None)
    else:
        os.environ[variable] = before


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The per-user cache (indexes of seeds outside the working directory) in a temporary folder."""
    yield from _private_folder("XDG_CACHE_HOME", tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture(scope="session", autouse=True)
def private_data_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The per-user data folder (the user's own article library) in a temporary folder."""
    yield from _private_folder("XDG_DATA_HOME", tmp_path_factory.mktemp("xdg-data"))


@pytest.fixture(scope="session", autouse=True)
def private_question_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The default question log in a temporary folder: ``articlebot add``/``remove`` record
    their events in it, and a test must never write the developer's ``data/`` instead."""
    database = tmp_path_factory.mktemp("question-log") / "articlebot.sqlite3"
    before = os.environ.get("ARTICLEBOT_DATABASE")
    os.environ["ARTICLEBOT_DATABASE"] = str(database)  # subprocesses inherit it too
    yield database
    if before is None:
        os.environ.pop("ARTICLEBOT_DATABASE", None)
    else:
        os.environ["ARTICLEBOT_DATABASE"] = before


@pytest.fixture(scope="session")
def seed_engine() -> Engine:
    """One engine over the shipped seeds, shared by read-only tests."""
    return Engine(build_corpus(SEEDS).corpus)


@pytest.fixture
def strike_and_match(tmp_path: Path) -> Engine:
    """An engine over two small articles: a dock strike and a cup final."""
    folder = tmp_path / "two-seeds"
    folder.mkdir()
    (folder / "strike.txt").write_text(
        "Dock strike\n\nDock workers walked out on Monday.\n\n"
        "The strike closed the port for a week.\n\nOriginal Source: x\n"
    )
    (folder / "match.txt").write_text(
        "Cup final\n\nThe home side won the final 2-1.\n\n"
        "The winning goal came in the last minute.\n\nOriginal Source: x\n"
    )
    return Engine(open_corpus(folder, tmp_path / "two-index"))


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seeds folder."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for path in SEEDS.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.fixture
def doubtful_summary() -> Summary:
    """A topic summary the reader doubts: the closest sentence the article has, said as such."""
    text = "Braga's football club postponed its league match against Porto until April."
    return Summary(
        "storm",
        "Storm hits Braga",
        (Sentence("storm#s3", "storm", 3, 3, text, 0, len(text)),),
        topic="what Porto's coach said",
        message="“Storm hits Braga” may say nothing about “what Porto's coach said”; "
        "the closest it comes:",
        unsure=True,
    )
