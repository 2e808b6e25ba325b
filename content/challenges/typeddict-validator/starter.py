import types
import typing
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

NoneType = type(None)


def describe(hint: Any) -> str:
    """How a type appears in 'expected ...' messages: 'int', 'None', 'list', 'object',
    "one of 'a', 'b'" for a Literal, and 'int | None' for a union."""
    return getattr(hint, "__name__", str(hint))


def check(hint: Any, value: Any, path: str, errors: list[str]) -> None:
    """Append one message per problem found in `value` against `hint`.

    To do: None, Literal[...], unions (X | Y, Optional[X]), list[X], nested TypedDicts,
    bool is not an int, an int is a valid float.
    """
    if is_typeddict(hint):
        if not isinstance(value, dict):
            errors.append(f"{path}: expected object, got {type(value).__name__}")
            return
        for key, field_hint in get_type_hints(hint).items():
            if key not in value:
                errors.append(f"{path}.{key}: missing required key")
            else:
                check(field_hint, value[key], f"{path}.{key}", errors)
    elif not isinstance(value, hint):
        errors.append(f"{path}: expected {describe(hint)}, got {type(value).__name__}")


def validate(schema: type, data: Any) -> list[str]:
    """Check data (parsed JSON) against a TypedDict class; return the error messages."""
    errors: list[str] = []
    check(schema, data, "$", errors)
    return errors
