from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor  # noqa: F401


def count_primes(limit):
    """How many primes are below limit."""
    return sum(1 for n in range(2, limit) if all(n % d for d in range(2, int(n**0.5) + 1)))


def prime_counts(limits, workers):
    """[count_primes(n) for n in limits], computed in `workers` processes."""
    # TODO: threads take turns on the GIL for pure-Python work.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(count_primes, limits))


def fetch_all(urls, fetch, workers):
    """[fetch(url) for url in urls], with up to `workers` fetches waiting at once."""
    # TODO: one at a time.
    return [fetch(url) for url in urls]
