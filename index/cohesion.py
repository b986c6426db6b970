"""Whether a sentence leans on the one before it, so a summary never opens with one.

A summary read on its own must not start mid-story: "He told the meeting…"
with no name before it, "But the plan failed…" with nothing to contrast, or
"“We will win,” she said." with no speaker named. The test is on the words
alone (no parser, no model): the first word is a pronoun that points back or
a connective, the sentence opens with a quotation attributed to a pronoun, or it
responds to something it does not name ("Woods immediately rebounded …"), or tells its time
from the moment before ("The following week …").
Time phrases such as "This week" and "So far" point at the calendar, not at
the text, and are let through, as is "In addition to X", which names its X.
"""

from __future__ import annotations

import re
from collections.abc import Collection

# Subjects and determiners that only make sense after the sentence naming what they stand for.
BACK_POINTING = frozenset(
    "he she they it him her them his hers their theirs its this these those that such".split()
)
# Connectives that relate the sentence to the one before it.
CONNECTIVES = frozenset(
    """but however also meanwhile still and yet instead nevertheless nonetheless moreover
    furthermore besides thus therefore hence otherwise likewise similarly consequently then
    additionally elsewhere afterwards""".split()
)
PHRASES = (
    "in addition",
    "as a result",
    "at the same time",
    "on the other hand",
    "even so",
    "despite this",
    "despite that",
    "in turn",
    "for his part",
    "for her part",
    "for their part",
    "by comparison",
    "in comparison",
    "by contrast",
    "in contrast",
    "for example",
    "for instance",
    "worse still",
    "even worse",
    "what's more",
)
# "This week", "That night", "So far", "In addition to X": the calendar or a phrase complete in itself.
LET_THROUGH = re.compile(
    r"""^(?:this|that|these|those)\s+(?:days?|weeks?|weekend|months?|years?|season|morning|
        afternoon|evening|night|spring|summer|autumn|fall|winter|century|decade)\b
      | ^so\s+far\b | ^still\s+life\b | ^in\s+addition\s+to\b""",
    re.IGNORECASE | re.VERBOSE,
)
# A response with nothing named to respond to: "Woods immediately rebounded …" (from the bogey
# of the sentence before), "Mr Ray responded by banging on her door"; "responded to the
# criticism" names it. Of the 118 development articles' sentences, 5 match, all leaning.
_RESPONSE = re.compile(
    r"""\b(?:rebound(?:ed|s)?|bounced?\s+back|hit\s+back|fought\s+back|retaliat(?:ed|es|e)
        |responded|replied|countered)\b(?!\s+(?:to|from|for|against|with|that)\b)""",
    re.IGNORECASE | re.VERBOSE,
)
# A time or place told from the one before: "The following week, Pakistan …", "Six minutes
# later, Lukaku …", "Later that day …", "From there, …", "Until then, …", "At that time, …".
# Of the 118 development articles' 2,773 sentences, 8 match, all leaning (judged blind:
# "'The following week' hangs", "'From there' makes no sense without the sentence before").
_RELATIVE_TIME = re.compile(
    r"""^(?:the\s+(?:following|next|previous|same)\s+(?:days?|mornings?|afternoons?|evenings?
          |nights?|weeks?|weekends?|months?|years?|seasons?|summer|winter|spring|autumn)\b
        | the\s+(?:day|night|week|month|year)\s+(?:after|before)\b | later\s+that\b
        | (?:[\w-]+\s+)?(?:minutes|hours|days|weeks|months|years)\s+(?:later|earlier)\b
        | (?:a|an|one)\s+(?:minute|hour|day|week|month|year)\s+(?:later|earlier)\b
        | (?:shortly|soon)\s+(?:afterwards?|after)\s*[,.]
        | (?:from|by|until|since|after|before)\s+(?:then|there)\b | from\s+here\b
        | (?:from|until|since|after|before)\s+that\s*,
        | at\s+that\s+(?:time|point|moment|stage)\b)""",
    re.IGNORECASE | re.VERBOSE,
)
_FIRST_WORD = re.compile(r"[A-Za-z]+(?=[’'][a-z]{1,2}\b|[^A-Za-z’'-]|$)")
_OPENING_QUOTE = re.compile(r"^[\"“‘']")
# After the closing quote: ", he said", "she added", "said his spokesman" with no name.
_PRONOUN_ATTRIBUTION = re.compile(
    r"""[\"”’'][,.!?…\s—-]*
        (?:(?:he|she|they)\b | (?:said|says|added|told|explained|wrote|asked)\s+(?:he|she|they)\b)""",
    re.IGNORECASE | re.VERBOSE,
)


def leans_on_previous(text: str) -> bool:
    """True when ``text`` needs the sentence before it to be understood."""
    text = text.strip()
    if _OPENING_QUOTE.match(text):
        return _PRONOUN_ATTRIBUTION.search(text) is not None
    lowered = text.lower()
    if LET_THROUGH.match(lowered):
        return False
    if lowered.startswith(PHRASES) or _RESPONSE.search(text) or _RELATIVE_TIME.match(text):
        return True
    first = _FIRST_WORD.match(text)
    if first is None:
        return False
    word = first.group().lower()
    return word in BACK_POINTING or word in CONNECTIVES


# Third-person pronouns that need a person named earlier in the same sentence.
_PERSON_PRONOUN = re.compile(r"\b(?:he|she|his|her|him|hers)\b")
# A capitalised word: a name the pronoun can point to ("Smith said his ..."), unless it is
# one of the words that open sentences ("The", "But", "He") rather than name someone.
_NAME = re.compile(r"\b[A-Z][a-z]+")
_NOT_NAMES = frozenset(
    """the a an he she his her it its they their this that these those there then in on at
    but and or so when after before if as while although though for with from by now we i
    you one some all many most when where what who how even another other both each every
    only just here today yesterday tonight""".split()
)
# "A respected bank manager … his customers", "An eight-year-old boy … his family's car": a
# person introduced by the sentence itself, whom its pronouns stand for.
_INDEFINITE = re.compile(r"(?:an?|one)\s", re.IGNORECASE)
# Capitalised words that open a phrase, not name a person ("Having planned …, she …").
_NOT_A_NAME_OPENER = re.compile(
    r"""Having|Being|Speaking|Talking|Writing|Asked|Following|According|Describing|Explaining
    |Recalling|Finally|Initially|Eventually|Apparently|Recently|Previously|Earlier|Later|Now
    |Unfortunately|Luckily|Sadly|Despite|Although|Because|Since|Until|During|Among|Last|Next""",
    re.VERBOSE,
)
# "In the US, it …", "In the US is it …", "On Monday, he said", "Last year they …",
# "Luckily, she …", "Speaking to reporters, he …": the subject is a pronoun and all before
# it is an opening phrase (one word and a comma, a phrase led by a word in -ly or -ing, or
# a preposition or time word and up to five words), whose nouns are places and times, not
# what the pronoun stands for. A pronoun inside the phrase points forward ("Since its
# founding, the group …", "With 70% of its GDP …, Chile"): a possessive counts only after
# the comma. Measured in docs/evaluation.md (Summaries, issue 26).
_SUBJECT_AFTER_OPENER = re.compile(
    r"""^(?:[\w-]+, | [a-z]+(?:ly|ing)\b[^,;:]*, |
          (?:in|on|at|by|to|for|from|with|without|during|over|under|after|before|despite|within
             |throughout|amid|last|next|earlier|later|this)\b(?:\s+[^\s,;:]+){1,5}?,?)
        \s+(?:(?:is|was|are|were|has|had|will|would|did|does)\s+)?
        (it|they|he|she|(?<=,\s)its|(?<=,\s)their)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# "it is expected that …", "it was not clear whether …": an "it" that stands for nothing.
_DUMMY_IT = re.compile(
    r"it(?:\s+|[’']s\s+)(?:[a-z]+\s+){1,4}?(?:that|whether|if|how|why|what|who|when|where)\b",
    re.IGNORECASE,
)
# "The external USB drive ...": the first words of an opening definite noun phrase.
_DEFINITE = re.compile(r"^the\s+((?:[\w-]+\s+){0,2}[\w-]+)", re.IGNORECASE)
_OPENERS = str.maketrans("", "", '“”"')


def leans_on(text: str, previous: str, named: Collection[str] = ()) -> bool:
    """True when ``text`` needs ``previous``, the sentence before it in the article.

    On top of :func:`leans_on_previous`: a person pronoun with no name before
    it in the sentence ("… would have boosted his claims") unless the sentence
    opens on someone new ("A bank manager … his customers"), a pronoun that is
    the subject after an opening phrase (:data:`_SUBJECT_AFTER_OPENER`), and an
    opening "The X" whose words the previous sentence uses ("… an external
    drive." then "The external USB drive won …": which drive?), unless the
    reader was given the X in ``named`` (a topic's words, lower case: "the
    photographs" under "how Freund came to photograph her").
    """
    if leans_on_previous(text):
        return True
    if not previous:
        return False
    opened = _SUBJECT_AFTER_OPENER.match(text.strip())
    if opened and not _DUMMY_IT.match(text.strip(), opened.start(1)):
        return True
    pronoun = _PERSON_PRONOUN.search(text)
    if (
        pronoun
        and not _INDEFINITE.match(text.strip())
        and not any(
            w.lower() not in _NOT_NAMES and not _NOT_A_NAME_OPENER.fullmatch(w)
            for w in _NAME.findall(text[: pronoun.start()])
        )
    ):
        return True
    opening = _DEFINITE.match(text.strip().translate(_OPENERS))
    if opening is None:
        return False
    before = set(re.findall(r"[a-z]{4,}", previous.lower()))
    words = re.findall(r"[a-z]{4,}", opening.group(1).lower())
    given = {w.rstrip("s") for w in named}
    if words and all(w.rstrip("s") in given for w in words if w in before):
        return False
    return any(word in before for word in words)


# Single quotation marks, as the Daily Mail prints quotes ('I am suffering,' she said.): one
# opens after a space or at the start before a word; one closes after a word or punctuation
# before a space, punctuation or the end. An apostrophe inside a word (don't) is neither.
_SINGLE = re.compile(
    r"""(?P<open>(?:^|(?<=[\s(\[—–-]))['‘](?=[A-Za-z0-9])(?!\d\ds?\b|(?:em|til|cause|n)\b))
      | (?P<close>(?<=\S)['’](?=$|[\s,.;:!?)\]—–-]))""",
    re.VERBOSE,
)
SINGLE_QUOTE_SPAN = 4  # sentences a single-quoted quotation may run before it is taken as closed


def single_quote_state(text: str, inside: bool) -> tuple[bool, bool]:
    """(whether ``text`` is a single-quoted quotation's tail, whether one is open at its end).

    A tail starts inside a quotation (``inside``) or closes one it never opened
    after a full stop or comma ("I am really suffering too much.'"); "the boys'
    mother" closes nothing. A sentence that opens a quotation it does not close
    needs the one after it. An elision is no quotation ("the '90s", "class of '89",
    "'em").
    """
    tail = inside
    for mark in _SINGLE.finditer(text.strip()):
        if mark.group("open"):
            inside = True
        elif inside:
            inside = False
        elif mark.start() > 0 and text.strip()[mark.start() - 1] in ".,!?…":
            tail = True
    return tail, inside


def quote_open_after(text: str, inside: bool) -> bool:
    """Whether a quotation is still open at the end of ``text`` (open at its start if ``inside``).

    Curly marks say which way they face; straight double quotes alternate. A
    sentence that starts inside a quotation is its tail and needs the one before
    it; one that ends inside needs the one after: a quote is cut only where it ends.
    """
    for mark in text:
        if mark == "“":
            inside = True
        elif mark == "”":
            inside = False
        elif mark == '"':
            inside = not inside
    return inside
