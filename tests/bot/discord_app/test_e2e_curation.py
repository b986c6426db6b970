"""End to end: ``/article add`` (a file, a link, the pasted-text modal) and ``/article remove``.

The real bot against the fake Discord, over a writable copy of the seeds and a real
SQLite question log. Links are served by a local HTTP server on 127.0.0.1, which the
bot may fetch only with ``ARTICLEBOT_ALLOW_PRIVATE_URLS=1``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.discord_app.client import ArticleBot
from index import ReindexReport
from index.corpus import Corpus
from tests.bot.discord_app.test_e2e_bot import (
    NEW_ARTICLE,
    NEW_ARTICLE_ANSWER,
    NEW_ARTICLE_NAME,
    NEW_ARTICLE_QUESTION,
    NEW_ARTICLE_TITLE,
    StartBot,
    answer_of,
    articlebot,
    normalise,
    refused,
    start_bot,
)
from tests.bot.fake_discord import ClientRefused, FakeDiscord, PostedMessage

pytest_plugins = ["tests.bot.conftest_e2e"]
__all__ = ["articlebot", "start_bot"]  # fixtures shared with the bot's e2e tests

COST_SENTENCE = "The restoration cost 4.2 million dollars"
PAGE_TITLE = "Glacier Rail Line Carries First Passengers Through New Tunnel"
PAGE_QUESTION = "how long is the new tunnel?"
PAGE_ANSWER = "14 kilometres"
NEWS_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{PAGE_TITLE} | Valley Courier</title>
<meta name="description" content="The tunnel shortens the trip to the coast by an hour.">
</head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all?</div>
<article>
<h1>{PAGE_TITLE}</h1>
<p>The first passenger train ran through the new Glacier Pass tunnel on Monday morning, \
carrying 340 passengers from Brenner Falls to the coast.</p>
<p>The tunnel is 14 kilometres long and took six years to build. Engineers bored through \
granite under the glacier from both ends and met in the middle in March.</p>
<p>The regional rail authority said the line shortens the trip to the coast by an hour. \
Tickets cost the same as on the old mountain route, and four trains a day will run.</p>
</article>
<section class="comments"><h2>Comments</h2>
<p>Reader42: The tunnel is really 90 kilometres long, they are lying to us.</p></section>
<footer>© Valley Courier. Share on social media.</footer>
</body></html>
"""


@pytest.fixture
async def news_site() -> AsyncIterator[str]:
    """A news page at ``<base>/tunnel`` on 127.0.0.1; yields the base URL."""
    app = web.Application()

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=NEWS_PAGE, content_type="text/html")

    app.router.add_get("/tunnel", page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def add_file(
    fake: FakeDiscord, name: str = NEW_ARTICLE_NAME, text: str = NEW_ARTICLE
) -> PostedMessage:
    upload = fake.upload(name, text.encode())
    return await answer_of(fake, await fake.slash("article add", user=fake.admin, file=upload))


async def ask(fake: FakeDiscord, question: str) -> str:
    after = len(fake.posted)
    await fake.send_message(question, mention_bot=True)
    reply = await fake.wait_for_message(fake.channel_id, after=after)
    return normalise(reply.text())


def events(tmp_path: Path) -> list[tuple[str, str, str, str]]:
    conn = sqlite3.connect(tmp_path / "articlebot.sqlite3")
    try:
        return conn.execute(
            "SELECT origin, action, title, user_hash FROM article_events ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


# -- adding -------------------------------------------------------------------------------


async def test_e2e_article_add_from_an_attachment_answers_from_it_at_once(
    fake_discord: FakeDiscord, articlebot: ArticleBot, seeds_copy: Path, tmp_path: Path
) -> None:
    assert refused(await ask(fake_discord, NEW_ARTICLE_QUESTION))
    reply = await add_file(fake_discord)
    text = normalise(reply.text())
    assert reply.ephemeral
    assert f"Added “{NEW_ARTICLE_TITLE}”" in text and "sentences" in text
    assert "Portland Harbor lighthouse reopened" in text  # the first sentence
    assert len(articlebot.engine.corpus.articles) == 2
    assert any(p.suffix for p in seeds_copy.iterdir() if NEW_ARTICLE_TITLE in p.read_text())

    answer = await ask(fake_discord, NEW_ARTICLE_QUESTION)
    assert NEW_ARTICLE_ANSWER in answer and COST_SENTENCE in answer
    ((origin, action, title, user_hash),) = events(tmp_path)
    assert (origin, action, title) == ("discord", "add", NEW_ARTICLE_TITLE)
    assert str(fake_discord.admin.id) not in user_hash and len(user_hash) == 32


async def test_e2e_article_add_from_a_link_cites_the_body_not_the_comments(
    fake_discord: FakeDiscord,
    start_bot: StartBot,
    news_site: str,
) -> None:
    await start_bot(ARTICLEBOT_ALLOW_PRIVATE_URLS="1")
    record = await fake_discord.slash(
        "article add", user=fake_discord.admin, url=f"{news_site}/tunnel"
    )
    text = normalise((await answer_of(fake_discord, record)).text())
    assert f"Added “{PAGE_TITLE}”" in text, text

    answer = await ask(fake_discord, PAGE_QUESTION)
    assert PAGE_ANSWER in answer and "14 kilometres long and took six years" in answer
    assert "90 kilometres" not in answer and "Reader42" not in answer


async def test_e2e_article_add_of_a_private_link_is_refused_naming_the_setting(
    fake_discord: FakeDiscord,
    articlebot: ArticleBot,
    news_site: str,
) -> None:
    before = articlebot.engine.corpus
    record = await fake_discord.slash(
        "article add", user=fake_discord.admin, url=f"{news_site}/tunnel"
    )
    refusal = await answer_of(fake_discord, record)
    assert refusal.ephemeral and "ARTICLEBOT_ALLOW_PRIVATE_URLS=1" in refusal.text()
    assert len(refusal.text().splitlines()) == 1
    assert articlebot.engine.corpus is before


async def test_e2e_article_add_without_options_opens_a_modal_for_pasted_text(
    fake_discord: FakeDiscord, articlebot: ArticleBot
) -> None:
    record = await fake_discord.slash("article add", user=fake_discord.admin)
    await fake_discord.wait_for_interaction_response(record)
    modal = record.modal
    assert modal is not None and modal["title"] == "Add an article"
    inputs = [item["component"] for item in modal["components"]]
    assert [i["style"] for i in inputs] == [1, 2] and inputs[1]["max_length"] == 4000

    body = NEW_ARTICLE.split("\n", 2)[2].strip()
    submitted = await fake_discord.submit_modal(record, {"Title": NEW_ARTICLE_TITLE, "Text": body})
    reply = await answer_of(fake_discord, submitted)
    assert reply.ephemeral and f"Added “{NEW_ARTICLE_TITLE}”" in normalise(reply.text())

    slash = await answer_of(
        fake_discord, await fake_discord.slash("ask", question=NEW_ARTICLE_QUESTION)
    )
    assert NEW_ARTICLE_ANSWER in normalise(slash.text())
    with pytest.raises(ClientRefused, match="required"):  # the client sends no empty title
        await fake_discord.submit_modal(record, {"Text": body})


async def test_e2e_article_add_of_the_same_text_again_says_already_indexed(
    fake_discord: FakeDiscord, articlebot: ArticleBot, tmp_path: Path
) -> None:
    await add_file(fake_discord)
    again = await add_file(fake_discord, name="copy.txt")
    assert again.ephemeral and "already indexed as" in normalise(again.text()).casefold()
    assert len(articlebot.engine.corpus.articles) == 2
    assert [e[1] for e in events(tmp_path)] == ["add"]


async def test_e2e_article_add_refuses_a_wrong_or_huge_file_before_downloading_it(
    fake_discord: FakeDiscord, articlebot: ArticleBot
) -> None:
    pdf = await add_file(fake_discord, name="scan.pdf", text="%PDF-1.4")
    assert pdf.ephemeral and "not an article file" in pdf.text()
    huge = await add_file(fake_discord, name="huge.txt", text="word " * 1_100_000)
    assert huge.ephemeral and "MB" in huge.text()
    assert not fake_discord.requests_to("/attachments/")
    assert len(articlebot.engine.corpus.articles) == 1


async def test_e2e_article_add_by_a_member_is_refused(
    fake_discord: FakeDiscord, articlebot: ArticleBot, seeds_copy: Path
) -> None:
    files = sorted(seeds_copy.iterdir())
    upload = fake_discord.upload(NEW_ARTICLE_NAME, NEW_ARTICLE.encode())
    with pytest.raises(ClientRefused, match="hidden"):
        await fake_discord.slash("article add", user=fake_discord.member, file=upload)
    fake_discord.allow_command("article", fake_discord.member)  # shown; the bot still checks
    record = await fake_discord.slash("article add", user=fake_discord.member, file=upload)
    refusal = await answer_of(fake_discord, record)
    assert refusal.ephemeral and "Manage Server" in refusal.text()
    assert sorted(seeds_copy.iterdir()) == files
    assert len(articlebot.engine.corpus.articles) == 1


async def test_e2e_article_add_whose_rebuild_fails_changes_nothing(
    fake_discord: FakeDiscord, start_bot: StartBot, seeds_copy: Path
) -> None:
    def broken(folder: Path, previous: Corpus) -> ReindexReport:
        raise OSError("disk full")

    bot = await start_bot(rebuild=broken)
    before, files = bot.engine.corpus, sorted(seeds_copy.iterdir())
    reply = await add_file(fake_discord)
    assert reply.ephemeral and "Added" not in reply.text()
    assert bot.engine.corpus is before and sorted(seeds_copy.iterdir()) == files


async def test_e2e_article_add_while_the_library_changes_is_refused(
    fake_discord: FakeDiscord, articlebot: ArticleBot
) -> None:
    async with articlebot.reindex_lock:  # a /reindex under way
        busy = await add_file(fake_discord)
    assert busy.ephemeral and "being changed" in busy.text()


async def test_e2e_article_add_during_a_reindex_in_another_process_is_refused_first(
    fake_discord: FakeDiscord, articlebot: ArticleBot, seeds_copy: Path
) -> None:
    files = sorted(seeds_copy.iterdir())
    articlebot.reindex_elsewhere = lambda: True  # what a sharded bot's probe says then
    busy = await add_file(fake_discord)
    assert busy.ephemeral and "being changed" in busy.text()
    assert sorted(seeds_copy.iterdir()) == files and not fake_discord.requests_to("/attachments/")


async def test_e2e_article_add_with_both_a_link_and_a_file_is_refused(
    fake_discord: FakeDiscord, articlebot: ArticleBot
) -> None:
    upload = fake_discord.upload(NEW_ARTICLE_NAME, NEW_ARTICLE.encode())
    record = await fake_discord.slash(
        "article add", user=fake_discord.admin, url="https://news.example/a", file=upload
    )
    refusal = await answer_of(fake_discord, record)
    assert refusal.ephemeral and "not both" in refusal.text()


# -- removing, listing, counting ------------------------------------------------------------


async def test_e2e_article_remove_moves_the_file_aside_and_stops_citing_it(
    fake_discord: FakeDiscord, articlebot: ArticleBot, seeds_copy: Path, tmp_path: Path
) -> None:
    await add_file(fake_discord)
    typed = await fake_discord.autocomplete(
        "article remove", "article", user=fake_discord.admin, article="portland"
    )
    await fake_discord.wait_for_interaction_response(typed)
    assert typed.choices and typed.choices[0]["name"] == NEW_ARTICLE_TITLE

    record = await fake_discord.slash(
        "article remove", user=fake_discord.admin, article=typed.choices[0]["value"]
    )
    reply = await answer_of(fake_discord, record)
    assert reply.ephemeral and NEW_ARTICLE_TITLE in normalise(reply.text())
    assert len(articlebot.engine.corpus.articles) == 1
    assert [p.name for p in (seeds_copy / "removed").iterdir()]
    assert refused(await ask(fake_discord, NEW_ARTICLE_QUESTION))
    assert [e[1] for e in events(tmp_path)] == ["add", "remove"]


async def test_e2e_articles_shows_source_and_when_added_and_stats_count_the_changes(
    fake_discord: FakeDiscord, articlebot: ArticleBot
) -> None:
    await add_file(fake_discord)
    listing = normalise(
        (await answer_of(fake_discord, await fake_discord.slash("articles"))).text()
    )
    assert f"file: {NEW_ARTICLE_NAME}" in listing and "added <t:" in listing
    assert "added —" in listing  # the seed article has no Added: line

    await answer_of(
        fake_discord,
        await fake_discord.slash(
            "article remove", user=fake_discord.admin, article=NEW_ARTICLE_TITLE
        ),
    )
    stats = await answer_of(
        fake_discord, await fake_discord.slash("stats", user=fake_discord.admin)
    )
    assert "Articles: **1** added · **1** removed" in stats.text()
