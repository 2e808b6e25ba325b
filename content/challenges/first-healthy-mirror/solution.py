from concurrent.futures import ThreadPoolExecutor, as_completed


def first_healthy(mirrors, check, workers):
    """The first mirror (in finishing order) whose check(mirror) returns True, or None.

    Checks run in a pool of `workers` threads; checks not started yet are cancelled once a healthy
    mirror is found; a check that raises counts as unhealthy.
    """
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(check, mirror): mirror for mirror in mirrors}
        for future in as_completed(futures):
            try:
                healthy = future.result() is True
            except Exception:
                healthy = False
            if healthy:
                # Queued checks are dropped; the `with` block then waits only for running ones.
                for other in futures:
                    other.cancel()
                return futures[future]
    return None
