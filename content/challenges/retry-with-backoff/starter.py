import random
import time


def full_jitter(rng):
    """Return a jitter function that maps a delay d to rng.uniform(0, d)."""
    raise NotImplementedError


def call_with_backoff(func, *, attempts=5, base=0.1, cap=5.0,
                      retry_on=(ConnectionError, TimeoutError),
                      sleep=time.sleep, jitter=None):
    """Call func() until it succeeds, waiting with capped exponential backoff between tries.

    See the statement for the exact delay rule, jitter, retry_after and errors.
    """
    for attempt in range(attempts):
        try:
            return func()
        except retry_on:
            sleep(base)   # TODO: exponential, capped, jittered; re-raise after the last attempt
