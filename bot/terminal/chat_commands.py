"""Chat commands said in a few more words: "show me the articles", "help please".

People type a command the way they would ask for it. A line whose words are
a command word and filler only ("articles please", "can you list all the
articles") is that command. A command word with other words that is not
phrased as a question ("articles about drones") gets "Did you mean
`articles`?" instead of an answer. A question stays a question: a line that
ends in "?" or starts with a question word ("what articles of the treaty were
signed?", "who needs help?") goes to the engine unless all its other words are
filler ("can I see the articles?").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COMMAND_WORDS = {
    "articles": "articles",
    "article": "articles",
    "titles": "articles",
    "help": "help",
    "commands": "help",
    "summary": "summary",
    "summarise": "summary",
    "summarize": "summary",
}
FILLER = frozenset(
    "please pls plz show list me the all give can could would you i want to see a an "
    "my some of now just let lets let's us display print get need like available thanks".split()
)
QUESTION_WORDS = frozenset(
    "who whom whose what when where why which how is are was were do does did can could will "
    "would should shall has have had may might".split()
)
MAX_MEANT_WORDS = 5  # longer lines that mention "articles" are sentences, not commands
_WORDS = re.compile(r"[\w']+")


@dataclass(frozen=True, slots=True)
class Meant:
    """The command a line names, and whether the rest of it is filler only (then run it)."""

    command: str
    sure: bool


def command_meant(line: str) -> Meant | None:
    """The chat command ``line`` asks for in other words, or None for anything else."""
    words = _WORDS.findall(line.lower())
    commands = {COMMAND_WORDS[w] for w in words if w in COMMAND_WORDS}
    if len(commands) != 1:
        return None
    command = commands.pop()
    others = [w for w in words if w not in COMMAND_WORDS and w not in FILLER]
    if not others:
        return Meant(command, sure=True)
    if _phrased_as_question(line, words) or len(words) > MAX_MEANT_WORDS:
        return None
    return Meant(command, sure=False)


def _phrased_as_question(line: str, words: list[str]) -> bool:
    return line.rstrip().endswith("?") or words[0] in QUESTION_WORDS
