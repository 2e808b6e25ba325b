_MISSING = object()   # "no item buffered" and "no default given"
_END = object()       # what __bool__ asks peek() to return at the end


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
        self._buffer = _MISSING

    def __iter__(self):
        return self

    def __next__(self):
        if self._buffer is not _MISSING:
            value, self._buffer = self._buffer, _MISSING
            return value
        return next(self._source)

    def peek(self, default=_MISSING):
        if self._buffer is _MISSING:
            try:
                self._buffer = next(self._source)
            except StopIteration:
                if default is _MISSING:
                    raise
                return default
        return self._buffer

    def __bool__(self):
        return self.peek(_END) is not _END
