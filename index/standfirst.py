"""The publisher's summary paragraph (the standfirst) for a question no body has a word of.

The engine reads the standfirst only when the body gives no answer (:mod:`index.engine`).
When no article's body holds any word of the question, the body offers no article either:
the town named only in the standfirst ("what's the population of kellerbach") had got "no
word of the question is in the articles". These say which standfirst holds the question's
words, and what a refusal then quotes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from index.article_choice import most_holding
from index.citing import MAX_CITATIONS, citation
from index.corpus import Corpus
from index.ranking import Scored
from index.records import Answer, Article
from index.tokenize import Tokenizer


def holding_standfirst(
    corpus: Corpus, query: Sequence[str], tokenizer: Tokenizer, article_id: str | None = None
) -> str | None:
    """The id of the article (``article_id``'s, if given) whose standfirst holds the most of
    the ``query`` tokens; None when none holds any."""
    articles = [a for a in corpus.articles if article_id in (None, a.id)]
    found = most_holding(articles, query, _standfirst_text, tokenizer)
    return found.id if found else None


def _standfirst_text(article: Article) -> str | None:
    return article.standfirst.text if article.standfirst else None


def closest_standfirst(corpus: Corpus, refusal: Answer, article_id: str | None) -> Answer | None:
    """``refusal`` quoting ``article_id``'s standfirst as the closest passages; None without
    one."""
    standfirst = corpus.article(article_id).standfirst if article_id else None
    if article_id is None or standfirst is None:
        return None
    closest = [Scored(s, 0.0, 0.0) for s in standfirst.sentences[:MAX_CITATIONS]]
    cited = tuple(citation(corpus, n, s) for n, s in enumerate(closest, 1))
    return replace(
        refusal,
        citations=cited,
        article_id=article_id,
        article_title=corpus.article(article_id).title,
    )
