"""Plain-text rendering of answers and summaries for the terminal.

Text is wrapped to the terminal's width at word boundaries only (a long URL
overflows rather than breaking mid-word), and the article title is shown once
per answer: the quote lines stay short enough to read in 80 columns. Sentence
ids are internal and shown only on request (``--ids``); the JSON output always
keeps them.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from index.records import paragraph_place

if TYPE_CHECKING:
    from bot.serving.answering import Reply
    from index import Answer, Article, Citation, Corpus, Summary

MAX_WIDTH = 100  # past this, lines get hard to read even on a wide terminal
MIN_WIDTH = 40
CLOSEST = 3  # closest passages a refusal lists
CHOICE = 5  # articles offered when "what happened?" could be about any of them
CLOSING_QUOTES = ("”", '"', "’", "'")


def width() -> int:
    """The terminal's width (``$COLUMNS`` or 80 when not a terminal), within readable bounds."""
    columns = shutil.get_terminal_size((80, 24)).columns
    return max(MIN_WIDTH, min(MAX_WIDTH, columns))


def wrap(text: str, columns: int, first: str = "", rest: str | None = None) -> str:
    """``text`` filled to ``columns``, breaking only between words."""
    return textwrap.fill(
        text,
        width=columns,
        initial_indent=first,
        subsequent_indent=first if rest is None else rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def quoted(text: str) -> str:
    """``text`` in curly quotes, without doubling a closing quote it already ends with."""
    text = text.strip()
    return f"“{text}" if text.endswith(CLOSING_QUOTES) else f"“{text}”"


def answer_text(answer: Answer, *, ids: bool = False, columns: int | None = None) -> str:
    """An answer (title once, then its numbered quotes) or a refusal with the closest passages."""
    columns = columns or width()
    read = ", ".join(f"“{typed}” as “{read_as}”" for typed, read_as in answer.respelled)
    lines = [wrap(f"(read {read})", columns)] if read else []
    if answer.context_read:  # a follow-up, read with the question before it
        lines.append(wrap(f"Read as: {answer.context_read}", columns, rest="  "))
    if answer.found:
        lines.append(wrap(f"Answer: {answer.answer}", columns, rest="  "))
        title = answer.article_title
        citations: Sequence[Citation] = answer.citations
    else:
        citations = answer.citations[:CLOSEST]
        title = citations[0].article_title if citations else None
        if answer.hint:  # no word of the question is in the articles: what to try, and openings
            lines.append(wrap(answer.hint, columns))
        elif not answer.reader_used and citations:  # short answers are off: no reader
            lines.append("The closest passages:")
        else:
            lines.append("The articles don't say.")
            if citations:
                lines.append("Closest passages, in case they help:")
    if title:
        lines.append(wrap(f"from “{title}”", columns, first="  ", rest="    "))
    lines.extend(citation_text(c, title, ids, columns, citations) for c in citations)
    return "\n".join(lines)


def citation_text(
    citation: Citation,
    title: str | None,
    ids: bool,
    columns: int,
    cited: Sequence[Citation] = (),
) -> str:
    """One numbered quote and where it is; the title only when it differs from the answer's.

    A quote that leans on the sentence before it shows that sentence, or its number
    when it is among the ``cited`` too.
    """
    where = citation.place
    if citation.article_title != title:
        where = f"{citation.article_title}, {where}"
    if ids:
        where += f", {citation.sentence_id}"
    quote = wrap(f"[{citation.n}] {quoted(citation.text)}", columns, first="  ", rest="      ")
    if citation.context:  # the quote leans on it ("it", "the X"): say what it follows
        before = next((f"[{c.n}]" for c in cited if c.text == citation.context), None)
        after = f"after {before or quoted(citation.context)}"
        quote += "\n" + wrap(after, columns, first="      ", rest="        ")
    return f"{quote}\n{wrap(f'— {where}', columns, first='      ')}"


GREETING = "Ask a question about the articles (`articles` lists them), or “what happened?”"
# Small talk answered in kind (index.gist.small_talk); a greeting gets the line on what to ask.
SMALL_TALK = {
    "thanks": "You're welcome. Ask another question, or “what happened?” for a summary.",
    "ack": "Okay.",
    "praise": "Thank you!",
    "bye": "Bye!",
}


def choice_text(newest: Sequence[Article], corpus: Corpus) -> str:
    """Which article "what happened?" asks about: the newest few, numbered for ``summary N``."""
    number = {a.id: n for n, a in enumerate(corpus.articles, start=1)}
    lines = [f"Which article? {len(newest)} are loaded; the newest:"]
    lines += [wrap(f"{number[a.id]}. {a.title}", width(), "  ", "     ") for a in newest[:CHOICE]]
    lines.append("Type its number, or `summary N` (`articles` lists them all).")
    return "\n".join(lines)


def reply_text(reply: Reply, corpus: Corpus, *, ids: bool = False) -> str:
    """The answering service's reply: the answer, or the summary, choice or greeting a line
    with nothing to search gets."""
    if reply.answer is not None:
        return answer_text(reply.answer, ids=ids)
    if reply.summary is not None:
        return summary_text(reply.summary, ids=ids)
    if reply.kind == "choose":
        return choice_text(reply.articles, corpus)
    return wrap(SMALL_TALK.get(reply.kind, GREETING), width())


CHAT_HELP = """\
Type a question, or one of these:
  articles                    list the articles
  summary [ARTICLE] [TOPIC]   summarise an article, or what it says on a topic
  help                        this list
  quit                        leave (also exit or Ctrl-D)
"what happened?", "tell me about the drones" or "summarise the drones" gets a
summary too; after a question, "what happened?" gets one on what it asked about.
Up and down arrows recall earlier questions."""


def welcome(corpus: Corpus) -> str:
    count = len(corpus.articles)
    plural = "s" if count != 1 else ""
    return (
        f"articlebot — ask about {count} article{plural}.\n"
        f"{articles_text(corpus, limit=10, brief=True)}\n\n{CHAT_HELP}\n"
    )


def articles_text(corpus: Corpus, limit: int | None = None, brief: bool = False) -> str:
    """The loaded articles, numbered as ``summary N`` takes them, each with its full id.

    The id is shown whole because ``--article`` and ``summary`` take it as shown;
    ``brief`` (the chat's welcome) keeps one line an article.
    """
    shown = corpus.articles if limit is None else corpus.articles[:limit]
    lines: list[str] = []
    for n, a in enumerate(shown, start=1):
        size = f"{a.source_path}, {a.sentence_count} sentence{'s' if a.sentence_count != 1 else ''}"
        if brief:
            lines.append(wrap(f"{n}. {a.title} ({size})", width(), "  ", "     "))
            continue
        # not wrapped: the title, id and link are copied whole, and a date must not break
        lines += [f"  {n}. {a.title}", f"     id {a.id}"]
        lines.append(f"     {size}" + (f", added {human_time(a.added_at)}" if a.added_at else ""))
        if a.source:
            lines.append(f"     from {a.source}")
    if len(corpus.articles) > len(shown):
        lines.append(f"  … and {len(corpus.articles) - len(shown)} more (type 'articles')")
    if not brief:
        count = len(corpus.articles)
        lines.append(
            f"{count} article{'s' if count != 1 else ''}, indexed {human_time(corpus.built_at)}"
        )
    return "\n".join(lines)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def human_time(moment: datetime | str) -> str:
    """``2 Dec 2026, 18:35 UTC``: how a person reads a time or an ISO string (JSON keeps ISO).

    A string that is no ISO time is shown as it is, so a hand-edited file still lists.
    """
    if isinstance(moment, str):
        try:
            parsed = datetime.fromisoformat(moment)
        except ValueError:
            return moment
    else:
        parsed = moment
    moment = parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}, {moment:%H:%M} UTC"


def summary_text(summary: Summary, *, ids: bool = False, columns: int | None = None) -> str:
    """The heading, then each sentence with its paragraph (and id with ``ids``)."""
    columns = columns or width()
    heading = f"{'More from' if summary.more else 'Summary of'} “{summary.article_title}”"
    if summary.topic:
        heading += f", about “{summary.topic}”"
    lines = [wrap(heading, columns, rest="  ")]
    if not summary.found or (summary.more and not summary.sentences):
        return "\n".join([*lines, wrap(summary.message, columns, first="  ")])
    if summary.unsure:
        lines.append(wrap(summary.message, columns, first="  ", rest="  "))
    for n, s in enumerate(summary.sentences, start=1):
        lines.append(wrap(f"[{n}] {summary.shown(s)}", columns, first="  ", rest="      "))
        where = paragraph_place(s.paragraph) + (f", {s.id}" if ids else "")
        lines.append(f"      — {where}")
    return "\n".join(lines)


def reply_json(reply: Reply) -> dict[str, object]:
    """The answer's JSON; a line with nothing to search is not answered (``found`` false)
    and gets its gist: ``kind`` (summary, choose or greeting), the summary when there is
    one, and the articles offered."""
    if reply.answer is not None:
        return reply.answer.to_json()
    gist: dict[str, object] = {
        "question": reply.question,
        "found": False,
        "answer": None,
        "kind": reply.kind,
        "read_as": None,
    }
    if reply.summary is not None:
        gist["summary"] = reply.summary.to_json()
    gist["articles"] = [{"id": a.id, "title": a.title} for a in reply.articles]
    return gist
