import functools
import inspect
from typing import Callable, Concatenate, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def inject(factory: Callable[[], T]) -> Callable[[Callable[Concatenate[T, P], R]], Callable[P, R]]:
    """Call factory() on every call and pass the result as the first argument."""

    def decorator(func: Callable[Concatenate[T, P], R]) -> Callable[P, R]:
        sig = inspect.signature(func)
        params = list(sig.parameters.values())
        if not params:
            raise TypeError("inject() needs a function with at least one parameter")

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            resource = factory()
            try:
                return func(resource, *args, **kwargs)
            finally:
                close = getattr(resource, "close", None)
                if callable(close):
                    close()

        wrapper.__signature__ = sig.replace(parameters=params[1:])  # type: ignore[attr-defined]
        annotations = dict(getattr(func, "__annotations__", {}))
        annotations.pop(params[0].name, None)
        wrapper.__annotations__ = annotations
        return wrapper

    return decorator


def logged(log: list[str]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Record every call as 'name(args) -> result' or 'name(args) raised ExceptionName'."""

    def decorator(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            shown = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
            call = f"{func.__name__}({', '.join(shown)})"
            try:
                result = func(*args, **kwargs)
            except Exception as exc:
                log.append(f"{call} raised {type(exc).__name__}")
                raise
            log.append(f"{call} -> {result!r}")
            return result

        return wrapper

    return decorator
