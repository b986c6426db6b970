"""Load shedding: a bound on questions and summaries in flight, refusing the rest at once.

Every question runs the engine in a worker thread. Without a bound, questions
arriving faster than the engine answers pile up as tasks and as work queued for
the thread pool: memory and latency grow without limit, and every late answer
has long missed what the asker was waiting for. Refusing at once with a polite
"ask again in a few seconds" keeps the bot answering the questions it accepted
quickly, and tells the others the truth straight away.

Everything here runs on the event loop (one thread), so a plain counter is
exact: no lock, and no await between the check and the increment.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

WARN_EVERY_S = 10.0  # one warning per this many seconds of shedding, not one per refusal


class Busy(Exception):
    """Refused before any work: the bot already has as many questions in flight as it takes."""

    def __init__(self) -> None:
        super().__init__(
            "I'm answering a lot of questions right now — please ask again in a few seconds."
        )


class Backlog:
    """At most ``limit`` requests in flight; ``slot()`` holds one or raises :class:`Busy`.

    ``pending`` is how many are in flight now, ``shed`` how many were refused
    since start (the figure an operator or the soak benchmark reads).
    """

    def __init__(
        self,
        limit: int,
        *,
        warn_every: float = WARN_EVERY_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1:
            raise ValueError(f"a backlog needs room for at least one request, not {limit}")
        self.limit = limit
        self.pending = 0
        self.shed = 0
        self._warn_every = warn_every
        self._clock = clock
        self._warned_at: float | None = None
        self._shed_at_warning = 0

    @property
    def full(self) -> bool:
        return self.pending >= self.limit

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one place for the ``with`` block; raise :class:`Busy` on entry when full.

        The place is given back however the block ends: normally, by an
        exception, or by cancellation (a closing bot cancels its tasks).
        """
        if self.full:
            self._refuse()
            raise Busy()
        self.pending += 1
        try:
            yield
        finally:
            self.pending -= 1

    def _refuse(self) -> None:
        """Count the refusal; warn when shedding starts, then at most every ``warn_every`` s."""
        self.shed += 1
        now = self._clock()
        if self._warned_at is not None and now - self._warned_at < self._warn_every:
            return
        log.warning(
            "overloaded: %d questions in flight (ARTICLEBOT_MAX_PENDING=%d); refusing new ones "
            "(%d refused since the last warning, %d since start)",
            self.pending,
            self.limit,
            self.shed - self._shed_at_warning,
            self.shed,
        )
        self._warned_at, self._shed_at_warning = now, self.shed
