"""The soak benchmark's two-process set-up works: a short run, end to end.

``benchmarks/soak.py`` serves the fake Discord and starts the bot as its own
process (``benchmarks/soak_bot.py``) so that the memory it reports is the
bot's. This checks the plumbing on 100 questions (a few seconds); the figures
themselves are for the full run, not for a test on a busy machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEYS = (
    "questions",
    "answered",
    "errors",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "loop_lag_max_ms",
    "rss_start_mb",
    "rss_end_mb",
)


def test_a_short_soak_answers_every_question_once_and_measures_the_bot_process() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "soak.py"),
            "--questions",
            "100",
            "--rate",
            "20",  # within what the reader holds on 2 cores (docs/operations.md)
            "--reindex-every",
            "0.5",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert done.stdout, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert set(KEYS) <= set(result)
    assert result["answered"] == result["questions"] == 100
    assert result["duplicates"] == 0
    assert result["shed"] == 0  # the default backlog is far above this rate's questions in flight
    assert result["errors"] == 0, result["error_samples"]
    assert result["reindexes"] >= 2
    assert result["rss_of"] == "bot process"
    assert 20 < result["rss_start_mb"] < 1000  # a whole Python bot, read from its own /proc
