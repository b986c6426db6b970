"""ROUGE evaluation of summaries against Lead-3, and the eval-summaries command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.launcher import main
from index.evaluation import summaries as ev
from tests.conftest import DATA

DEV = DATA / "cnndm-dev.jsonl"
MARGIN = -1.0  # issue 28: sentences that stand alone cost ROUGE; at most 1.0 under Lead-3


def _write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


ROWS = [
    {
        "id": "a1",
        "article": "By . Staff Reporter . PUBLISHED: 10:07 EST, 1 May 2013 . | . UPDATED: "
        "11:00 EST, 1 May 2013 . A river flooded the town on Sunday. Scroll down for video "
        "Residents were moved to the school. The mayor said damage was heavy. Rain will stop.",
        "summary": "A river flooded the town.\nResidents were moved to a school.",
    },
    {
        "id": "a2",
        "article": "(CNN)A new bridge opened on Monday. It cost 40 million dollars. "
        "Drivers welcomed it. The old ferry will close.",
        "summary": "A bridge opened on Monday.\nThe ferry will close.",
    },
]


def test_boilerplate_and_caption_run_ons_are_split_off() -> None:
    paragraphs = ev.clean_paragraphs(ROWS[0]["article"] + " Flood waters rose quickly The water")
    text = " ".join(paragraphs)
    assert "Scroll down" not in text and "PUBLISHED" not in text
    assert paragraphs[0].startswith("A river flooded")
    assert paragraphs[-1] == "The water"


def test_dev_set_beats_lead3_by_the_margin() -> None:
    report = ev.evaluate(ev.dataset_pairs(ev.read_examples(DEV)))
    assert report.articles == 50
    assert report.delta.rouge1 >= MARGIN
    assert report.delta.rougeLsum >= MARGIN
    assert 39.0 < report.lead3.rouge1 < 41.0  # the split still matches the reference Lead-3


def test_cli_json_and_predictions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _write(tmp_path / "d.jsonl", ROWS)
    out = tmp_path / "pred.jsonl"
    assert main(["eval-summaries", str(data), "--json", "--output", str(out)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["articles"] == 2
    assert set(payload) == {"articles", "system", "lead3", "delta"}
    assert set(payload["system"]) == {"rouge1", "rouge2", "rougeLsum"}
    predictions = [json.loads(line) for line in out.read_text().splitlines()]
    assert [p["id"] for p in predictions] == ["a1", "a2"]
    assert all(len(p["summary"].split("\n")) == 3 for p in predictions)


def test_cli_bad_file_gives_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "article": "text"\n', encoding="utf-8")
    assert main(["eval-summaries", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "line 1" in err and "Traceback" not in err


@pytest.mark.parametrize("flag", ["--publisher-summaries", "--seeds"])
def test_cli_scores_against_the_publisher_summaries_under_either_name(
    flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import SEEDS

    assert main(["eval-summaries", flag, str(SEEDS), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["articles"] == 1
    assert "rougeL" in payload["system"]


def test_cli_help_says_what_the_publisher_summaries_option_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["eval-summaries", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--publisher-summaries [DIR], --seeds [DIR]" in text
    assert "against their publisher's own summaries" in text
