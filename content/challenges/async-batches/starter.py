import asyncio


class Countdown:
    """Async iterator over start, start - 1, ..., 1.

    Before producing each value it awaits asyncio.sleep(0), letting other tasks run.
    """

    def __init__(self, start):
        self.current = start

    def __aiter__(self):
        # TODO
        raise NotImplementedError

    async def __anext__(self):
        # TODO: return the next value, or signal the end
        raise NotImplementedError


async def batched(source, size):
    """Async generator: yield lists of up to `size` consecutive items from the async iterable
    `source`; only the last list may be shorter. Raises ValueError if size < 1."""
    # TODO: read `source` with `async for`, yield a list each time it holds `size` items
    raise NotImplementedError
    yield
