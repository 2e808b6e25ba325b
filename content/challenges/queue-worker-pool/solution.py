import queue
import threading

_STOP = object()


def process_all(items, handler, workers):
    """Process every item with `handler` on `workers` consumer threads fed by a queue.Queue.

    Returns the results in the order of `items`. If handler(item) raises, that item's result is
    the string "error: <ExceptionClassName>". Every worker thread has stopped when this returns.
    """
    jobs = queue.Queue(maxsize=workers)
    results = [None] * len(items)

    def consume():
        while True:
            job = jobs.get()
            if job is _STOP:
                return
            index, item = job
            try:
                results[index] = handler(item)
            except Exception as exc:
                results[index] = f"error: {type(exc).__name__}"

    threads = [threading.Thread(target=consume) for _ in range(workers)]
    for t in threads:
        t.start()
    for index, item in enumerate(items):
        jobs.put((index, item))
    for _ in threads:
        jobs.put(_STOP)
    for t in threads:
        t.join()
    return results
