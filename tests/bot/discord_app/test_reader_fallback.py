"""Without its reader the bot and the terminal still answer, with the closest passages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.discord_app.embeds import PASSAGES_TITLE, answer_embed
from index import build_corpus
from index.engine import Engine
from index.loader import article_from_text
from tests.conftest import SEEDS


def passages_only_engine(tmp_path: Path) -> Engine:
    article = article_from_text("a", "Troops", ["More than 3,000 troops were sent in January."])
    return Engine(build_corpus([article]).corpus, model_dir=tmp_path / "no-model")


def test_embed_shows_the_closest_passages_when_the_reader_is_off(tmp_path: Path) -> None:
    answer = passages_only_engine(tmp_path).ask("how many troops were sent to Russia")
    embed = answer_embed(answer)
    assert embed.title == PASSAGES_TITLE
    assert embed.description is not None and "3,000 troops" in embed.description


def test_terminal_reports_a_missing_reader_once_and_still_answers(tmp_path: Path) -> None:
    env = dict(os.environ, ARTICLEBOT_READER_DIR=str(tmp_path / "no-model"))
    env["ARTICLEBOT_INDEX_DIR"] = str(tmp_path / "index")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.launcher",
            "--seeds",
            str(SEEDS),
            "ask",
            "how many troops were sent to Russia",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if "reader" in line]
    assert len(warnings) == 1 and "missing" in warnings[0]
    assert "Traceback" not in done.stderr
    assert "The closest passages" in done.stdout and "3,000" in done.stdout
