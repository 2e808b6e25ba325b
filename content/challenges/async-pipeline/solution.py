import asyncio


async def pipeline(source, transform, workers, maxsize):
    """Feed items from the async iterable `source` through a bounded asyncio.Queue to `workers`
    worker tasks that each run `await transform(item)`.

    Returns the results in source order; an item whose transform raised gets
    "error: <ExceptionClassName>". No worker task is left running afterwards.
    """
    queue = asyncio.Queue(maxsize=maxsize)
    results = {}

    async def worker():
        while True:
            index, item = await queue.get()
            try:
                results[index] = await transform(item)
            except Exception as exc:
                results[index] = f"error: {type(exc).__name__}"
            finally:
                queue.task_done()

    tasks = [asyncio.create_task(worker()) for _ in range(workers)]
    count = 0
    try:
        async for item in source:
            await queue.put((count, item))   # waits while the queue is full
            count += 1
        await queue.join()
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return [results[i] for i in range(count)]
