"""Whether a line asks for the gist of an article, is a greeting, or is a question to search.

People chat: "what happened?", "what's this about", "tl;dr", "summarise it",
"hello". None of these holds a word the articles could be searched by, and a
search would only find whichever passage ranks first. The decision is made
from the words, not from phrases per language: a line none of whose content
words the index knows (:class:`index.spelling.Vocabulary`, slips included)
asks for the gist when it holds one of the few words that ask for a summary
(or only words that point at the article), and is a greeting otherwise,
unless it is put as a question about words no article has: that one is
answered by the engine, with the closest passages and a hint.

Both front ends ask :meth:`index.engine.Engine.gist` before answering.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from index.records import Article
from index.tokenize import STOP_WORDS

# Words that ask for the gist ("what happened?", "what's going on", "tl;dr", "sum it up",
# "tell me about it") or point at the article itself: not content to search by.
GIST_WORDS = frozenset(
    """summary summarise summarize summarised summarized summarising summarizing sum gist tldr
    tl dr overview recap happened happening happen going story main points key tell explain
    describe news brief briefly quick article articles piece text""".split()
)
# With the apostrophe left out too ("whats this about"), which the stop words lack.
QUESTION_WORDS = frozenset(
    "who whom whose what when where why which how whats whos wheres whens whys hows".split()
)
_NOT_CONTENT = STOP_WORDS | QUESTION_WORDS | GIST_WORDS
_WORD = re.compile(r"[^\W_]+")

GistKind = Literal["summary", "choose", "greeting"]


@dataclass(frozen=True, slots=True)
class Gist:
    """What a line with nothing to search asks for.

    ``summary``: the summary of ``articles[0]``; ``choose``: one of ``articles``
    (newest first), there being several and none in context; ``greeting``: one
    line on what to ask.
    """

    kind: GistKind
    articles: tuple[Article, ...] = ()


def asks_for_gist(line: str, knows: Callable[[str], bool]) -> Literal["summary", "greeting"] | None:
    """``summary`` or ``greeting`` for a line with no content word ``knows``; None to search.

    ``knows`` says whether the index can search by a lower-case word. A line
    with such a word, or put as a question about unknown words ("who won?",
    "xyzzy?"), is a question; the rest asks for the gist or is a greeting.
    """
    words = [w.lower() for w in _WORD.findall(line)]
    content = [w for w in words if w not in _NOT_CONTENT]
    if any(knows(w) or not w.isalpha() for w in content):
        return None
    if any(w in GIST_WORDS for w in words) or (words and not content and _is_question(line, words)):
        return "summary"
    if content and _is_question(line, words):
        return None
    return "greeting"


def _is_question(line: str, words: list[str]) -> bool:
    return line.rstrip().endswith("?") or words[0] in QUESTION_WORDS


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """``articles`` by when they were published or added, newest first; undated ones last,
    in their own order."""
    return sorted(articles, key=_when, reverse=True)


def _when(article: Article) -> datetime:
    for text in (article.published, article.added_at):
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.min.replace(tzinfo=UTC)
