"""The README's commands run as written, and its sample is the real output.

The terminal examples and the evaluation commands of docs/evaluation.md run
through bash, one line at a time and in order, in a scratch folder holding the
seeds and a link to this virtual environment, so nothing is written into the
checkout. The quick-start install lines cannot run inside the suite (they
create the environment the suite runs in): the test command must be the one
``.ci/run`` runs verbatim, and the run command must end in the entry point
checked here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"```(\w*)\n(.*?)```", re.S)
TEST_COMMAND = (
    'python3 -m venv .venv && .venv/bin/pip install -q -e ".[dev]" && .venv/bin/python -m pytest'
)
RUN_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/articlebot"


def blocks(text: str, language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(text) if lang == language]


def commands(text: str) -> list[str]:
    """Each command line of the bash blocks, without its trailing comment."""
    lines = [line for block in blocks(text, "bash") for line in block.splitlines()]
    return [re.sub(r"\s+# .*$", "", line).strip() for line in lines if line.strip()]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder like a fresh clone's root: the seeds, tests/data and ``.venv``."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(SEEDS, folder / "seeds")
    shutil.copytree(ROOT / "tests" / "data", folder / "tests" / "data")
    venv = Path(sys.prefix)
    assert (venv / "bin" / "articlebot").exists(), "run the suite with .venv/bin/python"
    (folder / ".venv").symlink_to(venv)
    return folder


def bash(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``line`` run by bash with one question on stdin, as a user would type into ``chat``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARTICLEBOT_", "DISCORD_"))}
    env["COLUMNS"] = "80"
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", line],
        cwd=cwd,
        env=env,
        input="how many troops were sent to Russia?\n",
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_quick_start_is_what_ci_runs() -> None:
    quick = commands(README.split("## Quick start", 1)[1].split("\n## ", 1)[0])
    assert quick == [RUN_COMMAND, TEST_COMMAND]
    assert TEST_COMMAND in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_run_command_starts_the_chat(scratch: Path) -> None:
    result = bash(RUN_COMMAND.rsplit("&& ", 1)[1], scratch)
    assert result.returncode == 0, result.stderr


def test_terminal_examples_run_as_written(scratch: Path) -> None:
    section = README.split("## In the terminal", 1)[1].split("\n## ", 1)[0]
    lines = commands(section)
    assert len(lines) >= 8
    for line in lines:
        result = bash(line, scratch)
        assert result.returncode == 0 and result.stdout.strip(), f"{line}\n{result.stderr}"


def test_evaluation_commands_run_as_written(scratch: Path) -> None:
    text = (ROOT / "docs" / "evaluation.md").read_text(encoding="utf-8")
    lines = [line for line in commands(text) if "benchmarks/" not in line]  # minutes, not seconds
    assert len(lines) >= 4
    for line in lines:
        result = bash(line, scratch)
        assert result.returncode == 0 and result.stdout.strip(), f"{line}\n{result.stderr}"


def test_the_sample_is_the_real_output(scratch: Path) -> None:
    sample = blocks(README, "")[0]
    command, expected = sample.split("\n", 1)
    assert command.startswith("$ ")
    result = bash(command[2:], scratch)
    assert result.returncode == 0 and result.stdout == expected


def section(title: str) -> str:
    return " ".join(README.split(f"## {title}", 1)[1].split("\n## ", 1)[0].split())


def test_each_question_cap_is_stated_where_it_applies() -> None:
    from bot.config import DEFAULT_MAX_QUESTION_CHARS
    from index.records import MAX_QUESTION_CHARS

    assert f"capped at {MAX_QUESTION_CHARS:,} characters here" in section("In the terminal")
    discord_cap = f"length cap of {DEFAULT_MAX_QUESTION_CHARS:,} characters"
    assert f"{discord_cap} (`ARTICLEBOT_MAX_QUESTION_CHARS`)" in section("Commands")


def test_the_terminal_section_points_to_eval_eval_summaries_and_index() -> None:
    text = section("In the terminal")
    for command in (
        "articlebot eval FILE",
        "articlebot eval-summaries FILE",
        "articlebot index build",
    ):
        assert f"`{command}`" in text
