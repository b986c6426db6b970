"""The generic summary's picks: the lead as written, then what the rest of the article adds.

:func:`clean_lead` takes the opening sentences less captions, near-duplicates and
sentences leaning on one skipped; :func:`coverage_pick` the sentence that brings the
rest of the article closest to the summary while it reads right alone; and
:func:`coverage_unit` brings the sentence introducing a person it names by surname alone.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import numpy as np

from index.records import Sentence
from index.summary_sentences import (
    AMOUNT,
    caption_factors,
    content_words,
    introduction,
    said_words,
    self_contained,
    unintroduced_names,
    unit_of,
)
from index.summary_settings import DEFAULT_SETTINGS, BoolArray, FloatArray, SummarizerSettings

# A figure: a count, an amount, a sentence's years ("jailed for six years", "4 million litres",
# "£1.8m"), not a calendar year or a date's day alone.
FIGURE = re.compile(
    r"""(?<![\w/:])(?!(?:1[89]|20)\d\d\b)\d[\d,.]*(?!\d|[.,:]\d|\s?(?:st|nd|rd|th|am|pm|a\.m|p\.m)\b)
    |\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty
    |fifty|hundreds?|thousands?|millions?|billions?|dozens?)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# A day of the month ("on December 5", "March 3"): a date, not a figure.
_DATE = re.compile(
    r"""\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b
    |\b\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\b""",
    re.VERBOSE,
)


def holds_figure(text: str) -> bool:
    """Whether ``text`` gives a figure (a count, an amount, a term), dates and times aside."""
    return FIGURE.search(_DATE.sub(" ", text)) is not None


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
        unit = unit_of(i, chosen, links)
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
            and self_contained(body[intro].text, said_words(body, chosen))
            and not unintroduced_names(body[intro].text, said, [s.text for s in body])
        ):
            return sorted([intro, pick])
        refused.add(pick)


def coverage_candidates(
    body: Sequence[Sentence],
    chosen: Sequence[int],
    similarity: FloatArray,
    links: tuple[list[bool], list[bool]],
    captions: BoolArray,
    settings: SummarizerSettings = DEFAULT_SETTINGS,
    refused: Collection[int] = (),
) -> list[int]:
    """The sentences a coverage pick may be: each reads right out of its place and says more.

    Not leaning on a neighbour nor leant on, not one of the ``captions``, no pointer
    back or opening quotation mark (:func:`self_contained`), a cosine under
    ``novelty_max`` with every pick, and ``novel_words`` words the summary does not use.
    """
    back, forward = links
    covered = similarity[list(chosen)].max(axis=0)
    said = said_words(body, chosen)
    return [
        i
        for i, sentence in enumerate(body)
        if i not in chosen
        and i not in refused
        and not (back[i] or forward[i] or captions[i])
        and covered[i] < settings.novelty_max
        and len(content_words(sentence.text) - said) >= settings.novel_words
        and self_contained(sentence.text, said)
    ]


def coverage_pick(
    body: Sequence[Sentence],
    chosen: Sequence[int],
    similarity: FloatArray,
    links: tuple[list[bool], list[bool]],
    settings: SummarizerSettings = DEFAULT_SETTINGS,
    refused: Collection[int] = (),
) -> int | None:
    """The sentence that adds the most of the article to ``chosen``, if one may be taken alone.

    Only one of :func:`coverage_candidates`. What it adds is facility location: how
    much closer every sentence of the article (captions aside) comes to the summary
    with it, times ``1 + topicality`` × its cosine with the summary's first sentence,
    so the story's own subject outweighs a cluster of details (minute-by-minute play,
    an anecdote). It must be central, not a detail of play-by-play: its mean cosine
    with the article's sentences at least the ``centrality_quantile`` of theirs,
    unless it holds an amount of money (a sale, a fine: a main fact seldom worded like
    the rest) or a figure; and near the lead's subject (``lead_quantile``). Its gain is
    × (1 + ``figure_weight``) when it gives a figure (:func:`holds_figure`). None when
    no sentence qualifies (or only those ``refused``).
    """
    if not chosen:
        return None
    captions = caption_factors(body, settings) < 1.0
    pool = coverage_candidates(body, chosen, similarity, links, captions, settings, refused)
    if not pool:
        return None
    text = ~captions
    covered = similarity[list(chosen)].max(axis=0)
    article_weight = np.where(captions, 0.0, 1.0)
    central = similarity[:, text].mean(axis=1)
    middle = float(np.quantile(central[text], settings.centrality_quantile)) if text.any() else 0.0
    # Background the lead's subject does not reach ("The announcement comes as households
    # struggle…"): among the sentences least like the first pick.
    subject = similarity[:, chosen[0]]
    others = text.copy()
    others[chosen[0]] = False
    near = float(np.quantile(subject[others], settings.lead_quantile)) if others.any() else -1.0
    best: tuple[float, int] | None = None
    for i in pool:
        figure = bool(settings.figure_weight) and holds_figure(body[i].text)
        if (central[i] < middle and not AMOUNT.search(body[i].text) and not figure) or (
            subject[i] < near
        ):
            continue
        gain = float((article_weight * np.clip(similarity[i] - covered, 0.0, None)).sum())
        gain *= 1.0 + settings.topicality * max(0.0, float(similarity[i, chosen[0]]))
        if figure:
            gain *= 1.0 + settings.figure_weight
        if best is None or gain > best[0]:
            best = (gain, i)
    return None if best is None else best[1]
