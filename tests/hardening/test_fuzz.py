"""Property-based tests (hypothesis): loading, asking and every embed the bot builds.

* Any bytes as an article file load, or are reported by the file's name; nothing raises.
* Any string as a question gives a well-formed :class:`Answer` or a :class:`QuestionError`.
* Every embed built from any answer, summary, reindex report, failure, article
  list or paragraph stays within Discord's limits, and so does every plain
  message text the bot builds from user input.

Example counts are kept small so the suite stays fast; the hostile-input
tests cover the known nasty cases deterministically.
"""

from __future__ import annotations

import json
import math
import string
import tempfile
from dataclasses import replace
from pathlib import Path

import discord
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.discord_app.client import APOLOGY, user_message
from bot.discord_app.embeds import (
    answer_embed,
    articles_embed,
    reindex_embed,
    reindex_failed_embed,
    summary_embed,
)
from bot.discord_app.errors import ArticleNotFound
from bot.discord_app.feedback import paragraph_text
from bot.discord_app.replies import article_choices
from bot.serving.answering import QuestionTooLong
from bot.serving.messages import strip_discord_markup
from index import ReindexReport, build_corpus
from index.corpus import NoArticlesError
from index.engine import Engine
from index.loader import ArticleError, load_folder, parse_article
from index.question_input import QuestionError
from index.records import Answer, Citation, LoadProblem, Sentence
from index.summarize import Summary
from tests.bot.fake_discord import validate_message_body

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text with the characters that break things: markup, mentions, escapes, control and odd Unicode.
NASTY = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("*_~`|>#-\\@<>&[]()\n\t\u200b\u202e")),
        st.sampled_from(
            ["@everyone", "@here", "<@&1>", "<@!2>", "```", "||", "how many ", "troops "]
        ),
    ),
    max_size=80,
).map("".join)
LONG = st.one_of(NASTY, st.text(min_size=1000, max_size=12_000), st.just("\\" * 5000))
MEDIUM = st.one_of(NASTY, st.text(min_size=250, max_size=400))
WORDS = st.text(alphabet=string.ascii_letters + " .,'’\"-", min_size=1, max_size=200)


def check_embed(embed: discord.Embed) -> None:
    data = embed.to_dict()
    assert len(data.get("title", "")) <= 256
    assert len(data.get("description", "")) <= 4096
    fields = data.get("fields", [])
    assert len(fields) <= 25
    for f in fields:
        assert 0 < len(f["name"]) <= 256 and 0 < len(f["value"]) <= 1024
    assert len(data.get("footer", {}).get("text", "")) <= 2048
    assert len(data.get("author", {}).get("name", "")) <= 256
    assert len(embed) <= 6000
    validate_message_body({"embeds": [data]})  # the fake Discord's 400 rules
    json.dumps(data)


# -- loading ---------------------------------------------------------------------------


@FAST
@given(
    raw=st.one_of(st.binary(max_size=3000), NASTY.map(lambda t: t.encode("utf-8", "surrogatepass")))
)
def test_fuzz_any_bytes_parse_or_article_error(raw: bytes) -> None:
    try:
        article = parse_article(raw, name="fuzz.txt")
    except ArticleError as exc:
        assert str(exc)
        return
    assert article.title and article.sentence_count > 0
    assert all(s.text for s in article.sentences)


@SLOW
@given(raw=st.binary(max_size=2000), name=st.sampled_from(["a.txt", "b.md", "weird name ✓.txt"]))
def test_fuzz_any_file_in_a_folder_loads_or_is_reported_by_name(raw: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_bytes(raw)
        result = load_folder(folder)
    assert len(result.articles) + len(result.problems) == 1
    if result.problems:
        assert result.problems[0].path == name and result.problems[0].reason


# -- asking ----------------------------------------------------------------------------


def check_answer(answer: Answer, question: str) -> None:
    assert answer.question and len(answer.question) <= len(question)
    assert isinstance(answer.found, bool)
    assert (answer.answer is not None) == answer.found
    if answer.found:
        assert answer.answer and answer.answer.strip()
        assert answer.answer_citation in {c.n for c in answer.citations}
    assert 0.0 <= answer.confidence <= 1.0 and math.isfinite(answer.confidence)
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert len(answer.citations) <= 3
    json.dumps(answer.to_json())


@FAST
@given(question=st.one_of(NASTY, st.text(max_size=1200)))
def test_fuzz_any_question_gives_an_answer_or_question_error(
    question: str, seed_engine: Engine
) -> None:
    try:
        answer = seed_engine.ask(question)
    except QuestionError as exc:
        assert str(exc)
        return
    check_answer(answer, question)
    check_embed(answer_embed(answer))


@FAST
@given(question=NASTY)
def test_fuzz_any_message_through_the_markup_stripper_is_answerable_or_refused(
    question: str, seed_engine: Engine
) -> None:
    text = strip_discord_markup(question)
    try:
        answer = seed_engine.ask(text)
    except QuestionError:
        return
    check_answer(answer, text)


# -- embeds ----------------------------------------------------------------------------

citations = st.builds(
    Citation,
    n=st.integers(1, 3),
    article_id=st.text(max_size=50),
    article_title=LONG,
    paragraph=st.integers(0, 10**6),
    sentence_id=st.text(max_size=50),
    text=LONG,
    score=st.floats(allow_nan=True, allow_infinity=True),
)


@st.composite
def answers(draw: st.DrawFn) -> Answer:
    cites = draw(st.lists(citations, max_size=3))
    cites = [
        Citation(
            i + 1,
            *(
                getattr(c, f)
                for f in (
                    "article_id",
                    "article_title",
                    "paragraph",
                    "sentence_id",
                    "text",
                    "score",
                )
            ),
        )
        for i, c in enumerate(cites)
    ]
    found = draw(st.booleans())
    return Answer(
        question=draw(LONG),
        found=found,
        answer=draw(LONG) if found else None,
        answer_type=draw(st.sampled_from(["number", "person", "date", "other"])),
        confidence=draw(st.floats(0, 1)),
        citations=tuple(cites),
        answer_citation=draw(st.sampled_from([None, *range(1, len(cites) + 1)])),
    )


@FAST
@given(answer=answers())
def test_fuzz_answer_embed_within_discord_limits(answer: Answer) -> None:
    check_embed(answer_embed(answer))


def sentence(text: str, n: int) -> Sentence:
    return Sentence(f"a#s{n}", "a", n + 1, n, text, 0, len(text))


@FAST
@given(
    title=LONG,
    topic=st.one_of(st.none(), LONG),
    texts=st.lists(LONG, max_size=10),
    found=st.booleans(),
    unsure=st.booleans(),
)
def test_fuzz_summary_embed_within_discord_limits(
    title: str, topic: str | None, texts: list[str], found: bool, unsure: bool
) -> None:
    sentences = tuple(sentence(t, i) for i, t in enumerate(texts))
    message = title if unsure else ""  # a message as long as the title: it quotes it
    summary = Summary(
        "a", title, sentences, topic=topic, found=found, message=message, unsure=unsure
    )
    check_embed(summary_embed(summary))


@st.composite
def corpora(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    count = draw(st.integers(1, 12))
    articles = []
    for i in range(count):
        title = draw(WORDS).strip() or "t"
        body = f"{title}\n\nThe {i} article says something useful here. It has a second sentence.\n"
        articles.append(
            parse_article(
                body.encode(), name=f"{i}-{draw(st.text(string.ascii_lowercase, max_size=5))}.txt"
            )
        )
    unique = list({a.id: a for a in articles}.values())
    problems = [LoadProblem(draw(NASTY), draw(MEDIUM)) for _ in range(draw(st.integers(0, 30)))]
    return replace(build_corpus(unique).corpus, problems=tuple(problems))


@SLOW
@given(corpus=corpora(), page=st.integers(-5, 10), names=st.lists(MEDIUM, max_size=40))
def test_fuzz_article_list_and_reindex_embeds_within_discord_limits(
    corpus, page: int, names: list[str]
) -> None:  # type: ignore[no-untyped-def]
    check_embed(articles_embed(corpus, page))
    report = ReindexReport(
        corpus=corpus,
        added=tuple(names),
        changed=tuple(reversed(names)),
        removed=tuple(names[:5]),
        unchanged=0,
        sentences=corpus.sentence_count,
        chunks=len(corpus.chunks),
        seconds=1.5,
        problems=corpus.problems,
    )
    check_embed(reindex_embed(report))
    failure = NoArticlesError("no usable articles in seeds: " + "; ".join(names))
    check_embed(reindex_failed_embed(failure, corpus))
    for choice in article_choices(corpus.articles, names[0] if names else ""):
        assert 1 <= len(choice.name) <= 100 and 1 <= len(choice.value) <= 100


@FAST
@given(text=LONG, cut=st.tuples(st.integers(0, 12_000), st.integers(0, 12_000)))
def test_fuzz_show_paragraph_text_within_description_limit(text: str, cut: tuple[int, int]) -> None:
    start, end = sorted(cut)
    assert len(paragraph_text(text, min(start, len(text)), min(end, len(text)))) <= 4096


@FAST
@given(question=LONG, length=st.integers(0, 10**7), limit=st.integers(1, 10**6))
def test_fuzz_plain_message_texts_within_content_limit(
    question: str, length: int, limit: int
) -> None:
    for error in (
        QuestionTooLong(length, limit),
        ArticleNotFound(question),
        QuestionError(f"the question is {length:,} characters long"),
    ):
        reply = user_message(error) or APOLOGY
        assert 0 < len(reply) <= 2000
