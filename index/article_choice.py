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
from collections.abc import Callable, Collection, Sequence

from index.records import Article
from index.tokenize import Tokenizer

_NUMBER = re.compile(r"\d+")


class AmbiguousArticle(LookupError):
    """A name that fits several articles equally well ("inv", "-1"): which one is not guessed,
    as ``remove`` would have removed the first."""

    def __init__(self, name: str, articles: Sequence[Article], numbers: dict[str, int]) -> None:
        shown = "; ".join(f"{numbers[a.id]}. {a.title}" for a in articles[:MAX_SHOWN])
        more = f"; and {len(articles) - MAX_SHOWN} more" if len(articles) > MAX_SHOWN else ""
        super().__init__(f"“{name}” fits {len(articles)} articles ({shown}{more}); give its number")
        self.articles = tuple(articles)


MAX_SHOWN = 5  # the articles an ambiguous name lists


def find_article(articles: Sequence[Article], name: str) -> Article | None:
    """The article ``name`` means, or None; :class:`AmbiguousArticle` when the best rule of
    :func:`matching_articles` it meets fits several."""
    tiers = _tiers(articles, name)
    if not tiers:
        return None
    if len(tiers[0]) > 1:
        numbers = {a.id: n for n, a in enumerate(articles, start=1)}
        raise AmbiguousArticle(" ".join(name.split()), tiers[0], numbers)
    return tiers[0][0]


def matching_articles(articles: Sequence[Article], name: str) -> list[Article]:
    """The articles ``name`` may mean, best first; in listing order within each rule.

    A number is the article of that number in the listing, else an article
    whose id is that number or whose title holds it ("2026"); it is never read
    as the start of an id or part of a file name, so "8" of five articles
    finds none. Other text is an id or file name whole, then the start of an
    id or a whole title, then part of a title or file name (case ignored).
    """
    return [a for tier in _tiers(articles, name) for a in tier]


def _tiers(articles: Sequence[Article], name: str) -> list[list[Article]]:
    """The articles each rule of :func:`matching_articles` finds (those an earlier one found
    left out), the rules that find none left out."""
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
    seen: set[str] = set()
    tiers = []
    for test in tests:
        tier = [a for a in articles if a.id not in seen and test(a)]
        seen.update(a.id for a in tier)
        if tier:
            tiers.append(tier)
    return tiers


_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth".split()
_KINDS = r"(?:one|article|story|piece|item)"
# "article 5", "story #2", "number 3", "#4", "the 5th one", "the fifth article", "the last one".
_PLACE = re.compile(
    rf"""^(?:the\s+)?(?:
        (?:(?:article|story|piece|item|number|no\.?)\s*\#?\s*|\#\s*)(?P<number>\d+)
      | (?P<nth>\d+)(?:st|nd|rd|th)\s+{_KINDS}
      | (?P<ordinal>{"|".join(_ORDINALS)}|last)\s+{_KINDS})$""",
    re.IGNORECASE | re.VERBOSE,
)


def listed_place(reference: str) -> int | None:
    """The place in a listing that ``reference`` names ("article 5": 5, "the second one": 2;
    "the last one": -1), or None when it names no place."""
    found = _PLACE.match(" ".join(reference.split()).strip(" ?.!"))
    if found is None:
        return None
    if found["ordinal"]:
        word = found["ordinal"].lower()
        return -1 if word == "last" else _ORDINALS.index(word) + 1
    return int(found["number"] or found["nth"])


def article_at(articles: Sequence[Article], reference: str) -> Article | None:
    """The article at the place ``reference`` names in ``articles`` (the listing, or the
    articles just offered), or None when it names none or one past the end."""
    place = listed_place(reference)
    if place is None or not articles or place == 0 or place > len(articles):
        return None
    return articles[place - 1] if place > 0 else articles[-1]


def most_holding(
    articles: Sequence[Article],
    words: Collection[str],
    text_of: Callable[[Article], str | None],
    tokenizer: Tokenizer,
) -> Article | None:
    """The article whose ``text_of`` holds the most of the tokens ``words`` (the first of
    equals), None when none holds any: the headline that alone names a subject ("what happened
    with the wildfire", the body saying "the fire"), the standfirst that alone holds a question's
    words."""
    wanted = set(words)
    best, most = None, 0
    for article in articles:
        text = text_of(article)
        held = len(wanted & set(tokenizer.tokens(text))) if text else 0
        if held > most:
            best, most = article, held
    return best
