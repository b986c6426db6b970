"""The record every source of an article becomes before it is written: :class:`Draft`.

Apart from :mod:`bot.intake.drafts` (which makes drafts and re-exports it) so
that the extraction, which the drafts module calls, can build one too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Draft:
    """An article not yet in the folder."""

    title: str
    paragraphs: tuple[str, ...]  # body only: no navigation, comments, share bars...
    source: str  # the link, or "file: name.html", or "pasted"
    summary: str = ""  # the page's description when it has one
    author: str = ""
    published: str = ""  # ISO date when known
