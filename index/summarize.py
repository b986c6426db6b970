"""Extractive summaries of one article, optionally focused on a topic.

A summary is a few whole body sentences, returned in article order with their
ids so every line can be cited. Nothing is trained and no model is loaded.

Generic summaries score each sentence as

    position prior × (1 + directed centrality) × length factor

and pick greedily with a redundancy penalty (MMR):

* **Position prior** ``1 / (position + 1) ** 0.5``: news puts the point first
  (the reason Lead-3 is hard to beat), but softly enough that a central
  sentence a little further down can win over a weak opener.
* **Directed centrality** (PacSum, Zheng and Lapata 2019): on TF-IDF cosine
  similarities, edges below ``min + β (max - min)`` are dropped, and a
  sentence gains from its similarity to *later* sentences and loses from its
  similarity to *earlier* ones. A sentence that the rest of the story goes on
  to develop is a good summary sentence; one that repeats what came before is
  not.
* **Length**: reference summaries are short highlights, so long sentences
  lose precision; they are discounted gently past 20 words. Fragments under
  10 words ("Forget learning ABCs.") carry little and are discounted too.
* **Redundancy** (MMR, Carbonell and Goldstein 1998): each further pick pays
  for its largest similarity to a sentence already chosen.

The weights are few and round on purpose; how each was measured on the
CNN/DailyMail dev file, with both halves of it, is in docs/evaluation.md ("Summaries");
the variants measured and left out because 50 articles could not tell them
from noise, in the commit history (trigram blocking, BM25 or word-overlap centrality, coverage
terms, degree centrality, lead-sentence overlap). ``benchmarks/summary_heldout.py``
re-measures the defaults tuned on one half and scored on the other.

Topic summaries keep only sentences that cover the topic's words (weighted by
inverse sentence frequency), rank them by that coverage with the position
prior as a tie-breaker, and apply the same redundancy penalty. When no
sentence covers at least half of the topic's weight the summary is empty,
``found`` is False and ``message`` says so. Topic words the article never
uses are dropped when at least two others remain, so a topic in the user's
words ("Kim's trips to Moscow") finds the sentences that say it in the
article's ("Kim traveled to Moscow"); with fewer left, an absent word weighs
the most, so "drones in Iran" does not pass for "drones".

Neither kind opens with a sentence that leans on the one before it ("He told
the meeting…", "But…", a quote "she said"; :mod:`index.cohesion`): such an
opener comes with the sentences it leans on when they fit in the length, and
otherwise the next candidate is taken. ``benchmarks/summary_openers.py`` counts them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from index.cohesion import leans_on_previous
from index.records import Article, Sentence
from index.tokenize import Tokenizer, default_tokenizer

DEFAULT_SENTENCES = 3
MAX_SENTENCES = 10
MIN_PRESENT_TOPIC_WORDS = 2  # topic words the article uses, to drop the others

FloatArray = npt.NDArray[np.float64]


class SummaryError(ValueError):
    """The article cannot be summarised (no sentences, bad length); the message says why."""


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


DEFAULT_SETTINGS = SummarizerSettings()


@dataclass(frozen=True, slots=True)
class Summary:
    article_id: str
    article_title: str
    sentences: tuple[Sentence, ...]  # in article order
    topic: str | None = None
    found: bool = True  # False when a topic was asked for and the article has nothing on it
    message: str = ""  # why the summary is empty, when it is

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    def to_json(self) -> dict[str, object]:
        return {
            "article_id": self.article_id,
            "article_title": self.article_title,
            "topic": self.topic,
            "found": self.found,
            "message": self.message,
            "sentences": [
                {
                    "sentence_id": s.id,
                    "paragraph": s.paragraph,
                    "position": s.position,
                    "text": s.text,
                }
                for s in self.sentences
            ],
        }


def summarize(
    article: Article,
    sentences: int = DEFAULT_SENTENCES,
    topic: str | None = None,
    tokenizer: Tokenizer | None = None,
    settings: SummarizerSettings = DEFAULT_SETTINGS,
) -> Summary:
    """Pick ``sentences`` body sentences of ``article`` (about ``topic`` if given).

    Raises :class:`SummaryError` for a length outside 1..MAX_SENTENCES or an
    article without sentences. Only the body is read: ``article.summary``
    (the publisher's own summary) is never looked at.
    """
    if isinstance(sentences, bool) or not 1 <= sentences <= MAX_SENTENCES:
        raise SummaryError(f"a summary has 1 to {MAX_SENTENCES} sentences, not {sentences}")
    body = article.sentences
    if not body:
        raise SummaryError(f"“{article.title}” has no sentences to summarise")
    tokenizer = tokenizer or default_tokenizer()
    tokens = [tokenizer.tokens(s.text) for s in body]
    vectors, idf, vocabulary = _tfidf(tokens)
    similarity = vectors @ vectors.T
    leans = [leans_on_previous(s.text) for s in body]
    topic = topic.strip() if topic else None
    if topic:
        wanted = list(dict.fromkeys(tokenizer.tokens(topic)))
        if not wanted:
            raise SummaryError(f"the topic “{topic}” has no words to look for")
        chosen = _topic_pick(body, tokens, idf, similarity, wanted, sentences, settings, leans)
        if not chosen:
            message = f"“{article.title}” says nothing about “{topic}”."
            return Summary(article.id, article.title, (), topic, False, message)
        picked = tuple(body[i] for i in sorted(chosen))
        return Summary(article.id, article.title, picked, topic)
    scores = sentence_scores(body, similarity, settings)
    if article.title.strip() and article.title != article.id:
        title = _vector(tokenizer.tokens(article.title), idf, vocabulary)
        scores = scores * (1.0 + settings.title_weight * (vectors @ title))
    chosen = _mmr(scores, similarity, sentences, settings.redundancy, leans)
    return Summary(article.id, article.title, tuple(body[i] for i in sorted(chosen)))


def sentence_scores(
    body: Sequence[Sentence],
    similarity: FloatArray,
    settings: SummarizerSettings = DEFAULT_SETTINGS,
) -> FloatArray:
    """Generic salience of each sentence: prior × (1 + centrality) × length factor."""
    n = len(body)
    positions = np.arange(n, dtype=np.float64)
    prior = 1.0 / (positions + 1.0) ** settings.position_exponent
    centrality = directed_centrality(similarity, settings)
    words = np.array([len(s.text.split()) for s in body], dtype=np.float64)
    excess = np.maximum(0.0, words - settings.long_words) / settings.long_words
    length = 1.0 / (1.0 + settings.long_penalty * excess)
    length = np.where(words < settings.short_words, length * settings.short_factor, length)
    scores: FloatArray = prior * (1.0 + centrality) * length
    return scores


def directed_centrality(
    similarity: FloatArray, settings: SummarizerSettings = DEFAULT_SETTINGS
) -> FloatArray:
    """PacSum's position-aware centrality, scaled to at most 1 in absolute value.

    ``λ2 Σ_{j>i} e_ij - λ1 Σ_{j<i} e_ij`` where ``e_ij`` is the similarity
    minus the threshold ``min + β (max - min)`` over distinct pairs, kept when
    positive (Zheng and Lapata 2019, "Sentence Centrality Revisited").
    """
    n = similarity.shape[0]
    if n < 2:
        return np.zeros(n)
    off_diagonal = similarity[~np.eye(n, dtype=bool)]
    low, high = float(off_diagonal.min()), float(off_diagonal.max())
    threshold = low + settings.edge_threshold * (high - low)
    edges = np.clip(similarity - threshold, 0.0, None)
    np.fill_diagonal(edges, 0.0)
    later = np.triu(edges, 1).sum(axis=1)
    earlier = np.tril(edges, -1).sum(axis=1)
    centrality: FloatArray = settings.forward_weight * later - settings.backward_weight * earlier
    scale = float(np.abs(centrality).max())
    return centrality / scale if scale > 0 else centrality


def _tfidf(
    tokens: Sequence[Sequence[str]],
) -> tuple[FloatArray, dict[str, float], dict[str, int]]:
    """Unit-length TF-IDF rows, with inverse *sentence* frequency from the article itself."""
    n = len(tokens)
    frequency = Counter(t for sentence in tokens for t in set(sentence))
    vocabulary = {term: i for i, term in enumerate(frequency)}
    idf = {term: math.log((n + 1) / (df + 0.5)) for term, df in frequency.items()}
    matrix = np.zeros((n, len(vocabulary)))
    for row, sentence in enumerate(tokens):
        for term, count in Counter(sentence).items():
            matrix[row, vocabulary[term]] = count * idf[term]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms, idf, vocabulary


def _vector(terms: Sequence[str], idf: dict[str, float], vocabulary: dict[str, int]) -> FloatArray:
    """A unit TF-IDF vector for extra text (the title) in the article's term space."""
    vector = np.zeros(len(vocabulary))
    for term, count in Counter(terms).items():
        if term in vocabulary:
            vector[vocabulary[term]] = count * idf[term]
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def _topic_pick(
    body: Sequence[Sentence],
    tokens: Sequence[Sequence[str]],
    idf: dict[str, float],
    similarity: FloatArray,
    wanted: Sequence[str],
    count: int,
    settings: SummarizerSettings,
    leans: Sequence[bool],
) -> list[int]:
    """Sentences covering enough of the topic, best first, with redundancy removed."""
    n = len(body)
    present = [t for t in wanted if t in idf]
    if len(present) >= MIN_PRESENT_TOPIC_WORDS:
        wanted = present  # the user's own word for it ("trips" where the article says "traveled")
    absent = math.log((n + 1) / 0.5)  # a topic word the article never uses weighs the most
    weights = {t: idf.get(t, absent) for t in wanted}
    total = sum(weights.values())
    coverage = np.array([sum(weights[t] for t in set(s) & weights.keys()) / total for s in tokens])
    eligible = coverage >= settings.topic_min_coverage
    if not eligible.any():
        return []
    prior = 1.0 / (np.arange(n) + 1.0) ** settings.position_exponent
    scores = np.where(eligible, coverage + 0.1 * prior, -np.inf)
    return _mmr(scores, similarity, count, settings.topic_redundancy, leans)


def _mmr(
    scores: FloatArray,
    similarity: FloatArray,
    count: int,
    redundancy: float,
    leans: Sequence[bool],
) -> list[int]:
    """Greedy maximal marginal relevance: best score minus redundancy with the picks.

    The summary never opens with a sentence that leans on the one before it
    (``leans``, from :mod:`index.cohesion`): a pick that would come first in
    article order brings the sentences back to one that stands alone when they
    fit in ``count``, and otherwise gives way to the next candidate.
    """
    finite = scores[np.isfinite(scores)]
    scale = float(np.abs(finite).max()) if finite.size else 1.0
    chosen: list[int] = []
    nearest = np.zeros(len(scores))
    available = np.isfinite(scores)
    while len(chosen) < count and available.any():
        value = np.where(available, scores - redundancy * scale * nearest, -np.inf)
        ranked = [int(i) for i in np.argsort(-value, kind="stable")[: int(available.sum())]]
        runs = [_with_context(i, chosen, leans) for i in ranked]
        fitting = [run for run in runs if len(chosen) + len(run) <= count]
        if not fitting and chosen:
            break  # only openers too long to take with their context are left
        for i in fitting[0] if fitting else runs[0]:  # a first pick always comes with its context
            chosen.append(i)
            available[i] = False
            nearest = np.maximum(nearest, similarity[i])
    return chosen


def _with_context(pick: int, chosen: Sequence[int], leans: Sequence[bool]) -> list[int]:
    """``pick`` and, if it would open the summary leaning back, the sentences it leans on."""
    if chosen and pick > min(chosen):
        return [pick]
    start = pick
    while start > 0 and leans[start]:
        start -= 1
    return list(range(start, pick + 1))
