from typing import Callable, Generic, Iterable, Iterator, TypeVar

T = TypeVar("T")
U = TypeVar("U")


class Stack(Generic[T]):
    """A last-in, first-out stack of items of one type."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self._items: list[T] = list(items)

    def push(self, item: T) -> None:
        self._items.append(item)

    def pop(self) -> T:
        if not self._items:
            raise IndexError("pop from empty stack")
        return self._items.pop()

    def peek(self) -> T:
        if not self._items:
            raise IndexError("peek at empty stack")
        return self._items[-1]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return reversed(self._items)

    def __repr__(self) -> str:
        return f"Stack({self._items!r})"

    def map(self, func: Callable[[T], U]) -> "Stack[U]":
        return Stack(func(item) for item in self._items)


def top_or(stack: Stack[T], default: T) -> T:
    """The top item without removing it, or `default` when the stack is empty."""
    return stack.peek() if stack else default
