"""Reading a follow-up question with the previous turn of its conversation.

People chat: after "how many troops were sent to Russia?" they ask "and how
many died?", "when?", "who said that?". Alone, such a line has no subject and
a search finds whichever passage ranks first. Read with the previous turn it
has one: the same article first, and the previous question's content words the
follow-up lacks carried into retrieval and reading ("how many died (troops
were sent to Russia)?").

The decision is made from signals, not phrases per question. The content words
of a line are its retrieval tokens that some article holds (the interrogative
phrase and stop words left out). A line

* **names another subject** when one of its content words is in some article
  but not in the previous answer's: it starts afresh, so a conversation never
  traps anyone in one article;
* **is a follow-up** otherwise when it leans on what came before: it opens
  with "and", "so", "also", "what about"..., holds a pronoun ("it", "they",
  "that", "one"...), or has at most :data:`MAX_BARE` content words and no name
  of its own (a capitalised word after the first);
* **stands alone** otherwise (its own subject, all in the previous article):
  it starts afresh too, and the ranking finds that article by itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.corpus import Corpus
from index.question_types import query_text
from index.tokenize import Tokenizer

MAX_BARE = 2  # a line with this few content words and no name of its own lacks a subject
LEADS = frozenset("and but so also then plus or".split())  # "and how many died?"
POINTERS = frozenset(
    "it its they them their theirs he him his she her hers this that these those there "
    "one ones latter former".split()
)
_ABOUT = re.compile(r"^(?:(?:and|so|but)\s+)?(?:what|how)\s+about\s+", re.I)  # "what about X?"
_ASKED = re.compile(  # a question word, then the verb: "how| did X die?"
    r"^\s*(?:how|what|when|where|who|whom|which|why)\s+(?=(?:is|was|are|were|did|does|do|has|have|had|will|can|could)\b)",
    re.I,
)
PERSONS = {"he": "", "him": "", "she": "", "his": "'s", "her": "'s", "hers": "'s"}
_WORD = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*")
_WH = re.compile(
    r"^\s*(?:how\s+(?:many|much)\s+\w+|how|what|when|where|who|whom|whose|which|why)\b\s*", re.I
)


@dataclass(frozen=True, slots=True)
class Previous:
    """What a conversation remembers of its last turn: the question as read, and the
    article its answer came from (None when there was none to stay with)."""

    question: str
    article_id: str | None
    answer: str | None = None  # the short answer given, which "he" or "she" may stand for


@dataclass(frozen=True, slots=True)
class Reading:
    """How to answer a line: the text to search and read, the article to search first
    (None: all), and ``read_as``, the text when the previous turn changed it (else None)."""

    text: str
    article_id: str | None = None
    read_as: str | None = None


def read_in_context(
    corpus: Corpus, tokenizer: Tokenizer, text: str, previous: Previous | None
) -> Reading:
    """``text`` (a cleaned question) read with ``previous``: as a follow-up, or afresh."""
    if previous is None:
        return Reading(text)
    article = previous.article_id if _held(corpus, previous.article_id) else None
    own = _content(corpus, tokenizer, text)
    if article is not None and any(article not in corpus.articles_with(t) for t in own):
        return Reading(text)  # another subject: afresh
    if not _leans_on_before(text, len(own)):
        return Reading(text)  # stands alone
    rewritten = _person(text, previous) or _carried(text, previous.question, set(own), tokenizer)
    return Reading(rewritten, article, rewritten if rewritten != text else None)


def _held(corpus: Corpus, article_id: str | None) -> bool:
    return article_id is not None and any(a.id == article_id for a in corpus.articles)


def _content(corpus: Corpus, tokenizer: Tokenizer, text: str) -> list[str]:
    """The line's retrieval tokens that some article holds, its interrogative phrase left out."""
    tokens = dict.fromkeys(tokenizer.tokens(query_text(text)))
    return [t for t in tokens if corpus.articles_with(t)]


def _leans_on_before(text: str, content_words: int) -> bool:
    """Whether the line needs the previous turn: a lead word, a pronoun, or too few words
    of its own and no name."""
    words = _WORD.findall(text)
    lowered = [w.lower() for w in words]
    if not lowered or lowered[0] in LEADS or _ABOUT.match(text):
        return True
    if any(w in POINTERS for w in lowered):
        return True
    named = any(w[:1].isupper() for w in words[1:])
    return content_words <= MAX_BARE and not named


def _person(text: str, previous: Previous) -> str | None:
    """ "where is he from?" after "who won ...?": the pronoun read as the person answered."""
    if not (
        previous.answer
        and _WH.match(previous.question)
        and previous.question.split()[0].lower() in {"who", "whom"}
    ):
        return None
    for match in _WORD.finditer(text):
        ending = PERSONS.get(match.group().lower())
        if ending is not None:
            return f"{text[: match.start()]}{previous.answer}{ending}{text[match.end() :]}"
    return None


def _carried(text: str, before: str, own: set[str], tokenizer: Tokenizer) -> str:
    """``text`` with the previous question's words it lacks: "what about X" takes the
    previous question with X; any other line gets them in brackets, as they were asked."""
    about = _ABOUT.match(text)
    body = text.rstrip(" ?.!")
    if not before.strip(" ?.!"):
        return text  # the last turn was a summary: the article is all there is to carry
    if about:
        return f"{before.rstrip(' ?.!')} {body[about.end() :]}?"
    lead = _WORD.match(body)
    if lead and lead.group().lower() in LEADS:
        body = body[lead.end() :].lstrip(" ,")
    asked = _ASKED.match(before)
    if asked and _WH.fullmatch(body):  # "when?" after "how did X die?": "when did X die?"
        return f"{body} {before[asked.end() :].rstrip(' ?.!')}?"
    words = _WORD.findall(query_text(before))
    wanted = [i for i, w in enumerate(words) if set(tokenizer.tokens(w)) - own]
    if not wanted:
        return text
    span = " ".join(words[wanted[0] : wanted[-1] + 1])
    if all(w[:1].isupper() for w in span.split()):  # a name: "he" is B.B. King
        named = _person(body, Previous(f"who {span}", None, span))
        if named:
            return f"{named}?"
    return f"{body} ({span})?"
