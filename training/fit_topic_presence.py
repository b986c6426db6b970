"""Fit whether an article covers a topic (``index.topic_presence``); check it on held-out topics.

    python training/fit_topic_presence.py           # writes index/reader_model/topic_presence.json
    python training/fit_topic_presence.py --check   # the summariser on the held-out topics

Fitted on every labelled topic of the development articles but the held-out ones: the
119 of ``benchmarks/topic_presence_tuning.json`` (30 articles, half of the topics ones the
article does not cover, written by one annotator and confirmed by another) and the 102 of
the earlier topic sets (``benchmarks/summary_topics.py``, ``summary_topic_precision.py``
and ``summary_topics_tuning.json``: topics worded apart from the article, "the death toll"
for "killed 150"). Each topic gets the features ``index.topic_presence`` reads at run time:
the reader's margin when asked "What does it say about X?" over the paragraphs closest to
the topic, and the best cosine of a sentence with the topic. A logistic model maps them
to "covered". Every figure printed is held out by article (each article's topics scored
by a model fitted on the others), for the summariser's decision: its rules find the topic
and the model agrees. The threshold chosen makes the fewest mistakes held out (a covered
topic given as uncertain, an absent one given as covered) while putting at most
``--max-wrong`` of the covered topics in doubt. For the topics the rules find nothing on,
``rescue`` is the lowest probability at which, held out, more of those at or above it are
covered than not: the summariser gives those the closest sentences, in doubt. The share of the topic's words the article
never uses separated well on the new topics alone, but only because their writers worded
covered topics in the article's words: on the earlier topics it put a fifth of the
covered ones in doubt, so it is not used.

``--check`` scores the held-out topics (``benchmarks/topic_presence_heldout.json``, 16 other
articles, the 42 of ``benchmarks/summary_topics_heldout.json`` and the two sets of
``benchmarks/topic_speakers/``) as the summariser
decides, with the model and with its rules alone. Refit after every new reader: the
margin is the reader's.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import summary_topic_precision as precision  # noqa: E402
from summary_topics import TOPICS, dev_articles  # noqa: E402

from index.confidence import Calibration  # noqa: E402
from index.embedding import shared_embedder  # noqa: E402
from index.reader import MODEL_DIR, Reader, shared_reader  # noqa: E402
from index.records import Article  # noqa: E402
from index.summarize import DEFAULT_SETTINGS, summarize  # noqa: E402
from index.topic_presence import FEATURES, PRESENCE_FILE, presence_features  # noqa: E402

TUNING = ROOT / "benchmarks" / "topic_presence_tuning.json"
HELDOUT = (
    ROOT / "benchmarks" / "topic_presence_heldout.json",
    ROOT / "benchmarks" / "summary_topics_heldout.json",
    # Topics asking for someone's words or a name (the speaker check's, index/attribution.py):
    # the first set shaped it, the second measured it, then shaped its revision, which the
    # third measured (benchmarks/topic_speakers/README.md).
    ROOT / "benchmarks" / "topic_speakers" / "topics.json",
    ROOT / "benchmarks" / "topic_speakers" / "second" / "topics.json",
    ROOT / "benchmarks" / "topic_speakers" / "third" / "topics.json",
    ROOT / "benchmarks" / "topic_speakers" / "reactions" / "topics.json",
)


def topics(path: Path) -> list[tuple[str, str, bool]]:
    """(article id, topic, covered) of a labelled set; a topic with no sentences is not covered."""
    rows = json.loads(path.read_text(encoding="utf-8"))["topics"]
    return [(t["article"], t["topic"], bool(t.get("covered", bool(t["about"])))) for t in rows]


def earlier_topics() -> list[tuple[str, str, bool]]:
    """The topic sets the summariser's rules were written on (article id prefixes)."""
    rows = [(a, t, bool(about)) for a, t, about in TOPICS]
    rows += [(a, t, True) for a, t, *_ in (*precision.TOPICS, *precision.CHECK)]
    return rows + [(a, t, True) for a, t, *_ in precision.labelled_topics(precision.TUNING)]


def fit(x: np.ndarray, y: np.ndarray) -> Calibration:
    """Logistic regression (maximum likelihood, a little L2 on standardised features)."""
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    z_x = (x - mean) / scale

    def loss(w: np.ndarray) -> float:
        z = z_x @ w[:-1] + w[-1]
        return float(np.sum(np.logaddexp(0, z) - y * z) + 0.5 * np.sum(w[:-1] ** 2))

    w = minimize(loss, np.zeros(x.shape[1] + 1), method="L-BFGS-B").x
    weights = w[:-1] / scale
    bias = float(w[-1] - np.sum(weights * mean))
    return Calibration(
        {f: round(float(v), 6) for f, v in zip(FEATURES, weights, strict=True)}, round(bias, 6)
    )


def rules_find(articles: dict[str, Article], rows: list[tuple[str, str, bool]]) -> np.ndarray:
    """Whether the summariser's rules alone find each topic."""
    rules = replace(DEFAULT_SETTINGS, topic_presence=False)
    return np.array(
        [summarize(article(articles, a), topic=t, settings=rules).found for a, t, _ in rows]
    )


def article(articles: dict[str, Article], prefix: str) -> Article:
    return next(a for key, a in articles.items() if key.startswith(prefix))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="the summariser on the held-out topics"
    )
    parser.add_argument(
        "--max-wrong", type=float, default=0.10, help="covered topics put in doubt, at most"
    )
    args = parser.parse_args()
    articles = dev_articles()
    if args.check:
        check(articles)
        return
    reader, embedder = shared_reader(), shared_embedder()
    assert isinstance(reader, Reader) and embedder is not None, (
        "the reader and the embedder must load"
    )
    rows = topics(TUNING) + earlier_topics()
    x = np.array(
        [
            list(presence_features(reader, embedder, article(articles, a), t).values())
            for a, t, _ in rows
        ]
    )
    y = np.array([c for *_, c in rows])
    ids = np.array([article(articles, a).id for a, *_ in rows])
    found = rules_find(articles, rows)
    held = np.zeros(len(y))
    for one in set(ids):
        mine = ids == one
        model = fit(x[~mine], y[~mine].astype(float))
        held[mine] = [model.probability(dict(zip(FEATURES, v, strict=True))) for v in x[mine]]
    print(
        f"{len(y)} topics on {len(set(ids))} articles, {int(y.sum())} covered; held out by article:"
    )
    print(
        f"  rules alone: covered said absent {(~found[y]).mean():.2f}, absent given as covered {found[~y].mean():.2f}"
    )
    print("  threshold  covered in doubt or absent  absent given as covered")
    best = None
    for threshold in np.arange(0.05, 0.96, 0.05):
        sure = found & (held >= threshold)
        wrong, missed = float((~sure[y]).mean()), float(sure[~y].mean())
        print(f"  {threshold:.2f}       {wrong:5.2f}                       {missed:5.2f}")
        cost = wrong * y.sum() + missed * (~y).sum()
        if wrong <= args.max_wrong and (best is None or cost < best[0]):
            best = (cost, round(float(threshold), 2))
    assert best is not None, "no threshold keeps the covered topics"
    missed = f"of {int((~found & y).sum())} / {int((~found & ~y).sum())}"
    print(f"  topics the rules find nothing on, held out: covered / absent at or above ({missed})")
    rescue = 1.0
    for threshold in np.arange(0.95, 0.29, -0.05):
        above = ~found & (held >= threshold)
        covered, absent = int((above & y).sum()), int((above & ~y).sum())
        print(f"  {threshold:.2f}       {covered} / {absent}")
        if covered > absent:
            rescue = round(float(threshold), 2)  # the lowest at which more are covered than not
    data = {**fit(x, y.astype(float)).to_json(), "threshold": best[1], "rescue": rescue}
    (MODEL_DIR / PRESENCE_FILE).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"chosen threshold {best[1]}; fitted on all: {data}")


def check(articles: dict[str, Article]) -> None:
    """The summariser on the held-out topics, with the model and with its rules alone."""
    for path in HELDOUT:
        rows = topics(path)
        y = np.array([c for *_, c in rows])
        for label, settings in (
            ("rules alone", replace(DEFAULT_SETTINGS, topic_presence=False)),
            ("with the model", DEFAULT_SETTINGS),
        ):
            said = [summarize(article(articles, a), topic=t, settings=settings) for a, t, _ in rows]
            absent = np.array([not s.found for s in said])
            doubt = np.array([s.unsure for s in said])
            print(
                f"{path.relative_to(ROOT / 'benchmarks')}: {label}: covered topics said absent {int(absent[y].sum())},"
                f" in doubt {int(doubt[y].sum())} of {int(y.sum())}; absent topics said absent"
                f" {int(absent[~y].sum())}, in doubt {int(doubt[~y].sum())}, given as covered"
                f" {int((~absent & ~doubt)[~y].sum())} of {int((~y).sum())}"
            )


if __name__ == "__main__":
    main()
