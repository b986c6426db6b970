"""Extractive summaries of one article, optionally focused on a topic.

First version: the article's leading body sentences, or for a topic the body
sentences that share the most weighted topic words. (Issue 5 replaces the
selection with something that beats Lead-3; the interface stays.)
"""

from __future__ import annotations

from dataclasses import dataclass

from index.records import Article, Sentence
from index.tokenize import Tokenizer, default_tokenizer

DEFAULT_SENTENCES = 3
MAX_SENTENCES = 10


class SummaryError(ValueError):
    """The article cannot be summarised (no sentences, bad length); the message says why."""


@dataclass(frozen=True, slots=True)
class Summary:
    article_id: str
    article_title: str
    sentences: tuple[Sentence, ...]  # in article order
    topic: str | None = None
    found: bool = True  # False when a topic was asked for and the article has nothing on it

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


def summarize(
    article: Article,
    sentences: int = DEFAULT_SENTENCES,
    topic: str | None = None,
    tokenizer: Tokenizer | None = None,
) -> Summary:
    if not 1 <= sentences <= MAX_SENTENCES:
        raise SummaryError(f"a summary has 1 to {MAX_SENTENCES} sentences, not {sentences}")
    body = article.sentences
    if not body:
        raise SummaryError(f"“{article.title}” has no sentences to summarise")
    tokenizer = tokenizer or default_tokenizer()
    if topic and topic.strip():
        wanted = set(tokenizer.tokens(topic))
        scored = [(len(wanted & set(tokenizer.tokens(s.text))), s) for s in body]
        picked = [s for score, s in sorted(scored, key=lambda x: (-x[0], x[1].position)) if score]
        chosen = sorted(picked[:sentences], key=lambda s: s.position)
        return Summary(article.id, article.title, tuple(chosen), topic.strip(), bool(chosen))
    return Summary(article.id, article.title, tuple(body[:sentences]))
