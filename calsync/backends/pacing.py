"""Pacing writes to a calendar service: a token bucket per calendar, and truncated exponential backoff for the
refusals that still happen. No I/O of its own: the clock and the sleeper are passed in, so tests never wait.

Google counts its per-user quota "per minute using a sliding window" (Calendar API usage limits guide). The bucket
here therefore refills the way that window empties: each token comes back one window after it was spent. A bucket
that drips tokens back at a steady rate would either let a full bucket plus a minute of drip through in one window
(and be refused) or, sized to avoid that, slow down a push that fits in the minute anyway.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

__all__ = ["TokenBucket", "backoff"]


class TokenBucket:
    """At most ``capacity`` units in any ``window`` seconds: :meth:`take` waits (through ``sleep``) until they fit."""

    def __init__(
        self,
        capacity: int,
        window: float = 60.0,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        margin: float = 1.0,
    ) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        # A token returns a little after a full window: the server counts a unit when it arrives, a moment after
        # we spent it, and its clock is not ours.
        self.window = window + margin
        self.clock = clock
        self.sleep = sleep
        self.waited = 0.0
        self._spent: deque[tuple[float, int]] = deque()

    def available(self) -> int:
        self._expire(self.clock())
        return self.capacity - sum(units for _, units in self._spent)

    def take(self, units: int) -> float:
        """Spend ``units`` (at most the capacity at once), first waiting for enough of them to come back."""
        units = max(0, min(units, self.capacity))
        waited = 0.0
        while self.available() < units:
            delay = self._spent[0][0] + self.window - self.clock()
            self.sleep(max(delay, 0.01))
            waited += max(delay, 0.01)
        self._spent.append((self.clock(), units))
        self.waited += waited
        return waited

    def _expire(self, now: float) -> None:
        while self._spent and self._spent[0][0] + self.window <= now:
            self._spent.popleft()


def backoff(
    attempt: int, *, base: float, cap: float, rand: Callable[[], float], retry_after: float | None = None
) -> float:
    """The wait before retry ``attempt`` (1 for the first): truncated exponential backoff with jitter.

    The ceiling doubles from ``base`` up to ``cap`` (Google's guides suggest 32 or 64 s); the wait is half the ceiling
    plus a random half, so retries of many clients spread out yet never come back sooner than half the step. A
    server's ``Retry-After`` is honoured up to the cap.
    """
    ceiling = min(cap, base * 2.0 ** (attempt - 1))
    delay = ceiling / 2 + rand() * ceiling / 2
    if retry_after is not None:
        delay = max(delay, min(retry_after, cap))
    return delay
