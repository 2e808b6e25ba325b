import asyncio
import time
from collections import deque


class RateLimiter:
    """Allows at most `rate` acquisitions in any window of `period` seconds (a sliding window)."""

    def __init__(self, rate, period):
        if rate < 1:
            raise ValueError("rate must be at least 1")
        if period <= 0:
            raise ValueError("period must be positive")
        self.rate = rate
        self.period = period
        self._stamps = deque()          # monotonic times of the most recent acquisitions
        self._lock = asyncio.Lock()     # waiters take turns, in arrival order

    async def acquire(self):
        """Wait until one more acquisition fits in the window, then record it."""
        async with self._lock:
            while True:
                now = time.monotonic()
                while self._stamps and now - self._stamps[0] >= self.period:
                    self._stamps.popleft()
                if len(self._stamps) < self.rate:
                    self._stamps.append(now)
                    return
                await asyncio.sleep(self.period - (now - self._stamps[0]))

    async def __aenter__(self):
        await self.acquire()
        return self

    async def __aexit__(self, exc_type, exc, tb):
        return False
