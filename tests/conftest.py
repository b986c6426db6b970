"""Shared fixtures: the shipped seed article and small article folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.engine import Engine, load_corpus

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = ROOT / "tests" / "data"  # evaluation files the tests read (see its README)
SEED_FILE = next(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def seed_engine() -> Engine:
    """One engine over the shipped seeds, shared by read-only tests."""
    return Engine(load_corpus(SEEDS))


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the seeds folder."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    for path in SEEDS.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder
