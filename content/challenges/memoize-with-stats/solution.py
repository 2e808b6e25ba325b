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
    stats = {"hits": 0, "misses": 0}

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        key = (args, tuple(sorted(kwargs.items())))
        try:
            hash(key)
        except TypeError:
            return func(*args, **kwargs)
        if key in cache:
            stats["hits"] += 1
            return cache[key]
        stats["misses"] += 1
        result = func(*args, **kwargs)
        cache[key] = result
        return result

    def cache_stats():
        return {"hits": stats["hits"], "misses": stats["misses"], "size": len(cache)}

    def cache_clear():
        cache.clear()
        stats["hits"] = stats["misses"] = 0

    wrapper.cache_stats = cache_stats
    wrapper.cache_clear = cache_clear
    return wrapper
