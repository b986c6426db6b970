"""Citations: the sentences an answer quotes, each with what it leans on, and the openings a
question with no word in the articles gets instead of an empty reply."""

from __future__ import annotations

import re
from dataclasses import replace

from index.cohesion import leans_on
from index.corpus import Corpus
from index.gist import newest_first
from index.ranking import Scored
from index.records import Answer, Citation, Paragraph, Sentence
from index.tokenize import STOP_WORDS

MAX_CITATIONS = 3


def sentence_at(paragraph: Paragraph, offset: int) -> Sentence:
    """The sentence of ``paragraph`` holding character ``offset`` (or the nearest before it)."""
    holder = paragraph.sentences[0]
    for sentence in paragraph.sentences:
        if sentence.start <= offset:
            holder = sentence
    return holder


def citation(corpus: Corpus, n: int, scored: Scored) -> Citation:
    """A cited sentence; one that leans on the sentence before it ("In the US it costs $250")
    carries that sentence as ``context``, so the quote says what "it" is."""
    sentence = scored.sentence
    article = corpus.article(sentence.article_id)
    previous = article.sentences[sentence.position - 1].text if sentence.position > 0 else ""
    return Citation(
        n=n,
        article_id=sentence.article_id,
        article_title=article.title,
        paragraph=sentence.paragraph,
        sentence_id=sentence.id,
        text=sentence.text,
        score=scored.score,
        context=previous if previous and leans_on(sentence.text, previous) else None,
    )


def openings(corpus: Corpus, answer: Answer, question: str, article_id: str | None) -> Answer:
    """``answer`` to a question no article has a word of: never an empty reply, but the
    first sentences of the newest articles (or of the one asked about) and a hint."""
    articles = [corpus.article(article_id)] if article_id else newest_first(corpus.articles)
    firsts = [p.sentences[0] for a in articles[:MAX_CITATIONS] for p in a.paragraphs[:1]]
    openings = [Scored(s, 0.0, 0.0) for s in firsts]
    words = [w for w in re.findall(r"[^\W_]+", question) if w.lower() not in STOP_WORDS]
    where = "this article" if article_id else "the articles"
    if words:
        named = " or ".join(f"“{w}”" for w in dict.fromkeys(words))
        hint = f"No word of the question ({named}) is in {where}"
    else:
        hint = f"The question has no word to look for in {where}"
    hint += "; try other words, or ask for a summary. Here is how "
    hint += "it begins." if article_id else "the newest articles begin."
    lead = firsts[0] if firsts else None
    return replace(
        answer,
        citations=tuple(citation(corpus, n, s) for n, s in enumerate(openings, 1)),
        article_id=lead.article_id if lead else None,
        article_title=corpus.article(lead.article_id).title if lead else None,
        hint=hint,
    )
