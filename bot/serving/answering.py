"""The answering service: a question from a person in a place, checked, decided and logged once.

Both front ends take this one path. Discord's cogs and the terminal only parse
what was typed, call :meth:`AnsweringService.admit` and
:meth:`AnsweringService.reply`, and render the :class:`Reply`:

1. **admit**: the place's settings are read once (:meth:`settings`, with the
   store's cache and, when the database is slow or down, the settings last
   read), the question is checked and cleaned once (its length, then
   :meth:`index.Engine.check`), and the server's cooldown is applied;
2. **reply**: a line with nothing to search gets its gist (a greeting, the
   summary, the choice of articles); a question is answered by the engine
   with the place's refusal threshold as a call parameter, so the engine
   decides once; the answer is logged for feedback and ``/stats``.

A question turned away says why in :class:`QuestionRefused`'s message, which
the front end shows as it is. A follow-up is read with its conversation's last
turn (:mod:`bot.serving.conversations`, :mod:`index.followup`), kept per
:class:`Place`; the answer's ``read_as`` says how it was read.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Literal

from bot.serving.conversations import WINDOW_SECONDS, Conversations, Key
from bot.serving.summary_turns import chosen, more_of, summary_turn
from bot.storage import GuildSettings, QuestionEntry, Store
from bot.storage.base import MAX_COOLDOWN_SECONDS, Source
from index import (
    REFUSAL_THRESHOLD,
    SMALL_TALK,
    Previous,
    account,
    account_subject,
    asks_for_account,
    asks_for_gist,
    asks_for_source,
    asks_for_summary,
    asks_this_article,
    named_next,
    names_a_subject,
    next_subject,
    previous_subject,
    read_in_context,
    summarize,
    without_chatter,
)
from index.article_choice import listed_place
from index.followup_questions import asks_total, total_answer
from index.small_talk import SmallTalk

if TYPE_CHECKING:
    from index import Answer, Article, Engine, Summary

log = logging.getLogger(__name__)

# A settings read normally takes a millisecond. One waiting for a restarting database must
# not hold up answers, nor keep /ask from being acknowledged within Discord's 3 seconds,
# so it gives up after this long and uses the settings last read.
SETTINGS_PATIENCE_SECONDS = 0.5
LAST_KNOWN_SERVERS = 10_000  # servers whose last settings are kept for such a fallback
# A follow-up refused as read with the words before it and read again as typed answers only
# this sure: a second guess (the tuning dialogues kept their unanswerable follow-ups refused at
# 0.4 and 0.5, and answered one at the usual threshold; docs/architecture.md).
SECOND_READING = 0.5
COOLDOWN_MEMBERS = (
    10_000  # beyond, members whose longest possible cooldown has passed are forgotten
)


@dataclass(frozen=True, slots=True)
class Place:
    """Who asks, and where: a Discord server, channel and member, or the terminal."""

    source: Source
    user_id: int
    guild_id: int | None = None
    channel_id: int | None = None  # or the thread's
    thread: bool = False  # a thread: one conversation per member, not a few minutes'

    @property
    def conversation(self) -> Key:
        """Whose conversation a question here belongs to: never shared across servers,
        channels or users."""
        return (self.guild_id, self.channel_id, self.user_id)


class QuestionRefused(Exception):
    """A question turned away before any work; ``str()`` is the reply, written for the asker."""


class QuestionTooLong(QuestionRefused):
    def __init__(self, length: int, limit: int) -> None:
        super().__init__(
            f"That question is {length:,} characters long; please keep it under {limit:,} "
            "and ask about one thing at a time."
        )


class CoolingDown(QuestionRefused):
    """The server's cooldown (``/config``) between one member's questions has not passed."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        wait = max(1, round(retry_after))
        super().__init__(
            f"You're asking faster than I can keep up: try again in {wait} second"
            f"{'s' if wait != 1 else ''}."
        )


@dataclass(frozen=True, slots=True)
class Turn:
    """An admitted question: its cleaned text and its place's settings, each read once."""

    place: Place
    text: str
    settings: GuildSettings | None
    context: Previous | None = None  # the conversation's last turn, if still current

    @property
    def threshold(self) -> float:
        """The confidence an answer must reach here: the server's, else the engine's own."""
        return self.settings.refusal_threshold if self.settings else REFUSAL_THRESHOLD

    @property
    def private(self) -> bool:
        """Whether the server shows ``/ask`` answers only to the member who asked."""
        return self.settings is not None and self.settings.ephemeral_ask


@dataclass(frozen=True, slots=True)
class Reply:
    """What to show: an answer, or the gist of a line with nothing to search.

    ``question`` is the question as read (cleaned).
    ``kind`` is ``answer`` (``answer`` set; ``answer_id`` when it was logged, for
    the feedback buttons), small talk (``greeting``: how to ask; ``thanks``, ``ack``, ``praise``, ``bye``: answered
    in kind; :func:`index.gist.small_talk`), ``summary`` (``summary``
    of ``articles[0]``) or ``choose`` (``articles``, newest first).
    """

    kind: Literal["answer", "summary", "choose"] | SmallTalk
    question: str
    answer: Answer | None = None
    articles: tuple[Article, ...] = ()
    summary: Summary | None = None
    answer_id: int | None = None


class Unread:
    """Marks "the settings were not read yet" apart from None ("there are none")."""


UNREAD = Unread()


class AnsweringService:
    """Answers questions for people in places over one engine; front-end neutral.

    ``store`` (None: no question log and no per-server settings) may be set
    after construction, once it is opened.
    """

    def __init__(
        self,
        engine: Engine,
        store: Store | None = None,
        *,
        max_chars: int,
        window: float = WINDOW_SECONDS,
        conversations: Conversations | None = None,
    ) -> None:
        self.engine = engine
        self.store = store
        self.max_chars = max_chars
        # A channel's conversation: the same member within this, unless the server set its own.
        self.window = window
        self.conversations = Conversations() if conversations is None else conversations
        self._last_known: OrderedDict[int, GuildSettings] = OrderedDict()
        self._last_asked: dict[tuple[int, int], float] = {}

    async def settings(self, place: Place) -> GuildSettings | None:
        """The place's server settings; None in DMs, the terminal, or when storage is off.

        When the store fails or is slower than :data:`SETTINGS_PATIENCE_SECONDS`,
        the settings last read for the server (None, the defaults, if none were):
        a database hiccup must not stop answers.
        """
        store, guild_id = self.store, place.guild_id
        if guild_id is None or store is None:
            return None
        try:
            settings = await asyncio.wait_for(
                store.guild_settings(guild_id), SETTINGS_PATIENCE_SECONDS
            )
        except TimeoutError:
            log.warning(
                "the settings of server %s were not read in time; using the last known", guild_id
            )
            return self._last_known.get(guild_id)
        except Exception:
            log.exception("could not read the settings of server %s", guild_id)
            return self._last_known.get(guild_id)
        self._last_known[guild_id] = settings
        self._last_known.move_to_end(guild_id)
        if len(self._last_known) > LAST_KNOWN_SERVERS:
            self._last_known.popitem(last=False)
        return settings

    def check(self, question: str) -> str:
        """The question cleaned once, or :class:`QuestionRefused` / the engine's
        ``QuestionError`` saying why it cannot be answered."""
        if len(question) > self.max_chars:
            raise QuestionTooLong(len(question), self.max_chars)
        return self.engine.check(question)

    async def admit(
        self,
        place: Place,
        question: str,
        settings: GuildSettings | Unread | None = UNREAD,
        *,
        budget: Callable[[], float | None] | None = None,
        replied_to: Previous | None = None,
    ) -> Turn:
        """Check ``question``, then spend the front end's own ``budget`` (a per-user rate
        limit: seconds to wait, or None) and the server's cooldown. ``settings`` already
        read for this question (a message's answer channels) are used, not read again.
        ``replied_to``: the answer the message replies to, which is then its context."""
        text = self.check(question)
        wait = budget() if budget is not None else None
        if wait is not None:
            raise CoolingDown(wait)
        if isinstance(settings, Unread):
            settings = await self.settings(place)
        wait = self._cooldown_wait(place, settings)
        if wait is not None:
            raise CoolingDown(wait)
        return Turn(place, text, settings, replied_to or self._last_turn(place, settings))

    def _last_turn(self, place: Place, settings: GuildSettings | None) -> Previous | None:
        """The place's conversation's last turn: a thread, a DM or the terminal is one
        conversation; a channel's lasts the server's window (``/config conversation``;
        0 keeps none), else the bot's :attr:`window`, after each question."""
        if place.thread or place.guild_id is None:
            within = math.inf
        elif settings is not None and settings.conversation_minutes is not None:
            within = settings.conversation_minutes * 60.0
        else:
            within = self.window
        return self.conversations.last(place.conversation, within)

    async def ask(self, place: Place, question: str, article_id: str | None = None) -> Reply:
        """:meth:`admit`, then :meth:`reply`: for a front end with nothing to do in between."""
        return await self.reply(await self.admit(place, question), article_id)

    async def reply(self, turn: Turn, article_id: str | None = None) -> Reply:
        """The gist of a line with nothing to search, else the engine's answer, logged;
        the engine's work runs in a worker thread, so the event loop keeps serving."""
        reply, previous = await asyncio.to_thread(self._respond, turn, article_id)
        if previous is not None:
            self.conversations.remember(turn.place.conversation, previous)
        if reply.answer is None:
            return reply  # a gist: nothing was searched, nothing to log
        answer_id = await self._log(turn.place, reply.answer)
        return replace(reply, answer_id=answer_id)

    def talked_of(self, place: Place) -> str | None:
        """The id of the article the place's conversation is about, if it is still current:
        "summary" alone mid-conversation summarises that one, not a list to choose from."""
        previous = self._last_turn(place, None)
        return None if previous is None else previous.article_id

    def remember_summary(self, place: Place, summary: Summary) -> None:
        """A summary a front end showed itself (``/summary``, the terminal's ``summary 2``) is
        the place's last turn too: "more" after it asks for a longer one."""
        self.conversations.remember(place.conversation, summary_turn(summary))

    def _source(self, turn: Turn, line: str, article_id: str | None) -> Answer | None:
        """ "source?", "are you sure?" after a question: its answer again, with the passages it
        stands on, read as that question (None for any other line). The conversation keeps it."""
        before = turn.context
        if before is None or not before.question.strip(" ?.!") or not asks_for_source(line):
            return None
        if article_id and article_id != before.article_id:
            return None
        answer = self.engine.answer(
            before.question, before.article_id, threshold=turn.threshold, respelled=()
        )
        return _as_asked(answer, turn.text, before.question)

    def _about(
        self, line: str, context: Previous | None, article_id: str | None
    ) -> tuple[str | None, str | None]:
        """The subject the conversation gives a line asking for an account of it (None for
        any other line, or when another article is chosen), and the article to answer from:
        "what happened?" after a question, what that question was about, in its article;
        "and the drones?" after a summary, the drones, wherever they rank first."""
        named = named_next(line)  # "and the second one?": that article, whatever came before
        if named is not None and listed_place(named) is not None:
            return named, None
        if context is None or (article_id and article_id != context.article_id):
            return None, article_id
        engine = self.engine
        if asks_for_account(line, engine.english):
            about = previous_subject(engine.corpus, engine.tokenizer, context)
            return about, (article_id or context.article_id) if about else article_id
        return next_subject(engine.corpus, line, context), article_id

    def _respond(self, turn: Turn, article_id: str | None) -> tuple[Reply, Previous | None]:
        """The reply, and what the conversation remembers of it (None: nothing new)."""
        engine = self.engine
        text = without_chatter(turn.text)  # "ok cool, when did they arrive?": the question
        spelt, respelled = engine.respell(text)  # once: the gist, the context, the answer
        source = self._source(turn, spelt, article_id)
        if source is not None:
            return Reply("answer", turn.text, source), None
        corpus = engine.corpus  # "more" after a summary; "the wildfire one" after "which one?"
        shown = more_of(corpus, turn.context, spelt, article_id) or chosen(
            corpus, turn.context, spelt
        )
        if shown is not None:
            article, more, remembered = shown
            return Reply("summary", turn.text, articles=(article,), summary=more), remembered
        about, article_id = self._about(spelt, turn.context, article_id)
        # An article chosen wins over context; so does a subject asked about ("tell me about X"),
        # and "thanks" or "ok" is no follow-up of anything.
        gist_kind = asks_for_gist(spelt, engine.vocabulary(engine.corpus).knows)
        small_talk = gist_kind in SMALL_TALK
        # "summarise it", "summary?" mid-conversation: the gist of the article talked of, which
        # a follow-up reading ("summarise it (peyton manning)?") would search for instead.
        summing = gist_kind == "summary" and asks_for_summary(spelt)
        subject = account_subject(spelt, engine.english)
        if subject and not article_id and turn.context and asks_this_article(spelt):
            article_id = turn.context.article_id  # "what does it say about …": the one talked of
        listed = about is not None and listed_place(about) is not None
        context = None if article_id or small_talk or subject or listed or summing else turn.context
        reading = read_in_context(engine.corpus, engine.tokenizer, spelt, context, engine.english)
        article_id = article_id or reading.article_id
        if about is None and reading.read_as is None:
            about = named_next(spelt)  # "what about the blogger?", another article's subject
        # "when?" alone asks for the gist; after a question, it asks about that question.
        gist = (
            None
            if reading.read_as
            else engine.gist_of(spelt, article_id, respelled=True, about=about)
        )
        if gist is None:
            ask = partial(
                engine.answer,
                threshold=turn.threshold,
                respelled=respelled,
                context=reading.context,
            )
            answer, read_as = ask(reading.text, article_id), reading.read_as
            if reading.plain and context and (not answer.found or _same(answer, context.answer)):
                # The carried words led back to the answer just given, which a follow-up does
                # not ask for, or to nothing ("who announced her death (join atlantic)?"): the
                # line read again as typed, the words searched only.
                again = ask(reading.plain, article_id)
                sure = answer.found or again.confidence >= max(turn.threshold, SECOND_READING)
                if again.found and sure and not _same(again, context.answer):
                    answer, read_as = again, None  # read as typed
            if context and context.answer and asks_total(spelt):
                answer = total_answer(answer, context.answer, turn.threshold) or answer
            if not answer.found and reading.read_as is None and names_a_subject(spelt):
                # "undersea cable pact", refused as a question: an account of that subject.
                gist = engine.gist_of(spelt, article_id, respelled=True, about=spelt)
            if gist is None or gist.kind != "summary":
                typed = turn.text if spelt == text else spelt  # only the chat dropped: as typed
                answer = _as_asked(answer, turn.text, read_as or typed)
                stays = answer.article_id if answer.found else reading.article_id
                said = answer.answer if answer.found else None
                remembered = Previous(
                    answer.read_as or reading.remembered or reading.read_as or spelt, stays, said
                )
                return Reply("answer", turn.text, answer), remembered
        if gist.kind == "choose" and turn.context and turn.context.article_id:
            # "tl;dr" in a conversation about one article: that article, not "which one?"
            gist = engine.gist_of(spelt, turn.context.article_id, respelled=True) or gist
        summary: Summary | None = None
        if gist.kind == "summary":
            article = gist.articles[0]
            summary = account(article, gist.topic) if gist.topic else summarize(article)
        reply = Reply(gist.kind, turn.text, articles=gist.articles, summary=summary)
        if gist.kind == "choose":  # the next line may name one of them
            return reply, Previous("", None, offered=tuple(a.id for a in gist.articles))
        return reply, None if summary is None else summary_turn(summary)

    async def _log(self, place: Place, answer: Answer) -> int | None:
        """Log the answer; its id, or None when storage is off or the write failed (the
        answer is still shown, without feedback buttons)."""
        if self.store is None:
            return None
        entry = QuestionEntry.from_answer(
            answer,
            user_id=place.user_id,
            guild_id=place.guild_id,
            channel_id=place.channel_id,
            source=place.source,
        )
        try:
            return await self.store.log_question(entry)
        except Exception:  # never lose the answer because the log failed
            log.exception("could not log a question")
            return None

    def _cooldown_wait(self, place: Place, settings: GuildSettings | None) -> float | None:
        """Seconds this member must wait under the server's cooldown, or None (the question counts)."""
        if settings is None or settings.cooldown_seconds <= 0:
            return None
        key, now = (settings.guild_id, place.user_id), time.monotonic()
        last = self._last_asked.get(key)
        if last is not None and now - last < settings.cooldown_seconds:
            return settings.cooldown_seconds - (now - last)
        if len(self._last_asked) > COOLDOWN_MEMBERS:
            horizon = now - MAX_COOLDOWN_SECONDS
            self._last_asked = {k: t for k, t in self._last_asked.items() if t > horizon}
        self._last_asked[key] = now
        return None


def _same(answer: Answer, before: str | None) -> bool:
    """Whether ``answer`` found the answer given the turn before (one holding the other)."""
    if not (answer.found and answer.answer and before):
        return False
    now, then = answer.answer.casefold(), before.casefold()
    return now in then or then in now


def _as_asked(answer: Answer, asked: str, read_as: str) -> Answer:
    """``answer`` under the question as asked, ``read_as`` saying how it was read when the
    context or the spelling changed it."""
    return replace(answer, question=asked, read_as=read_as if read_as != asked else None)
