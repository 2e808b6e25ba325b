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
        # TODO: remember when the recent acquisitions happened

    async def acquire(self):
        """Wait until one more acquisition fits in the window, then record it."""
        # TODO: wait (with asyncio.sleep) while `rate` acquisitions already happened
        # in the last `period` seconds
        return None

    async def __aenter__(self):
        await self.acquire()
        return self

    async def __aexit__(self, exc_type, exc, tb):
        return False
