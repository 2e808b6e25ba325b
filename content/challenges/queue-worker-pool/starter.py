import queue
import threading


def process_all(items, handler, workers):
    """Process every item with `handler` on `workers` consumer threads fed by a queue.Queue.

    Returns the results in the order of `items`. If handler(item) raises, that item's result is
    the string "error: <ExceptionClassName>". Every worker thread has stopped when this returns.

    >>> process_all([1, 2, 3], lambda x: x * 10, 2)
    [10, 20, 30]
    """
    # TODO: replace this sequential loop with a queue.Queue(maxsize=workers), `workers` consumer
    # threads, one sentinel per consumer, and per-item error handling.
    return [handler(item) for item in items]
