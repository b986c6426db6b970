"""The per-user question budget shared by /ask, /summary and messages."""

from __future__ import annotations

import time
from collections.abc import Callable

from discord import app_commands


class QuestionCooldowns:
    """A per-user token bucket shared by /ask, /summary and messages.

    ``hit(user_id)`` spends one question and returns ``None``, or returns the
    seconds to wait when the user has used up ``rate`` questions within ``per``.
    """

    def __init__(self, rate: int, per: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.per = per
        self._clock = clock
        self._buckets: dict[int, app_commands.Cooldown] = {}

    def hit(self, user_id: int) -> float | None:
        now = self._clock()
        if len(self._buckets) > 10_000:  # forget users whose window has long passed
            self._buckets = {
                uid: b for uid, b in self._buckets.items() if b.get_tokens(now) < self.rate
            }
        bucket = self._buckets.get(user_id)
        if bucket is None:
            bucket = self._buckets[user_id] = app_commands.Cooldown(self.rate, self.per)
        return bucket.update_rate_limit(now)

    def cooldown_for(self, user_id: int) -> app_commands.Cooldown:
        return self._buckets.get(user_id) or app_commands.Cooldown(self.rate, self.per)
