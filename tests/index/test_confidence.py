"""The calibrated confidence: a logistic map stored beside the model."""

from __future__ import annotations

import json
from pathlib import Path

from index.confidence import Calibration


def test_probability_rises_with_the_margin() -> None:
    calibration = Calibration({"margin": 0.2}, -1.0)
    assert calibration.probability({"margin": 0.0}) < calibration.probability({"margin": 5.0})


def test_default_puts_one_half_at_a_zero_margin() -> None:
    assert Calibration().probability({"margin": 0.0}) == 0.5


def test_a_missing_file_gives_the_default(tmp_path: Path) -> None:
    assert Calibration.load(tmp_path / "calibration.json") == Calibration()


def test_a_damaged_file_gives_the_default(tmp_path: Path) -> None:
    path = tmp_path / "calibration.json"
    path.write_text("{not json", encoding="utf-8")
    assert Calibration.load(path) == Calibration()


def test_saved_weights_load_back(tmp_path: Path) -> None:
    path = tmp_path / "calibration.json"
    saved = Calibration({"margin": 0.18}, -0.9)
    path.write_text(json.dumps(saved.to_json()), encoding="utf-8")
    assert Calibration.load(path) == saved


def test_extreme_margins_do_not_overflow() -> None:
    assert Calibration().probability({"margin": 1e6}) == 1.0 - Calibration().probability(
        {"margin": -1e6}
    )
