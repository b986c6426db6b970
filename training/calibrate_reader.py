"""Fit the decision to answer on the news development part; check it on SQuAD dev.

    python training/calibrate_reader.py         # writes index/reader_model/calibration.json

For every question of the news QA development part (``training/data/``, its
articles indexed together as a bot holds them; never trained on) it records
the engine's best span and the reader's signals, then fits a logistic map
from them to "the answer is right" (it holds an accepted answer, the rule of
``articlebot eval``; any answer to an unanswerable question is wrong).

Because the same questions also report the result, every figure is printed
twice: fitted on all of them, and two folds by *article*, each fitted on the
other fold's articles (the honest one). The threshold printed as chosen is the one that refuses the
most unanswerable questions on the held-out folds while refusing at most
``--max-refused`` of the answerable ones (20 %: the last reader refused 19 %
of them, and users counted every refused right answer against the bot). The SQuAD development files are asked
too, with the news fit, as a check on another domain (not fitted there).

``--features`` compares feature sets (e.g. ``margin`` against
``margin,kind_match``) on the held-out folds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "training"))

from news_data import load_news  # noqa: E402

from index.confidence import FEATURES, REFUSAL_THRESHOLD, Calibration  # noqa: E402
from index.engine import Engine  # noqa: E402
from index.evaluation.qa import contains  # noqa: E402
from index.evaluation.squad import best_over_gold, f1_score, parse_squad  # noqa: E402
from index.reader import MODEL_DIR  # noqa: E402
from index.saved.building import build_corpus  # noqa: E402

SQUAD = ROOT.parent / "shared" / "eval" / "squad"
DEV_FILES = ("squad-v1.1-dev.json", "squad-v2.0-dev.json")
# The model calibrated: the shipped one, or a candidate's folder (as ``articlebot`` reads it).
READER = Path(os.environ.get("ARTICLEBOT_READER_DIR", "").strip() or MODEL_DIR)


@dataclass(frozen=True, slots=True)
class Row:
    source: str  # "news" or a SQuAD file name
    article: str
    features: dict[str, float] | None  # None when the reader found no span
    right: bool  # the best span holds an accepted answer (news) / F1 >= 0.5 (SQuAD)
    f1: float
    answerable: bool
    kind: str
    question: str = ""
    predicted: str = ""
    gold: str = ""
    in_passages: bool = False  # an accepted answer is in the paragraphs read


def news_rows(limit: int) -> list[Row]:
    news = load_news()
    engine = Engine(build_corpus(news.dev_articles).corpus, model_dir=READER)
    rows = []
    for q in news.dev_questions[: limit or None]:
        reading = engine.read(q.question)
        span = reading.span
        text = span.text.strip() if span else ""
        right = q.answerable and any(contains(text, a) for a in q.answers)
        seen = any(contains(p.text, a) for _, p in reading.passages for a in q.answers)
        f1 = best_over_gold(f1_score, text, list(q.answers)) if right else 0.0
        rows.append(
            Row(
                "news",
                q.article,
                reading.features() if span else None,
                bool(right),
                f1,
                q.answerable,
                q.kind,
                q.question,
                text,
                q.answers[0] if q.answers else "",
                seen,
            )
        )
    return rows


def squad_rows(name: str, limit: int) -> list[Row]:
    squad = parse_squad(json.loads((SQUAD / name).read_text(encoding="utf-8")))
    engine = Engine(build_corpus(squad.articles).corpus, model_dir=READER)
    rows = []
    started = time.perf_counter()
    for k, q in enumerate(squad.questions[: limit or None], 1):
        reading = engine.read(q.question)
        span = reading.span
        text = span.text.strip() if span else ""
        f1 = best_over_gold(f1_score, text, q.answers) if q.answerable and span else 0.0
        rows.append(
            Row(
                name,
                q.article_id,
                reading.features() if span else None,
                f1 >= 0.5,
                f1,
                q.answerable,
                "",
                q.question,
                text,
                q.answers[0] if q.answers else "",
            )
        )
        if k % 500 == 0:
            print(f"  {name}: {k} ({time.perf_counter() - started:.0f} s)", flush=True)
    return rows


def fit(rows: list[Row], features: tuple[str, ...]) -> Calibration:
    """Logistic regression of right-or-not on the features (maximum likelihood, a little L2)."""
    read = [r for r in rows if r.features is not None]
    x = np.array([[r.features.get(f, 0.0) for f in features] for r in read])  # type: ignore[union-attr]
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z_x = (x - mean) / scale
    y = np.array([float(r.right) for r in read])

    def loss(w: np.ndarray) -> float:
        z = z_x @ w[:-1] + w[-1]
        return float(np.sum(np.logaddexp(0, z) - y * z) + 0.5 * np.sum(w[:-1] ** 2))

    w = minimize(loss, np.zeros(len(features) + 1), method="L-BFGS-B").x
    weights = w[:-1] / scale
    bias = float(w[-1] - np.sum(weights * mean))
    return Calibration(
        {f: round(float(v), 6) for f, v in zip(features, weights, strict=True)}, round(bias, 6)
    )


def says(row: Row, calibration: Calibration, threshold: float) -> bool:
    return row.features is not None and calibration.probability(row.features) >= threshold


@dataclass(frozen=True)
class Scores:
    accuracy: float  # right answers / answerable questions
    refused: float  # answerable questions refused / answerable
    unanswerable_refused: float  # unanswerables refused / unanswerables

    @property
    def balanced(self) -> float:
        return (self.accuracy + self.unanswerable_refused) / 2


def scores(rows: list[Row], decide) -> Scores:
    answerable = [r for r in rows if r.answerable]
    unanswerable = [r for r in rows if not r.answerable]
    return Scores(
        sum(r.right and decide(r) for r in answerable) / max(len(answerable), 1),
        sum(not decide(r) for r in answerable) / max(len(answerable), 1),
        sum(not decide(r) for r in unanswerable) / max(len(unanswerable), 1),
    )


def folds(rows: list[Row]) -> list[set[str]]:
    articles = sorted({r.article for r in rows})
    return [set(articles[0::2]), set(articles[1::2])]


def held_out_decider(rows: list[Row], features: tuple[str, ...], threshold: float):
    """Decide each row with the calibration fitted on the other fold's articles."""
    fitted = [
        (held, fit([r for r in rows if r.article not in held], features)) for held in folds(rows)
    ]

    def decide(row: Row) -> bool:
        cal = next(c for held, c in fitted if row.article in held)
        return says(row, cal, threshold)

    return decide


def squad_f1(rows: list[Row], calibration: Calibration, threshold: float) -> float:
    total = sum(
        (r.f1 if says(r, calibration, threshold) else 0.0)
        if r.answerable
        else (0.0 if says(r, calibration, threshold) else 1.0)
        for r in rows
    )
    return 100 * total / max(len(rows), 1)


def report_kinds(rows: list[Row], calibration: Calibration, threshold: float) -> None:
    print(f"news development part by question kind (answered at probability >= {threshold}):")
    for kind in sorted({r.kind for r in rows}):
        mine = [r for r in rows if r.kind == kind]
        s = scores(mine, lambda r: says(r, calibration, threshold))
        n_ans = sum(r.answerable for r in mine)
        print(
            f"  {kind:<9} {len(mine):4} questions ({n_ans} answerable): accuracy {s.accuracy:.2f}, "
            f"answerable refused {s.refused:.0%}, unanswerables refused {s.unanswerable_refused:.0%}"
        )
        wrong = [r for r in mine if says(r, calibration, threshold) and not r.right][:2]
        for r in wrong:
            print(f"      {r.question!r} -> {r.predicted!r} (gold {r.gold or '(unanswerable)'!r})")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=MODEL_DIR / "calibration.json")
    parser.add_argument("--limit", type=int, default=0, help="questions per set (0: all)")
    parser.add_argument("--cache", type=Path, help="reuse (or write) the collected rows here")
    parser.add_argument(
        "--features",
        default=",".join(FEATURES),
        help="comma-separated feature sets to compare, ';' between sets",
    )
    parser.add_argument("--no-squad", action="store_true", help="skip the SQuAD check")
    parser.add_argument(
        "--max-refused",
        type=float,
        default=0.20,
        help="the most answerable questions the chosen threshold may refuse, held out",
    )
    args = parser.parse_args()

    if args.cache and args.cache.exists():
        rows = [Row(**r) for r in json.loads(args.cache.read_text())]
    else:
        rows = news_rows(args.limit)
        if not args.no_squad:
            rows += [row for name in DEV_FILES for row in squad_rows(name, args.limit)]
        if args.cache:
            args.cache.write_text(json.dumps([asdict(r) for r in rows]))
    news = [r for r in rows if r.source == "news"]
    answerable = [r for r in news if r.answerable]
    print(
        f"news dev: {len(news)} questions over {len({r.article for r in news})} articles; "
        f"answer in the paragraphs read {np.mean([r.in_passages for r in answerable]):.2f}, "
        f"best span right at any confidence {np.mean([r.right for r in answerable]):.2f}"
    )
    shipped = Calibration.load(READER / "calibration.json")
    s = scores(news, lambda r: says(r, shipped, REFUSAL_THRESHOLD))
    print(
        f"as shipped ({shipped.to_json()}, threshold {REFUSAL_THRESHOLD}): accuracy {s.accuracy:.3f}, "
        f"answerable refused {s.refused:.0%}, unanswerables refused {s.unanswerable_refused:.0%}; "
        + ", ".join(
            f"{n[6:10]} F1 {squad_f1([r for r in rows if r.source == n], shipped, REFUSAL_THRESHOLD):.1f}"
            for n in DEV_FILES
            if any(r.source == n for r in rows)
        )
    )
    report_kinds(news, shipped, REFUSAL_THRESHOLD)
    thresholds = [round(float(t), 2) for t in np.arange(0.05, 0.91, 0.05)]
    chosen: tuple[float, float, tuple[str, ...]] | None = None
    for spec in args.features.split(";"):
        features = tuple(f for f in spec.split(",") if f)
        calibration = fit(news, features)
        print(f"\nfeatures {features}: fit on all news dev {calibration.to_json()}")
        print(
            "threshold  accuracy all/held-out  answerable refused  unanswerables refused  "
            + "  ".join(f"{n[6:10]} F1" for n in DEV_FILES)
        )
        for t in thresholds:
            a = scores(news, lambda r, t=t, c=calibration: says(r, c, t))
            h = scores(news, held_out_decider(news, features, t))
            cells = [
                f"{squad_f1([r for r in rows if r.source == n], calibration, t):5.1f}"
                for n in DEV_FILES
                if any(r.source == n for r in rows)
            ]
            print(
                f"  {t:.2f}     {a.accuracy:.3f} / {h.accuracy:.3f}      {a.refused:4.0%} / {h.refused:4.0%}"
                f"       {a.unanswerable_refused:4.0%} / {h.unanswerable_refused:4.0%}     "
                + "  ".join(cells)
            )
            if h.refused <= args.max_refused and (
                chosen is None or h.unanswerable_refused > chosen[0]
            ):
                chosen = (h.unanswerable_refused, t, features)
    if chosen is None:
        sys.exit(f"no threshold refuses at most {args.max_refused:.0%} of answerable questions")
    _, threshold, features = chosen
    calibration = fit(news, features)
    print(
        f"\nchosen on the held-out folds: features {features}, threshold {threshold} "
        f"(REFUSAL_THRESHOLD in the engine is {REFUSAL_THRESHOLD})"
    )
    for name in DEV_FILES:
        mine = [r for r in rows if r.source == name]
        if mine:
            print(
                f"{name}: F1 {squad_f1(mine, calibration, threshold):.1f} with the news fit, "
                f"never refusing {squad_f1(mine, Calibration({}, 50.0), 0.5):.1f}"
            )
    report_kinds(news, calibration, threshold)
    args.out.write_text(json.dumps(calibration.to_json(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
