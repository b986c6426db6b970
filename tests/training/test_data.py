"""The team's training data passes its own mechanical checks, batch by batch.

The validators are what a writer runs before handing a batch over; these tests keep a
later edit (a hand fix, a new batch, a re-drawn paragraph file) from landing a batch the
training scripts would read wrong or silently skip.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

DATA = Path(__file__).resolve().parents[2] / "training" / "data"
ADVERSARIAL = DATA / "adversarial"


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


adversarial = _load(ADVERSARIAL / "validate.py", "adversarial_validate")
news = _load(DATA / "validate.py", "news_validate")
BATCHES = sorted(p.stem for p in (ADVERSARIAL / "questions").glob("*.jsonl"))


@pytest.mark.parametrize("batch", BATCHES)
def test_an_unanswerable_batch_passes_its_check(batch: str) -> None:
    assert adversarial.problems(batch) == []


@pytest.mark.parametrize("batch", BATCHES)
def test_an_unanswerable_batch_has_every_verdict_so_training_reads_it(batch: str) -> None:
    written = (ADVERSARIAL / "questions" / f"{batch}.jsonl").read_text(encoding="utf-8")
    checks = ADVERSARIAL / "checks" / f"{batch}.jsonl"
    assert checks.exists(), f"{batch} has no second check: training would skip it"
    assert len(checks.read_text(encoding="utf-8").splitlines()) == len(written.splitlines())


def test_the_news_questions_pass_their_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert news.main([]) == 0
    assert "0 problems" in capsys.readouterr().out
