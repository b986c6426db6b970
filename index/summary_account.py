"""The summary that answers a line asking for an account of a subject ("tell me about the strike").

Such a line gets the topic summary on its subject (:func:`index.summarize.summarize`), which
holds the sentences that stand out on it. When the subject is the article's own story,
nothing stands out (every sentence is about it), and the topic summary came to one or two
sentences where the article's summary, or the reader's three passages, told more: judged
blind on lines written for the purpose, an account filled from the article's summary was
preferred 13 to 3 over the topic summary alone (docs/evaluation.md, "How long an account
is"). So an account is never shorter than the article's summary: the summary's sentences
closest to the subject fill it, each at least ``FILL_MIN`` close in meaning, so that an
account of a side subject ("the policewoman drinking beer") is not padded with the
article's opening on something else. A topic the article may not cover, or does not, is
left as the topic summary gives it: the doubt is the answer.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from index.embedding import MODEL_DIR, shared_embedder
from index.reader import MODEL_DIR as READER_DIR
from index.records import Article
from index.summarize import default_length, summarize
from index.summary_settings import DEFAULT_SETTINGS, SummarizerSettings, Summary

# The least cosine (all-MiniLM-L6-v2) between the subject and a sentence of the article's
# summary that fills an account. Lower, an account of a side subject takes the article's
# opening on its main story; higher, an account of a story named only by a name ("Sawtooth
# Air") takes nothing, its sentences saying "the airline".
FILL_MIN = 0.2


def account(
    article: Article,
    subject: str,
    settings: SummarizerSettings = DEFAULT_SETTINGS,
    model_dir: Path = MODEL_DIR,
    reader_dir: Path = READER_DIR,
) -> Summary:
    """What ``article`` says on ``subject``: its topic summary, filled to the length of the
    article's summary from that summary's sentences closest to the subject (in article
    order). Without the embedding model, the topic summary alone."""
    topical = summarize(
        article, topic=subject, settings=settings, model_dir=model_dir, reader_dir=reader_dir
    )
    embedder = shared_embedder(model_dir)
    room = default_length(len(article.sentences)) - len(topical.sentences)
    if not topical.found or topical.unsure or embedder is None or room <= 0:
        return topical
    whole = summarize(article, settings=settings, model_dir=model_dir, reader_dir=reader_dir)
    held = {s.id for s in topical.sentences}
    extra = [s for s in whole.sentences if s.id not in held]
    if not extra:
        return topical
    closeness = embedder.embed([s.text for s in extra]) @ embedder.embed([subject])[0]
    order = np.argsort(-closeness, kind="stable")
    fill = [extra[i] for i in order if closeness[i] >= FILL_MIN][:room]
    sentences = sorted((*topical.sentences, *fill), key=lambda s: s.position)
    return replace(topical, sentences=tuple(sentences))
