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
    for (filename, _line, name), (primitive, total, *_rest) in stats.stats.items():
        if filename == "~" or filename.endswith("cProfile.py"):
            continue
        rows.append((name, total, primitive))
    rows.sort(key=lambda row: (-row[1], row[0]))
    return rows
