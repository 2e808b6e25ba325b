def running_mean():
    """Return record(value) -> the mean of every value recorded so far, as a float."""
    total = 0
    count = 0

    def record(value):
        nonlocal total, count
        total += value
        count += 1
        return total / count

    return record


def scalers(factors):
    """Return [f0, f1, ...] where fi(x) == x * factors[i]."""

    # A separate call per factor gives each function its own enclosing scope; a lambda built in
    # the loop would look the loop variable up when called, after the loop had finished.
    def make(factor):
        return lambda x: x * factor

    return [make(factor) for factor in factors]


def pipeline(*funcs):
    """Return a function applying funcs left to right: pipeline(f, g)(x) == g(f(x))."""

    def run(value):
        for func in funcs:
            value = func(value)
        return value

    return run
