import inspect
import types  # noqa: F401
import typing


def check_call(func, *args, **kwargs):
    """Call func(*args, **kwargs) after checking every annotated argument; TypeError otherwise."""
    hints = typing.get_type_hints(func)
    bound = inspect.signature(func).bind(*args, **kwargs)
    for name, value in bound.arguments.items():
        hint = hints.get(name)
        # TODO: this handles plain classes only: add Any, unions, list[...], dict[..., ...],
        # None, and TypeVars with a bound or constraints.
        if isinstance(hint, type) and not isinstance(value, hint):
            raise TypeError(f"{name}: {value!r} does not fit {hint!r}")
    return func(*args, **kwargs)
