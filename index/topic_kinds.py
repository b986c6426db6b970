"""What a topic's kind asks for, whatever its words: amounts of money for "the prices",
earlier times for "previous cases", causes for "why", and the generic topics people ask of any
article ("reactions", "criticism", "what happens next", "the numbers").

:func:`topic_cues` gives the topic summary (:mod:`index.summary_topics`) the sentences a kind
makes eligible and a lift for those it favours.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import numpy as np

from index.records import Sentence
from index.summary_lead import holds_figure
from index.summary_sentences import AMOUNT
from index.summary_settings import BoolArray, FloatArray
from index.tokenize import Tokenizer

# A topic about money ("the prices", "how much it costs") is answered by amounts of money,
# whatever the words around them ("It will cost about $799", "on sale for €1,999").
MONEY_WORDS = """price prices cost costs costing fee fees fare fares salary salaries wage wages
    pay paid money spend spending spent budget expensive cheap afford""".split()
# A topic about what came before ("previous cheating cases", "the earlier killings") favours
# sentences set in the past ("in 2020", "last year", "had been", "previously").
EARLIER_WORDS = "previous earlier past prior former history before".split()
_EARLIER = re.compile(
    r"""\b(?:previous(?:ly)?|earlier|before|ago|prior|former(?:ly)?|once|had\s+been|last\s+
        (?:year|month|week|season|time)|in\s+(?:19|20)\d\d)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# A topic asking why ("the cause of the fire", "why the chain got into trouble") favours
# sentences that give a cause ("did not know how the fire started", "blamed competition").
CAUSE_WORDS = "why cause causes caused reason reasons behind".split()
_CAUSE = re.compile(
    r"""\b(?:because|due\s+to|blam\w*|caus\w*|reasons?|results?\s+of|led\s+to|start(?:ed|s)?
        |factors?|explanation|triggered|sparked|so\s+that)\b""",
    re.IGNORECASE | re.VERBOSE,
)
# Generic topics people ask of any article ("reactions", "criticism", "what happens next",
# "the numbers"): each kind, its words, and what a sentence of that kind holds. A topic made
# only of such words (and the qualifiers below) makes every sentence of its kind eligible and
# lifts it; one with words of its own ("residents' reaction") is left to them (lifting every
# quotation there put a prosecutor's words first). Testers' generic topics were
# told "says nothing" 11 times in 64 where the article had them in other words. Kinds for "the
# death toll" and "the victims" were tried and dropped: their words matched "the deal had been
# killed", "lives" and a footballer's injury (docs/evaluation.md, "Generic topics").
GENERIC_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "reaction reactions response responses react reacted responded",
        re.compile(
            r"""\b(?:said|says|told|responded|reacted|welcomed|condemned|criticis\w*|criticiz\w*
            |praised|urged|called\s+(?:for|on)|warned|statement|tweeted|wrote)\b""",
            re.IGNORECASE | re.VERBOSE,
        ),
    ),
    (
        "criticism criticisms critic critics criticised criticized",
        re.compile(
            r"""\b(?:critic\w*|condemn\w*|slamm?\w*|accus\w*|blam\w*|oppos\w*|complain\w*
            |denounc\w*|protest\w*|outrage\w*|angry|anger|attack(?:ed|ing)\s+(?:the|his|her)
            |fault\w*)\b""",
            re.IGNORECASE | re.VERBOSE,
        ),
    ),
    (
        "next future plans plan planned upcoming ahead happen happens",
        re.compile(
            r"""\b(?:will|plans?\s+to|planned|planning|expected\s+to|(?:is|are)\s+due|next\s+
            (?:week|month|year|step|steps)|later\s+this|upcoming|scheduled|set\s+to|aims?\s+to
            |intends?\s+to)\b""",
            re.IGNORECASE | re.VERBOSE,
        ),
    ),
)
GENERIC_FIGURES = "numbers figures statistics stats data"
# Words that say what kind of thing is wanted, not what it is about ("cases", "details"):
# matched by the cues above, left out of the word match when another word remains.
QUALIFIER_WORDS = (
    EARLIER_WORDS
    + CAUSE_WORDS
    + """case cases detail details information news story issue issues situation
    other recent latest main""".split()
)


def stems(words: Sequence[str], tokenizer: Tokenizer) -> list[str]:
    return [t for w in words for t in tokenizer.tokens(w)]


def topic_cues(
    body: Sequence[Sentence],
    wanted: Sequence[str],
    tokenizer: Tokenizer,
    vocabulary: Collection[str] = (),
    why: bool = False,
    generic: BoolArray | None = None,
) -> tuple[BoolArray, FloatArray] | None:
    """What a topic's kind asks for: (sentences it makes eligible, lift 0-1), or None.

    A money topic makes every sentence holding an amount of money eligible and
    lifts it, unless it names something the article's ``vocabulary`` lacks
    ("ticket prices" of an article without tickets); an "earlier" topic only
    lifts sentences set in the past, its other words must still find them. ``why``:
    the topic asks why (a stop word, so not among ``wanted``), as "the cause of" does.
    ``generic``: the sentences of the generic kind the topic is made of
    (:func:`generic_kinds`), all eligible and lifted.
    """
    money_words = set(stems(MONEY_WORDS, tokenizer))
    kind_words = money_words | set(stems(QUALIFIER_WORDS, tokenizer))
    money = any(t in money_words for t in wanted) and all(
        t in vocabulary for t in wanted if t not in kind_words
    )
    earlier = any(t in set(stems(EARLIER_WORDS, tokenizer)) for t in wanted)
    cause = why or any(t in set(stems(CAUSE_WORDS, tokenizer)) for t in wanted)
    if not money and not earlier and not cause and generic is None:
        return None
    amounts = np.array([money and bool(AMOUNT.search(s.text)) for s in body])
    past = np.array([earlier and bool(_EARLIER.search(s.text)) for s in body])
    causes = np.array([cause and bool(_CAUSE.search(s.text)) for s in body])
    lift = np.maximum(amounts.astype(np.float64), 0.4 * (past | causes))
    if generic is not None:
        amounts = amounts | generic
        lift = np.maximum(lift, generic.astype(np.float64))
    return amounts, lift


def generic_kinds(
    body: Sequence[Sentence], wanted: Sequence[str], tokenizer: Tokenizer
) -> BoolArray | None:
    """The sentences of the generic kinds a topic made only of their words (and qualifiers)
    asks for (:data:`GENERIC_KINDS`, the article's figures for "the numbers"); None for a
    topic asking for none, or with words of its own ("residents' reaction")."""
    kinds = [(set(stems(words.split(), tokenizer)), pattern) for words, pattern in GENERIC_KINDS]
    figures = set(stems(GENERIC_FIGURES.split(), tokenizer))
    known = figures | set(stems(QUALIFIER_WORDS, tokenizer)).union(*(w for w, _ in kinds))
    asked = [pattern for words, pattern in kinds if words & set(wanted)]
    counts = bool(figures & set(wanted))
    if not (asked or counts) or not all(t in known for t in wanted):
        return None
    return np.array(
        [any(p.search(s.text) for p in asked) or (counts and holds_figure(s.text)) for s in body],
        dtype=bool,
    )


def gives_cause(body: Sequence[Sentence]) -> BoolArray:
    """Whether each sentence gives a cause ("blamed competition", "did not know how it started")."""
    return np.array([bool(_CAUSE.search(s.text)) for s in body], dtype=bool)
