import asyncio
import time
from concurrent.futures import ThreadPoolExecutor


def legacy_lookup(key):
    """A blocking call from an old client library: takes 0.3 s.

    Returns key.upper(); keys starting with "missing" raise KeyError.
    """
    time.sleep(0.3)
    if key.startswith("missing"):
        raise KeyError(key)
    return key.upper()


async def lookup_all(keys, max_threads):
    """Run legacy_lookup for every key in worker threads, at most `max_threads` at a time,
    without blocking the event loop. Results in key order; None where KeyError was raised."""
    results = []
    for key in keys:
        # TODO: this blocks the event loop for 0.3 s per key. Run the calls in threads.
        try:
            results.append(legacy_lookup(key))
        except KeyError:
            results.append(None)
    return results
