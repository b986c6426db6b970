"""Extractive summaries of one article, optionally focused on a topic.

A summary is a few whole body sentences, returned in article order with their
ids so every line can be cited. Nothing is trained here; sentence similarity
comes from the shipped embedding model (:mod:`index.embedding`) when it loads,
and from TF-IDF word overlap when it does not.

A generic summary is the article's lead and then what the rest of it adds:

* **The lead** (:func:`clean_lead`): the opening sentences in order, three (two
  of a piece under 8 sentences), skipping a photo caption left in the text (no
  full stop at its end, two clauses glued where one was lost, a caption's label
  "Guilty: …"), a near-duplicate of one taken (cosine ``duplicate``) and one
  that leans on a sentence skipped. News puts its point first; judged blind, the
  first three sentences beat both a selection by score and one whose last pick
  was chosen for coverage.
* **Coverage** (:func:`coverage_pick`): for an article of 12 sentences or more
  one more sentence (two from 30), the one that brings the rest of the article
  closest to the summary (facility location over the embeddings, weighted by
  closeness to the first sentence's subject), but only a sentence that reads
  right on its own (:func:`self_contained`: no pointer back, no quotation mark
  to open it, no caption or page furniture, a name or number in it), says
  something new and is central (not among the sentences least like the rest of
  the article: play-by-play, an aside, nor among those least like the first
  sentence: background the lead's subject does not reach). Among those, one giving a
  figure (:func:`index.summary_lead.holds_figure`: a count, an amount, a term of
  prison, not a date or a clock time) gains ``figure_weight`` more: judged blind,
  summaries stopped before the outcome's figures. A person it names by surname alone whom
  the summary never introduced comes with the sentence giving the full name
  when both fit, else the pick is passed over (:func:`coverage_unit`). When none
  qualifies the summary is shorter, not worse.
* **The later pick** (:func:`index.summary_salience.later_pick`): a summary that never
  leaves the article's first half adds the later-half candidate that a model learned from
  the team's main-point labels finds likely enough to be a main point.
* **The publisher's summary** (:func:`index.summary_standfirst.led_by_standfirst`): an
  article's standfirst opens its default summary, the body's picks adding to it.

A length asked for (``sentences=N``) takes up to three for the lead and the rest for
coverage, filled from the lead. The older selection by score (``lead_by_score``) is kept.

Every sentence stands alone. A pick that leans on the sentence before it
(:func:`index.cohesion.leans_on`: "He told the meeting…", "But…", "The drive…"
after the sentence introducing it, "…his claims" with no name before) or that
is a quotation's tail comes with the sentences back to one that stands alone,
and one that opens a quotation comes with the rest of it: a quote is cut only
where it ends. A unit is worth its value per sentence and must fit the length;
otherwise the next candidate is taken.

Topic summaries score each sentence by its cosine with the topic, with its (idf-weighted)
words and its kind (below) as lifts. The topic is found when a sentence has a cosine of
``topic_min_similarity`` or more, half of the topic's words, or one of its words and a score
standing out from the article (:func:`index.summary_topics.standout` ≥ ``STANDOUT_FOUND``:
in standard deviations of the article's cosines with the topic above their mean). A sentence
is about the topic when its score is within ``topic_margin`` of the best match or stands out
by ``STANDOUT`` (a relative cut-off: a short topic's cosines are low everywhere, and judged
blind, one sentence where the article gave several was too thin), a neighbour's standout
lifting it (:func:`index.summary_topics.topic_rank`). Picks are taken best first
(:func:`index.summary_topics.topic_picks`) up to :func:`topic_length` sentences (3 to 6,
well inside one Discord embed and ``MAX_SENTENCES``), each with what it needs: the sentence
it leans on, itself about the topic and no caption (else the pick is passed over), the rest
of a quotation it opens, what follows its colon ("Obama tweeted …:"); a pick opening on a
quotation whose speaker it never names is passed over, and a caption (no full stop, glued
clauses, caption text glued to a quotation or an attribution:
:func:`index.summary_sentences.glued_caption`) is taken only when it stands out twice as
far, one under a caption's label never; a pick past the first two must stand out
``STANDOUT_LATER`` of the best's, unless it goes on from a pick. Then the run that tells the
topic (:func:`topic_neighbours`): a pick's neighbour carrying more on it comes too, and one
that only announces a cause ("have begun to understand why …") brings the sentence giving
it. The sentences read in article order, as the article told them. When no sentence is about
the topic, the summary is empty, ``found`` is False and ``message`` says so; when some are
near it in meaning but the reader finds nothing on it (:mod:`index.topic_presence`), the
closest ``UNSURE_SENTENCES`` come ``unsure``, ``message`` saying so: judged blind, unrelated
sentences given as the topic's misled. The same for a topic asking for someone's words the
article never reports (:mod:`index.attribution`: "what cam newton said" on a game report
quoting only his rival's coach). When no sentence is, but the reader finds the topic likely
covered (worded apart from the article), the closest come ``unsure`` too. Without the model,
the older selection by words (:func:`_select`, within ``topic_margin``) stands. Topic words
the article never uses are dropped when at least two others remain; a name in the topic the
article never uses ("drones in Iran") makes meaning not count. A topic's kind counts
(:func:`topic_cues`): "the prices" takes the sentences holding an amount of money however
worded ("will cost about $799"), and in "previous cheating cases" the words "previous" and
"cases" say what kind of sentence is wanted, lifting those set in the past, while "cheating"
says what it is about; "why …" or "the cause of …" lifts sentences giving a cause ("blamed",
"how the fire started"), and under "why …" a sentence giving a cause and sharing one of the
topic's words is about it however far its wording ("blamed competition" for "why the chain
got into trouble").
How each was measured: docs/evaluation.md ("Summaries").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.attribution import asked_phrase, asks_reaction
from index.embedding import MODEL_DIR, shared_embedder
from index.question_language import is_english
from index.reader import MODEL_DIR as READER_DIR
from index.records import Article, Sentence
from index.summary_lead import clean_lead, coverage_unit
from index.summary_salience import SALIENCE_FILE, Salience, later_pick, load_salience
from index.summary_sentences import (
    caption_factors,
    content_words,
    glued_caption,
    sentence_links,
    unit_of,
)
from index.summary_settings import (
    DEFAULT_SETTINGS,
    MAX_SENTENCES,
    TOPIC_UNIT,
    FloatArray,
    SummarizerSettings,
    Summary,
    SummaryError,
)
from index.summary_standfirst import led_by_standfirst
from index.summary_topics import (
    ASKS,
    WHY,
    colon_runs_on,
    headline_names,
    topic_coverage,
    topic_neighbours,
    topic_picks,
    topic_rank,
    topic_relevance,
    topic_score,
)
from index.tokenize import Tokenizer, default_tokenizer
from index.topic_kinds import QUALIFIER_WORDS, generic_kinds, gives_cause, stems, topic_cues
from index.topic_presence import check_topic

__all__ = [  # the summariser's face; its parts live in the summary_* modules
    "DEFAULT_SETTINGS",
    "MAX_SENTENCES",
    "SummarizerSettings",
    "Summary",
    "SummaryError",
    "default_length",
    "summarize",
]

LEAD_SENTENCES = 3  # the most taken for the lead; the rest of a summary is coverage
UNSURE_SENTENCES = 2  # the most given for a topic the article may not cover
# A capitalised word after the topic's first: a name ("drones in Iran"). An article that
# never uses it, in its headline or its body, is not about the topic, however close in
# meaning its sentences are.
_NAME = re.compile(r"(?<=\s)[A-Z][\w'’-]*")


def summarize(
    article: Article,
    sentences: int | None = None,
    topic: str | None = None,
    tokenizer: Tokenizer | None = None,
    settings: SummarizerSettings = DEFAULT_SETTINGS,
    model_dir: Path = MODEL_DIR,
    reader_dir: Path = READER_DIR,
    salience: Salience | None = None,
) -> Summary:
    """Pick ``sentences`` body sentences of ``article`` (about ``topic`` if given).

    ``sentences=None`` lets the article's length decide (:func:`default_length`).
    Raises :class:`SummaryError` for a length outside 1..MAX_SENTENCES or an
    article without sentences. A default summary opens with the publisher's summary paragraph
    (``article.standfirst``) when there is one; all else reads the body. Similarity is by meaning
    when the embedding model in ``model_dir`` loads, else by shared words; whether
    the article covers a topic at all, by the reader in ``reader_dir`` too; a default
    summary's later pick, by ``salience`` (else the one shipped in ``model_dir``).
    """
    body = article.sentences
    if not body:
        raise SummaryError(f"“{article.title}” has no sentences to summarise")
    count = default_length(len(body)) if sentences is None else sentences
    if topic and sentences is None:
        count = topic_length(len(body))
    if isinstance(count, bool) or not 1 <= count <= MAX_SENTENCES:
        raise SummaryError(f"a summary has 1 to {MAX_SENTENCES} sentences, not {count}")
    tokenizer = tokenizer or default_tokenizer()
    tokens = [tokenizer.tokens(s.text) for s in body]
    vectors, idf, vocabulary = _tfidf(tokens)
    lexical = vectors @ vectors.T
    embedder = shared_embedder(model_dir)
    embedded = embedder.embed([s.text for s in body]) if embedder else None
    meaning = lexical if embedded is None else (embedded @ embedded.T).astype(np.float64)
    links = sentence_links(article)
    topic = topic.strip() if topic else None
    if topic:
        wanted = list(dict.fromkeys(tokenizer.tokens(topic)))
        if not idf.keys() & set(wanted) and not is_english(topic):  # "says nothing" was wrong
            raise SummaryError("I read English articles; please give the topic in English")
        if not wanted:
            raise SummaryError(
                f"the topic “{topic}” names nothing to look for; name its subject, e.g. “the "
                "opponents” or “the cost”"
            )
        kinds = generic_kinds(body, wanted, tokenizer)  # "reactions": sentences of its kind
        cues = (
            topic_cues(body, wanted, tokenizer, idf.keys(), WHY.search(topic) is not None, kinds)
            if settings.topic_cue_weight
            else None
        )
        qualifiers = set(stems(QUALIFIER_WORDS, tokenizer))
        if settings.topic_cue_weight and any(t not in qualifiers for t in wanted):
            wanted = [t for t in wanted if t not in qualifiers]  # "previous cheating cases"
        coverage = topic_coverage(tokens, idf, wanted)
        if cues is not None and WHY.search(topic):
            # "why the chain got into trouble": a sentence giving a cause that shares one of
            # the topic's words answers it, however far its wording ("blamed competition").
            cues = (cues[0] | (gives_cause(body) & (coverage > 0)), cues[1])
        closeness = None
        names = tokenizer.tokens(" ".join(_NAME.findall(topic)))
        known = idf.keys() | set(tokenizer.tokens(article.headline))  # "Danish" in it only
        if embedder is not None and embedded is not None and all(t in known for t in names):
            closeness = (embedded @ embedder.embed([topic])[0]).astype(np.float64)
        relevance = topic_relevance(coverage, closeness, settings, cues)
        score, _ = topic_score(coverage, closeness, settings, cues)
        check = (
            check_topic(article, topic, embedder, reader_dir) if settings.topic_presence else None
        )
        if relevance is None and (check is None or not check.rescues):
            message = f"“{article.title}” says nothing about “{topic}”."
            return Summary(article.id, article.title, (), topic, False, message)
        # Evidence enough: the topic's kind ("reactions"), or a name the headline gives ("zambezia").
        plain = (kinds is not None and bool(kinds.any())) or headline_names(topic, article)
        unsure = check is not None and (relevance is None or check.doubts) and not plain
        relevance = score.copy() if relevance is None else relevance  # the closest there is
        count = min(count, UNSURE_SENTENCES) if unsure else count
        factors = caption_factors(body, settings)
        # Caption text glued to a quote or an attribution (:func:`glued_caption`): a caption here.
        glued = np.array([glued_caption(s.text) for s in body], dtype=bool)
        factors = np.where(glued, np.minimum(factors, settings.caption_factor), factors)
        usable = np.isfinite(relevance) & (factors > 0)  # a caption under its label: never
        if not usable.any():  # found under a caption's label alone ("Shooter: …"): the closest
            relevance, usable = score.copy(), np.isfinite(score) & (factors > 0)
        if not usable.any():
            message = f"“{article.title}” says nothing about “{topic}”."
            return Summary(article.id, article.title, (), topic, False, message)
        relevance = np.where(usable, np.where(usable, relevance, 0.0) * factors, -np.inf)
        # A pick needing more than the sentence before it pads the summary with what is not
        # about the topic; taken (the best alone, with its context) only when nothing else is.
        # "The photographs" reads right under a topic that names them.
        near = colon_runs_on(body, sentence_links(article, content_words(topic)))
        if closeness is None:
            chosen = _select(
                relevance, meaning, count, near, settings, settings.topic_redundancy, TOPIC_UNIT
            ) or _select(relevance, meaning, 1, near, settings, settings.topic_redundancy)
        else:
            lift = np.zeros(len(body)) if cues is None else settings.topic_cue_weight * cues[1]
            rank, lifted = topic_rank(body, score - lift, closeness, relevance, factors, lift > 0)
            chosen = topic_picks(body, rank, meaning, count, near, factors < 1.0, lifted, settings)
        reach = float(score[np.isfinite(relevance)].max()) - settings.topic_reach
        asks = bool(ASKS.search(topic))
        outside = np.where(factors < 1.0, -np.inf, score)
        chosen = topic_neighbours(
            body, chosen, outside, reach, meaning, count, near, settings, asks
        )
        picked = tuple(body[i] for i in sorted(chosen))
        if unsure:
            who = asked_phrase(topic) if check is not None and check.unquoted else None
            missing = f"say nothing about “{topic}”"
            if who is not None:
                missing = (
                    f"not say how {who} reacted" if asks_reaction(topic) else f"not quote {who}"
                )
            message = f"“{article.title}” may {missing}; the closest it comes:"
            return Summary(article.id, article.title, picked, topic, message=message, unsure=True)
        return Summary(article.id, article.title, picked, topic)
    # The lead, then what the rest adds while it reads right alone. A length asked for is
    # filled from the lead when no more sentences qualify; the default length is not.
    n = len(body)
    opening = lead_length(n) if sentences is None else min(count, LEAD_SENTENCES)
    if settings.lead_by_score:
        scores = sentence_scores(body, lexical, settings)
        if article.headline:
            title = _vector(tokenizer.tokens(article.headline), idf, vocabulary)
            scores = scores * (1.0 + settings.title_weight * (vectors @ title))
        chosen = _select(scores, meaning, opening, links, settings, settings.redundancy)
    else:
        chosen = clean_lead(body, opening, meaning, links, settings)
    lead = set(chosen)
    while len(chosen) < count:
        unit = coverage_unit(body, chosen, meaning, links, settings, count - len(chosen))
        if unit is None:
            break  # nothing more stands alone and adds: a shorter summary, not a worse one
        chosen.extend(unit)
    if sentences is not None and len(chosen) < count:
        chosen = clean_lead(body, count, meaning, links, settings, chosen)
    salience = salience or load_salience(model_dir / SALIENCE_FILE)
    if sentences is None and embedded is not None and settings.later_pick and salience:
        later = later_pick(body, chosen, meaning, links, salience, settings)
        chosen += [] if later is None else [later]
    summary = Summary(article.id, article.title, tuple(body[i] for i in sorted(chosen)))
    return summary if sentences else led_by_standfirst(article, summary, lead, embedder, settings)


def default_length(sentences: int) -> int:
    """Sentences in a summary when none is asked for: more for a longer article.

    The lead (:func:`lead_length`) and then, for an article of 12 sentences or
    more, what its later part adds (:func:`coverage_length`); a coverage pick is
    left out rather than taken when no sentence reads right alone. Five stays
    well inside one Discord embed (4,096 characters).
    """
    return lead_length(sentences) + coverage_length(sentences)


def lead_length(sentences: int) -> int:
    """Sentences taken for the lead: two of a short piece (under 8 sentences), else three."""
    return 2 if sentences < 8 else LEAD_SENTENCES


def coverage_length(sentences: int) -> int:
    """Sentences taken for what the rest of the article adds: 0 under 12, 1 under 30, then 2."""
    return 0 if sentences < 12 else 1 if sentences < 30 else 2


def topic_length(sentences: int) -> int:
    """Most sentences of a topic summary: 3 / 4 / 5 / 6 under 8 / 20 / 40 sentences and above.

    Fewer when fewer stand out. Six news sentences (rarely over 300 characters each) stay
    well inside one Discord embed's 4,096 characters, and under ``MAX_SENTENCES``; only a
    sentence announcing a cause may bring one more (:func:`topic_neighbours`).
    """
    return 3 if sentences < 8 else 4 if sentences < 20 else 5 if sentences < 40 else 6


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


def _select(
    scores: FloatArray,
    similarity: FloatArray,
    count: int,
    links: tuple[list[bool], list[bool]],
    settings: SummarizerSettings,
    redundancy: float,
    max_unit: int | None = None,
) -> list[int]:
    """Greedy picks of whole units (a sentence and what it leans on) worth the most per sentence.

    A unit is worth its pick's score (scaled to the best) minus ``redundancy``
    times its largest similarity to a pick (MMR), divided by its length, so a
    pick that needs company must earn it. A sentence nearly the same as a pick
    (``duplicate``) is never taken. A unit must fit in ``count``, except the
    first, which always comes with its context; none may pass ``max_unit``.
    """
    available = np.isfinite(scores)
    scale = float(np.abs(scores[available]).max()) if available.any() else 1.0
    base = np.where(available, scores / (scale or 1.0), -np.inf)
    nearest = np.full(len(scores), -np.inf)
    chosen: list[int] = []
    while len(chosen) < count and available.any():
        best: tuple[float, list[int]] | None = None
        for pick in map(int, np.flatnonzero(available)):
            unit = unit_of(pick, chosen, links)
            if max_unit is not None and len(unit) > max_unit:
                continue
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
