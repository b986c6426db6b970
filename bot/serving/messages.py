"""What a Discord message says: the plain question without markup, and whether it is one."""

from __future__ import annotations

import re

# <@123>, <@!123>, <@&123>, <#123>, custom emoji <:name:123>, <a:name:123>,
# slash-command mentions </ask:123> and timestamps <t:1700000000:R>.
_DISCORD_TOKENS = re.compile(r"<(?:@[!&]?\d+|#\d+|a?:\w+:\d+|/[\w -]+:\d+|t:-?\d+(?::[tTdDfFR])?)>")
_EVERYONE = re.compile(r"@(?:everyone|here)\b", re.IGNORECASE)
_MD_LINK = re.compile(r"\[([^\]]*)\]\(<?https?://[^)\s]+>?\)")
_MD_LINE_PREFIX = re.compile(r"^\s*(?:>>>|>|#{1,3}|-#|[-*+]|\d+\.)\s+", re.MULTILINE)
_MD_CHARS = re.compile(r"(\*\*|__|~~|\|\||```|[*_~`|\\])")

_QUESTION_WORDS = frozenset(
    "who whom whose what when where why which how is are was were do does did can could "
    "will would should shall has have had may might".split()
)


def strip_discord_markup(text: str) -> str:
    """The plain question in a message: no mentions, channel links, emoji, or markdown.

    >>> strip_discord_markup("<@123> **how many** troops? @everyone")
    'how many troops?'
    """
    text = text.replace("\0", " ")  # NUL is the placeholder below; a typed one is just a gap
    text = _DISCORD_TOKENS.sub(" ", text)
    text = _EVERYONE.sub(" ", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_LINE_PREFIX.sub("", text)
    # Underscores inside words (snake_case, file_names) are kept; markup ones go.
    text = re.sub(r"(?<=\w)_(?=\w)", "\0", text)
    text = _MD_CHARS.sub("", text).replace("\0", "_")
    return " ".join(text.split())


def looks_like_question(text: str) -> bool:
    """Whether a message in an answer channel is worth answering.

    A question mark anywhere, or a first word that starts a question
    ("how", "did", "which" ...). Chatter such as "thanks!" is left alone, and
    so is "???" or "🤔?": with no letter or digit it asks nothing of the articles.
    """
    text = text.strip()
    if len(text) < 3 or not any(ch.isalnum() for ch in text):
        return False
    if "?" in text:
        return True
    first = re.split(r"[\s,']+", text.lower(), maxsplit=1)[0]
    return first in _QUESTION_WORDS


MAX_QUESTIONS = 3  # questions answered from one line; a longer list is read as one question
_WH = r"(?:who|whom|whose|what|what's|whats|when|where|why|which|how)"
# A question mark and more text, or ", and who …": where a line asking two things divides.
_BETWEEN = re.compile(rf"(?<=\?)\s+|\s*[,;]?\s+and\s+(?={_WH}\b)|;\s+(?={_WH}\b)", re.IGNORECASE)


def questions_in(text: str) -> list[str]:
    """The questions a line asks, each to be answered in turn: "how much did the IPO raise?
    how much was it worth?" and "how much did Kilat raise and who is the CEO?" ask two (one
    question read with both was refused). A line divides only into questions each opening on
    a question word or auxiliary, at most :data:`MAX_QUESTIONS`; otherwise it is one."""
    parts = [p.strip() for p in _BETWEEN.split(text.strip()) if p and p.strip()]
    if not 2 <= len(parts) <= MAX_QUESTIONS:
        return [text]
    opening = [re.split(r"[\s,']+", p.lower(), maxsplit=1)[0].strip("?!.") for p in parts]
    if not all(word in _QUESTION_WORDS or word in {"what's", "whats"} for word in opening):
        return [text]
    return [p if p.endswith("?") else f"{p.rstrip('.!')}?" for p in parts]
