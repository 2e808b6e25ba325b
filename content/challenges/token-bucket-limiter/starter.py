import time


class TokenBucket:
    """Allows bursts of up to `capacity` requests and `rate` requests per second on average."""

    def __init__(self, rate, capacity, clock=time.monotonic):
        self.rate = rate
        self.capacity = capacity
        self.clock = clock
        self._tokens = float(capacity)

    @property
    def tokens(self):
        """Tokens available now (after refilling for the time that passed)."""
        return self._tokens

    def allow(self, cost=1):
        """Spend `cost` tokens and return True if there are enough, else return False."""
        if self._tokens >= cost:
            self._tokens -= cost   # TODO: refill first, based on the clock
            return True
        return False

    def retry_after(self, cost=1):
        """Seconds until `cost` tokens will be available (0.0 if they are now)."""
        raise NotImplementedError


class PerKeyLimiter:
    """One token bucket per key (API key, user id, IP), created full on first use."""

    def __init__(self, rate, capacity, clock=time.monotonic):
        raise NotImplementedError

    def allow(self, key, cost=1):
        raise NotImplementedError

    def retry_after(self, key, cost=1):
        raise NotImplementedError
