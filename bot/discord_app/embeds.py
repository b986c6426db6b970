"""Embeds for answers, summaries, article lists, help and reindex reports.

Everything taken from articles or users is escaped (markdown and mentions)
and clipped to Discord's limits: title 256, description 4,096, field value
1,024, 25 fields, 6,000 characters in all (``len(embed)``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime

import discord

from index import YES_NO, Answer, Article, Citation, Corpus, ReindexReport, Summary
from index.records import paragraph_place

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELD_COUNT_LIMIT = 25
FOOTER_LIMIT = 2048
TOTAL_LIMIT = 6000
AUTHOR_LIMIT = 256
ARTICLES_PER_PAGE = 10

FOUND = discord.Colour.green()
NOT_FOUND = discord.Colour.light_grey()
INFO = discord.Colour.blurple()
FAILURE = discord.Colour.red()

# A link safe inside a masked link: http(s), a host, no spaces, brackets or quotes.
_LINK = re.compile(r"https?://[\w.-]+(?::\d+)?(?:/[^\s()<>\[\]\"'\\]*)?")

PASSAGES_TITLE = "The closest passages:"
NO_ANSWER_TITLE = "The articles don't say"
ASKED = "Q: "  # the answer embed's author line: the question answered...
READ_AS = "Read as: "  # ...or, for a follow-up, the question as read with the one before
_SOURCE = re.compile(r"^> — (.+), (?:paragraph \d+|the summary paragraph)$", re.M)


def escape(text: str) -> str:
    """Markdown and mentions neutralised, newlines folded: safe inside any embed text."""
    text = " ".join(text.split())
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, never ending in a lone escape."""
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)].rstrip()
    trailing = len(cut) - len(cut.rstrip("\\"))
    if trailing % 2:  # an odd run of backslashes would escape the ellipsis
        cut = cut[:-1]
    return cut + "…"


def answer_embed(answer: Answer) -> discord.Embed:
    """The short answer as the title (or the refusal), cited sentences as numbered quotes."""
    if answer.found and answer.answer:
        embed = discord.Embed(title=clip(escape(answer.answer), TITLE_LIMIT), colour=FOUND)
        intro = ""
        source = next((c for c in answer.citations if c.n == answer.answer_citation), None)
        footer = f"Answer from [{source.n}]" if source else "Answer"
        footer += f" · confidence {answer.confidence:.2f}"
    elif not answer.reader_used and answer.citations:
        # The reader could not load (logged at start-up): the passages are all there is.
        embed = discord.Embed(title=PASSAGES_TITLE, colour=NOT_FOUND)
        intro = ""
        footer = "Short answers are off for now · these are the best-matching sentences"
    elif answer.answer_type == YES_NO and answer.citations:  # no yes or no: the passages, read
        embed = discord.Embed(title=PASSAGES_TITLE, colour=NOT_FOUND)
        intro = ""
        footer = "No yes or no · the passages closest to the question"
    else:
        embed = discord.Embed(title=NO_ANSWER_TITLE, colour=NOT_FOUND)
        if answer.citations:
            intro = "I couldn't find an answer in the indexed articles. The closest lead:\n\n"
        else:
            intro = (
                "I couldn't find an answer in the indexed articles, and no passage comes "
                "close. See what I know about with /articles."
            )
        footer = "No answer · the passages below are a lead, not support"
        if not answer.citations:
            footer = "No answer"
    if answer.hint:  # no word of the question is in the articles: what to try, then openings
        intro = escape(answer.hint) + "\n\n"
    if answer.respelled:
        read = ", ".join(f"“{escape(t)}” as “{escape(r)}”" for t, r in answer.respelled)
        intro = f"*Read {read}.*\n\n{intro}"
    # The question answered, so a reply to this answer can be read in its context
    # (bot.discord_app.conversation) by whichever process receives it.
    asked = answer.context_read or answer.question
    embed.set_author(name=clip(f"{READ_AS if answer.context_read else ASKED}{asked}", AUTHOR_LIMIT))
    embed.description = intro + _citation_blocks(answer.citations, DESCRIPTION_LIMIT - len(intro))
    embed.set_footer(text=footer)
    return fit(embed)


def _citation_blocks(citations: Sequence[Citation], budget: int) -> str:
    if not citations:
        return ""
    separator = "\n\n"
    share = (budget - len(separator) * (len(citations) - 1)) // len(citations)
    blocks = []
    for citation in citations:
        source = f"> — {clip(escape(citation.article_title), 200)}, {citation.place}"
        head = f"> **[{citation.n}]** “"
        room = share - len(head) - len("”\n") - len(source)
        after = _after(citation, citations, room // 2)
        text = clip(escape(citation.text), max(room - len(after), 20))
        blocks.append(f"{head}{text}”\n{after}{source}")
    return clip(separator.join(blocks), budget)


def _after(citation: Citation, citations: Sequence[Citation], room: int) -> str:
    """The line saying what a quote that leans on the sentence before it follows: that
    sentence, or its number when it is cited too; empty for a quote that stands alone."""
    if not citation.context:
        return ""
    cited = next((f"[{c.n}]" for c in citations if c.text == citation.context), None)
    return f"> *after* {cited or '“' + clip(escape(citation.context), max(room, 20)) + '”'}\n"


def summary_embed(summary: Summary) -> discord.Embed:
    title = escape(summary.article_title)
    if not summary.found:
        embed = discord.Embed(
            title=clip(f"Nothing on “{escape(summary.topic or '')}” in this article", TITLE_LIMIT),
            description=clip(
                f"“{title}” says nothing I can find about that. Try /summary without a topic, "
                "or /ask a question.",
                DESCRIPTION_LIMIT,
            ),
            colour=NOT_FOUND,
        )
        return fit(embed)
    heading = (
        f"{summary.topic} — {summary.article_title}" if summary.topic else summary.article_title
    )
    lines = [f"*{escape(summary.message)}*"] if summary.unsure or not summary.sentences else []
    budget = DESCRIPTION_LIMIT // max(len(summary.sentences), 1) - 30
    for n, sentence in enumerate(summary.sentences, start=1):
        lines.append(
            f"**{n}.** {clip(escape(summary.shown(sentence)), budget)} *({paragraph_place(sentence.paragraph)})*"
        )
    embed = discord.Embed(
        title=clip(("More: " if summary.more else "Summary: ") + escape(heading), TITLE_LIMIT),
        description=clip("\n".join(lines), DESCRIPTION_LIMIT),
        colour=INFO,
    )
    count = len(summary.sentences)
    embed.set_footer(
        text=f"{count} sentence{'s' if count != 1 else ''}, quoted from the article in its order"
    )
    return fit(embed)


def choice_embed(newest: Sequence[Article], shown: int = 5) -> discord.Embed:
    """Which article "what happened?" is about, there being several: the newest few."""
    lines = [f"• {clip(escape(a.title), 150)}" for a in newest[:shown]]
    embed = discord.Embed(
        title="Which article?",
        description=clip(
            "Reply with one's name (“the … one”), or use /summary; the newest:\n"
            + "\n".join(lines),
            DESCRIPTION_LIMIT,
        ),
        colour=INFO,
    )
    embed.set_footer(text=f"{len(newest)} articles · /articles lists them all")
    return fit(embed)


def page_count(total: int, per_page: int = ARTICLES_PER_PAGE) -> int:
    return max(1, -(-total // per_page))


def articles_embed(
    corpus: Corpus, page: int = 1, per_page: int = ARTICLES_PER_PAGE
) -> discord.Embed:
    """One page of the indexed articles: titles, sentence counts, where each came from and
    when it was added, when the index was built."""
    articles = corpus.articles
    pages = page_count(len(articles), per_page)
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    indexed = discord.utils.format_dt(corpus.built_at, "R")
    header = (
        f"{len(articles)} article{'s' if len(articles) != 1 else ''}, "
        f"{corpus.sentence_count:,} sentences, indexed {indexed}.\n\n"
    )
    lines = [
        f"**{n}.** {clip(escape(a.title), 150)} — {a.sentence_count:,} sentences\n{provenance(a)}"
        for n, a in enumerate(articles[start : start + per_page], start=start + 1)
    ]
    embed = discord.Embed(
        title="Indexed articles",
        description=clip(header + "\n".join(lines), DESCRIPTION_LIMIT),
        colour=INFO,
    )
    if corpus.problems:
        embed.add_field(name="Skipped files", value=_bullets(corpus.problems), inline=False)
    footer = f"Page {page} of {pages}"
    if page < pages:
        footer += f" · /articles page:{page + 1} for more"
    embed.set_footer(text=footer)
    return fit(embed)


def provenance(article: Article) -> str:
    """Where an article came from (its link, or ``file: name``) and when it was added; ``—``
    for what is unknown. At most about 190 characters, so ten entries fit a description."""
    source = article.source.strip()
    if _LINK.fullmatch(source) and len(source) <= 120:
        host = source.split("/")[2]
        shown = f"[{escape(clip(host, 40))}]({source})"
    else:
        shown = clip(escape(source), 100) or "—"
    try:
        added = datetime.fromisoformat(article.added_at)
    except ValueError:
        when = "—"
    else:
        when = discord.utils.format_dt(added if added.tzinfo else added.replace(tzinfo=UTC), "d")
    return f"{shown} · added {when}"


def help_embed() -> discord.Embed:
    embed = discord.Embed(
        title="articlebot",
        description=(
            "I answer questions about the indexed news articles with a **short answer and "
            "the exact sentences it comes from**, each cited to its article and paragraph. "
            "When the articles don't say, I tell you so instead of guessing."
        ),
        colour=INFO,
    )
    embed.add_field(
        name="Ask",
        value=(
            "• Mention me: `@articlebot how many people were evacuated?`\n"
            "• Or in a DM: `when did the strike start?`, then `and why?`\n"
            "• `/ask question:who is the mayor?`\n"
            "• One article only: `/ask question:... article:` and pick from the list"
        ),
        inline=False,
    )
    embed.add_field(
        name="Summaries and articles",
        value=(
            "• `/summary article:<pick one>` — the key sentences, quoted\n"
            "• `/summary article:<pick one> topic:drones sentences:5` — what it says about a topic\n"
            "• Or just ask: `@articlebot what happened?`, `@articlebot tell me about the drones`"
            " (after a question, `what happened?` sums up what it asked about)\n"
            "• `/articles` — what I have read, with sentence counts"
        ),
        inline=False,
    )
    embed.add_field(
        name="Admins",
        value=(
            "• `/article add url:<link>`, `file:<.html/.txt/.md>`, or nothing to paste the text\n"
            "• `/article remove article:<pick one>` — its file moves to `removed/`\n"
            "• `/reindex` — re-read the articles folder after adding or editing files"
        ),
        inline=False,
    )
    embed.set_footer(text="Short, specific questions work best: who, what, when, where, how many.")
    return fit(embed)


def reindex_embed(report: ReindexReport) -> discord.Embed:
    embed = discord.Embed(
        title="Reindex finished",
        description=clip(escape(report.summary_line), DESCRIPTION_LIMIT),
        colour=FOUND,
    )
    for name, titles in (
        ("Added", report.added),
        ("Changed", report.changed),
        ("Removed", report.removed),
    ):
        if titles:
            embed.add_field(name=f"{name} ({len(titles)})", value=_bullets(titles), inline=False)
    embed.add_field(name="Articles", value=f"{len(report.corpus.articles):,}")
    embed.add_field(name="Sentences", value=f"{report.sentences:,}")
    embed.add_field(name="Chunks", value=f"{report.chunks:,}")
    embed.add_field(name="Time", value=f"{report.seconds:.2f} s")
    if report.problems:
        embed.add_field(
            name=f"Skipped files ({len(report.problems)})",
            value=_bullets(report.problems),
            inline=False,
        )
    return fit(embed)


def reindex_failed_embed(error: BaseException, serving: Corpus) -> discord.Embed:
    """A failed rebuild: the problems by file, and that the old index still serves."""
    problems = getattr(error, "problems", None)
    if problems:
        lines: Sequence[object] = tuple(problems)
    else:
        message = str(error) or type(error).__name__
        head, _, detail = message.partition(": ")
        lines = [part for part in detail.split("; ") if part] if detail else [message]
        if detail:
            lines = [head, *lines]
    count = len(serving.articles)
    embed = discord.Embed(
        title="Reindex failed — nothing changed",
        description=(
            f"Still answering from the previous index ({count} article{'s' if count != 1 else ''}, "
            f"{serving.sentence_count:,} sentences). Fix the files below and run /reindex again."
        ),
        colour=FAILURE,
    )
    embed.add_field(name="Problems", value=_bullets(lines), inline=False)
    return fit(embed)


def _bullets(items: Sequence[object], limit: int = FIELD_VALUE_LIMIT) -> str:
    lines: list[str] = []
    used = 0
    for n, item in enumerate(items):
        line = "• " + clip(escape(str(item)), 300)
        rest = len(items) - n - 1
        more = f"\n… and {rest} more" if rest else ""
        if used + len(line) + 1 + len(more) > limit:
            lines.append(f"… and {len(items) - n} more")
            break
        lines.append(line)
        used += len(line) + 1
    return clip("\n".join(lines), limit) or "—"


def fit(embed: discord.Embed) -> discord.Embed:
    """Enforce every embed limit; shortens the description first, then drops fields."""
    if embed.title:
        embed.title = clip(embed.title, TITLE_LIMIT)
    if embed.description:
        embed.description = clip(embed.description, DESCRIPTION_LIMIT)
    while len(embed.fields) > FIELD_COUNT_LIMIT:
        embed.remove_field(len(embed.fields) - 1)
    for i, f in enumerate(embed.fields):
        embed.set_field_at(
            i,
            name=clip(f.name or "\u200b", FIELD_NAME_LIMIT),
            value=clip(f.value or "\u200b", FIELD_VALUE_LIMIT),
            inline=bool(f.inline),
        )
    excess = len(embed) - TOTAL_LIMIT
    if excess > 0 and embed.description:
        embed.description = clip(embed.description, max(len(embed.description) - excess, 100))
    while len(embed) > TOTAL_LIMIT and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    return embed


def asked_in(embed: discord.Embed) -> tuple[str, str | None] | None:
    """The question an answer embed answered (as read) and, when it was answered, the title
    of the article its answer came from (None for a refusal); None for any other embed."""
    name = embed.author.name or ""
    question = name.removeprefix(READ_AS) if name.startswith(READ_AS) else name.removeprefix(ASKED)
    if question == name or not question:
        return None
    source = _SOURCE.search(embed.description or "") if embed.colour == FOUND else None
    title = re.sub(r"\\(.)", r"\1", source.group(1)) if source else None
    return question, title
