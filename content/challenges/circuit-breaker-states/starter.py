import time


class CircuitOpenError(Exception):
    """Raised instead of calling the dependency while the breaker is open."""

    def __init__(self, retry_in):
        super().__init__(f"circuit open, retry in {retry_in:.1f}s")
        self.retry_in = retry_in


class CircuitBreaker:
    def __init__(self, failure_threshold=5, reset_timeout=30.0, half_open_successes=1,
                 failure_on=(Exception,), clock=time.monotonic):
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self.half_open_successes = half_open_successes
        self.failure_on = failure_on
        self.clock = clock
        self._failures = 0

    @property
    def state(self):
        """"closed", "open" or "half_open" (an open breaker whose timeout has passed)."""
        return "closed"

    @property
    def failures(self):
        """Consecutive counted failures while closed."""
        return self._failures

    def call(self, func, *args, **kwargs):
        """Call func(*args, **kwargs) through the breaker (see the statement)."""
        return func(*args, **kwargs)
