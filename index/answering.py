"""From ranked sentences to a short answer.

No trained model. The question word decides what kind of answer is wanted
(:func:`question_type`); regular patterns find candidates of that kind in a
sentence (numbers with their unit, dates, capitalised names, names after a
place preposition), and for other questions every run of words between
punctuation and the question's own words is a candidate, the "shortest
clause that answers". Words already in the question never make an answer.
Candidates are scored by how close they sit to the question's words in the
sentence (idf-weighted), whether they have the wanted type, and their
length; :func:`find_answer` returns the best with that score so the engine
can weigh it against the sentence's evidence and refuse when both are weak.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from index.tokenize import STOP_WORDS, Tokenizer

MAX_ANSWER_WORDS = 12
# Candidate scores (README, "Evaluation"): 0.55 x closeness to the question's words plus these.
TYPED_BONUS = 0.5  # a candidate of the asked type (name for "who", date for "when")
OTHER_NAME_BONUS = 0.1  # a name, for questions of no particular type
PLACED_BONUS = 0.15  # a name after "in", "at", "near"... for "where" questions
UNIT_MISMATCH = 0.3  # a number counting something other than what "how many X" asks
SANDWICH_PENALTY = 0.3  # words wedged between question words ("latest *troop* deployment")
STRANDED_BONUS = 0.2  # "dependent on?" answered by what follows "dependent on" in the sentence
BEFORE_ANCHOR = 1.0  # weight of question words that come after the candidate
PROXIMITY_DECAY = 4.0  # words of distance at which a question word's pull falls to 1/e
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
_PLACE_PREFIX = re.compile(
    r"\b(?:in|at|to|from|near|into|across|inside|outside|on|throughout|within)\s+(?:the\s+)?$",
    re.I,
)
_OPENERS = frozenset(
    "around even however although though also another many most several each every other "
    "later earlier today yesterday here there thus therefore meanwhile instead still yet "
    "according despite following including like unlike unfortunately fortunately "
    "formal informal recent recently".split()
)
_ASKS_YEAR = re.compile(r"\b(?:what|which)\s+years?\b", re.I)
_YEAR = re.compile(r"\b(?:1[0-9]|20)\d\d\b")
_MODIFIER_QUESTION = re.compile(r"\b(?:kind|type|sort|form|style|color|colour)s? of\b", re.I)
_POSSESSIVE_SPLIT = re.compile(r"(?<=\w)[’']s\s+")
_OWNER_BEFORE = re.compile(r"(?:[A-Z][\w\-]*\s+)*[A-Z][\w\-]*[’']s\s+$")
_WORD = re.compile(r"[^\W_]+(?:['’.,\-][^\W_]+)*%?")
# Words that end a clause: an answer span never runs across them.
_BREAKS = frozenset(
    "which who whom whose that because while although though since when where whereas "
    "however but as if so than".split()
)
_QUOTED = re.compile(r"[“\"]([^”\"]{3,})[”\"]")
_ADVERB = re.compile(r"^\w+(?:ly|ing|ed)$", re.I)  # "previously", "showcasing", "stated"
_PUNCTUATION = re.compile(r"[,;:()\[\]“”\"!?]|\s[–—-]\s|[–—]")
# A nationality used as an adjective: "[North Korean] soldiers", "[Chinese] officials".
_DEMONYM_MODIFIER = re.compile(r"(?:[A-Z][\w\-]*\s+)*[A-Z][\w\-]*(?:an|ese|ish|i)\s+([a-z][\w\-]*)")
_PREPOSITIONS = frozenset(
    "by with of for from to in on at about into onto over under between among against".split()
)
_ENDING_PREPOSITION = re.compile(rf"\b({'|'.join(sorted(_PREPOSITIONS))})\s*\??\s*$", re.I)
_PERCENT = re.compile(r"%|\bper ?cent\b", re.I)
_SHARE_OF = re.compile(r"\s+of\s+(?:the\s+|all\s+|its\s+|their\s+)?([\w\-]+(?:\s+[\w\-]+)?)", re.I)
_CURRENCY = re.compile(r"[$£€¥]|\b(?:dollars?|pounds?|euros?|yen|yuan|rubles?|won)\b", re.I)
_MONEY_QUESTION = re.compile(
    r"\b(?:money|cost|costs|pay|paid|price|spend|spent|worth|fund|funding|raise|raised|earn|"
    r"earned|budget|fee|fees|salary|sell|sold|buy|bought|revenue|profit|loss|income|"
    r"dollars?|pounds?|euros?)\b",
    re.I,
)
_LONE_LETTER = re.compile(r"[^\W\d_]\.?")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
# Function words that never begin or end an answer ("as [per]", "is [already] becoming").
_SPAN_EDGE_STOP = STOP_WORDS | frozenset(
    "also such both either neither many much per via already just even still".split()
)


@dataclass(frozen=True, slots=True)
class Candidate:
    text: str
    start: int
    end: int
    score: float = 0.0
    typed: bool = False  # matches the answer type the question asks for
    unit_match: bool | None = None  # counts what "how many X" asks for (None: no X asked)


@dataclass(frozen=True, slots=True)
class _Word:
    text: str
    start: int
    end: int
    stem: str | None  # None for stop words


def question_type(question: str) -> str:
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


def extract_answer(question: str, kind: str, sentence: str, tokenizer: Tokenizer) -> str | None:
    """The short answer inside ``sentence``, or None when nothing fits ``kind``."""
    found = find_answer(question, kind, sentence, tokenizer)
    return found.text if found else None


def find_answer(
    question: str,
    kind: str,
    sentence: str,
    tokenizer: Tokenizer,
    weight: Callable[[str], float] | None = None,
) -> Candidate | None:
    """The best answer candidate in ``sentence`` with a score in [0, 1].

    ``weight`` gives a question token its importance (idf); equal weights
    when omitted. A candidate of the wanted type scores higher than a plain
    clause; for numbers and dates only typed candidates count.
    """
    question_tokens = set(tokenizer.tokens(question))
    words = _words(sentence, tokenizer)
    anchors = [
        (i, weight(w.stem) if weight else 1.0)
        for i, w in enumerate(words)
        if w.stem is not None and w.stem in question_tokens
    ]
    total = sum(w for _, w in anchors) or 1.0
    unit = asked_unit(question, tokenizer) if kind == NUMBER else None
    typed = _typed_candidates(kind, sentence)
    spans: list[tuple[Candidate, bool]] = [(c, True) for c in typed]
    if kind not in (NUMBER, DATE) and not (kind == QUOTE and typed):
        spans += [(c, False) for c in _clause_candidates(sentence, words, question_tokens)]
    anchor_positions = {i for i, _ in anchors}
    stranded = _stranded_preposition(question)
    # "the JCS": its expansion "Joint Chiefs of Staff" repeats the question.
    acronyms = frozenset(_ACRONYM.findall(question))
    modifier_wanted = _MODIFIER_QUESTION.search(question) is not None
    bonus = TYPED_BONUS
    if kind == OTHER:  # "who is Elias Rodriguez" wants what he is ("an EPA spokesman"), not a name
        bonus = -OTHER_NAME_BONUS if _WHO_IS_NAME.match(question) else OTHER_NAME_BONUS
    best: Candidate | None = None
    for candidate, is_typed in spans:
        if (
            not _novel(candidate.text, question_tokens, tokenizer)
            or _initials(candidate.text) in acronyms
            or _LONE_LETTER.fullmatch(candidate.text)  # "L" of "Super Bowl L", "E" of "E number"
        ):
            continue
        first, last = _word_range(words, candidate)
        if first > last:
            continue
        proximity = 0.0
        for i, w in anchors:
            gap = first - i if i < first else i - last if i > last else 0
            if gap == 0:  # a question word inside the answer: it answers less
                proximity -= 0.5 * w
                continue
            side = 1.0 if i < first else BEFORE_ANCHOR
            proximity += side * w * math.exp(-(gap - 1) / PROXIMITY_DECAY)
        proximity /= total
        length = last - first + 1
        if not is_typed and not modifier_wanted and {first - 1, last + 1} <= anchor_positions:
            proximity -= SANDWICH_PENALTY
        score = 0.55 * max(proximity, 0.0) + (bonus if is_typed else 0.0)
        if not is_typed and length == 1 and _ADVERB.match(candidate.text):
            score -= 0.2  # "previously", "showcasing": lone adverbs and verbs, rarely the answer
        if kind != QUOTE:  # a quotation is the answer whole, however long
            score -= 0.02 * max(length - 3, 0) + (0.1 if length > MAX_ANSWER_WORDS else 0.0)
        if kind == PLACE and is_typed:
            if _placed(sentence, candidate.start):
                score += PLACED_BONUS
            elif _nationality_adjective(sentence, candidate.start):
                score -= TYPED_BONUS  # "North Korean soldiers": a nationality, not a place
        unit_match = None
        if unit is not None and is_typed:
            unit_match = counts_unit(unit, candidate, sentence, question, tokenizer)
            score += 0.1 if unit_match else -UNIT_MISMATCH
        if stranded and stranded.search(sentence[max(0, candidate.start - 40) : candidate.start]):
            score += STRANDED_BONUS
        if best is None or score > best.score:
            best = Candidate(
                _trim(candidate.text),
                candidate.start,
                candidate.end,
                score,
                is_typed and kind != OTHER,
                unit_match,
            )
    return best


def _words(sentence: str, tokenizer: Tokenizer) -> list[_Word]:
    out = []
    for match in _WORD.finditer(sentence):
        tokens = tokenizer.tokens(match.group())
        out.append(_Word(match.group(), match.start(), match.end(), tokens[0] if tokens else None))
    return out


def _word_range(words: Sequence[_Word], candidate: Candidate) -> tuple[int, int]:
    inside = [i for i, w in enumerate(words) if w.start < candidate.end and w.end > candidate.start]
    return (inside[0], inside[-1]) if inside else (1, 0)


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


def typed_evidence(
    kind: str,
    sentence: str,
    unit: str | None,
    tokenizer: Tokenizer,
    question_tokens: frozenset[str] = frozenset(),
    years: bool = False,
    question: str = "",
) -> float:
    """How well ``sentence`` holds the kind of thing asked for, 0 to 1.

    1 for a number counting the asked unit ("3,000 troops" for "how many
    troops"), 0.5 for a number of something else, a date for "when", a quote
    for "what did they say"; 0 otherwise.
    """
    if kind == NUMBER:
        found = 0.0
        for match in _NUMBER_RE.finditer(sentence):
            if not _is_quantity(match.group()):
                continue
            if unit is None:
                return 0.5
            found = 0.5
            if counts_unit(unit, _with_unit(match, sentence), sentence, question, tokenizer):
                return 1.0
        return found
    if kind == DATE:
        if years and _YEAR.search(sentence):
            return 1.0
        return 0.5 if _DATE_RE.search(sentence) else 0.0
    if kind == QUOTE:
        return 0.5 if _QUOTED.search(sentence) else 0.0
    if kind in (PERSON, PLACE, ENTITY):
        names = _typed_candidates(kind, sentence)
        return 0.5 if any(_novel(c.text, question_tokens, tokenizer) for c in names) else 0.0
    return 0.0


def counts_unit(
    unit: str, candidate: Candidate, sentence: str, question: str, tokenizer: Tokenizer
) -> bool:
    """Whether the number ``candidate`` counts the ``unit`` that "how many <unit>" asks for.

    Its own words ("3,000 troops"), the noun after a share ("42% *of teachers*"),
    or money for a question about money ("$100,000" for "how much money").
    """
    if unit in tokenizer.tokens(candidate.text):
        return True
    share = _SHARE_OF.match(sentence, candidate.end) if _PERCENT.search(candidate.text) else None
    if share and unit in tokenizer.tokens(share.group(1)):
        return True
    return bool(_CURRENCY.search(candidate.text)) and _MONEY_QUESTION.search(question) is not None


def _in_date(match: re.Match[str], sentence: str) -> bool:
    """ "27" in "March 27" is a day, not a count."""
    return any(
        d.start() <= match.start() and match.end() <= d.end() and re.search(_MONTHS, d.group())
        for d in _DATE_RE.finditer(sentence)
    )


def _placed(sentence: str, start: int) -> bool:
    """Whether a place preposition stands before ``start`` ("in [Russia’s] Kursk")."""
    before = _OWNER_BEFORE.sub("", sentence[max(0, start - 40) : start])
    return _PLACE_PREFIX.search(before[-16:]) is not None


def _nationality_adjective(sentence: str, start: int) -> bool:
    """ "North Korean soldiers", "Chinese officials"; not "Milan is" (a stop word follows)."""
    match = _DEMONYM_MODIFIER.match(sentence, start)
    return match is not None and match.group(1) not in STOP_WORDS


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


def _clause_candidates(
    sentence: str, words: Sequence[_Word], question_tokens: set[str]
) -> list[Candidate]:
    """Runs of words holding no question word, cut at punctuation and clause words."""
    out: list[Candidate] = []
    run: list[_Word] = []

    def close() -> None:
        trimmed = list(run)
        while trimmed and trimmed[0].text.lower() in _SPAN_EDGE_STOP:
            trimmed.pop(0)
        while trimmed and trimmed[-1].text.lower() in _SPAN_EDGE_STOP:
            trimmed.pop()
        if trimmed:
            start, end = trimmed[0].start, trimmed[-1].end
            out.append(Candidate(sentence[start:end], start, end))
            out.extend(_after_last_preposition(sentence, trimmed))
        run.clear()

    previous_end: int | None = None
    for word in words:
        if previous_end is not None and _PUNCTUATION.search(sentence[previous_end : word.start]):
            close()
        in_question = word.stem is not None and word.stem in question_tokens
        if in_question or word.text.lower() in _BREAKS:
            close()
        else:
            run.append(word)
        previous_end = word.end
    close()
    return out


def _stranded_preposition(question: str) -> re.Pattern[str] | None:
    """For "what is Russia dependent *on*?", a pattern for the words right after "on".

    A question ending in a preposition asks for that preposition's object; in
    the sentence it follows the same preposition, perhaps after a word or two
    ("summits with [former] U.S. President Donald Trump").
    """
    match = _ENDING_PREPOSITION.search(question)
    if match is None:
        return None
    return re.compile(rf"\b{match.group(1)}\s+(?:[a-z][\w\-]*\s+){{0,2}}$", re.I)


def _initials(text: str) -> str:
    """ "Joint Chiefs of Staff" -> "JCS": the capitals of a name's words, small words skipped."""
    words = text.split()
    if len(words) < 2 or any(w.isupper() for w in words):
        return ""
    return "".join(w[0] for w in words if w[:1].isupper())


def _after_last_preposition(sentence: str, run: Sequence[_Word]) -> list[Candidate]:
    """The phrase after a clause's last preposition, as one more candidate.

    "Recent events coincide with statements by [Russia’s Deputy Foreign
    Minister]" for "who is Andrei Rudenko": the noun phrase next to the
    question's words answers, not the whole clause. A preposition inside a
    name ("Joint Chiefs of Staff", "Bank of America") is not a cut.
    """
    cuts = [
        i
        for i, w in enumerate(run[:-1])
        if w.text.lower() in _PREPOSITIONS
        and not (i > 0 and run[i - 1].text[:1].isupper() and run[i + 1].text[:1].isupper())
    ]
    if not cuts:
        return []
    first = run[cuts[-1] + 1]
    return [Candidate(sentence[first.start : run[-1].end], first.start, run[-1].end)]


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


def _trim(text: str) -> str:
    words = text.strip(" ,.;:").split()
    if len(words) > MAX_ANSWER_WORDS:
        words = words[:MAX_ANSWER_WORDS]
        return " ".join(words) + "…"
    return " ".join(words)
