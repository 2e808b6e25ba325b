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

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            # TODO: try again when a matching exception is raised
            return func(*args, **kwargs)
        return wrapper

    return decorator
