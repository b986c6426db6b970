"""Hostile questions through the ``articlebot`` command.

Every case runs in-process through ``bot.launcher.main`` (``ask`` and ``ask
--json``); a few, plus the whole list fed to ``articlebot chat`` on stdin, run
as real processes. The contract: exit status 0 with an answer or refusal, or 1
with one line starting ``articlebot:``; never a traceback; in bounded time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.launcher import main
from tests.hardening.hostile_cases import CASES, IDS, Hostile

ROOT = Path(__file__).resolve().parents[2]
IN_PROCESS_SECONDS = 5.0
SUBPROCESS_SECONDS = 30.0
SUBPROCESS_CASES = (
    "chars_10k",
    "undecodable_argv_byte",
    "rtl_override",
    "sql_looking",
    "dash_option_like",
)


@pytest.fixture
def cli_env(seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable seeds copy with its own index folder, and no token (terminal mode)."""
    monkeypatch.setenv("ARTICLEBOT_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    return seeds_copy


def check_outcome(code: int, out: str, err: str, *, json_mode: bool = False) -> None:
    assert "Traceback" not in out + err, err
    assert code in (0, 1), (code, err)
    if code == 1:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("articlebot: "), err
        assert len(lines[0]) < 300, "the error line repeats the whole question"
        return
    assert out.strip(), "exit status 0 but nothing printed"
    if json_mode:
        answer = json.loads(out)
        assert isinstance(answer["found"], bool)
        assert (answer["answer"] is not None) == answer["found"]
    else:
        assert "don't say" in out or out.strip().splitlines()[0], out


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("json_mode", [False, True], ids=["text", "json"])
def test_hostile_cli_ask_in_process(
    case: Hostile, json_mode: bool, cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # ``--`` ends the options, as a script passing any text must: a question starting with
    # "-h" would otherwise be read as an option (see the dash test below).
    argv = ["ask", "--seeds", str(cli_env), *(["--json"] if json_mode else []), "--", case.text]
    started = time.perf_counter()
    code = main(argv)
    elapsed = time.perf_counter() - started
    out, err = capsys.readouterr()
    check_outcome(code, out, err, json_mode=json_mode)
    assert elapsed < IN_PROCESS_SECONDS


def test_hostile_cli_question_starting_with_a_dash_without_double_dash(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without ``--``, argparse reads "-h ..." as an option: a usage error (status 2), no traceback."""
    with pytest.raises(SystemExit) as exited:
        main(["ask", "-h --help how many troops?", "--seeds", str(cli_env)])
    _, err = capsys.readouterr()
    assert exited.value.code == 2
    assert "Traceback" not in err and "usage: articlebot ask" in err


def _run(
    args: list[str], seeds: Path, tmp: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"},
        "ARTICLEBOT_INDEX_DIR": str(tmp / "index"),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.launcher", "--seeds", str(seeds), *args],
        input=stdin,
        capture_output=True,
        timeout=SUBPROCESS_SECONDS,
        cwd=tmp,
        env=env,
        check=False,
    )


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_hostile_cli_ask_real_process(name: str, cli_env: Path, tmp_path: Path) -> None:
    case = next(c for c in CASES if c.id == name)
    assert case.argv_safe
    done = _run(["ask", "--", case.text], cli_env, tmp_path)
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    check_outcome(done.returncode, out, err)


def test_hostile_cli_chat_reads_every_case_from_stdin(cli_env: Path, tmp_path: Path) -> None:
    """``articlebot chat`` with all the cases piped in: every line handled, no traceback."""
    lines = [" ".join(c.text.replace("\x00", " ").splitlines()) for c in CASES]
    stdin = "\n".join(lines).encode("utf-8", "surrogateescape") + b"\n"
    done = _run(["chat"], cli_env, tmp_path, stdin=stdin)
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, err
    assert "Traceback" not in out + err, err
    handled = out.count("Q: ") + out.count("articlebot: ")
    assert handled == sum(1 for line in lines if line.strip()), out[-2000:]
