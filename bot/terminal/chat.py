"""``articlebot chat``: the terminal chat over the engine.

Lines that are chat commands (``help``, ``articles``, ``summary``, ``quit``)
are handled here and never reach the engine, which would otherwise answer
"help" as a question about the articles. The same loop serves a terminal
(prompt, line editing and history through the stdlib ``readline``) and piped
input (no prompt, each question echoed, ``quit`` ends it as end of input does).
With ``--json`` every line but ``quit`` is a question and each gets one JSON
object on one line (``ask --json``'s keys), for scripts and checks. One chat is
one conversation: a follow-up ("and how many died?") is read with the question
before it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.terminal import render
from bot.terminal.chat_commands import command_meant
from bot.terminal.options import (
    CliError,
    choose_article,
    missing_article,
    open_engine,
)
from bot.terminal.question_log import TerminalAnswers, answering

if TYPE_CHECKING:
    from index import Article

QUIT = frozenset({"quit", "exit", ":q", "/quit", "/exit", "bye", "goodbye"})  # "bye" leaves too
HELP = frozenset({"help", "?", "/help", "commands"})
PROMPT = "you> "


def run_chat(args: argparse.Namespace) -> int:
    engine = open_engine(args)
    as_json = getattr(args, "json", False)
    interactive = sys.stdin.isatty() and not as_json
    if interactive:
        _enable_line_editing()
        print(render.welcome(engine.corpus))
    with answering(args, engine) as answers:
        chat = Chat(answers, ids=args.ids, echo=not interactive, as_json=as_json)
        for line in _lines(interactive):
            if not chat.handle(line):
                break
    return 0


def _asks_for_an_account(line: str) -> bool:
    """ "summarise the drones" asks for what the article says on them: not a command misspelt."""
    from index import account_subject

    return account_subject(line) is not None


def _enable_line_editing() -> None:
    """Arrow keys edit the line and recall earlier ones (``input`` uses readline once imported)."""
    with contextlib.suppress(ImportError):  # absent on some platforms; input() still works
        import readline  # noqa: F401


def _lines(interactive: bool) -> Iterator[str]:
    """Input lines until end of input; on a terminal, Ctrl-D leaves the shell prompt on a new line."""
    while True:
        try:
            yield input(PROMPT if interactive else "")
        except EOFError:
            if interactive:
                print()
            return


class Chat:
    """One chat session: routes each line to a command or to the engine and prints the reply."""

    def __init__(
        self, answers: TerminalAnswers, *, ids: bool, echo: bool, as_json: bool = False
    ) -> None:
        self.answers = answers
        self.engine = answers.service.engine
        self.ids = ids
        self.echo = echo  # piped input: show each question above its answer
        self.as_json = as_json  # one question a line in, one JSON object a line out
        self.choosing = False  # the articles were just offered: a bare number picks one

    def handle(self, line: str) -> bool:
        """Reply to one line; False when the user asked to leave."""
        text = line.strip()
        if self.as_json:
            return text.lower() not in QUIT and (not text or self._json(text))
        meant = command_meant(text)
        if meant is not None and meant.sure:
            text = meant.command  # "show me the articles" is `articles`
        word, _, rest = text.partition(" ")
        command = word.lower()
        if not text:
            return True
        if command.rstrip("!.") in QUIT and not rest:  # "exit polls showed what?" is a question
            return False
        choosing, self.choosing = self.choosing, False
        if choosing and text.isdigit():  # "2" after "Which article?": `summary 2`
            command, rest = "summary", text
        if command in HELP and not rest:
            print(render.CHAT_HELP)
        elif command in {"articles", "/articles"} and not rest:
            print(render.articles_text(self.engine.corpus))
        elif command in {"summary", "/summary"}:
            self._summary(rest.strip())
        elif meant is not None and meant.command != "summary" and not _asks_for_an_account(text):
            print(f"Did you mean `{meant.command}`? Type it alone, or ask a question.")
        elif self._ask_each(text) == "bye":  # "see you later", "good night": leaving, as "bye" does
            return False
        print()
        return True

    def _ask_each(self, line: str) -> str | None:
        """Each question of ``line`` answered in turn ("when was it founded? where?"); the
        last reply's kind."""
        from bot.serving.messages import questions_in

        kind = None
        for question in questions_in(line):
            kind = self._ask(question)
        return kind

    def _ask(self, line: str) -> str | None:
        """Answer a question, or reply to a line with nothing to search (:meth:`Engine.gist`)
        with the summary, a choice of articles, how to ask or small talk; the reply's kind."""
        from bot.serving.answering import QuestionRefused
        from index import QuestionError

        try:
            reply = self.answers.ask(line)
        except (QuestionRefused, QuestionError) as exc:
            print(f"articlebot: {exc}")
            return None
        if self.echo:
            print(f"Q: {reply.question}")
        print(render.reply_text(reply, self.engine.corpus, ids=self.ids))
        self.choosing = reply.kind == "choose"
        return reply.kind

    def _json(self, question: str) -> bool:
        """One JSON line for ``question``: the reply's, or the reason it was turned away."""
        from bot.serving.answering import QuestionRefused
        from index import QuestionError

        try:
            out = render.reply_json(self.answers.ask(question))
        except (QuestionRefused, QuestionError) as exc:
            out = {"question": question, "found": False, "answer": None, "error": str(exc)}
            out["read_as"] = None
        print(json.dumps(out, ensure_ascii=False), flush=True)
        return True

    def _summary(self, rest: str) -> None:
        from index import SummaryError, summary_for

        try:
            known = {a.id: a for a in self.engine.corpus.articles}
            talked_of = None if rest else self.answers.talked_of()  # "summary" mid-chat: that one
            article, topic = (
                (known[talked_of], None) if talked_of in known else self.summary_target(rest)
            )
            summary = summary_for(article, topic)
            print(render.summary_text(summary, ids=self.ids))
            self.answers.remember_summary(summary)
        except (CliError, SummaryError) as exc:
            print(f"articlebot: {exc}")

    def summary_target(self, rest: str) -> tuple[Article, str | None]:
        """The article and topic of ``summary [ARTICLE] [TOPIC]``.

        A leading number picks that article of ``articles`` (``summary 2 drones``); names are
        read as everywhere (:func:`index.article_choice.find_article`).
        Otherwise, with one article everything after ``summary`` is the topic;
        with several, the longest run of leading words that names an article
        picks it and the remaining words are the topic, and when none does the
        numbered list is offered, saying first when a number is past the last.
        """
        from index import AmbiguousArticle, find_article

        articles = self.engine.corpus.articles
        words = rest.split()
        numbered = find_article(articles, words[0]) if words[:1] and words[0].isdigit() else None
        if numbered is not None:
            return numbered, " ".join(words[1:]) or None
        if len(articles) == 1:
            return articles[0], rest or None
        for cut in range(len(words), 0, -1):
            try:
                article = find_article(articles, " ".join(words[:cut]))
            except AmbiguousArticle as exc:  # "summary inv": which is not guessed
                raise CliError(str(exc)) from exc
            if article is not None:
                return article, " ".join(words[cut:]) or None
        if words[:1] and words[0].isdigit():
            raise CliError(missing_article(self.engine, words[0], "'summary 2'"))
        raise CliError(choose_article(self.engine, " ".join(["'summary 2", *words]) + "'"))
