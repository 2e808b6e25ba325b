from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor


def count_primes(limit):
    """How many primes are below limit."""
    if limit < 3:
        return 0
    sieve = bytearray([1]) * limit
    sieve[0] = sieve[1] = 0
    for n in range(2, int(limit**0.5) + 1):
        if sieve[n]:
            sieve[n * n :: n] = bytes(len(range(n * n, limit, n)))
    return sum(sieve)


def prime_counts(limits, workers):
    """[count_primes(n) for n in limits], computed in `workers` processes."""
    # Pure-Python computing holds the GIL: only separate processes run it side by side.
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(count_primes, limits))


def fetch_all(urls, fetch, workers):
    """[fetch(url) for url in urls], with up to `workers` fetches waiting at once."""
    # Waiting releases the GIL, so threads are enough, and cheaper than processes.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fetch, urls))
