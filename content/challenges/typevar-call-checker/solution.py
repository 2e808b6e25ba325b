import inspect
import types
import typing


def _matches(value, hint, bindings):
    """Whether value fits hint; constrained TypeVars record their constraint in bindings."""
    if hint is typing.Any:
        return True
    if isinstance(hint, typing.TypeVar):
        if hint.__constraints__:
            # A constrained TypeVar stands for exactly one of its constraints in one call.
            chosen = next((c for c in hint.__constraints__ if _matches(value, c, bindings)), None)
            if chosen is None:
                return False
            return bindings.setdefault(hint, chosen) is chosen
        if hint.__bound__ is not None:
            return _matches(value, hint.__bound__, bindings)
        return True
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_matches(value, arg, bindings) for arg in args)
    if origin is list:
        return isinstance(value, list) and all(_matches(item, args[0], bindings) for item in value)
    if origin is dict:
        return isinstance(value, dict) and all(
            _matches(k, args[0], bindings) and _matches(v, args[1], bindings) for k, v in value.items()
        )
    if hint is None or hint is type(None):
        return value is None
    return isinstance(value, hint)


def check_call(func, *args, **kwargs):
    """Call func(*args, **kwargs) after checking every annotated argument; TypeError otherwise."""
    hints = typing.get_type_hints(func)
    bound = inspect.signature(func).bind(*args, **kwargs)
    bindings = {}
    for name, value in bound.arguments.items():
        if name in hints and not _matches(value, hints[name], bindings):
            raise TypeError(f"{name}: {value!r} does not fit {hints[name]!r}")
    return func(*args, **kwargs)
