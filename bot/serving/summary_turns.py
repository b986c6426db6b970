"""Summaries a conversation leads to: "more" after one, an article named after "Which
article?", and what the conversation keeps of a summary shown.

Each returns the article, the summary to show and the turn to remember, or None when the line
is not such a line; :class:`bot.serving.answering.AnsweringService` makes them replies.
"""

from __future__ import annotations

from dataclasses import replace

from index import (
    MAX_SENTENCES,
    AmbiguousArticle,
    Article,
    Corpus,
    Previous,
    Summary,
    article_at,
    asks_for_more,
    find_article,
    summarize,
)

MORE = 3  # sentences "more" adds to a summary
# Words around an article's name when one is picked: "the wildfire one", "the one about chile".
_CHOICE_FILLERS = frozenset("the a one article story piece about on please pls that this".split())
_QUESTION_OPENERS = frozenset(
    "who whom whose what when where why which how is are was were did does do".split()
)
MAX_CHOICE_WORDS = 4  # a longer line is a question or a topic, not an article's name

Shown = tuple[Article, Summary, Previous]


def summary_turn(summary: Summary) -> Previous:
    """What a conversation keeps of a summary: its article, the sentences it showed and its
    topic, for "more" ("says nothing about it" shows none: nothing to say more of)."""
    shown = tuple(s.id for s in summary.sentences) if summary.found else ()
    return Previous("", summary.article_id, shown=shown, topic=summary.topic)


def chosen(corpus: Corpus, before: Previous | None, line: str) -> Shown | None:
    """ "the wildfire one", "chile" after "Which article?": that article's summary, when the
    line names one article and asks nothing else; None otherwise."""
    if before is None or not before.offered:
        return None
    offered = [a for i in before.offered for a in corpus.articles if a.id == i]
    article = article_at(offered, line)  # "the first one": the first of those offered
    if article is not None:
        summary = summarize(article)
        return article, summary, summary_turn(summary)
    words = [w for w in line.lower().strip(" ?.!").split() if w not in _CHOICE_FILLERS]
    if not words or len(words) > MAX_CHOICE_WORDS or words[0] in _QUESTION_OPENERS:
        return None
    try:
        article = find_article(corpus.articles, " ".join(words))
    except AmbiguousArticle:
        return None
    if article is None:
        return None
    summary = summarize(article)
    return article, summary, summary_turn(summary)


def more_of(
    corpus: Corpus, before: Previous | None, line: str, article_id: str | None
) -> Shown | None:
    """ "more", "what else?" after a summary (on a topic or not): the sentences a summary
    ``MORE`` sentences longer (up to ``MAX_SENTENCES``) adds to what was shown; the
    conversation keeps them all. None for any other line."""
    if before is None or not before.shown or before.article_id is None:
        return None
    if (article_id and article_id != before.article_id) or not asks_for_more(line):
        return None
    article = next((a for a in corpus.articles if a.id == before.article_id), None)
    if article is None:
        return None
    count = min(len(before.shown) + MORE, MAX_SENTENCES)
    longer = summarize(article, sentences=count, topic=before.topic)
    new = tuple(s for s in longer.sentences if s.id not in before.shown)
    said = f"on “{before.topic}” " if before.topic else ""
    done = "" if new else f"That is all the article says {said}that the summary lacked."
    if not new and len(longer.sentences) >= MAX_SENTENCES:
        done = f"A summary holds {MAX_SENTENCES} sentences at most; ask a question about the rest."
    more = replace(longer, sentences=new, more=True, unsure=False, message=done)
    seen = (*before.shown, *(s.id for s in new))
    return article, more, Previous("", article.id, shown=seen, topic=before.topic)
