import random
import time


def full_jitter(rng):
    """Return a jitter function that maps a delay d to rng.uniform(0, d)."""
    def jitter(delay):
        return rng.uniform(0, delay)
    return jitter


def call_with_backoff(func, *, attempts=5, base=0.1, cap=5.0,
                      retry_on=(ConnectionError, TimeoutError),
                      sleep=time.sleep, jitter=None):
    """Call func() until it succeeds, waiting with capped exponential backoff between tries."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(1, attempts + 1):
        try:
            return func()
        except retry_on as exc:
            if attempt == attempts:
                raise
            delay = min(cap, base * 2 ** (attempt - 1))
            if jitter is not None:
                delay = jitter(delay)
            retry_after = getattr(exc, "retry_after", None)
            if retry_after is not None:
                delay = max(delay, retry_after)
            sleep(delay)
