import contextlib


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
    old = {name: getattr(obj, name) for name in changes}
    for name, value in changes.items():
        setattr(obj, name, value)
    yield obj
    for name, value in old.items():
        setattr(obj, name, value)
    # TODO: restore even when the block raises, and handle attributes that did not exist
