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
    loop = asyncio.get_running_loop()

    def safe(key):
        try:
            return legacy_lookup(key)
        except KeyError:
            return None

    with ThreadPoolExecutor(max_workers=max_threads) as pool:
        return list(await asyncio.gather(*(loop.run_in_executor(pool, safe, key) for key in keys)))
