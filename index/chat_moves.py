"""What a chat line does to the conversation, apart from asking a question: asks what the
last answer stands on ("source?"), for more of what was shown ("go on"), for a summary of the
article talked of ("summarise it"), or opens on chat before its question ("ok cool, when …").

The front ends' shared layer (``bot.serving``) asks these before reading a line as a question
or a follow-up: each move is told from the words alone, as the gist is (:mod:`index.gist`).
"""

from __future__ import annotations

import re

from index.gist import TLDR

# Words that name a summary ("summarise it", "tl;dr", "quick recap?"): unlike the gist's
# question words ("when?", "what happened?"), they never ask about what was just said.
SUMMARY_WORDS = frozenset(
    "summary summarise summarize sum gist tldr overview recap rundown lowdown".split()
)
_WORD = re.compile(r"[^\W_]+")

# Chat before a question, closed by a stop or a comma ("thanks! and how many …", "ok cool, when
# did they arrive?"): no words of it; read as part of it, "thanks" became a word to search.
_CHATTER = re.compile(
    r"""^(?:(?:thanks|thank\s+you|thx|ty|cheers|ok|okay|cool|great|nice|perfect|got\s+it|ah|oh
        |alright|wow|hmm+|lol)[\s,!.]*)*
        (?:thanks|thank\s+you|thx|ty|cheers|ok|okay|cool|great|nice|perfect|got\s+it|ah|oh
        |alright|wow|hmm+|lol)\s*[,!.;:]+\s*
    | ^(?:hey|hi|hello|yo|oi)(?:\s+(?:bot|there|articlebot|all))?(?:\s*[,!.;:]+\s*|\s+(?=(?:what|who
        |when|where|why|how|which|whats|what's|can|could|did|does|do|is|are|was|were|tell)\b))
    | ^(?:(?:lol|ok|okay|hmm+|ah|oh|wow|cool|alright|thx|thanks)\s+)+(?=(?:(?:and|so|but)\s+)?
        (?:what|who|when|where|why|how|which|whats|what's)\b)""",
    re.IGNORECASE | re.VERBOSE,
)
# Lines asking what the last answer stands on: its passages, shown again with it. A puzzled
# "what?", "huh?" or "what do you mean?" after an answer asks the same: where it comes from
# (read as a question, "what?" had asked the previous question again and got another answer).
_ASKS_SOURCE = re.compile(
    r"""^(?:(?:so|ok|okay|and|but)\s+)?(?:
        (?:the\s+|your\s+|any\s+)?(?:source|sources|citation|citations|proof|evidence|reference)
          (?:\s+(?:please|pls|for\s+that))?
      | (?:what(?:'s|’s|s|\s+is)|show\s+me|give\s+me)\s+(?:the|your)\s+(?:source|sources|evidence|proof)
      | where\s+(?:does|did)\s+(?:it|the\s+article|they|that)\s+say\s+(?:that|so|this|it)
      | are\s+you\s+(?:sure|certain) | how\s+do\s+you\s+know(?:\s+that)? | says\s+who | really
      | what | huh | eh | sorry | come\s+again | what\s+do\s+you\s+mean(?:\s+by\s+that)?
      | what\s+does\s+(?:that|it)\s+mean | i\s+don'?t\s+(?:understand|get\s+it) | \?+
    )[\s?!.]*$""",
    re.IGNORECASE | re.VERBOSE,
)


def asks_for_source(line: str) -> bool:
    """Whether ``line`` asks what the last answer stands on ("source?", "are you sure?",
    "where does it say that?", a puzzled "huh?"): after an answer, that answer and its
    passages again."""
    return _ASKS_SOURCE.match(line.strip()) is not None


# "more", "tell me more", "what else?", "go on" after a summary: more of the same article.
_MORE = re.compile(
    r"""(?:(?:ok|okay|and|so)[\s,]+)?(?:
        (?:(?:tell|give|show)\s+me\s+)?(?:some\s+|a\s+bit\s+|a\s+little\s+)?
          more(?:\s+(?:please|pls|plz|info|detail|details))?
      | (?:what|anything)\s+else(?:\s+(?:does\s+it\s+say|is\s+there))?
      | go\s+on | continue | keep\s+going
    )[\s?!.]*""",
    re.IGNORECASE | re.VERBOSE,
)


def asks_for_more(line: str) -> bool:
    """Whether ``line`` asks for more of what was just shown ("more", "what else?", "go on"):
    after a summary, a longer one."""
    return _MORE.fullmatch(line.strip()) is not None


def without_chatter(line: str) -> str:
    """``line`` without the chat that opens it before a question ("ok cool, when …?" → "when
    …?"); the line itself when nothing else is left ("thanks!")."""
    rest = _CHATTER.sub("", line, count=1)
    return rest if _WORD.search(rest) else line


def asks_for_summary(line: str) -> bool:
    """Whether ``line`` names a summary ("summarise it", "tl;dr", "quick recap?"), not only
    the gist's question words ("when?", "what happened?" ask about what was just said)."""
    return bool(SUMMARY_WORDS & {w.lower() for w in _WORD.findall(TLDR.sub("tldr", line))})
