from concurrent.futures import ThreadPoolExecutor, as_completed  # noqa: F401


def first_healthy(mirrors, check, workers):
    """The first mirror (in finishing order) whose check(mirror) returns True, or None.

    Checks run in a pool of `workers` threads; checks not started yet are cancelled once a healthy
    mirror is found; a check that raises counts as unhealthy.
    """
    # TODO: this checks the mirrors one at a time, in list order.
    for mirror in mirrors:
        if check(mirror):
            return mirror
    return None
