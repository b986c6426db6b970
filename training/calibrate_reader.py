"""Fit the reader's confidence on the development files and measure what to read.

    python training/calibrate_reader.py            # writes index/reader_model/calibration.json

For every question of the SQuAD development files (each file's articles
indexed together, as a bot holds them) it records the engine's best span
and its margin over "no answer", then fits a logistic map from margin to
"the answer is right" (F1 >= 0.5 against a gold answer; any answer to an
unanswerable question is wrong). ``found`` is then ``probability >= 0.5``.

Because the same files also report the result, the fit is checked the
honest way too: two folds by *article*, each fitted on the other's articles,
and the F1 of both ways printed side by side. It also prints the recall of
the answer's paragraph at k paragraphs read, which chose ``READ_PASSAGES``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.building import build_corpus  # noqa: E402
from index.confidence import FEATURES, REFUSAL_THRESHOLD, Calibration  # noqa: E402
from index.engine import Engine, _passages  # noqa: E402
from index.evaluation.squad import best_over_gold, f1_score, parse_squad  # noqa: E402
from index.question_types import question_type  # noqa: E402
from index.reader import MODEL_DIR  # noqa: E402

SQUAD = ROOT.parent / "shared" / "eval" / "squad"
DEV_FILES = ("squad-v1.1-dev.json", "squad-v2.0-dev.json")
RIGHT_F1 = 0.5


@dataclass(frozen=True, slots=True)
class Row:
    file: str
    article: str
    features: dict[str, float] | None  # None when the reader found no span
    f1: float  # of the best span against the gold answers (0 when unanswerable)
    answerable: bool
    paragraph_rank: int | None  # 1-based rank of the gold paragraph among those ranked
    question: str = ""
    kind: str = ""  # the engine's answer_type for the question's wording
    predicted: str = ""  # the best span, before the refusal decision
    gold: str = ""

    @property
    def right(self) -> bool:
        return self.answerable and self.f1 >= RIGHT_F1


def collect(name: str, limit: int) -> list[Row]:
    squad = parse_squad(json.loads((SQUAD / name).read_text(encoding="utf-8")))
    engine = Engine(build_corpus(squad.articles))
    rows = []
    started = time.perf_counter()
    questions = squad.questions[:limit] if limit else squad.questions
    for k, q in enumerate(questions, 1):
        reading = engine.read(q.question)
        span = reading.span
        text = span.text.strip() if span else ""
        f1 = best_over_gold(f1_score, text, q.answers) if q.answerable and span else 0.0
        keys = [(a, p.number) for a, p in _passages(engine.corpus, reading.ranked, 10)]
        gold = (q.article_id, q.paragraph)
        rows.append(
            Row(
                name,
                engine.corpus.article(q.article_id).title,  # folds by title: v2.0's are v1.1's
                reading.features() if span else None,
                f1,
                q.answerable,
                keys.index(gold) + 1 if gold in keys else None,
                q.question,
                question_type(q.question),
                text,
                q.answers[0] if q.answers else "",
            )
        )
        if k % 500 == 0:
            print(f"  {name}: {k}/{len(questions)} ({time.perf_counter() - started:.0f} s)", flush=True)
    return rows


def fit(rows: list[Row]) -> Calibration:
    """Logistic regression of right-or-not on the features (maximum likelihood, a little L2)."""
    read = [r for r in rows if r.features is not None]
    x = np.array([[r.features[f] for f in FEATURES] for r in read])  # type: ignore[index]
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z_x = (x - mean) / scale
    y = np.array([float(r.right) for r in read])

    def loss(w: np.ndarray) -> float:
        z = z_x @ w[:-1] + w[-1]
        return float(np.sum(np.logaddexp(0, z) - y * z) + 0.5 * np.sum(w[:-1] ** 2))

    w = minimize(loss, np.zeros(len(FEATURES) + 1), method="L-BFGS-B").x
    weights = w[:-1] / scale
    bias = float(w[-1] - np.sum(weights * mean))
    return Calibration({f: round(float(v), 6) for f, v in zip(FEATURES, weights, strict=True)}, round(bias, 6))


def answered(row: Row, calibration: Calibration, threshold: float) -> bool:
    return row.features is not None and calibration.probability(row.features) >= threshold


def squad_f1(rows: list[Row], calibration: Calibration, threshold: float) -> float:
    """SQuAD F1 (x100) when answering at or above ``threshold``."""
    total = 0.0
    for r in rows:
        says = answered(r, calibration, threshold)
        total += (r.f1 if says else 0.0) if r.answerable else (0.0 if says else 1.0)
    return 100 * total / max(len(rows), 1)


def errors_by_type(rows: list[Row], calibration: Calibration, threshold: float, examples: int = 3) -> None:
    """What the reader gets wrong, by the answer type the question's wording asks for."""
    print(f"by answer type (both files, answered at probability >= {threshold}):")
    for kind in sorted({r.kind for r in rows}):
        mine = [r for r in rows if r.kind == kind]
        said = [r for r in mine if answered(r, calibration, threshold)]
        wrong = [r for r in said if not r.right]
        missed = [r for r in mine if r.answerable and r not in said]
        print(
            f"  {kind:<8} {len(mine):5} questions, F1 {squad_f1(mine, calibration, threshold):5.1f}, "
            f"answered {len(said)}, wrong answers {len(wrong)}, answerable refused {len(missed)}"
        )
        for r in wrong[:examples]:
            gold = r.gold or "(unanswerable)"
            print(f"      {r.question!r} -> {r.predicted!r} (gold {gold!r})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=MODEL_DIR / "calibration.json")
    parser.add_argument("--limit", type=int, default=0, help="questions per file (0: all)")
    parser.add_argument("--cache", type=Path, help="reuse (or write) the collected rows here")
    parser.add_argument("--threshold", type=float, default=REFUSAL_THRESHOLD, help="marked in the table")
    args = parser.parse_args()

    if args.cache and args.cache.exists():
        rows = [Row(**r) for r in json.loads(args.cache.read_text())]
    else:
        rows = [row for name in DEV_FILES for row in collect(name, args.limit)]
        if args.cache:
            args.cache.write_text(json.dumps([asdict(r) for r in rows]))

    answerable = [r for r in rows if r.answerable]
    for name in DEV_FILES:
        mine = [r for r in answerable if r.file == name]
        recall = "  ".join(
            f"@{k} {np.mean([r.paragraph_rank is not None and r.paragraph_rank <= k for r in mine]):.3f}"
            for k in (1, 2, 3, 4, 5, 8)
        )
        print(f"{name}: answer-paragraph recall {recall}")

    calibration = fit(rows)
    print(f"fit on all dev questions: {calibration.to_json()}")
    articles = sorted({r.article for r in rows})
    folds = [set(articles[0::2]), set(articles[1::2])]
    held_out = [(held, fit([r for r in rows if r.article not in held])) for held in folds]
    print("threshold  " + "  ".join(f"{n[6:10]} all / held-out" for n in DEV_FILES) + "  (F1)")
    for threshold in np.arange(0.10, 0.71, 0.05):
        t = round(float(threshold), 2)
        cells = []
        for name in DEV_FILES:
            mine = [r for r in rows if r.file == name]
            crossed = sum(
                squad_f1(part, cal, t) * len(part)
                for held, cal in held_out
                if (part := [r for r in mine if r.article in held])
            ) / len(mine)
            cells.append(f"{squad_f1(mine, calibration, t):5.1f} / {crossed:5.1f}")
        marker = "  <- REFUSAL_THRESHOLD" if abs(t - args.threshold) < 1e-9 else ""
        print(f"  {t:.2f}     " + "      ".join(cells) + marker)
    for name in DEV_FILES:
        mine = [r for r in rows if r.file == name]
        print(f"{name}: never refusing F1 {squad_f1(mine, Calibration({}, 50.0), 0.5):.2f}")
    errors_by_type(rows, calibration, args.threshold)
    args.out.write_text(json.dumps(calibration.to_json(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
