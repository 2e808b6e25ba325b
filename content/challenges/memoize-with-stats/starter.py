import functools


def memoize(func):
    """Cache func's results by its arguments and keep statistics.

    - Positional arguments and keyword arguments (in any order) form the key.
    - Calls with unhashable arguments run func without touching the cache or the stats.
    - A call that raises is not cached (but counts as a miss).
    - wrapper.cache_stats() -> {"hits": int, "misses": int, "size": int}
    - wrapper.cache_clear() empties the cache and resets the stats.
    """
    cache = {}

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        # TODO: build a key, return cached results, count hits and misses
        return func(*args, **kwargs)

    def cache_stats():
        # TODO: report the real numbers
        return {"hits": 0, "misses": 0, "size": len(cache)}

    def cache_clear():
        cache.clear()

    wrapper.cache_stats = cache_stats
    wrapper.cache_clear = cache_clear
    return wrapper
