"""A summary's later pick: a main point from the article's later half, by a learned salience.

The team labelled, on its training articles, the sentences past the opening that tell a
main point the opening lacks (the outcome, the other side, a distinct event, a key
figure, what happens next): one annotator picked, a second checked every pick and added
what was missed (``benchmarks/main_points/``). A logistic model over a few
article-relative features maps each sentence a coverage pick may be to the probability
that it is such a sentence; ``training/fit_salience.py`` fits it with scipy and writes
``salience.json`` beside the embedding model whose cosines it reads. At run time it is a
dot product.

It decides one thing (:func:`later_pick`): whether a summary of an article of 12+ sentences
that never leaves the article's first half takes one more sentence from its later half, and
which. Judged blind, the hand-set coverage pick (:func:`index.summary_lead.coverage_pick`)
beat this model as the *first* pick past the lead: it favours the story's own subject.
The later pick only adds a sentence, and only one the model finds likely enough
(``threshold``, fitted held out by article) to be a main point.

The features are relative to the article (ranks among its sentences, a gain over the best
candidate's) so that a long article and a short one read alike. Two of them say how news
is written: a paragraph's first sentence usually opens a new point, and a sentence looking
ahead ("will", "plans to") tells what happens next; on the labels, 39 % of
paragraph-opening sentences past the lead are main points against 19 % of the rest.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from index.records import Sentence
from index.summary_lead import coverage_candidates, holds_figure
from index.summary_sentences import caption_factors, unintroduced_names
from index.summary_settings import DEFAULT_SETTINGS, BoolArray, FloatArray, SummarizerSettings

FEATURES = (
    "gain",  # facility-location gain over the best candidate's (1 = the best)
    "subject",  # rank of its cosine with the first pick among the article's sentences
    "central",  # rank of its mean cosine with the article's sentences
    "position",  # its place in the article, 0 (first) to 1 (last)
    "covered",  # its largest cosine with a sentence already picked
    "figure",  # it gives a figure: a count, an amount, a term (1 or 0)
    "quote",  # it holds a quotation mark (1 or 0)
    "words",  # log of its word count
    "opens_paragraph",  # the first sentence of its paragraph (1 or 0)
    "ahead",  # it looks ahead: "will", "plans to", "is expected to", "next week" (1 or 0)
)
SALIENCE_FILE = "salience.json"  # beside the embedding model
QUOTES = ('"', "“", "”")
AHEAD = re.compile(
    r"\b(?:will|plans?\s+to|(?:is|are)\s+expected\s+to|next\s+(?:week|month|year))\b"
)


@dataclass(frozen=True, slots=True)
class Salience:
    """A fitted logistic model: weights over standardised :data:`FEATURES`, and a bias."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float = 1.0  # the least probability at which a later pick is taken

    def probability(self, features: FloatArray) -> FloatArray:
        """P(a main point the summary lacks) for each row of ``features``."""
        z = (features - np.asarray(self.mean)) / np.asarray(self.scale)
        logits = z @ np.asarray(self.weights) + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float64)

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            "mean": list(self.mean),
            "scale": list(self.scale),
            "threshold": self.threshold,
        }


@cache
def load_salience(path: Path) -> Salience | None:
    """The model in ``path``; None when it is missing, unreadable or for other features."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            return None
        return Salience(
            tuple(float(w) for w in data["weights"]),
            float(data["bias"]),
            tuple(float(m) for m in data["mean"]),
            tuple(float(s) for s in data["scale"]),
            float(data["threshold"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _ranks(values: FloatArray, among: BoolArray) -> FloatArray:
    """Each value's share of the ``among`` values at or below it (0 to 1)."""
    pool = np.sort(values[among]) if among.any() else np.sort(values)
    return np.searchsorted(pool, values, side="right") / max(len(pool), 1)


def candidate_features(
    body: Sequence[Sentence],
    chosen: Sequence[int],
    similarity: FloatArray,
    captions: BoolArray,
    candidates: Sequence[int],
    figures: Sequence[bool],
) -> FloatArray:
    """The :data:`FEATURES` of each of ``candidates`` (rows in their order).

    ``similarity`` holds the sentences' cosines, ``captions`` marks the photo captions
    (not the article a summary stands for), ``figures`` whether each sentence gives a figure.
    """
    text = ~captions
    covered = similarity[list(chosen)].max(axis=0)
    weight = text.astype(np.float64)
    gains = np.array(
        [float((weight * np.clip(similarity[i] - covered, 0.0, None)).sum()) for i in candidates]
    )
    best = float(gains.max()) if len(gains) and gains.max() > 0 else 1.0
    subject = _ranks(similarity[:, chosen[0]], text)
    central = _ranks(similarity[:, text].mean(axis=1), text)
    last = max(len(body) - 1, 1)
    rows = [
        (
            gains[k] / best,
            subject[i],
            central[i],
            i / last,
            float(covered[i]),
            float(figures[i]),
            float(any(q in body[i].text for q in QUOTES)),
            math.log(max(len(body[i].text.split()), 1)),
            float(i == 0 or body[i - 1].paragraph != body[i].paragraph),
            float(AHEAD.search(body[i].text) is not None),
        )
        for k, i in enumerate(candidates)
    ]
    return np.array(rows, dtype=np.float64).reshape(len(candidates), len(FEATURES))


def later_pick(
    body: Sequence[Sentence],
    chosen: Sequence[int],
    similarity: FloatArray,
    links: tuple[list[bool], list[bool]],
    salience: Salience,
    settings: SummarizerSettings = DEFAULT_SETTINGS,
) -> int | None:
    """A sentence of the later half for a summary of 12+ sentences' article that lacks one.

    Among the sentences a coverage pick may be (they read right alone and say something
    new) that lie in the article's later half and name nobody the summary has not
    introduced, the one ``salience`` finds likeliest to tell a main point, when at least
    ``salience.threshold``. None for a shorter article, a summary already past the
    middle, or no candidate likely enough: the summary stays as it was.
    """
    n = len(body)
    if n < 12 or not chosen or any(2 * i >= n for i in chosen):
        return None
    captions = caption_factors(body, settings) < 1.0
    pool = coverage_candidates(body, chosen, similarity, links, captions, settings)
    said = " ".join(body[i].text for i in chosen)
    texts = [s.text for s in body]
    later = [
        k
        for k, i in enumerate(pool)
        if 2 * i >= n and not unintroduced_names(texts[i], said, texts)
    ]
    if not later:
        return None
    figures = [holds_figure(t) for t in texts]
    probability = salience.probability(
        candidate_features(body, chosen, similarity, captions, pool, figures)
    )
    best = max(later, key=lambda k: probability[k])
    return pool[best] if probability[best] >= salience.threshold else None
