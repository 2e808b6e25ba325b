import functools


def retry(times, exceptions=(Exception,), on_retry=None):
    """Decorator factory: call the function up to `times` times in total.

    - Only exceptions matching `exceptions` (a class or a tuple of classes) are retried;
      anything else propagates at once.
    - After the last failed attempt, the last exception is re-raised.
    - Before each retry, on_retry(attempt, exc) is called if given, where `attempt`
      is the number of the attempt that just failed (1, 2, ...).
    - retry(times) raises ValueError("times must be at least 1") if times < 1.
    """
    if times < 1:
        raise ValueError("times must be at least 1")

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            for attempt in range(1, times + 1):
                try:
                    return func(*args, **kwargs)
                except exceptions as exc:
                    if attempt == times:
                        raise
                    if on_retry is not None:
                        on_retry(attempt, exc)
        return wrapper

    return decorator
