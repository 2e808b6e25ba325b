import time


class TokenBucket:
    """Allows bursts of up to `capacity` requests and `rate` requests per second on average."""

    def __init__(self, rate, capacity, clock=time.monotonic):
        if rate <= 0 or capacity < 1:
            raise ValueError("rate must be positive and capacity at least 1")
        self.rate = rate
        self.capacity = capacity
        self.clock = clock
        self._tokens = float(capacity)
        self._last = clock()

    def _refill(self):
        now = self.clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
        self._last = now

    def _check_cost(self, cost):
        if cost <= 0 or cost > self.capacity:
            raise ValueError("cost must be positive and at most the capacity")

    @property
    def tokens(self):
        self._refill()
        return self._tokens

    def allow(self, cost=1):
        self._check_cost(cost)
        self._refill()
        if self._tokens >= cost:
            self._tokens -= cost
            return True
        return False

    def retry_after(self, cost=1):
        self._check_cost(cost)
        self._refill()
        missing = cost - self._tokens
        return max(0.0, missing / self.rate)


class PerKeyLimiter:
    """One token bucket per key (API key, user id, IP), created full on first use."""

    def __init__(self, rate, capacity, clock=time.monotonic):
        TokenBucket(rate, capacity, clock)  # validate the settings once, up front
        self.rate, self.capacity, self.clock = rate, capacity, clock
        self._buckets = {}

    def _bucket(self, key):
        if key not in self._buckets:
            self._buckets[key] = TokenBucket(self.rate, self.capacity, self.clock)
        return self._buckets[key]

    def allow(self, key, cost=1):
        return self._bucket(key).allow(cost)

    def retry_after(self, key, cost=1):
        return self._bucket(key).retry_after(cost)
