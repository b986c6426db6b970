"""Drafts: an article taken from a link, a file or pasted text, not yet in the folder.

Every source ends as the same :class:`Draft` (title, body paragraphs, where it
came from), which :func:`bot.intake.folder.add_to_folder` writes in the seed
format. HTML goes through trafilatura (:mod:`bot.intake.extraction`) so that
navigation, share bars, related links and comments never become article text.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import PurePath
from typing import TYPE_CHECKING

from bot.intake.errors import IntakeError
from bot.intake.records import Draft
from index import ARTICLE_SUFFIXES, MAX_FILE_BYTES, ArticleError, parse_article

if TYPE_CHECKING:
    from bot.intake.fetching import FetchLimits

__all__ = ["Draft", "draft_from_file", "draft_from_text", "draft_from_url"]

HTML_SUFFIXES = (".html", ".htm")
FILE_SUFFIXES = HTML_SUFFIXES + ARTICLE_SUFFIXES  # what a file to add may be (Discord checks first)
FILE_TYPES = f"{', '.join(FILE_SUFFIXES[:-1])} or {FILE_SUFFIXES[-1]}"  # for messages
_BLANK_LINE = re.compile(r"\n\s*\n")


async def draft_from_url(
    url: str, *, allow_private: bool = False, limits: FetchLimits | None = None
) -> Draft:
    """Fetch ``url`` (see :mod:`bot.intake.fetching` for the rules) and extract its article.

    ``allow_private``: see :func:`bot.intake.fetching.fetch_page`; ``limits``
    is a :class:`bot.intake.fetching.FetchLimits` (tests shorten the timeout).
    """
    from bot.intake.extraction import draft_from_html
    from bot.intake.fetching import FetchLimits, fetch_page

    page = await fetch_page(
        url,
        allow_private=allow_private,
        limits=limits or FetchLimits(),
    )
    # trafilatura takes a while on a big page: off the event loop, as the bot runs this there
    return await asyncio.to_thread(draft_from_html, page.body, source=page.url, url=page.url)


def draft_from_file(name: str, data: bytes) -> Draft:
    """A draft from an uploaded or local file: one of :data:`FILE_SUFFIXES`."""
    name = PurePath(name).name or "file"
    suffix = PurePath(name).suffix.lower()
    if suffix not in FILE_SUFFIXES:
        raise IntakeError(f"{name} is not an article file; use {FILE_TYPES}")
    if len(data) > MAX_FILE_BYTES:
        raise IntakeError(f"{name} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise IntakeError(f"{name} is empty")
    if suffix in HTML_SUFFIXES:
        from bot.intake.extraction import draft_from_html

        return draft_from_html(data, source=f"file: {name}")
    try:
        article = parse_article(data, name=name)
    except ArticleError as exc:
        raise IntakeError(f"{name} {exc}") from exc
    return Draft(
        title=article.title,
        paragraphs=tuple(p.text for p in article.paragraphs),
        source=article.source or f"file: {name}",
        summary=article.summary,
        author=article.author,
        published=article.published,
    )


def draft_from_text(title: str, text: str) -> Draft:
    """A draft from a pasted title and text.

    Paragraphs are separated by blank lines; text with no blank line (as copied
    from most web pages) has one paragraph a line.
    """
    title = " ".join(title.split())
    if not title:
        raise IntakeError("the article needs a title")
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if _BLANK_LINE.search(text):
        blocks = [" ".join(block.split()) for block in _BLANK_LINE.split(text)]
    else:
        blocks = [" ".join(line.split()) for line in text.split("\n")]
    paragraphs = tuple(block for block in blocks if block)
    if not paragraphs:
        raise IntakeError("the article has no text; paste its paragraphs below the title")
    return Draft(title=title, paragraphs=paragraphs, source="pasted")
