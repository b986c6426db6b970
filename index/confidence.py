"""From what the reader found to the probability that the answer is right.

A logistic model over signals of one question's reading, fitted by
``training/calibrate_reader.py`` on the development files and checked on
held-out articles; the weights live beside the model in ``calibration.json``.
Only the span's margin over "no answer" is used: the window's null and span
scores, which passage the span came from and how much of the question its
sentence covers, how close in meaning that sentence is to the question, and
whether a "how many X" answer counts X, were tried too
and moved held-out F1 by at most 0.4 (docs/evaluation.md, "Reader"), so
they were left out.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

FEATURES = ("margin", "rival", "pooled", "closeness")
# Answers need a calibrated confidence of at least this (docs/evaluation.md).
REFUSAL_THRESHOLD = 0.25


@dataclass(frozen=True)
class Calibration:
    """Weights per feature and a bias; missing features weigh nothing.

    The default (margin weight 1) puts probability 0.5 where the span and
    "no answer" score alike: a usable guess when no calibration file is there.
    """

    weights: Mapping[str, float] = field(default_factory=lambda: {"margin": 1.0})
    bias: float = 0.0

    def probability(self, values: Mapping[str, float]) -> float:
        z = self.bias + sum(w * values.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def to_json(self) -> dict[str, object]:
        return {"weights": dict(self.weights), "bias": self.bias}

    @classmethod
    def load(cls, path: Path) -> Calibration:
        """The calibration stored at ``path``, or the default when it is missing or unreadable."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            weights = {str(k): float(v) for k, v in data["weights"].items() if k in FEATURES}
            return cls(weights, float(data["bias"]))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()
