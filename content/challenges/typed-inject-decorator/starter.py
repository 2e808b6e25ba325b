import functools
import inspect
from typing import Callable, Concatenate, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def inject(factory):
    """Decorator factory: call factory() on every call and pass the result as the first argument.

    Annotate it as (factory: Callable[[], T]) -> Callable[[Callable[Concatenate[T, P], R]], Callable[P, R]].
    The decorated function keeps its name, docstring and __wrapped__, but its signature and
    __annotations__ no longer show the injected first parameter. The injected object is closed
    after the call (if it has a close() method), even when the call raises.
    """

    def decorator(func):
        def wrapper(*args, **kwargs):
            return func(factory(), *args, **kwargs)

        return wrapper

    return decorator


def logged(log):
    """Decorator factory: append 'name(args) -> result' (or 'name(args) raised Error') to log.

    Annotate it as (log: list[str]) -> Callable[[Callable[P, R]], Callable[P, R]].
    The decorated function keeps its name, docstring and signature.
    """

    def decorator(func):
        def wrapper(*args, **kwargs):
            result = func(*args, **kwargs)
            log.append(f"{func.__name__}{args} -> {result!r}")
            return result

        return wrapper

    return decorator
