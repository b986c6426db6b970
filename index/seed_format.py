"""The article file format, read and written in one place, with the one list of file types.

A seed-format file is: title, blank, a number line, an id line, blank, the
publisher's summary paragraph, body paragraphs, ``Original Source: ...``,
optional metadata lines (``Added:``, ``Added by:``, ``Author:``,
``Published:``) directly after it, then web-page boilerplate that is
dropped. An article with no summary is written as Markdown (a ``#`` title,
the body, the same source and metadata lines), because the seed format
takes its first paragraph as the summary.

:mod:`index.loader` reads these files with :func:`seed_header` and
:func:`split_at_source`; adding an article (:mod:`bot.intake.folder`)
writes them with :func:`write_article`. Keeping both directions and
:data:`ARTICLE_SUFFIXES` here means a written file always loads as written,
and every front end accepts the file types the loader reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ARTICLE_SUFFIXES = (".txt", ".md", ".markdown")  # a tuple, so str.endswith takes it too
SEED_SUFFIX = ".txt"  # an article with a summary, in the seed format
MARKDOWN_SUFFIX = ".md"  # one without
_SOURCE_LINE = re.compile(r"^\s*original source\s*:\s*(?P<source>.*)$", re.IGNORECASE)
_METADATA_LINE = re.compile(
    r"^\s*(?P<key>added by|added|author|published)\s*:\s*(?P<value>.*?)\s*$", re.IGNORECASE
)
_HEADER_NUMBER = re.compile(r"^\s*\d+\s*$")
_HEADER_ID = re.compile(r"^\s*[A-Za-z0-9][A-Za-z0-9_\-]{3,}\s*$")


def is_article_file(name: str) -> bool:
    """Whether a file called ``name`` is one the loader reads (by its suffix; not hidden)."""
    return name.lower().endswith(ARTICLE_SUFFIXES) and not name.startswith(".")


def seed_header(lines: list[str]) -> tuple[str, str, list[str]] | None:
    """The title line, the id and the lines after ``title / blank / number / id / blank``,
    or None when the file does not open with that header."""
    if len(lines) < 6 or not lines[0].strip() or lines[1].strip():
        return None
    if not _HEADER_NUMBER.match(lines[2]) or not _HEADER_ID.match(lines[3]) or lines[4].strip():
        return None
    return lines[0], lines[3].strip(), lines[5:]


def split_at_source(lines: list[str]) -> tuple[list[str], str, dict[str, str]]:
    """The lines before ``Original Source:``, its value, and the metadata lines right after it.

    Metadata (``Added:``, ``Author:``, ``Published:``, blank lines between them
    allowed; keys lower-cased) ends at the first other line; everything from
    there on is page boilerplate, as it always was.
    """
    for number, line in enumerate(lines):
        match = _SOURCE_LINE.match(line)
        if match is None:
            continue
        metadata: dict[str, str] = {}
        for after in lines[number + 1 :]:
            field = _METADATA_LINE.match(after)
            if field is None and after.strip():
                break
            if field is not None:
                metadata.setdefault(field.group("key").lower(), field.group("value"))
        return lines[:number], match.group("source").strip(), metadata
    return lines, "", {}


def write_article(
    title: str,
    paragraphs: Iterable[str],
    *,
    article_id: str,
    source: str,
    summary: str = "",
    added_at: str = "",
    added_by: str = "",
    author: str = "",
    published: str = "",
) -> tuple[str, str]:
    """The suffix to save an article under and the file's text, each field on one line.

    The seed format (``.txt``) when there is a summary, else Markdown
    (``.md``); metadata lines only for the values given.
    """
    title = _one_line(title)
    if summary.strip():
        suffix, head = SEED_SUFFIX, [f"{title}\n\n0\n{article_id}", _one_line(summary)]
    else:
        suffix, head = MARKDOWN_SUFFIX, [f"# {title}"]
    body = [_one_line(p) for p in paragraphs if p.strip()]
    fields = (
        ("Added", added_at),
        ("Added by", added_by),
        ("Author", author),
        ("Published", published),
    )
    metadata = [f"Original Source: {_one_line(source)}"]
    metadata += [f"{key}: {_one_line(value)}" for key, value in fields if value.strip()]
    return suffix, "\n\n".join([*head, *body, "\n".join(metadata)]) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())
