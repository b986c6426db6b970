"""What a question asks for, and whether a sentence holds that kind of thing.

The short answer itself comes from the trained reader (:mod:`index.reader`);
what is left here serves retrieval: the question word decides the kind of
answer wanted (:func:`question_type`, also the ``answer_type`` users see),
:func:`query_text` drops the interrogative phrase before BM25, and
:func:`typed_evidence` lifts a sentence holding a number for "how many" or a
date for "when" in the sentence ranking. The engine analyses each question
once into a :class:`Question` that the ranking reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from index.tokenize import STOP_WORDS, Tokenizer

MIN_PREFIX = 5  # shortest stem that counts as extended by a longer one ("russia"/"russian")

MONEY = "money"  # the unit of "how much did they pay"

NUMBER = "number"
DATE = "date"
PERSON = "person"
PLACE = "place"
ENTITY = "entity"
REASON = "reason"
QUOTE = "quote"
OTHER = "other"
YES_NO = "yes/no"  # "did the bill pass?": no span of the article answers it

# "Who is Oleh Saakyan?" asks for a description, not for another name.
_WHO_IS_NAME = re.compile(r"^\s*[Ww]ho(?:'s| is| was| are| were)\s+(?:[A-Z][\w’'\-.]*\s*)+\??\s*$")

_TYPE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\bhow (many|much|long|far|old|large|big|tall|high|wide|deep|heavy|often|fast)\b"
            r"|\bwhat (number|percentage|percent|amount|proportion|share|fraction)\b",
            re.I,
        ),
        NUMBER,
    ),
    (
        re.compile(
            r"\bwhen\b|\b(what|which|in what|in which) (year|date|day|time|month|decade|century|"
            r"era|period|season)s?\b|\bhow long ago\b",
            re.I,
        ),
        DATE,
    ),
    (re.compile(r"\bwho(m|se)?\b|\bwhat(?:'s| is| was) the name of\b", re.I), PERSON),
    (
        re.compile(
            r"\bwhere\b|\b(which|what) (\w+ )?(country|countries|city|cities|region|state|town|place|"
            r"area|province|continent|county|location|island|river|mountain|capital|nation)\b",
            re.I,
        ),
        PLACE,
    ),
    (
        re.compile(
            r"\b(which|what) (\w+ )?(agency|company|companies|organi[sz]ations?|group|newspaper|"
            r"team|party|university|outlet|network|station|band|club|school|college|"
            r"institution|church|ship|airline|brand|channel)\b",
            re.I,
        ),
        ENTITY,
    ),
    (re.compile(r"\bwhy\b", re.I), REASON),
    (
        re.compile(
            r"\b(?:what|how) (?:did|does|do|has|have|had|was|is|were|would|will) .*\b(?:say|said|"
            r"describe|described|call|called|term|termed|characteri[sz]e|quote|quoted|state|"
            r"claim|announce|tell|told|write|wrote|comment|warn)\b",
            re.I,
        ),
        QUOTE,
    ),
)

# The interrogative phrase itself ("how many", "what year") is not evidence.
_WH_PHRASE = re.compile(
    r"\bhow (many|much|long|far|old|large|big|tall|high|wide|deep|heavy|often|fast)\b", re.I
)

_TYPE_NOUN = re.compile(r"\b(?:what|which|whose)\s+([a-z]+)", re.I)
_AUXILIARIES = frozenset(
    "is was are were did does do has have had can could would will should may might must "
    "the a an".split()
)
_FILLERS = ("name", "named", "called", "call", "kind", "type", "sort", "stand", "term", "known")

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    "zero|hundred|hundreds|thousand|thousands|dozen|dozens|million|millions|billion|billions|"
    "trillion|half|quarter|single|double|triple"
)
_QUANT_PREFIX = (
    r"(?:(?:more|fewer|less) than|over|under|about|around|nearly|almost|at least|at most|some|"
    r"approximately|roughly|up to|an additional|another|additional|only|just|an estimated|"
    r"estimated)\s+"
)
_NUMBER_RE = re.compile(
    rf"(?:{_QUANT_PREFIX})?(?:[$£€¥]\s?)?(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|\b(?:{_NUMBER_WORDS})\b)"
    rf"(?:[\s-]+(?:{_NUMBER_WORDS}|percent|per cent)\b|%)*",
    re.I,
)
_DATE_RE = re.compile(
    rf"\b(?:(?:early|mid|late|in|on|since|by|during)\s+)?"
    rf"(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})(?:,?\s+\d{{4}})?"
    rf"|(?:early |mid-?|late )?(?:{_MONTHS})(?:\s+(?:and|or|to)\s+(?:{_MONTHS}))?(?:,?\s+\d{{4}})?"
    rf"|(?:spring|summer|autumn|fall|winter)(?:\s+of)?\s+\d{{4}}"
    rf"|(?:the\s+)?(?:early\s+|late\s+|mid-?)?\d{{1,2}}(?:st|nd|rd|th)\s+century"
    rf"|(?<!\d[,.])\d{{3,4}}(?:s|\s?(?:BC|AD|BCE|CE))?(?:\s*(?:and|to|or|-|–)\s*\d{{2,4}}s?)?"
    rf"|\d{{1,2}}(?::\d{{2}})?\s*[ap]\.?m\.?"
    rf"|(?:last|next|this|earlier|later) (?:week|month|year|day|decade)|yesterday|today|tomorrow)\b",
    re.I,
)
_DATE_LEAD = re.compile(r"(?:in|on|since|by|during)\s+", re.I)
_NAME_RE = re.compile(
    r"\b[A-Z][\w’'\-.]*[\w’']?(?:\s+(?:of|de|da|di|du|von|van|der|al|bin|the|and|la|le|y)?"
    r"\s*[A-Z][\w’'\-]*)*"
)
_OPENERS = frozenset(
    "around even however although though also another many most several each every other "
    "later earlier today yesterday here there thus therefore meanwhile instead still yet "
    "according despite following including like unlike unfortunately fortunately "
    "formal informal recent recently".split()
)
_ASKS_YEAR = re.compile(r"\b(?:what|which)\s+years?\b", re.I)
_YEAR = re.compile(r"\b(?:1[0-9]|20)\d\d\b")
_POSSESSIVE_SPLIT = re.compile(r"(?<=\w)[’']s\s+")
_QUOTED = re.compile(r"[“\"]([^”\"]{3,})[”\"]")
_ADVERB = re.compile(r"^\w+(?:ly|ing|ed)$", re.I)  # "previously", "showcasing", "stated"
_PERCENT = re.compile(r"%|\bper ?cent\b", re.I)
_SHARE_OF = re.compile(r"\s+of\s+(?:the\s+|all\s+|its\s+|their\s+)?([\w\-]+(?:\s+[\w\-]+)?)", re.I)
_CURRENCY = re.compile(r"[$£€¥]|\b(?:dollars?|pounds?|euros?|yen|yuan|rubles?|won)\b", re.I)
_MONEY_QUESTION = re.compile(
    r"\b(?:money|cost|costs|pay|paid|price|spend|spent|worth|fund|funding|raise|raised|earn|"
    r"earned|budget|fee|fees|salary|sell|sold|buy|bought|revenue|profit|loss|income|"
    r"dollars?|pounds?|euros?)\b",
    re.I,
)
# Function words that never begin or end an answer ("as [per]", "is [already] becoming").


@dataclass(frozen=True, slots=True)
class Candidate:
    text: str
    start: int
    end: int
    score: float = 0.0
    typed: bool = False  # matches the answer type the question asks for
    unit_match: bool | None = None  # counts what "how many X" asks for (None: no X asked)


@dataclass(frozen=True, slots=True)
class Question:
    """A question as the ranking reads it, analysed once (:meth:`of`) and passed along whole.

    ``text`` is the question as read (slips respelled); ``query`` its retrieval
    tokens without the interrogative phrase; ``tokens`` every token of it;
    ``fillers`` the tokens naming the kind of answer ("what *year*"), which
    count for less; ``unit`` what "how many X" counts; ``years`` whether a
    calendar year is wanted; ``money`` whether it asks about money.
    """

    text: str
    kind: str
    query: tuple[str, ...]
    tokens: frozenset[str]
    fillers: frozenset[str]
    unit: str | None
    years: bool
    money: bool

    @classmethod
    def of(cls, text: str, tokenizer: Tokenizer) -> Question:
        kind = question_type(text)
        return cls(
            text=text,
            kind=kind,
            query=tuple(tokenizer.tokens(query_text(text))),
            tokens=frozenset(tokenizer.tokens(text)),
            fillers=answer_type_words(text, tokenizer),
            unit=asked_unit(text, tokenizer) if kind == NUMBER else None,
            years=asks_year(text),
            money=_MONEY_QUESTION.search(text) is not None,
        )


# An auxiliary first, no question word after it and no "or": asks yes or no ("did the bill
# pass?", "is the fire out?"); "do we know who did it?" and "is it X or Y?" ask for a span.
_YES_NO = re.compile(
    r"^\s*(?:is|are|was|were|do|does|did|has|have|had|will|would|can|could|should|shall|may"
    r"|might|must|isn'?t|aren'?t|wasn'?t|weren'?t|didn'?t|doesn'?t|don'?t|hasn'?t|haven'?t)\b"
    r"(?!.*\b(?:who|whom|whose|what|when|where|why|which|how|or)\b)",
    re.I,
)


def question_type(question: str) -> str:
    if _YES_NO.match(question):
        return YES_NO
    if _WHO_IS_NAME.match(question):
        return OTHER
    for pattern, kind in _TYPE_RULES:
        if pattern.search(question):
            return kind
    return OTHER


def query_text(question: str) -> str:
    """The question without its interrogative phrase, for retrieval."""
    return _WH_PHRASE.sub(" ", question)


def asked_unit(question: str, tokenizer: Tokenizer) -> str | None:
    """The counted thing in "how many troops ..." as a token ("troop"), if any.

    "How much did Russia pay?" names no unit but asks for money: the unit is
    then "money", so a count of soldiers does not pass for the price.
    """
    match = re.search(r"\bhow (many|much)\s+(\w+)", question, re.I)
    if not match:
        return None
    tokens = tokenizer.tokens(match.group(2))
    if tokens:
        return tokens[0]
    if match.group(1).lower() == "much" and _MONEY_QUESTION.search(question):
        return MONEY
    return None


def asks_year(question: str) -> bool:
    """ "In which years ...", "what year ...": a calendar year is wanted, not any date."""
    return _ASKS_YEAR.search(question) is not None


def answer_type_words(question: str, tokenizer: Tokenizer) -> frozenset[str]:
    """Tokens that name the kind of answer ("what *year*", "the *name* of") rather than evidence."""
    words = {w.lower() for w in _TYPE_NOUN.findall(question)} - _AUXILIARIES
    words |= {w for w in _FILLERS if re.search(rf"\b{w}\b", question, re.I)}
    return frozenset(t for w in words for t in tokenizer.tokens(w))


def _typed_candidates(kind: str, sentence: str) -> list[Candidate]:
    if kind == NUMBER:
        return [
            _with_unit(m, sentence)
            for m in _NUMBER_RE.finditer(sentence)
            if _is_quantity(m.group()) and not _in_date(m, sentence)
        ]
    if kind == DATE:
        dates = []
        for m in _DATE_RE.finditer(sentence):
            lead = _DATE_LEAD.match(m.group())
            start = m.start() + (lead.end() if lead else 0)
            dates.append(Candidate(sentence[start : m.end()].strip(), start, m.end()))
        return dates
    if kind in (PERSON, ENTITY):
        return [c for c in _names(sentence) if not _DATE_RE.fullmatch(c.text)]
    if kind == PLACE:
        return _names(sentence)
    if kind == QUOTE:
        return [
            Candidate(m.group(1).strip(" ,."), m.start(1), m.end(1))
            for m in _QUOTED.finditer(sentence)
        ]
    if kind == OTHER:
        return _names(sentence)
    return []


def typed_evidence(question: Question, sentence: str, tokenizer: Tokenizer) -> float:
    """How well ``sentence`` holds the kind of thing ``question`` asks for, 0 to 1.

    1 for a number counting the asked unit ("3,000 troops" for "how many
    troops"), 0.5 for a number of something else, a date for "when", a quote
    for "what did they say"; 0 otherwise.
    """
    kind, unit = question.kind, question.unit
    if kind == NUMBER:
        found = 0.0
        for match in _NUMBER_RE.finditer(sentence):
            if not _is_quantity(match.group()):
                continue
            if unit is None:
                return 0.5
            found = 0.5
            if counts_unit(unit, _with_unit(match, sentence), sentence, question.money, tokenizer):
                return 1.0
        return found
    if kind == DATE:
        if question.years and _YEAR.search(sentence):
            return 1.0
        return 0.5 if _DATE_RE.search(sentence) else 0.0
    if kind == QUOTE:
        return 0.5 if _QUOTED.search(sentence) else 0.0
    if kind in (PERSON, PLACE, ENTITY):
        names = _typed_candidates(kind, sentence)
        return 0.5 if any(_novel(c.text, question.tokens, tokenizer) for c in names) else 0.0
    return 0.0


def counts_unit(
    unit: str, candidate: Candidate, sentence: str, money: bool, tokenizer: Tokenizer
) -> bool:
    """Whether the number ``candidate`` counts the ``unit`` that "how many <unit>" asks for.

    Its own words ("3,000 troops"), the noun after a share ("42% *of teachers*"),
    or money for a question about ``money`` ("$100,000" for "how much money").
    """
    if unit in tokenizer.tokens(candidate.text):
        return True
    share = _SHARE_OF.match(sentence, candidate.end) if _PERCENT.search(candidate.text) else None
    if share and unit in tokenizer.tokens(share.group(1)):
        return True
    return money and bool(_CURRENCY.search(candidate.text))


def _in_date(match: re.Match[str], sentence: str) -> bool:
    """ "27" in "March 27" is a day, not a count."""
    return any(
        d.start() <= match.start() and match.end() <= d.end() and re.search(_MONTHS, d.group())
        for d in _DATE_RE.finditer(sentence)
    )


def _is_quantity(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    # Bare years are dates, not counts.
    return not (len(digits) == 4 and digits.startswith(("1", "20")) and "," not in text)


def _with_unit(match: re.Match[str], sentence: str) -> Candidate:
    """Extend "3,000" with the noun it counts: "3,000 North Korean troops"."""
    end = match.end()
    words = list(re.finditer(r"[A-Za-z][\w\-’']*", sentence[end:]))[:4]
    unit_end = end
    for word in words:
        between = sentence[unit_end : end + word.start()]
        if between.strip(" -") or len(between) > 2 or word.group().lower() in STOP_WORDS:
            break
        unit_end = end + word.end()
        if word.group()[0].islower():
            break
    text = sentence[match.start() : unit_end].strip()
    return Candidate(text, match.start(), match.start() + len(text))


def _names(sentence: str) -> list[Candidate]:
    out = []
    for match in _NAME_RE.finditer(sentence):
        for part in _POSSESSIVE_SPLIT.split(match.group()):
            text = part.rstrip(".").strip()
            if not text:
                continue
            offset = match.start() + match.group().index(part)
            for word in ("The ", "A ", "An "):  # a leading article is not part of a name
                if text.startswith(word) and len(text) > len(word):
                    text = text[len(word) :]
            start = offset + part.index(text)
            if not sentence[:start].strip(" “\"'‘("):
                text, start = _drop_sentence_opener(text, start)
            if not text or (" " not in text and text.lower() in STOP_WORDS):
                continue
            out.append(Candidate(text, start, start + len(text)))
    return out


def _drop_sentence_opener(text: str, start: int) -> tuple[str, int]:
    """ "In Scotland" -> "Scotland", "Around" -> "": capitals that only open the sentence."""
    while text:
        first, _, rest = text.partition(" ")
        lower = first.lower()
        if not (lower in STOP_WORDS or lower in _OPENERS or _ADVERB.match(lower)):
            break
        start += len(text) - len(rest)
        text = rest
    return text, start


def _novel(text: str, question_tokens: AbstractSet[str], tokenizer: Tokenizer) -> bool:
    """A candidate made only of the question's own words answers nothing.

    "Russia" is the question's own word when it asks about "the Russian
    minister": the stemmer keeps the two apart, a shared prefix does not.
    """
    tokens = tokenizer.tokens(text)
    if not tokens:
        return False
    return any(t not in question_tokens and not shares_prefix(t, question_tokens) for t in tokens)


def shares_prefix(token: str, others: Iterable[str]) -> bool:
    """ "russia" and "russian", "victoria" and "victorian": one stem extends the other."""
    if len(token) < MIN_PREFIX:
        return False
    return any(
        len(other) >= MIN_PREFIX and (other.startswith(token) or token.startswith(other))
        for other in others
    )
