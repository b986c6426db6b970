"""A news page's article: title, date, author and body, without the rest of the page.

trafilatura finds the main text and leaves out navigation, share bars,
related links, cookie banners and (``include_comments=False``) comments.
Tables are left out too: their cells make no sentences a reader could cite.
Of what it keeps, headings are dropped (as the loader drops Markdown ones)
and each paragraph, list item and quotation becomes one body paragraph,
unless it is mostly link text (an in-story "Read also: ..." teaser). It
runs with ``favor_precision``, and a page none of whose paragraphs ends as a
sentence ends (a section front, a login page) counts as having no article.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bot.intake.errors import IntakeError
from bot.intake.records import Draft

if TYPE_CHECKING:
    from lxml.etree import _Element

_SKIPPED = frozenset({"head", "table", "graphic", "fw", "note"})
_ONE_PER_CHILD = frozenset({"list"})
MOSTLY_LINK = 0.5  # share of a paragraph's characters inside links that makes it a link
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def draft_from_html(html: str | bytes, *, source: str, url: str | None = None) -> Draft:
    """The article of an HTML page; raises :class:`IntakeError` when it has no article text."""
    import trafilatura  # imported here: only adding a page needs it (and it takes a while)
    from trafilatura.settings import Document

    document = trafilatura.bare_extraction(
        html,
        url=url,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=True,  # only to weigh them: see _paragraphs
        favor_precision=True,  # a section front's link lists are not an article
        with_metadata=True,
    )
    body = document.body if isinstance(document, Document) else None
    paragraphs = tuple(_paragraphs(body)) if body is not None else ()
    if not isinstance(document, Document) or body is None or not _reads_as_text(paragraphs):
        raise IntakeError(f"no article text was found in {_where(source)}")
    title = _clean(document.title or "") or _first_heading(body) or _where(source)
    return Draft(
        title=title,
        paragraphs=paragraphs,
        source=source,
        summary=_clean(document.description or ""),
        author=_clean(document.author or ""),
        published=_clean(document.date or ""),
    )


def _paragraphs(body: _Element) -> list[str]:
    found: list[str] = []
    for child in body:
        if child.tag in _SKIPPED:
            continue
        for part in child if child.tag in _ONE_PER_CHILD else [child]:
            text = _clean("".join(part.itertext()))
            if text and not _mostly_link(part, text):
                found.append(text)
    return found


def _mostly_link(part: _Element, text: str) -> bool:
    """A paragraph that is mostly link text ("Read also: ...") points elsewhere: not the story."""
    linked = sum(len(_clean("".join(ref.itertext()))) for ref in part.iter("ref"))
    return linked >= MOSTLY_LINK * len(text)


def _reads_as_text(paragraphs: tuple[str, ...]) -> bool:
    """Whether any paragraph ends as a sentence does; headlines and link lists do not."""
    return any(_SENTENCE_END.search(p) for p in paragraphs)


def _first_heading(body: _Element) -> str:
    for child in body:
        if child.tag == "head":
            return _clean("".join(child.itertext()))
    return ""


def _where(source: str) -> str:
    if source.startswith("file: "):
        return source.removeprefix("file: ")
    return urlsplit(source).hostname or source


def _clean(text: str) -> str:
    return " ".join(text.split())
