"""A default summary of an article that has a publisher's summary paragraph (a standfirst).

The seed format gives an article's summary paragraph before its body (:attr:`Article.standfirst`,
kept only when the body does not repeat it). Summaries were of the body alone, so where the
news is told only there, the summary missed it: two testers' summaries never said the
Bangladeshi family was evicted, nor that the settlement was $86 million, and led with the
body's background instead. The publisher wrote that paragraph as the article's summary; a
reader who asks what the article says wants it first. So a default summary opens with the
standfirst (cited as "the summary paragraph"), then keeps the body's picks that add to it:
those the standfirst does not already say (a cosine under ``novelty_max`` with each of its
sentences), the coverage picks before the lead's, as many as keep the summary's length (one
at least).

A summary of a length asked for, a topic summary and ``eval-summaries`` (which scores the
body's summary against the publisher's) read the body alone.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace

import numpy as np

from index.embedding import Embedder
from index.records import Article
from index.summary_settings import DEFAULT_SETTINGS, SummarizerSettings, Summary

# A byline closing a standfirst ("Aparna Ray reports."): who wrote it, not what happened (a
# judge of round sixteen found it meant nothing in a summary).
BYLINE = re.compile(
    r"^[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s+(?:reports|writes|explains|comments)\.$"
)


def led_by_standfirst(
    article: Article,
    summary: Summary,
    lead: Collection[int],
    embedder: Embedder | None,
    settings: SummarizerSettings = DEFAULT_SETTINGS,
) -> Summary:
    """``summary`` (the body's default one; ``lead``: the body positions of its lead) opened
    with ``article``'s standfirst; unchanged without one, without the embedding model, or
    when ``settings.standfirst`` is off (an account fills from the body's summary alone)."""
    standfirst = article.standfirst
    if standfirst is None or embedder is None or not summary.sentences or not settings.standfirst:
        return summary
    body = article.sentences
    opening = [s for s in standfirst.sentences if not BYLINE.match(s.text)]
    picks = [body.index(s) for s in summary.sentences]
    said = embedder.embed([s.text for s in opening])
    own = embedder.embed([body[i].text for i in picks])
    close = (own @ said.T).max(axis=1) if len(said) else np.zeros(len(picks))
    new = [i for i, c in zip(picks, close, strict=True) if float(c) < settings.novelty_max]
    room = max(len(picks) - len(opening), 1)
    kept = sorted(sorted(new, key=lambda i: (i in lead, i))[:room])
    return replace(summary, sentences=(*opening, *(body[i] for i in kept)))
