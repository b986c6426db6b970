"""Extractive summaries of one article, optionally focused on a topic.

A summary is a few whole body sentences, returned in article order with their
ids so every line can be cited. Nothing is trained here; sentence similarity
comes from the shipped embedding model (:mod:`index.embedding`) when it loads,
and from TF-IDF word overlap when it does not.

Generic summaries first take the lead: each sentence scores

    position prior × (1 + directed centrality) × length factor × caption factor

* **Position prior** ``1 / (position + 1) ** 0.5``: news puts the point first.
* **Directed centrality** (PacSum, Zheng and Lapata 2019): on TF-IDF cosine
  similarities, a sentence gains from its similarity to *later* sentences and
  loses from its similarity to *earlier* ones; the rest of the story develops a
  good summary sentence.
* **Length**: long sentences are discounted gently past 20 words, fragments
  under 10 words too; a headline lifts the sentences like it.
* **Captions**: a sentence that reads as a photo caption left in the text (no
  full stop at its end, or two clauses glued where one was lost) counts
  ``caption_factor``; blind judges marked such picks as garbled.

The picks after it are worth their score minus a redundancy penalty (MMR),
and a sentence nearly the same as a pick (cosine ``duplicate``) is never
taken. A longer article gets more sentences (:func:`default_length`). A pick
chosen for what it adds to the article's coverage (facility location over the
embeddings) was tried and taken out: judged blind, it won coverage and lost
faithfulness and readability. How each weight was measured is in
docs/evaluation.md ("Summaries").

Every sentence stands alone. A pick that leans on the sentence before it
(:func:`index.cohesion.leans_on`: "He told the meeting…", "But…", "The drive…"
after the sentence introducing it, "…his claims" with no name before) or that
is a quotation's tail comes with the sentences back to one that stands alone,
and one that opens a quotation comes with the rest of it: a quote is cut only
where it ends. A unit is worth its value per sentence and must fit the length;
otherwise the next candidate is taken.

Topic summaries rank sentences by their cosine with the topic, with its
(idf-weighted) words as a lift, and take only sentences about it: a cosine of
``topic_min_similarity`` or more, or half of the topic's words. When none is,
the summary is empty, ``found`` is False and ``message`` says so. Topic words
the article never uses are dropped when at least two others remain; a name in
the topic the article never uses ("drones in Iran") makes meaning not count.
A caption's relevance counts ``caption_factor`` here too.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index.cohesion import leans_on, quote_open_after
from index.embedding import MODEL_DIR, shared_embedder
from index.records import Article, Sentence
from index.tokenize import Tokenizer, default_tokenizer

MAX_SENTENCES = 10
MIN_PRESENT_TOPIC_WORDS = 2  # topic words the article uses, to drop the others

FloatArray = npt.NDArray[np.float64]
# A capitalised word after the topic's first: a name ("drones in Iran"). An article that
# never uses it is not about the topic, however close in meaning its sentences are.
_NAME = re.compile(r"(?<=\s)[A-Z][\w'’-]*")
# A photo caption left in the text: no full stop at its end (a caption, or a line that
# introduces what follows, "…wrote on his blog:"), or two clauses glued where a full
# stop was lost ("…left on the road One of the victims…", "…in Mexico The 12,400 feet…").
_ENDS = re.compile(r"[.!?…][\"'’”)\]]*$")
_GLUED = re.compile(r"[a-z)]\s+(?:The|A|An|One|Two|It|He|She|They|His|Her|In|This)\s+[a-z0-9]")


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
    topic_min_similarity: float = 0.4  # cosine with the topic that makes a sentence about it
    topic_word_weight: float = 0.2  # lift for the topic's own words, beside the cosine
    duplicate: float = 0.8  # similarity to a pick at which a sentence is a near-duplicate
    unit_cost: float = 1.0  # a unit of k sentences is worth its value / k ** unit_cost
    caption_factor: float = 0.5  # score of a sentence that reads as a photo caption


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
    sentences: int | None = None,
    topic: str | None = None,
    tokenizer: Tokenizer | None = None,
    settings: SummarizerSettings = DEFAULT_SETTINGS,
    model_dir: Path = MODEL_DIR,
) -> Summary:
    """Pick ``sentences`` body sentences of ``article`` (about ``topic`` if given).

    ``sentences=None`` lets the article's length decide (:func:`default_length`).
    Raises :class:`SummaryError` for a length outside 1..MAX_SENTENCES or an
    article without sentences. Only the body is read: ``article.summary``
    (the publisher's own summary) is never looked at. Similarity is by meaning
    when the embedding model in ``model_dir`` loads, else by shared words.
    """
    body = article.sentences
    if not body:
        raise SummaryError(f"“{article.title}” has no sentences to summarise")
    count = default_length(len(body)) if sentences is None else sentences
    if isinstance(count, bool) or not 1 <= count <= MAX_SENTENCES:
        raise SummaryError(f"a summary has 1 to {MAX_SENTENCES} sentences, not {count}")
    tokenizer = tokenizer or default_tokenizer()
    tokens = [tokenizer.tokens(s.text) for s in body]
    vectors, idf, vocabulary = _tfidf(tokens)
    lexical = vectors @ vectors.T
    embedder = shared_embedder(model_dir)
    embedded = embedder.embed([s.text for s in body]) if embedder else None
    meaning = lexical if embedded is None else (embedded @ embedded.T).astype(np.float64)
    links = _links(article)
    topic = topic.strip() if topic else None
    if topic:
        wanted = list(dict.fromkeys(tokenizer.tokens(topic)))
        if not wanted:
            raise SummaryError(f"the topic “{topic}” has no words to look for")
        coverage = _topic_coverage(tokens, idf, wanted)
        closeness = None
        names = tokenizer.tokens(" ".join(_NAME.findall(topic)))
        if embedder is not None and embedded is not None and all(t in idf for t in names):
            closeness = (embedded @ embedder.embed([topic])[0]).astype(np.float64)
        relevance = _topic_relevance(coverage, closeness, settings)
        if relevance is None:
            message = f"“{article.title}” says nothing about “{topic}”."
            return Summary(article.id, article.title, (), topic, False, message)
        relevance = relevance * caption_factors(body, settings)
        chosen = _select(relevance, meaning, count, links, settings, settings.topic_redundancy)
        return Summary(article.id, article.title, tuple(body[i] for i in sorted(chosen)), topic)
    scores = sentence_scores(body, lexical, settings)
    if article.title.strip() and article.title != article.id:
        title = _vector(tokenizer.tokens(article.title), idf, vocabulary)
        scores = scores * (1.0 + settings.title_weight * (vectors @ title))
    chosen = _select(scores, meaning, count, links, settings, settings.redundancy)
    return Summary(article.id, article.title, tuple(body[i] for i in sorted(chosen)))


def default_length(sentences: int) -> int:
    """Sentences in a summary when none is asked for: more for a longer article.

    A short piece says its point in two; a long one, or a list of items, has
    more distinct points than three sentences can hold. Five stays well inside
    one Discord embed (4,096 characters).
    """
    return 2 if sentences < 8 else 3 if sentences < 20 else 4 if sentences < 40 else 5


def sentence_scores(
    body: Sequence[Sentence],
    similarity: FloatArray,
    settings: SummarizerSettings = DEFAULT_SETTINGS,
) -> FloatArray:
    """Generic salience of each sentence: prior × (1 + centrality) × length × caption factor."""
    n = len(body)
    positions = np.arange(n, dtype=np.float64)
    prior = 1.0 / (positions + 1.0) ** settings.position_exponent
    centrality = directed_centrality(similarity, settings)
    words = np.array([len(s.text.split()) for s in body], dtype=np.float64)
    excess = np.maximum(0.0, words - settings.long_words) / settings.long_words
    length = 1.0 / (1.0 + settings.long_penalty * excess)
    length = np.where(words < settings.short_words, length * settings.short_factor, length)
    scores: FloatArray = prior * (1.0 + centrality) * length * caption_factors(body, settings)
    return scores


def caption_factors(
    body: Sequence[Sentence], settings: SummarizerSettings = DEFAULT_SETTINGS
) -> FloatArray:
    """``caption_factor`` for sentences that read as photo captions, else 1.

    CNN/DailyMail text keeps its picture captions, often glued to the next
    sentence; blind judges marked such picks as garbled (docs/evaluation.md).
    The signs are the page's, not a story's: no full stop at the end, or a
    lower-case word followed by a capitalised sentence opener.
    """
    captions = [not _ENDS.search(s.text.strip()) or bool(_GLUED.search(s.text)) for s in body]
    return np.where(captions, settings.caption_factor, 1.0)


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


def _topic_coverage(
    tokens: Sequence[Sequence[str]], idf: dict[str, float], wanted: Sequence[str]
) -> FloatArray:
    """Share of the topic's (idf-weighted) words each sentence holds."""
    n = len(tokens)
    present = [t for t in wanted if t in idf]
    if len(present) >= MIN_PRESENT_TOPIC_WORDS:
        wanted = present  # the user's own word for it ("trips" where the article says "traveled")
    absent = math.log((n + 1) / 0.5)  # a topic word the article never uses weighs the most
    weights = {t: idf.get(t, absent) for t in wanted}
    total = sum(weights.values())
    return np.array([sum(weights[t] for t in set(s) & weights.keys()) / total for s in tokens])


def _topic_relevance(
    coverage: FloatArray, closeness: FloatArray | None, settings: SummarizerSettings
) -> FloatArray | None:
    """Each sentence's relevance to the topic (-inf: not about it), or None when none is.

    By words, a sentence must hold half the topic's weight. By meaning, its
    cosine with the topic must reach ``topic_min_similarity`` (chosen on the
    development articles with short typed topics, docs/evaluation.md); either
    makes it eligible, and meaning ranks with words as a lift.
    """
    eligible = coverage >= settings.topic_min_coverage
    score = coverage.copy()
    if closeness is not None:
        eligible |= closeness >= settings.topic_min_similarity
        score = closeness + settings.topic_word_weight * coverage
    if not eligible.any():
        return None
    prior = 1.0 / (np.arange(len(score)) + 1.0) ** settings.position_exponent
    relevance: FloatArray = np.where(eligible, score + 0.01 * prior, -np.inf)
    return relevance


def _links(article: Article) -> tuple[list[bool], list[bool]]:
    """Per sentence: whether it leans on the one before, and whether the next continues it.

    A sentence leans back when :func:`index.cohesion.leans_on` says so or when
    it starts inside a quotation (its tail); it runs on when a quotation is still
    open at its end. Quotations are followed within a paragraph.
    """
    back: list[bool] = []
    forward: list[bool] = []
    previous = ""
    for paragraph in article.paragraphs:
        inside = False
        for sentence in paragraph.sentences:
            back.append(inside or leans_on(sentence.text, previous))
            inside = quote_open_after(sentence.text, inside)
            forward.append(inside)
            previous = sentence.text
        if forward:
            forward[-1] = False  # a quotation left open at a paragraph's end is not followed
    return back, forward


def _unit(pick: int, chosen: Sequence[int], links: tuple[list[bool], list[bool]]) -> list[int]:
    """``pick`` with what it needs: the sentences back to one that stands alone, and the
    rest of a quotation it opens, leaving out those already chosen."""
    back, forward = links
    start = pick
    while start > 0 and back[start] and start - 1 not in chosen:
        start -= 1
    end = pick
    while end + 1 < len(back) and forward[end] and end + 1 not in chosen:
        end += 1
    return [i for i in range(start, end + 1) if i not in chosen]


def _select(
    scores: FloatArray,
    similarity: FloatArray,
    count: int,
    links: tuple[list[bool], list[bool]],
    settings: SummarizerSettings,
    redundancy: float,
) -> list[int]:
    """Greedy picks of whole units (a sentence and what it leans on) worth the most per sentence.

    A unit is worth its pick's score (scaled to the best) minus ``redundancy``
    times its largest similarity to a pick (MMR), divided by its length, so a
    pick that needs company must earn it. A sentence nearly the same as a pick
    (``duplicate``) is never taken. A unit must fit in ``count``, except the
    first, which always comes with its context.
    """
    available = np.isfinite(scores)
    scale = float(np.abs(scores[available]).max()) if available.any() else 1.0
    base = np.where(available, scores / (scale or 1.0), -np.inf)
    nearest = np.full(len(scores), -np.inf)
    chosen: list[int] = []
    while len(chosen) < count and available.any():
        best: tuple[float, list[int]] | None = None
        for pick in map(int, np.flatnonzero(available)):
            unit = _unit(pick, chosen, links)
            if chosen and (
                len(chosen) + len(unit) > count or nearest[unit].max() >= settings.duplicate
            ):
                continue  # too long to fit, or bringing a near-duplicate of a pick along
            value = float(base[pick])
            if chosen:
                value -= redundancy * max(0.0, float(nearest[unit].max()))
            value /= len(unit) ** settings.unit_cost
            if best is None or value > best[0]:
                best = (value, unit)
        if best is None:
            break  # only units too long to fit are left
        for k in best[1]:
            chosen.append(k)
            nearest = np.maximum(nearest, similarity[k])
        available &= nearest < settings.duplicate
        available[chosen] = False
    return chosen
