"""A follow-up put as a natural question: the previous turn's subject written into the line.

:mod:`index.followup` decides whether a line follows up the previous turn; this module
writes the question the reader should read when it does: "and her rival?" after "what
share of the vote did she get?" is "what share of the vote did her rival get?"; "when?"
after "how did X die?" is "when did X die?"; "and after that?" names the moment just
answered; "where is he from?" after "who won?" names the person answered. Each returns
None when the line is not of its kind. The word classes here (leads, pointers, relations
in time) are closed classes, like pronouns, not phrases per question; the follow-up
decision reads them too.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import replace

from index.gist import QUESTION_WORDS
from index.records import Answer
from index.tokenize import STOP_WORDS

LEADS = frozenset("and but so also then plus or".split())  # "and how many died?"
POINTERS = frozenset(
    "it its they them their theirs he him his she her hers this that these those there "
    "one ones latter former".split()
)
# The relation words of time: a closed class, like pronouns, not phrases per question.
AFTER = frozenset("after afterwards afterward next then later subsequently".split())
BEFORE = frozenset("before earlier previously prior".split())
ORDINALS = frozenset("first last".split())  # "which label first?" yields to "after that?"
# "and her rival?", "what about in the first round?": the previous question, another subject.
_SWAP = re.compile(
    r"^(?:(?:and|so|but)\s+(?:(?:what|how)\s+about\s+)?|(?:what|how)\s+about\s+)"
    r"(?P<subject>[^?!.]*?[^\W_][^?!.]*?)\s*[?!.]*$",
    re.I,
)
PREPOSITIONS = frozenset("in on at for to from during with by until since than of".split())
AUX = r"(?:is|was|are|were|did|does|do|has|have|had|will|can|could)"
_ASKED = re.compile(  # a question word, then the verb: "how| did X die?"
    rf"^\s*(?:how|what|when|where|who|whom|which|why)\s+(?={AUX}\b)", re.I
)
_SUBJECT_ASKED = re.compile(  # the question word is the subject: "who| called 911?"
    rf"^\s*(?:who|what)\s+(?!{AUX}\b)", re.I
)
# "what drones did kim show off": the thing asked about, then the verb and its subject.
_THING_ASKED = re.compile(
    rf"^\s*(?:what|which)\s+(?!{AUX}\b)[^\W\d_]+\s+(?P<aux>{AUX})\s+(?P<rest>\S.*)$", re.I
)
_BY_AUX = re.compile(rf"^\s*(?:how\s+(?:many|much)\s+\w+|\w+)\s+{AUX}\s+", re.I)
PERSONS = {"he": "", "him": "", "she": "", "his": "'s", "her": "'s", "hers": "'s"}
WORD = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*(?:(?<=\.[^\W_])\.)?")  # "B.B." keeps its dot
WH = re.compile(
    r"^\s*(?:how\s+(?:many|much)\s+\w+|how|what|when|where|who|whom|whose|which|why)\b\s*", re.I
)
_ORDINAL = re.compile(rf"\b(?:{'|'.join(ORDINALS)})\b", re.I)
_POINTED = re.compile(  # "after that", "before this": the moment just answered
    rf"\b(?:{'|'.join(sorted(AFTER | BEFORE))})\s+(?:that|this|it|then)\b", re.I
)
_WHEN = re.compile(r"^\s*(?:when|what\s+(?:time|day|date|year|month))\b", re.I)
NAME_RUN = re.compile(r"\b[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*")


def swapped_subject(text: str, asked: str) -> str | None:
    """ "and her rival?" after "what share of the vote did she get?" asks the same of another
    subject: "what share of the vote did her rival get?". A subject opening on a preposition
    replaces the previous question's phrase on it, or is added ("and in the first round?");
    any other replaces the person the previous question named (a pronoun, or its one name)."""
    subject = match["subject"] if (match := _SWAP.match(text.strip())) else ""
    words = {w.lower() for w in WORD.findall(subject)}
    if not words or words & QUESTION_WORDS or words <= POINTERS | AFTER | BEFORE | PREPOSITIONS:
        return None  # a question of its own; "and after that?", "and until then?": a moment
    before = asked.rstrip(" ?.!")
    figure = _swapped_figure(subject.strip(), before)
    if figure is not None:
        return figure
    first = WORD.findall(subject)[0]
    if first.lower() in PREPOSITIONS:
        phrase = list(re.finditer(rf"\b{re.escape(first)}\b", before, re.I))
        return f"{before[: phrase[-1].start()].rstrip() if phrase else before} {subject}?"
    names = [m for m in NAME_RUN.finditer(before) if m.start() > 0]
    person = _replace_person(f"{before}?", subject)
    if person is None and len(names) == 1 and not _after_preposition(before, names[0].start()):
        return f"{before[: names[0].start()]}{subject}{before[names[0].end() :]}?"  # "did Ortiz …"
    return person


_YEAR = re.compile(r"\b(?:1[6-9]|20)\d\d\b")
_NUMBER = re.compile(r"(?<![\w.,])\d[\d,.]*(?![\w])")


def _swapped_figure(subject: str, before: str) -> str | None:
    """ "and 2075?" after "how much would benefits be cut for those retiring in 2042?": the
    question of the one year (or figure) it holds, asked of the other; None when it holds none
    or several, or the subject is no figure."""
    if not _NUMBER.fullmatch(subject):
        return None
    year = _YEAR.fullmatch(subject) is not None
    found = [
        m for m in _NUMBER.finditer(before) if (_YEAR.fullmatch(m.group()) is not None) == year
    ]
    if len(found) != 1:
        return None
    return f"{before[: found[0].start()]}{subject}{before[found[0].end() :]}?"


def _after_preposition(text: str, at: int) -> bool:
    """Whether the word before ``at`` is a preposition: "sent to Russia" names a place, not
    the person "what about the drones?" would stand in for."""
    before = WORD.findall(text[:at])
    return bool(before) and before[-1].lower() in PREPOSITIONS


def asked_again(body: str, asked: str, answer: str | None) -> str | None:
    """A bare question word asks the previous question again: "when?" after "how did X
    die?" is "when did X die?"; after "who displayed drones?" (Kim Jong Un) it is "when was
    it that Kim Jong Un displayed drones?"."""
    if not WH.fullmatch(body):
        return None
    verb = _ASKED.match(asked)
    if verb:
        return f"{body} {asked[verb.end() :].rstrip(' ?.!')}?"
    thing = _THING_ASKED.match(asked.rstrip(" ?.!"))
    if thing and answer:  # "what drones did kim show off?" answered: "when did kim show off …"
        return f"{body} {thing['aux']} {thing['rest']} {answer}?"
    event = _event(asked, answer) if len(body.split()) == 1 else None
    return f"{body} was it that {event}?" if event else None


def _event(asked: str, answer: str | None) -> str | None:
    """The previous question and its answer as a statement: "who called 911?" answered
    "the mother" is "the mother called 911"; "when did the plane land?" is "the plane land"
    (the answer, when the question asks for something else, stands apart)."""
    asked = asked.rstrip(" ?.!")
    subject = _SUBJECT_ASKED.match(asked)
    if subject and answer:
        return f"{answer} {asked[subject.end() :]}"
    by_aux = _BY_AUX.match(asked)
    if by_aux:
        return asked[by_aux.end() :]
    return None


def in_time(line: str, body: str, asked: str, answer: str | None) -> str | None:
    """A follow-up relative in time to the previous answer, with that moment named:
    "and after that?" is the previous question "after <answer>"; "what happened next?"
    is "what happened after <the previous question as a statement>?"; "how many died
    after that?" names the answer in place of "that" when it is a moment, not a count."""
    relation = next(
        (
            "after" if w in AFTER else "before"
            for w in (w.lower() for w in WORD.findall(line))
            if w in AFTER or w in BEFORE
        ),
        None,
    )
    if relation is None or not answer:
        return None
    rest = [w.lower() for w in WORD.findall(body)]
    rest = [w for w in rest if w not in AFTER | BEFORE | POINTERS | LEADS]
    moment = _moment(asked, answer)
    if not rest:  # "and after that?", "then?": the previous question, at the other moment
        again = _ORDINAL.sub("", asked.rstrip(" ?.!"))
        return f"{' '.join(again.split())} {relation} {moment or answer}?"
    if rest[0] == "what" and len(rest) <= 2:  # "what happened next?", "and then what?"
        event = moment or _event(asked, answer) or answer
        return f"what {' '.join(rest[1:]) or 'happened'} {relation} {event}?"
    if moment is None:  # "how many before that?": "before 3,000" would mean nothing
        return f"{body}?"
    return f"{_POINTED.sub(f'{relation} {moment}', body, count=1)}?"


def _moment(asked: str, answer: str) -> str | None:
    """The moment a previous answer stands for: the answer to "when ...?", or what a
    question about who or what did something says happened ("the mother called 911");
    None for any other answer (a count, a place), which names no moment."""
    if _WHEN.match(asked):
        return answer
    return _event(asked, answer) if _SUBJECT_ASKED.match(asked) else None


def person_answered(text: str, question: str, answer: str | None) -> str | None:
    """ "where is he from?" after "who won ...?": the pronoun read as the person answered;
    after "who is ahmed mohamed?" answered "a 14-year-old boy", as the one asked about."""
    if not (
        answer
        and WH.match(question)
        and question.split()[0].lower() in {"who", "whom"}
        and not any(w.lower() in PERSONS for w in WORD.findall(question))
    ):  # "who met him?": "he" is still the one "him" was, not the person answered
        return None
    asked_about = _WHO_IS.match(question.strip())
    if asked_about and not _A_NAME.fullmatch(answer.strip()):  # a description, not a name
        return _replace_person(text, asked_about["who"])
    return _replace_person(text, answer)


def name_carried(text: str, carried: str) -> str | None:
    """ "what did he name his guitars?" after "how old is B.B. King?": the pronoun read as
    the name the previous question was about, when all it carries is that name."""
    if not all(w[:1].isupper() for w in carried.split()):
        return None
    return _replace_person(text, carried)


# "who is ahmed mohamed?", "who was the mayor?": the one a description answers about.
_WHO_IS = re.compile(r"^who(?:'s|’s|\s+is|\s+was|\s+are|\s+were)\s+(?P<who>[^?]+?)\s*\??$", re.I)
_A_NAME = re.compile(
    r"(?:(?:Dr|Mr|Mrs|Ms)\.?\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|van|von|bin|al))*"
)


# A quotation a line asks about, before or after the question pointing at it: '"time was
# running out" who said that?', 'who said that: "time was running out"'.
_QUOTE = r"""(?P<quote>["“][^"“”]*?\w+\s+\w+[^"“”]*["”])"""
_QUOTE_FIRST = re.compile(rf"^\s*{_QUOTE}[\s,.:;!?—–-]*(?P<asked>[^\W\d_].*?)[\s?!.]*$")
_QUOTE_LAST = re.compile(rf"^\s*(?P<asked>[^\W\d_].*?)[\s,.:;—–-]*{_QUOTE}[\s?!.]*$")
_POINTER = re.compile(r"\b(?:that|this|it)\b", re.I)


def quote_asked(text: str) -> str | None:
    """'"time was running out" who said that?' as the question it asks, 'who said "time was
    running out"?': the quotation put where the word pointing at it stands (None for any other
    line). Asked as typed, the reader named another speaker with confidence (0.82); put so, the
    right one. A quotation is its own subject, never the conversation's."""
    found = _QUOTE_FIRST.match(text) or _QUOTE_LAST.match(text)
    if found is None or not WH.match(found["asked"]):
        return None
    asked = found["asked"].rstrip(" ?!.:,")
    pointer = list(_POINTER.finditer(asked))
    if not pointer:
        return None
    at = pointer[-1]
    return f"{asked[: at.start()]}{found['quote']}{asked[at.end() :]}?"


def asked_of(rest: str) -> str | None:
    """ "elaine smith, what did she say" (after "what about"): the question after the comma,
    asked of the subject before it ("what did elaine smith say?"); None without such a
    question. Appended to the previous question, it had read "what party is John Mason from
    elaine smith, what did she say?"."""
    subject, comma, question = rest.partition(",")
    subject, question = subject.strip(), question.strip(" ?!.")
    if not comma or not subject or not WH.match(question):
        return None
    return _replace_person(f"{question}?", subject) or f"{question} ({subject})?"


def _replace_person(text: str, person: str) -> str | None:
    for match in WORD.finditer(text):
        ending = PERSONS.get(match.group().lower())
        if ending is not None:
            return f"{text[: match.start()]}{person}{ending}{text[match.end() :]}"
    return None


# "out of how many?", "of how many?", "out of what?", "and in total?": the whole the last
# answer is part of.
_TOTAL_ASKED = re.compile(
    r"^\s*(?:(?:and|so)\s+)?(?:(?:out\s+)?of\s+(?:how\s+many|what)|in\s+total|in\s+all)\W*$",
    re.I,
)
_FIGURE = r"\d[\d,.]*\d|\d"


def asks_total(line: str) -> bool:
    """Whether ``line`` asks the whole the last answer is part of ("out of how many?")."""
    return _TOTAL_ASKED.match(line) is not None


def total_of(part: str, sentences: Iterable[str]) -> tuple[str, str] | None:
    """The whole that a figure answered (``part``, "85") is given as part of, and the
    sentence saying so: "close 85 of its 240 shops" gives "240 shops"; None when no sentence
    writes the figure as a part ("85 of …", "85 out of …")."""
    figure = re.search(_FIGURE, part)
    if figure is None:
        return None
    pattern = re.compile(
        rf"(?<![\d,.]){re.escape(figure.group())}\s+(?:\w+\s+)?(?:out\s+)?of\s+"
        rf"(?:the|its|their|his|her|our|a\s+total\s+of|some|about|around)?\s*"
        rf"(?P<whole>(?:{_FIGURE})(?:\s+[a-z][\w-]*){{0,3}})",
    )
    for sentence in sentences:
        found = pattern.search(sentence)
        if found is not None:
            number, *words = found["whole"].split()
            kept = list(itertools.takewhile(_nounish, words))
            return " ".join([number, *kept]), sentence
    return None


def _nounish(word: str) -> bool:
    """A word that may name what a figure counts ("shops", "ward"), not one going on ("by")."""
    return word not in STOP_WORDS and not word.endswith(("ed", "ing"))


def total_answer(answer: Answer, part: str, threshold: float) -> Answer | None:
    """ "out of how many?" after "85": the whole the sentence holding the figure gives it as part
    of ("85 of its 240 shops"), that sentence cited first; None when no cited sentence does.
    The reader, asked "out of how many?", gave the part again. The whole is read off the very
    sentence the part came from, so it is given as sure as the threshold at least."""
    found = total_of(part, [c.text for c in answer.citations])
    if found is None:
        return None
    whole, sentence = found
    held = next(c for c in answer.citations if c.text == sentence)
    ordered = [held, *(c for c in answer.citations if c is not held)]
    return replace(
        answer,
        found=True,
        answer=whole,
        confidence=max(answer.confidence, threshold),
        citations=tuple(replace(c, n=n) for n, c in enumerate(ordered, 1)),
        answer_citation=1,
        article_id=held.article_id,
        article_title=held.article_title,
        hint=None,
    )
