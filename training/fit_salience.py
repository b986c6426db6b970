"""Fit the summary's learned coverage pick (``index.summary_salience``) on the team's labels.

    python training/fit_salience.py           # writes index/embedding_model/salience.json
    python training/fit_salience.py --report  # held-out figures only, nothing written

The labels are ``benchmarks/main_points/`` (README there): on the 143 training-split
articles of 12+ sentences, the sentences past the opening that tell a main point the
opening lacks, picked by one annotator and checked by a second. Development articles and
CNN/DailyMail are never read here: they judge the summaries.

Each article's candidates are the sentences a coverage pick may be
(``index.summary_lead.coverage_candidates`` after the article's lead), each with the
features ``index.summary_salience`` reads at run time; a logistic model (L2, scipy) maps
them to "a main point". Every figure printed is held out by article (five folds, each
article summarised with a model fitted on the other four), beside the hand-set rule the
model replaces: whether the first coverage pick is a main point, how many main points the
default summary holds, and how many summaries hold a later-half sentence.
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
from index.summarize import lead_length, summarize
from index.summary_lead import clean_lead, coverage_candidates, holds_figure
from index.summary_salience import FEATURES, SALIENCE_FILE, Salience, candidate_features
from index.summary_sentences import caption_factors, sentence_links
from index.summary_settings import DEFAULT_SETTINGS

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from summary_main_points import ARTICLES, main_points, read_labels  # noqa: E402

OUT = MODEL_DIR / SALIENCE_FILE
FOLDS = 5
L2 = 1.0  # on the summed loss over about 2,000 candidates: a light pull towards 0


@dataclass
class Labelled:
    article: Article
    main: set[int]  # 0-based positions of the main points
    lead: list[int]
    candidates: list[int]
    features: np.ndarray


def labelled() -> list[Labelled]:
    embedder = shared_embedder()
    if embedder is None:
        raise SystemExit("the embedding model does not load")
    rows = []
    for annotation, check in read_labels():
        article = load_file(ARTICLES / f"{annotation['article']}.txt")
        body = article.sentences
        vectors = embedder.embed([s.text for s in body])
        similarity = (vectors @ vectors.T).astype(np.float64)
        links = sentence_links(article)
        lead = clean_lead(body, lead_length(len(body)), similarity, links, DEFAULT_SETTINGS)
        captions = caption_factors(body, DEFAULT_SETTINGS) < 1.0
        pool = coverage_candidates(body, lead, similarity, links, captions)
        figures = [holds_figure(s.text) for s in body]
        features = candidate_features(body, lead, similarity, captions, pool, figures)
        rows.append(Labelled(article, main_points(annotation, check), lead, pool, features))
    return rows


def fit(rows: list[Labelled]) -> Salience:
    x = np.vstack([r.features for r in rows])
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
    )


def report(rows: list[Labelled]) -> None:
    """Held out by article: the learned pick against the hand-set rule."""
    models = [fit([r for k, r in enumerate(rows) if k % FOLDS != fold]) for fold in range(FOLDS)]
    hand = replace(DEFAULT_SETTINGS, learned_coverage=False)
    for name, use_model in (("hand-set rule", False), ("learned (held out)", True)):
        first = held = later = 0
        for k, r in enumerate(rows):
            body = r.article.sentences
            model = models[k % FOLDS] if use_model else None
            summary = summarize(
                r.article, settings=DEFAULT_SETTINGS if model else hand, salience=model
            )
            picked = [s.position for s in summary.sentences]
            extra = [i for i in picked if i not in r.lead]
            first += bool(extra) and extra[0] in r.main
            held += len(r.main & set(picked))
            later += any(i >= len(body) / 2 for i in picked)
        print(
            f"{name}: first coverage pick a main point {first} of {len(rows)}; "
            f"main points held {held} of {sum(len(r.main) for r in rows)}; "
            f"summaries holding a later-half sentence {later}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="held-out figures only")
    args = parser.parse_args()
    rows = labelled()
    report(rows)
    if args.report:
        return
    model = fit(rows)
    OUT.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print("weights:", dict(zip(FEATURES, (round(w, 3) for w in model.weights), strict=True)))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
