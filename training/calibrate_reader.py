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
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.answering import question_type  # noqa: E402
from index.engine import Engine, _passages, build_corpus  # noqa: E402
from index.evaluation.squad import best_over_gold, f1_score, parse_squad  # noqa: E402
from index.reader import MODEL_DIR  # noqa: E402

SQUAD = ROOT.parent / "shared" / "eval" / "squad"
DEV_FILES = ("squad-v1.1-dev.json", "squad-v2.0-dev.json")
RIGHT_F1 = 0.5


@dataclass(frozen=True, slots=True)
class Row:
    file: str
    article: str
    margin: float  # -inf when the reader found no span
    f1: float  # of the best span against the gold answers ("" gold when unanswerable)
    answerable: bool
    paragraph_rank: int | None  # 1-based rank of the gold paragraph among those ranked
    question: str = ""
    kind: str = ""  # the engine's answer_type for the question's wording
    predicted: str = ""  # the best span, before the refusal decision
    gold: str = ""


def collect(name: str, limit: int) -> list[Row]:
    squad = parse_squad(json.loads((SQUAD / name).read_text(encoding="utf-8")))
    engine = Engine(build_corpus(squad.articles))
    rows = []
    started = time.perf_counter()
    questions = squad.questions[:limit] if limit else squad.questions
    for k, q in enumerate(questions, 1):
        reading = engine.read(q.question)
        span = reading.span
        text = span.text if span else ""
        f1 = best_over_gold(f1_score, text, q.answers) if q.answerable and span else 0.0
        keys = [(a, p.number) for a, p in _passages(engine.corpus, reading.ranked, 10)]
        rank = keys.index((q.article_id, q.paragraph)) + 1 if (q.article_id, q.paragraph) in keys else None
        rows.append(
            Row(
                name,
                q.article_id,
                span.margin if span else -np.inf,
                f1,
                q.answerable,
                rank,
                q.question,
                question_type(q.question),
                text,
                q.answers[0] if q.answers else "",
            )
        )
        if k % 200 == 0:
            print(f"  {name}: {k}/{len(questions)} ({time.perf_counter() - started:.0f} s)", flush=True)
    return rows


def fit(rows: list[Row]) -> tuple[float, float]:
    """Logistic regression of right-or-not on the margin (maximum likelihood)."""
    x = np.array([r.margin for r in rows if np.isfinite(r.margin)])
    y = np.array([float(r.answerable and r.f1 >= RIGHT_F1) for r in rows if np.isfinite(r.margin)])

    def loss(w: np.ndarray) -> float:
        z = w[0] * x + w[1]
        return float(np.sum(np.logaddexp(0, z) - y * z))

    result = minimize(loss, np.array([1.0, 0.0]), method="L-BFGS-B")
    return float(result.x[0]), float(result.x[1])


def squad_f1(rows: list[Row], slope: float, bias: float) -> float:
    """SQuAD F1 (x100) when answering where the calibrated probability is >= 0.5."""
    total = 0.0
    for r in rows:
        answers = np.isfinite(r.margin) and slope * r.margin + bias >= 0
        if r.answerable:
            total += r.f1 if answers else 0.0
        else:
            total += 0.0 if answers else 1.0
    return 100 * total / max(len(rows), 1)


def errors_by_type(rows: list[Row], slope: float, bias: float, examples: int = 3) -> None:
    """What the reader gets wrong, by the answer type the question's wording asks for."""
    print("by answer type (both files; answered = probability >= 0.5):")
    for kind in sorted({r.kind for r in rows}):
        mine = [r for r in rows if r.kind == kind]
        answered = [r for r in mine if np.isfinite(r.margin) and slope * r.margin + bias >= 0]
        wrong = [r for r in answered if not r.answerable or r.f1 < RIGHT_F1]
        missed = [r for r in mine if r.answerable and r not in answered]
        print(
            f"  {kind:<8} {len(mine):5} questions, F1 {squad_f1(mine, slope, bias):5.1f}, "
            f"answered {len(answered)}, wrong answers {len(wrong)}, answerable refused {len(missed)}"
        )
        for r in wrong[:examples]:
            gold = r.gold or "(unanswerable)"
            print(f"      {r.question!r} -> {r.predicted!r} (gold {gold!r})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=MODEL_DIR / "calibration.json")
    parser.add_argument("--limit", type=int, default=0, help="questions per file (0: all)")
    parser.add_argument("--cache", type=Path, help="reuse (or write) the collected rows here")
    args = parser.parse_args()

    if args.cache and args.cache.exists():
        rows = [Row(**r) for r in json.loads(args.cache.read_text())]
    else:
        rows = [row for name in DEV_FILES for row in collect(name, args.limit)]
        if args.cache:
            args.cache.write_text(json.dumps([r.__dict__ for r in rows]))

    answerable = [r for r in rows if r.answerable]
    for name in DEV_FILES:
        mine = [r for r in answerable if r.file == name]
        recall = "  ".join(
            f"@{k} {np.mean([r.paragraph_rank is not None and r.paragraph_rank <= k for r in mine]):.3f}"
            for k in (1, 2, 3, 4, 5, 8)
        )
        print(f"{name}: answer-paragraph recall {recall}")

    slope, bias = fit(rows)
    print(f"fit on all dev questions: slope {slope:.4f} bias {bias:.4f} (boundary margin {-bias / slope:.2f})")
    articles = sorted({(r.file, r.article) for r in rows})
    folds = [set(articles[0::2]), set(articles[1::2])]
    crossed = {name: 0.0 for name in DEV_FILES}
    for held in folds:
        train = [r for r in rows if (r.file, r.article) not in held]
        s, b = fit(train)
        for name in DEV_FILES:
            test = [r for r in rows if (r.file, r.article) in held and r.file == name]
            crossed[name] += squad_f1(test, s, b) * len(test)
    for name in DEV_FILES:
        mine = [r for r in rows if r.file == name]
        print(
            f"{name}: F1 {squad_f1(mine, slope, bias):.2f} fitted on all; "
            f"{crossed[name] / len(mine):.2f} fitted on the other articles (2 folds); "
            f"never refusing {squad_f1(mine, 0.0, 1.0):.2f}"
        )
    errors_by_type(rows, slope, bias)
    args.out.write_text(
        json.dumps({"slope": round(slope, 6), "bias": round(bias, 6), "right_f1": RIGHT_F1}, indent=1) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
