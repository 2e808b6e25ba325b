import timeit


def per_call(func, number=1000, repeat=5):
    """Seconds per call of func(): the fastest of `repeat` loops of `number` calls, / number."""
    # The fastest loop is the one least disturbed by everything else running on the machine;
    # an average would mix those disturbances in.
    loops = timeit.Timer(func).repeat(repeat=repeat, number=number)
    return min(loops) / number


def fastest_first(funcs, number=100, repeat=3):
    """Names of funcs sorted from the fastest per call to the slowest."""
    timings = {name: per_call(func, number, repeat) for name, func in funcs.items()}
    return sorted(timings, key=timings.get)
