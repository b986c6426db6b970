"""Reading article files into :class:`Article` records.

Two layouts are accepted:

* the seed format (:mod:`index.seed_format`, which also writes it): title,
  number and id lines, the publisher's summary, the body, ``Original Source:``
  and metadata lines;
* plain text or Markdown with no header: the title comes from the first line
  when it looks like one, otherwise from the file name.

A file that cannot be used is returned as a :class:`LoadProblem` naming the
file and the reason, so one bad file never stops the others from loading.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from index.records import STANDFIRST, Article, LoadProblem, Paragraph, Sentence
from index.seed_format import ARTICLE_SUFFIXES, seed_header, split_at_source
from index.sentences import split_sentences

MAX_FILE_BYTES = 5 * 1024 * 1024
_BOILERPLATE = (
    "leave a reply",
    "your email address will not be published",
    "required fields are marked",
    "cancel reply",
    "post comment",
)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w))")
_SLUG = re.compile(r"[^a-z0-9]+")


class ArticleError(ValueError):
    """An article file that cannot be used; the message names the reason."""


@dataclass(frozen=True, slots=True)
class LoadResult:
    articles: tuple[Article, ...]
    problems: tuple[LoadProblem, ...]


def load_folder(folder: str | Path) -> LoadResult:
    """Load every article file in ``folder`` (not recursive), in :func:`reading_order`.

    Raises :class:`FileNotFoundError` / :class:`NotADirectoryError` when the
    folder itself is unusable; problems with single files are collected.
    """
    root = Path(folder)
    if not root.exists():
        raise FileNotFoundError(f"seeds folder not found: {root}")
    if not root.is_dir():
        raise NotADirectoryError(f"seeds path is not a folder: {root}")
    articles: list[Article] = []
    problems: list[LoadProblem] = []
    seen_ids: dict[str, str] = {}
    for path in sorted(root.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        try:
            article = load_file(path)
        except ArticleError as exc:
            problems.append(LoadProblem(path.name, str(exc)))
            continue
        if article.id in seen_ids:
            problems.append(
                LoadProblem(
                    path.name, f"duplicate article id {article.id} (also in {seen_ids[article.id]})"
                )
            )
            continue
        seen_ids[article.id] = path.name
        articles.append(article)
    return LoadResult(reading_order(articles), tuple(problems))


def reading_order(articles: Iterable[Article]) -> tuple[Article, ...]:
    """The folder's own articles by file name, then those added, oldest addition first.

    Users name articles by their number ("summary 2"), so adding one must not renumber
    the others: an added file is named after its title and would sort among them.
    """
    own = [a for a in articles if not _added(a)]
    added = sorted((a for a in articles if _added(a)), key=_added)
    return (*own, *added)


def _added(article: Article) -> str:
    """When ``article`` was added, as a UTC ISO time that sorts; "" for a folder's own."""
    try:
        moment = datetime.fromisoformat(article.added_at.strip())
    except ValueError:
        return ""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def load_file(path: str | Path) -> Article:
    """Parse one file; raises :class:`ArticleError` with a friendly reason."""
    path = Path(path)
    if path.suffix.lower() not in ARTICLE_SUFFIXES:
        kinds = ", ".join(ARTICLE_SUFFIXES)
        raise ArticleError(f"unsupported file type {path.suffix or '(none)'!r}; use {kinds}")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ArticleError(f"cannot be read ({exc.strerror or exc})") from exc
    return parse_article(raw, name=path.name)


def parse_article(raw: bytes, name: str) -> Article:
    """Parse the bytes of an article file called ``name``."""
    text = _decode(raw)
    lines = _normalise(text).split("\n")
    header = seed_header(lines)
    if header is not None:
        title_line, external_id, rest = header
        title = _clean_title(title_line)
        text_lines, source, metadata = split_at_source(rest)
        blocks = _blocks(text_lines)
        summary = blocks.pop(0) if len(blocks) > 1 else ""
    else:
        text_lines, source, metadata = split_at_source(lines)
        title, external_id, summary = _plain_title(text_lines, name), "", ""
        blocks = _blocks(text_lines)
        if blocks and _clean_title(blocks[0]) == title:
            blocks.pop(0)
    body = [b for b in blocks if not b.lower().startswith(_BOILERPLATE)]
    if not body:
        raise ArticleError("has no article text after the title")
    article_id = external_id or _slug(Path(name).stem)
    paragraphs = _paragraphs(article_id, body)
    if not any(p.sentences for p in paragraphs):
        raise ArticleError("has no sentences")
    content = "\n\n".join([title, summary, *body])
    return Article(
        standfirst=_standfirst(article_id, summary, paragraphs),
        id=article_id,
        title=title,
        source_path=name,
        content_hash=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        paragraphs=paragraphs,
        summary=summary,
        source=source,
        external_id=external_id,
        added_at=metadata.get("added", ""),
        author=metadata.get("author", ""),
        published=metadata.get("published", ""),
    )


def article_from_text(article_id: str, title: str, paragraphs: Iterable[str]) -> Article:
    """Build an article from already separated paragraphs (used by evaluations)."""
    body = [p.strip() for p in paragraphs if p.strip()]
    content = "\n\n".join([title, *body])
    return Article(
        id=article_id,
        title=title,
        source_path=f"<{article_id}>",
        content_hash=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        paragraphs=_paragraphs(article_id, body),
    )


def _decode(raw: bytes) -> str:
    if not raw.strip():
        raise ArticleError("is empty")
    if len(raw) > MAX_FILE_BYTES:
        raise ArticleError(f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if b"\x00" in raw:
        raise ArticleError("looks binary (contains NUL bytes), not a text article")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"is not valid UTF-8 (byte {exc.start}); save it as UTF-8") from exc
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text)
    if printable < 0.95 * len(text):
        raise ArticleError("looks binary (mostly control characters), not a text article")
    return text


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def _plain_title(lines: list[str], name: str) -> str:
    first = next((line for line in lines if line.strip()), "")
    candidate = _clean_title(first)
    if (
        candidate
        and len(candidate) <= 200
        and (_MD_HEADING.match(first) or not candidate.endswith("."))
    ):
        return candidate
    stem = re.sub(r"[_\-]+", " ", Path(name).stem).strip()
    return stem[:1].upper() + stem[1:] if stem else name


def _clean_title(line: str) -> str:
    return _strip_markdown(_MD_HEADING.sub("", line)).strip()


def _strip_markdown(text: str) -> str:
    return _MD_EMPHASIS.sub("", _MD_LINK.sub(r"\1", text))


def _blocks(lines: list[str]) -> list[str]:
    """Group lines into paragraphs; Markdown headings end a paragraph and are dropped."""
    blocks: list[str] = []
    current: list[str] = []
    for line in lines:
        if not line.strip() or _MD_HEADING.match(line):
            if current:
                blocks.append(" ".join(current))
                current = []
            continue
        current.append(line.strip())
    if current:
        blocks.append(" ".join(current))
    return [_strip_markdown(b) if ("*" in b or "](" in b or "__" in b) else b for b in blocks]


def _paragraphs(article_id: str, body: list[str]) -> tuple[Paragraph, ...]:
    paragraphs: list[Paragraph] = []
    used: set[str] = set()
    position = 0
    for number, text in enumerate(body, start=1):
        sentences: list[Sentence] = []
        for start, end in split_sentences(text):
            sentence_text = text[start:end]
            sid = _unique(f"{article_id}#s{_digest(sentence_text)}", used)
            sentences.append(Sentence(sid, article_id, number, position, sentence_text, start, end))
            position += 1
        pid = _unique(f"{article_id}#p{_digest(text)}", used)
        paragraphs.append(Paragraph(pid, number, text, tuple(sentences)))
    return tuple(paragraphs)


def _standfirst(article_id: str, summary: str, body: tuple[Paragraph, ...]) -> Paragraph | None:
    """The publisher's summary as paragraph ``STANDFIRST``, unless the body holds all of it.

    Its sentence ids take ``#f`` where the body's take ``#s``, so a sentence the two share
    keeps one id each; positions are -1: it is not part of the body a summary is made of.
    """
    text = summary.strip()
    spans = split_sentences(text) if text else []
    told = {s.text.strip() for p in body for s in p.sentences}
    if not spans or all(text[a:b].strip() in told for a, b in spans):
        return None
    used: set[str] = set()
    sentences = tuple(
        Sentence(
            _unique(f"{article_id}#f{_digest(text[a:b])}", used),
            article_id,
            STANDFIRST,
            -1,
            text[a:b],
            a,
            b,
        )
        for a, b in spans
    )
    return Paragraph(f"{article_id}#p{_digest(text)}-summary", STANDFIRST, text, sentences)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _unique(candidate: str, used: set[str]) -> str:
    """Repeated identical text gets ``-2``, ``-3``... so ids stay unique and stable."""
    result, n = candidate, 1
    while result in used:
        n += 1
        result = f"{candidate}-{n}"
    used.add(result)
    return result


def _slug(stem: str) -> str:
    slug = _SLUG.sub("-", stem.lower()).strip("-")
    return slug or "article"
