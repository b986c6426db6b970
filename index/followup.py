"""Reading a follow-up question with the previous turn of its conversation.

People chat: after "how many troops were sent to Russia?" they ask "and how
many died?", "when?", "who said that?", "and after that?". Alone, such a line
has no subject and a search finds whichever passage ranks first. Read with the
previous turn it has one: the same article first, and the previous question's
content words the follow-up lacks carried (:attr:`Reading.context`). Where the
subject can be put into the line ("what did Kim Jong Un say?", "when was it that
Kim Jong Un displayed drones?", "what happened after the mother called 911?"),
the reader reads that natural question and the carried words go into retrieval
only. Otherwise the reader reads them too, bracketed ("how many died (troops
were sent to Russia)?"): without them it misreads a bare "when were they
deployed?". The person is shown what was read (``read_as``), so a wrong reading
is visible at once.

The decision is made from signals, not phrases per question. The content words
of a line are its retrieval tokens that some article holds (the interrogative
phrase and stop words left out); its *foreign* words are those the previous
article lacks. A line

* **names another subject** when a foreign word is a name (capitalised in the
  line after its first word, or a word the articles only write capitalised:
  "brock guzman"), or when it has foreign words and nothing that leans on the
  previous turn: it starts afresh, so a conversation never traps anyone in
  one article;
* **is a follow-up** otherwise when it leans on what came before: it opens
  with "and", "so", "also", "what about"..., holds a pronoun ("it", "they",
  "that", "one"...), or has at most :data:`MAX_BARE` content words and no name
  of its own, unless it has that many and the previous question none of them
  ("what car was the shooter driving?" after "how many died?": its own subject), or
  asks which thing ("what drones were shown?") the conversation has not named;
* **stands alone** otherwise (its own subject, all in the previous article):
  it is read as typed, in that article (where another article holds the same
  words, "how many homes were destroyed?" after the Chilean fire had got the
  Peruvian quake's).

A follow-up relative in time to the previous answer ("and after that?", "what
happened next?", "how many before that?": a word of :data:`AFTER` or
:data:`BEFORE`) asks about another moment than the one just answered: the
reader reads the previous question with that moment named ("which label did
she sign with after JVB Records?", "what happened after the mother called
911?").
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass

from index.corpus import Corpus
from index.followup_questions import (
    AFTER,
    AUX,
    BEFORE,
    LEADS,
    NAME_RUN,
    POINTERS,
    PREPOSITIONS,
    WH,
    WORD,
    asked_again,
    asked_of,
    in_time,
    name_carried,
    person_answered,
    quote_asked,
    swapped_subject,
)
from index.names import name_holders, name_stems
from index.question_types import query_text
from index.tokenize import Tokenizer

MAX_BARE = 2  # a line with this few content words and no name of its own lacks a subject
MAX_FRAGMENT = 3  # a line this short is a fragment of a question: "which province?"
MAX_CARRIED = 12  # words carried from turn to turn at most: context stays bounded
_ABOUT = re.compile(r"^(?:(?:and|so|but)\s+)?(?:what|how)\s+about\s+", re.I)  # "what about X?"
_CARRIED = re.compile(r"^(?P<asked>.*?)\s*\((?P<carried>[^()]*)\)\s*\?*$")  # "Q (context)?"
_NEXT = re.compile(r"^\s*(?:(?:and|so|but|also|then)\s+)?(?:(?:what|how)\s+about\s+)?", re.I)
_AUX_FIRST = re.compile(rf"^{AUX}\b", re.I)
_DETERMINERS = frozenset("the a an its their his her our this that".split())
_ASKS_INSIDE = re.compile(r"\b(?:who|whom|what|when|where|why|which|how)(?:['’]?s)?\b", re.I)
# The thing a question asks which one of: the word after "what", "which", "how many".
# Not a verb there ("how many died?" asks about the conversation's subject).
_ASKED_THING = re.compile(
    r"^\s*(?:what|which|how\s+many|how\s+much)\s+(?![^\W\d_]+(?:ed|ing)\b)([^\W\d_]+)", re.I
)


@dataclass(frozen=True, slots=True)
class Previous:
    """What a conversation remembers of its last turn: the question as read (its carried
    words in brackets, as shown: "how many died (troops sent to Russia)?"), and the
    article its answer came from (None when there was none to stay with)."""

    question: str
    article_id: str | None
    answer: str | None = None  # the short answer given, which "he" or "after that" may stand for
    shown: tuple[str, ...] = ()  # the sentences a summary showed: "more" after it shows more
    topic: str | None = None  # the topic of that summary, if it had one
    offered: tuple[str, ...] = ()  # the articles "Which article?" offered: "the wildfire one"


@dataclass(frozen=True, slots=True)
class Reading:
    """How to answer a line: ``text``, the question the reader reads; ``context``, words
    searched with it but never read; the article to search (None: all); ``read_as``, the
    question as shown when the previous turn changed it (else None); and ``plain``, the
    line without the carried words when ``text`` brackets them (else None): what to read
    again when the bracketed question only finds the previous answer again; ``remembered``,
    the question with the names it was searched with, when not shown (else None), so that
    "she" two turns on still has someone to stand for."""

    text: str
    article_id: str | None = None
    read_as: str | None = None
    context: str = ""
    plain: str | None = None
    remembered: str | None = None  # the question as the conversation keeps it, when not shown


def read_in_context(
    corpus: Corpus,
    tokenizer: Tokenizer,
    text: str,
    previous: Previous | None,
    english: Collection[str] = frozenset(),
) -> Reading:
    """``text`` (a cleaned question) read with ``previous``: as a follow-up, or afresh.

    ``english``: words known as English (``Engine.english``); a word of the line that is
    neither there nor in any article is taken for a name ("ntsb")."""
    quoted = quote_asked(text)  # '"time was running out" who said that?': its own subject
    if quoted is not None:
        return Reading(quoted, None, quoted)
    if previous is None:
        return Reading(text)
    article = previous.article_id if _held(corpus, previous.article_id) else None
    asked = dict.fromkeys(tokenizer.tokens(query_text(text)))
    headlines = _headline_words(corpus, tokenizer)
    holders = {  # "russian" is held by an article on Russia: a name's other forms count
        t: held
        for t in asked
        if (
            held := corpus.articles_with(t)
            | headlines.get(t, frozenset())
            | name_holders(corpus, tokenizer, t)
        )
    }
    foreign = [t for t, held in holders.items() if article is not None and article not in held]
    if foreign and _another_subject(corpus, tokenizer, text, holders, foreign):
        about = _ABOUT.match(text)  # another subject: afresh ("what about X, what did she say?")
        of_subject = asked_of(text.rstrip(" ?.!")[about.end() :]) if about else None
        return Reading(text) if of_subject is None else Reading(of_subject, None, of_subject)
    unknown = any(t not in holders and t not in english for t in asked)
    before = set(tokenizer.tokens(query_text(previous.question)))
    asks_for = _ASKED_THING.match(text)  # "what drones were shown?": the drones
    thing = set(tokenizer.tokens(asks_for.group(1))) if asks_for else set()
    new = holders.keys() - before
    own = (len(holders) >= MAX_BARE and not before & holders.keys()) or bool(thing & new)
    if not _leans_on_before(text, len(holders), unknown, own):
        return Reading(text, article)  # stands alone, in the article all its words are in
    if holders and not _refers(text) and not _fragment(text):
        # A whole question of its own, few words, nothing pointing back ("who is the mayor?",
        # "how much is the tax?"): the same article, the previous words searched but never
        # read. Read, they turned it into another ("how much is the tax (say)?"), refused.
        asked_before, carried = _split(previous.question)
        context = _missing(f"{asked_before} {carried}", set(asked), tokenizer)
        names = _missing(
            " ".join(NAME_RUN.findall(f"{asked_before} {carried}")), set(asked), tokenizer
        )
        kept = f"{text.rstrip(' ?.!')} ({names})?" if names else None  # the running subject
        return Reading(text, article, context=context, remembered=kept)
    return _follow_up(text, previous, set(asked), tokenizer, article)


def _another_subject(
    corpus: Corpus,
    tokenizer: Tokenizer,
    text: str,
    holders: dict[str, frozenset[str]],
    foreign: list[str],
) -> bool:
    """Whether a line with words the previous article lacks is about something else: one
    names something (:func:`_names`), or, with no pronoun standing for the previous
    subject, they weigh at least as much as the words it holds (rarer words weigh more)."""
    if _names(corpus, tokenizer, text, foreign):
        return True
    if _points(text) or _in_time(text):
        return False  # "where does she study?": she is who came before; "what happened next?"
    count = len(corpus.articles)
    weight = {t: math.log1p(count / len(held)) for t, held in holders.items()}
    outside = sum(weight[t] for t in foreign)
    return outside >= sum(weight.values()) - outside


def _follow_up(
    text: str, previous: Previous, own: set[str], tokenizer: Tokenizer, article: str | None
) -> Reading:
    """The follow-up ``text`` as the reader should read it, with the previous turn's words
    that it lacks (``own``: its own words, in an article or not: "sent" asked again is not
    carried)."""
    asked, carried = _split(previous.question)
    body = _without_lead(text.rstrip(" ?.!"))
    if not asked.strip(" ?.!"):  # the last turn was a summary: its article, and its topic
        if previous.topic and _refers(text) and _ASKS_INSIDE.match(body):  # "when was it?"
            shown = f"{body} ({previous.topic})?"
            return Reading(shown, article, shown, previous.topic, f"{body}?")
        return Reading(text, article)
    # The previous question's own words, and of those it carried only the names (the running
    # subject): carrying all of them piles up earlier questions' words, which pull the reader
    # back to earlier answers (tuning dialogues: 12 of 24 follow-ups right, 17 with names only).
    context = _missing(f"{asked} {' '.join(NAME_RUN.findall(carried))}", own, tokenizer)
    swapped = swapped_subject(text, asked)
    if swapped is not None:  # "and her rival?": the previous question, about another subject
        return Reading(swapped, article, swapped, context)
    if _names_a_thing(text):  # "and the drones?", "what about the drones?": an account of them
        return Reading(text, article)
    about = _ABOUT.match(text)
    if about:  # "what about in March?": the previous question, at another moment or place
        rest = text.rstrip(" ?.!")[about.end() :]
        of_subject = asked_of(rest)
        if of_subject is not None:  # "what about elaine smith, what did she say?"
            return Reading(of_subject, article, of_subject)
        natural = f"{asked.rstrip(' ?.!')} {rest}?"
        return Reading(natural, article, natural, carried)
    timed = in_time(text, body, asked, previous.answer)
    if timed is not None:  # the reader reads the moment meant; the context is searched only
        shown = timed if timed != f"{body}?" or not context else f"{body} ({context})?"
        return Reading(timed, article, shown, context)
    again = asked_again(body, asked, previous.answer)
    if again is not None:  # "when?": the previous question asked again
        if carried and (not tokenizer.tokens(query_text(again)) or _points(again)):
            # "why did it?", "when did that happen?": its subject
            again = f"{again.rstrip(' ?')} ({carried})?"
        return Reading(again, article, again, context)
    question = f"{body}?"
    person = person_answered(question, previous.question, previous.answer)
    if person is not None:  # the person answered is the subject: a natural question
        return Reading(person, article, person, context)
    named = name_carried(question, context) if context else None
    if named is not None:  # "he" is all the previous question was about: nothing else to carry
        return Reading(named, article, named)
    if not context:
        return Reading(question, article, question if question != text else None)
    # The reader reads the carried words too: without them it misreads "when were they
    # deployed?" (12 of 21 follow-ups right against 16 with them, benchmarks/followup_bench.py).
    shown = f"{body} ({context})?"
    return Reading(shown, article, shown, context, question)


def previous_subject(corpus: Corpus, tokenizer: Tokenizer, previous: Previous | None) -> str | None:
    """What the conversation's last question was about, for "what happened?" after it: its
    words from the first content word to the last, with the words it carried ("how many
    troops were sent to Russia?" is about "troops were sent to Russia"); None after a
    summary, or when its article is no longer indexed."""
    if previous is None or not _held(corpus, previous.article_id):
        return None
    asked, carried = _split(previous.question)
    return _missing(f"{asked} {carried}", set(), tokenizer) or None


def next_subject(corpus: Corpus, text: str, previous: Previous | None) -> str | None:
    """ "and the drones?", "what about the drones?" after a summary: the next subject of an
    account (:func:`named_next`); None after a question, which it follows up."""
    if (
        previous is None
        or previous.question.strip(" ?.!")
        or not _held(corpus, previous.article_id)
    ):
        return None
    return named_next(text)


def _names_a_thing(text: str) -> bool:
    """Whether "and X?" / "what about X?" names a thing to hear about rather than a moment, a
    place after a preposition or someone the conversation named ("and in March?", "and after
    that?", "and his sister?")."""
    words = [w.lower() for w in WORD.findall(named_next(text) or "")]
    return (
        bool(words) and words[0] not in PREPOSITIONS | AFTER | BEFORE and not set(words) & POINTERS
    )


def named_next(text: str) -> str | None:
    """The subject "and the drones?" or "what about the drones?" names, asking for an account
    of it; None for a question ("and how many died?") or a line without such a lead."""
    lead = _NEXT.match(text)
    rest = text[lead.end() :].strip(" ?.!") if lead else ""
    if (
        not lead
        or not lead.group().strip()
        or not rest
        or WH.match(rest)
        or _AUX_FIRST.match(rest)
        or _ASKS_INSIDE.search(rest)  # "what about the Delaware family, what made them sick?"
    ):
        return None
    return rest


def _held(corpus: Corpus, article_id: str | None) -> bool:
    return article_id is not None and any(a.id == article_id for a in corpus.articles)


def _leans_on_before(
    text: str, content_words: int, unknown: bool = False, own: bool = False
) -> bool:
    """Whether the line needs the previous turn: a lead word, a pronoun, a relation in time,
    or too few words of its own and no name (``own``: the few are all new to the conversation,
    a subject of the line's own). A word that is in no article and no English
    word, left after the slips are read (``unknown``: "what did the ntsb chairman say"),
    names a subject of the line's own as a name does: the previous turn cannot supply it."""
    words = WORD.findall(text)
    if not words or _refers(text):
        return True
    named = unknown or any(w[:1].isupper() for w in words[1:])
    return content_words <= MAX_BARE and not named and not own


def _refers(text: str) -> bool:
    """Whether the line points back at the turn before: a lead word ("and", "so", "what
    about"), a pronoun, or a relation in time ("after that")."""
    lowered = [w.lower() for w in WORD.findall(text)]
    if lowered and (lowered[0] in LEADS or _ABOUT.match(text)):
        return True
    return _points(text) or _in_time(text)


def _points(text: str) -> bool:
    """Whether ``text`` holds a pronoun standing for what came before ("when did that happen?")."""
    return any(w.lower() in POINTERS for w in WORD.findall(text))


def _in_time(text: str) -> bool:
    """Whether the line relates in time to the answer before ("and after that?", "what
    happened next?"); "the next election", "an earlier report" name a moment of their own."""
    lowered = [w.lower() for w in WORD.findall(text)]
    return any(
        w in AFTER | BEFORE and (i == 0 or lowered[i - 1] not in _DETERMINERS)
        for i, w in enumerate(lowered)
    )


def _fragment(text: str) -> bool:
    """Whether the line is a fragment of a question ("in which years?", "which province?",
    "who is investigating?"): its subject is the one before, read with it."""
    words = WORD.findall(text)
    return len(words) <= MAX_FRAGMENT or words[0].lower() in PREPOSITIONS


_HEADLINES: tuple[Corpus, dict[str, frozenset[str]]] | None = None  # built once per corpus


def _headline_words(corpus: Corpus, tokenizer: Tokenizer) -> dict[str, frozenset[str]]:
    """Each word of the articles' headlines and the articles whose headline has it: a word
    only a headline uses ("the blogger") still says which article a line is about."""
    global _HEADLINES
    if _HEADLINES is None or _HEADLINES[0] is not corpus:
        owners: dict[str, set[str]] = {}
        for article in corpus.articles:
            for token in tokenizer.tokens(article.headline):
                owners.setdefault(token, set()).add(article.id)
        _HEADLINES = (corpus, {t: frozenset(ids) for t, ids in owners.items()})
    return _HEADLINES[1]


def _names(corpus: Corpus, tokenizer: Tokenizer, text: str, foreign: list[str]) -> bool:
    """Whether one of the ``foreign`` tokens is a name: capitalised in the line after its
    first word, or one of the articles' names (:func:`index.names.name_stems`: so "brock
    guzman" typed in lower case still names someone)."""
    typed = set(tokenizer.tokens(" ".join(w for w in WORD.findall(text)[1:] if w[:1].isupper())))
    if typed & set(foreign):
        return True
    names = name_stems(corpus, tokenizer)
    return any(t in names for t in foreign)


def _split(question: str) -> tuple[str, str]:
    """A question as shown, "how many died (troops sent to Russia)?", as the question and
    the words carried into it."""
    match = _CARRIED.match(question)
    if match is None:
        return question, ""
    return f"{match['asked']}?", match["carried"]


def _without_lead(body: str) -> str:
    lead = WORD.match(body)
    if lead and lead.group().lower() in LEADS:
        return body[lead.end() :].lstrip(" ,")
    return body


def _missing(before: str, own: set[str], tokenizer: Tokenizer) -> str:
    """The span of ``before`` from the first to the last word the line lacks, as written
    (at most :data:`MAX_CARRIED` words, the latest kept): what the follow-up carries."""
    words = WORD.findall(query_text(before.replace("(", " ").replace(")", " ")))
    wanted = [i for i, w in enumerate(words) if set(tokenizer.tokens(w)) - own]
    if not wanted:
        return ""
    return " ".join(words[max(wanted[0], wanted[-1] + 1 - MAX_CARRIED) : wanted[-1] + 1])
