"""Conversations: the last turn of each, so a follow-up can be read with it.

A conversation is one person in one place: the terminal session; on Discord the
same member in the same channel within a few minutes (``window``: the server's
own, ``/config conversation``, else the bot's), in a thread the bot answers in
or in DMs for longer (``lifetime``), and a reply to one of the bot's answers
(rebuilt by the front end from the answer it replies to, so nothing is shared
between processes). The key holds server, channel (or
thread) and user, so context never crosses any of them. Kept per process,
bounded (least recently used dropped first) and expiring: a follow-up after a
long pause is read afresh.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from index import Previous

CONVERSATIONS = 10_000  # kept at most; the least recently used go first
LIFETIME_SECONDS = 30 * 60.0  # a thread, a DM or the terminal: one conversation this long
WINDOW_SECONDS = 5 * 60.0  # the same member in the same channel: a follow-up within this

Key = tuple[int | None, int | None, int]  # server (None: DMs, terminal), channel or thread, user


@dataclass(frozen=True, slots=True)
class Remembered:
    previous: Previous
    at: float


class Conversations:
    """The last turn per conversation key, bounded and expiring."""

    def __init__(
        self,
        *,
        capacity: int = CONVERSATIONS,
        lifetime: float = LIFETIME_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = capacity
        self.lifetime = lifetime
        self._clock = clock
        self._turns: OrderedDict[Key, Remembered] = OrderedDict()

    def last(self, key: Key, within: float) -> Previous | None:
        """The conversation's last turn if it was less than ``within`` seconds ago (at most
        the lifetime), else None; an expired one is forgotten."""
        held = self._turns.get(key)
        if held is None:
            return None
        if self._clock() - held.at >= min(within, self.lifetime):
            if self._clock() - held.at >= self.lifetime:
                del self._turns[key]
            return None
        return held.previous

    def remember(self, key: Key, previous: Previous) -> None:
        self._turns[key] = Remembered(previous, self._clock())
        self._turns.move_to_end(key)
        while len(self._turns) > self.capacity:
            self._turns.popitem(last=False)

    def __len__(self) -> int:
        return len(self._turns)
