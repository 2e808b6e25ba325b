import time


def per_call(func, number=1000, repeat=5):
    """Seconds per call of func(): the fastest of `repeat` loops of `number` calls, / number."""
    # TODO: this times a single call once. Use timeit and keep the fastest loop.
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def fastest_first(funcs, number=100, repeat=3):
    """Names of funcs sorted from the fastest per call to the slowest."""
    return sorted(funcs)
