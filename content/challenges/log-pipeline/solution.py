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
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 5:
            continue
        _timestamp, method, path, status, duration = parts
        try:
            yield (method, path, int(status), int(duration))
        except ValueError:
            continue


def batched(iterable, size):
    """Yield tuples of up to `size` consecutive items; the last one may be shorter.

    Raises ValueError("size must be at least 1") if size < 1. Lazy.
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    iterator = iter(iterable)
    while batch := tuple(islice(iterator, size)):
        yield batch


def summarise(records):
    """Return [(path, requests, errors, max_ms), ...] sorted by path.

    errors counts records with status >= 500.
    """
    ordered = sorted(records, key=lambda record: record[1])
    summary = []
    for path, group in groupby(ordered, key=lambda record: record[1]):
        group = list(group)
        errors = sum(1 for record in group if record[2] >= 500)
        summary.append((path, len(group), errors, max(record[3] for record in group)))
    return summary
