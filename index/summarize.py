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
  sentence: background the lead's subject does not reach). A person it names by surname alone whom
  the summary never introduced comes with the sentence giving the full name
  when both fit, else the pick is passed over (:func:`coverage_unit`). When none
  qualifies the summary is shorter, not worse.

A length asked for (``sentences=N``) takes up to three for the lead and the
rest for coverage, filled from the lead when coverage runs out. The older
selection by score (position prior × PacSum directed centrality × length ×
caption factor, with MMR; ``lead_by_score``) is kept for comparison; how each
was measured is in docs/evaluation.md ("Summaries").

Every sentence stands alone. A pick that leans on the sentence before it
(:func:`index.cohesion.leans_on`: "He told the meeting…", "But…", "The drive…"
after the sentence introducing it, "…his claims" with no name before) or that
is a quotation's tail comes with the sentences back to one that stands alone,
and one that opens a quotation comes with the rest of it: a quote is cut only
where it ends. A unit is worth its value per sentence and must fit the length;
otherwise the next candidate is taken.

Topic summaries rank sentences by their cosine with the topic, with its
(idf-weighted) words as a lift, and take only sentences about it: a cosine of
``topic_min_similarity`` or more, or half of the topic's words, and a score
within ``topic_margin`` of the article's best match (fewer sentences rather than
padding); a pick may bring the one sentence it leans on, not a chain (an opening
"The X" naming the topic's X does not lean). Then the run that tells the topic
(:func:`topic_neighbours`): a pick's neighbour carrying more on it comes too,
and one that only announces a cause ("have begun to understand why …") brings
the sentence giving it. When none is,
the summary is empty, ``found`` is False and ``message`` says so. Topic words
the article never uses are dropped when at least two others remain; a name in
the topic the article never uses ("drones in Iran") makes meaning not count.
A caption's relevance counts ``caption_factor`` here too. A topic's kind
counts (:func:`topic_cues`): "the prices" takes the sentences holding an amount
of money however worded ("will cost about $799"), and in "previous cheating
cases" the words "previous" and "cases" say what kind of sentence is wanted,
lifting those set in the past, while "cheating" says what it is about; "why …"
or "the cause of …" lifts sentences giving a cause ("blamed", "how the fire started").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index.cohesion import SINGLE_QUOTE_SPAN, leans_on, quote_open_after, single_quote_state
from index.embedding import MODEL_DIR, shared_embedder
from index.records import Article, Sentence
from index.tokenize import STOP_WORDS, Tokenizer, default_tokenizer

MAX_SENTENCES = 10
LEAD_SENTENCES = 3  # the most taken for the lead; the rest of a summary is coverage
MIN_PRESENT_TOPIC_WORDS = 2  # topic words the article uses, to drop the others
TOPIC_UNIT = 2  # the most sentences a topic pick brings (itself and the one it leans on)

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
# A capitalised word after the topic's first: a name ("drones in Iran"). An article that
# never uses it is not about the topic, however close in meaning its sentences are.
_NAME = re.compile(r"(?<=\s)[A-Z][\w'’-]*")
# A photo caption left in the text: no full stop at its end (a caption, or a line that
# introduces what follows, "…wrote on his blog:"), or two clauses glued where a full
# stop was lost ("…left on the road One of the victims…", "…in Mexico The 12,400 feet…").
_ENDS = re.compile(r"[.!?…][\"'’”)\]]*$")
_GLUED = re.compile(
    r"[a-z)'’]\s+(?:The|A|An|One|Two|It|He|She|They|His|Her|In|This|Another|But|Pictured)\s+[a-z0-9]"
)
# A caption's label: up to three words and a colon before a capitalised word ("Guilty: Glenn
# Mason, 56, …", "Sleepy kid: Brock …"); not "The report concluded: 'the …'".
_CAPTION_LABEL = re.compile(r"^[A-Z][\w'’-]*(?:\s+[\w'’-]+){0,2}:\s+[A-Z]")
_STRAY = re.compile(r"^[^\w\"'“‘(]")  # a line opening on punctuation (": In a CNN exclusive, …")


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
    topic_cue_weight: float = 0.5  # lift for an amount ("the prices"), 0.4 × for an earlier time
    topic_margin: float = 0.1  # a topic pick scores within this of the article's best match
    topic_reach: float = 0.2  # ... and a pick's neighbour carrying more on it, within this
    topic_cohesion: float = 0.3  # cosine of that neighbour with the pick, at least
    duplicate: float = 0.8  # similarity to a pick at which a sentence is a near-duplicate
    unit_cost: float = 1.0  # a unit of k sentences is worth its value / k ** unit_cost
    caption_factor: float = 0.5  # score of a sentence that reads as a photo caption
    label_factor: float = 0.0  # ... and of one under a caption's label ("Guilty: …", no full stop)
    lead_by_score: bool = False  # choose the lead by the score above (the older selection)
    novelty_max: float = 0.6  # a coverage pick's largest cosine with the summary, at most
    novel_words: int = 3  # words of 4+ letters a coverage pick holds that the summary does not
    topicality: float = 2.0  # a coverage pick's gain × (1 + this × its cosine with the first pick)
    centrality_quantile: float = 0.15  # a coverage pick's mean cosine with the article, at least
    lead_quantile: float = 0.2  # ... and its cosine with the first pick, at least this quantile


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
    links = _links(article)
    topic = topic.strip() if topic else None
    if topic:
        wanted = list(dict.fromkeys(tokenizer.tokens(topic)))
        if not wanted:
            raise SummaryError(f"the topic “{topic}” has no words to look for")
        cues = (
            topic_cues(body, wanted, tokenizer, idf.keys(), _WHY.search(topic) is not None)
            if settings.topic_cue_weight
            else None
        )
        qualifiers = set(_stems(QUALIFIER_WORDS, tokenizer))
        if settings.topic_cue_weight and any(t not in qualifiers for t in wanted):
            wanted = [t for t in wanted if t not in qualifiers]  # "previous cheating cases"
        coverage = _topic_coverage(tokens, idf, wanted)
        closeness = None
        names = tokenizer.tokens(" ".join(_NAME.findall(topic)))
        if embedder is not None and embedded is not None and all(t in idf for t in names):
            closeness = (embedded @ embedder.embed([topic])[0]).astype(np.float64)
        relevance = _topic_relevance(coverage, closeness, settings, cues)
        score = _topic_score(coverage, closeness, settings, cues)[0]
        if relevance is None:
            message = f"“{article.title}” says nothing about “{topic}”."
            return Summary(article.id, article.title, (), topic, False, message)
        factors = caption_factors(body, settings)
        usable = np.isfinite(relevance) & (factors > 0)  # a caption under its label: never
        relevance = np.where(usable, np.where(usable, relevance, 0.0) * factors, -np.inf)
        # A pick needing more than the sentence before it pads the summary with what is not
        # about the topic; taken (the best alone, with its context) only when nothing else is.
        # "The photographs" reads right under a topic that names them.
        near = _links(article, _content_words(topic))
        chosen = _select(
            relevance, meaning, count, near, settings, settings.topic_redundancy, TOPIC_UNIT
        ) or _select(relevance, meaning, 1, near, settings, settings.topic_redundancy)
        reach = float(score[np.isfinite(relevance)].max()) - settings.topic_reach
        asks = bool(_ASKS.search(topic))
        outside = np.where(factors < 1.0, -np.inf, score)
        chosen = topic_neighbours(
            body, chosen, outside, reach, meaning, count, near, settings, asks
        )
        return Summary(article.id, article.title, tuple(body[i] for i in sorted(chosen)), topic)
    # The lead, then what the rest adds while it reads right alone. A length asked for is
    # filled from the lead when no more sentences qualify; the default length is not.
    n = len(body)
    opening = lead_length(n) if sentences is None else min(count, LEAD_SENTENCES)
    if settings.lead_by_score:
        scores = sentence_scores(body, lexical, settings)
        if article.title.strip() and article.title != article.id:
            title = _vector(tokenizer.tokens(article.title), idf, vocabulary)
            scores = scores * (1.0 + settings.title_weight * (vectors @ title))
        chosen = _select(scores, meaning, opening, links, settings, settings.redundancy)
    else:
        chosen = clean_lead(body, opening, meaning, links, settings)
    while len(chosen) < count:
        unit = coverage_unit(body, chosen, meaning, links, settings, count - len(chosen))
        if unit is None:
            break  # nothing more stands alone and adds: a shorter summary, not a worse one
        chosen.extend(unit)
    if sentences is not None and len(chosen) < count:
        chosen = clean_lead(body, count, meaning, links, settings, chosen)
    return Summary(article.id, article.title, tuple(body[i] for i in sorted(chosen)))


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
    """Most sentences of a topic summary: 2 / 3 / 4 / 5 under 8 / 20 / 40 sentences and above."""
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
    unfinished = [not _ENDS.search(s.text.strip()) for s in body]
    labels = [bool(_CAPTION_LABEL.match(s.text.strip())) for s in body]
    captions = [
        end or label or bool(_GLUED.search(s.text) or _STRAY.match(s.text))
        for end, label, s in zip(unfinished, labels, body, strict=True)
    ]
    # "Guilty: Glenn Mason, 56, has said …" with no full stop: a caption under its label for sure.
    labelled = [end and label for end, label in zip(unfinished, labels, strict=True)]
    factors: FloatArray = np.where(captions, settings.caption_factor, 1.0)
    return np.where(labelled, settings.label_factor, factors)


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


def clean_lead(
    body: Sequence[Sentence],
    count: int,
    similarity: FloatArray,
    links: tuple[list[bool], list[bool]],
    settings: SummarizerSettings = DEFAULT_SETTINGS,
    taken: Sequence[int] = (),
) -> list[int]:
    """The article's opening sentences up to ``count`` with ``taken``, less what a reader
    should not get.

    In order, skipping a photo caption or a caption's label, a sentence nearly
    the same as one taken (``duplicate``), and one that leans on a sentence
    skipped; a quotation's head comes with its rest when that fits. News puts its
    point first: judged blind, the first three sentences beat a selection by
    score that dropped them for later ones (docs/evaluation.md).
    """
    back = links[0]
    captions = caption_factors(body, settings) < 1.0
    chosen: list[int] = list(taken)
    for i in range(len(body)):
        if len(chosen) >= count:
            break
        if captions[i] or (back[i] and i > 0 and i - 1 not in chosen) or i in chosen:
            continue
        if chosen and float(similarity[i, chosen].max()) >= settings.duplicate:
            continue
        unit = _unit(i, chosen, links)
        if len(chosen) + len(unit) > count and chosen:
            continue
        chosen.extend(unit)
    if not chosen:  # nothing clean: the opening as it is
        chosen = list(range(min(count, len(body))))

    return chosen


def coverage_unit(
    body: Sequence[Sentence],
    chosen: Sequence[int],
    similarity: FloatArray,
    links: tuple[list[bool], list[bool]],
    settings: SummarizerSettings = DEFAULT_SETTINGS,
    room: int = 1,
) -> list[int] | None:
    """:func:`coverage_pick` with the sentence introducing a person it names by surname alone.

    A reader of "Heald said …" after a summary that never named Heald does not
    know who that is: the pick comes after the article's first sentence giving
    the full name ("Charlotte Heald, 29, …") when that sentence reads right alone
    and both fit in ``room``; otherwise the pick is not taken and the next is tried.
    """
    refused: set[int] = set()
    while True:
        pick = coverage_pick(body, chosen, similarity, links, settings, refused)
        if pick is None:
            return None
        said = " ".join(body[i].text for i in chosen)
        strangers = unintroduced_names(body[pick].text, said, [s.text for s in body])
        if not strangers:
            return [pick]
        intros = {introduction(name, body) for name in strangers}
        intro = intros.pop() if len(intros) == 1 else None
        if (
            intro is not None
            and room >= 2
            and intro not in chosen
            and not links[0][intro]
            and not links[1][intro]
            and self_contained(body[intro].text, _said(body, chosen))
            and not unintroduced_names(body[intro].text, said, [s.text for s in body])
        ):
            return sorted([intro, pick])
        refused.add(pick)


# A person's name in a sentence: capitalised words, the last of them the surname.
_NAME_RUN = re.compile(
    r"\b[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*(?:\s+[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*)*"
)
_TITLES = frozenset("mr mrs ms miss dr sir lord lady".split())
_NATIONALITY = re.compile(r"(?:ian|ese|ish)$")  # "South Australian", "Chinese": not surnames


def unintroduced_names(text: str, said: str, article: Sequence[str]) -> list[str]:
    """Surnames ``text`` uses alone that the summary so far (``said``) never names.

    A surname is a capitalised word the ``article`` elsewhere puts after a first
    name ("Charlotte Heald", not "The Heald"); used alone ("Heald said", "Mr Heald",
    "Heald's") it needs the full name or the surname earlier in the summary.
    """
    full = set()
    for sentence in article:
        for run in _NAME_RUN.findall(sentence):
            words = run.split()
            if len(words) >= 2 and words[-2].lower() not in STOP_WORDS | _TITLES:
                full.add(words[-1])
    named = set(re.findall(r"[A-Z][\w'’-]*", said))
    strangers = []
    for run in _NAME_RUN.findall(text):
        words = run.split()
        titled = len(words) >= 2 and words[-2].lower() in _TITLES
        alone = titled or len(words) == 1 or words[-2].lower() in STOP_WORDS
        surname = re.sub(r"['’]s$", "", words[-1])
        known = (surname in full and not _NATIONALITY.search(surname)) or titled
        if alone and known and surname not in named and surname not in strangers:
            strangers.append(surname)
    return strangers


def introduction(surname: str, body: Sequence[Sentence]) -> int | None:
    """The first sentence giving ``surname`` after a first name, if any."""
    pattern = re.compile(rf"\b[A-Z][\w'’-]*\s+{re.escape(surname)}\b")
    for i, sentence in enumerate(body):
        for match in pattern.finditer(sentence.text):
            if match.group().split()[0].lower() not in STOP_WORDS | _TITLES:
                return i
    return None


def _said(body: Sequence[Sentence], chosen: Sequence[int]) -> set[str]:
    return {w for i in chosen for w in _content_words(body[i].text)}


def coverage_pick(
    body: Sequence[Sentence],
    chosen: Sequence[int],
    similarity: FloatArray,
    links: tuple[list[bool], list[bool]],
    settings: SummarizerSettings = DEFAULT_SETTINGS,
    refused: Collection[int] = (),
) -> int | None:
    """The sentence that adds the most of the article to ``chosen``, if one may be taken alone.

    What it adds is facility location: how much closer every sentence of the
    article (captions aside) comes to the summary with it, times ``1 +
    topicality`` × its cosine with the summary's first sentence, so the story's
    own subject outweighs a cluster of details (minute-by-minute play, an
    anecdote). Only a sentence that
    reads right out of its place may be taken (:func:`self_contained`), and it must
    say something new: cosine under ``novelty_max`` with every pick, and
    ``novel_words`` words the summary does not use; and be central, not a detail
    of play-by-play: its mean cosine with the article's sentences at least the
    ``centrality_quantile`` of theirs, unless it holds an amount of money (a
    sale, a fine: a main fact seldom worded like the rest). None when no sentence qualifies (or only
    those ``refused``).
    """
    if not chosen:
        return None
    back, forward = links
    captions = caption_factors(body, settings) < 1.0
    covered = similarity[list(chosen)].max(axis=0)
    said = _said(body, chosen)
    article_weight = np.where(captions, 0.0, 1.0)
    text = ~captions
    central = similarity[:, text].mean(axis=1)
    middle = float(np.quantile(central[text], settings.centrality_quantile)) if text.any() else 0.0
    # Background the lead's subject does not reach ("The announcement comes as households
    # struggle…"): among the sentences least like the first pick.
    subject = similarity[:, chosen[0]]
    others = text.copy()
    others[chosen[0]] = False
    near = float(np.quantile(subject[others], settings.lead_quantile)) if others.any() else -1.0
    best: tuple[float, int] | None = None
    for i, sentence in enumerate(body):
        if (
            i in chosen
            or i in refused
            or (central[i] < middle and not _AMOUNT.search(sentence.text))
            or subject[i] < near
            or back[i]
            or forward[i]
            or captions[i]
            or covered[i] >= settings.novelty_max
        ):
            continue
        if len(_content_words(sentence.text) - said) < settings.novel_words:
            continue
        if not self_contained(sentence.text, said):
            continue
        gain = float((article_weight * np.clip(similarity[i] - covered, 0.0, None)).sum())
        gain *= 1.0 + settings.topicality * max(0.0, float(similarity[i, chosen[0]]))
        if best is None or gain > best[0]:
            best = (gain, i)
    return None if best is None else best[1]


# Signs that a sentence is page furniture or points at what is around it.
_FURNITURE = re.compile(
    r"""click\s+here|scroll\s+down|read\s+more|pictured|\((?:above|below|left|right|top|bottom)\)
    |\bphoto(?:graph)?s?\b|getty|@\w|video\s+(?:above|below)|contributed\s+to\s+this""",
    re.IGNORECASE | re.VERBOSE,
)
# A caption's label ("On the ground: …", "Wikinews: How …"), or words in capitals ("WHERE'S SCOOBY?").
_LABEL = re.compile(r"^[A-Z][\w' ]{0,30}:\s|\b[A-Z]{2,}[\w'’]*\s+[A-Z]{2,}")
_POINTERS = re.compile(
    r"""\b(?:they|them|their|it|its|such|again)\b | \bthe\s+\d+-year-old\b | ^when\s+asked\b
    |\bthe\s+(?:second|third|latter|former|same|other|next)\b
    |^(?:another|other|both|even|in\s+the\s+(?:video|footage|clip|picture|image))\b
    |^next\b(?!\s+(?:week|month|year|season|day|time)) | ^later\b
    |^(?:[\w-]+\s+){1,2}(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+later\b
    |^(?:just\s+)?(?:a\s+few\s+|[\w-]+\s+)?(?:seconds?|minutes?|hours?|days?|weeks?)\s+(?:into|after)\b
    |^after\s+(?:a|an|one|two|three|four|five|\d+)\s+(?:seconds?|minutes?|hours?|days?|weeks?)\b
    |^(?:then|moments\s+later|shortly\s+after(?:wards)?|soon\s+after(?:wards)?)\b
    |^in\s+the\s+(?:[\w-]+\s+)?(?:minute|half|period|quarter|inning|injury\s+time|stoppage\s+time)\b
    |\b(?:on|at)\s+the\s+\d+(?:st|nd|rd|th)\b(?!\s+(?:of|century|anniversary|floor|street|avenue))
    |\bin\s+the\s+\d+(?:st|nd|rd|th)\s+minute\b
    |\b(?:these|those)\s+[a-z]
    |\b(?:this|that)\s+(?!(?:day|week|month|year|season|time|morning|night)s?\b)[a-z]""",
    re.IGNORECASE | re.VERBOSE,
)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]+|\d")
_PERSON = re.compile(r"\b(?:he|she|his|her|him|hers)\b")
# A quotation closed and a sentence begun with no full stop ("… briefs' Following a …").
_GLUED_QUOTE = re.compile(r"[a-z]['’”\"]\s+[A-Z][a-z]")
_ABBREVIATION = re.compile(r"\b(?:Sgt|Gen|Lt|Col|Capt|Mr|Mrs|Ms|Dr|St|No|Gov|Sen|Rep)\.$")
_WORD = re.compile(r"[a-z]{4,}")


def _content_words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def self_contained(text: str, said: set[str] = frozenset()) -> bool:  # type: ignore[assignment]
    """Whether ``text`` reads right on its own after a summary using the words ``said``.

    Stricter than :func:`index.cohesion.leans_on`, for a sentence taken from
    far from the summary's others: 10 to 40 words ending on a full stop; no
    quotation mark to open it; no page furniture ("Click here", "(above)");
    no pronoun or demonstrative that points back ("it", "their", "these
    results"); an opening "The X" only when the summary already names the X
    ("The finals saw …": which finals?); and a name or a number in it.
    """
    text = text.strip()
    words = text.split()
    if not 10 <= len(words) <= 40 or not _ENDS.search(text) or text[0] in "\"'“‘":
        return False
    if (
        text.endswith(("?", "!"))
        or _FURNITURE.search(text)
        or _POINTERS.search(text)
        or _LABEL.search(text)
    ):
        return False
    if _GLUED_QUOTE.search(text) or _ABBREVIATION.search(text):
        return False
    pronoun = _PERSON.search(text)
    if pronoun and not _CAPITALISED.search(text, 1, pronoun.start()):
        return False  # "Doctors warned she …": a person pronoun needs a name before it
    if words[0] in ("The", "This", "These", "Those", "That"):
        noun = _content_words(" ".join(words[1:3]))
        if not noun or not noun <= said:
            return False
    return bool(_CAPITALISED.search(text, 1))


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


# A topic about money ("the prices", "how much it costs") is answered by amounts of money,
# whatever the words around them ("It will cost about $799", "on sale for €1,999").
MONEY_WORDS = """price prices cost costs costing fee fees fare fares salary salaries wage wages
    pay paid money spend spending spent budget expensive cheap afford""".split()
_AMOUNT = re.compile(
    r"""[$£€¥₹]\s?\d | \b\d[\d,.]*\s?(?:million|billion|bn|m)?\s?
        (?:dollars?|pounds?|euros?|pence|cents?|naira|yuan|rupees?|pesos?|lira|yen|francs?|rand)\b
      | \b(?:US|NZ|AU|CA|HK)\$ | \b\d[\d,.]*\s?(?:USD|EUR|GBP)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# A topic about what came before ("previous cheating cases", "the earlier killings") favours
# sentences set in the past ("in 2020", "last year", "had been", "previously").
EARLIER_WORDS = "previous earlier past prior former history before".split()
_EARLIER = re.compile(
    r"""\b(?:previous(?:ly)?|earlier|before|ago|prior|former(?:ly)?|once|had\s+been|last\s+
        (?:year|month|week|season|time)|in\s+(?:19|20)\d\d)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# A topic asking why ("the cause of the fire", "why the chain got into trouble") favours
# sentences that give a cause ("did not know how the fire started", "blamed competition").
CAUSE_WORDS = "why cause causes caused reason reasons behind".split()
_CAUSE = re.compile(
    r"""\b(?:because|due\s+to|blam\w*|caus\w*|reasons?|results?\s+of|led\s+to|start(?:ed|s)?
        |factors?|explanation|triggered|sparked|so\s+that)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# Words that say what kind of thing is wanted, not what it is about ("cases", "details"):
# matched by the cues above, left out of the word match when another word remains.
QUALIFIER_WORDS = (
    EARLIER_WORDS
    + CAUSE_WORDS
    + """case cases detail details information news story issue issues situation
    other recent latest main""".split()
)


def _stems(words: Sequence[str], tokenizer: Tokenizer) -> list[str]:
    return [t for w in words for t in tokenizer.tokens(w)]


def topic_cues(
    body: Sequence[Sentence],
    wanted: Sequence[str],
    tokenizer: Tokenizer,
    vocabulary: Collection[str] = (),
    why: bool = False,
) -> tuple[BoolArray, FloatArray] | None:
    """What a topic's kind asks for: (sentences it makes eligible, lift 0-1), or None.

    A money topic makes every sentence holding an amount of money eligible and
    lifts it, unless it names something the article's ``vocabulary`` lacks
    ("ticket prices" of an article without tickets); an "earlier" topic only
    lifts sentences set in the past, its other words must still find them. ``why``:
    the topic asks why (a stop word, so not among ``wanted``), as "the cause of" does.
    """
    money_words = set(_stems(MONEY_WORDS, tokenizer))
    kind_words = money_words | set(_stems(QUALIFIER_WORDS, tokenizer))
    money = any(t in money_words for t in wanted) and all(
        t in vocabulary for t in wanted if t not in kind_words
    )
    earlier = any(t in set(_stems(EARLIER_WORDS, tokenizer)) for t in wanted)
    cause = why or any(t in set(_stems(CAUSE_WORDS, tokenizer)) for t in wanted)
    if not money and not earlier and not cause:
        return None
    amounts = np.array([money and bool(_AMOUNT.search(s.text)) for s in body])
    past = np.array([earlier and bool(_EARLIER.search(s.text)) for s in body])
    causes = np.array([cause and bool(_CAUSE.search(s.text)) for s in body])
    lift = np.maximum(amounts.astype(np.float64), 0.4 * (past | causes))
    return amounts, lift


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


def topic_neighbours(
    body: Sequence[Sentence],
    chosen: Sequence[int],
    score: FloatArray,
    reach: float,
    similarity: FloatArray,
    count: int,
    links: tuple[list[bool], list[bool]],
    settings: SummarizerSettings = DEFAULT_SETTINGS,
    asks: bool = False,
) -> list[int]:
    """``chosen`` with the sentences next to its picks that carry more on the topic.

    An article tells one thing in a run of sentences: the cause after "scientists
    have begun to understand why …", the divorce after the marriage. A neighbour
    in the same paragraph is taken, best first, while the summary has room for
    it and what it leans on, when its topic ``score`` is at least ``reach``
    (``topic_reach`` below the best match, wider than ``topic_margin``), its
    cosine with the pick beside it is at least ``topic_cohesion`` (it goes on
    with the same thing), and it says something new (no near-duplicate, ``novel_words``
    words the summary lacks). Under a topic that ``asks`` why or how, a sentence that
    only announces (an embedded "why" or "how", "the cause of …" at its end) brings the
    next one whatever its score, one over ``count`` if need be: that one gives the content.
    """
    chosen = list(chosen)
    paragraph = [s.paragraph for s in body]
    while True:
        said = _said(body, chosen)
        best: tuple[float, list[int]] | None = None
        for i in chosen:
            for j in (i - 1, i + 1):
                if not 0 <= j < len(body) or j in chosen or paragraph[j] != paragraph[i]:
                    continue
                if not np.isfinite(score[j]):
                    continue
                announced = asks and j == i + 1 and bool(_ANNOUNCES.search(body[i].text.strip()))
                if not announced and (
                    score[j] < reach or similarity[i, j] < settings.topic_cohesion
                ):
                    continue
                if float(similarity[j, chosen].max()) >= settings.duplicate:
                    continue
                if len(_content_words(body[j].text) - said) < settings.novel_words:
                    continue
                unit = _unit(j, chosen, links)
                room = count + 1 if announced else count  # the content, even one over
                if len(unit) > TOPIC_UNIT or len(chosen) + len(unit) > min(room, MAX_SENTENCES):
                    continue
                value = float(score[j]) + (1.0 if announced else 0.0)
                if best is None or value > best[0]:
                    best = (value, unit)
        if best is None:
            break
        chosen.extend(best[1])
    return chosen


_WHY = re.compile(r"\bwhy\b", re.IGNORECASE)
# A topic asking why or how ("why lightning forms", "the cause of the fire", "how it began").
_ASKS = re.compile(r"\b(?:why|how|caus\w*|reasons?|behind)\b", re.IGNORECASE)
# A sentence that announces what the next one says: an embedded question or "the cause"
# ending it ("have begun to understand why lightning forms", "are investigating the cause").
_ANNOUNCES = re.compile(
    r"""\b(?:why|how|what\s+(?:causes?|caused|makes?|made|triggers?|drives?)
        |(?<=[a-z,]\s)the\s+(?:causes?|reasons?|origins?)(?=\s+(?:of|for|behind)\b|[.:]$))
        \b[^.;:"'“”‘’]{0,60}[.:]$""",
    re.IGNORECASE | re.VERBOSE,
)


def _topic_score(
    coverage: FloatArray,
    closeness: FloatArray | None,
    settings: SummarizerSettings,
    cues: tuple[BoolArray, FloatArray] | None = None,
) -> tuple[FloatArray, BoolArray]:
    """Each sentence's topic score (cosine + word and cue lifts) and whether it is eligible."""
    eligible = coverage >= settings.topic_min_coverage
    score = coverage.copy()
    if closeness is not None:
        eligible |= closeness >= settings.topic_min_similarity
        score = closeness + settings.topic_word_weight * coverage
    if cues is not None:
        eligible |= cues[0]
        score = score + settings.topic_cue_weight * cues[1]
    return score, eligible


def _topic_relevance(
    coverage: FloatArray,
    closeness: FloatArray | None,
    settings: SummarizerSettings,
    cues: tuple[BoolArray, FloatArray] | None = None,
) -> FloatArray | None:
    """Each sentence's relevance to the topic (-inf: not about it), or None when none is.

    By words, a sentence must hold half the topic's weight. By meaning, its
    cosine with the topic must reach ``topic_min_similarity`` (chosen on the
    development articles with short typed topics, docs/evaluation.md); either
    makes it eligible, and meaning ranks with words as a lift. ``cues``
    (:func:`topic_cues`): sentences the topic's kind makes eligible (an amount
    of money for "the prices"), and a lift for those it favours.
    """
    score, eligible = _topic_score(coverage, closeness, settings, cues)
    if not eligible.any():
        return None
    # Only what is really about it: within ``topic_margin`` of the best match, not padding;
    # every amount of money answers "the prices".
    close = score >= float(score[eligible].max()) - settings.topic_margin
    eligible &= close if cues is None else close | cues[0]
    prior = 1.0 / (np.arange(len(score)) + 1.0) ** settings.position_exponent
    relevance: FloatArray = np.where(eligible, score + 0.01 * prior, -np.inf)
    return relevance


def _links(article: Article, named: Collection[str] = ()) -> tuple[list[bool], list[bool]]:
    """Per sentence: whether it leans on the one before, and whether the next continues it.

    A sentence leans back when :func:`index.cohesion.leans_on` says so or when
    it starts inside a quotation (its tail); it runs on when a quotation is still
    open at its end. Quotations are followed within a paragraph, single-quoted
    ones (:func:`index.cohesion.single_quote_state`) for at most
    ``SINGLE_QUOTE_SPAN`` sentences, so a missed closing mark does not run on.
    An opening "The X" whose X is among the words ``named`` (a topic's) does not lean.
    """
    back: list[bool] = []
    forward: list[bool] = []
    previous = ""
    for paragraph in article.paragraphs:
        inside = False
        single = False
        run = 0
        for sentence in paragraph.sentences:
            tail, single = single_quote_state(sentence.text, single)
            run = run + 1 if single else 0
            if run >= SINGLE_QUOTE_SPAN:
                single, run = False, 0
            back.append(inside or tail or leans_on(sentence.text, previous, named))
            inside = quote_open_after(sentence.text, inside)
            forward.append(inside or single)
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
            unit = _unit(pick, chosen, links)
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
