"""Fit the summary's later pick (``index.summary_salience``) on the team's main-point labels.

    python training/fit_salience.py           # writes index/embedding_model/salience.json
    python training/fit_salience.py --report  # held-out figures only, nothing written

The labels are ``benchmarks/main_points/`` (README there): on the 143 training-split
articles of 12+ sentences, the sentences past the opening that tell a main point the
opening lacks, picked by one annotator and checked by a second. Development articles and
CNN/DailyMail are never read here: they judge the summaries.

Each article is summarised as shipped without the later pick; its candidates are the
sentences a coverage pick may still be (``index.summary_lead.coverage_candidates``), each
with the features ``index.summary_salience`` reads at run time, labelled by whether it is
a main point. A logistic model (L2, scipy) maps them to "a main point". Every figure
printed is held out by article (five folds, each article scored by a model fitted on the
other four): for the summaries that never leave the article's first half, the later pick
the model would add at each threshold and how many of those are main points, beside the
hand-set coverage rule's own best later-half pick. The threshold written is the lowest at
which at least :data:`PRECISION` of the held-out picks are main points.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from index.embedding import MODEL_DIR, shared_embedder
from index.loader import load_file
from index.records import Article
from index.summarize import summarize
from index.summary_lead import coverage_candidates, coverage_pick, holds_figure
from index.summary_salience import FEATURES, SALIENCE_FILE, Salience, candidate_features
from index.summary_sentences import caption_factors, sentence_links, unintroduced_names
from index.summary_settings import DEFAULT_SETTINGS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from summary_main_points import ARTICLES, main_points, read_labels  # noqa: E402

OUT = MODEL_DIR / SALIENCE_FILE
FOLDS = 5
L2 = 1.0  # on the summed loss over about 2,000 candidates: a light pull towards 0
PRECISION = 0.5  # the share of held-out later picks that must be main points
THRESHOLDS = (0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
WITHOUT_LATER = replace(DEFAULT_SETTINGS, later_pick=False)


@dataclass
class Labelled:
    article: Article
    main: set[int]  # 0-based positions of the main points
    chosen: list[int]  # the summary as shipped without the later pick
    candidates: list[int]
    features: np.ndarray
    later: list[int]  # rows of candidates a later pick may be (none when chosen reaches it)
    hand: int | None  # the hand-set rule's best later-half pick


def labelled() -> list[Labelled]:
    embedder = shared_embedder()
    if embedder is None:
        raise SystemExit("the embedding model does not load")
    rows = []
    for annotation, check in read_labels():
        article = load_file(ARTICLES / f"{annotation['article']}.txt")
        body, n = article.sentences, len(article.sentences)
        texts = [s.text for s in body]
        vectors = embedder.embed(texts)
        similarity = (vectors @ vectors.T).astype(np.float64)
        links = sentence_links(article)
        summary = summarize(article, settings=WITHOUT_LATER)
        chosen = [body.index(s) for s in summary.sentences]
        captions = caption_factors(body, DEFAULT_SETTINGS) < 1.0
        pool = coverage_candidates(body, chosen, similarity, links, captions)
        figures = [holds_figure(t) for t in texts]
        features = candidate_features(body, chosen, similarity, captions, pool, figures)
        said = " ".join(texts[i] for i in chosen)
        reaches = any(2 * i >= n for i in chosen)
        later = [
            k
            for k, i in enumerate(pool)
            if not reaches and 2 * i >= n and not unintroduced_names(texts[i], said, texts)
        ]
        first_half = [i for i in range(n) if 2 * i < n]
        hand = None
        if not reaches:
            hand = coverage_pick(body, chosen, similarity, links, DEFAULT_SETTINGS, first_half)
        main = main_points(annotation, check)
        rows.append(Labelled(article, main, chosen, pool, features, later, hand))
    return rows


def fit(rows: list[Labelled], threshold: float = 1.0) -> Salience:
    x = np.vstack([r.features for r in rows if len(r.candidates)])
    y = np.concatenate([[i in r.main for i in r.candidates] for r in rows]).astype(np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        p = 1.0 / (1.0 + np.exp(-(z @ theta[:-1] + theta[-1])))
        eps = 1e-12
        value = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
        value += L2 * float(theta[:-1] @ theta[:-1]) / len(y)
        residual = (p - y) / len(y)
        grad = np.append(z.T @ residual + 2 * L2 * theta[:-1] / len(y), residual.sum())
        return float(value), grad

    theta = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B").x
    return Salience(
        tuple(float(w) for w in theta[:-1]),
        float(theta[-1]),
        tuple(float(m) for m in mean),
        tuple(float(s) for s in scale),
        threshold,
    )


def held_out_picks(rows: list[Labelled]) -> list[tuple[float, bool]]:
    """(probability, is a main point) of the later pick of each summary lacking one."""
    picks = []
    for fold in range(FOLDS):
        model = fit([r for k, r in enumerate(rows) if k % FOLDS != fold])
        for r in rows[fold::FOLDS]:
            if r.later:
                p = model.probability(r.features)
                best = max(r.later, key=lambda k: p[k])
                picks.append((float(p[best]), r.candidates[best] in r.main))
    return picks


def report(rows: list[Labelled]) -> float:
    """Print the held-out later picks by threshold; return the threshold chosen."""
    lacking = [r for r in rows if not any(2 * i >= len(r.article.sentences) for i in r.chosen)]
    hand = [r.hand in r.main for r in lacking if r.hand is not None]
    print(
        f"{len(rows)} articles, {len(lacking)} summaries never past the middle, "
        f"{sum(bool(r.later) for r in rows)} with a later candidate"
    )
    print(f"hand-set rule's later-half pick: {len(hand)} picks, {sum(hand)} main points")
    picks = held_out_picks(rows)
    chosen = 1.0
    for t in THRESHOLDS:
        taken = [main for p, main in picks if p >= t]
        share = sum(taken) / len(taken) if taken else 0.0
        print(f"learned, held out, at {t:.2f}: {len(taken)} picks, {sum(taken)} main points")
        if taken and share >= PRECISION and chosen == 1.0:
            chosen = t
    print(f"threshold: {chosen}")
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="held-out figures only")
    args = parser.parse_args()
    rows = labelled()
    threshold = report(rows)
    if args.report:
        return
    model = fit(rows, threshold)
    OUT.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print("weights:", dict(zip(FEATURES, (round(w, 3) for w in model.weights), strict=True)))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
