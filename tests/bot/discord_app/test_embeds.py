"""Embed formatting and the text helpers: Discord's limits, escaping, mention stripping."""

from __future__ import annotations

from dataclasses import replace

import discord
import pytest

from bot.discord_app.embeds import (
    DESCRIPTION_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_VALUE_LIMIT,
    NO_ANSWER_TITLE,
    PASSAGES_TITLE,
    TITLE_LIMIT,
    TOTAL_LIMIT,
    answer_embed,
    articles_embed,
    asked_in,
    clip,
    fit,
    reindex_embed,
    reindex_failed_embed,
    summary_embed,
)
from bot.serving.messages import looks_like_question, strip_discord_markup
from index import YES_NO, ReindexReport
from index.corpus import Corpus, NoArticlesError
from index.engine import YES_NO_HINT, Engine
from index.records import STANDFIRST, Answer, Citation, LoadProblem
from index.summarize import Summary


def assert_within_limits(embed: discord.Embed) -> None:
    assert len(embed.title or "") <= TITLE_LIMIT
    assert len(embed.description or "") <= DESCRIPTION_LIMIT
    assert len(embed.fields) <= FIELD_COUNT_LIMIT
    assert all(len(f.value or "") <= FIELD_VALUE_LIMIT for f in embed.fields)
    assert len(embed) <= TOTAL_LIMIT


def citation(n: int, text: str, title: str = "Troops", paragraph: int = 2) -> Citation:
    return Citation(n, "a1", title, paragraph, f"s{n}", text, 1.0 / n)


def answer(found: bool = True, short: str | None = "more than 3,000", **kw: object) -> Answer:
    base = Answer(
        question="how many troops were sent to Russia?",
        found=found,
        answer=short if found else None,
        answer_type="number",
        confidence=0.9,
        citations=(citation(1, "More than 3,000 troops were deployed."),),
        answer_citation=1 if found else None,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def test_an_answer_from_the_publishers_summary_is_cited_to_it() -> None:
    quote = citation(1, "Residents went 19 days without water.", paragraph=STANDFIRST)
    embed = answer_embed(answer(short="19 days", citations=(quote,)))

    assert (embed.description or "").endswith("> — Troops, the summary paragraph")
    assert asked_in(embed) == ("how many troops were sent to Russia?", "Troops")


def test_answer_embed_has_short_answer_title_and_numbered_quoted_citations() -> None:
    embed = answer_embed(answer())

    assert embed.title == "more than 3,000"
    assert embed.description == (
        "> **[1]** “More than 3,000 troops were deployed.”\n> — Troops, paragraph 2"
    )
    assert "Answer from [1]" in (embed.footer.text or "")


def test_refusal_says_the_articles_dont_say_and_shows_the_lead() -> None:
    embed = answer_embed(answer(found=False))

    assert embed.title == NO_ANSWER_TITLE
    assert "closest lead" in (embed.description or "")
    assert "**[1]**" in (embed.description or "")


def test_a_yes_no_question_shows_the_closest_passages_not_a_refusal() -> None:
    embed = answer_embed(answer(found=False, answer_type=YES_NO, hint=YES_NO_HINT))

    assert embed.title == PASSAGES_TITLE
    assert (embed.description or "").startswith(YES_NO_HINT)
    assert "**[1]**" in (embed.description or "")


def test_refusal_without_any_passage() -> None:
    embed = answer_embed(answer(found=False, citations=()))

    assert embed.title == NO_ANSWER_TITLE
    assert "/articles" in (embed.description or "")


def test_huge_answer_stays_within_every_limit() -> None:
    huge = answer(
        short="9" * 5000,
        citations=tuple(citation(n, "**bold** _x_ " * 900, "T" * 3000, n) for n in range(1, 6)),
    )

    embed = answer_embed(huge)

    assert_within_limits(embed)
    assert (embed.title or "").endswith("…")
    assert all(f"**[{n}]**" in (embed.description or "") for n in range(1, 6))


def test_article_text_is_escaped_and_cannot_mention() -> None:
    text = "Say **hi** to @everyone and <@&123456789012345678> in `code` ~~now~~"
    embed = answer_embed(answer(short="@here **x**", citations=(citation(1, text),)))

    description = embed.description or ""
    assert r"\*\*hi\*\*" in description and r"\`code\`" in description
    assert "@everyone" not in description and "@\u200beveryone" in description
    assert "<@&123456789012345678>" not in description
    assert embed.title == "@\u200bhere \\*\\*x\\*\\*"


def test_clip_never_leaves_a_lone_escape_before_the_ellipsis() -> None:
    assert clip("abcdef", 10) == "abcdef"
    assert clip("abcdef", 4) == "abc…"
    assert clip("ab\\*cd", 4) == "ab…"
    assert clip("a\\\\*cd", 4) == "a\\\\…"


def test_fit_drops_fields_to_stay_under_the_total() -> None:
    embed = discord.Embed(title="t" * 300, description="d" * 5000)
    for n in range(40):
        embed.add_field(name=f"f{n}", value="v" * 2000)

    assert_within_limits(fit(embed))


def test_articles_embed_of_many_long_titles_stays_within_limits(seed_engine: Engine) -> None:
    article = seed_engine.corpus.articles[0]
    many = tuple(replace(article, id=f"a{n}", title="Long title " * 60) for n in range(300))
    corpus = Corpus(many, (), seed_engine.corpus.index, problems=(LoadProblem("x.txt", "bad"),))

    embed = articles_embed(corpus, page=30)

    assert_within_limits(embed)
    assert "Page 30 of 30" in (embed.footer.text or "")
    assert "x.txt" in embed.fields[0].value


def test_articles_embed_shows_where_each_article_came_from_and_when_it_was_added(
    seed_engine: Engine,
) -> None:
    seed = seed_engine.corpus.articles[0]
    long_link = "https://news.example/" + "section/" * 12 + "story"
    link, odd = "https://news.example/story", "https://news.example/a_(b)"
    sources = [long_link, odd, "file: page.html", "pasted", "", link, *["pasted"] * 4]
    many = tuple(
        replace(
            seed,
            id=f"a{n}",
            title="Long title " * 60,
            source=source,
            added_at="2026-12-03T09:15:00+00:00" if n % 2 else "",
        )
        for n, source in enumerate(sources)
    )
    corpus = Corpus(many, (), seed_engine.corpus.index, problems=(LoadProblem("x.txt", "bad"),))

    embed = articles_embed(corpus, page=1)

    assert_within_limits(embed)
    text = embed.description or ""
    assert all(f"**{n}.**" in text for n in range(1, 11))  # no entry clipped away
    assert f"[news.example]({link})" in text
    assert "](https://news.example/section/" not in text  # too long for a masked link
    assert f"]({odd})" not in text  # a bracket would end the masked link early
    assert "pasted · added <t:1796289300:d>" in text  # a Discord date, in the reader's zone
    assert "file: page.html · added —" in text and "\n— · added —" in text  # unknown


def test_reindex_embed_with_hundreds_of_titles_stays_within_limits(seed_engine: Engine) -> None:
    report = ReindexReport(
        corpus=seed_engine.corpus,
        added=tuple(f"Article number {n} " * 10 for n in range(500)),
        changed=("One changed",),
        removed=(),
        unchanged=0,
        sentences=23,
        chunks=21,
        seconds=0.25,
        problems=tuple(LoadProblem(f"bad{n}.txt", "not UTF-8") for n in range(200)),
    )

    embed = reindex_embed(report)

    assert_within_limits(embed)
    names = [f.name for f in embed.fields]
    assert "Added (500)" in names and "Changed (1)" in names
    assert not any(name.startswith("Removed") for name in names)
    assert "more" in embed.fields[0].value


def test_failed_reindex_lists_problems_by_file(seed_engine: Engine) -> None:
    error = NoArticlesError("no usable articles in seeds: a.txt: empty; b.md: not UTF-8")

    embed = reindex_failed_embed(error, seed_engine.corpus)

    value = embed.fields[0].value or ""
    assert "• a.txt: empty" in value and "• b.md: not UTF-8" in value
    assert "previous index (1 article" in (embed.description or "")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<@123> how many troops?", "how many troops?"),
        ("<@!123> <@&456> who? <#789>", "who?"),
        ("@everyone @here when was it?", "when was it?"),
        ("**how** _many_ ~~troops~~ `were` ||sent||?", "how many troops were sent?"),
        ("> quoted question?", "quoted question?"),
        ("[the link](https://example.com) said what?", "the link said what?"),
        ("what about file_name and snake_case?", "what about file_name and snake_case?"),
        ("<:pepe:123> <a:dance:456> </ask:99> <t:1700000000:R> why", "why"),
        ("   ", ""),
    ],
)
def test_strip_discord_markup(raw: str, clean: str) -> None:
    assert strip_discord_markup(raw) == clean


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("how many troops were sent to Russia", True),
        ("Did Kim visit Moscow", True),
        ("the troops, were they sent?", True),
        ("thanks all", False),
        ("lol", False),
        ("?", False),
    ],
)
def test_looks_like_question(text: str, expected: bool) -> None:
    assert looks_like_question(text) is expected


PRICE = "In the US it is expected to cost $250."
PHONE = "The Pixel 9a goes on sale in April."


def test_a_citation_that_leans_on_the_sentence_before_shows_that_sentence() -> None:
    leaning = replace(citation(1, PRICE), context=PHONE)
    answer = Answer("how much does it cost?", True, "$250", "number", 0.9, (leaning,))

    assert f"> *after* “{PHONE}”\n" in (answer_embed(answer).description or "")


def test_a_leaning_citation_whose_sentence_before_is_cited_too_names_its_number() -> None:
    cited = (citation(1, PHONE), replace(citation(2, PRICE), context=PHONE))
    answer = Answer("how much does it cost?", True, "$250", "number", 0.9, cited)

    assert "> *after* [1]\n" in (answer_embed(answer).description or "")


def test_an_answer_read_with_a_slip_says_so_in_one_line() -> None:
    answer = Answer("how many troopps?", True, "3,000", "number", 0.9, (citation(1, "3,000"),))
    answer = replace(answer, respelled=(("troopps", "troops"),))

    assert (answer_embed(answer).description or "").startswith("*Read “troopps” as “troops”.*\n")


def test_a_summary_in_doubt_says_so_before_its_sentences(doubtful_summary: Summary) -> None:
    description = str(summary_embed(doubtful_summary).description)

    assert description.startswith("*“Storm hits Braga” may say nothing about")
    assert description.index("may say nothing") < description.index("**1.**")
