"""How often one user may ask: shared by the Telegram bot and the web page."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable


class RateLimiter:
    """At most `per_minute` events per user in any 60 seconds."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._events: dict[Hashable, deque[float]] = {}
        self._warned: dict[Hashable, float] = {}

    def allow(self, user: Hashable) -> bool:
        now = self.clock()
        events = self._events.setdefault(user, deque())
        while events and now - events[0] >= 60:
            events.popleft()
        if len(events) >= self.per_minute:
            return False
        events.append(now)
        return True

    def should_warn(self, user: Hashable) -> bool:
        """Once per minute at most, so a flood of messages does not become a flood of replies."""
        now = self.clock()
        if now - self._warned.get(user, -60.0) < 60:
            return False
        self._warned[user] = now
        return True
