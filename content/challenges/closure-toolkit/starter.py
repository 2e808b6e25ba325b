def running_mean():
    """Return record(value) -> the mean of every value recorded so far, as a float."""
    total = 0

    def record(value):
        # TODO: remember the values seen so far (total and count) between calls.
        return float(value)

    return record


def scalers(factors):
    """Return [f0, f1, ...] where fi(x) == x * factors[i]."""
    funcs = []
    for factor in factors:
        funcs.append(lambda x: x * factor)
    return funcs


def pipeline(*funcs):
    """Return a function applying funcs left to right: pipeline(f, g)(x) == g(f(x))."""

    def run(value):
        # TODO: pass value through every function in funcs, in order.
        return value

    return run
