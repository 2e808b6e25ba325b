import cProfile
import pstats


def call_report(func, *args, **kwargs):
    """Profile func(*args, **kwargs) and return how often each Python function ran.

    The result is a list of (function_name, total_calls, primitive_calls) tuples,
    sorted by total_calls (highest first), then by name. Built-ins (file name "~")
    and the profiler's own code (cProfile.py) are left out.
    """
    profiler = cProfile.Profile()
    profiler.runcall(func, *args, **kwargs)
    stats = pstats.Stats(profiler)
    rows = []
    # stats.stats maps (filename, line, name) to (primitive, total, tottime, cumtime, callers)
    for (filename, _line, name), (primitive, total, *_rest) in stats.stats.items():
        rows.append((name, total, primitive))
    # TODO: leave out built-ins and the profiler's own code, then sort the rows
    return rows
