"""Small talk: lines that talk to the bot, not about the articles ("thanks!", "ok", "good bot",
"bye", "what can you do?"), each answered in kind by the front ends.

Testers chatting with the bot (session 19) typed these between questions; answered with the
line on how to ask, or searched as questions, they read as if the bot had not listened.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

SmallTalk = Literal["greeting", "thanks", "ack", "praise", "bye"]
SMALL_TALK: frozenset[str] = frozenset(get_args(SmallTalk))

# Lines about the bot, not the articles: the line on what to ask answers them.
_ABOUT_BOT = re.compile(
    r"""^(?:(?:so|ok|okay|hey|hi)\s+)?(?:what\s+can\s+you\s+do|how\s+does\s+(?:this|it)\s+work
        |how\s+do\s+i\s+use\s+(?:this|you|it)|what\s+are\s+you|who\s+are\s+you|what\s+do\s+you\s+do
        |what\s+is\s+this\s+bot|are\s+you\s+(?:a\s+bot|a\s+robot|an?\s+ai|human|real)
        |who\s+(?:made|built|created)\s+you)\b[\s?!.]*$""",
    re.IGNORECASE | re.VERBOSE,
)
# A thank-you and nothing else ("thanks!", "ok thank you so much", "cheers", "ty"): people
# thank a bot that helped, and "Ask a question, e.g. …" back reads as if it had not listened.
_THANKS = re.compile(
    r"""^(?:(?:ok|okay|great|cool|nice|perfect|awesome|brilliant|lovely|got\s+it|ah|oh)[\s,!.]+)*
        (?:thanks|thank\s+you|thank\s+u|thx|thnx|thanx|ty|tysm|cheers|much\s+appreciated)
        (?:\s+(?:so\s+much|very\s+much|a\s+lot|a\s+bunch|again|mate|man|bot|all))*
        (?:\s+for\s+(?:the|that|this|your|all\s+the)?\s*(?:help|answers?|summary|info
          |information|explanation|reply|update))?[\s!.:)]*$""",
    re.IGNORECASE | re.VERBOSE,
)
# "ok", "nvm", "lol", "i see": the line acknowledges; the how-to-ask line back read as if the
# bot had not listened (testers' chats, session 19).
_ACK_WORD = r"""(?:ok(?:ay)?|k+|kk|cool|nice|great|awesome|alright|all\s+right|fine|sure|got\s+it
    |i\s+see|makes\s+sense|fair\s+enough|interesting|wow|oh|ah|hmm+|huh\s+ok|nvm|never\s*mind
    |no\s+worries|no\s+problem|np|lol|lmao|haha+|hah|heh|noted)"""
_ACK = re.compile(rf"^{_ACK_WORD}(?:[\s,!.]+{_ACK_WORD})*[\s!.:)]*$", re.IGNORECASE | re.VERBOSE)
_PRAISE = re.compile(
    r"""^(?:(?:wow|ok|oh)[\s,!.]+)?(?:(?:good|great|nice|smart|clever|best|cool)\s+(?:bot|job|work|one)
        |well\s+done|you(?:'re|’re|\s+are)\s+(?:great|awesome|the\s+best|smart|amazing|good)
        |(?:i\s+)?love\s+(?:it|you|this(?:\s+bot)?))[\s!.:)]*$""",
    re.IGNORECASE | re.VERBOSE,
)
_BYE = re.compile(
    r"""^(?:(?:ok|okay|thanks|thx)[\s,!.]+)?(?:bye(?:\s*bye)?|good\s*bye|see\s+(?:you|ya)(?:\s+later)?
        |cya|later|good\s*night|gn|ttyl)(?:\s+(?:bot|all|everyone|for\s+now))?[\s!.:)]*$""",
    re.IGNORECASE | re.VERBOSE,
)

_SMALL_TALK: tuple[tuple[SmallTalk, re.Pattern[str]], ...] = (
    ("thanks", _THANKS),
    ("greeting", _ABOUT_BOT),  # "what can you do?"
    ("praise", _PRAISE),
    ("bye", _BYE),
    ("ack", _ACK),
)


def small_talk(line: str) -> SmallTalk | None:
    """The kind of small talk ``line`` is ("thanks!", "ok", "good bot", "bye", "what can you
    do?"); None for anything else."""
    line = line.strip()
    for kind, pattern in _SMALL_TALK:
        if pattern.match(line):
            return kind
    return None
