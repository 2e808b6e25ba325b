import types
import typing
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

NoneType = type(None)


def describe(hint: Any) -> str:
    """How a type appears in 'expected ...' messages."""
    if hint is NoneType or hint is None:
        return "None"
    origin = get_origin(hint)
    if origin is Literal:
        return "one of " + ", ".join(repr(v) for v in get_args(hint))
    if origin in (Union, types.UnionType):
        return " | ".join(describe(arg) for arg in get_args(hint))
    if origin is list:
        return "list"
    if is_typeddict(hint):
        return "object"
    return str(hint.__name__)


def check(hint: Any, value: Any, path: str, errors: list[str]) -> None:
    """Append one message per problem found in `value` against `hint`."""
    origin = get_origin(hint)
    if hint is NoneType or hint is None:
        if value is not None:
            errors.append(f"{path}: expected None, got {type(value).__name__}")
    elif origin is Literal:
        allowed = get_args(hint)
        if not any(value == a and type(value) is type(a) for a in allowed):
            errors.append(f"{path}: expected {describe(hint)}, got {value!r}")
    elif origin in (Union, types.UnionType):
        for arg in get_args(hint):
            attempt: list[str] = []
            check(arg, value, path, attempt)
            if not attempt:
                return
        errors.append(f"{path}: expected {describe(hint)}, got {type(value).__name__}")
    elif origin is list:
        if not isinstance(value, list):
            errors.append(f"{path}: expected list, got {type(value).__name__}")
            return
        (item_hint,) = get_args(hint) or (Any,)
        for i, item in enumerate(value):
            check(item_hint, item, f"{path}[{i}]", errors)
    elif is_typeddict(hint):
        if not isinstance(value, dict):
            errors.append(f"{path}: expected object, got {type(value).__name__}")
            return
        fields = get_type_hints(hint)
        for key, field_hint in fields.items():
            if key in value:
                check(field_hint, value[key], f"{path}.{key}", errors)
            elif key in hint.__required_keys__:
                errors.append(f"{path}.{key}: missing required key")
        for key in value:
            if key not in fields:
                errors.append(f"{path}.{key}: unexpected key")
    elif hint is Any:
        return
    elif hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append(f"{path}: expected float, got {type(value).__name__}")
    elif hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append(f"{path}: expected int, got {type(value).__name__}")
    elif not isinstance(value, hint):
        errors.append(f"{path}: expected {describe(hint)}, got {type(value).__name__}")


def validate(schema: type, data: Any) -> list[str]:
    """Check data (parsed JSON) against a TypedDict class; return the error messages."""
    errors: list[str] = []
    check(schema, data, "$", errors)
    return errors
