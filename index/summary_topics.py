"""What a topic summary takes: sentences about the topic by meaning, words and its kind.

The module doc of :mod:`index.summarize` says how a topic summary is chosen; here are its
parts: the share of the topic's words a sentence holds (:func:`topic_coverage`), the
cues of a topic's kind (:func:`index.topic_kinds.topic_cues`), the score and
the sentences eligible (:func:`topic_relevance`), how far a sentence stands out from its
article on the topic (:func:`standout`, :func:`topic_rank`), the picks with what each
needs (:func:`topic_picks`), and the run of neighbours that tells the topic
(:func:`topic_neighbours`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from index.records import Article, Sentence
from index.summary_lead import holds_figure
from index.summary_sentences import SPEECH, content_words, said_words, unit_of
from index.summary_settings import (
    DEFAULT_SETTINGS,
    MAX_SENTENCES,
    TOPIC_UNIT,
    BoolArray,
    FloatArray,
    SummarizerSettings,
)

MIN_PRESENT_TOPIC_WORDS = 2  # topic words the article uses, to drop the others


def topic_coverage(
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
    words the summary lacks). A sentence taken only as the context of the next one (that
    one leans on it) is no pick: the run does not go on from it. Under a topic that ``asks``
    why or how, a sentence that only announces (an embedded "why" or "how", "the cause of
    …" at its end) brings the next one whatever its score, one over ``count`` if need be:
    that one gives the content. A pick that only states the topic (:func:`general`: "residents
    were divided") brings the next sentence of its paragraph when that one holds a specific
    (a figure, a quotation, what someone said) or leans on it, whatever its score: the
    article's specifics on the topic follow the sentence that states it.
    """
    chosen = list(chosen)
    paragraph = [s.paragraph for s in body]
    while True:
        said = said_words(body, chosen)
        best: tuple[float, list[int]] | None = None
        for i in chosen:
            if i + 1 in chosen and links[0][i + 1]:
                continue  # only there as the context of the next: the run goes on from a pick
            for j in (i - 1, i + 1):
                if not 0 <= j < len(body) or j in chosen or paragraph[j] != paragraph[i]:
                    continue
                if not np.isfinite(score[j]):
                    continue
                announced = asks and j == i + 1 and bool(_ANNOUNCES.search(body[i].text.strip()))
                # a general pick brings the next sentence that tells it: its specifics, or
                # what leans on it ("They claim …"); cosine is no guide here ("residents were
                # divided" and the quote that follows: 0.09)
                told = (
                    j == i + 1 and general(body[i].text) and (specific(body[j].text) or links[0][j])
                )
                if not (announced or told) and (
                    score[j] < reach or similarity[i, j] < settings.topic_cohesion
                ):
                    continue
                if float(similarity[j, chosen].max()) >= settings.duplicate:
                    continue
                if len(content_words(body[j].text) - said) < settings.novel_words:
                    continue
                unit = unit_of(j, chosen, links)
                room = count + 1 if announced else count  # the content, even one over
                if len(unit) > TOPIC_UNIT or len(chosen) + len(unit) > min(room, MAX_SENTENCES):
                    continue
                value = float(score[j]) + (1.0 if announced or told else 0.0)
                if best is None or value > best[0]:
                    best = (value, unit)
        if best is None:
            break
        chosen.extend(best[1])
    return chosen


# A pick of at most this many words holding no specific only states the topic ("In
# Saint-Aubin-des-Prés, residents were divided."; "The case has attracted supporters of Selek
# in Turkey and France."). Swept on the tuning set: 10 and under lose a must-have, 12 an
# on-topic sentence, 15 to 18 alike, 20 brings one not on the topic, no limit an off-topic one.
GENERAL_WORDS = 15
# A quotation mark: double quotes, a single one opening a word or closing a sentence.
_QUOTED = re.compile(r"""["“”]|(?:^|\s)['‘]\w|[.,!?]['’](?:\s|$)""")


def specific(text: str) -> bool:
    """Whether ``text`` holds a specific: a figure, a quotation, or a verb of speech (a name
    alone is no specific: the sentence that states a topic often names its place or people)."""
    words = set(re.findall(r"[a-z]+", text.lower()))
    return holds_figure(text) or bool(_QUOTED.search(text)) or bool(words & SPEECH)


def general(text: str) -> bool:
    """Whether ``text`` only states its subject: short, and no :func:`specific` in it."""
    return len(text.split()) <= GENERAL_WORDS and not specific(text)


WHY = re.compile(r"\bwhy\b", re.IGNORECASE)
# A topic asking why or how ("why lightning forms", "the cause of the fire", "how it began").
ASKS = re.compile(r"\b(?:why|how|caus\w*|reasons?|behind)\b", re.IGNORECASE)
# A sentence that announces what the next one says: an embedded question or "the cause"
# ending it ("have begun to understand why lightning forms", "are investigating the cause").
_ANNOUNCES = re.compile(
    r"""\b(?:why|how|what\s+(?:causes?|caused|makes?|made|triggers?|drives?)
        |(?<=[a-z,]\s)the\s+(?:causes?|reasons?|origins?)(?=\s+(?:of|for|behind)\b|[.:]$))
        \b[^.;:"'“”‘’]{0,60}[.:]$""",
    re.IGNORECASE | re.VERBOSE,
)


# A sentence stands out from its article on the topic when its topic score is this many
# standard deviations of the article's cosines with the topic above their mean: about it,
# however low the cosines of a short topic run ("the penalties": 0.37 and 0.33 where the
# article's mean is 0.12). With a topic word in it, STANDOUT_FOUND makes the topic found.
STANDOUT = 2.0
STANDOUT_FOUND = 2.5
# A pick beyond the first two must stand out at least this share of the best's, unless it
# goes on from a pick (judged blind, each sentence past the first few was more often
# peripheral than on the topic). Swept on the tuning set: 0.6-0.75 alike, 0.8 loses an on-topic.
STANDOUT_LATER = 0.7
TOPIC_RUN = 0.3  # a sentence's rank lifted by this share of its best neighbour's (run_lift)
# Among sentences about equally far out, the one holding a specific (:func:`specific`: a
# figure, a quotation, what someone said) ranks first: judged blind, "good" needs the
# article's specifics on the topic. A tie-break, in standard deviations: swept on the tuning
# set, 0.05 to 0.15 alike (one must-have more), 0.2 and over let off-topic sentences in.
SPECIFIC_LIFT = 0.1


def standout(score: FloatArray, closeness: FloatArray) -> FloatArray:
    """Each topic ``score`` in standard deviations of the article's cosines above their mean."""
    spread = float(closeness.std()) or 1.0
    result: FloatArray = (score - float(closeness.mean())) / spread
    return result


def topic_rank(
    body: Sequence[Sentence],
    score: FloatArray,
    closeness: FloatArray,
    relevance: FloatArray,
    factors: FloatArray,
    kind: BoolArray,
) -> tuple[FloatArray, FloatArray]:
    """(each sentence's rank for :func:`topic_picks`, -inf when not taken; its lifted standout).

    A sentence is about the topic when :func:`topic_relevance` says so or when its
    :func:`standout`, lifted by ``TOPIC_RUN`` of its best neighbour's (:func:`run_lift`), reaches
    ``STANDOUT``: a relative cut-off, so the run that tells the topic comes however low the
    cosines of a short topic are. ``score`` leaves out the cue lifts: a sentence of the kind
    the topic asks for (``kind``, :func:`topic_cues`: an amount for "the prices") stands out
    by ``STANDOUT`` more, one holding a specific by ``SPECIFIC_LIFT``. It ranks by its own
    standout: the key fact first. A caption
    (no full stop, clauses glued) is taken only when it stands out twice as far, one under a
    caption's label ("Guilty: …") never: judged blind, captions run into a summary misled.
    A sentence ending on a colon introduces the next (:func:`colon_runs_on`), no caption.
    """
    held = np.array([specific(s.text) for s in body], dtype=bool)
    own = standout(score, closeness) + STANDOUT * kind + SPECIFIC_LIFT * held
    lifted = own + TOPIC_RUN * run_lift(body, own)
    rank = np.where(np.isfinite(relevance) | (lifted >= STANDOUT), own, -np.inf)
    introduces = np.array([s.text.rstrip().endswith(":") for s in body])  # no caption
    doubtful = (factors == 0) | ((factors < 1.0) & ~introduces & (own < 2 * STANDOUT))
    return np.where(doubtful, -np.inf, rank), lifted


def run_lift(body: Sequence[Sentence], value: FloatArray) -> FloatArray:
    """Each sentence's best positive ``value`` among its neighbours in the same paragraph.

    An article tells one thing in a run of sentences; a sentence next to one about the
    topic is likelier about it than its own words show ("She spent two years in prison…").
    """
    lift = np.zeros(len(body))
    for i in range(len(body)):
        for j in (i - 1, i + 1):
            if 0 <= j < len(body) and body[j].paragraph == body[i].paragraph:
                lift[i] = max(lift[i], float(value[j]))
    return lift


def topic_picks(
    body: Sequence[Sentence],
    rank: FloatArray,
    similarity: FloatArray,
    count: int,
    links: tuple[list[bool], list[bool]],
    captions: BoolArray,
    context: FloatArray,
    settings: SummarizerSettings = DEFAULT_SETTINGS,
) -> list[int]:
    """The sentences about the topic, best ``rank`` first, each with what it needs.

    ``rank`` is -inf for a sentence not about the topic or a caption. A pick comes with
    the sentence it leans on, itself about the topic (``context`` at least half of
    ``STANDOUT``) and no caption, and with what it opens: the rest of a quotation, what
    follows its colon ("Obama tweeted …:"). It must fit in ``count``, be no near-duplicate
    of one taken, hold ``novel_words`` words the summary lacks, and not open on a
    quotation whose speaker it never names. When no pick fits, the best comes alone with
    its context: fewer sentences, not padding.
    """
    chosen: list[int] = []
    units = 0
    for j in map(int, np.argsort(-rank, kind="stable")):
        if len(chosen) >= count or not np.isfinite(rank[j]):
            break
        if units >= 2 and rank[j] < STANDOUT_LATER * float(rank.max()) and j - 1 not in chosen:
            continue  # a later pick must stand out nearly as far as the best, or go on from one
        if j in chosen or float(similarity[j, chosen].max(initial=-1.0)) >= settings.duplicate:
            continue
        if chosen and len(content_words(body[j].text) - said_words(body, chosen)) < (
            settings.novel_words
        ):
            continue
        unit = unit_of(j, chosen, links)
        if unit.index(j) >= TOPIC_UNIT or len(chosen) + len(unit) > count:
            continue  # it leans on a chain of sentences, or does not fit
        if any(captions[k] or context[k] < STANDOUT / 2 for k in unit if k < j):
            continue  # it leans on a caption, or on a sentence about something else
        if unspoken(" ".join(body[k].text for k in unit)):
            continue
        chosen.extend(unit)
        units += 1
    if chosen:
        return chosen
    for j in map(int, np.argsort(-rank, kind="stable")):
        unit = unit_of(j, [], links)  # the best that reads right, however long its context
        if not captions[unit].any() and not unspoken(" ".join(body[k].text for k in unit)):
            return unit
    return unit_of(int(np.argmax(rank)), [], links)


def colon_runs_on(
    body: Sequence[Sentence], links: tuple[list[bool], list[bool]]
) -> tuple[list[bool], list[bool]]:
    """``links`` where a sentence ending on a colon ("Obama tweeted …:") runs on to the next."""
    ends = [s.text.rstrip().endswith(":") for s in body]
    return links[0], [on or end for on, end in zip(links[1], ends, strict=True)]


# A quotation opening a pick, and a verb that gives its speaker.
_QUOTE_OPENS = re.compile(r"""^\s*["'“‘]""")
_SPEAKER = re.compile(r"\b(?:said|says|told|added|asked|wrote)\b")


def unspoken(text: str) -> bool:
    """Whether ``text`` opens on a quotation and never says whose it is."""
    return bool(_QUOTE_OPENS.match(text)) and not _SPEAKER.search(text)


def topic_score(
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
        eligible |= (standout(score, closeness) >= STANDOUT_FOUND) & (coverage > 0)
    if cues is not None:
        eligible |= cues[0]
        score = score + settings.topic_cue_weight * cues[1]
    return score, eligible


def topic_relevance(
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
    score, eligible = topic_score(coverage, closeness, settings, cues)
    if not eligible.any():
        return None
    # Only what is really about it: within ``topic_margin`` of the best match, not padding;
    # every amount of money answers "the prices".
    close = score >= float(score[eligible].max()) - settings.topic_margin
    if closeness is not None:
        close |= standout(score, closeness) >= STANDOUT
    eligible &= close if cues is None else close | cues[0]
    prior = 1.0 / (np.arange(len(score)) + 1.0) ** settings.position_exponent
    relevance: FloatArray = np.where(eligible, score + 0.01 * prior, -np.inf)
    return relevance


def headline_names(topic: str, article: Article) -> bool:
    """Whether every word of ``topic`` is a name the headline gives: "zambezia" under "… as
    Zambezia floods recede" is what the article is about, though the reader, asked what it
    says about it, doubted it. Only names: "why they didn't qualify" under "… fails to
    qualify" asks what the article may not tell."""
    words = _WORDS.findall(topic)
    headline = set(_WORDS.findall(article.headline))
    body = " ".join(s.text for s in article.sentences)
    return bool(words) and all(
        w.capitalize() in headline and re.search(rf"(?<=[a-z,] ){w.capitalize()}\b", body)
        for w in (w.lower() for w in words)
    )


_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
