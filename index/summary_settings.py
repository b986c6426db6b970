"""The summariser's settings and records: one place both the generic and the topic summary read."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.records import Sentence

MAX_SENTENCES = 10
TOPIC_UNIT = 2  # the most sentences a topic pick brings (itself and the one it leans on)
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class SummarizerSettings:
    """The knobs of the scorer; the defaults are the measured choice (see module doc)."""

    position_exponent: float = 0.5  # prior 1 / (position + 1) ** exponent
    edge_threshold: float = 0.6  # PacSum β: keep edges above min + β (max - min)
    forward_weight: float = 1.0  # PacSum λ2: similarity to later sentences
    backward_weight: float = 1.0  # PacSum λ1: similarity to earlier sentences (subtracted)
    long_words: int = 20  # discount sentences longer than this ...
    long_penalty: float = 0.3  # ... by 1 / (1 + penalty × excess / long_words)
    short_words: int = 10  # sentences shorter than this ...
    short_factor: float = 0.8  # ... are multiplied by this
    title_weight: float = 1.0  # boost 1 + weight × cosine(title, sentence), when there is a title
    redundancy: float = 0.2  # MMR: weight of the largest similarity to a chosen sentence
    topic_redundancy: float = 0.5  # the same for topic summaries, where repeats are likelier
    topic_min_coverage: float = 0.5  # share of the topic's weight a sentence must cover
    topic_min_similarity: float = 0.4  # cosine with the topic that makes a sentence about it
    topic_word_weight: float = 0.2  # lift for the topic's own words, beside the cosine
    topic_cue_weight: float = 0.5  # lift for an amount ("the prices"), 0.4 × for an earlier time
    topic_margin: float = 0.1  # a topic pick scores within this of the article's best match
    topic_reach: float = 0.2  # ... and a pick's neighbour carrying more on it, within this
    topic_cohesion: float = 0.3  # cosine of that neighbour with the pick, at least
    duplicate: float = 0.8  # similarity to a pick at which a sentence is a near-duplicate
    unit_cost: float = 1.0  # a unit of k sentences is worth its value / k ** unit_cost
    caption_factor: float = 0.5  # score of a sentence that reads as a photo caption
    label_factor: float = 0.0  # ... and of one under a caption's label ("Guilty: …", no full stop)
    topic_presence: bool = True  # the reader decides too whether a topic is covered at all
    lead_by_score: bool = False  # choose the lead by the score above (the older selection)
    novelty_max: float = 0.6  # a coverage pick's largest cosine with the summary, at most
    novel_words: int = 3  # words of 4+ letters a coverage pick holds that the summary does not
    topicality: float = 2.0  # a coverage pick's gain × (1 + this × its cosine with the first pick)
    figure_weight: float = 0.5  # a coverage pick holding a figure (a number): gain × (1 + this)
    centrality_quantile: float = 0.15  # a coverage pick's mean cosine with the article, at least
    lead_quantile: float = 0.2  # ... and its cosine with the first pick, at least this quantile
    later_pick: bool = True  # a summary never past the middle may add a later main point
    standfirst: bool = True  # a default summary opens with the publisher's summary paragraph


DEFAULT_SETTINGS = SummarizerSettings()


class SummaryError(ValueError):
    """The article cannot be summarised (no sentences, bad length); the message says why."""


@dataclass(frozen=True, slots=True)
class Summary:
    article_id: str
    article_title: str
    sentences: tuple[Sentence, ...]  # in article order
    topic: str | None = None
    found: bool = True  # False when a topic was asked for and the article has nothing on it
    message: str = ""  # why the summary is empty or unsure, when it is
    unsure: bool = False  # True when the sentences are only the closest the article comes
    more: bool = False  # True when the sentences continue a summary shown before ("more")
    # The ids of sentences of a quotation the article sets out below the line introducing it
    # ("… wrote on her blog:"), with no quotation marks of its own: shown in marks, else a
    # judge read a blogger's words as the article's.
    quoted: frozenset[str] = frozenset()

    @property
    def text(self) -> str:
        return " ".join(self.shown(s) for s in self.sentences)

    def shown(self, sentence: Sentence) -> str:
        """``sentence`` as a reader is shown it: in quotation marks when it is :attr:`quoted`."""
        return f"“{sentence.text}”" if sentence.id in self.quoted else sentence.text

    def to_json(self) -> dict[str, object]:
        return {
            "article_id": self.article_id,
            "article_title": self.article_title,
            "topic": self.topic,
            "found": self.found,
            "message": self.message,
            "unsure": self.unsure,
            "more": self.more,
            "sentences": [
                {
                    "sentence_id": s.id,
                    "paragraph": s.paragraph,
                    "position": s.position,
                    "text": s.text,
                    "quoted": s.id in self.quoted,
                }
                for s in self.sentences
            ],
        }
