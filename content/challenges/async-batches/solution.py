import asyncio


class Countdown:
    """Async iterator over start, start - 1, ..., 1.

    Before producing each value it awaits asyncio.sleep(0), letting other tasks run.
    """

    def __init__(self, start):
        self.current = start

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.current <= 0:
            raise StopAsyncIteration
        await asyncio.sleep(0)
        value = self.current
        self.current -= 1
        return value


async def batched(source, size):
    """Async generator: yield lists of up to `size` consecutive items from the async iterable
    `source`; only the last list may be shorter. Raises ValueError if size < 1."""
    if size < 1:
        raise ValueError("size must be at least 1")
    batch = []
    async for item in source:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
