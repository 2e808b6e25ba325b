from itertools import groupby, islice


def parse_lines(lines):
    """Yield (method, path, status, duration_ms) for each valid access-log line.

    A valid line has five whitespace-separated fields:
        timestamp method path status duration_ms
    where status and duration_ms are integers. Blank lines, comment lines
    (starting with "#" after leading whitespace) and malformed lines are skipped.
    Lazy: reads one line at a time.
    """
    for line in lines:
        _timestamp, method, path, status, duration = line.split()
        yield (method, path, int(status), int(duration))
    # TODO: skip blank, comment and malformed lines instead of crashing


def batched(iterable, size):
    """Yield tuples of up to `size` consecutive items; the last one may be shorter.

    Raises ValueError("size must be at least 1") if size < 1. Lazy.
    """
    # TODO: use islice on a single iterator
    raise NotImplementedError


def summarise(records):
    """Return [(path, requests, errors, max_ms), ...] sorted by path.

    errors counts records with status >= 500.
    """
    # TODO: sort by path, then groupby path
    return []
