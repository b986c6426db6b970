"""``articlebot index build`` / ``index info``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.launcher import main


def test_index_build_then_info_reports_counts(
    seeds_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index_dir = str(tmp_path / "index")
    assert main(["index", "build", "--seeds", str(seeds_copy), "--index-dir", index_dir]) == 0
    assert "1 tokenised" in capsys.readouterr().out
    assert (
        main(["index", "info", "--json", "--seeds", str(seeds_copy), "--index-dir", index_dir]) == 0
    )
    facts = json.loads(capsys.readouterr().out)
    assert facts["articles"] == 1 and facts["chunks"] > 0 and facts["vocabulary"] > 0
    assert facts["file_bytes"] > 0 and facts["status"] == "up to date with the seeds"


def test_index_build_twice_reuses_the_stored_index(
    seeds_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["index", "build", "--seeds", str(seeds_copy), "--index-dir", str(tmp_path / "i")]
    main(args)
    capsys.readouterr()
    assert main(args) == 0
    assert "0 tokenised, 1 reused" in capsys.readouterr().out


def test_index_info_without_an_index_says_how_to_build_one(
    seeds_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["index", "info", "--seeds", str(seeds_copy), "--index-dir", str(tmp_path / "none")]
    assert main(args) == 1
    assert "articlebot index build" in capsys.readouterr().err
