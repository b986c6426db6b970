"""Whether an article covers a topic at all: the reader asked about it, with two word signals.

A topic summary must say "the article says nothing about X" when it does not, and
only then. Closeness in meaning cannot decide it alone: "what the EU observers said"
sits close to an article that names the EU observers and never quotes them. So the
reader, trained to refuse what a passage does not answer, is asked "What does it say
about X?" over the three sentences closest to the topic, each with its neighbours (whole
paragraphs read no better and took ten times as long on long ones). Its best span's
margin over "no answer" and the best cosine of a sentence with the topic go into a
logistic model fitted by ``training/fit_topic_presence.py`` on topics written and
checked by two annotators, held out by article, and checked on others
(``benchmarks/topic_presence_heldout.json``; docs/evaluation.md, "Topics the article
may not cover"). Its weights live beside the reader in ``topic_presence.json``, refitted
with each reader. Above a second cut-off (``rescue``), a topic the summariser's rules find
nothing on is given as the closest the article comes too: worded apart from the article, it
is likelier covered than not. Without the reader or that file, the rules decide alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from index.attribution import never_quoted
from index.confidence import Calibration
from index.embedding import Embedder
from index.reader import MODEL_DIR, Reader, ReaderUnavailable, shared_reader
from index.records import Article
from index.summary_settings import FloatArray

PRESENCE_FILE = "topic_presence.json"
FEATURES = ("margin", "closeness")
PASSAGES = 3  # the passages read: around the sentences closest to the topic
REACH = 1  # sentences either side of one, in its paragraph
NO_SPAN = -20.0  # the margin of a reading that found no span at all
# The least cosine between a topic and the headline that states it. Of the 208 labelled topics
# on articles with headlines, one not covered reaches it ("where Wikimania 2009 will be held",
# 0.66, on "Wikimania 2008 opens …") and none covered; stories asked for an account reach 0.6-0.9.
HEADLINE_STATES = 0.6


@dataclass(frozen=True)
class Presence:
    """The fitted model and its cut-offs: a topic the summariser's rules find counts as covered
    from ``threshold``; one they find nothing on is given as the closest the article comes
    from ``rescue`` (1.0 or more: never)."""

    model: Calibration
    threshold: float
    rescue: float = 1.0

    @classmethod
    def load(cls, path: Path) -> Presence | None:
        """The model stored at ``path``, or None when it is missing or unreadable."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            weights = {str(k): float(v) for k, v in data["weights"].items() if k in FEATURES}
            model = Calibration(weights, float(data["bias"]))
            return cls(model, float(data["threshold"]), float(data.get("rescue", 1.0)))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None


@dataclass(frozen=True)
class Check:
    """The model's probability that an article covers a topic, with the cut-offs it is read by."""

    probability: float
    presence: Presence
    unquoted: bool = False  # the topic asks for someone's words and the article never gives them

    @property
    def doubts(self) -> bool:
        """A topic the rules find is in doubt: the sentences are only the closest there are."""
        return self.unquoted or self.probability < self.presence.threshold

    @property
    def rescues(self) -> bool:
        """A topic the rules find nothing on is likely covered after all."""
        return self.probability >= self.presence.rescue


def topic_question(topic: str) -> str:
    """The topic as the reader reads it: a question any topic's wording fits."""
    return f"What does it say about {topic}?"


def closest_passages(article: Article, cosines: FloatArray, count: int = PASSAGES) -> list[str]:
    """The ``count`` sentences closest to the topic, best first, each with its neighbours in
    its paragraph (``REACH`` either side): runs that overlap are read once."""
    body = article.sentences
    runs: list[tuple[int, int]] = []
    for i in map(int, np.argsort(-cosines, kind="stable")[:count]):
        first, last = i, i
        while first > 0 and i - first < REACH and body[first - 1].paragraph == body[i].paragraph:
            first -= 1
        while (
            last + 1 < len(body)
            and last - i < REACH
            and body[last + 1].paragraph == body[i].paragraph
        ):
            last += 1
        if not any(a <= i <= b for a, b in runs):
            runs.append((first, last))
    return [" ".join(s.text for s in body[a : b + 1]) for a, b in runs]


def presence_features(
    reader: Reader, embedder: Embedder, article: Article, topic: str
) -> dict[str, float]:
    """What the model weighs (``FEATURES``); a reading with no span counts as a large refusal."""
    cosines = embedder.embed([s.text for s in article.sentences]) @ embedder.embed([topic])[0]
    spans = reader.read(topic_question(topic), closest_passages(article, cosines))
    return {
        "margin": max((s.margin for s in spans), default=NO_SPAN),
        "closeness": float(cosines.max()),
    }


def check_topic(
    article: Article, topic: str, embedder: Embedder | None, model_dir: Path = MODEL_DIR
) -> Check | None:
    """The model's check of ``topic`` on ``article``, or None (the rules decide alone) without
    the reader, the embedder or the fitted model. A topic asking for someone's words
    (:func:`index.attribution.asked_speaker`) is in doubt when the article never reports them
    speaking: held out, the reader found spans near any mention of them."""
    reader = shared_reader(model_dir)
    presence = _presence(model_dir)
    if isinstance(reader, ReaderUnavailable) or presence is None or embedder is None:
        return None
    unquoted = never_quoted([s.text for s in article.sentences], topic)
    if headline_states(article, topic, embedder):  # its story, but someone's words need them
        return Check(1.0, presence, unquoted)
    values = presence_features(reader, embedder, article, topic)
    return Check(presence.model.probability(values), presence, unquoted)


def headline_states(article: Article, topic: str, embedder: Embedder) -> bool:
    """Whether the article's headline states ``topic`` (a cosine of ``HEADLINE_STATES`` or more):
    an article covers what its headline says, however little of its body stands out on it.

    Asked for an account of its own story ("the ransomware hit on that ferry port"), the
    reader reads the sentences closest to the subject, finds no one span that answers
    "What does it say about …?", and the check doubted the story the headline names. An
    article with no headline of its own (its title is its id) is read as before.
    """
    if not article.headline:
        return False
    vectors = embedder.embed([topic, article.headline])
    return float(vectors[0] @ vectors[1]) >= HEADLINE_STATES


@cache
def _presence(model_dir: Path) -> Presence | None:
    return Presence.load(model_dir / PRESENCE_FILE)
