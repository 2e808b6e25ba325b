import time


class CircuitOpenError(Exception):
    """Raised instead of calling the dependency while the breaker is open."""

    def __init__(self, retry_in):
        super().__init__(f"circuit open, retry in {retry_in:.1f}s")
        self.retry_in = retry_in


class CircuitBreaker:
    def __init__(self, failure_threshold=5, reset_timeout=30.0, half_open_successes=1,
                 failure_on=(Exception,), clock=time.monotonic):
        if failure_threshold < 1 or half_open_successes < 1 or reset_timeout < 0:
            raise ValueError("invalid circuit breaker settings")
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self.half_open_successes = half_open_successes
        self.failure_on = failure_on
        self.clock = clock
        self._state = "closed"
        self._failures = 0
        self._successes = 0
        self._opened_at = None

    @property
    def state(self):
        if self._state == "open" and self.clock() - self._opened_at >= self.reset_timeout:
            self._state = "half_open"
            self._successes = 0
        return self._state

    @property
    def failures(self):
        return self._failures

    def _open(self):
        self._state = "open"
        self._opened_at = self.clock()

    def call(self, func, *args, **kwargs):
        state = self.state
        if state == "open":
            raise CircuitOpenError(self._opened_at + self.reset_timeout - self.clock())
        try:
            result = func(*args, **kwargs)
        except self.failure_on:
            if state == "half_open":
                self._open()
            else:
                self._failures += 1
                if self._failures >= self.failure_threshold:
                    self._open()
            raise
        if state == "half_open":
            self._successes += 1
            if self._successes >= self.half_open_successes:
                self._state = "closed"
                self._failures = 0
        else:
            self._failures = 0
        return result
