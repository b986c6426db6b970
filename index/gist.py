"""Whether a line asks for the gist of an article, is a greeting, or is a question to search.

People chat: "what happened?", "what's this about", "tl;dr", "summarise it",
"hello". None of these holds a word the articles could be searched by, and a
search would only find whichever passage ranks first. The decision is made
from the words, not from phrases per language: a line none of whose content
words the index knows (:class:`index.spelling.Vocabulary`, slips included)
asks for the gist when it holds one of the few words that ask for a summary
(or only words that point at the article), and is a greeting otherwise,
unless it is put as a question about words no article has: that one is
answered by the engine, with the closest passages and a hint.

A line that asks for an account of a subject ("what happened in the train
crash?", "tell me about the strike", "summarise the chess story") wants the
article's sentences on it, not a span the reader picks out of one passage:
:func:`account_subject` finds such a subject by the words' roles (an opener,
a word asking for an account, linking words, then the subject). An account
of what happened *to* someone, or *after* something, asks for a fact (an
outcome, a moment) and is still read as a question.

Both front ends ask :meth:`index.engine.Engine.gist` before answering.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from rapidfuzz.distance import OSA

from index.article_choice import listed_place
from index.records import Article
from index.small_talk import SmallTalk, small_talk
from index.spelling import CHAT_FORMS
from index.tokenize import STOP_WORDS

# Words that ask for the gist ("what happened?", "what's going on", "tl;dr", "sum it up",
# "tell me about it") or point at the article itself: not content to search by.
GIST_WORDS = frozenset(
    """summary summarise summarize summarised summarized summarising summarizing sum gist tldr
    tl dr overview recap happened happening happen going story main points key tell explain
    describe news brief briefly quick article articles piece text""".split()
)
# With the apostrophe left out too ("whats this about"), which the stop words lack.
QUESTION_WORDS = frozenset(
    "who whom whose what when where why which how whats whos wheres whens whys hows".split()
)
_NOT_CONTENT = STOP_WORDS | QUESTION_WORDS | GIST_WORDS
# Words that ask for an account of what follows them: verbs ("what's *going* on with X",
# "*tell* me about X", "*fill* me in on X") and nouns, which need a linking word after them
# ("the *story* with X", "a *rundown* of X", "what's *up* with X"; "what is the deal worth?"
# asks a fact). And the article-pointing words that make the subject an article ("the
# chess story").
ACCOUNT_VERBS = frozenset(
    """happened happening happen going went tell explain describe summarise summarize sum
    recap brief fill run walk talk break catch go""".split()
)
# Verbs that ask for an account only with their particle, "me" or "us" between: "*run* me
# *through* the budget", "*break down* the deal", "*catch* me *up* on the strike", "what *went
# on*"; "what went wrong", "can you run the numbers" ask something else.
PARTICLES = {
    "run": "through",
    "walk": "through",
    "talk": "through",
    "go": "over through",
    "break": "down",
    "catch": "up",
    "went": "on down",
}
ACCOUNT_NOUNS = frozenset(
    "summary overview recap gist tldr story deal rundown lowdown news up details tea".split()
)  # "give me the tea on X": chat for the story
# The nouns that ask for an account with no opener before them ("quick rundown of X",
# "need the lowdown on X", "any details on X"); "the deal with Iran collapsed" does not.
REQUEST_NOUNS = frozenset("summary overview recap gist tldr rundown lowdown details".split())
_NOUN_LEADS = frozenset("a an the quick short brief full little".split())
# "X - what's that about?", "X, what's the story there": the request after its subject.
_TAIL = re.compile(
    r"^(?P<subject>.*?[^\W_].*?)[\s,;:.!?\-–—+]+(?:so\s+|and\s+)?(?:"
    r"what(?:'s|’s|s|\s+is)\s+(?:that|this|it|the\s+story|the\s+deal|going\s+on|up)"
    r"(?:\s+(?:about|there|with\s+(?:that|this|it)))?"
    r"|what\s+happened"  # "the tram accident, what happened?"
    r"|(?:can|could)\s+(?:you|u)\s+explain\s+(?:that|this|it)(?:\s+(?:part|bit))?"
    r"(?:\s+(?:about|abt)\s+(?:that|this|it))?"  # "…, can u explain that part abt it"
    r")(?:\s+(?:please|pls|plz|lol))?\s*[?!.]*$",
    re.IGNORECASE,
)
_ANYTHING = re.compile(  # "anything about prices?": what the article has on a subject
    r"^(?:(?:and|so|ok|okay)\s+)?(?:is\s+there\s+)?(?:anything|something)\s+(?:about|on)\s+"
    r"(?P<subject>(?=.*[^\W\d_]{3})[^?!.]+?)\s*[?!.]*$", re.IGNORECASE)  # fmt: skip
# "what does it say about X": the article's words on X, asked of the article itself ("what did
# the minister say about X" asks for someone's words: a question).
_SAYS = re.compile(
    r"^(?:so\s+|and\s+|ok\s+)?(?:what|wat)\s+(?:does|did|do)\s+(?P<whose>it|this|that|the\s+"
    r"(?:article|story|piece|report|text|news|articles))\s+(?:say|said|tell\s+(?:us|me)|mention)"
    r"\s+(?:about|abt|on|of|regarding)\s+(?P<subject>.*?[^\W_].*?)[\s?!.]*$",
    re.IGNORECASE,
)
# A line put as a yes-or-no question ("did they catch him, what happened?") asks a fact.
AUXILIARIES = frozenset("is are was were do does did has have had can could will would".split())
# "what's the chess one about?", "what is article 5 about", "whats the ahmed mohamed story".
_ABOUT_ARTICLE = re.compile(
    r"^(?:(?:and|so)\s+)?(?:what(?:['’]?s|\s+is|\s+was)|wats)\s+(?P<subject>.+?)"
    r"(?:\s+about|(?<=\bstory)|(?<=\bpiece)|(?<=\barticle))\W*$",
    re.I,
)
# Where a line of several sentences splits: a request often follows a question in chat.
_SENTENCE_END = re.compile(r"(?<=[?!.])\s+(?=\S)")
NOUN_LINKS = frozenset("with on of about behind for regarding".split())
_ACCOUNT = ACCOUNT_VERBS | ACCOUNT_NOUNS
_DETERMINERS = frozenset("the a an this that these those".split())
POINTER_WORDS = frozenset("article articles piece story text news report".split())
OPENERS = frozenset("what whats give show".split())  # "what happened…", "give me a recap of…"
# Between the opener and the account word: "what('s) (been) happening", "give me a quick
# rundown"; never "does" or "did" ("what does not explain…" asks a fact).
LINKING_VERBS = frozenset("is s was has have been are were re me us the a an quick short".split())
POLITE = frozenset(
    """please pls plz hey hi ok okay so and can could would will you u i id d need want like just
    any lol lmao haha""".split()
)
# After the account word, these ask for a fact: an outcome ("what happened *to* them", short
# answers in every question set) or a moment ("what happened *after* the call").
FACT_LINKS = frozenset(
    """to after afterwards next then later before earlier since when if first last finally who
    whom whose where which""".split()
)
# After the account word, "why" and "how" belong to the subject ("explain why the fare went
# up"): a topic summary gives the cause or the way. "who", "where", "which" ask for a fact.
SUBJECT_OPENERS = frozenset("why how".split())
_WORD = re.compile(r"[^\W_]+")
# The words that ask for an account, read through one slip of the keys ("abuot", "sumarise",
# "explian", "waht") when at least this long and no English word: the articles' spelling
# (index.spelling) cannot read them, the articles rarely holding them.
SLIP_LENGTH = 4
_REQUEST_WORDS = frozenset(
    w for w in ACCOUNT_VERBS | ACCOUNT_NOUNS | NOUN_LINKS | OPENERS if len(w) >= SLIP_LENGTH
)

GistKind = Literal["summary", "choose"] | SmallTalk


@dataclass(frozen=True, slots=True)
class Gist:
    """What a line with nothing to search asks for.

    ``summary``: the summary of ``articles[0]``; ``choose``: one of ``articles``
    (newest first), there being several and none in context; ``greeting``: one
    line on what to ask; ``thanks``: a thank-you, answered in kind; ``ack``: "ok", "nvm",
    "lol", acknowledged; ``praise``: "good bot", thanked; ``bye``: a goodbye. ``topic``: the summary is an account of what the article says on
    it (:func:`index.summary_account.account`).
    """

    kind: GistKind
    articles: tuple[Article, ...] = ()
    topic: str | None = None  # an account of this subject ("what happened in the strike?")


def asks_for_gist(line: str, knows: Callable[[str], bool]) -> Literal["summary"] | SmallTalk | None:
    """``summary``, or a kind of small talk (:func:`small_talk`), for a line with no content
    word ``knows``; None to search.

    ``knows`` says whether the index can search by a lower-case word. A line
    with such a word, or put as a question about unknown words ("who won?",
    "xyzzy?"), is a question; small talk is answered in kind; the rest asks for
    the gist or is a greeting.
    """
    talk = small_talk(line)
    if talk is not None:
        return talk
    words = [w.lower() for w in _WORD.findall(line)]
    content = [w for w in words if w not in _NOT_CONTENT]
    if any(knows(w) or not w.isalpha() for w in content):
        return None
    if any(w in GIST_WORDS for w in words) or (words and not content and _is_question(line, words)):
        return "summary"
    if content and _is_question(line, words):
        return None
    return "greeting"


# Chat spellings of request words ("whats goin on"); not "u" ("u.s. trade" is no "you").
REQUEST_FORMS = {w: CHAT_FORMS[w] for w in ("goin", "wat", "wats", "abt", "bout")}


def read_slips(words: list[str], english: Collection[str] | None) -> list[str]:
    """``words`` (lower case) with chat spellings written out and each request word typed
    with one slip read as meant; a word ``english`` knows ("store") or a stop word is never
    read as another ("story"). Without ``english`` (None, or empty when the reader's
    vocabulary could not be read), no slip is read: every word might be a real one."""
    words = [REQUEST_FORMS.get(w, w) for w in words]
    return [_meant(w, english) for w in words] if english else words


def _meant(word: str, english: Collection[str]) -> str:
    if len(word) < SLIP_LENGTH or word in _REQUEST_WORDS or word in english or word in STOP_WORDS:
        return word
    near = sorted(r for r in _REQUEST_WORDS if OSA.distance(word, r, score_cutoff=1) <= 1)
    if len(near) == 1 or (near and all(r in ACCOUNT_VERBS for r in near)):
        return near[0]  # "happend": "happen" or "happened", a verb asking for an account either way
    return word


TLDR = re.compile(r"\btl\s*[;:,.]\s*dr\b", re.IGNORECASE)


def account_subject(line: str, english: Collection[str] | None = None) -> str | None:
    """The subject of a line asking for an account of it, as typed; None for any other line.

    The line opens (after "please", "can you"...) with "what" or "give"/"show" followed,
    past linking words, by a word asking for an account, or with such a word itself ("tell
    me about…", "summarise…"); the subject is what follows it and its linking words
    ("in", "on", "with", "about"), holding a word other than a stop or pointing word.
    A question word other than "what" before it ("how did it happen") makes it a question;
    after it, it belongs to the subject ("the story with how the moon formed"). A noun that
    asks for an account may open the line ("quick rundown of …", "any details on …"), and
    the request may follow its subject ("cuba stepping up security - what's that about?").
    Given ``english``, a request word typed with one slip is read as meant ("tell me abuot the
    drones") unless English knows the word typed (:func:`read_slips`).
    """
    line = TLDR.sub("tldr", line)  # "tl;dr russia": the semicolon ends no sentence
    about = _ABOUT_ARTICLE.match(line.strip())
    if about and names_article(about["subject"]):  # "what's article 5 about"
        return about["subject"]
    says = _SAYS.match(line.strip()) or _ANYTHING.match(line.strip())
    if says:  # "what does it say about X", "anything about X?"
        return says["subject"]
    tail = _TAIL.match(line.strip())
    if tail:
        return _subject_before_request(tail["subject"].strip(" ,;:-–—+"))
    subject = _opening_request(line, english)
    parts = _SENTENCE_END.split(line.strip())
    if subject is None and len(parts) > 1:  # "is she contesting it? fill me in on the recount"
        return account_subject(parts[-1], english)
    return subject


def _opening_request(line: str, english: Collection[str] | None) -> str | None:
    """The subject of a line that opens by asking for an account of it (above)."""
    found = list(_WORD.finditer(line))
    words = read_slips([m.group().lower() for m in found], english)
    at = _request_word(words)
    if at is None:
        return None
    while at < len(words) and (words[at] in _ACCOUNT | NOUN_LINKS or words[at] in STOP_WORDS):
        if words[at] in SUBJECT_OPENERS:
            break
        if words[at] in FACT_LINKS:
            return None
        at += 1
    if at >= len(words) or (words[at] in FACT_LINKS and words[at - 1] not in _DETERMINERS):
        return None  # "what happened at first", not "tell me about the last shift"
    while at > 0 and words[at - 1] in _DETERMINERS:
        at -= 1  # "the train crash", not "train crash"
    end = len(words)
    while end > at and words[end - 1] in POLITE | {"thanks", "thx"}:
        end -= 1  # "sum up the match please"
    subject = line[found[at].start() : found[end - 1].end()] if end > at else ""
    rest = [w for w in words[at:end] if w not in STOP_WORDS | POINTER_WORDS]
    return subject if rest else None


def _subject_before_request(subject: str) -> str | None:
    """The subject of "X - what's that about?", unless it is a question itself."""
    words = [w.lower() for w in _WORD.findall(subject)]
    # "how many died - what's that about", "did they catch him, what happened?"
    asked = words and words[0] in QUESTION_WORDS | AUXILIARIES
    kept = [w for w in words if w not in STOP_WORDS | POINTER_WORDS]
    return subject if kept and not asked else None


def _request_word(words: list[str]) -> int | None:
    """Where the words asking for an account end their opening ("tell", "rundown", "about"
    of "what's this about"), or None when the line does not open by asking for one."""
    at = next((i for i, w in enumerate(words) if w not in POLITE), len(words))
    lead = at
    while lead < len(words) and words[lead] in _NOUN_LEADS:
        lead += 1
    if lead < len(words) and words[lead] in REQUEST_NOUNS:
        return lead  # "quick rundown of the projects", "need the lowdown on the embargo"
    opener = at < len(words) and words[at] in OPENERS
    if opener:
        at += 1
        opened = at
        while at < len(words) and words[at] in LINKING_VERBS:
            at += 1
        if at == opened and at < len(words) and words[at] in POINTER_WORDS:
            return None  # "what news network…" asks which one
    if at >= len(words) or any(w in QUESTION_WORDS - {"what", "whats"} for w in words[:at]):
        return None
    if opener and words[at] in {"this", "that"}:
        about = at + 2 if words[at + 1 : at + 2] and words[at + 1] in POINTER_WORDS else at + 1
        if words[about : about + 1] == ["about"]:  # "what's this (report) about a laser facial"
            return about
    if opener and words[at : at + 4] in (
        ["do", "we", "know", "about"],
        ["do", "you", "know", "about"],
    ):
        return at + 3  # "what do we know about the robots"
    if words[at] not in ACCOUNT_VERBS and (
        words[at] not in ACCOUNT_NOUNS or at + 1 >= len(words) or words[at + 1] not in NOUN_LINKS
    ):
        return None
    if words[at] in PARTICLES and (
        not _particle_follows(words, at) or words[at - 1] in _DETERMINERS
    ):
        return None  # "what is the break down of …" asks for figures
    return at


def _particle_follows(words: list[str], at: int) -> bool:
    """Whether the account verb at ``at`` has its particle next, past "me" or "us"."""
    after = words[at + 1 : at + 3]
    if after[:1] in (["me"], ["us"]):
        after = after[1:]
    return bool(after) and after[0] in PARTICLES[words[at]].split()


# "what happened?", "tell me more", "what's going on?": an account asked for with no subject.
_BARE_ACCOUNT = frozenset(
    "happened happening happen going went tell explain describe fill more".split()
)  # "more", "more please": tell me more
_BARE_WORDS = _NOT_CONTENT | POLITE | frozenset("more else".split())


def asks_for_account(line: str, english: Collection[str] | None = None) -> bool:
    """Whether ``line`` asks for an account and names no subject ("what happened?", "tell me
    more"): after a question, it asks for an account of what that question was about.
    "what happened next?" asks for a moment (:mod:`index.followup`). ``english``: words
    never read as a slip of a request word (:func:`read_slips`)."""
    words = read_slips([w.lower() for w in _WORD.findall(line)], english)
    return (
        any(w in _BARE_ACCOUNT for w in words)
        and all(w in _BARE_WORDS for w in words)
        and not any(w in FACT_LINKS for w in words)
    )


def asks_this_article(line: str) -> bool:
    """Whether ``line`` asks what "it" (the article of the conversation) says about a subject:
    "what does it say about X", "anything about X?" (a tester's, in a chat about one article)."""
    return _SAYS.match(line.strip()) is not None or _ANYTHING.match(line.strip()) is not None


def names_a_subject(line: str) -> bool:
    """Whether ``line`` is a bare subject ("undersea cable pact"): a few words and nothing
    else (no question mark, no path or code), a content word among them, no question word or
    auxiliary. Asked as a question and refused, it wanted an account of that subject, as
    "tell me about the undersea cable pact" would; "2" or "/etc/passwd" did not."""
    text = line.strip().rstrip(".!")
    words = {w.lower() for w in _WORD.findall(text)}
    content = [w for w in words if w.isalpha() and w not in _NOT_CONTENT]
    asking = words & (QUESTION_WORDS | AUXILIARIES)
    return bool(_BARE.fullmatch(text)) and len(words) <= 6 and bool(content) and not asking


_BARE = re.compile(r"[^\W_][\w'’ ,&-]*")  # words, spaces, hyphens, apostrophes, commas


def names_article(subject: str) -> bool:
    """Whether ``subject`` points at an article as a whole ("the chess article", "the council
    bankruptcy one": a topic of that name would be read in the wrong article, as one was)."""
    words = [w.lower() for w in _WORD.findall(subject)]
    one = len(words) >= 3 and words[0] in ("the", "that") and words[-1] == "one"
    listed = listed_place(subject) is not None  # "article 5", "the second one"
    return bool(words) and (words[-1] in POINTER_WORDS or one or listed)


def _is_question(line: str, words: list[str]) -> bool:
    return line.rstrip().endswith("?") or words[0] in QUESTION_WORDS


def newest_first(articles: Iterable[Article]) -> list[Article]:
    """``articles`` by when they were published or added, newest first; undated ones last,
    in their own order."""
    return sorted(articles, key=_when, reverse=True)


def _when(article: Article) -> datetime:
    for text in (article.published, article.added_at):
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return datetime.min.replace(tzinfo=UTC)
