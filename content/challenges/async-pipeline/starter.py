import asyncio


async def pipeline(source, transform, workers, maxsize):
    """Feed items from the async iterable `source` through a bounded asyncio.Queue to `workers`
    worker tasks that each run `await transform(item)`.

    Returns the results in source order; an item whose transform raised gets
    "error: <ExceptionClassName>". No worker task is left running afterwards.
    """
    # TODO: one item at a time, and one failure stops everything. Use an
    # asyncio.Queue(maxsize=maxsize), `workers` worker tasks, and shut them down at the end.
    results = []
    async for item in source:
        results.append(await transform(item))
    return results
