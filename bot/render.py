"""Plain-text rendering of answers for the terminal."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from index.engine import Corpus
    from index.records import Answer

WIDTH = 88


def answer_text(answer: Answer) -> str:
    lines: list[str] = []
    if answer.found:
        lines.append(f"Answer: {answer.answer}")
        if answer.article_title:
            lines.append(f"  from “{answer.article_title}”")
    else:
        lines.append("The articles don't say.")
        if answer.citations:
            lines.append("Closest passage, in case it helps:")
    for c in answer.citations if answer.found else answer.citations[:1]:
        quote = textwrap.fill(
            f"[{c.n}] “{c.text}”", width=WIDTH, initial_indent="  ", subsequent_indent="      "
        )
        lines.append(quote)
        lines.append(f"      — {c.article_title}, paragraph {c.paragraph} ({c.sentence_id})")
    return "\n".join(lines)


def welcome(corpus: Corpus) -> str:
    count = len(corpus.articles)
    titles = "\n".join(
        f"  • {a.title} ({a.sentence_count} sentences)" for a in corpus.articles[:10]
    )
    more = f"\n  … and {count - 10} more" if count > 10 else ""
    return (
        f"articlebot — ask about {count} article{'s' if count != 1 else ''}:\n{titles}{more}\n\n"
        "Type a question (e.g. “how many troops were sent?”), or 'quit' to leave.\n"
        "To run it on Discord instead, set DISCORD_TOKEN in .env (see README, “Run it on Discord”).\n"
    )
