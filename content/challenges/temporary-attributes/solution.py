import contextlib

_ABSENT = object()


def _own_value(obj, name):
    """Return obj's own value for name, or _ABSENT if obj does not hold one itself."""
    try:
        own = vars(obj)                      # instance (or module, class) namespace
    except TypeError:                        # no __dict__, e.g. a slotted object
        return getattr(obj, name, _ABSENT)
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
