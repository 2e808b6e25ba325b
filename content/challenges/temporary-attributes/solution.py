import contextlib
import inspect

_ABSENT = object()


def _own_value(obj, name):
    """Return the value to set back for name afterwards, or _ABSENT if it must be deleted."""
    descriptor = inspect.getattr_static(type(obj), name, None)
    if hasattr(type(descriptor), "__set__"):
        # A property with a setter, or a slot: the value lives where the descriptor keeps it,
        # so it is put back by setting it again.
        return getattr(obj, name, _ABSENT)
    try:
        own = vars(obj)                      # instance (or module, class) namespace
    except TypeError:                        # no __dict__ at all
        return getattr(obj, name, _ABSENT)
    # Not obj's own: absent, or inherited from the class, which must not be copied onto obj.
    return own.get(name, _ABSENT)


@contextlib.contextmanager
def override_attrs(obj, **changes):
    """Temporarily set attributes on obj; restore them when the block ends.

    - `with override_attrs(obj, a=1, b=2) as target:` binds target to obj.
    - On exit (normal or by exception) every changed attribute gets its old value back;
      attributes obj did not hold itself are deleted again, so class values show through
      (if the block deleted one already, that is fine).
    - Exceptions from the block propagate unchanged.
    - If setting one attribute fails, the ones already set are restored before the error
      propagates.
    """
    saved = []
    try:
        for name, value in changes.items():
            previous = _own_value(obj, name)
            setattr(obj, name, value)
            saved.append((name, previous))
        yield obj
    finally:
        for name, previous in reversed(saved):
            if previous is _ABSENT:
                try:
                    delattr(obj, name)
                except AttributeError:
                    pass                     # the block removed it already
            else:
                setattr(obj, name, previous)
