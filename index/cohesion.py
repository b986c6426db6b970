"""Whether a sentence leans on the one before it, so a summary never opens with one.

A summary read on its own must not start mid-story: "He told the meeting…"
with no name before it, "But the plan failed…" with nothing to contrast, or
"“We will win,” she said." with no speaker named. The test is on the words
alone (no parser, no model): the first word is a pronoun that points back or
a connective, or the sentence opens with a quotation attributed to a pronoun.
Time phrases such as "This week" and "So far" point at the calendar, not at
the text, and are let through, as is "In addition to X", which names its X.
"""

from __future__ import annotations

import re

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
)
# "This week", "That night", "So far", "In addition to X": the calendar or a phrase complete in itself.
LET_THROUGH = re.compile(
    r"""^(?:this|that|these|those)\s+(?:days?|weeks?|weekend|months?|years?|season|morning|
        afternoon|evening|night|spring|summer|autumn|fall|winter|century|decade)\b
      | ^so\s+far\b | ^still\s+life\b | ^in\s+addition\s+to\b""",
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
    if lowered.startswith(PHRASES):
        return True
    first = _FIRST_WORD.match(text)
    if first is None:
        return False
    word = first.group().lower()
    return word in BACK_POINTING or word in CONNECTIVES
