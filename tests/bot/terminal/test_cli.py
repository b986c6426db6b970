"""The ``articlebot`` command: ask, chat over piped stdin, eval, and its failure messages."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.launcher import main
from tests.conftest import DATA, ROOT, SEEDS

DEV_FILE = DATA / "article_qa_dev.jsonl"
JSON_KEYS = {
    "question",
    "found",
    "answer",
    "answer_type",
    "confidence",
    "citations",
    "elapsed_ms",
}
CITATION_KEYS = {"n", "article_id", "article_title", "paragraph", "sentence_id", "text", "score"}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ask_json(question: str, capsys: pytest.CaptureFixture[str], seeds: Path = SEEDS) -> Any:
    code, out, _ = run(["ask", question, "--json", "--seeds", str(seeds)], capsys)
    assert code == 0
    return json.loads(out)


def test_ask_json_has_the_contract_keys(capsys: pytest.CaptureFixture[str]) -> None:
    data = ask_json("how many troops were sent to Russia", capsys)
    assert set(data) >= JSON_KEYS
    assert data["citations"] and all(set(c) >= CITATION_KEYS for c in data["citations"])


def test_ask_json_answers_troops_with_3000(capsys: pytest.CaptureFixture[str]) -> None:
    data = ask_json("how many troops were sent to Russia", capsys)
    assert data["found"] and "3,000" in data["answer"]


def test_ask_json_refusal_has_null_answer(capsys: pytest.CaptureFixture[str]) -> None:
    data = ask_json("What is Kim Jong Un's favourite food?", capsys)
    assert data["found"] is False and data["answer"] is None


def test_ask_prints_answer_and_paragraph(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["ask", "how many troops were sent to Russia", "--seeds", str(SEEDS)], capsys
    )
    assert code == 0
    assert "Answer:" in out and "3,000" in out and "paragraph" in out


def test_ask_joins_an_unquoted_question(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "ask",
            "how",
            "many",
            "troops",
            "were",
            "sent",
            "to",
            "Russia",
            "--json",
            "--seeds",
            str(SEEDS),
        ],
        capsys,
    )
    assert code == 0
    assert json.loads(out)["question"] == "how many troops were sent to Russia"


def test_question_starting_with_a_dash_gets_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["ask", "-how many troops were sent to Russia"])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and "ask -- " in err and "Traceback" not in err


def test_question_after_double_dash_is_answered(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["ask", "--json", "--seeds", str(SEEDS), "--", "-how many troops were sent to Russia"],
        capsys,
    )
    assert code == 0 and "3,000" in json.loads(out)["answer"]


def test_empty_question_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["ask", "   ", "--seeds", str(SEEDS)], capsys)
    assert code != 0 and "empty" in err and "Traceback" not in err + out


def test_ten_thousand_character_question_is_a_clear_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["ask", "x" * 10_000, "--seeds", str(SEEDS)], capsys)
    assert code != 0 and "10,000 characters" in err and "Traceback" not in err + out


def test_malformed_article_is_named_and_the_good_one_still_answers(
    seeds_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (seeds_copy / "broken.txt").write_bytes(b"\xff\xfe\x00binary\x00junk")
    code, out, err = run(
        ["ask", "how many troops were sent to Russia", "--seeds", str(seeds_copy)], capsys
    )
    assert code == 0
    assert "broken.txt" in err
    assert "3,000" in out


def test_piped_stdin_answers_one_question_per_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = "how many troops were sent to Russia\n\nWhat is Kim Jong Un's favourite food?\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(questions))
    code, out, _ = run(["--seeds", str(SEEDS), "chat"], capsys)
    assert code == 0
    assert out.count("Q: ") == 2
    assert "3,000" in out and "don't say" in out


def test_eval_of_a_file_that_is_not_squad_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "not-squad.json"
    bad.write_text('{"version": "v1.1", "data": [{"title": "x"}]}', encoding="utf-8")
    code, out, err = run(["eval", str(bad), "--no-progress"], capsys)
    assert code != 0 and "not SQuAD" in err and "Traceback" not in err + out


def test_eval_of_plain_text_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("just some notes\n", encoding="utf-8")
    code, _, err = run(["eval", str(bad), "--no-progress"], capsys)
    assert code != 0 and "line 1" in err and "Traceback" not in err


def test_eval_squad_json_and_predictions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    squad = {
        "version": "v1.1",
        "data": [
            {
                "title": "Harbour",
                "paragraphs": [
                    {
                        "context": "The port of Valletta opened in 1530.",
                        "qas": [
                            {
                                "id": "q1",
                                "question": "When did the port of Valletta open?",
                                "answers": [{"text": "1530", "answer_start": 31}],
                            }
                        ],
                    }
                ],
            }
        ],
    }
    source = tmp_path / "squad.json"
    source.write_text(json.dumps(squad), encoding="utf-8")
    predictions = tmp_path / "out.json"
    args = ["eval", str(source), "--json", "--no-progress", "--predictions", str(predictions)]
    code, out, _ = run(args, capsys)
    assert code == 0
    figures = json.loads(out)
    for key in ("questions", "sentence_recall@1", "sentence_recall@3", "paragraph_recall@1"):
        assert key in figures
    assert {"exact_match", "f1", "ms_per_question"} <= set(figures)
    assert json.loads(predictions.read_text(encoding="utf-8")) == {"q1": "1530"}


def test_eval_dev_file_prints_the_dev_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["eval", str(DEV_FILE), "--json", "--no-progress", "--seeds", str(SEEDS)], capsys
    )
    assert code == 0
    figures = json.loads(out)
    keys = ("evidence@1", "evidence@3", "answer_accuracy", "refused", "unanswerable")
    assert set(keys) | {"false_refusals"} <= set(figures)


def test_eval_dev_table_says_the_refusals_are_of_unanswerables(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(["eval", str(DEV_FILE), "--no-progress", "--seeds", str(SEEDS)], capsys)
    assert code == 0
    assert "unanswerables refused" in out


def test_real_process_asks_and_exits_cleanly() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.launcher", "--seeds", str(SEEDS), "ask", "", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "DISCORD_TOKEN": ""},
    )
    assert result.returncode != 0
    assert "empty" in result.stderr and "Traceback" not in result.stderr


def test_real_process_answers_from_piped_stdin() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.launcher", "--seeds", str(SEEDS)],
        input="how many troops were sent to Russia\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "DISCORD_TOKEN": ""},
    )
    assert result.returncode == 0, result.stderr
    assert "3,000" in result.stdout


@pytest.mark.parametrize(
    ("args", "module", "extra"),
    [
        (["eval", str(DEV_FILE)], "tqdm", "eval"),
        (["eval-summaries", str(DATA / "cnndm-dev.jsonl")], "rouge_score", "eval"),
        (["stats", "--chart", "chart.png"], "matplotlib", "chart"),
    ],
)
def test_a_command_needing_an_extra_says_what_to_install(
    args: list[str],
    module: str,
    extra: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == module else find_spec(name, *a),
    )
    monkeypatch.chdir(tmp_path)
    code, _, err = run([*args, "--seeds", str(SEEDS)], capsys)
    assert code == 1 and err.startswith("articlebot: ") and err.count("\n") == 1
    assert f"pip install 'articlebot[{extra}]'" in err and module in err
