from typing import Callable, Generic, Iterable, Iterator, TypeVar

T = TypeVar("T")
U = TypeVar("U")


class Stack:
    """A last-in, first-out stack of items of one type.

    Make it generic in T (Stack[int], Stack[str], ...) and annotate every method.
    """

    def __init__(self, items=()):
        self._items = list(items)

    def push(self, item):
        self._items.append(item)

    def pop(self):
        """Remove and return the top item; IndexError('pop from empty stack') when empty."""
        return self._items.pop()

    def peek(self):
        """Return the top item without removing it; IndexError('peek at empty stack') when empty."""
        return self._items[-1]

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        """Iterate from the top of the stack to the bottom."""
        return iter(self._items)

    def __repr__(self):
        """Stack([bottom, ..., top])"""
        return f"Stack({self._items!r})"

    def map(self, func):
        """A new Stack with func applied to every item, same order; Stack[T] -> Stack[U]."""
        raise NotImplementedError


def top_or(stack, default):
    """The top item without removing it, or `default` when the stack is empty."""
    raise NotImplementedError
