"""Which article a user means: one rule for every command and both front ends.

A user names an article by its number in the ``articles`` listing (which
numbers the corpus's articles in their order, from 1, in the terminal and in
Discord's ``/articles``), its id or the start of it, its file name, or part of
its title. ``ask --article``, ``summary``, ``remove``, the terminal chat and
Discord's article options and autocomplete all ask :func:`find_article` or
:func:`matching_articles`, so a name means the same article everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from index.records import Article

_NUMBER = re.compile(r"\d+")


def find_article(articles: Sequence[Article], name: str) -> Article | None:
    """The article ``name`` means (the first of :func:`matching_articles`), or None."""
    found = matching_articles(articles, name)
    return found[0] if found else None


def matching_articles(articles: Sequence[Article], name: str) -> list[Article]:
    """The articles ``name`` may mean, best first; in listing order within each rule.

    A number is the article of that number in the listing, else an article
    whose id is that number or whose title holds it ("2026"); it is never read
    as the start of an id or part of a file name, so "8" of five articles
    finds none. Other text is an id or file name whole, then the start of an
    id or a whole title, then part of a title or file name (case ignored).
    """
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return []
    tests: tuple[Callable[[Article], bool], ...]
    if wanted.isdigit():
        number = int(wanted)
        tests = (
            lambda a: 1 <= number <= len(articles) and a is articles[number - 1],
            lambda a: a.id.casefold() == wanted,
            lambda a: wanted in _NUMBER.findall(a.title),
        )
    else:
        tests = (
            lambda a: wanted in (a.id.casefold(), a.source_path.casefold()),
            lambda a: a.id.casefold().startswith(wanted) or a.title.casefold() == wanted,
            lambda a: wanted in a.title.casefold() or wanted in a.source_path.casefold(),
        )
    found: dict[str, Article] = {}
    for test in tests:
        for article in articles:
            if article.id not in found and test(article):
                found[article.id] = article
    return list(found.values())
