class Peekable:
    """Wrap any iterable in an iterator that can look one item ahead.

    - iter(p) is p; next(p) returns the next item or raises StopIteration.
    - p.peek() returns the next item without consuming it; at the end it raises
      StopIteration, or returns `default` when one is given: p.peek(default).
    - bool(p) is True while items remain.
    - At most one item is read ahead from the underlying iterator.
    """

    def __init__(self, iterable):
        self._source = iter(iterable)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._source)

    def peek(self, *default):
        # TODO: read one item ahead and keep it until __next__ hands it out
        raise NotImplementedError

    # TODO: __bool__
