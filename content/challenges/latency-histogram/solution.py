import bisect


class Histogram:
    """Counts observations in cumulative buckets, as Prometheus does.

    Histogram([25, 50, 100]) has the buckets le=25, le=50, le=100 and le=+Inf.
    """

    def __init__(self, bounds):
        edges = list(bounds)
        if not edges:
            raise ValueError("a histogram needs at least one bucket edge")
        for edge in edges:
            if isinstance(edge, bool) or not isinstance(edge, (int, float)):
                raise ValueError(f"bucket edges must be numbers, got {edge!r}")
        if any(a >= b for a, b in zip(edges, edges[1:])):
            raise ValueError("bucket edges must be strictly increasing")
        self.bounds = edges
        # One counter per bucket, not cumulative yet; the extra slot is above the last edge.
        self._counts = [0] * (len(edges) + 1)
        self.count = 0
        self.total = 0

    def observe(self, value):
        """Record one measurement."""
        # bisect_left puts a value equal to an edge in that edge's bucket (le = less or equal).
        self._counts[bisect.bisect_left(self.bounds, value)] += 1
        self.count += 1
        self.total += value

    def buckets(self):
        """[(edge, cumulative_count), ..., ("+Inf", count)]"""
        result = []
        running = 0
        for edge, n in zip(self.bounds + ["+Inf"], self._counts):
            running += n
            result.append((edge, running))
        return result
